//! Engine errors, each with a stable code (the HTTP layer maps codes to statuses in one table).

use lantai_index::IndexError;
use lantai_store::StoreError;

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A query the syntax cannot read.
    #[error("{0}")]
    QuerySyntax(String),
    /// A parameter with a value out of its domain.
    #[error("parameter `{name}`: {message}")]
    InvalidParameter {
        /// Parameter name.
        name: String,
        /// Why.
        message: String,
    },
    /// A parameter the endpoint does not know.
    #[error("unknown parameter `{0}`")]
    UnknownParameter(String),
    /// A body that cannot be read at all.
    #[error("{0}")]
    MalformedBody(String),
    /// Fields that failed validation: (field path, message) for each.
    #[error("{}", .0.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; "))]
    Validation(Vec<(String, String)>),
    /// A batch with more records than allowed.
    #[error("{0}")]
    BatchTooLarge(String),
    /// No such record (or not visible).
    #[error("no record {0:?}")]
    NotFound(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A snapshot could not be written or restored.
    #[error(transparent)]
    Snapshot(#[from] lantai_store::SnapshotError),
    /// The index failed.
    #[error("{0}")]
    Index(IndexError),
    /// Analysis resources could not be loaded.
    #[error(transparent)]
    Text(#[from] lantai_text::TextError),
    /// The configuration is wrong.
    #[error(transparent)]
    Config(#[from] crate::ConfigError),
    /// File system error in the data directory.
    #[error("data directory: {0}")]
    Io(#[from] std::io::Error),
}

impl From<IndexError> for EngineError {
    fn from(e: IndexError) -> Self {
        match e {
            IndexError::Syntax(s) => EngineError::QuerySyntax(s.to_string()),
            other => EngineError::Index(other),
        }
    }
}

impl EngineError {
    /// The stable, documented code of this error.
    pub fn code(&self) -> &'static str {
        if self.is_storage_full() {
            return "storage_full";
        }
        match self {
            EngineError::QuerySyntax(_) => "query_syntax",
            EngineError::InvalidParameter { .. } => "invalid_parameter",
            EngineError::UnknownParameter(_) => "unknown_parameter",
            EngineError::MalformedBody(_) => "malformed_body",
            EngineError::NotFound(_) => "not_found",
            EngineError::BatchTooLarge(_) => "payload_too_large",
            EngineError::Validation(_) => "invalid_field",
            EngineError::Store(_) => "storage_error",
            EngineError::Snapshot(_) => "snapshot_error",
            EngineError::Index(_) => "index_error",
            EngineError::Text(_) | EngineError::Config(_) => "configuration_error",
            EngineError::Io(_) => "storage_error",
        }
    }

    /// Whether the data directory's disk is full (nothing could be stored).
    pub fn is_storage_full(&self) -> bool {
        match self {
            EngineError::Store(e) => e.is_storage_full(),
            EngineError::Io(e) => lantai_store::is_full(e),
            EngineError::Index(e) => e.is_storage_full(),
            _ => false,
        }
    }

    /// Whether the caller (not the service) is at fault.
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            EngineError::QuerySyntax(_)
                | EngineError::InvalidParameter { .. }
                | EngineError::UnknownParameter(_)
                | EngineError::MalformedBody(_)
                | EngineError::NotFound(_)
                | EngineError::BatchTooLarge(_)
                | EngineError::Validation(_)
        )
    }

    pub(crate) fn invalid(name: &str, message: impl Into<String>) -> Self {
        EngineError::InvalidParameter { name: name.to_string(), message: message.into() }
    }
}

/// Result alias of this crate.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
