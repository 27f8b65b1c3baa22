//! What people do with the archive: the search log and usage events (利用登记), the raw
//! material of ranking from usage and of the service-quality indicators.

use serde::{Deserialize, Serialize};

/// A usage event's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Opened the record.
    Open,
    /// Downloaded it.
    Download,
    /// Copied from it.
    Copy,
    /// Asked to borrow the original.
    BorrowRequest,
    /// Stayed on it (with `dwell_ms`).
    Dwell,
    /// Said it was useful.
    FeedbackUseful,
    /// Said it was not useful.
    FeedbackNotUseful,
}

impl EventKind {
    /// Whether the event shows the search succeeded (the user went on to use a record).
    pub fn is_success(self) -> bool {
        matches!(self, EventKind::Open | EventKind::Download | EventKind::BorrowRequest)
    }
}

/// One search, as logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchLog {
    /// The search's id (returned to the caller).
    pub query_id: String,
    /// RFC 3339 time.
    pub at: String,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// Key used.
    pub key_id: String,
    /// Principal name.
    pub principal: String,
    /// Principal's department.
    pub department: String,
    /// Principal's user group.
    pub user_group: String,
    /// The search-box text.
    pub query: String,
    /// Visible matches.
    pub total: u64,
    /// Ids of the page returned, in order.
    pub hits: Vec<String>,
    /// Category of the first hit, if any.
    pub top_category: Option<String>,
    /// Service time, milliseconds.
    pub latency_ms: f64,
    /// The adjacent pair (k, k+1) shown in random order to measure position bias, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub randomised_pair: Option<u32>,
}

/// One usage event, as logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageEvent {
    /// Position in the log.
    pub seq: u64,
    /// RFC 3339 time.
    pub at: String,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// The search the event follows.
    pub query_id: String,
    /// The record acted on.
    pub record_id: String,
    /// What was done.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// Rank of the record in that search, from 1.
    pub position: Option<u32>,
    /// Time spent, for dwell events.
    pub dwell_ms: Option<u64>,
    /// 利用目的, if given.
    pub purpose: Option<String>,
    /// Key used.
    pub key_id: String,
    /// Principal name.
    pub principal: String,
    /// Principal's department.
    pub department: String,
    /// Principal's user group.
    pub user_group: String,
}
