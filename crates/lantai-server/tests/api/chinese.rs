//! Chinese done right: sub-words, phrases, traditional and full-width text, snippets.

use crate::helpers::*;

#[test]
fn sub_words_are_found_inside_longer_words() {
    let app = TestApp::with_demo();
    let ids = app.ids(ADMIN_KEY, "处理", "limit=50");
    for id in ["JC-WS-2023-0911", "JC-WS-2022-0912", "JC-KU-2022-0913", "JC-KJSB-2024-0914"] {
        assert!(ids.contains(&id.to_string()), "处理 should find 待处理 in {id}: {ids:?}");
    }
    let ids = app.ids(ADMIN_KEY, "农业", "limit=50");
    for id in ["JC-WS-2018-0933", "JC-KJJJ-2019-0932", "JC-KU-2019-0931"] {
        assert!(ids.contains(&id.to_string()), "农业 should find 中国农业发展银行 in {id}: {ids:?}");
    }
    let ids = app.ids(ADMIN_KEY, "清华", "limit=50");
    for id in ["JC-KJKY-2020-0941", "JC-KJKY-2022-0942", "JC-ZP-2021-0943"] {
        assert!(ids.contains(&id.to_string()), "清华 should find 清华大学 in {id}: {ids:?}");
    }
}

#[test]
fn whole_word_matches_rank_above_sub_word_matches() {
    let app = TestApp::start();
    let batch = "{\"id\":\"sub\",\"title\":\"待处理工单登记簿\"}\n{\"id\":\"whole\",\"title\":\"处理结果登记簿\"}\n";
    assert_eq!(app.post_records(ADMIN_KEY, "application/x-ndjson", batch.as_bytes()).status, 200);
    assert_eq!(app.ids(ADMIN_KEY, "处理", ""), ["whole", "sub"]);
}

#[test]
fn quoted_phrases_match_only_adjacent_words() {
    let app = TestApp::with_demo();
    let loose = app.ids(ADMIN_KEY, "有线电视 服务站", "limit=100");
    assert!(
        loose.contains(&"JC-WS-2021-0901".to_string()) && loose.contains(&"JC-WS-2022-0902".to_string()),
        "{loose:?}"
    );
    let phrase = app.ids(ADMIN_KEY, "\"有线电视服务站\"", "limit=100");
    assert!(phrase.contains(&"JC-WS-2021-0901".to_string()), "{phrase:?}");
    assert!(!phrase.contains(&"JC-WS-2022-0902".to_string()), "words far apart must not match the phrase: {phrase:?}");
    // Chinese corner brackets work as quotes too, and the phrase also matches traditional text.
    let corner = app.ids(ADMIN_KEY, "「有线电视服务站」", "limit=100");
    assert_eq!(phrase.len(), corner.len());
    assert!(phrase.contains(&"JC-WS-2009-0951".to_string()), "traditional 有線電視服務站: {phrase:?}");
    // Exclusion removes records containing the word.
    let excluded = app.ids(ADMIN_KEY, "\"有线电视服务站\" -安全生产", "limit=100");
    assert!(!excluded.contains(&"JC-WS-2021-0901".to_string()));
    assert!(excluded.len() < phrase.len());
}

#[test]
fn traditional_and_simplified_find_each_other() {
    let app = TestApp::with_demo();
    let ids = app.ids(ADMIN_KEY, "有线电视服务站维修费用", "limit=10");
    assert!(ids.contains(&"JC-WS-2009-0951".to_string()), "simplified query, traditional record: {ids:?}");
    let simplified = app.ids(ADMIN_KEY, "业扩报装", "limit=100");
    let traditional = app.ids(ADMIN_KEY, "業擴報裝", "limit=100");
    assert_eq!(simplified, traditional);
    assert!(simplified.contains(&"JC-KJJJ-2012-0953".to_string()));
    assert!(simplified.len() >= 15);
}

#[test]
fn full_width_and_half_width_find_each_other() {
    let app = TestApp::with_demo();
    let ids = app.ids(ADMIN_KEY, "ABC型配电箱", "limit=5");
    assert_eq!(ids.first().map(String::as_str), Some("JC-KJSB-2019-0961"), "{ids:?}");
    let ids = app.ids(ADMIN_KEY, "led显示屏", "limit=5");
    assert!(ids.contains(&"JC-KJCP-2020-0962".to_string()), "{ids:?}");
    let ids = app.ids(ADMIN_KEY, "１０kv", "limit=50");
    assert!(ids.contains(&"JC-KJJJ-2017-0964".to_string()), "{ids:?}");
}

#[test]
fn snippets_highlight_whole_characters_in_mixed_text() {
    let app = TestApp::with_demo();
    let r = app.search(ADMIN_KEY, "机顶盒", "limit=20");
    let hit =
        r.body["hits"].as_array().unwrap().iter().find(|h| h["id"] == "JC-KJCP-2022-0971").expect("emoji record found");
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(snippet.contains("<em>机顶盒</em>"), "{snippet}");
    // Every highlighted span is exactly a query match, never part of a character.
    for r in [app.search(ADMIN_KEY, "处理", "limit=50"), app.search(ADMIN_KEY, "拍摄", "limit=50")] {
        for hit in r.body["hits"].as_array().unwrap() {
            let s = hit["snippet"].as_str().unwrap();
            for part in s.split("<em>").skip(1) {
                let marked = part.split("</em>").next().unwrap();
                assert!(["处理", "處理", "拍摄", "拍攝"].contains(&marked), "{marked:?} in {s}");
            }
            assert!(!s.contains('\u{FFFD}'));
        }
    }
    // Markup in records is escaped, never passed through.
    let r = app.post_records(
        ADMIN_KEY,
        "application/x-ndjson",
        "{\"id\":\"X-1\",\"title\":\"<script>alert(1)</script>待处理📷工单\"}".as_bytes(),
    );
    assert_eq!(r.status, 200);
    let r = app.search(ADMIN_KEY, "工单", "limit=50");
    let hit = r.body["hits"].as_array().unwrap().iter().find(|h| h["id"] == "X-1").unwrap();
    assert_eq!(hit["snippet"], "&lt;script&gt;alert(1)&lt;/script&gt;待处理📷<em>工单</em>");
}

#[test]
fn tokens_show_how_the_query_was_segmented() {
    let app = TestApp::with_demo();
    let r = app.search(ADMIN_KEY, "關於業擴報裝的通知", "");
    let tokens: Vec<&str> = r.body["tokens"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(tokens.contains(&"业扩报装") && tokens.contains(&"通知"), "{tokens:?}");
}

#[test]
fn a_pasted_questions_common_words_can_rank_without_widening_the_match() {
    // 规定 and 办法 are in all 300 records; 仲裁 and 时效 in twelve.
    let mut batch = String::new();
    for i in 0..288 {
        batch.push_str(&format!("{{\"id\":\"common-{i:03}\",\"title\":\"关于印发管理办法的规定 第{i}号\"}}\n"));
    }
    for i in 0..12 {
        batch.push_str(&format!("{{\"id\":\"rare-{i:02}\",\"title\":\"劳动争议仲裁时效{i}天的规定和办法\"}}\n"));
    }
    let question = "劳动争议的仲裁时效有什么规定和办法，期限怎么计算，到期以后还能向单位提出申请吗，需要哪些材料和程序";
    let total = |app: &TestApp| {
        assert_eq!(app.post_records(ADMIN_KEY, "application/x-ndjson", batch.as_bytes()).status, 200);
        let r = app.search(ADMIN_KEY, question, "limit=10");
        assert_eq!(r.status, 200, "{}", r.body);
        (r.body["total"].as_u64().unwrap(), hit_ids(&r.body))
    };
    // The default: every word widens the match.
    assert_eq!(total(&TestApp::start()).0, 300);
    // Set for a large archive: the common words only rank what the informative ones match.
    let app = TestApp::start_with(|c| {
        c.index.common_word_share = 0.05;
        c.index.rescore_depth = 10;
    });
    let (total, ids) = total(&app);
    assert_eq!(total, 12, "{ids:?}");
    assert!(ids.iter().all(|id| id.starts_with("rare-")), "{ids:?}");
}
