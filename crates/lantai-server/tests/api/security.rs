//! Trying to get in where one does not belong: every role on every route, key lifecycle,
//! grants for controlled records, the audit trail, rate limits and request limits.

use serde_json::json;

use crate::helpers::*;

#[test]
fn every_route_answers_every_role_as_the_policy_says() {
    let app = TestApp::with_demo();
    let employee = app.key_for("employee", "绝密");
    let analyst = app.key_for("analyst", "绝密");
    let key_body = json!({"name": "n", "role": "employee", "clearance": "公开"}).to_string();
    // (method, path, body, lowest role allowed: 0 employee, 1 analyst, 2 admin)
    let routes: Vec<(&str, String, Option<String>, u8)> = vec![
        ("GET", "/v1/search?q=a".into(), None, 0),
        ("GET", "/v1/records/JC-WS-2021-0901".into(), None, 0),
        ("GET", "/v1/keys".into(), None, 2),
        ("POST", "/v1/keys".into(), Some(key_body), 2),
        ("GET", "/v1/audit".into(), None, 2),
        ("POST", "/v1/keys/key_nonexistent/rotate".into(), None, 2),
        ("DELETE", "/v1/keys/key_nonexistent".into(), None, 2),
        ("DELETE", "/v1/records/nonexistent".into(), None, 2),
    ];
    for (method, path, body, lowest) in &routes {
        for (level, key) in [(0u8, employee.as_str()), (1, analyst.as_str()), (2, ADMIN_KEY)] {
            let r = app.call(method, path, Some(key), body.as_deref());
            if level < *lowest {
                assert_problem(&r, 403, "forbidden");
            } else {
                assert!(r.status != 401 && r.status != 403, "{method} {path} as level {level}: {}", r.body);
            }
        }
        for key in [None, Some("lt_forged")] {
            assert_problem(&app.call(method, path, key, body.as_deref()), 401, "unauthorized");
        }
    }
    // Mutations through the API are refused to the employee and leave nothing behind.
    assert_eq!(app.get("/v1/records/JC-WS-2021-0901", Some(ADMIN_KEY)).status, 200);
}

#[test]
fn keys_are_listed_without_secrets_revoked_rotated_and_expire() {
    let app = TestApp::start();
    let body = json!({"name": "李四", "role": "employee", "clearance": "内部"}).to_string();
    let created = app.call("POST", "/v1/keys", Some(ADMIN_KEY), Some(&body));
    let (id, secret) =
        (created.body["id"].as_str().unwrap().to_string(), created.body["key"].as_str().unwrap().to_string());
    let listed = app.call("GET", "/v1/keys", Some(ADMIN_KEY), None);
    let text = listed.body.to_string();
    assert!(text.contains(&id) && !text.contains(&secret) && !text.contains("hash"), "{text}");

    // Rotation: the old secret stops at once, the new one works.
    let rotated = app.call("POST", &format!("/v1/keys/{id}/rotate"), Some(ADMIN_KEY), None);
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new_secret = rotated.body["key"].as_str().unwrap().to_string();
    assert_problem(&app.search(&secret, "a", ""), 401, "unauthorized");
    assert_eq!(app.search(&new_secret, "a", "").status, 200);

    // Revocation is immediate and cannot be undone by rotating.
    assert_eq!(app.call("DELETE", &format!("/v1/keys/{id}"), Some(ADMIN_KEY), None).status, 204);
    assert_problem(&app.search(&new_secret, "a", ""), 401, "unauthorized");
    assert_problem(&app.call("POST", &format!("/v1/keys/{id}/rotate"), Some(ADMIN_KEY), None), 404, "not_found");
    let listed = app.call("GET", "/v1/keys", Some(ADMIN_KEY), None);
    let entry = listed.body["keys"].as_array().unwrap().iter().find(|k| k["id"] == id.as_str()).unwrap().clone();
    assert_eq!(entry["revoked"], true);

    // Expiry.
    let past =
        json!({"name": "x", "role": "employee", "clearance": "公开", "expires_at": "2020-01-01T00:00:00Z"}).to_string();
    assert_problem(&app.call("POST", "/v1/keys", Some(ADMIN_KEY), Some(&past)), 400, "invalid_parameter");
    let soon = (time::OffsetDateTime::now_utc() + time::Duration::seconds(2))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let body = json!({"name": "临时", "role": "employee", "clearance": "公开", "expires_at": soon}).to_string();
    let temp = app.call("POST", "/v1/keys", Some(ADMIN_KEY), Some(&body));
    let temp_key = temp.body["key"].as_str().unwrap().to_string();
    assert_eq!(app.search(&temp_key, "a", "").status, 200);
    std::thread::sleep(std::time::Duration::from_millis(2600));
    assert_problem(&app.search(&temp_key, "a", ""), 401, "unauthorized");
}

#[test]
fn controlled_records_are_visible_only_under_a_grant() {
    let app = TestApp::start();
    let batch = [
        r#"{"id":"c-fin","title":"财务部控制使用的凭证汇总","org_unit":"财务部","category":"KU","classification":"公开","access":"控制"}"#,
        r#"{"id":"c-hr","title":"人力资源部控制使用的凭证名册","org_unit":"人力资源部","category":"RS","classification":"公开","access":"控制"}"#,
        r#"{"id":"d-fin","title":"财务部延期开放的凭证","org_unit":"财务部","category":"KU","classification":"公开","access":"延期开放"}"#,
        r#"{"id":"open","title":"公开的凭证目录","classification":"公开"}"#,
    ]
    .join("\n");
    assert_eq!(app.post_records(ADMIN_KEY, "application/x-ndjson", batch.as_bytes()).body["accepted"], 4);
    let grant = |grants: serde_json::Value| {
        let body = json!({"name": "g", "role": "employee", "clearance": "内部", "grants": grants}).to_string();
        app.call("POST", "/v1/keys", Some(ADMIN_KEY), Some(&body)).body["key"].as_str().unwrap().to_string()
    };
    let none = grant(json!({}));
    let by_dept = grant(json!({"departments": ["财务部"]}));
    let by_cat = grant(json!({"categories": ["RS"]}));
    let seen = |key: &str| {
        let mut ids = app.ids(key, "凭证", "limit=100");
        ids.sort();
        let total = app.search(key, "凭证", "").body["total"].as_u64().unwrap() as usize;
        assert_eq!(total, ids.len());
        ids
    };
    assert_eq!(seen(&none), ["open"]);
    assert_eq!(seen(&by_dept), ["c-fin", "open"]);
    assert_eq!(seen(&by_cat), ["c-hr", "open"]);
    assert_eq!(app.get("/v1/records/c-fin", Some(&by_dept)).status, 200);
    assert_problem(&app.get("/v1/records/c-fin", Some(&by_cat)), 404, "not_found");
    assert_problem(&app.get("/v1/records/d-fin", Some(&by_dept)), 404, "not_found");
    assert_eq!(seen(ADMIN_KEY), ["c-fin", "c-hr", "d-fin", "open"]);
}

#[test]
fn reads_and_admin_actions_are_audited_with_purpose_and_outcome() {
    let app = TestApp::with_demo();
    let employee = app.key_for("employee", "公开");
    let r = app.get(&format!("/v1/records/JC-WS-2021-0901?purpose={}", encode("编史修志")), Some(ADMIN_KEY));
    assert_eq!(r.status, 200);
    let hidden = app.get("/v1/records/JC-RS-2016-0923", Some(&employee));
    assert_eq!(hidden.status, 404);
    assert_problem(&app.delete("/v1/records/JC-WS-2021-0901", &employee), 403, "forbidden");
    assert_problem(&app.get("/v1/audit", Some(&employee)), 403, "forbidden");

    let trail = app.get("/v1/audit?limit=1000", Some(ADMIN_KEY)).body["entries"].as_array().unwrap().clone();
    let find = |action: &str, outcome: &str| {
        trail
            .iter()
            .find(|e| e["action"] == action && e["outcome"] == outcome)
            .unwrap_or_else(|| panic!("no {action} {outcome}: {trail:?}"))
            .clone()
    };
    let ingest = find("records.ingest", "ok");
    assert!(ingest["detail"].as_str().unwrap().starts_with("accepted 347"));
    let read = find("record.read", "ok");
    assert_eq!(read["target"], "JC-WS-2021-0901");
    assert_eq!(read["purpose"], "编史修志");
    assert_eq!(read["principal"], "admin");
    assert_eq!(read["remote"], "127.0.0.1");
    assert_eq!(find("record.read", "not_found")["target"], "JC-RS-2016-0923");
    assert_eq!(find("DELETE /v1/records/{id}", "forbidden")["target"], "JC-WS-2021-0901");
    assert_eq!(find("GET /v1/audit", "forbidden")["role"], "employee");
    assert_eq!(find("key.create", "ok")["principal"], "admin");
    // Chained: each entry names its predecessor's hash.
    for pair in trail.windows(2) {
        assert_eq!(pair[1]["prev"], pair[0]["hash"]);
        assert_eq!(pair[1]["seq"].as_u64().unwrap(), pair[0]["seq"].as_u64().unwrap() + 1);
    }
    // Filters.
    let only = app.get("/v1/audit?record=JC-WS-2021-0901", Some(ADMIN_KEY)).body["entries"].as_array().unwrap().len();
    assert_eq!(only, 2);
    let reads = app.get("/v1/audit?action=record.read", Some(ADMIN_KEY)).body["entries"].as_array().unwrap().len();
    assert_eq!(reads, 2);
    let none = app.get("/v1/audit?to=2001-01-01", Some(ADMIN_KEY)).body["entries"].as_array().unwrap().len();
    assert_eq!(none, 0);
    assert_problem(&app.get("/v1/audit?from=yesterday", Some(ADMIN_KEY)), 400, "invalid_parameter");
    // No API alters the trail.
    assert_problem(&app.call("DELETE", "/v1/audit", Some(ADMIN_KEY), None), 405, "method_not_allowed");
}

#[test]
fn each_key_is_rate_limited_with_retry_after() {
    let app = TestApp::start_with(|c| {
        c.limits.requests_per_second = 1;
        c.limits.burst = 3;
    });
    let statuses: Vec<u16> = (0..5).map(|_| app.search(ADMIN_KEY, "a", "").status).collect();
    assert_eq!(&statuses[..3], [200, 200, 200], "{statuses:?}");
    let limited = app.search(ADMIN_KEY, "a", "");
    assert_problem(&limited, 429, "rate_limited");
    let wait: u64 = limited.retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    // After waiting, the key may go on; another key has its own budget.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let other = app.key_for("employee", "公开");
    for _ in 0..3 {
        assert_eq!(app.search(&other, "a", "").status, 200);
    }
    assert_problem(&app.search(&other, "a", ""), 429, "rate_limited");
}

#[test]
fn oversized_requests_get_a_clear_problem() {
    let app = TestApp::start_with(|c| {
        c.limits.max_batch_records = 3;
        c.limits.max_record_bytes = 200;
        c.limits.max_page_depth = 50;
        c.limits.max_query_clauses = 2;
    });
    let four = (0..4).map(|i| format!("{{\"id\":\"r{i}\",\"title\":\"t\"}}")).collect::<Vec<_>>().join("\n");
    assert_problem(&app.post_records(ADMIN_KEY, "application/x-ndjson", four.as_bytes()), 413, "payload_too_large");
    let big = format!("{{\"id\":\"big\",\"title\":\"{}\"}}\n{{\"id\":\"small\",\"title\":\"t\"}}", "档".repeat(100));
    let r = app.post_records(ADMIN_KEY, "application/x-ndjson", big.as_bytes());
    assert_eq!(r.body["accepted"], 1);
    assert_eq!(r.body["rejected"][0]["code"], "record_too_large");
    assert_problem(&app.search(ADMIN_KEY, "a", "offset=45&limit=10"), 400, "invalid_parameter");
    assert_problem(&app.search(ADMIN_KEY, "\"a\" \"b\" -c", ""), 400, "invalid_parameter");
    assert_eq!(app.search(ADMIN_KEY, "\"a\" -c", "").status, 200);
}
