//! Operations: readiness and request ids.

use crate::helpers::*;

#[test]
fn readiness_and_request_ids() {
    let app = TestApp::with_demo();
    let r = app.get("/v1/ready", None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "ready");
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let made_up = agent.get(&format!("{}/v1/health", app.base)).call().unwrap();
    let id = made_up.headers().get("x-request-id").unwrap().to_str().unwrap().to_string();
    assert_eq!(id.len(), 32);
    let echoed = agent.get(&format!("{}/v1/search?q=a", app.base)).header("X-Request-Id", "abc-123").call().unwrap();
    assert_eq!(echoed.status(), 401, "errors carry the id too");
    assert_eq!(echoed.headers().get("x-request-id").unwrap(), "abc-123");
    let hostile = agent.get(&format!("{}/v1/health", app.base)).header("X-Request-Id", "a b<script>").call().unwrap();
    assert_ne!(hostile.headers().get("x-request-id").unwrap(), "a b<script>");
}

#[test]
fn prometheus_metrics_for_analysts() {
    let app = TestApp::with_demo();
    let analyst = app.key_for("analyst", "内部");
    let employee = app.key_for("employee", "内部");
    app.search(&employee, "业扩报装", "");
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let get = |key: Option<&str>| {
        let mut req = agent.get(&format!("{}/metrics", app.base));
        if let Some(k) = key {
            req = req.header("Authorization", &format!("Bearer {k}"));
        }
        let mut r = req.call().unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    assert_eq!(get(None).0, 401);
    assert_eq!(get(Some(&employee)).0, 403);
    let (status, text) = get(Some(&analyst));
    assert_eq!(status, 200);
    for name in [
        "lantai_http_requests_total",
        "lantai_http_request_duration_seconds_bucket",
        "lantai_search_duration_seconds_bucket",
        "lantai_records_ingested_total",
        "lantai_index_segments",
        "lantai_index_bytes",
        "lantai_store_bytes",
        "lantai_changelog_lag 0",
    ] {
        assert!(text.contains(name), "{name} missing:\n{text}");
    }
    assert!(text.contains("route=\"/v1/search\""), "routes are labelled by pattern");
    assert!(!text.contains("JC-"), "no record ids in labels");
}

/// Several batches leave several index segments; once writes pause, the service merges them
/// into one by itself, and searches answer the same before and after.
#[test]
fn index_merges_into_one_segment_once_writes_pause() {
    let app = TestApp::start_with(|c| c.index.merge_when_idle_ms = 300);
    let analyst = app.key_for("analyst", "内部");
    let employee = app.key_for("employee", "内部");
    for batch in 0..4 {
        let body: String = (0..5)
            .map(|i| {
                format!(
                    "{{\"id\":\"M-{batch}-{i}\",\"title\":\"第{batch}批调度运行记录{i}\",\"category\":\"WS\",\"classification\":\"公开\"}}\n"
                )
            })
            .collect();
        let r = app.post_records(ADMIN_KEY, "application/x-ndjson", body.as_bytes());
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let before = app.search(&employee, "调度运行", "limit=50");
    let segments = || {
        let (status, text) = app.raw_get("/metrics", &analyst);
        assert_eq!(status, 200);
        text.lines()
            .find_map(|l| l.strip_prefix("lantai_index_segments "))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .expect("segment gauge")
    };
    let mut merged = false;
    for _ in 0..150 {
        if segments() == 1.0 {
            merged = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(merged, "still {} segments after 15 s", segments());
    let after = app.search(&employee, "调度运行", "limit=50");
    assert_eq!(before.body["total"], 20);
    assert_eq!(after.body["total"], before.body["total"]);
    let mut ids_before = hit_ids(&before.body);
    let mut ids_after = hit_ids(&after.body);
    ids_before.sort();
    ids_after.sort();
    assert_eq!(ids_before, ids_after);
}
