//! Append-only JSON logs (usage events, survey responses, search log, survey versions), each in
//! its own tree. The engine gives the entries their types; the store keeps them in order.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Result, StoreError};

/// One log tree. Entries are keyed by a sequence number (big-endian, so in order) or, for the
/// search log, by their own id.
#[derive(Clone)]
pub struct JsonLog {
    name: &'static str,
    tree: sled::Tree,
    /// Serialises appends so sequence numbers have no gaps or repeats.
    append_lock: std::sync::Arc<std::sync::Mutex<()>>,
}

impl JsonLog {
    pub(crate) fn new(name: &'static str, tree: sled::Tree) -> Self {
        JsonLog { name, tree, append_lock: Default::default() }
    }

    /// Appends `entry` under the next sequence number (from 1) and returns it. `fill` receives
    /// the number first, so an entry can carry its own sequence.
    pub fn append<T: Serialize>(&self, fill: impl FnOnce(u64) -> T) -> Result<u64> {
        let _guard = self.append_lock.lock().unwrap_or_else(|p| p.into_inner());
        let seq = match self.tree.last()? {
            Some((k, _)) => k.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0) + 1,
            None => 1,
        };
        let entry = fill(seq);
        self.tree.insert(seq.to_be_bytes(), serde_json::to_vec(&entry).expect("entries serialise"))?;
        Ok(seq)
    }

    /// Stores an entry under its own key (replacing any).
    pub fn put<T: Serialize>(&self, key: &str, entry: &T) -> Result<()> {
        self.tree.insert(key.as_bytes(), serde_json::to_vec(entry).expect("entries serialise"))?;
        Ok(())
    }

    /// The entry under a key.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        self.tree.get(key.as_bytes())?.map(|v| self.decode(&v)).transpose()
    }

    /// The entry under a sequence number.
    pub fn get_seq<T: DeserializeOwned>(&self, seq: u64) -> Result<Option<T>> {
        self.tree.get(seq.to_be_bytes())?.map(|v| self.decode(&v)).transpose()
    }

    /// The entry with the highest key.
    pub fn last<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        self.tree.last()?.map(|(_, v)| self.decode(&v)).transpose()
    }

    /// Every entry in key order.
    pub fn iter<T: DeserializeOwned>(&self) -> impl Iterator<Item = Result<T>> + '_ {
        self.tree.iter().map(|item| self.decode(&item?.1))
    }

    /// Entries with a sequence number above `seq`, in order (for logs keyed by sequence).
    pub fn since<T: DeserializeOwned>(&self, seq: u64) -> impl Iterator<Item = Result<T>> + '_ {
        self.tree.range((seq + 1).to_be_bytes()..).map(|item| self.decode(&item?.1))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.tree.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    fn decode<T: DeserializeOwned>(&self, v: &[u8]) -> Result<T> {
        serde_json::from_slice(v).map_err(|e| StoreError::Corrupt { tree: self.name, reason: e.to_string() })
    }
}
