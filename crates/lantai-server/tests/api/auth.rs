//! Keys and roles.

use serde_json::json;

use crate::helpers::*;

#[test]
fn every_route_but_health_needs_a_valid_key() {
    let app = TestApp::start();
    assert_eq!(app.get("/v1/health", None).status, 200);
    assert_problem(&app.get("/v1/search?q=a", None), 401, "unauthorized");
    assert_problem(&app.get("/v1/search?q=a", Some("not-a-key")), 401, "unauthorized");
    assert_problem(&app.get("/v1/records/x", None), 401, "unauthorized");
    assert_problem(&app.post_records("wrong", "application/x-ndjson", b"{}"), 401, "unauthorized");
    assert_problem(&app.get("/v1/nowhere", None), 401, "unauthorized");
}

#[test]
fn roles_are_enforced() {
    let app = TestApp::start();
    let employee = app.key_for("employee", "内部");
    let analyst = app.key_for("analyst", "秘密");
    assert_eq!(app.search(&employee, "档案", "").status, 200);
    let body = b"{\"id\":\"a\",\"title\":\"t\"}";
    assert_problem(&app.post_records(&employee, "application/x-ndjson", body), 403, "forbidden");
    assert_problem(&app.post_records(&analyst, "application/x-ndjson", body), 403, "forbidden");
    assert_problem(&app.delete("/v1/records/a", &employee), 403, "forbidden");
    let key_body = json!({"name": "x", "role": "admin", "clearance": "绝密"}).to_string();
    assert_problem(&app.post("/v1/keys", Some(&employee), "application/json", key_body.as_bytes()), 403, "forbidden");
}

#[test]
fn created_keys_are_shown_once_and_work() {
    let app = TestApp::start();
    let body =
        json!({"name": "张三", "role": "employee", "department": "财务部", "user_group": "会计", "clearance": "秘密"});
    let r = app.post("/v1/keys", Some(ADMIN_KEY), "application/json", body.to_string().as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body["id"].as_str().unwrap().starts_with("key_"));
    let key = r.body["key"].as_str().unwrap();
    assert!(key.len() >= 32, "at least 128 bits of secret");
    assert_eq!(r.body["department"], "财务部");
    assert_eq!(app.search(key, "档案", "").status, 200);
    // Bad principals are refused with a reason.
    let bad = json!({"name": "x", "role": "boss", "clearance": "内部"}).to_string();
    assert_problem(&app.post("/v1/keys", Some(ADMIN_KEY), "application/json", bad.as_bytes()), 400, "malformed_json");
    let bad = json!({"name": "x", "role": "employee", "clearance": "保密"}).to_string();
    assert_problem(&app.post("/v1/keys", Some(ADMIN_KEY), "application/json", bad.as_bytes()), 400, "malformed_json");
}
