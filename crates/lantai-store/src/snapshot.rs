//! Snapshots: every tree of the store in one versioned, checksummed file, and the restore that
//! refuses a corrupt or newer one. The index is not included: it is rebuilt from the records.
//!
//! Format (one JSON object per line): a header `{"format":"lantai-snapshot","version":1,…}`,
//! one `{"t":tree,"k":key,"v":value}` per entry (key and value base64), and a trailer
//! `{"end":true,"entries":N,"sha256":…}` whose hash covers every byte before it.

use std::io::{BufRead, Write};
use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Result, Store, StoreError};

/// The snapshot format this build writes and the newest it reads.
pub const SNAPSHOT_VERSION: u32 = 1;
const FORMAT: &str = "lantai-snapshot";

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    created_at: String,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    t: String,
    k: String,
    v: String,
}

#[derive(Serialize, Deserialize)]
struct Trailer {
    end: bool,
    entries: u64,
    sha256: String,
}

/// Why a snapshot cannot be restored.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Not a snapshot, cut short, or altered.
    #[error("corrupt snapshot: {0}")]
    Corrupt(String),
    /// Written by a newer Lantai.
    #[error("snapshot format version {found} is newer than this build reads ({SNAPSHOT_VERSION}); upgrade lantai")]
    Newer {
        /// Version in the file.
        found: u32,
    },
    /// The target directory already holds data.
    #[error("{0} is not empty; restore into a new directory")]
    TargetNotEmpty(String),
    /// Reading or writing failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// I/O.
    #[error("snapshot I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// Counts from writing or restoring a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SnapshotInfo {
    /// Entries (all trees).
    pub entries: u64,
    /// Records among them.
    pub records: u64,
}

struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Store {
    /// Writes every tree. The caller holds off writers it needs consistent (the engine blocks
    /// ingest meanwhile).
    pub fn write_snapshot(&self, out: impl Write, created_at: &str) -> Result<SnapshotInfo, SnapshotError> {
        let mut w = Hashing { inner: out, hash: Sha256::new() };
        let header = Header { format: FORMAT.into(), version: SNAPSHOT_VERSION, created_at: created_at.into() };
        serde_json::to_writer(&mut w, &header).map_err(std::io::Error::from)?;
        w.write_all(b"\n")?;
        let mut info = SnapshotInfo { entries: 0, records: 0 };
        for name in self.db.tree_names() {
            let tree_name = String::from_utf8_lossy(&name).to_string();
            if tree_name == "__sled__default" {
                continue;
            }
            let tree = self.db.open_tree(&name).map_err(StoreError::from)?;
            for item in tree.iter() {
                let (k, v) = item.map_err(StoreError::from)?;
                let entry = Entry { t: tree_name.clone(), k: B64.encode(&k), v: B64.encode(&v) };
                serde_json::to_writer(&mut w, &entry).map_err(std::io::Error::from)?;
                w.write_all(b"\n")?;
                info.entries += 1;
                if tree_name == "records" {
                    info.records += 1;
                }
            }
        }
        let sha256 = hex::encode(w.hash.clone().finalize());
        let mut out = w.inner;
        serde_json::to_writer(&mut out, &Trailer { end: true, entries: info.entries, sha256 })
            .map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(info)
    }

    /// Restores a snapshot into `dir`, which must not exist or be empty. Nothing is left behind
    /// when the file is corrupt or newer.
    pub fn restore_snapshot(input: impl BufRead, dir: &Path, cache_bytes: u64) -> Result<SnapshotInfo, SnapshotError> {
        if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
            return Err(SnapshotError::TargetNotEmpty(dir.display().to_string()));
        }
        let outcome = Self::restore_into(input, dir, cache_bytes);
        if outcome.is_err() {
            let _ = std::fs::remove_dir_all(dir);
        }
        outcome
    }

    fn restore_into(input: impl BufRead, dir: &Path, cache_bytes: u64) -> Result<SnapshotInfo, SnapshotError> {
        let corrupt = |m: &str| SnapshotError::Corrupt(m.to_string());
        let mut lines = input.lines();
        let mut hash = Sha256::new();
        let header_line = lines.next().ok_or_else(|| corrupt("empty file"))??;
        let header: Header = serde_json::from_str(&header_line).map_err(|_| corrupt("no snapshot header"))?;
        if header.format != FORMAT {
            return Err(corrupt("not a lantai snapshot"));
        }
        if header.version > SNAPSHOT_VERSION {
            return Err(SnapshotError::Newer { found: header.version });
        }
        hash.update(header_line.as_bytes());
        hash.update(b"\n");
        let store_dir = dir.join("store");
        let db = sled::Config::new().path(&store_dir).cache_capacity(cache_bytes).open().map_err(StoreError::from)?;
        let mut info = SnapshotInfo { entries: 0, records: 0 };
        loop {
            let line = lines.next().ok_or_else(|| corrupt("cut short (no trailer)"))??;
            if let Ok(trailer) = serde_json::from_str::<Trailer>(&line) {
                let actual = hex::encode(hash.finalize());
                if !trailer.end || trailer.entries != info.entries || trailer.sha256 != actual {
                    return Err(corrupt("checksum or entry count does not match"));
                }
                break;
            }
            hash.update(line.as_bytes());
            hash.update(b"\n");
            let entry: Entry = serde_json::from_str(&line).map_err(|_| corrupt("unreadable entry"))?;
            let k = B64.decode(&entry.k).map_err(|_| corrupt("bad key encoding"))?;
            let v = B64.decode(&entry.v).map_err(|_| corrupt("bad value encoding"))?;
            db.open_tree(&entry.t).map_err(StoreError::from)?.insert(k, v).map_err(StoreError::from)?;
            info.entries += 1;
            if entry.t == "records" {
                info.records += 1;
            }
        }
        db.flush().map_err(StoreError::from)?;
        Ok(info)
    }
}
