//! Everything survives a restart; the index catches up from the change log.

use crate::helpers::*;

#[test]
fn ingest_search_restart_search() {
    let temp = tempfile::tempdir().unwrap();
    let app = TestApp::start_in(temp.path());
    let r = app.post_records(ADMIN_KEY, "application/x-ndjson", DEMO.as_bytes());
    assert_eq!(r.status, 200);
    let employee = app.key_for("employee", "秘密");
    let before = app.search(&employee, "业扩报装", "limit=100");
    assert_eq!(app.delete("/v1/records/JC-WS-2021-0901", ADMIN_KEY).status, 204);
    app.stop();

    let app = TestApp::start_in(temp.path());
    let after = app.search(&employee, "业扩报装", "limit=100");
    assert_eq!(after.status, 200, "keys survive a restart");
    assert_eq!(hit_ids(&before.body), hit_ids(&after.body));
    assert_eq!(before.body["total"], after.body["total"]);
    assert_problem(&app.get("/v1/records/JC-WS-2021-0901", Some(ADMIN_KEY)), 404, "not_found");
    assert_eq!(app.search(ADMIN_KEY, "", "limit=1").body["total"], DEMO.lines().count() - 1);
}

#[test]
fn a_lost_index_is_rebuilt_from_the_store() {
    let temp = tempfile::tempdir().unwrap();
    let app = TestApp::start_in(temp.path());
    assert_eq!(app.post_records(ADMIN_KEY, "application/x-ndjson", DEMO.as_bytes()).status, 200);
    let before = app.ids(ADMIN_KEY, "有线电视服务站", "limit=50");
    app.stop();
    std::fs::remove_dir_all(temp.path().join("index")).unwrap();
    let app = TestApp::start_in(temp.path());
    assert_eq!(app.ids(ADMIN_KEY, "有线电视服务站", "limit=50"), before);
}
