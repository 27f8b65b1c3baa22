//! Properties that must hold for any data, not just the worked examples.

use lantai_quality::{
    cronbach_alpha, score_group, short_form, standard_instrument, summarize, Answer, Dimension, Format, GroupScore,
    Importance, Response, Scored, LINKING_ITEMS,
};
use proptest::prelude::*;

/// An optional whole-number rating on 1..=7, N/A one time in five.
fn rating() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![1 => Just(None), 4 => (1u8..=7).prop_map(|v| Some(f64::from(v)))]
}

fn importance() -> impl Strategy<Value = Option<Importance>> {
    proptest::option::of(proptest::array::uniform5(0.0..100.0f64).prop_filter_map("positive total", |p| {
        let total: f64 = p.iter().sum();
        (total > 0.0).then(|| {
            // Rescale to 100 points, as a valid response would give.
            let [tangibles, reliability, responsiveness, assurance, empathy] = p.map(|v| v * 100.0 / total);
            Importance { tangibles, reliability, responsiveness, assurance, empathy }
        })
    }))
}

/// An "ep" response answering a random subset of items with random (possibly N/A) values.
fn response() -> impl Strategy<Value = Response> {
    (proptest::collection::vec((proptest::bool::weighted(0.85), rating(), rating()), 22), importance()).prop_map(
        |(cells, importance)| Response {
            survey_version: 1,
            format: Format::Ep,
            answers: cells
                .into_iter()
                .zip(1u8..)
                .filter(|((answered, _, _), _)| *answered)
                .map(|((_, e, p), item)| Answer {
                    item,
                    expectation: e,
                    perception: p,
                    minimum: None,
                    desired: None,
                    perceived: None,
                })
                .collect(),
            importance,
            technical: None,
            functional: None,
            found_record: None,
            comment: None,
            query_id: None,
            record_id: None,
        },
    )
}

fn swapped(r: &Response) -> Response {
    let mut s = r.clone();
    for a in &mut s.answers {
        std::mem::swap(&mut a.expectation, &mut a.perception);
    }
    s
}

fn negated(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x + y).abs() < 1e-9,
        _ => false,
    }
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    negated(a, b.map(|v| -v))
}

fn empty(g: &GroupScore) -> bool {
    g.suppressed
        && g.dimensions.is_empty()
        && g.items.is_empty()
        && g.zone.is_none()
        && g.unweighted.is_none()
        && g.weighted.is_none()
        && g.servperf.is_none()
        && g.found_record_share.is_none()
        && g.technical.mean.is_none()
        && g.functional.mean.is_none()
}

proptest! {
    #[test]
    fn importance_weights_sum_to_one(points in proptest::array::uniform5(0.0..1000.0f64)) {
        let [tangibles, reliability, responsiveness, assurance, empathy] = points;
        let imp = Importance { tangibles, reliability, responsiveness, assurance, empathy };
        match imp.weights() {
            Some(w) => {
                prop_assert_eq!(w.len(), 5);
                prop_assert!((w.values().sum::<f64>() - 1.0).abs() < 1e-12);
                prop_assert!(w.values().all(|v| (0.0..=1.0).contains(v)));
            }
            None => prop_assert!(imp.total() <= 0.0),
        }
    }

    /// On whole-number ratings α can be checked exactly: with S = nΣx² − (Σx)² (that is n(n−1)·var),
    /// α ≤ 1 ⟺ k·Σ S_item ≥ S_total, an integer inequality. This checks the mathematics, not just
    /// the library's cap at 1, and that the library agrees with the exact value.
    #[test]
    fn alpha_never_exceeds_one_on_ratings(
        rows in (2usize..8).prop_flat_map(|k| proptest::collection::vec(proptest::collection::vec(1u8..=7, k), 0..15))
    ) {
        let s = |xs: &[i64]| xs.len() as i64 * xs.iter().map(|x| x * x).sum::<i64>() - xs.iter().sum::<i64>().pow(2);
        let k = rows.first().map_or(0, Vec::len);
        let columns: Vec<Vec<i64>> = (0..k).map(|j| rows.iter().map(|r| i64::from(r[j])).collect()).collect();
        let totals: Vec<i64> = rows.iter().map(|r| r.iter().map(|v| i64::from(*v)).sum()).collect();
        let s_items: i64 = columns.iter().map(|c| s(c)).sum();
        let s_total = s(&totals);

        let float_rows: Vec<Vec<f64>> = rows.iter().map(|r| r.iter().map(|v| f64::from(*v)).collect()).collect();
        let alpha = cronbach_alpha(&float_rows);
        prop_assert_eq!(alpha.is_some(), rows.len() >= 2 && s_total > 0);
        if let Some(a) = alpha {
            prop_assert!(k as i64 * s_items >= s_total, "exact α would exceed 1");
            let kf = k as f64;
            let exact = kf / (kf - 1.0) * (1.0 - s_items as f64 / s_total as f64);
            prop_assert!(a <= 1.0, "alpha {}", a);
            prop_assert!((a - exact).abs() <= 1e-9 * exact.abs().max(1.0), "{} vs exact {}", a, exact);
        }
    }

    /// On arbitrary reals the result is never above 1 and never NaN or infinite.
    #[test]
    fn alpha_never_exceeds_one_on_reals(
        rows in (2usize..6).prop_flat_map(|k| proptest::collection::vec(proptest::collection::vec(-1e3..1e3f64, k), 2..10))
    ) {
        if let Some(a) = cronbach_alpha(&rows) {
            prop_assert!(a.is_finite() && a <= 1.0, "alpha {}", a);
        }
    }

    #[test]
    fn swapping_e_and_p_negates_every_gap(responses in proptest::collection::vec(response(), 1..12)) {
        let flipped: Vec<Response> = responses.iter().map(swapped).collect();
        let a = score_group(&Scored { key: "a".into(), responses: responses.iter().collect() }, 1);
        let b = score_group(&Scored { key: "b".into(), responses: flipped.iter().collect() }, 1);
        for (x, y) in a.items.iter().zip(&b.items) {
            prop_assert!(negated(x.gap.mean, y.gap.mean));
            prop_assert!(negated(x.gap.median, y.gap.median));
            prop_assert!(same(x.gap.sd, y.gap.sd));
        }
        for d in Dimension::ALL {
            let (x, y) = (&a.dimensions[&d], &b.dimensions[&d]);
            prop_assert_eq!(x.n, y.n);
            prop_assert!(negated(x.score, y.score));
            prop_assert!(negated(x.gap.median, y.gap.median));
            prop_assert!(same(x.expectation.mean, y.perception.mean));
        }
        prop_assert!(negated(a.unweighted, b.unweighted));
        prop_assert!(negated(a.weighted, b.weighted));
    }

    #[test]
    fn suppression_below_min_n(responses in proptest::collection::vec(response(), 0..10), extra in 1usize..10) {
        let min_n = responses.len() + extra;
        let g = score_group(&Scored { key: "k".into(), responses: responses.iter().collect() }, min_n);
        prop_assert!(empty(&g));
        prop_assert_eq!(g.n, responses.len());
        let shown = score_group(&Scored { key: "k".into(), responses: responses.iter().collect() }, responses.len());
        prop_assert!(!shown.suppressed);
    }

    #[test]
    fn median_and_mean_between_min_and_max(values in proptest::collection::vec(-1e6..1e6f64, 1..50)) {
        let s = summarize(&values);
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let median = s.median.unwrap_or(f64::NAN);
        let mean = s.mean.unwrap_or(f64::NAN);
        prop_assert!(lo <= median && median <= hi, "{} not in [{}, {}]", median, lo, hi);
        prop_assert!(lo - 1e-6 <= mean && mean <= hi + 1e-6);
        prop_assert!(s.sd.is_none_or(|sd| sd >= 0.0));
    }

    #[test]
    fn short_form_has_six_to_eight_distinct_items(seed in any::<u64>(), extra in any::<usize>()) {
        let form = short_form(&standard_instrument(1), seed, extra);
        prop_assert!((6..=8).contains(&form.len()));
        prop_assert_eq!(form.len(), 5 + extra.clamp(1, 3));
        prop_assert!(form.windows(2).all(|w| w[0] < w[1]), "sorted and distinct: {:?}", form);
        prop_assert!(LINKING_ITEMS.iter().all(|l| form.contains(l)));
        prop_assert!(form.iter().all(|i| Dimension::of_item(*i).is_some()));
        // one linking item in each dimension
        prop_assert!(Dimension::ALL.iter().all(|d| LINKING_ITEMS.iter().any(|l| d.items().contains(l))));
    }
}
