//! Known-item queries: an 档号, a 文号 or an exact title puts that record first, as the answer.

use serde_json::Value;

use crate::helpers::*;

fn first(app: &TestApp, q: &str) -> Value {
    let r = app.search(ADMIN_KEY, q, "limit=3");
    assert_eq!(r.status, 200, "{q}: {}", r.body);
    r.body
}

#[test]
fn every_archival_code_and_doc_number_finds_its_record_first() {
    let app = TestApp::with_demo();
    let records: Vec<Value> = DEMO.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (mut codes, mut numbers) = (0, 0);
    for r in &records {
        let id = r["id"].as_str().unwrap();
        if let Some(code) = r["archival_code"].as_str() {
            let body = first(&app, code);
            assert_eq!(body["hits"][0]["id"], id, "档号 {code}");
            assert_eq!(body["hits"][0]["answer"], true, "档号 {code}");
            assert_eq!(body["intent"]["kind"], "known_item");
            // The other separator style (DA/T 13: a dash before the year) names it too.
            if let Some((head, tail)) = code.rsplit_once('·') {
                if tail.len() > 4 && tail[..4].chars().all(|c| c.is_ascii_digit()) {
                    let other = format!("{head}-{tail}");
                    assert_eq!(first(&app, &other)["hits"][0]["id"], id, "档号 {other}");
                }
            }
            codes += 1;
        }
        if let Some(number) = r["doc_number"].as_str() {
            let body = first(&app, number);
            assert_eq!(body["hits"][0]["id"], id, "文号 {number}");
            assert_eq!(body["hits"][0]["answer"], true);
            let bracketed = number.replace('〔', "[").replace('〕', "]");
            assert_eq!(first(&app, &bracketed)["hits"][0]["id"], id, "文号 {bracketed}");
            numbers += 1;
        }
    }
    assert!(codes > 300 && numbers > 50, "{codes} codes, {numbers} numbers");
}

#[test]
fn the_answer_card_has_what_an_employee_acts_on() {
    let app = TestApp::with_demo();
    let body = first(&app, "关于印发《有线电视服务站安全生产管理办法》的通知");
    let hit = &body["hits"][0];
    assert_eq!(hit["id"], "JC-WS-2021-0901");
    assert_eq!(hit["answer"], true);
    for field in ["archival_code", "title", "date", "creator", "location"] {
        assert!(hit[field].is_string(), "{field} missing: {hit}");
    }
    assert!(body["intent"]["explanation"].as_str().unwrap().contains("题名"));
    // A topical query has no answer, and says why its hits rank as they do.
    let body = first(&app, "业扩报装 竣工验收");
    assert!(body["hits"].as_array().unwrap().iter().all(|h| h["answer"] == false));
    assert_eq!(body["intent"]["kind"], "topical");
    let weights: f64 =
        body["intent"]["categories"].as_array().unwrap().iter().map(|c| c["weight"].as_f64().unwrap()).sum();
    assert!(weights > 0.5 && weights <= 1.0001, "{}", body["intent"]);
    assert!(body["intent"]["explanation"].as_str().unwrap().contains("业扩报装"));
    // An invisible record is never the answer.
    let employee = app.key_for("employee", "公开");
    let secret = DEMO
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["classification"] == "机密" && r["archival_code"].is_string())
        .unwrap();
    let r = app.search(&employee, secret["archival_code"].as_str().unwrap(), "");
    assert!(r.body["hits"].as_array().unwrap().iter().all(|h| h["id"] != secret["id"] && h["answer"] == false));
}
