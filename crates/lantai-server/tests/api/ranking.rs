//! Ranking from usage, driven as employees would: search, open, download; then look again.

use serde_json::Value;

use crate::helpers::*;

fn quiet_app() -> TestApp {
    // No randomised swaps: these tests compare orders.
    let app = TestApp::start_with(|c| c.ranking.swap_rate = 0.0);
    let r = app.post_records(ADMIN_KEY, "application/x-ndjson", DEMO.as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    app
}

fn rank_of(ids: &[String], id: &str) -> Option<usize> {
    ids.iter().position(|x| x == id)
}

#[test]
fn a_record_used_for_one_query_climbs_for_similar_queries() {
    let app = quiet_app();
    let alice = app.employee_in("基建部");
    let bob = app.employee_in("财务部");
    // Two wordings of one need: the record people use after the first should climb for the second.
    let (first, second) = ("东湖花园 物业", "东湖花园 物业服务 资料");
    let cold_first = app.ids(&alice, first, "limit=20");
    let cold_second = app.ids(&bob, second, "limit=20");
    let target = cold_first
        .iter()
        .skip(4)
        .find(|id| rank_of(&cold_second, id).is_some_and(|r| r >= 3))
        .expect("a record deep in both lists")
        .clone();
    let before = rank_of(&cold_second, &target).unwrap();
    for _ in 0..3 {
        app.use_records(
            &alice,
            first,
            &[(&target, "open", None), (&target, "dwell", Some(60_000)), (&target, "download", None)],
        );
    }
    let after = app.ids(&bob, second, "limit=20");
    let now = rank_of(&after, &target).expect("still found");
    assert!(now < before, "{target} was {before}th for {second:?}, now {now}th: {after:?}");
    // The first wording learned it most directly.
    assert_eq!(rank_of(&app.ids(&bob, first, "limit=20"), &target), Some(0));

    // explain=true shows why; the model summary (admin only) shows what was learned.
    let r = app.search(&bob, second, "limit=20&explain=true");
    let hit = r.body["hits"].as_array().unwrap().iter().find(|h| h["id"] == target.as_str()).unwrap();
    let explain = &hit["explain"];
    assert!(explain["features"]["association"].as_f64().unwrap() > 0.0, "{explain}");
    assert!(explain["total"].as_f64().unwrap() > explain["features"]["relevance"].as_f64().unwrap(), "{explain}");
    assert!(r.body["intent"]["explanation"].as_str().unwrap().contains("利用记录"), "{}", r.body["intent"]);
    let model = app.get("/v1/ranking/model", Some(ADMIN_KEY));
    assert_eq!(model.status, 200, "{}", model.body);
    assert_eq!(model.body["events"], 9);
    assert!(model.body["popular"].as_array().unwrap().iter().any(|p| p["record_id"] == target.as_str()));
    assert!(model.body["top_terms"].as_array().unwrap().iter().any(|t| t["term"] == "物业"), "{}", model.body);
    assert_eq!(model.body["position_bias"][0]["propensity"], 1.0);
    assert_problem(&app.get("/v1/ranking/model", Some(&bob)), 403, "forbidden");
    assert_problem(&app.get("/v1/ranking/model?top=0", Some(ADMIN_KEY)), 400, "invalid_parameter");
}

#[test]
fn not_useful_pushes_a_record_down() {
    let app = quiet_app();
    let alice = app.employee_in("办公室");
    let q = "物业服务";
    let cold = app.ids(&alice, q, "limit=10");
    let top = cold[0].clone();
    for _ in 0..3 {
        app.use_records(&alice, q, &[(&top, "open", None), (&top, "feedback_not_useful", None)]);
    }
    let after = app.ids(&alice, q, "limit=10");
    assert!(rank_of(&after, &top).is_none_or(|r| r > 0), "{after:?}");
}

/// Category entropy (bits) of the first ten hits, by count.
fn entropy(body: &Value) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let hits = body["hits"].as_array().unwrap();
    for h in hits.iter().take(10) {
        *counts.entry(h["category"].as_str().unwrap_or("").to_string()).or_insert(0.0) += 1.0;
    }
    let n: f64 = counts.values().sum();
    counts.values().map(|c| c / n).map(|p: f64| -p * p.log2()).sum()
}

#[test]
fn a_department_prior_reorders_ambiguous_queries_and_never_clear_ones() {
    let app = quiet_app();
    let builder = app.employee_in("基建部");
    let accountant = app.employee_in("财务部");
    // 基建部 uses construction records (KJ·JJ), 财务部 accounting ones (KU), for their own queries.
    for (key, q, category) in [(&builder, "工程", "KJ·JJ"), (&accountant, "凭证", "KU"), (&accountant, "账簿", "KU")]
    {
        let r = app.search(key, q, "limit=20");
        let ids: Vec<String> = r.body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["category"] == category)
            .map(|h| h["id"].as_str().unwrap().to_string())
            .take(4)
            .collect();
        assert!(!ids.is_empty(), "{q}");
        let events: Vec<(&str, &str, Option<u64>)> = ids.iter().map(|id| (id.as_str(), "download", None)).collect();
        for _ in 0..3 {
            app.use_records(key, q, &events);
        }
    }
    // A clear query (one dominant category in its best matches): the same order for both.
    let clear = ["变压器", "花名册", "专利"]
        .into_iter()
        .find(|q| entropy(&app.search(&builder, q, "limit=10").body) < 1.0)
        .expect("a clear query in the demo archive");
    assert_eq!(app.ids(&builder, clear, "limit=10"), app.ids(&accountant, clear, "limit=10"), "{clear}");
    // An ambiguous one: the department's category comes first for each of them.
    let ambiguous = ["东湖花园", "业扩报装", "2018年", "供水 工程 合同", "2019年"]
        .into_iter()
        .find(|q| {
            let body = app.search(&accountant, q, "limit=20").body;
            let has_jj = body["hits"].as_array().unwrap().iter().skip(1).any(|h| h["category"] == "KJ·JJ");
            entropy(&body) > 2.0 && has_jj
        })
        .expect("an ambiguous query in the demo archive");
    let first_of = |key: &str, category: &str| {
        let r = app.search(key, ambiguous, "limit=20&explain=true");
        let hits = r.body["hits"].as_array().unwrap().clone();
        let at = hits.iter().position(|h| h["category"] == category);
        (at, hits)
    };
    let (builder_jj, hits) = first_of(&builder, "KJ·JJ");
    let (accountant_jj, _) = first_of(&accountant, "KJ·JJ");
    assert!(builder_jj.is_some(), "{ambiguous}: {hits:?}");
    assert!(builder_jj.unwrap() <= accountant_jj.unwrap_or(usize::MAX), "{ambiguous}");
    assert!(hits.iter().any(|h| h["explain"]["features"]["group"].as_f64().unwrap() > 0.0), "{ambiguous}");
}

#[test]
fn randomised_swaps_never_touch_the_answer_card() {
    let app = TestApp::start_with(|c| c.ranking.swap_rate = 1.0);
    let r = app.post_records(ADMIN_KEY, "application/x-ndjson", DEMO.as_bytes());
    assert_eq!(r.status, 200);
    let employee = app.employee_in("办公室");
    let record: Value = DEMO
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["archival_code"].is_string() && r["classification"] == "公开")
        .unwrap();
    let code = record["archival_code"].as_str().unwrap();
    let topical = "物业服务";
    let cold_topical = app.ids(&employee, topical, "limit=10");
    // With usage learned (a record other than the answer used after searching its 档号), the
    // answer still comes first.
    let other = cold_topical.iter().find(|id| **id != record["id"]).unwrap().clone();
    app.use_records(&employee, code, &[(&other, "download", None)]);
    let mut moved = false;
    for _ in 0..20 {
        let r = app.search(&employee, code, "limit=10");
        assert_eq!(r.body["hits"][0]["id"], record["id"], "{}", r.body);
        assert_eq!(r.body["hits"][0]["answer"], true);
        moved |= app.ids(&employee, topical, "limit=10") != cold_topical;
    }
    assert!(moved, "with swap_rate 1 a topical first page shows a swapped pair");
}

#[test]
fn the_model_survives_a_restart() {
    let app = quiet_app();
    let alice = app.employee_in("基建部");
    let q = "东湖花园 物业";
    let target = app.ids(&alice, q, "limit=10")[5].clone();
    app.use_records(&alice, q, &[(&target, "download", None)]);
    let learned = app.ids(&alice, q, "limit=10");
    let summary = app.get("/v1/ranking/model", Some(ADMIN_KEY)).body;
    let dir = app.stop().unwrap();
    let app = TestApp::start_in(dir.path());
    assert_eq!(app.get("/v1/ranking/model", Some(ADMIN_KEY)).body["events"], summary["events"]);
    let alice = app.employee_in("基建部");
    assert_eq!(app.ids(&alice, q, "limit=10"), learned);
}
