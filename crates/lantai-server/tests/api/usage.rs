//! Usage events (利用登记): accepted after one's own searches, on records one may see.

use serde_json::json;

use crate::helpers::*;

#[test]
fn events_follow_own_searches_on_visible_records() {
    let app = TestApp::with_demo();
    let employee = app.key_for("employee", "内部");
    let other = app.key_for("employee", "内部");
    let r = app.search(&employee, "业扩报装", "limit=5");
    let query_id = r.body["query_id"].as_str().unwrap().to_string();
    let first = r.body["hits"][0]["id"].as_str().unwrap().to_string();
    let secret = DEMO
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["classification"] == "机密")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let events = json!([
        {"query_id": query_id, "record_id": first, "type": "open"},
        {"query_id": query_id, "record_id": first, "type": "dwell", "dwell_ms": 45000, "position": 1},
        {"query_id": "nope", "record_id": first, "type": "open"},
        {"query_id": query_id, "record_id": secret, "type": "download"},
        {"query_id": query_id, "record_id": first, "type": "like"},
    ])
    .to_string();
    let r = app.call("POST", "/v1/events", Some(&employee), Some(&events));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["accepted"], 2);
    let codes: Vec<(u64, &str)> = r.body["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["index"].as_u64().unwrap(), x["code"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, [(2, "unknown_query"), (3, "unknown_record"), (4, "invalid_type")]);
    // Someone else cannot post events against my search.
    let theirs = json!([{"query_id": query_id, "record_id": first, "type": "open"}]).to_string();
    let r = app.call("POST", "/v1/events", Some(&other), Some(&theirs));
    assert_eq!(r.body["rejected"][0]["code"], "unknown_query");
    assert_problem(&app.call("POST", "/v1/events", Some(&employee), Some("{\"a\":1}")), 400, "malformed_json");
}
