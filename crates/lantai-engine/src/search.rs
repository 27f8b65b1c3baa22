//! Search parameters (parsed from a query string) and the search answer.

use std::collections::BTreeMap;

use lantai_index::Filters;
use lantai_model::Classification;
use serde::Serialize;

use crate::config::{LimitsConfig, SearchConfig};
use crate::error::{EngineError, Result};

/// A validated search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams {
    /// Search-box text (may be empty: browse everything visible).
    pub q: String,
    /// Page size.
    pub limit: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Filters.
    pub filters: Filters,
    /// Add each hit's score components.
    pub explain: bool,
}

const KNOWN: &[&str] = &["q", "limit", "offset", "category", "year_from", "year_to", "classification", "explain"];

impl SearchParams {
    /// Reads `q`, `limit`, `offset`, `category` (repeatable or comma-separated), `year_from`,
    /// `year_to`, `classification` (repeatable or comma-separated) and `explain` (`true`/`false`).
    /// Anything else, or a value out of range, is an error naming the parameter.
    pub fn from_pairs(
        pairs: &[(String, String)],
        config: &SearchConfig,
        limits: &LimitsConfig,
    ) -> Result<SearchParams> {
        let mut params = SearchParams {
            q: String::new(),
            limit: config.default_limit,
            offset: 0,
            filters: Filters::default(),
            explain: false,
        };
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in pairs {
            let Some(known) = KNOWN.iter().find(|k| **k == name) else {
                return Err(EngineError::UnknownParameter(name.clone()));
            };
            let repeatable = matches!(*known, "category" | "classification");
            if !repeatable && seen.contains(known) {
                return Err(EngineError::invalid(name, "given more than once"));
            }
            seen.push(known);
            match *known {
                "q" => {
                    if value.chars().count() > config.max_query_chars {
                        return Err(EngineError::invalid(
                            "q",
                            format!("longer than {} characters", config.max_query_chars),
                        ));
                    }
                    if value.contains('\0') {
                        return Err(EngineError::invalid("q", "contains a NUL character"));
                    }
                    params.q = value.clone();
                }
                "limit" => {
                    params.limit = number(name, value, 0, config.max_limit as u64)? as usize;
                }
                "offset" => params.offset = number(name, value, 0, 100_000)? as usize,
                "explain" => {
                    params.explain = match value.trim() {
                        "true" | "1" | "" => true,
                        "false" | "0" => false,
                        other => return Err(EngineError::invalid(name, format!("{other:?} is not true or false"))),
                    }
                }
                "year_from" => params.filters.year_from = Some(number(name, value, 1000, 9999)? as i64),
                "year_to" => params.filters.year_to = Some(number(name, value, 1000, 9999)? as i64),
                "category" => params.filters.categories.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(|c| c.replace(['・', '•'], "·").to_ascii_uppercase()),
                ),
                "classification" => {
                    for c in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                        let parsed: Classification = c
                            .parse()
                            .map_err(|e: lantai_model::VocabError| EngineError::invalid(name, e.to_string()))?;
                        params.filters.classifications.push(parsed);
                    }
                }
                _ => unreachable!("every known parameter is handled"),
            }
        }
        if params.offset + params.limit > limits.max_page_depth {
            return Err(EngineError::invalid(
                "offset",
                format!("offset + limit may reach result {} at most; narrow the query instead", limits.max_page_depth),
            ));
        }
        let clauses = lantai_text::parse_query(&params.q)
            .map(|p| p.clauses.iter().filter(|c| !matches!(c, lantai_text::Clause::Free(_))).count())
            .unwrap_or(0);
        if clauses > limits.max_query_clauses {
            return Err(EngineError::invalid(
                "q",
                format!("{clauses} phrases and exclusions; at most {}", limits.max_query_clauses),
            ));
        }
        if let (Some(from), Some(to)) = (params.filters.year_from, params.filters.year_to) {
            if from > to {
                return Err(EngineError::invalid("year_from", format!("{from} is after year_to {to}")));
            }
        }
        Ok(params)
    }
}

fn number(name: &str, value: &str, min: u64, max: u64) -> Result<u64> {
    let n: u64 =
        value.trim().parse().map_err(|_| EngineError::invalid(name, format!("{value:?} is not a whole number")))?;
    if n < min || n > max {
        return Err(EngineError::invalid(name, format!("{n} is outside {min}..={max}")));
    }
    Ok(n)
}

/// One hit as shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// Record id.
    pub id: String,
    /// Relevance score.
    pub score: f32,
    /// 题名
    pub title: Option<String>,
    /// Highlighted fragment (`<em>` marks matches; the rest is HTML-escaped).
    pub snippet: String,
    /// 门类
    pub category: Option<String>,
    /// 年度
    pub year: Option<i32>,
    /// 日期
    pub date: Option<String>,
    /// 档号
    pub archival_code: Option<String>,
    /// 密级
    pub classification: Classification,
    /// 文号
    pub doc_number: Option<String>,
    /// 责任者
    pub creator: Option<String>,
    /// 存储位置
    pub location: Option<String>,
    /// Whether this hit is the record the query named (档号, 文号, id or exact title).
    pub answer: bool,
    /// Score components (with `explain=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explain>,
}

/// Why a hit scored what it did.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Explain {
    /// Text relevance as retrieved (BM25 over the whole record plus field bonuses).
    pub text_score: f32,
    /// The components, each 0–1 (`relevance` is the text score over the best one's).
    pub features: lantai_rank::Features,
    /// Weights in force for each learned component.
    pub weights: ExplainWeights,
    /// `relevance` plus each weighted component: the ranking key.
    pub total: f64,
    /// Pinned first as the known-item answer, whatever the components say.
    pub pinned: bool,
}

/// The weights of the learned components.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ExplainWeights {
    /// Query-word association (added).
    pub association: f64,
    /// Click-graph association (added).
    pub context: f64,
    /// Learned 门类 (relevance × (1 + weight × P)).
    pub category: f64,
    /// Learned 机构/问题 (likewise).
    pub unit: f64,
    /// Department / user-group prior (likewise).
    pub group: f64,
    /// Popularity (likewise).
    pub popularity: f64,
}

/// What the query seems to be after.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Intent {
    /// `known_item` (the query names one record) or `topical`.
    pub kind: &'static str,
    /// The categories the query most likely means, with weights summing to 1 (from the best
    /// hits' scores). A soft signal and a facet, never a filter.
    pub categories: Vec<CategoryWeight>,
    /// Why the first hits rank where they do, in one line.
    pub explanation: String,
}

/// A category and its weight.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CategoryWeight {
    /// 门类 code.
    pub category: String,
    /// Share, 0–1.
    pub weight: f64,
}

/// Facet counts, keyed as strings for JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetCounts {
    /// Per 门类 code.
    pub category: BTreeMap<String, u64>,
    /// Per 年度.
    pub year: BTreeMap<String, u64>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// Identifies this search (for usage events).
    pub query_id: String,
    /// Visible matches in all.
    pub total: usize,
    /// Server time spent, milliseconds.
    pub took_ms: f64,
    /// The page.
    pub hits: Vec<Hit>,
    /// Counts over all visible matches.
    pub facets: FacetCounts,
    /// The query as segmented.
    pub tokens: Vec<String>,
    /// What the query seems to be after.
    pub intent: Intent,
    /// The adjacent pair (k, k+1) shown in random order, if any (logged, not shown).
    #[serde(skip)]
    pub randomised_pair: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<SearchParams> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        let config = crate::Config::defaults();
        SearchParams::from_pairs(&pairs, &config.search, &config.limits)
    }

    #[test]
    fn reads_filters_and_refuses_bad_values() {
        let p = parse(&[("q", "档案"), ("category", "WS,KJ・JJ"), ("classification", "公开"), ("year_from", "2019")])
            .unwrap();
        assert_eq!(p.filters.categories, ["WS", "KJ·JJ"]);
        assert_eq!(p.limit, 10);
        assert_eq!(parse(&[("qq", "x")]).unwrap_err().code(), "unknown_parameter");
        for bad in [("limit", "1001"), ("limit", "-1"), ("offset", "x"), ("classification", "保密"), ("year_to", "20")]
        {
            assert_eq!(parse(&[bad]).unwrap_err().code(), "invalid_parameter", "{bad:?}");
        }
        assert!(parse(&[("year_from", "2020"), ("year_to", "2019")]).is_err());
    }
}
