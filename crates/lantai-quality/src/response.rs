//! One respondent's answers: the raw shape the HTTP body decodes into, and the checked shape we store.
//!
//! Validation reports every problem at once with a field path, so a form can highlight all of them in
//! one round trip, and it never drops or repairs a value silently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::instrument::{Dimension, Instrument, EP_SCALE, ZOT_SCALE};

/// Longest accepted free-text comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// Importance points must add up to 100 within this tolerance (rounding in sliders).
pub const IMPORTANCE_TOLERANCE: f64 = 0.5;

/// Which answer columns a response uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Two columns, expectation and perception, 1–7 (SERVQUAL 1988).
    Ep,
    /// Three columns, minimum, desired and perceived, 1–9 (zone of tolerance, PZB 1994).
    Zot,
}

/// One problem in submitted data, addressed by a path such as `answers[3].perception`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, ToSchema)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// Path of the offending field.
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl FieldError {
    /// Builds an error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Points (out of 100) a respondent allocates to the five dimensions (SERVQUAL 1991 weighting).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Importance {
    /// Points for tangibles.
    pub tangibles: f64,
    /// Points for reliability.
    pub reliability: f64,
    /// Points for responsiveness.
    pub responsiveness: f64,
    /// Points for assurance.
    pub assurance: f64,
    /// Points for empathy.
    pub empathy: f64,
}

impl Importance {
    /// Points given to one dimension.
    pub fn get(&self, d: Dimension) -> f64 {
        match d {
            Dimension::Tangibles => self.tangibles,
            Dimension::Reliability => self.reliability,
            Dimension::Responsiveness => self.responsiveness,
            Dimension::Assurance => self.assurance,
            Dimension::Empathy => self.empathy,
        }
    }

    /// Sum of all points.
    pub fn total(&self) -> f64 {
        Dimension::ALL.iter().map(|d| self.get(*d)).sum()
    }

    /// Weights `points_d / Σ points`, summing to 1.
    ///
    /// Dividing by the actual total rather than by 100 keeps a response allocating 99.6 points from
    /// shrinking its weighted score by 0.4 %. `None` when any value is negative or not finite, or
    /// the total is not positive.
    pub fn weights(&self) -> Option<BTreeMap<Dimension, f64>> {
        let total = self.total();
        let sane = Dimension::ALL.iter().all(|d| self.get(*d).is_finite() && self.get(*d) >= 0.0);
        if !sane || !total.is_finite() || total <= 0.0 {
            return None;
        }
        Some(Dimension::ALL.iter().map(|d| (*d, self.get(*d) / total)).collect())
    }
}

/// One item's answer as submitted; `null` or absent means N/A.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// Item number; `i64` so that nonsense such as `-1` is reported rather than failing to decode.
    pub item: i64,
    /// "ep": how far an excellent archive would do this.
    pub expectation: Option<f64>,
    /// "ep": how far this archive does it.
    pub perception: Option<f64>,
    /// "zot": minimum acceptable level.
    pub minimum: Option<f64>,
    /// "zot": desired level.
    pub desired: Option<f64>,
    /// "zot": perceived level.
    pub perceived: Option<f64>,
}

/// A response as submitted, before validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    /// Must equal the instrument's version.
    pub survey_version: u32,
    /// Which columns the answers use.
    pub format: Format,
    /// Item answers.
    pub answers: Vec<AnswerInput>,
    /// Optional importance points for the weighted score.
    #[serde(default)]
    pub importance: Option<Importance>,
    /// Technical quality rating, 1–7.
    pub technical: Option<f64>,
    /// Functional quality rating, 1–7.
    pub functional: Option<f64>,
    /// Whether the record sought was found.
    pub found_record: Option<bool>,
    /// Free text, at most [`MAX_COMMENT_CHARS`] characters.
    pub comment: Option<String>,
    /// The search this response follows up, if any.
    pub query_id: Option<String>,
    /// The record this response is about, if any.
    pub record_id: Option<String>,
}

/// One item's checked answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Item number, 1..=22.
    pub item: u8,
    /// "ep" expectation, 1–7.
    pub expectation: Option<f64>,
    /// "ep" perception, 1–7.
    pub perception: Option<f64>,
    /// "zot" minimum, 1–9.
    pub minimum: Option<f64>,
    /// "zot" desired, 1–9.
    pub desired: Option<f64>,
    /// "zot" perceived, 1–9.
    pub perceived: Option<f64>,
}

impl Answer {
    /// (E, P) for scoring: expectation/perception for "ep", desired/perceived for "zot", so both
    /// formats feed the same gap formulas.
    pub fn expectation_perception(&self, format: Format) -> (Option<f64>, Option<f64>) {
        match format {
            Format::Ep => (self.expectation, self.perception),
            Format::Zot => (self.desired, self.perceived),
        }
    }
}

/// A checked response, stored as JSON by the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The instrument version answered.
    pub survey_version: u32,
    /// Which columns the answers use.
    pub format: Format,
    /// Item answers, in submitted order, no duplicates.
    pub answers: Vec<Answer>,
    /// Importance points, summing to 100 ± 0.5.
    pub importance: Option<Importance>,
    /// Technical quality rating, 1–7.
    pub technical: Option<f64>,
    /// Functional quality rating, 1–7.
    pub functional: Option<f64>,
    /// Whether the record sought was found.
    pub found_record: Option<bool>,
    /// Free text.
    pub comment: Option<String>,
    /// The search this response follows up, if any.
    pub query_id: Option<String>,
    /// The record this response is about, if any.
    pub record_id: Option<String>,
}

/// Checks a value on a whole-number scale; `None` (N/A) is always fine.
fn check_scale(errors: &mut Vec<FieldError>, field: String, value: Option<f64>, (lo, hi): (u8, u8)) {
    if let Some(v) = value {
        if !(v.is_finite() && v.fract() == 0.0 && v >= f64::from(lo) && v <= f64::from(hi)) {
            errors.push(FieldError::new(field, format!("must be a whole number from {lo} to {hi}, got {v}")));
        }
    }
}

/// Checks a value within a range, fractions allowed.
fn check_range(errors: &mut Vec<FieldError>, field: &str, value: Option<f64>, (lo, hi): (u8, u8)) {
    if let Some(v) = value {
        if !(v.is_finite() && v >= f64::from(lo) && v <= f64::from(hi)) {
            errors.push(FieldError::new(field, format!("must be between {lo} and {hi}, got {v}")));
        }
    }
}

/// Reports columns that do not belong to the response's format.
fn check_absent(errors: &mut Vec<FieldError>, path: &str, format: Format, fields: &[(&str, Option<f64>)]) {
    let name = match format {
        Format::Ep => "ep",
        Format::Zot => "zot",
    };
    for &(field, value) in fields {
        if value.is_some() {
            errors.push(FieldError::new(format!("{path}.{field}"), format!("not allowed in the {name} format")));
        }
    }
}

fn check_importance(errors: &mut Vec<FieldError>, importance: &Importance) {
    let mut sane = true;
    for d in Dimension::ALL {
        let v = importance.get(d);
        if !(v.is_finite() && v >= 0.0) {
            sane = false;
            errors.push(FieldError::new(format!("importance.{}", d.key()), format!("must be zero or more, got {v}")));
        }
    }
    let total = importance.total();
    if sane && (total - 100.0).abs() > IMPORTANCE_TOLERANCE {
        errors.push(FieldError::new("importance", format!("points must add up to 100 (±0.5), got {total}")));
    }
}

/// Validates a submitted response against the instrument it claims to answer.
///
/// Collects every error (see the crate docs for the rules); on success nothing is changed except
/// that item numbers become `u8`.
pub fn validate_response(input: ResponseInput, instrument: &Instrument) -> Result<Response, Vec<FieldError>> {
    let mut errors = Vec::new();
    if input.survey_version != instrument.version {
        errors.push(FieldError::new(
            "survey_version",
            format!("this survey is version {}, got {}", instrument.version, input.survey_version),
        ));
    }
    if input.answers.is_empty() {
        errors.push(FieldError::new("answers", "at least one answer is required"));
    }

    let mut first_seen: BTreeMap<u8, usize> = BTreeMap::new();
    let mut answers = Vec::with_capacity(input.answers.len());
    for (idx, a) in input.answers.iter().enumerate() {
        let path = format!("answers[{idx}]");
        let item = u8::try_from(a.item)
            .ok()
            .filter(|n| Dimension::of_item(*n).is_some() && instrument.items.iter().any(|i| i.number == *n));
        match item {
            None => errors.push(FieldError::new(format!("{path}.item"), format!("no item {} in this survey", a.item))),
            Some(n) => {
                if let Some(first) = first_seen.get(&n) {
                    errors.push(FieldError::new(
                        format!("{path}.item"),
                        format!("duplicate item {n} (already answered in answers[{first}])"),
                    ));
                } else {
                    first_seen.insert(n, idx);
                }
            }
        }
        match input.format {
            Format::Ep => {
                check_absent(
                    &mut errors,
                    &path,
                    Format::Ep,
                    &[("minimum", a.minimum), ("desired", a.desired), ("perceived", a.perceived)],
                );
                check_scale(&mut errors, format!("{path}.expectation"), a.expectation, EP_SCALE);
                check_scale(&mut errors, format!("{path}.perception"), a.perception, EP_SCALE);
            }
            Format::Zot => {
                check_absent(
                    &mut errors,
                    &path,
                    Format::Zot,
                    &[("expectation", a.expectation), ("perception", a.perception)],
                );
                check_scale(&mut errors, format!("{path}.minimum"), a.minimum, ZOT_SCALE);
                check_scale(&mut errors, format!("{path}.desired"), a.desired, ZOT_SCALE);
                check_scale(&mut errors, format!("{path}.perceived"), a.perceived, ZOT_SCALE);
                if let (Some(min), Some(des)) = (a.minimum, a.desired) {
                    if min > des {
                        errors.push(FieldError::new(
                            format!("{path}.minimum"),
                            format!("minimum ({min}) must not exceed desired ({des})"),
                        ));
                    }
                }
            }
        }
        if let Some(n) = item {
            answers.push(Answer {
                item: n,
                expectation: a.expectation,
                perception: a.perception,
                minimum: a.minimum,
                desired: a.desired,
                perceived: a.perceived,
            });
        }
    }

    if let Some(importance) = &input.importance {
        check_importance(&mut errors, importance);
    }
    check_range(&mut errors, "technical", input.technical, EP_SCALE);
    check_range(&mut errors, "functional", input.functional, EP_SCALE);
    if let Some(comment) = &input.comment {
        let chars = comment.chars().count();
        if chars > MAX_COMMENT_CHARS {
            errors.push(FieldError::new(
                "comment",
                format!("must be at most {MAX_COMMENT_CHARS} characters, got {chars}"),
            ));
        }
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Response {
        survey_version: input.survey_version,
        format: input.format,
        answers,
        importance: input.importance,
        technical: input.technical,
        functional: input.functional,
        found_record: input.found_record,
        comment: input.comment,
        query_id: input.query_id,
        record_id: input.record_id,
    })
}
