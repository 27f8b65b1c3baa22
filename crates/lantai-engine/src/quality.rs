//! Service quality: survey instruments, responses and the SERVQUAL and usage reports, grouped
//! by department, user group, category or month. The arithmetic lives in `lantai-quality`.

use std::collections::BTreeMap;

use lantai_model::{SearchLog, UsageEvent};
use lantai_quality::{
    indicators, score_group, short_form, standard_instrument, validate_instrument, validate_response, Dimension,
    EventFact, GroupScore, Indicators, Instrument, Response, ResponseInput, Scored, SearchFact,
};
use serde::{Deserialize, Serialize};

use crate::clock::now;
use crate::engine::{Engine, Identity, Period};
use crate::error::{EngineError, Result};

/// How report rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The respondent's or searcher's department.
    Department,
    /// Their user group.
    UserGroup,
    /// The record's category (门类) the response or search concerned.
    Category,
    /// Calendar month (UTC), `YYYY-MM`.
    Month,
}

impl std::str::FromStr for GroupBy {
    type Err = EngineError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "department" => Ok(GroupBy::Department),
            "user_group" => Ok(GroupBy::UserGroup),
            "category" => Ok(GroupBy::Category),
            "month" => Ok(GroupBy::Month),
            other => Err(EngineError::invalid(
                "group_by",
                format!("{other:?}: use department, user_group, category or month"),
            )),
        }
    }
}

/// Which responses or searches a report covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QualityFilter {
    /// When.
    pub period: Period,
    /// Grouping of the rows (overall only when absent).
    pub group_by: Option<GroupBy>,
    /// Only responses to this instrument version.
    pub survey_version: Option<u32>,
}

/// A survey response as stored: who answered (from the key), when, about what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredResponse {
    /// Position in the log.
    pub seq: u64,
    /// RFC 3339 time.
    pub at: String,
    /// Respondent's principal name.
    pub principal: String,
    /// Respondent's department.
    pub department: String,
    /// Respondent's user group.
    pub user_group: String,
    /// Category of the record (or of the search's first hit) the response concerned.
    pub category: Option<String>,
    /// The validated answers.
    pub response: Response,
}

/// `GET /v1/quality/servqual`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServqualReport {
    /// All responses in the period.
    pub overall: GroupScore,
    /// One entry per group, when grouped.
    pub groups: Vec<GroupScore>,
}

/// Usage indicators of one group, beside the survey's scores for the dimensions they inform.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorGroup {
    /// Group key (`all` overall).
    pub key: String,
    /// The usage figures.
    #[serde(flatten)]
    pub indicators: Indicators,
    /// The survey's reliability and responsiveness scores for the same group and period, so a
    /// disagreement between what people say and what the log shows is visible.
    pub survey: BTreeMap<Dimension, Option<f64>>,
}

/// `GET /v1/quality/indicators`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorsReport {
    /// All searches in the period.
    pub overall: IndicatorGroup,
    /// One entry per group, when grouped.
    pub groups: Vec<IndicatorGroup>,
}

const NONE_KEY: &str = "(none)";

fn key_of(group_by: GroupBy, department: &str, user_group: &str, category: Option<&str>, at: &str) -> String {
    let k = match group_by {
        GroupBy::Department => department.to_string(),
        GroupBy::UserGroup => user_group.to_string(),
        GroupBy::Category => category.unwrap_or_default().to_string(),
        GroupBy::Month => at.get(..7).unwrap_or_default().to_string(),
    };
    if k.is_empty() {
        NONE_KEY.to_string()
    } else {
        k
    }
}

impl Engine {
    /// The instrument in force (version 1, the standard one, until an admin publishes another).
    pub fn current_survey(&self) -> Result<Instrument> {
        if let Some(current) = self.store().surveys.last::<Instrument>()? {
            return Ok(current);
        }
        let first = standard_instrument(1);
        self.store().surveys.put(&version_key(1), &first)?;
        self.flush()?;
        Ok(first)
    }

    /// A given instrument version.
    pub fn survey(&self, version: u32) -> Result<Option<Instrument>> {
        self.current_survey()?;
        Ok(self.store().surveys.get(&version_key(version))?)
    }

    /// The short form of the current instrument (one linking item per dimension plus a few
    /// others, drawn from `seed`).
    pub fn short_form(&self, seed: u64) -> Result<(Instrument, Vec<u8>)> {
        let instrument = self.current_survey()?;
        let items = short_form(&instrument, seed, 2);
        Ok((instrument, items))
    }

    /// Publishes a new instrument version (numbered after the current one); old responses keep
    /// their version.
    pub fn publish_survey(&self, mut instrument: Instrument) -> Result<Instrument> {
        let current = self.current_survey()?;
        instrument.version = current.version + 1;
        validate_instrument(&instrument)
            .map_err(|errors| EngineError::Validation(errors.into_iter().map(|e| (e.field, e.message)).collect()))?;
        self.store().surveys.put(&version_key(instrument.version), &instrument)?;
        self.flush()?;
        Ok(instrument)
    }

    /// Validates and stores a response; durable when this returns.
    pub fn submit_response(&self, input: ResponseInput, caller: &Identity) -> Result<StoredResponse> {
        let version = input.survey_version;
        let Some(instrument) = self.survey(version)? else {
            return Err(EngineError::Validation(vec![(
                "survey_version".into(),
                format!("no survey version {version}"),
            )]));
        };
        let response = validate_response(input, &instrument)
            .map_err(|errors| EngineError::Validation(errors.into_iter().map(|e| (e.field, e.message)).collect()))?;
        let category = match (&response.record_id, &response.query_id) {
            (Some(record), _) => self.get(record, &caller.principal)?.and_then(|r| r.category),
            (None, Some(query)) => self.store().searches.get::<SearchLog>(query)?.and_then(|s| s.top_category),
            (None, None) => None,
        };
        let (at, _) = now();
        let p = &caller.principal;
        let mut stored = None;
        self.store().responses.append(|seq| {
            let entry = StoredResponse {
                seq,
                at,
                principal: p.name.clone(),
                department: p.department.clone(),
                user_group: p.user_group.clone(),
                category,
                response,
            };
            stored = Some(entry.clone());
            entry
        })?;
        self.flush()?;
        Ok(stored.expect("append calls its closure"))
    }

    fn responses_in(&self, filter: &QualityFilter) -> Result<Vec<StoredResponse>> {
        let mut out = Vec::new();
        for r in self.store().responses.iter::<StoredResponse>() {
            let r = r?;
            if filter.period.contains(&r.at) && filter.survey_version.is_none_or(|v| r.response.survey_version == v) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// SERVQUAL scores, overall and per group; groups smaller than `min_n` are suppressed.
    pub fn servqual_report(&self, filter: &QualityFilter, min_n: usize) -> Result<ServqualReport> {
        let responses = self.responses_in(filter)?;
        let overall = score_group(
            &Scored { key: "all".into(), responses: responses.iter().map(|r| &r.response).collect() },
            min_n,
        );
        let mut groups = Vec::new();
        if let Some(group_by) = filter.group_by {
            let mut grouped: BTreeMap<String, Vec<&Response>> = BTreeMap::new();
            for r in &responses {
                let key = key_of(group_by, &r.department, &r.user_group, r.category.as_deref(), &r.at);
                grouped.entry(key).or_default().push(&r.response);
            }
            groups =
                grouped.into_iter().map(|(key, responses)| score_group(&Scored { key, responses }, min_n)).collect();
        }
        Ok(ServqualReport { overall, groups })
    }

    /// Usage indicators from the search log and usage events, beside the survey's scores.
    pub fn indicators_report(&self, filter: &QualityFilter, min_n: usize) -> Result<IndicatorsReport> {
        let mut searches: Vec<SearchLog> = Vec::new();
        for s in self.store().searches.iter::<SearchLog>() {
            let s = s?;
            if filter.period.contains(&s.at) {
                searches.push(s);
            }
        }
        let mut events: Vec<UsageEvent> = Vec::new();
        for e in self.store().events.iter::<UsageEvent>() {
            events.push(e?);
        }
        let survey = self.servqual_report(filter, min_n)?;
        let survey_of = |key: &str| -> BTreeMap<Dimension, Option<f64>> {
            let group = if key == "all" { Some(&survey.overall) } else { survey.groups.iter().find(|g| g.key == key) };
            [Dimension::Reliability, Dimension::Responsiveness]
                .into_iter()
                .map(|d| (d, group.and_then(|g| g.dimensions.get(&d)).and_then(|s| s.score)))
                .collect()
        };
        let facts = |subset: &[&SearchLog]| -> (Vec<SearchFact>, Vec<EventFact>) {
            let ids: std::collections::HashSet<&str> = subset.iter().map(|s| s.query_id.as_str()).collect();
            let s = subset
                .iter()
                .map(|s| SearchFact {
                    query_id: s.query_id.clone(),
                    at_ms: s.at_ms,
                    principal: s.principal.clone(),
                    query: s.query.clone(),
                    total: s.total,
                    latency_ms: s.latency_ms,
                })
                .collect();
            let e = events
                .iter()
                .filter(|e| ids.contains(e.query_id.as_str()))
                .map(|e| EventFact {
                    query_id: e.query_id.clone(),
                    at_ms: e.at_ms,
                    kind: serde_json::to_value(e.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                })
                .collect();
            (s, e)
        };
        let all: Vec<&SearchLog> = searches.iter().collect();
        let (s, e) = facts(&all);
        let overall =
            IndicatorGroup { key: "all".into(), indicators: indicators(&s, &e, min_n), survey: survey_of("all") };
        let mut groups = Vec::new();
        if let Some(group_by) = filter.group_by {
            let mut grouped: BTreeMap<String, Vec<&SearchLog>> = BTreeMap::new();
            for s in &searches {
                let key = key_of(group_by, &s.department, &s.user_group, s.top_category.as_deref(), &s.at);
                grouped.entry(key).or_default().push(s);
            }
            for (key, subset) in grouped {
                let (s, e) = facts(&subset);
                groups.push(IndicatorGroup { indicators: indicators(&s, &e, min_n), survey: survey_of(&key), key });
            }
        }
        Ok(IndicatorsReport { overall, groups })
    }
}

fn version_key(version: u32) -> String {
    // Zero-padded so the last key is the newest version.
    format!("{version:010}")
}
