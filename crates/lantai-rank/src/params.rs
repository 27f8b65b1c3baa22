//! The weights and constants of learning from usage (the `[ranking]` section of the config).

use serde::{Deserialize, Serialize};

/// Ranking parameters. Defaults hold for any archive; they are not fitted to a test set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RankParams {
    /// Whether usage changes the order at all (cold ranking when off; learning goes on).
    pub enabled: bool,
    /// Weight of the learned query-term → record association (relevance is scaled to 0–1).
    pub association_weight: f64,
    /// Weight of record popularity (time-decayed, saturating).
    pub popularity_weight: f64,
    /// Weight of the learned P(category | query words): relevance × (1 + weight × P).
    pub category_weight: f64,
    /// Weight of the learned P(机构/问题 | query words), likewise.
    pub unit_weight: f64,
    /// Weight of the click-graph association (records used after searches with similar results).
    pub context_weight: f64,
    /// Weight of the department / user-group category prior on ambiguous queries.
    pub group_weight: f64,
    /// Popularity halves in this many days without use.
    pub popularity_half_life_days: f64,
    /// Satisfied-click mass at which popularity reaches 63% of its ceiling.
    pub popularity_scale: f64,
    /// Additive smoothing (in click mass) of every learned distribution.
    pub smoothing: f64,
    /// Inverse-propensity weights are clipped here (bounds the variance of rare deep clicks).
    pub max_inverse_propensity: f64,
    /// Results re-ranked from usage (deeper ones keep their text-relevance order).
    pub rerank_depth: usize,
    /// Records brought in by association even when their text does not match the query.
    pub max_injected: usize,
    /// Share of first pages on which one random adjacent pair is swapped to measure position
    /// bias (never the known-item answer). 0 turns swaps off.
    pub swap_rate: f64,
    /// Deepest rank a swap may touch.
    pub swap_depth: u32,
    /// Search sessions remembered for attributing late events (older ones are forgotten).
    pub session_memory: usize,
}

impl Default for RankParams {
    fn default() -> Self {
        RankParams {
            enabled: true,
            association_weight: 1.0,
            popularity_weight: 0.05,
            category_weight: 1.0,
            unit_weight: 1.0,
            context_weight: 1.0,
            group_weight: 0.2,
            popularity_half_life_days: 90.0,
            popularity_scale: 5.0,
            smoothing: 2.0,
            max_inverse_propensity: 20.0,
            rerank_depth: 100,
            max_injected: 20,
            swap_rate: 0.05,
            swap_depth: 10,
            session_memory: 100_000,
        }
    }
}
