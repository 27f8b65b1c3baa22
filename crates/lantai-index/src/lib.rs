//! The tantivy index of Lantai: schema, writing, retrieval with filters and visibility, facets
//! and highlighting.
//!
//! The index is derived data: sled holds the records, and each commit here records the last
//! change-log sequence it applied (the commit payload), so the engine can catch up after a crash
//! or rebuild from scratch.
#![warn(missing_docs)]

mod facets;
mod guard;
mod highlight;
mod known_item;
mod query;
mod schema;
mod segment_values;
mod settings;
mod visible;
mod writer;

pub use facets::Facets;
pub use highlight::{highlight, HighlightTerms};
pub use known_item::{code_term, known_by, KnownBy};
pub use query::{Filters, QueryPlan, Visibility};
pub use schema::SCHEMA_VERSION;
pub use settings::{FieldWeights, IndexSettings};
pub use writer::{ArchiveIndex, IndexHit, SearchRequest, SearchResults};

/// Errors of the index layer.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The query cannot be read.
    #[error(transparent)]
    Syntax(#[from] lantai_text::QuerySyntaxError),
    /// File system error around the index directory.
    #[error("index directory: {0}")]
    Io(#[from] std::io::Error),
}

impl IndexError {
    /// Whether the index failed for want of disk space. tantivy wraps its I/O errors several
    /// ways (writing a segment, opening a file, committing), not all as an `io::Error` one can
    /// reach; the OS's message for ENOSPC / EDQUOT names them all.
    pub fn is_storage_full(&self) -> bool {
        let io_full = |e: &std::io::Error| {
            matches!(e.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
                || matches!(e.raw_os_error(), Some(28) | Some(122))
        };
        match self {
            IndexError::Io(e) => io_full(e),
            IndexError::Tantivy(tantivy::TantivyError::IoError(e)) if io_full(e) => true,
            IndexError::Tantivy(e) => {
                let message = e.to_string();
                ["No space left on device", "os error 28", "Disk quota exceeded", "os error 122"]
                    .iter()
                    .any(|m| message.contains(m))
            }
            IndexError::Syntax(_) => false,
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = IndexError> = std::result::Result<T, E>;
