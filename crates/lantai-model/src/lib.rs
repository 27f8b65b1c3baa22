//! Domain types and rules of Lantai, with no I/O.
//!
//! Everything that decides whether a record, a code or a principal is valid lives here, so the
//! store, the index and the HTTP face all agree on one definition.
//!
//! ```
//! use lantai_model::ArchivalCode;
//! let code: ArchivalCode = "J012-KJ·JJ-2019-D30-JJB-0003".parse().unwrap();
//! assert_eq!(code.category, "KJ·JJ");
//! assert_eq!(code.to_string(), "J012-KJ·JJ·2019-D30-JJB-0003");
//! ```
#![warn(missing_docs)]

mod archival_code;
mod principal;
mod record;
mod usage;
mod vocab;

pub use archival_code::{ArchivalCode, ArchivalCodeError};
pub use principal::{Grants, Principal, Role};
pub use record::{Record, RecordDefaults, RecordError, UnknownFields, MAX_ID_LEN};
pub use usage::{EventKind, SearchLog, UsageEvent};
pub use vocab::{Access, Classification, Retention, VocabError};
