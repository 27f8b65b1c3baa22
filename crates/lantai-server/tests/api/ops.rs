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
