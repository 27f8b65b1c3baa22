//! Every formula checked against arithmetic done by hand, with the working in the comments.
//!
//! Fractions are kept exact in the comments; the assertions use a 1e-9 tolerance.

use lantai_quality::{
    cronbach_alpha, indicators, nearest_rank, score_group, summarize, Answer, Dimension, EventFact, Format, Importance,
    Response, Scored, SearchFact,
};

const TOL: f64 = 1e-9;

#[track_caller]
fn close(actual: Option<f64>, expected: f64) {
    match actual {
        Some(a) => assert!((a - expected).abs() < TOL, "expected {expected}, got {a}"),
        None => panic!("expected {expected}, got None"),
    }
}

fn response(format: Format, answers: Vec<Answer>) -> Response {
    Response {
        survey_version: 1,
        format,
        answers,
        importance: None,
        technical: None,
        functional: None,
        found_record: None,
        comment: None,
        query_id: None,
        record_id: None,
    }
}

/// An "ep" response from (item, E, P) triples.
fn ep(answers: &[(u8, Option<f64>, Option<f64>)]) -> Response {
    let answers = answers
        .iter()
        .map(|&(item, e, p)| Answer {
            item,
            expectation: e,
            perception: p,
            minimum: None,
            desired: None,
            perceived: None,
        })
        .collect();
    response(Format::Ep, answers)
}

/// (item, minimum, desired, perceived) of a "zot" answer.
type ZotCell = (u8, Option<f64>, Option<f64>, Option<f64>);

/// A "zot" response from its cells.
fn zot(answers: &[ZotCell]) -> Response {
    let answers = answers
        .iter()
        .map(|&(item, lo, hi, p)| Answer {
            item,
            expectation: None,
            perception: None,
            minimum: lo,
            desired: hi,
            perceived: p,
        })
        .collect();
    response(Format::Zot, answers)
}

/// An "ep" response answering all 22 items, with the same (E, P) on every item of a dimension.
fn uniform(per_dimension: [(f64, f64); 5]) -> Response {
    let mut answers = Vec::new();
    for (d, (e, p)) in Dimension::ALL.into_iter().zip(per_dimension) {
        for item in d.items() {
            answers.push((item, Some(e), Some(p)));
        }
    }
    ep(&answers)
}

fn importance(points: [f64; 5]) -> Option<Importance> {
    let [tangibles, reliability, responsiveness, assurance, empathy] = points;
    Some(Importance { tangibles, reliability, responsiveness, assurance, empathy })
}

fn group(responses: &[Response]) -> Scored<'_> {
    Scored { key: "g".into(), responses: responses.iter().collect() }
}

// ---------------------------------------------------------------------------------------------
// stats
// ---------------------------------------------------------------------------------------------

#[test]
fn summary_mean_sd_median() {
    // values 2 4 4 4 5 5 7 9: Σ = 40, n = 8, mean = 5
    // squared deviations 9 1 1 1 0 0 4 16, Σ = 32, sample var = 32 / 7, sd = √(32/7)
    // even n: median = (4 + 5) / 2 = 4.5
    let s = summarize(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
    close(s.mean, 5.0);
    close(s.sd, (32.0_f64 / 7.0).sqrt());
    close(s.median, 4.5);

    // odd n, unsorted input: 3 1 2 → sorted 1 2 3, median 2; mean 2; devs −1 0 1 → var 2/2 = 1
    let s = summarize(&[3.0, 1.0, 2.0]);
    close(s.median, 2.0);
    close(s.sd, 1.0);

    // one value: SD undefined (n − 1 = 0); none: everything undefined
    let s = summarize(&[6.0]);
    close(s.mean, 6.0);
    assert_eq!(s.sd, None);
    let s = summarize(&[]);
    assert_eq!((s.mean, s.sd, s.median), (None, None, None));
}

#[test]
fn nearest_rank_percentiles() {
    // sorted 15 20 35 40 50, n = 5; rank = ⌈p/100 · 5⌉
    let v = [35.0, 20.0, 50.0, 15.0, 40.0];
    close(nearest_rank(&v, 30.0), 20.0); // ⌈1.5⌉ = 2 → 20
    close(nearest_rank(&v, 40.0), 20.0); // ⌈2.0⌉ = 2 → 20
    close(nearest_rank(&v, 50.0), 35.0); // ⌈2.5⌉ = 3 → 35
    close(nearest_rank(&v, 95.0), 50.0); // ⌈4.75⌉ = 5 → 50
    close(nearest_rank(&v, 100.0), 50.0); // ⌈5⌉ = 5 → 50
    close(nearest_rank(&v, 0.0), 15.0); // ⌈0⌉ = 0, raised to rank 1 → 15
    assert_eq!(nearest_rank(&[], 50.0), None);
}

#[test]
fn cronbach_alpha_by_hand() {
    // 3 respondents × 4 items
    //            i1 i2 i3 i4 | total
    //   A         4  4  5  3 |  16
    //   B         6  5  6  5 |  22
    //   C         5  5  5  4 |  19
    // item means 5, 14/3, 16/3, 4
    // var(i1) = (1+1+0)/2 = 1; var(i2) = (4/9+1/9+1/9)/2 = 1/3; var(i3) = 1/3; var(i4) = (1+1+0)/2 = 1
    // Σ var(item) = 8/3
    // totals 16 22 19, mean 19, var = (9+9+0)/2 = 9
    // α = 4/3 · (1 − (8/3)/9) = 4/3 · 19/27 = 76/81
    let rows = vec![vec![4.0, 4.0, 5.0, 3.0], vec![6.0, 5.0, 6.0, 5.0], vec![5.0, 5.0, 5.0, 4.0]];
    close(cronbach_alpha(&rows), 76.0 / 81.0);

    // Undefined: one item (k < 2), one respondent, or no spread in totals.
    assert_eq!(cronbach_alpha(&[vec![1.0], vec![2.0]]), None);
    assert_eq!(cronbach_alpha(&[vec![1.0, 2.0]]), None);
    assert_eq!(cronbach_alpha(&[vec![1.0, 3.0], vec![3.0, 1.0]]), None); // totals 4, 4 → var 0
    assert_eq!(cronbach_alpha(&[]), None);
}

// ---------------------------------------------------------------------------------------------
// one dimension: gaps, half-items rule, dimension score, item stats, α on P / E / G
// ---------------------------------------------------------------------------------------------

/// Tangibles (items 1–4, so ⌈4/2⌉ = 2 items needed) answered by A, B, C fully and by D barely.
fn tangibles_group() -> Vec<Response> {
    vec![
        // A: E 7 6 7 6, P 4 4 5 3 → G −3 −2 −2 −3
        ep(&[
            (1, Some(7.0), Some(4.0)),
            (2, Some(6.0), Some(4.0)),
            (3, Some(7.0), Some(5.0)),
            (4, Some(6.0), Some(3.0)),
        ]),
        // B: E 6 6 5 7, P 6 5 6 5 → G 0 −1 +1 −2
        ep(&[
            (1, Some(6.0), Some(6.0)),
            (2, Some(6.0), Some(5.0)),
            (3, Some(5.0), Some(6.0)),
            (4, Some(7.0), Some(5.0)),
        ]),
        // C: E 5 7 6 6, P 5 5 5 4 → G 0 −2 −1 −2
        ep(&[
            (1, Some(5.0), Some(5.0)),
            (2, Some(7.0), Some(5.0)),
            (3, Some(6.0), Some(5.0)),
            (4, Some(6.0), Some(4.0)),
        ]),
        // D: item 1 E 7 P 1; item 2 E only; item 3 N/A. Only one item with both E and P < 2 → not
        // counted in the dimension, but still counted in the item statistics.
        ep(&[(1, Some(7.0), Some(1.0)), (2, Some(6.0), None), (3, None, None)]),
    ]
}

#[test]
fn dimension_score_and_half_items_rule() {
    let responses = tangibles_group();
    let g = score_group(&group(&responses), 1);
    let t = &g.dimensions[&Dimension::Tangibles];

    // Per-respondent means over the items answered with both E and P:
    //   A: mean E = 26/4 = 6.5, mean P = 16/4 = 4.0,  mean G = −10/4 = −2.5
    //   B: mean E = 24/4 = 6.0, mean P = 22/4 = 5.5,  mean G =  −2/4 = −0.5
    //   C: mean E = 24/4 = 6.0, mean P = 19/4 = 4.75, mean G =  −5/4 = −1.25
    //   D: 1 complete item < 2 → excluded
    assert_eq!(t.n, 3);
    // score = (−2.5 − 0.5 − 1.25) / 3 = −4.25 / 3 = −17/12
    close(t.score, -17.0 / 12.0);
    close(t.gap.mean, -17.0 / 12.0);
    // gap SD: values −30/12, −6/12, −15/12; deviations from −17/12: −13/12, 11/12, 2/12
    // Σ squares = (169 + 121 + 4)/144 = 294/144; var = 294/288 = 49/48
    close(t.gap.sd, (49.0_f64 / 48.0).sqrt());
    close(t.gap.median, -1.25);
    // E: (6.5 + 6 + 6)/3 = 37/6, median 6; P: (4 + 5.5 + 4.75)/3 = 4.75
    close(t.expectation.mean, 37.0 / 6.0);
    close(t.expectation.median, 6.0);
    close(t.perception.mean, 4.75);
    // consistency: 4.75 − 37/6 = 28.5/6 − 37/6 = −8.5/6 = −17/12 ✓
}

#[test]
fn item_statistics_use_everyone_who_answered() {
    let responses = tangibles_group();
    let g = score_group(&group(&responses), 1);
    let item = |n: u8| g.items.iter().find(|i| i.item == n).expect("item present");

    // Item 1, all four answered both: E 7 6 5 7 → 25/4; P 4 6 5 1 → 16/4 = 4; G −3 0 0 −6 → −9/4
    let i1 = item(1);
    assert_eq!((i1.n, i1.dimension), (4, Dimension::Tangibles));
    close(i1.expectation.mean, 6.25);
    close(i1.perception.mean, 4.0);
    close(i1.gap.mean, -2.25);
    // Item 2: E from all four (6 6 7 6 → 6.25); P only from A, B, C (4 5 5 → 14/3);
    // gap only where both: −2 −1 −2 → −5/3
    let i2 = item(2);
    assert_eq!(i2.n, 4);
    close(i2.expectation.mean, 6.25);
    close(i2.perception.mean, 14.0 / 3.0);
    close(i2.gap.mean, -5.0 / 3.0);
    // Item 3: D said N/A to both, so n = 3
    assert_eq!(item(3).n, 3);
    // All 22 items are listed, unanswered ones empty.
    assert_eq!(g.items.len(), 22);
    assert_eq!(item(22).n, 0);
    assert_eq!(item(22).gap.mean, None);
}

#[test]
fn alpha_on_perception_expectation_and_gap() {
    let responses = tangibles_group();
    let g = score_group(&group(&responses), 1);
    let t = &g.dimensions[&Dimension::Tangibles];
    // Complete cases on items 1–4: A, B, C (D is incomplete).
    // P: the matrix of `cronbach_alpha_by_hand`, α = 76/81 ≈ 0.938.
    close(t.alpha.p, 76.0 / 81.0);
    // E rows: 7 6 7 6 (26), 6 6 5 7 (24), 5 7 6 6 (24)
    //   var(i1) = var(7,6,5) = 1; var(i2) = var(6,6,7) = 1/3; var(i3) = var(7,5,6) = 1; var(i4) = 1/3; Σ = 8/3
    //   totals 26 24 24, mean 74/3, deviations 4/3 −2/3 −2/3, Σ sq = 24/9, var = 4/3
    //   α = 4/3 · (1 − (8/3)/(4/3)) = 4/3 · (1 − 2) = −4/3
    close(t.alpha.e, -4.0 / 3.0);
    // G rows: −3 −2 −2 −3 (−10), 0 −1 1 −2 (−2), 0 −2 −1 −2 (−5)
    //   var(g1) = var(−3,0,0) = (4+1+1)/2 = 3
    //   var(g2) = var(−2,−1,−2) = (1/9+4/9+1/9)/2 = 1/3
    //   var(g3) = var(−2,1,−1): mean −2/3, (16/9+25/9+1/9)/2 = 7/3
    //   var(g4) = var(−3,−2,−2) = 1/3;  Σ = 3 + 1/3 + 7/3 + 1/3 = 6
    //   totals −10 −2 −5, mean −17/3, deviations −13/3 11/3 2/3, Σ sq = 294/9, var = 49/3
    //   α = 4/3 · (1 − 6/(49/3)) = 4/3 · 31/49 = 124/147
    close(t.alpha.g, 124.0 / 147.0);
    // α_E = −4/3 < 0.70 → flagged
    assert!(t.alpha_low);
}

// ---------------------------------------------------------------------------------------------
// all five dimensions: unweighted, weighted, SERVPERF, Grönroos, found-record share
// ---------------------------------------------------------------------------------------------

/// (E, P) per dimension, in the order T, Rel, Resp, A, Emp.
fn five_dimension_group() -> Vec<Response> {
    // R1 gaps: T −2, Rel −3, Resp −1, A 0, Emp +1
    let mut r1 = uniform([(7.0, 5.0), (7.0, 4.0), (6.0, 5.0), (6.0, 6.0), (5.0, 6.0)]);
    r1.importance = importance([10.0, 40.0, 20.0, 20.0, 10.0]);
    r1.technical = Some(6.0);
    r1.functional = Some(5.0);
    r1.found_record = Some(true);
    // R2 gaps: T 0, Rel −2, Resp −2, A −1, Emp 0
    let mut r2 = uniform([(6.0, 6.0), (7.0, 5.0), (7.0, 5.0), (6.0, 5.0), (6.0, 6.0)]);
    r2.importance = importance([20.0, 20.0, 20.0, 20.0, 20.0]);
    r2.technical = Some(4.0);
    r2.functional = Some(6.0);
    r2.found_record = Some(false);
    // R3 gaps: T +1, Rel −1, Resp 0, A −1, Emp −2; no importance points, no technical rating
    let mut r3 = uniform([(5.0, 6.0), (7.0, 6.0), (6.0, 6.0), (7.0, 6.0), (6.0, 4.0)]);
    r3.functional = Some(7.0);
    r3.found_record = Some(true);
    vec![r1, r2, r3]
}

#[test]
fn unweighted_weighted_and_servperf() {
    let responses = five_dimension_group();
    let g = score_group(&group(&responses), 3);
    assert!(!g.suppressed);
    let score = |d| g.dimensions[&d].score;
    // Dimension scores (mean of the three respondents' gaps):
    //   T (−2 + 0 + 1)/3 = −1/3;  Rel (−3 − 2 − 1)/3 = −2;  Resp (−1 − 2 + 0)/3 = −1
    //   A (0 − 1 − 1)/3 = −2/3;   Emp (1 + 0 − 2)/3 = −1/3
    close(score(Dimension::Tangibles), -1.0 / 3.0);
    close(score(Dimension::Reliability), -2.0);
    close(score(Dimension::Responsiveness), -1.0);
    close(score(Dimension::Assurance), -2.0 / 3.0);
    close(score(Dimension::Empathy), -1.0 / 3.0);
    // unweighted = (−1/3 − 6/3 − 3/3 − 2/3 − 1/3)/5 = (−13/3)/5 = −13/15
    close(g.unweighted, -13.0 / 15.0);
    // weighted, only R1 and R2 gave importance:
    //   R1: 0.10·(−2) + 0.40·(−3) + 0.20·(−1) + 0.20·0 + 0.10·1 = −0.2 − 1.2 − 0.2 + 0 + 0.1 = −1.5
    //   R2: 0.20·(0 − 2 − 2 − 1 + 0) = −1.0
    //   weighted = (−1.5 − 1.0)/2 = −1.25
    close(g.weighted, -1.25);
    // SERVPERF: dimension means of P
    //   T (5+6+6)/3 = 17/3; Rel (4+5+6)/3 = 15/3; Resp (5+5+6)/3 = 16/3; A (6+5+6)/3 = 17/3; Emp (6+6+4)/3 = 16/3
    //   servperf = (81/3)/5 = 27/5 = 5.4
    close(g.servperf, 5.4);
    // Every item of a dimension carries the same value, so the items agree perfectly: α_P = 1.
    close(g.dimensions[&Dimension::Tangibles].alpha.p, 1.0);
}

#[test]
fn technical_functional_and_found_record() {
    let responses = five_dimension_group();
    let g = score_group(&group(&responses), 1);
    // technical: 6, 4 (R3 did not answer) → mean 5, deviations ±1, var 2/1 = 2, median 5
    close(g.technical.mean, 5.0);
    close(g.technical.sd, 2.0_f64.sqrt());
    close(g.technical.median, 5.0);
    // functional: 5, 6, 7 → mean 6, var (1+0+1)/2 = 1, median 6
    close(g.functional.mean, 6.0);
    close(g.functional.sd, 1.0);
    // found_record: true, false, true → 2/3
    close(g.found_record_share, 2.0 / 3.0);
}

#[test]
fn weighted_needs_importance_and_all_five_gaps() {
    // R1 as above (weighted gap −1.5). R4 gave importance but answered only tangibles, so it has
    // no gap for the other four dimensions and is left out: weighted = −1.5 / 1.
    let mut r1 = uniform([(7.0, 5.0), (7.0, 4.0), (6.0, 5.0), (6.0, 6.0), (5.0, 6.0)]);
    r1.importance = importance([10.0, 40.0, 20.0, 20.0, 10.0]);
    let mut r4 = ep(&[(1, Some(7.0), Some(1.0)), (2, Some(7.0), Some(1.0))]);
    r4.importance = importance([100.0, 0.0, 0.0, 0.0, 0.0]);
    let responses = [r1, r4];
    let g = score_group(&group(&responses), 1);
    close(g.weighted, -1.5);
    // Tangibles does count R4 (2 of 4 items): (−2 + (−6))/2 = −4
    close(g.dimensions[&Dimension::Tangibles].score, -4.0);
    // but the other dimensions only have R1, and all five exist → unweighted = (−4 − 3 − 1 + 0 + 1)/5 = −7/5
    close(g.unweighted, -1.4);
}

#[test]
fn weighted_uses_points_over_their_total() {
    // Points 20 20 20 20 19.6 sum to 99.6 (accepted, within ±0.5). Weights divide by 99.6:
    //   gaps T −2, Rel −3, Resp −1, A 0, Emp +1
    //   Σ points·gap = 20·(−2 − 3 − 1 + 0) + 19.6·1 = −120 + 19.6 = −100.4
    //   weighted = −100.4 / 99.6
    let mut r = uniform([(7.0, 5.0), (7.0, 4.0), (6.0, 5.0), (6.0, 6.0), (5.0, 6.0)]);
    r.importance = importance([20.0, 20.0, 20.0, 20.0, 19.6]);
    let responses = [r];
    close(score_group(&group(&responses), 1).weighted, -100.4 / 99.6);
}

#[test]
fn unweighted_needs_all_five_dimensions() {
    // Only tangibles answered: no reliability etc. score → no overall score.
    let responses = tangibles_group();
    let g = score_group(&group(&responses), 1);
    assert_eq!(g.dimensions[&Dimension::Reliability].score, None);
    assert_eq!(g.dimensions[&Dimension::Reliability].n, 0);
    assert_eq!((g.unweighted, g.weighted, g.servperf), (None, None, None));
}

// ---------------------------------------------------------------------------------------------
// zone of tolerance
// ---------------------------------------------------------------------------------------------

fn zone_group() -> Vec<Response> {
    vec![
        // Z1 (minimum, desired, perceived):
        //   item 1 (4, 7, 5) within; item 2 (5, 8, 4) below; item 3 (3, 6, 7) above;
        //   item 4 (5, –, 6) not a complete triple
        zot(&[
            (1, Some(4.0), Some(7.0), Some(5.0)),
            (2, Some(5.0), Some(8.0), Some(4.0)),
            (3, Some(3.0), Some(6.0), Some(7.0)),
            (4, Some(5.0), None, Some(6.0)),
        ]),
        // Z2: item 1 (5, 8, 6) within; item 2 (4, 7, 7) within (perceived = desired is inside);
        //     item 5 (6, 9, 5) below
        zot(&[
            (1, Some(5.0), Some(8.0), Some(6.0)),
            (2, Some(4.0), Some(7.0), Some(7.0)),
            (5, Some(6.0), Some(9.0), Some(5.0)),
        ]),
        // An "ep" response: counted in the group but never in the zone.
        ep(&[(1, Some(7.0), Some(7.0))]),
    ]
}

#[test]
fn zone_of_tolerance() {
    let responses = zone_group();
    let g = score_group(&group(&responses), 2);
    let z = g.zone.as_ref().expect("two zot respondents ≥ min_n 2");
    assert_eq!(z.n, 2);
    // 6 complete triples: below = Z1 i2, Z2 i5 → 2/6; within = Z1 i1, Z2 i1, Z2 i2 → 3/6; above = Z1 i3 → 1/6
    close(Some(z.below), 1.0 / 3.0);
    close(Some(z.within), 0.5);
    close(Some(z.above), 1.0 / 6.0);
    // MSA = perceived − minimum: Z1 (1, −1, 4) → 4/3; Z2 (1, 3, −1) → 1
    //   mean (4/3 + 1)/2 = 7/6; deviations ±1/6 → var (1/36 + 1/36)/1 = 1/18
    close(z.adequacy_gap.mean, 7.0 / 6.0);
    close(z.adequacy_gap.sd, (1.0_f64 / 18.0).sqrt());
    // MSS = perceived − desired: Z1 (−2, −4, 1) → −5/3; Z2 (−2, 0, −4) → −2; mean −11/6
    close(z.superiority_gap.mean, -11.0 / 6.0);

    // Tangibles needs ⌈4/2⌉ = 2 triples: Z1 has items 1–3, Z2 items 1–2.
    //   Z1: minimum (4+5+3)/3 = 4, desired (7+8+6)/3 = 7, perceived (5+4+7)/3 = 16/3, MSA 4/3, MSS −5/3
    //   Z2: minimum 4.5, desired 7.5, perceived 6.5, MSA 2, MSS −1
    let t = &z.dimensions[&Dimension::Tangibles];
    close(t.minimum.mean, 4.25);
    close(t.desired.mean, 7.25);
    close(t.perceived.mean, (16.0 / 3.0 + 6.5) / 2.0); // 71/12
    close(t.adequacy_gap.mean, (4.0 / 3.0 + 2.0) / 2.0); // 5/3
    close(t.superiority_gap.mean, (-5.0 / 3.0 - 1.0) / 2.0); // −4/3
                                                             // Reliability needs 3 of 5: Z2 gave only item 5 → nobody counted.
    assert_eq!(z.dimensions[&Dimension::Reliability].perceived.mean, None);
}

#[test]
fn zot_feeds_servqual_with_desired_as_e_and_perceived_as_p() {
    let responses = zone_group();
    let g = score_group(&group(&responses), 1);
    // Tangibles, E = desired, P = perceived:
    //   Z1 items 1–3 (item 4 lacks desired): gaps −2, −4, 1 → −5/3
    //   Z2 items 1–2: gaps −2, 0 → −1
    //   the ep respondent has one item only → not counted
    //   score = (−5/3 − 1)/2 = −4/3, the same as the zone's tangibles MSS
    let t = &g.dimensions[&Dimension::Tangibles];
    assert_eq!(t.n, 2);
    close(t.score, -4.0 / 3.0);
    // Item 1 mixes formats: E = 7 (Z1 desired), 8 (Z2 desired), 7 (ep) → 22/3
    close(g.items[0].expectation.mean, 22.0 / 3.0);
}

#[test]
fn zone_withheld_when_too_few_zot_respondents() {
    // Group of 3 ≥ min_n 3 is reported, but only 2 answered in the zot format: the zone would
    // describe those two alone, so it is withheld.
    let responses = zone_group();
    let g = score_group(&group(&responses), 3);
    assert!(!g.suppressed);
    assert!(g.zone.is_none());
    // Only ep responses → no zone at all.
    let responses = tangibles_group();
    assert!(score_group(&group(&responses), 1).zone.is_none());
}

// ---------------------------------------------------------------------------------------------
// suppression
// ---------------------------------------------------------------------------------------------

#[test]
fn suppression_below_min_n() {
    // 3 responses, min_n 4 → suppressed, nothing but the key and n.
    let responses = five_dimension_group();
    let g = score_group(&group(&responses), 4);
    assert!(g.suppressed);
    assert_eq!(g.n, 3);
    assert!(g.dimensions.is_empty() && g.items.is_empty() && g.zone.is_none());
    assert_eq!((g.unweighted, g.weighted, g.servperf, g.found_record_share), (None, None, None, None));
    assert_eq!((g.technical.mean, g.functional.mean), (None, None));
    // min_n 3 → reported
    assert!(!score_group(&group(&responses), 3).suppressed);
}

// ---------------------------------------------------------------------------------------------
// usage indicators
// ---------------------------------------------------------------------------------------------

fn search(id: &str, principal: &str, at_ms: i64, query: &str, total: u64, latency_ms: f64) -> SearchFact {
    SearchFact { query_id: id.into(), at_ms, principal: principal.into(), query: query.into(), total, latency_ms }
}

fn event(id: &str, at_ms: i64, kind: &str) -> EventFact {
    EventFact { query_id: id.into(), at_ms, kind: kind.into() }
}

fn usage_log() -> (Vec<SearchFact>, Vec<EventFact>) {
    let searches = vec![
        search("q1", "u1", 0, "土地档案", 12, 120.0),
        search("q2", "u1", 30_000, "土地征收档案", 5, 80.0),
        search("q3", "u1", 100_000, "土地征收档案", 5, 95.0),
        search("q4", "u2", 0, "婚姻登记", 0, 300.0),
        search("q5", "u2", 10_000, "婚姻登记", 0, 250.0),
        search("q6", "u2", 20_000, "婚姻登记 1990", 3, 150.0),
        search("q7", "u3", 0, "会议纪要", 9, 60.0),
        search("q8", "u3", 20_000, "会议纪要 2019", 4, 70.0),
        search("q9", "u4", 0, "人事档案", 2, 500.0),
        search("q10", "u5", 10_000, "人事档案 调动", 0, 40.0),
    ];
    let events = vec![
        event("q2", 32_500, "open"),
        event("q2", 40_000, "download"), // later than the first open: not "first"
        event("q3", 104_000, "borrow_request"),
        event("q6", 21_000, "open"),
        event("q7", 5_000, "open"),
        event("q8", 21_000, "view_metadata"), // not a success kind
    ];
    (searches, events)
}

#[test]
fn usage_indicators_by_hand() {
    let (searches, events) = usage_log();
    let i = indicators(&searches, &events, 10);
    assert_eq!(i.searches, 10);
    assert!(!i.suppressed);
    // zero results: q4, q5, q10 → 3/10
    close(i.zero_result_rate, 0.3);
    // successes: q2 (open), q3 (borrow_request), q6 (open), q7 (open) → 4/10
    close(i.success_rate, 0.4);
    // time to first success: q2 32 500 − 30 000 = 2 500; q3 104 000 − 100 000 = 4 000;
    //   q6 21 000 − 20 000 = 1 000; q7 5 000 − 0 = 5 000
    //   sorted 1 000, 2 500, 4 000, 5 000 → median (2 500 + 4 000)/2 = 3 250
    close(i.median_time_to_first_open_ms, 3_250.0);
    // reformulations (same principal, later by ≤ 60 s, different text, no success in between):
    //   q1 → q2 after 30 s, different text, q1 never succeeded                    ✓
    //   q2 → q3 is 70 s later (outside the window)                                ✗
    //   q4 → q5 same text (a re-run); q4 → q6 after 20 s, different text          ✓
    //   q5 → q6 after 10 s, different text                                        ✓
    //   q7 → q8 different text, but q7 was opened at 5 s, before q8 at 20 s      ✗
    //   q9 (u4) → q10 is another principal (u5)                                   ✗
    //   q3, q6, q8, q10: nothing later from the same principal                    ✗
    //   → 3/10
    close(i.reformulation_rate, 0.3);
    // latencies sorted: 40 60 70 80 95 120 150 250 300 500 (n = 10)
    //   p50: rank ⌈0.50·10⌉ = 5 → 95;  p95: rank ⌈0.95·10⌉ = ⌈9.5⌉ = 10 → 500
    close(i.latency_p50_ms, 95.0);
    close(i.latency_p95_ms, 500.0);
    // what informs what
    let informs: Vec<(&str, Dimension)> = i.informs.iter().map(|x| (x.indicator, x.dimension)).collect();
    assert!(informs.contains(&("latency_p95_ms", Dimension::Responsiveness)));
    assert!(informs.contains(&("median_time_to_first_open_ms", Dimension::Responsiveness)));
    assert!(informs.contains(&("success_rate", Dimension::Reliability)));
    assert!(informs.contains(&("zero_result_rate", Dimension::Reliability)));
}

#[test]
fn success_event_before_the_search_does_not_count() {
    // An open logged before the search it names (clock skew, replay) is not a success of it.
    let searches = [search("q", "u", 10_000, "a", 1, 10.0)];
    let events = [event("q", 9_000, "open")];
    let i = indicators(&searches, &events, 1);
    close(i.success_rate, 0.0);
    assert_eq!(i.median_time_to_first_open_ms, None);
}

#[test]
fn usage_indicators_suppressed_below_min_n() {
    let (searches, events) = usage_log();
    let i = indicators(&searches, &events, 11);
    assert!(i.suppressed);
    assert_eq!(i.searches, 10);
    assert_eq!(
        (i.zero_result_rate, i.success_rate, i.median_time_to_first_open_ms, i.reformulation_rate),
        (None, None, None, None)
    );
    assert_eq!((i.latency_p50_ms, i.latency_p95_ms), (None, None));
}
