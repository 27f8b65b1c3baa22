use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::{AuditEntry, AuditFilter, Period};
use serde::Serialize;
use utoipa::ToSchema;

use super::blocking;
use crate::params::{date_or_time, invalid, unknown};

use crate::auth::Caller;
use crate::problem::BadRequest;
use crate::{query_string, ApiError, AppState};

/// The answer to `GET /v1/audit`.
#[derive(Serialize, ToSchema)]
pub(crate) struct AuditPage {
    /// Matching entries, oldest first.
    entries: Vec<AuditEntry>,
}

/// `GET /v1/audit?from=&to=&principal=&record=&action=&limit=`: the audit trail, oldest first.
#[utoipa::path(
    get,
    path = "/audit",
    operation_id = "list_audit",
    tag = "audit",
    summary = "Read the audit trail (利用登记)",
    description = "Reads, admin actions and refused admin attempts, oldest first. Entries form a SHA-256 hash chain \
                   (`prev`, `hash`); no API alters or deletes one.",
    params(
        ("from" = Option<String>, Query, description = "Earliest time: a day (`YYYY-MM-DD`) or an RFC 3339 UTC time"),
        ("to" = Option<String>, Query, description = "Latest time, as `from`"),
        ("principal" = Option<String>, Query, description = "Only entries by this principal name"),
        ("record" = Option<String>, Query, description = "Only entries about this record id"),
        ("action" = Option<String>, Query, description = "Only this action (`record.read`, `records.ingest`, …)"),
        ("limit" = Option<u16>, Query, description = "At most this many entries (default 1,000)", minimum = 1, maximum = 10000),
    ),
    responses(
        (status = 200, description = "The entries", body = AuditPage),
        (status = 400, response = BadRequest),
    )
)]
pub(crate) async fn list(
    state: web::Data<AppState>,
    _admin: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut filter =
        AuditFilter { period: Period::default(), principal: None, record: None, action: None, limit: 1000 };
    for (name, value) in query_string::pairs(req.query_string())? {
        match name.as_str() {
            "from" => filter.period.from = Some(date_or_time("from", &value)?),
            "to" => filter.period.to = Some(date_or_time("to", &value)?),
            "principal" => filter.principal = Some(value),
            "record" => filter.record = Some(value),
            "action" => filter.action = Some(value),
            "limit" => {
                filter.limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=10_000).contains(n))
                    .ok_or_else(|| invalid("limit", "1..=10000"))?
            }
            other => return Err(unknown(other)),
        }
    }
    let entries = blocking(&state, move |e| e.audit_entries(&filter)).await?;
    Ok(HttpResponse::Ok().json(AuditPage { entries }))
}
