//! Who is asking: the principal a key is bound to.

use serde::{Deserialize, Serialize};

use crate::{Access, Classification, Record};

/// What a principal may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Searches, opens and rates.
    Employee,
    /// Employee rights plus quality and usage reports.
    Analyst,
    /// Everything, including ingest, delete and keys.
    Admin,
}

/// The identity behind an API key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    /// Display name of the person or system.
    pub name: String,
    /// Role on every route.
    pub role: Role,
    /// Department (for reports and, later, priors).
    #[serde(default)]
    pub department: String,
    /// User group (for reports).
    #[serde(default)]
    pub user_group: String,
    /// Highest 密级 this principal may see.
    pub clearance: Classification,
}

impl Principal {
    /// The built-in administrator behind the bootstrap key.
    pub fn bootstrap_admin() -> Self {
        Principal {
            name: "admin".into(),
            role: Role::Admin,
            department: String::new(),
            user_group: String::new(),
            clearance: Classification::TopSecret,
        }
    }

    /// Whether only records with 开放标识 = 开放 are visible to this principal.
    pub fn open_records_only(&self) -> bool {
        self.role != Role::Admin
    }

    /// The one visibility rule, also applied inside the index query.
    pub fn can_see(&self, record: &Record) -> bool {
        record.classification <= self.clearance && (!self.open_records_only() || record.access == Access::Open)
    }
}
