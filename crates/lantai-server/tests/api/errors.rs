//! Bad input gets a clear problem+json, never a 500.

use crate::helpers::*;

#[test]
fn bad_queries_and_parameters_are_400() {
    let app = TestApp::start();
    assert_problem(&app.search(ADMIN_KEY, "\"有线电视", ""), 400, "query_syntax");
    let r = app.search(ADMIN_KEY, "a", "sort=date");
    assert_problem(&r, 400, "unknown_parameter");
    assert_eq!(r.body["parameter"], "sort");
    assert_problem(&app.search(ADMIN_KEY, "a", "limit=5000"), 400, "invalid_parameter");
    assert_problem(&app.search(ADMIN_KEY, "a", "limit=ten"), 400, "invalid_parameter");
    assert_problem(
        &app.search(ADMIN_KEY, "a", &format!("classification={}", encode("保密"))),
        400,
        "invalid_parameter",
    );
    assert_problem(&app.search(ADMIN_KEY, "a", "year_from=2020&year_to=2010"), 400, "invalid_parameter");
    let (status, body) = app.raw_get("/v1/search?q=%FF%FE", ADMIN_KEY);
    assert_eq!(status, 400);
    assert!(body.contains("\"code\":\"invalid_parameter\"") && body.contains("UTF-8"), "{body}");
    assert_problem(&app.search(ADMIN_KEY, &"档".repeat(1001), ""), 400, "invalid_parameter");
}

#[test]
fn bad_bodies_are_400_415_or_413() {
    let app = TestApp::start();
    assert_problem(&app.post("/v1/keys", Some(ADMIN_KEY), "application/json", b"{\"name\":"), 400, "malformed_json");
    assert_problem(&app.post_records(ADMIN_KEY, "application/json", b"[{\"id\":"), 400, "malformed_body");
    assert_problem(&app.post_records(ADMIN_KEY, "application/xml", b"<a/>"), 415, "unsupported_media_type");
    assert_problem(&app.post_records(ADMIN_KEY, "text/csv", b"title\nx\n"), 400, "malformed_body");
    // The test server's limit is 2 MiB.
    let big = format!("{{\"id\":\"big\",\"content\":\"{}\"}}", "档".repeat(1_000_000));
    assert_problem(&app.post_records(ADMIN_KEY, "application/x-ndjson", big.as_bytes()), 413, "payload_too_large");
    // Deep nesting inside a record is refused per record, not a crash.
    let deep = format!("{{\"id\":\"d\",\"title\":\"t\",\"extra\":{{\"x\":{}{}}}}}", "[".repeat(200), "]".repeat(200));
    let r = app.post_records(ADMIN_KEY, "application/x-ndjson", deep.as_bytes());
    assert_eq!(r.status, 200);
    assert_eq!(r.body["rejected"][0]["code"], "malformed_json");
}

#[test]
fn unknown_routes_and_methods_are_problems() {
    let app = TestApp::start();
    assert_problem(&app.get("/v1/nowhere", Some(ADMIN_KEY)), 404, "not_found");
    assert_problem(&app.get("/elsewhere", None), 404, "not_found");
    assert_problem(&app.post("/v1/search", Some(ADMIN_KEY), "application/json", b"{}"), 405, "method_not_allowed");
}

#[test]
fn hostile_records_are_refused_line_by_line() {
    let app = TestApp::start();
    let body = [
        r#"{"id":"dup","title":"a","title":"b"}"#,
        "{\"id\":\"nul\",\"title\":\"a\\u0000b\"}",
        r#"{"id":"num","title":"t","year":1e400}"#,
        r#"{"id":"neg","title":"t","year":-5}"#,
        r#"{"id":"deep","title":"t","extra":{"a":{"a":{"b":1,"b":2}}}}"#,
        r#"{"id":"ok","title":"正常"}"#,
    ]
    .join("\n");
    let r = app.post_records(ADMIN_KEY, "application/x-ndjson", body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["accepted"], 1);
    let codes: Vec<&str> = r.body["rejected"].as_array().unwrap().iter().map(|x| x["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["duplicate_key", "invalid_field", "malformed_json", "invalid_field", "duplicate_key"]);
    assert_problem(&app.search(ADMIN_KEY, "a\u{0}b", ""), 400, "invalid_parameter");
    assert_problem(&app.search(ADMIN_KEY, "a", "limit=99999999999999999999999"), 400, "invalid_parameter");
    let dup = r#"{"name":"a","name":"b","role":"employee","clearance":"公开"}"#;
    assert_problem(&app.post("/v1/keys", Some(ADMIN_KEY), "application/json", dup.as_bytes()), 400, "malformed_json");
}
