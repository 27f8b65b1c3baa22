//! The click model and estimators, checked against users simulated with known behaviour.

use lantai_model::EventKind;
use lantai_rank::{rerank, Candidate, Interaction, PositionBias, QueryContext, RankModel, RankParams, Session};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn session(query: &str, terms: &[&str], department: &str, shown: &[&str]) -> Session {
    Session {
        query_key: query.to_string(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
        department: department.to_string(),
        user_group: String::new(),
        at_ms: 0,
        shown: shown.iter().map(|s| s.to_string()).collect(),
        randomised_pair: None,
    }
}

fn event(
    seq: u64,
    query_id: &str,
    record: &str,
    category: &str,
    kind: EventKind,
    dwell_ms: Option<u64>,
) -> Interaction {
    Interaction {
        seq,
        at_ms: seq as i64 * 1000,
        query_id: query_id.to_string(),
        record_id: record.to_string(),
        category: Some(category.to_string()),
        kind,
        position: None,
        dwell_ms,
    }
}

fn candidates(ids: &[(&str, &str, f32)]) -> Vec<Candidate> {
    ids.iter().map(|(id, c, s)| Candidate { id: id.to_string(), category: Some(c.to_string()), score: *s }).collect()
}

fn ctx<'a>(query: &'a str, terms: &'a [(String, f64)], department: &'a str) -> QueryContext<'a> {
    QueryContext { query_key: query, terms, department, user_group: "", now_ms: 10_000 }
}

#[test]
fn without_usage_the_order_is_the_text_order() {
    let model = RankModel::default();
    let params = RankParams::default();
    let terms = vec![("合同".to_string(), 2.0)];
    let scorer = model.scorer(&ctx("合同", &terms, ""), &params);
    assert!(!scorer.is_active());
    let out = rerank(candidates(&[("a", "WS", 3.0), ("b", "WS", 2.0), ("c", "KJ", 2.0), ("d", "WS", 0.5)]), &scorer);
    let ids: Vec<&str> = out.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
}

#[test]
fn a_record_used_after_one_query_climbs_for_a_similar_query() {
    let params = RankParams::default();
    let mut model = RankModel::default();
    let shown = ["a", "b", "c", "d", "e", "f", "g", "h"];
    // Someone searched 劳动 合同 解除, scrolled to rank 8 and downloaded it.
    let s = session("劳动 合同 解除", &["劳动", "合同", "解除"], "人事处", &shown);
    model.fold(&event(1, "q1", "h", "WS", EventKind::Open, None), || Some(s.clone()), &params);
    model.fold(&event(2, "q1", "h", "WS", EventKind::Download, None), || None, &params);
    // A different person asks about 解除 合同 赔偿.
    let terms = vec![("解除".to_string(), 3.0), ("合同".to_string(), 1.5), ("赔偿".to_string(), 2.5)];
    let scorer = model.scorer(&ctx("解除 合同 赔偿", &terms, "财务处"), &params);
    let cands = candidates(&[("a", "WS", 9.0), ("b", "WS", 8.5), ("c", "WS", 8.0), ("h", "WS", 5.0)]);
    let out = rerank(cands, &scorer);
    let rank_of_h = out.iter().position(|s| s.id == "h").unwrap();
    assert!(rank_of_h < 3, "h should climb from 4th: {out:#?}");
    assert_eq!(scorer.candidates(), ["h"], "and is offered even when the text misses it");
}

#[test]
fn a_quick_return_teaches_less_than_a_satisfied_click_and_not_useful_pushes_down() {
    let params = RankParams::default();
    let shown = ["a", "b"];
    let run = |events: &[(EventKind, Option<u64>)]| {
        let mut model = RankModel::default();
        let s = session("档案", &["档案"], "", &shown);
        for (i, (k, d)) in events.iter().enumerate() {
            model.fold(&event(i as u64 + 1, "q", "b", "WS", *k, *d), || Some(s.clone()), &params);
        }
        let terms = vec![("档案".to_string(), 1.0)];
        model.scorer(&ctx("其他", &terms, ""), &params).features("b", Some("WS")).association
    };
    let quick = run(&[(EventKind::Open, None), (EventKind::Dwell, Some(2_000))]);
    let open = run(&[(EventKind::Open, None)]);
    let used = run(&[(EventKind::Open, None), (EventKind::Dwell, Some(60_000))]);
    let not_useful = run(&[(EventKind::Open, None), (EventKind::FeedbackNotUseful, None)]);
    assert!(used > open && open > quick && quick >= 0.0, "{used} {open} {quick}");
    assert!(not_useful < 0.0);
}

#[test]
fn a_department_prior_moves_ambiguous_queries_only() {
    let params = RankParams::default();
    let mut model = RankModel::default();
    let mut seq = 0;
    // 基建处 uses 基建 (KJ·JJ) records much more than others do.
    for i in 0..20 {
        let (dept, cat) = if i % 2 == 0 { ("基建处", "KJ·JJ") } else { ("办公室", "WS") };
        let s = session(&format!("q{i}"), &[&format!("t{i}")], dept, &["x"]);
        seq += 1;
        model.fold(
            &event(seq, &format!("s{i}"), &format!("r{i}"), cat, EventKind::Download, None),
            || Some(s),
            &params,
        );
    }
    let terms = vec![("新词".to_string(), 2.0)];
    let cands = || candidates(&[("w", "WS", 10.0), ("k", "KJ·JJ", 9.5)]);
    // Clear: every good text match is 文书.
    let clear = vec![("WS".to_string(), 1.0)];
    let mut scorer = model.scorer(&ctx("新词", &terms, "基建处"), &params);
    scorer.consider_ambiguity(&clear);
    let out = rerank(cands(), &scorer);
    assert_eq!(out[0].id, "w");
    assert_eq!(out[1].features.group, 0.0);
    // Ambiguous: the matches spread over four categories.
    let spread: Vec<(String, f64)> = ["WS", "KJ·JJ", "KJ·KY", "SX"].iter().map(|c| (c.to_string(), 0.25)).collect();
    let mut scorer = model.scorer(&ctx("新词", &terms, "基建处"), &params);
    scorer.consider_ambiguity(&spread);
    let out = rerank(cands(), &scorer);
    assert_eq!(out[0].id, "k", "{out:#?}");
    assert!(out[0].features.group > 0.0);
}

/// Simulated users with a known examination curve p(k) = k^-eta: the RandPair estimate recovers it.
fn simulate_bias(eta: f64, searches: usize, seed: u64) -> PositionBias {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut bias = PositionBias::default();
    for _ in 0..searches {
        let k: u32 = rng.random_range(1..=9);
        bias.note_randomised(k);
        // Relevance probability of each rank's record decreases with rank, as in real lists.
        for pos in 1..=10u32 {
            let examined = rng.random::<f64>() < f64::from(pos).powf(-eta);
            let relevant = rng.random::<f64>() < 0.6 / f64::from(pos).sqrt();
            // The randomised pair shares its records' relevance in expectation.
            let relevant = if pos == k || pos == k + 1 {
                rng.random::<f64>() < 0.5 * (0.6 / f64::from(k).sqrt() + 0.6 / f64::from(k + 1).sqrt())
            } else {
                relevant
            };
            if examined && relevant {
                bias.note_click(pos, Some(k));
            }
        }
    }
    bias
}

#[test]
fn randpair_recovers_a_known_examination_curve() {
    for eta in [0.5, 1.0, 1.5] {
        let bias = simulate_bias(eta, 60_000, 7);
        for k in [2u32, 3, 5] {
            let truth = f64::from(k).powf(-eta);
            let est = bias.propensity(k);
            assert!((est / truth - 1.0).abs() < 0.2, "eta {eta} rank {k}: estimated {est:.3}, true {truth:.3}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Propensities never increase with rank, stay in (0, 1], and inverse weights respect the clip.
    #[test]
    fn propensities_are_monotone_and_bounded(clicks in proptest::collection::vec((1u32..12, 1u32..11), 0..200), max in 1.0f64..50.0) {
        let mut bias = PositionBias::default();
        for (pos, k) in clicks {
            bias.note_randomised(k);
            bias.note_click(pos, Some(k));
        }
        let mut last = 1.0;
        for pos in 1..30 {
            let p = bias.propensity(pos);
            prop_assert!(p > 0.0 && p <= last + 1e-12);
            prop_assert!(bias.inverse(pos, max) <= max + 1e-12);
            last = p;
        }
    }

    /// The model is a fold: replaying the same events (even twice) gives the same model.
    #[test]
    fn replay_gives_the_same_model(events in proptest::collection::vec((0usize..4, 0usize..5, 0usize..7, proptest::option::of(0u64..90_000)), 1..60)) {
        let params = RankParams::default();
        let kinds = [EventKind::Open, EventKind::Dwell, EventKind::Download, EventKind::Copy, EventKind::BorrowRequest, EventKind::FeedbackUseful, EventKind::FeedbackNotUseful];
        let build = |times: usize| {
            let mut model = RankModel::default();
            for _ in 0..times {
                for (i, (q, r, k, d)) in events.iter().enumerate() {
                    let s = session(&format!("query {q}"), &["甲", if q % 2 == 0 { "乙" } else { "丙" }], "d", &["r0", "r1", "r2", "r3", "r4"]);
                    let e = event(i as u64 + 1, &format!("q{q}"), &format!("r{r}"), "WS", kinds[*k], *d);
                    model.fold(&e, || Some(s), &params);
                }
            }
            model
        };
        let once = build(1);
        prop_assert_eq!(&once, &build(2));
        let json = serde_json::to_string(&once).unwrap();
        let back: RankModel = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(once, back);
    }
}
