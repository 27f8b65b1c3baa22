use std::process::Command;

use serde_json::json;

use crate::helpers::*;

#[test]
fn report_prints_tables_and_csv_for_analysts() {
    let temp = tempfile::tempdir().unwrap();
    let served = Served::start(&temp.path().join("data"), Some(ADMIN_KEY), &[]);
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let post = |path: &str, key: &str, body: String| {
        let mut r = agent
            .post(&format!("{}{path}", served.base))
            .header("Authorization", &format!("Bearer {key}"))
            .content_type("application/json")
            .send(body.as_str())
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_json::<serde_json::Value>().unwrap_or_default())
    };
    let new_key = |role: &str, dept: &str| {
        let body =
            json!({"name": dept, "role": role, "department": dept, "user_group": "g", "clearance": "内部"}).to_string();
        post("/v1/keys", ADMIN_KEY, body).1["key"].as_str().unwrap().to_string()
    };
    let answers: Vec<_> = (1..=22).map(|i| json!({"item": i, "expectation": 6, "perception": 4})).collect();
    let response = json!({"survey_version": 1, "format": "ep", "answers": answers}).to_string();
    for _ in 0..5 {
        let k = new_key("employee", "供电服务中心");
        assert_eq!(post("/v1/surveys/responses", &k, response.clone()).0, 201);
    }
    let analyst = new_key("analyst", "质量组");
    let out = Command::new(BIN)
        .args(["report", "servqual", "--group-by", "department", "--server", &served.base, "--key", &analyst])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("供电服务中心") && stdout.contains("-2.00"), "{stdout}");
    let out = Command::new(BIN)
        .args(["report", "indicators", "--csv", "--server", &served.base, "--key", &analyst])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("group,"));
    let employee = new_key("employee", "办公室");
    let out =
        Command::new(BIN).args(["report", "servqual", "--server", &served.base, "--key", &employee]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("403"));
}
