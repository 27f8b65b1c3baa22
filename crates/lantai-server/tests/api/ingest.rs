//! Batches: good records kept, bad ones reported by line.

use crate::helpers::*;

#[test]
fn a_batch_with_bad_lines_keeps_the_good_ones() {
    let app = TestApp::start();
    let body = [
        r#"{"id":"ok-1","title":"关于印发安全生产管理办法的通知","classification":"公开"}"#,
        r#"{"id":"bad-date","title":"日期错误","date":"2021-02-30"}"#,
        r#"{"id":"ok-2","content":"业扩报装申请材料","archival_code":"J012-WS-2021-Y-BGS-0015"}"#,
        r#"{not json"#,
        r#"{"title":"没有编号"}"#,
        r#"{"id":"bad-code","title":"档号错误","archival_code":"WS-2021"}"#,
        r#"{"id":"bad-class","title":"密级错误","classification":"保密"}"#,
        r#"{"id":"no-text"}"#,
        r#"{"id":"typo","titel":"拼写错误"}"#,
        r#"{"id":"ok-1","title":"关于印发安全生产管理办法的通知（修订）","classification":"公开"}"#,
    ]
    .join("\n");
    let r = app.post_records(ADMIN_KEY, "application/x-ndjson", body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["accepted"], 2);
    let rejected = r.body["rejected"].as_array().unwrap();
    let lines: Vec<(u64, &str)> =
        rejected.iter().map(|x| (x["line"].as_u64().unwrap(), x["code"].as_str().unwrap())).collect();
    assert_eq!(
        lines,
        [
            (2, "invalid_field"),
            (4, "malformed_json"),
            (5, "missing_field"),
            (6, "invalid_field"),
            (7, "invalid_field"),
            (8, "missing_field"),
            (9, "unknown_field")
        ]
    );
    assert_eq!(rejected[0]["id"], "bad-date");
    assert!(rejected[0]["message"].as_str().unwrap().contains("date"));
    assert_eq!(r.body["superseded"][0]["line"], 1);
    assert_eq!(r.body["superseded"][0]["kept_line"], 10);
    let rec = app.get("/v1/records/ok-1", Some(ADMIN_KEY));
    assert_eq!(rec.body["title"], "关于印发安全生产管理办法的通知（修订）");
    let rec = app.get("/v1/records/ok-2", Some(ADMIN_KEY));
    assert_eq!(rec.body["year"], 2021);
    assert_eq!(rec.body["category"], "WS");
    assert_eq!(rec.body["classification"], "内部", "default from config");
    assert_eq!(rec.body["access"], "开放");
    assert_eq!(app.search(ADMIN_KEY, "", "").body["total"], 2);
    // Upsert does not duplicate.
    assert_eq!(app.ids(ADMIN_KEY, "安全生产管理办法", ""), ["ok-1"]);
}

#[test]
fn json_arrays_and_csv_are_accepted() {
    let app = TestApp::start();
    let array = r#"[
  {"id": "a-1", "title": "物业服务合同", "keywords": ["物业", "合同"]},
  {"id": "a-2", "title": 5},
  {"id": "a-3", "title": "保险账户对账单", "extra": {"页数": 3}}
]"#;
    let r = app.post_records(ADMIN_KEY, "application/json", array.as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["accepted"], 3, "a number is accepted as text: {}", r.body);
    let r = app.post_records(ADMIN_KEY, "application/json", b"[{\"id\": \"x\"},\n 7]");
    assert_eq!(r.body["rejected"][0]["line"], 1);
    assert_eq!(r.body["rejected"][1]["line"], 2);
    assert_eq!(r.body["rejected"][1]["code"], "not_an_object");
    let (csv, _, _) = encoding_rs::GB18030
        .encode("id,title,category,keywords,页数\nc-1,有线电视服务站维修记录,WS,维修;服务站,4\nc-2,,,,\n");
    let r = app.post_records(ADMIN_KEY, "text/csv", &csv);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["accepted"], 1);
    let rec = app.get("/v1/records/c-1", Some(ADMIN_KEY));
    assert_eq!(rec.body["title"], "有线电视服务站维修记录");
    assert_eq!(rec.body["keywords"], serde_json::json!(["维修", "服务站"]));
    assert_eq!(rec.body["extra"]["页数"], "4");
    assert_eq!(r.body["rejected"][0]["line"], 3);
    assert_eq!(app.get("/v1/records/a-3", Some(ADMIN_KEY)).body["extra"]["页数"], 3);
}

#[test]
fn deleted_records_disappear_from_search() {
    let app = TestApp::with_demo();
    assert!(app.ids(ADMIN_KEY, "ABC型配电箱", "").contains(&"JC-KJSB-2019-0961".to_string()));
    assert_eq!(app.delete("/v1/records/JC-KJSB-2019-0961", ADMIN_KEY).status, 204);
    assert!(!app.ids(ADMIN_KEY, "ABC型配电箱", "").contains(&"JC-KJSB-2019-0961".to_string()));
    assert_problem(&app.get("/v1/records/JC-KJSB-2019-0961", Some(ADMIN_KEY)), 404, "not_found");
    assert_problem(&app.delete("/v1/records/JC-KJSB-2019-0961", ADMIN_KEY), 404, "not_found");
}
