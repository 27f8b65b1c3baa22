//! The one place that ties Lantai together: configuration, ingest, search, records and keys,
//! used alike by the HTTP server and the CLI.
//!
//! Writes go to sled first (flushed before they are acknowledged), then to the index, whose
//! commits record the last change-log sequence applied; [`Engine::open`] catches the index up
//! from the change log, so a crash at any moment loses nothing acknowledged.
#![warn(missing_docs)]

mod batch;
mod clock;
mod config;
mod dictionaries;
mod engine;
mod error;
mod files;
mod keys;
mod quality;
mod ranking;
mod search;
mod strict_json;
mod usage;

pub use batch::{parse_batch, BatchFormat, BatchItem, BatchReport, Rejection, Superseded};
pub use config::{
    Config, ConfigError, FilesConfig, IndexConfig, LimitsConfig, LogConfig, LogFormat, RecordsConfig, SearchConfig,
    ServerConfig, StorageConfig, TextConfig,
};
pub use dictionaries::{Analyzed, DictionaryChange, DictionaryVersion, DictionaryView, ReindexState, ReindexStatus};
pub use engine::{AuditFilter, Engine, Identity, Period, Stats};
pub use error::{EngineError, Result};
pub use files::{FileEntry, FileOutcome, FilesReport};
pub use keys::{AdminKey, IssuedKey, KeyView};
pub use lantai_quality::{indicators_csv, servqual_csv, Instrument, ResponseInput};
pub use lantai_rank::{Features, ModelSummary, RankParams};
pub use quality::{GroupBy, IndicatorGroup, IndicatorsReport, QualityFilter, ServqualReport, StoredResponse};
pub use search::{CategoryWeight, Explain, Hit, Intent, SearchParams, SearchResponse};
pub use usage::{EventInput, EventRejection, EventsReport};

pub use lantai_index::{Filters, Visibility};
pub use lantai_model::{Access, Classification, Grants, Principal, Record, Role};
pub use lantai_store::{AuditEntry, AuditEvent, ChainBreak};
