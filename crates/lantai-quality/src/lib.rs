//! Service quality of the archive information service, measured the SERVQUAL way, with no I/O.
//!
//! * [`instrument`](standard_instrument): the five dimensions and 22 items (Parasuraman, Zeithaml &
//!   Berry 1988/1991), worded for an archive, plus Grönroos' technical/functional quality questions.
//! * [`validate_response`]: checks a submitted response and reports every problem with a field path.
//!   Rules: `survey_version` equals the instrument's; at least one answer; each item exists (1..=22)
//!   and appears once (the repeat is reported); "ep" answers use only expectation/perception, whole
//!   numbers 1–7; "zot" answers use only minimum/desired/perceived, whole numbers 1–9, with
//!   minimum ≤ desired; `null` means N/A and an all-`null` answer is allowed; importance points are
//!   each ≥ 0 and sum to 100 ± 0.5; technical/functional lie in 1–7; a comment has ≤ 2000 characters.
//! * [`score_group`]: gaps G = P − E per item and dimension, SERVQUAL unweighted and weighted scores,
//!   SERVPERF, Cronbach's α, and the zone of tolerance (1994). Groups smaller than `min_n` are
//!   suppressed so no individual can be singled out.
//! * [`indicators`]: search-log indicators that inform reliability and responsiveness.
//! * [`servqual_csv`], [`indicators_csv`]: exports for spreadsheets.
//!
//! ```
//! use lantai_quality::{score_group, standard_instrument, validate_response, ResponseInput, Scored};
//! let instrument = standard_instrument(1);
//! let input: ResponseInput = serde_json::from_str(
//!     r#"{"survey_version": 1, "format": "ep",
//!         "answers": [{"item": 1, "expectation": 7, "perception": 5}]}"#,
//! ).unwrap();
//! let response = validate_response(input, &instrument).unwrap();
//! let score = score_group(&Scored { key: "all".into(), responses: vec![&response] }, 1);
//! assert_eq!(score.items[0].gap.mean, Some(-2.0));
//! ```
#![warn(missing_docs)]

mod csv;
mod indicators;
mod instrument;
mod response;
mod servqual;
mod stats;

pub use csv::{indicators_csv, servqual_csv};
pub use indicators::{
    indicators, EventFact, Indicators, Informs, SearchFact, INFORMS, REFORMULATION_WINDOW_MS, SUCCESS_KINDS,
};
pub use instrument::{
    short_form, standard_instrument, validate_instrument, Dimension, Instrument, Item, Prompt, EP_SCALE, ITEM_COUNT,
    LINKING_ITEMS, ZOT_SCALE,
};
pub use response::{
    validate_response, Answer, AnswerInput, FieldError, Format, Importance, Response, ResponseInput,
    IMPORTANCE_TOLERANCE, MAX_COMMENT_CHARS,
};
pub use servqual::{
    min_items, score_group, Alpha, DimensionScore, GroupScore, ItemScore, Scored, ZoneDimension, ZoneScore,
    ALPHA_THRESHOLD,
};
pub use stats::{cronbach_alpha, mean, median, nearest_rank, sample_variance, summarize, Summary};
