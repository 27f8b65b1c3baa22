//! The audit trail (利用登记): append-only, each entry chained to the one before by a SHA-256
//! hash, so an entry altered, inserted or removed in the files is detected by [`AuditLog::verify`].
//! No API alters or deletes an entry.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::{Result, StoreError};

/// Hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as the caller records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditEvent {
    /// RFC 3339 time.
    pub at: String,
    /// Key id used.
    pub key_id: String,
    /// Principal name behind the key.
    pub principal: String,
    /// Principal's role.
    pub role: String,
    /// What was done (`record.read`, `record.delete`, `records.ingest`, `key.create`, …).
    pub action: String,
    /// What it was done to (record id, batch id, key id).
    pub target: String,
    /// 利用目的, as stated by the caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Peer address.
    pub remote: String,
    /// `ok`, `not_found`, `forbidden`, …
    pub outcome: String,
    /// Extra facts (counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// An entry as stored: the event, its place and its hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    /// Position, from 1, without gaps.
    pub seq: u64,
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
    /// Hash of the previous entry (GENESIS for the first).
    pub prev: String,
    /// SHA-256 over `prev`, `seq` and the event's canonical JSON.
    pub hash: String,
}

fn entry_hash(prev: &str, seq: u64, event: &AuditEvent) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(seq.to_be_bytes());
    h.update(serde_json::to_vec(event).expect("events serialise"));
    hex::encode(h.finalize())
}

/// Where a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit chain broken at entry {seq}: {reason}")]
pub struct ChainBreak {
    /// The first entry that does not verify.
    pub seq: u64,
    /// Why.
    pub reason: String,
}

/// The `audit` tree.
pub struct AuditLog {
    tree: sled::Tree,
    /// Serialises appends so each one chains to the true last entry.
    append_lock: Mutex<()>,
}

impl AuditLog {
    pub(crate) fn new(tree: sled::Tree) -> Self {
        AuditLog { tree, append_lock: Mutex::new(()) }
    }

    /// Appends an event, chained to the last entry.
    pub fn append(&self, event: AuditEvent) -> Result<AuditEntry> {
        let _guard = self.append_lock.lock().unwrap_or_else(|p| p.into_inner());
        let (seq, prev) = match self.tree.last()? {
            Some((_, v)) => {
                let last = decode(&v)?;
                (last.seq + 1, last.hash)
            }
            None => (1, GENESIS.to_string()),
        };
        let hash = entry_hash(&prev, seq, &event);
        let entry = AuditEntry { seq, event, prev, hash };
        self.tree.insert(seq.to_be_bytes(), serde_json::to_vec(&entry).expect("entries serialise"))?;
        Ok(entry)
    }

    /// Every entry in order.
    pub fn entries(&self) -> impl Iterator<Item = Result<AuditEntry>> + '_ {
        self.tree.iter().map(|item| decode(&item?.1))
    }

    /// Checks the whole chain; the number of entries when intact.
    pub fn verify(&self) -> Result<Result<u64, ChainBreak>> {
        let mut expected_prev = GENESIS.to_string();
        let mut expected_seq = 1u64;
        for item in self.tree.iter() {
            let (key, value) = item?;
            let entry = match serde_json::from_slice::<AuditEntry>(&value) {
                Ok(e) => e,
                Err(e) => {
                    let seq = key.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(expected_seq);
                    return Ok(Err(ChainBreak { seq, reason: format!("unreadable entry: {e}") }));
                }
            };
            let brk = |reason: String| Ok(Err(ChainBreak { seq: entry.seq, reason }));
            if entry.seq != expected_seq || key.as_ref() != entry.seq.to_be_bytes() {
                return brk(format!("expected entry {expected_seq} (an entry was removed or inserted)"));
            }
            if entry.prev != expected_prev {
                return brk("does not chain to the previous entry".into());
            }
            if entry_hash(&entry.prev, entry.seq, &entry.event) != entry.hash {
                return brk("content does not match its hash (altered)".into());
            }
            expected_prev = entry.hash;
            expected_seq += 1;
        }
        Ok(Ok(expected_seq - 1))
    }

    /// Writes raw bytes at a position: only for tests that tamper with the files.
    #[doc(hidden)]
    pub fn tamper_raw(&self, seq: u64, bytes: Option<&[u8]>) -> Result<()> {
        match bytes {
            Some(b) => self.tree.insert(seq.to_be_bytes(), b)?,
            None => self.tree.remove(seq.to_be_bytes())?,
        };
        Ok(())
    }
}

fn decode(v: &[u8]) -> Result<AuditEntry> {
    serde_json::from_slice(v).map_err(|e| StoreError::Corrupt { tree: "audit", reason: e.to_string() })
}
