//! CSV exports for analysts (RFC 4180: CRLF line ends, quoting only where needed).
//!
//! Empty cells mean "not defined or suppressed"; numbers use Rust's shortest round-trip form.

use crate::indicators::Indicators;
use crate::instrument::Dimension;
use crate::servqual::GroupScore;

/// Quotes a field when it holds a comma, quote, CR or LF, doubling inner quotes.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn push_row(out: &mut String, cells: &[String]) {
    let row: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

const SERVQUAL_HEADER: [&str; 16] = [
    "group",
    "n",
    "suppressed",
    "dimension",
    "n_dim",
    "e_mean",
    "p_mean",
    "gap_mean",
    "score",
    "alpha_p",
    "alpha_e",
    "alpha_g",
    "alpha_low",
    "unweighted",
    "weighted",
    "servperf",
];

/// One row per group × dimension (five rows per group, also when suppressed, with empty figures).
pub fn servqual_csv(groups: &[GroupScore]) -> String {
    let mut out = String::new();
    push_row(&mut out, &SERVQUAL_HEADER.map(String::from));
    for g in groups {
        for d in Dimension::ALL {
            let ds = g.dimensions.get(&d);
            push_row(
                &mut out,
                &[
                    g.key.clone(),
                    g.n.to_string(),
                    g.suppressed.to_string(),
                    d.key().to_string(),
                    ds.map(|s| s.n.to_string()).unwrap_or_default(),
                    num(ds.and_then(|s| s.expectation.mean)),
                    num(ds.and_then(|s| s.perception.mean)),
                    num(ds.and_then(|s| s.gap.mean)),
                    num(ds.and_then(|s| s.score)),
                    num(ds.and_then(|s| s.alpha.p)),
                    num(ds.and_then(|s| s.alpha.e)),
                    num(ds.and_then(|s| s.alpha.g)),
                    ds.map(|s| s.alpha_low.to_string()).unwrap_or_default(),
                    num(g.unweighted),
                    num(g.weighted),
                    num(g.servperf),
                ],
            );
        }
    }
    out
}

const INDICATORS_HEADER: [&str; 9] = [
    "group",
    "searches",
    "suppressed",
    "zero_result_rate",
    "success_rate",
    "median_time_to_first_open_ms",
    "reformulation_rate",
    "latency_p50_ms",
    "latency_p95_ms",
];

/// One row per group of usage indicators.
pub fn indicators_csv(rows: &[(String, Indicators)]) -> String {
    let mut out = String::new();
    push_row(&mut out, &INDICATORS_HEADER.map(String::from));
    for (key, i) in rows {
        push_row(
            &mut out,
            &[
                key.clone(),
                i.searches.to_string(),
                i.suppressed.to_string(),
                num(i.zero_result_rate),
                num(i.success_rate),
                num(i.median_time_to_first_open_ms),
                num(i.reformulation_rate),
                num(i.latency_p50_ms),
                num(i.latency_p95_ms),
            ],
        );
    }
    out
}
