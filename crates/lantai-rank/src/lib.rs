//! Ranking from usage: what Lantai learns from how people use the archive, as pure logic over
//! the search log and usage events it is handed (the engine stores them and calls in here).
//!
//! The methods are the field's proven ones, not ad-hoc weights:
//! - clicks are position-biased, relative judgments: the examination propensity of each rank is
//!   estimated from small randomised swaps of adjacent results ([`PositionBias`]), and every
//!   click is weighted by its inverse propensity (clipped);
//! - a satisfied click (long dwell, download, borrow, copy, "useful") counts more than a bare
//!   open, a quick return less, "not useful" against ([`Label`]);
//! - from satisfied sessions the model learns query-term → record associations (a record is
//!   found by the words people actually use for it), P(category | query terms), record
//!   popularity with time decay, and category priors per department and user group
//!   ([`RankModel`]);
//! - group priors apply only to ambiguous queries (high click entropy), so personalisation never
//!   reorders a clear query ([`Scorer`]).
//!
//! The model is a deterministic fold over the event log: replaying the same events gives the
//! same model, so a persisted copy can always be checked or rebuilt.
#![warn(missing_docs)]

mod label;
mod model;
mod params;
mod propensity;
mod rerank;

pub use label::Label;
pub use model::{
    GroupRow, Interaction, ModelSummary, PopularRow, PositionRow, QueryContext, RankModel, Scorer, Session, TermRow,
};
pub use params::RankParams;
pub use propensity::PositionBias;
pub use rerank::{rerank, Candidate, Features, Scored};
