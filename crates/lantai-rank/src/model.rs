//! The learned model: a fold over usage events, and the per-query scorer read from it.

use std::collections::{HashMap, VecDeque};

use lantai_model::EventKind;
use serde::{Deserialize, Serialize};

use crate::label::Label;
use crate::params::RankParams;
use crate::propensity::PositionBias;
use crate::rerank::Features;

const DAY_MS: f64 = 86_400_000.0;
/// Ranks of a result list that describe the query for the click graph.
const CONTEXT_RANKS: usize = 10;

/// A search as the model needs it (from the search log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The whole query, normalised (an exact repeat of a query is the strongest evidence).
    pub query_key: String,
    /// Its content words, as the index searched them.
    pub terms: Vec<String>,
    /// Searcher's department.
    pub department: String,
    /// Searcher's user group.
    pub user_group: String,
    /// When, ms since the epoch.
    pub at_ms: i64,
    /// Record ids shown, in order (ranks from 1).
    pub shown: Vec<String>,
    /// The adjacent pair (k, k+1) put in random order on this search, if any.
    pub randomised_pair: Option<u32>,
}

/// One usage event as the model needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// Event log sequence.
    pub seq: u64,
    /// When, ms since the epoch.
    pub at_ms: i64,
    /// The search it follows.
    pub query_id: String,
    /// The record acted on.
    pub record_id: String,
    /// The record's 门类.
    pub category: Option<String>,
    /// The record's 机构/问题 (the subject grouping within a fonds).
    pub org_unit: Option<String>,
    /// What was done.
    pub kind: EventKind,
    /// Rank of the record in that search, from 1.
    pub position: Option<u32>,
    /// Time spent.
    pub dwell_ms: Option<u64>,
}

/// Click mass of one key (a term, a query, a group) spread over records or categories.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Mass {
    total: f64,
    items: HashMap<String, f64>,
}

impl Mass {
    fn add(&mut self, item: &str, w: f64) {
        self.total += w;
        let v = self.items.entry(item.to_string()).or_default();
        *v += w;
        if v.abs() < 1e-12 {
            self.items.remove(item);
        }
    }

    /// Smoothed share of `item` (negative evidence stays negative).
    fn share(&self, item: &str, smoothing: f64) -> f64 {
        self.items.get(item).map_or(0.0, |v| v / (self.total.max(0.0) + smoothing))
    }

    fn top(&self, n: usize) -> Vec<(&str, f64)> {
        let mut v: Vec<(&str, f64)> = self.items.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    /// Entropy in bits of the positive part.
    fn entropy_bits(&self) -> f64 {
        entropy_bits(self.items.values().copied())
    }
}

fn entropy_bits(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let total: f64 = values.clone().filter(|v| *v > 0.0).sum();
    if total <= 0.0 {
        return 0.0;
    }
    values.filter(|v| *v > 0.0).map(|v| v / total).map(|p| -p * p.log2()).sum()
}

/// A value that halves every half-life without new additions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Decayed {
    value: f64,
    at_ms: i64,
}

impl Decayed {
    fn at(&self, t_ms: i64, half_life_days: f64) -> f64 {
        let days = (t_ms - self.at_ms) as f64 / DAY_MS;
        self.value * 0.5f64.powf(days / half_life_days.max(1e-9))
    }

    fn add(&mut self, w: f64, t_ms: i64, half_life_days: f64) {
        if t_ms >= self.at_ms {
            self.value = self.at(t_ms, half_life_days) + w;
            self.at_ms = t_ms;
        } else {
            // An older event (replayed out of order) adds its already-decayed weight.
            let days = (self.at_ms - t_ms) as f64 / DAY_MS;
            self.value += w * 0.5f64.powf(days / half_life_days.max(1e-9));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OpenSession {
    session: Session,
    labels: HashMap<String, Label>,
}

/// Everything learned from usage. Updated one event at a time; serialisable as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RankModel {
    /// Query term → records used after searching with it.
    terms: HashMap<String, Mass>,
    /// Term → categories of the records used.
    term_categories: HashMap<String, Mass>,
    /// Term → 机构/问题 of the records used.
    #[serde(default)]
    term_units: HashMap<String, Mass>,
    /// Whole normalised query → records used.
    queries: HashMap<String, Mass>,
    /// Record shown in the first ranks → records used in that search (the click graph).
    shown_then_used: HashMap<String, Mass>,
    /// Record → time-decayed use.
    popularity: HashMap<String, Decayed>,
    /// `department:X` / `user_group:Y` → categories used, and `*` for everyone.
    groups: HashMap<String, Mass>,
    /// Position bias from randomised pairs.
    bias: PositionBias,
    /// Recent searches with the labels their events gave so far.
    sessions: HashMap<String, OpenSession>,
    /// Their order of arrival, for forgetting the oldest.
    session_order: VecDeque<String>,
    /// Events folded in.
    events: u64,
    /// Sequence of the last event folded in.
    last_seq: u64,
    /// Time of the last event folded in.
    last_at_ms: i64,
}

impl RankModel {
    /// Sequence of the last event folded in (replay resumes after it).
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// Events folded in.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Whether anything has been learned.
    pub fn is_empty(&self) -> bool {
        self.popularity.is_empty() && self.groups.is_empty()
    }

    /// Folds in one event. `session` is asked for the search the first time an event of it
    /// arrives (`None`: unknown search, the event only counts as folded). Events must come in
    /// sequence order; one already folded (by sequence) is ignored, so replay is safe.
    pub fn fold(&mut self, event: &Interaction, session: impl FnOnce() -> Option<Session>, params: &RankParams) {
        if event.seq != 0 && event.seq <= self.last_seq {
            return;
        }
        self.events += 1;
        self.last_seq = self.last_seq.max(event.seq);
        self.last_at_ms = self.last_at_ms.max(event.at_ms);
        if !self.sessions.contains_key(&event.query_id) {
            let Some(session) = session() else { return };
            if let Some(k) = session.randomised_pair {
                self.bias.note_randomised(k);
            }
            self.sessions.insert(event.query_id.clone(), OpenSession { session, labels: HashMap::new() });
            self.session_order.push_back(event.query_id.clone());
            while self.session_order.len() > params.session_memory.max(1) {
                if let Some(old) = self.session_order.pop_front() {
                    self.sessions.remove(&old);
                }
            }
        }
        let open = self.sessions.get_mut(&event.query_id).expect("inserted above");
        let position = event
            .position
            .or_else(|| open.session.shown.iter().position(|id| *id == event.record_id).map(|i| i as u32 + 1));
        let label = open.labels.entry(event.record_id.clone()).or_default();
        let before = *label;
        label.observe(event.kind, event.dwell_ms);
        let after = *label;
        let delta = after.value() - before.value();
        let session = open.session.clone();
        if after.clicked() && !before.clicked() {
            if let Some(p) = position {
                self.bias.note_click(p, session.randomised_pair);
            }
        }
        if delta == 0.0 {
            return;
        }
        // A record the user found some other way (no rank) is looked at for sure.
        let w = delta * position.map_or(1.0, |p| self.bias.inverse(p, params.max_inverse_propensity));
        let record = event.record_id.as_str();
        for term in &session.terms {
            self.terms.entry(term.clone()).or_default().add(record, w);
            if let Some(c) = &event.category {
                self.term_categories.entry(term.clone()).or_default().add(c, w);
            }
            if let Some(u) = &event.org_unit {
                self.term_units.entry(term.clone()).or_default().add(u, w);
            }
        }
        if !session.query_key.is_empty() {
            self.queries.entry(session.query_key.clone()).or_default().add(record, w);
        }
        // What was on the page says what the search was about, whatever its words: a later
        // query whose best results overlap these is after the same records.
        for (i, shown) in session.shown.iter().take(CONTEXT_RANKS).enumerate() {
            self.shown_then_used.entry(shown.clone()).or_default().add(record, w * rank_weight(i));
        }
        self.popularity.entry(record.to_string()).or_default().add(w, event.at_ms, params.popularity_half_life_days);
        if let Some(c) = &event.category {
            for group in group_keys(&session.department, &session.user_group) {
                self.groups.entry(group).or_default().add(c, w);
            }
        }
    }

    /// The scorer for one query.
    pub fn scorer<'m>(&'m self, ctx: &QueryContext<'_>, params: &'m RankParams) -> Scorer<'m> {
        // Every word of the query counts in the denominator, learned or not: a query matched
        // by usage on one common word out of eight is barely associated.
        let idf_sum: f64 = ctx.terms.iter().map(|(_, idf)| *idf).sum();
        let mut association: HashMap<&'m str, f64> = HashMap::new();
        let mut categories: HashMap<&'m str, f64> = HashMap::new();
        let mut units: HashMap<&'m str, f64> = HashMap::new();
        if idf_sum > 0.0 {
            for (term, idf) in ctx.terms {
                let share = idf / idf_sum;
                if let Some(mass) = self.terms.get(term) {
                    for (record, v) in &mass.items {
                        *association.entry(record.as_str()).or_default() +=
                            share * v / (mass.total.max(0.0) + params.smoothing);
                    }
                }
                // Intent: per word, the categories and subject groupings its users went on to
                // use; summed by the word's share, this is P(group | query) weighted by how
                // much usage backs it (0 without evidence).
                for (learned, out) in [(&self.term_categories, &mut categories), (&self.term_units, &mut units)] {
                    if let Some(mass) = learned.get(term) {
                        let denominator = mass.total.max(0.0) + params.smoothing;
                        for (group, v) in &mass.items {
                            *out.entry(group.as_str()).or_default() += share * v.max(0.0) / denominator;
                        }
                    }
                }
            }
        }
        // The exact query, when seen before, is at least as telling as its words.
        let exact = self.queries.get(ctx.query_key);
        if let Some(mass) = exact {
            for (record, v) in &mass.items {
                let s = v / (mass.total.max(0.0) + params.smoothing);
                let a = association.entry(record.as_str()).or_default();
                if s > *a {
                    *a = s;
                }
            }
        }
        let exact_entropy = exact.filter(|m| m.total >= 2.0).map(Mass::entropy_bits);
        Scorer {
            model: self,
            params,
            now_ms: ctx.now_ms,
            department: ctx.department.to_string(),
            user_group: ctx.user_group.to_string(),
            association,
            categories,
            units,
            group: HashMap::new(),
            context: HashMap::new(),
            exact_entropy,
            ambiguity_bits: 0.0,
        }
    }

    /// A summary for people (`GET /v1/ranking/model`).
    pub fn summary(&self, params: &RankParams, now_ms: i64, top: usize) -> ModelSummary {
        let position_bias = (1..=params.swap_depth.max(10))
            .map(|p| {
                let (clicks, randomised) = self.bias.counts(p);
                PositionRow {
                    position: p,
                    propensity: round3(self.bias.propensity(p)),
                    clicks,
                    randomised_pair_searches: randomised,
                }
            })
            .collect();
        let mut terms: Vec<(&String, &Mass)> = self.terms.iter().collect();
        terms.sort_by(|a, b| b.1.total.total_cmp(&a.1.total).then_with(|| a.0.cmp(b.0)));
        let top_terms = terms
            .into_iter()
            .take(top)
            .map(|(term, mass)| TermRow {
                term: term.clone(),
                mass: round3(mass.total),
                records: mass.top(5).into_iter().map(|(r, v)| (r.to_string(), round3(v))).collect(),
                categories: self
                    .term_categories
                    .get(term)
                    .map(|m| m.top(3).into_iter().map(|(c, v)| (c.to_string(), round3(v))).collect())
                    .unwrap_or_default(),
            })
            .collect();
        let mut popular: Vec<PopularRow> = self
            .popularity
            .iter()
            .map(|(id, d)| PopularRow {
                record_id: id.clone(),
                popularity: round3(d.at(now_ms, params.popularity_half_life_days)),
            })
            .collect();
        popular.sort_by(|a, b| b.popularity.total_cmp(&a.popularity).then_with(|| a.record_id.cmp(&b.record_id)));
        popular.truncate(top);
        let mut groups: Vec<GroupRow> = self
            .groups
            .iter()
            .map(|(g, m)| GroupRow {
                group: g.clone(),
                mass: round3(m.total),
                categories: m.top(5).into_iter().map(|(c, v)| (c.to_string(), round3(v))).collect(),
            })
            .collect();
        groups.sort_by(|a, b| a.group.cmp(&b.group));
        ModelSummary {
            events: self.events,
            last_event_seq: self.last_seq,
            sessions_remembered: self.sessions.len(),
            terms: self.terms.len(),
            queries: self.queries.len(),
            records_with_usage: self.popularity.len(),
            position_bias,
            top_terms,
            popular,
            groups,
            params: params.clone(),
        }
    }
}

fn group_keys(department: &str, user_group: &str) -> Vec<String> {
    let mut keys = vec!["*".to_string()];
    if !department.is_empty() {
        keys.push(format!("department:{department}"));
    }
    if !user_group.is_empty() {
        keys.push(format!("user_group:{user_group}"));
    }
    keys
}

/// DCG-style weight of rank `i` (from 0).
fn rank_weight(i: usize) -> f64 {
    1.0 / (i as f64 + 2.0).log2()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// What is known about the query being answered.
#[derive(Debug, Clone)]
pub struct QueryContext<'a> {
    /// The whole query, normalised as in [`Session::query_key`].
    pub query_key: &'a str,
    /// Content words with their inverse document frequency (rarer words say more).
    pub terms: &'a [(String, f64)],
    /// Searcher's department.
    pub department: &'a str,
    /// Searcher's user group.
    pub user_group: &'a str,
    /// Now, ms since the epoch (for popularity decay).
    pub now_ms: i64,
}

/// The learned signals for one query.
#[derive(Debug)]
pub struct Scorer<'m> {
    model: &'m RankModel,
    params: &'m RankParams,
    now_ms: i64,
    department: String,
    user_group: String,
    association: HashMap<&'m str, f64>,
    categories: HashMap<&'m str, f64>,
    units: HashMap<&'m str, f64>,
    group: HashMap<&'m str, f64>,
    context: HashMap<&'m str, f64>,
    exact_entropy: Option<f64>,
    ambiguity_bits: f64,
}

impl<'m> Scorer<'m> {
    /// Reads the query's best text results (ids with relevance scaled so the best has 1) as
    /// its description in the click graph (Craswell & Szummer, 2007): a record used in past
    /// searches that showed these results is associated with this query too, however it was
    /// worded. Call before [`Scorer::features`].
    pub fn consider_results(&mut self, best: &[(&str, f64)]) {
        self.context.clear();
        let model: &'m RankModel = self.model;
        let mut weight_sum = 0.0;
        for (i, (id, relevance)) in best.iter().take(CONTEXT_RANKS).enumerate() {
            let w = relevance.max(0.0) * rank_weight(i);
            weight_sum += w;
            let Some(mass) = model.shown_then_used.get(*id) else { continue };
            let denominator = mass.total.max(0.0) + self.params.smoothing;
            for (record, v) in &mass.items {
                *self.context.entry(record.as_str()).or_default() += w * v / denominator;
            }
        }
        if weight_sum > 0.0 {
            for v in self.context.values_mut() {
                *v /= weight_sum;
            }
        }
    }

    /// Decides how ambiguous the query is and, if it is, lets the searcher's department and
    /// user group lift the categories they use. Ambiguity is click entropy (Teevan, Dumais &
    /// Liebling, 2008): of the exact query's clicks when it has enough of them, else of the
    /// categories its best text matches fall in (`cold_categories`, shares). Below 1 bit (one
    /// dominant intent) no prior applies; from 2 bits on it applies in full.
    pub fn consider_ambiguity(&mut self, cold_categories: &[(String, f64)]) {
        let bits = self.exact_entropy.unwrap_or_else(|| entropy_bits(cold_categories.iter().map(|(_, w)| *w)));
        self.ambiguity_bits = bits;
        self.group.clear();
        let gate = (bits - 1.0).clamp(0.0, 1.0);
        if gate <= 0.0 {
            return;
        }
        let model: &'m RankModel = self.model;
        let everyone = model.groups.get("*");
        let own: Vec<&'m Mass> = group_keys(&self.department, &self.user_group)
            .iter()
            .filter(|k| k.as_str() != "*")
            .filter_map(|k| model.groups.get(k))
            .collect();
        for mass in &own {
            for cat in mass.items.keys() {
                let share = mass.share(cat, self.params.smoothing);
                let base = everyone.map_or(0.0, |e| e.share(cat, self.params.smoothing));
                // The lift of the searcher's groups over everyone, averaged over the groups.
                *self.group.entry(cat.as_str()).or_default() += gate * (share - base).max(0.0) / own.len() as f64;
            }
        }
    }

    /// The records most associated with the query's words, to be considered even when their
    /// text does not match.
    pub fn candidates(&self) -> Vec<String> {
        let mut v: Vec<(&str, f64)> =
            self.association.iter().filter(|(_, a)| **a > 0.0).map(|(r, a)| (*r, *a)).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v.into_iter().take(self.params.max_injected).map(|(r, _)| r.to_string()).collect()
    }

    /// Learned features of one record (text relevance is added by [`crate::rerank`]).
    pub fn features(&self, record_id: &str, category: Option<&str>, org_unit: Option<&str>) -> Features {
        let popularity = self.model.popularity.get(record_id).map_or(0.0, |d| {
            let v = d.at(self.now_ms, self.params.popularity_half_life_days);
            if v > 0.0 {
                1.0 - (-v / self.params.popularity_scale.max(1e-9)).exp()
            } else {
                0.0
            }
        });
        Features {
            relevance: 0.0,
            association: self.association.get(record_id).copied().unwrap_or(0.0),
            popularity,
            category: category.and_then(|c| self.categories.get(c)).copied().unwrap_or(0.0),
            unit: org_unit.and_then(|u| self.units.get(u)).copied().unwrap_or(0.0),
            context: self.context.get(record_id).copied().unwrap_or(0.0),
            group: category.and_then(|c| self.group.get(c)).copied().unwrap_or(0.0),
        }
    }

    /// Click entropy of the query in bits (what gates group priors).
    pub fn ambiguity_bits(&self) -> f64 {
        self.ambiguity_bits
    }

    /// Whether any learned signal can move a result.
    pub fn is_active(&self) -> bool {
        !self.model.popularity.is_empty() || !self.association.is_empty() || !self.group.is_empty()
    }

    /// The parameters in force.
    pub fn params(&self) -> &RankParams {
        self.params
    }
}

/// `GET /v1/ranking/model`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ModelSummary {
    /// Events folded in.
    pub events: u64,
    /// Last event sequence folded in.
    pub last_event_seq: u64,
    /// Searches remembered for late events.
    pub sessions_remembered: usize,
    /// Query terms with usage.
    pub terms: usize,
    /// Whole queries with usage.
    pub queries: usize,
    /// Records with usage.
    pub records_with_usage: usize,
    /// Estimated examination propensity per rank.
    pub position_bias: Vec<PositionRow>,
    /// Terms with the most click mass.
    pub top_terms: Vec<TermRow>,
    /// Most used records now.
    pub popular: Vec<PopularRow>,
    /// Category use per department and user group (`*`: everyone).
    pub groups: Vec<GroupRow>,
    /// Parameters in force.
    pub params: RankParams,
}

/// Position-bias row.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PositionRow {
    /// Rank, from 1.
    pub position: u32,
    /// Examination propensity relative to rank 1.
    pub propensity: f64,
    /// First clicks seen at this rank.
    pub clicks: u64,
    /// Searches whose pair (position, position + 1) was randomised.
    pub randomised_pair_searches: u64,
}

/// A term and what its users went on to use.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TermRow {
    /// The term.
    pub term: String,
    /// Its click mass (propensity-weighted, graded).
    pub mass: f64,
    /// Records used most after it.
    pub records: Vec<(String, f64)>,
    /// Their categories.
    pub categories: Vec<(String, f64)>,
}

/// A popular record.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PopularRow {
    /// Record id.
    pub record_id: String,
    /// Decayed use now.
    pub popularity: f64,
}

/// A group's category use.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GroupRow {
    /// `department:X`, `user_group:Y` or `*`.
    pub group: String,
    /// Click mass.
    pub mass: f64,
    /// Its categories.
    pub categories: Vec<(String, f64)>,
}
