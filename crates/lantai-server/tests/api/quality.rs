//! Surveys and service-quality reports over HTTP.

use serde_json::{json, Value};

use crate::helpers::*;

fn key(app: &TestApp, role: &str, department: &str, group: &str) -> String {
    let body = json!({"name": format!("{role}@{department}"), "role": role, "department": department, "user_group": group, "clearance": "内部"});
    app.call("POST", "/v1/keys", Some(ADMIN_KEY), Some(&body.to_string())).body["key"].as_str().unwrap().to_string()
}

/// A two-column response with the same expectation and perception on all 22 items.
fn uniform(e: u8, p: u8) -> Value {
    let answers: Vec<Value> = (1..=22).map(|i| json!({"item": i, "expectation": e, "perception": p})).collect();
    json!({"survey_version": 1, "format": "ep", "answers": answers,
           "importance": {"tangibles": 10, "reliability": 30, "responsiveness": 20, "assurance": 20, "empathy": 20},
           "technical": 6, "functional": 5, "found_record": true})
}

#[test]
fn the_instrument_and_its_short_form_are_served() {
    let app = TestApp::start();
    let employee = key(&app, "employee", "办公室", "staff");
    let r = app.get("/v1/surveys/current", Some(&employee));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["version"], 1);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 22);
    assert!(items.iter().all(|i| !i["zh"].as_str().unwrap().is_empty() && !i["en"].as_str().unwrap().is_empty()));
    let short = app.get("/v1/surveys/current?form=short&seed=7", Some(&employee));
    let n = short.body["items"].as_array().unwrap().len();
    assert!((6..=8).contains(&n), "{}", short.body);
    assert_eq!(app.get("/v1/surveys/current?form=short&seed=7", Some(&employee)).body, short.body);
    assert_problem(&app.get("/v1/surveys/current?form=tiny", Some(&employee)), 400, "invalid_parameter");

    // Admins publish a new version; old responses keep theirs.
    let mut next = r.body.clone();
    next["title_zh"] = json!("档案信息服务质量调查（第二版）");
    assert_problem(&app.call("POST", "/v1/surveys", Some(&employee), Some(&next.to_string())), 403, "forbidden");
    let published = app.call("POST", "/v1/surveys", Some(ADMIN_KEY), Some(&next.to_string()));
    assert_eq!(published.status, 201, "{}", published.body);
    assert_eq!(published.body["version"], 2);
    assert_eq!(
        app.call("POST", "/v1/surveys/responses", Some(&employee), Some(&uniform(6, 5).to_string())).status,
        201
    );
    let mut broken = next.clone();
    broken["items"].as_array_mut().unwrap().pop();
    let r = app.call("POST", "/v1/surveys", Some(ADMIN_KEY), Some(&broken.to_string()));
    assert_problem(&r, 400, "invalid_field");
}

#[test]
fn bad_responses_are_refused_field_by_field() {
    let app = TestApp::start();
    let employee = key(&app, "employee", "办公室", "staff");
    let bad = json!({"survey_version": 1, "format": "ep",
        "answers": [{"item": 1, "expectation": 8, "perception": 5}, {"item": 23, "perception": 3},
                    {"item": 2, "expectation": 5, "perception": 5}, {"item": 2, "expectation": 4, "perception": 4},
                    {"item": 3, "minimum": 2}],
        "importance": {"tangibles": 10, "reliability": 30, "responsiveness": 20, "assurance": 20, "empathy": 10}});
    let r = app.call("POST", "/v1/surveys/responses", Some(&employee), Some(&bad.to_string()));
    assert_problem(&r, 400, "invalid_field");
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    for f in ["answers[0].expectation", "answers[1].item", "answers[3].item", "answers[4].minimum", "importance"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    // N/A (null) is allowed per item.
    let na =
        json!({"survey_version": 1, "format": "ep", "answers": [{"item": 1, "expectation": null, "perception": 4}]});
    assert_eq!(app.call("POST", "/v1/surveys/responses", Some(&employee), Some(&na.to_string())).status, 201);
    let unknown_version = json!({"survey_version": 9, "format": "ep", "answers": [{"item": 1, "perception": 4}]});
    assert_problem(
        &app.call("POST", "/v1/surveys/responses", Some(&employee), Some(&unknown_version.to_string())),
        400,
        "invalid_field",
    );
}

#[test]
fn servqual_scores_by_group_with_small_groups_suppressed() {
    let app = TestApp::start();
    // Six respondents in 财务部 (E = 6, P = 5: every gap −1); two in 办公室 (E = 5, P = 7).
    for _ in 0..6 {
        let k = key(&app, "employee", "财务部", "会计");
        assert_eq!(app.call("POST", "/v1/surveys/responses", Some(&k), Some(&uniform(6, 5).to_string())).status, 201);
    }
    for _ in 0..2 {
        let k = key(&app, "employee", "办公室", "staff");
        assert_eq!(app.call("POST", "/v1/surveys/responses", Some(&k), Some(&uniform(5, 7).to_string())).status, 201);
    }
    let analyst = key(&app, "analyst", "质量组", "analysts");
    let employee = key(&app, "employee", "财务部", "会计");
    assert_problem(&app.get("/v1/quality/servqual", Some(&employee)), 403, "forbidden");
    let r = app.get("/v1/quality/servqual?group_by=department", Some(&analyst));
    assert_eq!(r.status, 200, "{}", r.body);
    // Overall: 8 respondents; mean gap = (6·(−1) + 2·(+2)) / 8 = −0.25 in every dimension.
    let overall = &r.body["overall"];
    assert_eq!(overall["n"], 8);
    assert!((overall["unweighted"].as_f64().unwrap() + 0.25).abs() < 1e-9, "{overall}");
    assert!((overall["weighted"].as_f64().unwrap() + 0.25).abs() < 1e-9);
    // SERVPERF = mean perception = (6·5 + 2·7) / 8 = 5.5.
    assert!((overall["servperf"].as_f64().unwrap() - 5.5).abs() < 1e-9);
    let groups = r.body["groups"].as_array().unwrap();
    let finance = groups.iter().find(|g| g["key"] == "财务部").unwrap();
    assert_eq!(finance["suppressed"], false);
    assert!((finance["dimensions"]["reliability"]["score"].as_f64().unwrap() + 1.0).abs() < 1e-9);
    let office = groups.iter().find(|g| g["key"] == "办公室").unwrap();
    assert_eq!(office["suppressed"], true, "2 < the minimum group size of 5");
    assert!(office["unweighted"].is_null() && office["items"].as_array().unwrap().is_empty());
    // CSV for spreadsheets.
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut resp = agent
        .get(&format!("{}/v1/quality/servqual?group_by=department", app.base))
        .header("Authorization", &format!("Bearer {analyst}"))
        .header("Accept", "text/csv")
        .call()
        .unwrap();
    assert!(resp.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
    let text = resp.body_mut().read_to_string().unwrap();
    assert!(text.lines().next().unwrap().starts_with("group,"), "{text}");
    assert!(text.contains("财务部"));
    assert_problem(&app.get("/v1/quality/servqual?group_by=color", Some(&analyst)), 400, "invalid_parameter");
    assert_problem(&app.get("/v1/quality/servqual?since=2020", Some(&analyst)), 400, "unknown_parameter");
}

#[test]
fn usage_indicators_come_from_searches_and_events() {
    let app = TestApp::with_demo();
    let analyst = key(&app, "analyst", "质量组", "analysts");
    let mut employees = Vec::new();
    for _ in 0..5 {
        employees.push(key(&app, "employee", "财务部", "会计"));
    }
    // Five searches that find something and are followed by an open; five that find nothing.
    for k in &employees {
        let r = app.search(k, "业扩报装", "");
        let qid = r.body["query_id"].as_str().unwrap();
        let first = r.body["hits"][0]["id"].as_str().unwrap();
        let ev = json!([{"query_id": qid, "record_id": first, "type": "open"}]).to_string();
        assert_eq!(app.call("POST", "/v1/events", Some(k), Some(&ev)).body["accepted"], 1);
        assert_eq!(app.search(k, "量子纠缠望远镜", "").body["total"], 0);
    }
    let r = app.get("/v1/quality/indicators?group_by=department", Some(&analyst));
    assert_eq!(r.status, 200, "{}", r.body);
    let finance = r.body["groups"].as_array().unwrap().iter().find(|g| g["key"] == "财务部").unwrap().clone();
    assert_eq!(finance["searches"], 10);
    assert!((finance["zero_result_rate"].as_f64().unwrap() - 0.5).abs() < 1e-9, "{finance}");
    assert!((finance["success_rate"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert!(finance["latency_p95_ms"].as_f64().unwrap() >= finance["latency_p50_ms"].as_f64().unwrap());
    assert!(finance["survey"].as_object().unwrap().contains_key("responsiveness"));
}
