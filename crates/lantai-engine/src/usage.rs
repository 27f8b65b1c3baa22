//! Logging searches and taking usage events.

use lantai_model::{EventKind, SearchLog, UsageEvent};
use lantai_rank::RankParams;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::clock::now;
use crate::engine::{Engine, Identity};
use crate::error::Result;
use crate::search::{Hit, SearchParams, SearchResponse};

/// One event as posted to `POST /v1/events`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// The search it follows.
    pub query_id: String,
    /// The record acted on.
    pub record_id: String,
    /// `open`, `download`, `copy`, `borrow_request`, `dwell`, `feedback_useful`, `feedback_not_useful`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Rank in the search, from 1.
    #[serde(default)]
    pub position: Option<u32>,
    /// Time spent.
    #[serde(default)]
    pub dwell_ms: Option<u64>,
    /// 利用目的.
    #[serde(default)]
    pub purpose: Option<String>,
}

/// An event refused, with its place in the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EventRejection {
    /// 0-based index in the posted array.
    pub index: usize,
    /// Stable code: `unknown_query`, `unknown_record`, `invalid_type`, `invalid_field`.
    pub code: &'static str,
    /// Why.
    pub message: String,
}

/// The answer to a batch of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EventsReport {
    /// Events stored (durably).
    pub accepted: usize,
    /// Events refused.
    pub rejected: Vec<EventRejection>,
}

impl Engine {
    /// Searches as `caller` and logs the search (its id, the page returned and the latency).
    /// On a small share of first pages one adjacent pair is shown in random order, to measure
    /// position bias (see `lantai_rank::PositionBias`).
    pub fn search_as(&self, params: &SearchParams, caller: &Identity) -> Result<SearchResponse> {
        let mut answer = self.search(params, &caller.principal)?;
        if params.offset == 0 {
            answer.randomised_pair = randomise_pair(&mut answer.hits, &self.config().ranking, &mut rand::rng());
        }
        let (at, at_ms) = now();
        let p = &caller.principal;
        let log = SearchLog {
            query_id: answer.query_id.clone(),
            at,
            at_ms,
            key_id: caller.key_id.clone(),
            principal: p.name.clone(),
            department: p.department.clone(),
            user_group: p.user_group.clone(),
            query: params.q.clone(),
            total: answer.total as u64,
            hits: answer.hits.iter().map(|h| h.id.clone()).collect(),
            top_category: answer.hits.first().and_then(|h| h.category.clone()),
            latency_ms: answer.took_ms,
            randomised_pair: answer.randomised_pair,
        };
        self.store().searches.put(&log.query_id, &log)?;
        Ok(answer)
    }

    /// Takes a batch of usage events from `caller`: each must follow one of the caller's own
    /// searches and name a record the caller may see (else it is refused as unknown, revealing
    /// nothing). Accepted events are durable when this returns.
    pub fn record_events(&self, events: Vec<EventInput>, caller: &Identity) -> Result<EventsReport> {
        let mut accepted = 0;
        let mut rejected = Vec::new();
        for (index, input) in events.into_iter().enumerate() {
            let reject = |code, message: String| EventRejection { index, code, message };
            let kind: EventKind = match serde_json::from_value(serde_json::Value::String(input.kind.clone())) {
                Ok(k) => k,
                Err(_) => {
                    rejected.push(reject("invalid_type", format!("type {:?} is not one of open, download, copy, borrow_request, dwell, feedback_useful, feedback_not_useful", input.kind)));
                    continue;
                }
            };
            if input.purpose.as_ref().is_some_and(|p| p.chars().count() > 200) {
                rejected.push(reject("invalid_field", "purpose: at most 200 characters".into()));
                continue;
            }
            let search: Option<SearchLog> = self.store().searches.get(&input.query_id)?;
            let Some(search) = search.filter(|s| s.key_id == caller.key_id) else {
                rejected.push(reject("unknown_query", format!("no search {:?} of yours", input.query_id)));
                continue;
            };
            if self.get(&input.record_id, &caller.principal)?.is_none() {
                rejected.push(reject("unknown_record", format!("no record {:?}", input.record_id)));
                continue;
            }
            let position =
                input.position.or_else(|| search.hits.iter().position(|h| *h == input.record_id).map(|i| i as u32 + 1));
            let (at, at_ms) = now();
            let p = &caller.principal;
            self.store().events.append(|seq| UsageEvent {
                seq,
                at,
                at_ms,
                query_id: input.query_id,
                record_id: input.record_id,
                kind,
                position,
                dwell_ms: input.dwell_ms,
                purpose: input.purpose,
                key_id: caller.key_id.clone(),
                principal: p.name.clone(),
                department: p.department.clone(),
                user_group: p.user_group.clone(),
            })?;
            accepted += 1;
        }
        if accepted > 0 {
            self.store().flush()?;
            // The model learns at once (no restart); the log stays the truth.
            self.catch_up_ranking()?;
        }
        Ok(EventsReport { accepted, rejected })
    }
}

/// With probability `swap_rate`, picks an adjacent pair (k, k+1) within the first `swap_depth`
/// ranks, never the known-item answer, and shows it in random order; returns k.
pub(crate) fn randomise_pair(hits: &mut [Hit], params: &RankParams, rng: &mut impl Rng) -> Option<u32> {
    if params.swap_rate <= 0.0 || hits.len() < 2 || !rng.random_bool(params.swap_rate.min(1.0)) {
        return None;
    }
    let lowest = if hits[0].answer { 2 } else { 1 };
    let highest = (params.swap_depth as usize).min(hits.len()) as u32 - 1;
    if lowest > highest {
        return None;
    }
    let k = rng.random_range(lowest..=highest);
    if rng.random_bool(0.5) {
        hits.swap(k as usize - 1, k as usize);
    }
    Some(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantai_model::Classification;
    use proptest::prelude::*;
    use rand::SeedableRng;

    fn hit(id: usize, answer: bool) -> Hit {
        Hit {
            id: format!("r{id}"),
            score: 1.0,
            title: None,
            snippet: String::new(),
            category: None,
            year: None,
            date: None,
            archival_code: None,
            classification: Classification::Public,
            doc_number: None,
            creator: None,
            location: None,
            answer,
            explain: None,
        }
    }

    proptest! {
        /// Swaps touch only one adjacent pair within the depth, and never the answer card.
        #[test]
        fn swaps_never_touch_the_answer_card(n in 0usize..30, answer: bool, seed: u64, depth in 1u32..15) {
            let params = RankParams { swap_rate: 1.0, swap_depth: depth, ..RankParams::default() };
            let mut hits: Vec<Hit> = (0..n).map(|i| hit(i, answer && i == 0)).collect();
            let before = hits.clone();
            let pair = randomise_pair(&mut hits, &params, &mut rand::rngs::StdRng::seed_from_u64(seed));
            if answer && n > 0 {
                prop_assert_eq!(&hits[0], &before[0]);
                prop_assert_ne!(pair, Some(1));
            }
            let moved: Vec<usize> = (0..n).filter(|&i| hits[i] != before[i]).collect();
            match pair {
                Some(k) => {
                    prop_assert!(k >= 1 && k < depth.max(1) && (k as usize) < n);
                    prop_assert!(moved.is_empty() || moved == vec![k as usize - 1, k as usize]);
                }
                None => prop_assert!(moved.is_empty()),
            }
        }
    }
}
