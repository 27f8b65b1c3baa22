//! API keys: random secrets shown once, stored as SHA-256 hashes, compared in constant time.

use std::path::{Path, PathBuf};

use lantai_model::Principal;
use lantai_store::KeyEntry;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Id of the bootstrap administrator key.
pub(crate) const ADMIN_KEY_ID: &str = "admin";
/// File (in the data directory) holding a generated admin key.
pub(crate) const ADMIN_KEY_FILE: &str = "admin.key";

/// A key as shown to admins: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct KeyView {
    /// Key id.
    pub id: String,
    /// Who it speaks for.
    #[serde(flatten)]
    pub principal: Principal,
    /// Creation time.
    pub created_at: String,
    /// Whether revoked.
    pub revoked: bool,
    /// When it stops working, if ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl From<&KeyEntry> for KeyView {
    fn from(e: &KeyEntry) -> Self {
        KeyView {
            id: e.id.clone(),
            principal: e.principal.clone(),
            created_at: e.created_at.clone(),
            revoked: e.revoked,
            expires_at: e.expires_at.clone(),
        }
    }
}

/// Reads an expiry (RFC 3339) that must lie in the future, normalised to UTC.
pub(crate) fn parse_expiry(raw: &str) -> crate::Result<String> {
    use time::format_description::well_known::Rfc3339;
    let bad = |m: &str| crate::EngineError::invalid("expires_at", format!("{raw:?}: {m}"));
    let at = time::OffsetDateTime::parse(raw, &Rfc3339).map_err(|_| bad("not an RFC 3339 time"))?;
    if at <= time::OffsetDateTime::now_utc() {
        return Err(bad("lies in the past"));
    }
    at.to_offset(time::UtcOffset::UTC).format(&Rfc3339).map_err(|_| bad("out of range"))
}

/// A newly created key: the only time its secret is shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssuedKey {
    /// Public part.
    #[serde(flatten)]
    pub view: KeyView,
    /// The secret to send as `Authorization: Bearer …`.
    pub key: String,
}

/// Where the administrator key came from at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminKey {
    /// `LANTAI_ADMIN_KEY` was set and is the admin key.
    FromEnvironment,
    /// Generated on this start and written to the file.
    Generated(PathBuf),
    /// Generated on an earlier start; its file is here (if it was not removed).
    Existing(PathBuf),
}

pub(crate) fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub(crate) fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("lt_{}", hex::encode(bytes))
}

pub(crate) fn new_key_id() -> String {
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    format!("key_{}", hex::encode(bytes))
}

pub(crate) fn hashes_match(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Writes the generated admin key readable by its owner only.
pub(crate) fn write_key_file(path: &Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    writeln!(file, "{secret}")?;
    file.sync_all()
}
