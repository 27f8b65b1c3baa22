//! Snapshots of the API's shapes (ids and timings redacted): a change to the contract shows up
//! as a diff here.

use crate::helpers::*;

#[test]
fn search_response_shape() {
    let app = TestApp::start();
    let batch = r#"{"id":"S-1","archival_code":"J012-WS·2021-Y-BGS-0015","title":"关于印发《有线电视服务站安全生产管理办法》的通知","doc_number":"江城公用发〔2021〕15号","creator":"办公室","date":"2021-03-05","classification":"公开","content":"为加强有线电视服务站安全生产管理，制定本办法。"}"#;
    assert_eq!(app.post_records(ADMIN_KEY, "application/x-ndjson", batch.as_bytes()).status, 200);
    let r = app.search(ADMIN_KEY, "服务站 安全", "");
    insta::assert_json_snapshot!(r.body, {".query_id" => "[uuid]", ".took_ms" => "[ms]", ".hits[].score" => "[score]"});
}

#[test]
fn batch_report_and_problem_shapes() {
    let app = TestApp::start();
    let r = app.post_records(ADMIN_KEY, "application/x-ndjson", b"{\"id\":\"a\",\"title\":\"t\"}\n{\"id\":\"b\"}\n");
    insta::assert_json_snapshot!(r.body, {".batch_id" => "[uuid]"});
    let r = app.search(ADMIN_KEY, "x", "page=2");
    insta::assert_json_snapshot!(r.body);
}
