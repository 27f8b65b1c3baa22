//! Who is asking: the principal a key is bound to.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Access, Classification, Record};

/// What a principal may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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
    /// Records under controlled use (开放标识 控制) this principal may see besides the open ones.
    #[serde(default, skip_serializing_if = "Grants::is_empty")]
    pub grants: Grants,
}

/// Controlled records (控制) a principal is granted, by the record's 机构 (`org_unit`) or 门类.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Grants {
    /// 机构 names, matched exactly against a record's `org_unit`.
    #[serde(default)]
    pub departments: Vec<String>,
    /// 门类 codes, matched against a record's `category`.
    #[serde(default)]
    pub categories: Vec<String>,
}

impl Grants {
    /// Whether nothing is granted.
    pub fn is_empty(&self) -> bool {
        self.departments.is_empty() && self.categories.is_empty()
    }

    /// Whether a controlled record falls under these grants.
    pub fn cover(&self, record: &Record) -> bool {
        record.org_unit.as_ref().is_some_and(|u| self.departments.contains(u))
            || record.category.as_ref().is_some_and(|c| self.categories.contains(c))
    }
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
            grants: Grants::default(),
        }
    }

    /// Whether records of every 开放标识 are visible (admins); otherwise 开放 records, plus
    /// 控制 records under the principal's grants.
    pub fn sees_every_access(&self) -> bool {
        self.role == Role::Admin
    }

    /// The one visibility rule (the index query applies the same rule as a filter):
    /// 密级 within clearance, and 开放, or 控制 under a grant, unless the principal is an admin.
    pub fn can_see(&self, record: &Record) -> bool {
        record.classification <= self.clearance
            && (self.sees_every_access()
                || record.access == Access::Open
                || (record.access == Access::Controlled && self.grants.cover(record)))
    }
}
