//! Combining text relevance with what usage taught.

use serde::Serialize;

use crate::model::Scorer;

/// A result of the text search, to be re-ranked.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Record id.
    pub id: String,
    /// Its 门类.
    pub category: Option<String>,
    /// Its 机构/问题.
    pub org_unit: Option<String>,
    /// Text relevance (BM25-based; 0 for a record brought in by association alone).
    pub score: f32,
}

/// The components of a re-ranked score (shown with `explain=true`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Features {
    /// Text relevance scaled so the best candidate has 1.
    pub relevance: f64,
    /// Learned association of the query's words (or the query itself) with the record.
    pub association: f64,
    /// Time-decayed use of the record, 0–1.
    pub popularity: f64,
    /// Learned P(category | query words) of the record's category, weighted by how much usage
    /// backs it (0: no evidence).
    pub category: f64,
    /// The same for the record's 机构/问题 (its subject grouping).
    pub unit: f64,
    /// Click-graph association: use of the record after past searches whose results were
    /// like this query's.
    pub context: f64,
    /// The searcher's department / user-group lift for the category (ambiguous queries only).
    pub group: f64,
}

/// A re-ranked result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// Record id.
    pub id: String,
    /// Its 门类.
    pub category: Option<String>,
    /// Text relevance as retrieved.
    pub text_score: f32,
    /// Components.
    pub features: Features,
    /// Weighted sum: the ranking key.
    pub total: f64,
}

/// Orders `candidates` by text relevance, scaled by the learned priors, plus the association. Without usage the
/// order is exactly the text order (ties keep their given order).
pub fn rerank(candidates: Vec<Candidate>, scorer: &Scorer<'_>) -> Vec<Scored> {
    let p = scorer.params();
    let best = candidates.iter().map(|c| c.score).fold(0.0f32, f32::max);
    let scale = if best > 0.0 { 1.0 / f64::from(best) } else { 0.0 };
    let mut scored: Vec<(usize, Scored)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut f = scorer.features(&c.id, c.category.as_deref(), c.org_unit.as_deref());
            f.relevance = f64::from(c.score.max(0.0)) * scale;
            // Priors scale text relevance (they reorder what matches, never replace it); the
            // association adds, so a record people found with these words can come up at all.
            let total = f.relevance
                * (1.0 + p.category_weight * f.category)
                * (1.0 + p.unit_weight * f.unit)
                * (1.0 + p.group_weight * f.group)
                * (1.0 + p.popularity_weight * f.popularity)
                + p.association_weight * f.association
                + p.context_weight * f.context;
            (i, Scored { id: c.id, category: c.category, text_score: c.score, features: f, total })
        })
        .collect();
    scored.sort_by(|(ia, a), (ib, b)| b.total.total_cmp(&a.total).then_with(|| ia.cmp(ib)));
    scored.into_iter().map(|(_, s)| s).collect()
}

impl Default for Features {
    /// No learned evidence.
    fn default() -> Self {
        Features {
            relevance: 0.0,
            association: 0.0,
            popularity: 0.0,
            category: 0.0,
            unit: 0.0,
            context: 0.0,
            group: 0.0,
        }
    }
}
