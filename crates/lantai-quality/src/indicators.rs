//! Usage indicators computed from search and event logs handed in by the caller.
//!
//! They complement the survey: what users *say* about reliability and responsiveness next to what
//! the logs *show*. Each indicator names the SERVQUAL dimension it informs.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::instrument::Dimension;
use crate::stats::{median, nearest_rank};

/// Event kinds that count as a search having succeeded.
pub const SUCCESS_KINDS: [&str; 3] = ["open", "download", "borrow_request"];

/// A search is a reformulation candidate when the same principal searches again within this window.
pub const REFORMULATION_WINDOW_MS: i64 = 60_000;

/// One search as logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchFact {
    /// Identifies the search; events refer to it.
    pub query_id: String,
    /// When the search ran, milliseconds since the epoch.
    pub at_ms: i64,
    /// Who searched (a pseudonymous key is enough).
    pub principal: String,
    /// The query text.
    pub query: String,
    /// Number of hits.
    pub total: u64,
    /// Time to answer the search.
    pub latency_ms: f64,
}

/// Something the user did with a search's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventFact {
    /// The search the event follows.
    pub query_id: String,
    /// When it happened, milliseconds since the epoch.
    pub at_ms: i64,
    /// `open`, `download`, `borrow_request`, …
    pub kind: String,
}

/// Which SERVQUAL dimension an indicator sheds light on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Informs {
    /// Field name in [`Indicators`].
    pub indicator: &'static str,
    /// The dimension.
    pub dimension: Dimension,
}

/// The indicator mapping, fixed so reports always show the same links.
pub const INFORMS: [Informs; 5] = [
    Informs { indicator: "latency_p50_ms", dimension: Dimension::Responsiveness },
    Informs { indicator: "latency_p95_ms", dimension: Dimension::Responsiveness },
    Informs { indicator: "median_time_to_first_open_ms", dimension: Dimension::Responsiveness },
    Informs { indicator: "success_rate", dimension: Dimension::Reliability },
    Informs { indicator: "zero_result_rate", dimension: Dimension::Reliability },
];

/// Usage indicators of one group of searches.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Indicators {
    /// Number of searches.
    pub searches: usize,
    /// `searches < min_n`: every figure withheld.
    pub suppressed: bool,
    /// Share of searches with `total == 0`.
    pub zero_result_rate: Option<f64>,
    /// Share of searches with a success event (see [`SUCCESS_KINDS`]) of the same `query_id` at or
    /// after the search.
    pub success_rate: Option<f64>,
    /// Median, over successful searches, of first success event time − search time.
    pub median_time_to_first_open_ms: Option<f64>,
    /// Share of searches that were reformulated. A search `s` is reformulated when another search
    /// `s'` exists with the same principal, `s.at_ms < s'.at_ms <= s.at_ms + 60 000`, a query whose
    /// text differs after trimming surrounding whitespace, and no success event of `s` (same
    /// `query_id`) at a time in `[s.at_ms, s'.at_ms)`. Same text is a re-run (paging, refresh), not a
    /// reformulation; a success first means the user moved on satisfied.
    pub reformulation_rate: Option<f64>,
    /// Nearest-rank median search latency (finite latencies only).
    pub latency_p50_ms: Option<f64>,
    /// Nearest-rank 95th percentile search latency (finite latencies only).
    pub latency_p95_ms: Option<f64>,
    /// Which dimension each indicator informs; listed even when suppressed.
    pub informs: Vec<Informs>,
}

/// Computes usage indicators; fewer than `min_n` searches gives a suppressed, empty result.
pub fn indicators(searches: &[SearchFact], events: &[EventFact], min_n: usize) -> Indicators {
    let n = searches.len();
    let mut out = Indicators {
        searches: n,
        suppressed: n < min_n,
        zero_result_rate: None,
        success_rate: None,
        median_time_to_first_open_ms: None,
        reformulation_rate: None,
        latency_p50_ms: None,
        latency_p95_ms: None,
        informs: INFORMS.to_vec(),
    };
    if out.suppressed || n == 0 {
        return out;
    }
    let share = |k: usize| k as f64 / n as f64;

    // Success event times per query_id, sorted, so "first at or after t" is a binary search.
    let mut successes: HashMap<&str, Vec<i64>> = HashMap::new();
    for e in events.iter().filter(|e| SUCCESS_KINDS.contains(&e.kind.as_str())) {
        successes.entry(e.query_id.as_str()).or_default().push(e.at_ms);
    }
    for times in successes.values_mut() {
        times.sort_unstable();
    }
    let first_success: Vec<Option<i64>> = searches
        .iter()
        .map(|s| {
            let times = successes.get(s.query_id.as_str())?;
            times.get(times.partition_point(|t| *t < s.at_ms)).copied()
        })
        .collect();

    let delays: Vec<f64> = searches
        .iter()
        .zip(&first_success)
        .filter_map(|(s, f)| Some(f.as_ref()?.saturating_sub(s.at_ms) as f64))
        .collect();

    // Searches per principal in time order, for the reformulation window.
    let mut by_principal: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in searches.iter().enumerate() {
        by_principal.entry(s.principal.as_str()).or_default().push(i);
    }
    let mut reformulated = 0;
    for idxs in by_principal.values_mut() {
        idxs.sort_by_key(|i| searches[*i].at_ms);
        for (pos, &i) in idxs.iter().enumerate() {
            let s = &searches[i];
            let limit = s.at_ms.saturating_add(REFORMULATION_WINDOW_MS);
            let hit = idxs[pos..]
                .iter()
                .map(|j| &searches[*j])
                .skip_while(|later| later.at_ms <= s.at_ms)
                .take_while(|later| later.at_ms <= limit)
                .any(|later| later.query.trim() != s.query.trim() && first_success[i].is_none_or(|f| f >= later.at_ms));
            if hit {
                reformulated += 1;
            }
        }
    }

    let latencies: Vec<f64> = searches.iter().map(|s| s.latency_ms).filter(|l| l.is_finite()).collect();
    out.zero_result_rate = Some(share(searches.iter().filter(|s| s.total == 0).count()));
    out.success_rate = Some(share(delays.len()));
    out.median_time_to_first_open_ms = median(&delays);
    out.reformulation_rate = Some(share(reformulated));
    out.latency_p50_ms = nearest_rank(&latencies, 50.0);
    out.latency_p95_ms = nearest_rank(&latencies, 95.0);
    out
}
