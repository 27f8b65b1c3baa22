//! Dictionaries managed by admins: the user dictionary (rebuilds the index in the background
//! while searches go on), synonyms (at once), and how a text is read.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::*;

fn words(body: &Value, key: &str) -> Vec<String> {
    body[key].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_string()).collect()
}

fn wait_idle(app: &TestApp) -> Value {
    let started = Instant::now();
    loop {
        let r = app.get("/v1/admin/reindex", Some(ADMIN_KEY));
        assert_eq!(r.status, 200, "{}", r.body);
        if r.body["state"] != "running" {
            return r.body;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "reindex never finished");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_user_dictionary_word_is_segmented_whole_after_a_background_rebuild() {
    let app = TestApp::with_demo();
    let employee = app.key_for("employee", "内部");
    let analyze = |text: &str| {
        let r = app.get(&format!("/v1/analyze?text={}", encode(text)), Some(&employee));
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
    };
    let before = analyze("江城管家ＡＰＰ使用");
    assert!(!words(&before, "query_words").contains(&"江城管家".to_string()), "{before}");
    assert_eq!(before["normalized"], "江城管家app使用");
    assert_eq!(before["dictionary_version"], 0);
    let total_before = app.search(&employee, "江城管家", "").body["total"].clone();

    // Bad lines: each reported, nothing stored.
    let r = app.call_with("PUT", "/v1/dictionaries/user", ADMIN_KEY, "text/plain", "好词 100\n坏词 many\n，\n");
    assert_problem(&r, 400, "invalid_field");
    let errors = r.body["errors"].to_string();
    assert!(errors.contains("line 2") && errors.contains("line 3"), "{}", r.body);
    assert_eq!(app.get("/v1/dictionaries/user", Some(ADMIN_KEY)).body["version"], 0);

    let r = app.call_with("PUT", "/v1/dictionaries/user", ADMIN_KEY, "text/plain", "# 产品名\n江城管家 2000 nz\n");
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.body["added"], json!(["江城管家"]));
    assert!(r.body["affected_records"].as_u64().unwrap() >= 1, "{}", r.body);
    // Searching goes on during the rebuild, and a record written meanwhile is not lost.
    let mut searches = 0;
    while app.get("/v1/admin/reindex", Some(ADMIN_KEY)).body["state"] == "running" && searches < 200 {
        assert_eq!(app.search(&employee, "江城管家", "").status, 200);
        searches += 1;
    }
    let late = json!({"id": "DICT-LATE-1", "title": "江城管家小程序上线通知", "classification": "公开"});
    assert_eq!(app.post_records(ADMIN_KEY, "application/x-ndjson", late.to_string().as_bytes()).status, 200);
    let status = wait_idle(&app);
    assert_eq!(status["state"], "idle", "{status}");
    assert_eq!(status["serving_dictionary_version"], 1);

    let after = analyze("江城管家ＡＰＰ使用");
    assert!(words(&after, "query_words").contains(&"江城管家".to_string()), "{after}");
    assert_eq!(after["dictionary_version"], 1);
    let r = app.search(&employee, "江城管家", "limit=50");
    assert!(hit_ids(&r.body).contains(&"DICT-LATE-1".to_string()), "{}", r.body);
    // One word now, not 江城 or 管家 anywhere: fewer, and every one is about 江城管家.
    let total = r.body["total"].as_u64().unwrap();
    assert!(total < total_before.as_u64().unwrap(), "{total} vs {total_before}");
    for hit in r.body["hits"].as_array().unwrap() {
        assert!(
            hit["snippet"].as_str().unwrap().contains("<em>江城管家</em>")
                || hit["title"].as_str().unwrap().contains("江城管家"),
            "{hit}"
        );
    }

    // JSON form, and the version history goes on; the dictionary survives a restart without
    // another rebuild.
    let body = json!({"entries": ["江城管家 2000 nz", "业扩报装一站式"]}).to_string();
    let r = app.call_with("PUT", "/v1/dictionaries/user", ADMIN_KEY, "application/json", &body);
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    wait_idle(&app);
    let dir = app.stop().unwrap();
    let app = TestApp::start_in(dir.path());
    let view = app.get("/v1/dictionaries/user", Some(ADMIN_KEY)).body;
    assert_eq!(view["version"], 2);
    assert_eq!(view["entries"], json!(["江城管家 2000 nz", "业扩报装一站式"]));
    assert_eq!(view["reindex"]["serving_dictionary_version"], 2);
    let index_dirs = std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| {
        let n = e.file_name().to_string_lossy().into_owned();
        n == "index" || n.starts_with("index-")
    });
    assert_eq!(index_dirs.count(), 1, "old index directories are removed");
}

#[test]
fn synonyms_apply_to_the_next_query() {
    let app = TestApp::with_demo();
    let employee = app.key_for("employee", "内部");
    assert_eq!(app.search(&employee, "闭路电视", "").body["total"], 0);
    let r = app.call_with("PUT", "/v1/dictionaries/synonyms", ADMIN_KEY, "text/plain", "有线电视，閉路電視\n");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["version"], 1);
    assert!(r.body["affected_records"].as_u64().unwrap() > 0, "{}", r.body);
    let r = app.search(&employee, "闭路电视", "limit=3");
    assert!(r.body["total"].as_u64().unwrap() > 0, "{}", r.body);
    let snippet = r.body["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<em>有线电视</em>") || snippet.contains("<em>有線電視</em>"), "{snippet}");
    let analyzed = app.get(&format!("/v1/analyze?text={}", encode("闭路电视服务")), Some(&employee)).body;
    assert_eq!(analyzed["synonyms"]["闭路电视"], json!(["有线电视"]), "{analyzed}");
    // A group needs two words; a word in two groups is refused.
    let r = app.call_with("PUT", "/v1/dictionaries/synonyms", ADMIN_KEY, "text/plain", "甲 乙\n丙\n乙 丁\n");
    assert_problem(&r, 400, "invalid_field");
}

#[test]
fn dictionaries_are_for_admins() {
    let app = TestApp::start();
    let employee = app.key_for("employee", "内部");
    assert_problem(&app.get("/v1/dictionaries/user", Some(&employee)), 403, "forbidden");
    assert_problem(&app.call_with("PUT", "/v1/dictionaries/user", &employee, "text/plain", "词\n"), 403, "forbidden");
    assert_problem(&app.get("/v1/dictionaries/nope", Some(ADMIN_KEY)), 404, "not_found");
    assert_problem(
        &app.call_with("PUT", "/v1/dictionaries/user", ADMIN_KEY, "application/xml", "<a/>"),
        415,
        "unsupported_media_type",
    );
    assert_problem(&app.get("/v1/analyze", Some(&employee)), 400, "invalid_parameter");
    let r = app.call("POST", "/v1/admin/reindex", Some(ADMIN_KEY), None);
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(wait_idle(&app)["state"], "idle");
}
