//! Durable state of Lantai in sled: records (the source of truth), the change log the index
//! catches up from, and API keys.
//!
//! Every write goes through one transaction that updates the record and appends to the change
//! log together, and [`Store::flush`] makes it durable; the engine acknowledges a write only
//! after that flush.
#![warn(missing_docs)]

mod audit;
mod keys;
mod log;
mod snapshot;

use std::path::Path;

use lantai_model::Record;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

pub use audit::{AuditEntry, AuditEvent, AuditLog, ChainBreak, GENESIS};
pub use keys::{KeyEntry, KeyStore};
pub use log::JsonLog;
pub use snapshot::{SnapshotError, SnapshotInfo, SNAPSHOT_VERSION};

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// sled failed (I/O, corruption, lock held by another process …).
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
    /// A stored value could not be decoded.
    #[error("corrupt stored value in {tree}: {reason}")]
    Corrupt {
        /// Which tree.
        tree: &'static str,
        /// Decoder message.
        reason: String,
    },
}

impl StoreError {
    /// Whether the disk (or quota) of the data directory is full.
    pub fn is_storage_full(&self) -> bool {
        match self {
            StoreError::Sled(sled::Error::Io(e)) => is_full(e),
            _ => false,
        }
    }
}

/// ENOSPC or EDQUOT: no room left for the data directory.
pub fn is_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(28) | Some(122))
}

/// Result alias of this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One write, as applied and logged.
#[derive(Debug, Clone)]
pub enum Op {
    /// Insert or replace a record by id.
    Upsert(Box<Record>),
    /// Remove a record by id.
    Delete(String),
}

/// What the change log remembers of a write: enough to replay it against the records tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Sequence number, strictly increasing.
    pub seq: u64,
    /// Whether the id was written or removed.
    pub kind: ChangeKind,
    /// The record id.
    pub id: String,
}

/// Kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Written (inserted or replaced).
    Upsert,
    /// Removed.
    Delete,
}

/// The sled database with its trees.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    records: sled::Tree,
    changelog: sled::Tree,
    meta: sled::Tree,
    keys: KeyStore,
    audit: std::sync::Arc<AuditLog>,
    /// Searches, by query id.
    pub searches: JsonLog,
    /// Usage events (利用登记 of what users did with results).
    pub events: JsonLog,
    /// Survey instrument versions, by version number.
    pub surveys: JsonLog,
    /// Survey responses.
    pub responses: JsonLog,
    /// The ranking model learned from usage (a derived copy: the events are the truth).
    pub ranking: JsonLog,
    /// The user dictionary and synonyms managed through the API, with their past versions.
    pub dictionaries: JsonLog,
}

const SEQ_KEY: &[u8] = b"last_seq";
/// Writes per sled transaction: bounds the memory a huge batch holds at once.
const CHUNK: usize = 1000;

impl Store {
    /// Opens (or creates) the store under `dir` with a bounded page cache.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<Store> {
        let db = sled::Config::new().path(dir).cache_capacity(cache_bytes).open()?;
        let records = db.open_tree("records")?;
        let changelog = db.open_tree("changelog")?;
        let meta = db.open_tree("meta")?;
        let keys = KeyStore::new(db.open_tree("keys")?, db.open_tree("key_hashes")?);
        let audit = std::sync::Arc::new(AuditLog::new(db.open_tree("audit")?));
        let searches = JsonLog::new("searches", db.open_tree("searches")?);
        let events = JsonLog::new("events", db.open_tree("events")?);
        let surveys = JsonLog::new("surveys", db.open_tree("surveys")?);
        let responses = JsonLog::new("responses", db.open_tree("responses")?);
        let ranking = JsonLog::new("ranking", db.open_tree("ranking")?);
        let dictionaries = JsonLog::new("dictionaries", db.open_tree("dictionaries")?);
        Ok(Store {
            db,
            records,
            changelog,
            meta,
            keys,
            audit,
            searches,
            events,
            surveys,
            responses,
            ranking,
            dictionaries,
        })
    }

    /// The API keys.
    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// The audit trail.
    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }

    /// Applies writes in order, each with the next sequence number, and returns the change for
    /// each (a delete of an absent id yields `None`). Not durable until [`Store::flush`].
    pub fn apply(&self, ops: Vec<Op>) -> Result<Vec<Option<Change>>> {
        let mut out = Vec::with_capacity(ops.len());
        for chunk in ops.chunks(CHUNK) {
            let encoded: Vec<(&Op, Option<Vec<u8>>)> = chunk
                .iter()
                .map(|op| match op {
                    Op::Upsert(r) => (op, Some(serde_json::to_vec(r).expect("records serialise"))),
                    Op::Delete(_) => (op, None),
                })
                .collect();
            let result = (&self.records, &self.changelog, &self.meta).transaction(|(records, changelog, meta)| {
                let mut seq = meta.get(SEQ_KEY)?.map(|v| decode_u64(&v)).unwrap_or(0);
                let mut changes = Vec::with_capacity(encoded.len());
                for (op, bytes) in &encoded {
                    let (kind, id) = match op {
                        Op::Upsert(r) => {
                            records.insert(r.id.as_bytes(), bytes.as_deref().expect("encoded above"))?;
                            (ChangeKind::Upsert, r.id.clone())
                        }
                        Op::Delete(id) => {
                            if records.remove(id.as_bytes())?.is_none() {
                                changes.push(None);
                                continue;
                            }
                            (ChangeKind::Delete, id.clone())
                        }
                    };
                    seq += 1;
                    let change = Change { seq, kind, id };
                    changelog.insert(&seq.to_be_bytes(), serde_json::to_vec(&change).expect("changes serialise"))?;
                    changes.push(Some(change));
                }
                meta.insert(SEQ_KEY, &seq.to_be_bytes())?;
                Ok::<_, ConflictableTransactionError<()>>(changes)
            });
            match result {
                Ok(changes) => out.extend(changes),
                Err(TransactionError::Storage(e)) => return Err(e.into()),
                Err(TransactionError::Abort(())) => unreachable!("the transaction never aborts"),
            }
        }
        Ok(out)
    }

    /// Writes and flushes a probe value: proves the store takes writes (readiness).
    pub fn probe_write(&self) -> Result<()> {
        self.meta.insert(b"ready_probe", &time_probe())?;
        self.db.flush()?;
        Ok(())
    }

    /// Makes every write so far durable (fsync).
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    /// A record by id.
    pub fn get(&self, id: &str) -> Result<Option<Record>> {
        self.records.get(id.as_bytes())?.map(|v| decode_record(&v)).transpose()
    }

    /// The last sequence number assigned (0 when nothing was ever written).
    pub fn last_seq(&self) -> Result<u64> {
        Ok(self.meta.get(SEQ_KEY)?.map(|v| decode_u64(&v)).unwrap_or(0))
    }

    /// Changes with a sequence number above `seq`, in order.
    pub fn changes_since(&self, seq: u64) -> impl Iterator<Item = Result<Change>> + '_ {
        self.changelog.range((seq + 1).to_be_bytes()..).map(|item| {
            let (_, v) = item?;
            serde_json::from_slice(&v).map_err(|e| StoreError::Corrupt { tree: "changelog", reason: e.to_string() })
        })
    }

    /// Every record, in id order.
    pub fn records(&self) -> impl Iterator<Item = Result<Record>> + '_ {
        self.records.iter().map(|item| decode_record(&item?.1))
    }

    /// Number of records.
    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    /// Bytes on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

fn time_probe() -> [u8; 16] {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    nanos.to_be_bytes()
}

fn decode_u64(v: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    buf.copy_from_slice(&v[..8]);
    u64::from_be_bytes(buf)
}

fn decode_record(v: &[u8]) -> Result<Record> {
    serde_json::from_slice(v).map_err(|e| StoreError::Corrupt { tree: "records", reason: e.to_string() })
}
