//! API keys, stored by id and found by the hash of their secret (the secret itself is never
//! stored).

use lantai_model::Principal;
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError};

/// A key as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    /// Public identifier.
    pub id: String,
    /// SHA-256 of the secret, hex.
    pub hash: String,
    /// Who the key speaks for.
    pub principal: Principal,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// Revoked keys stay listed but authenticate no one.
    #[serde(default)]
    pub revoked: bool,
    /// RFC 3339 time after which the key authenticates no one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// The `keys` and `key_hashes` trees.
#[derive(Clone)]
pub struct KeyStore {
    by_id: sled::Tree,
    by_hash: sled::Tree,
}

impl KeyStore {
    pub(crate) fn new(by_id: sled::Tree, by_hash: sled::Tree) -> Self {
        KeyStore { by_id, by_hash }
    }

    /// Stores (or replaces) a key; call [`crate::Store::flush`] before handing out the secret.
    pub fn put(&self, entry: &KeyEntry) -> Result<()> {
        let bytes = serde_json::to_vec(entry).expect("keys serialise");
        self.by_id.insert(entry.id.as_bytes(), bytes)?;
        self.by_hash.insert(entry.hash.as_bytes(), entry.id.as_bytes())?;
        Ok(())
    }

    /// Rewrites a key's entry without indexing its hash (for revoked keys).
    pub fn put_entry_only(&self, entry: &KeyEntry) -> Result<()> {
        self.by_id.insert(entry.id.as_bytes(), serde_json::to_vec(entry).expect("keys serialise"))?;
        Ok(())
    }

    /// Forgets a secret hash (when a key's secret is replaced).
    pub fn remove_hash(&self, hash: &str) -> Result<()> {
        self.by_hash.remove(hash.as_bytes())?;
        Ok(())
    }

    /// The key whose secret hashes to `hash`.
    pub fn by_hash(&self, hash: &str) -> Result<Option<KeyEntry>> {
        let Some(id) = self.by_hash.get(hash.as_bytes())? else {
            return Ok(None);
        };
        self.get(&String::from_utf8_lossy(&id))
    }

    /// A key by id.
    pub fn get(&self, id: &str) -> Result<Option<KeyEntry>> {
        self.by_id.get(id.as_bytes())?.map(|v| decode(&v)).transpose()
    }

    /// Every key.
    pub fn list(&self) -> Result<Vec<KeyEntry>> {
        self.by_id.iter().map(|item| decode(&item?.1)).collect()
    }
}

fn decode(v: &[u8]) -> Result<KeyEntry> {
    serde_json::from_slice(v).map_err(|e| StoreError::Corrupt { tree: "keys", reason: e.to_string() })
}
