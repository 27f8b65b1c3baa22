use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::{AuditFilter, Period};

use super::blocking;
use crate::params::{date_or_time, invalid, unknown};

use crate::auth::Caller;
use crate::{query_string, ApiError, AppState};

/// `GET /v1/audit?from=&to=&principal=&record=&action=&limit=`: the audit trail, oldest first.
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
    Ok(HttpResponse::Ok().json(serde_json::json!({ "entries": entries })))
}
