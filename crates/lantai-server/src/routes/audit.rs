use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::AuditFilter;

use crate::auth::Caller;
use crate::{query_string, ApiError, AppState};

/// `GET /v1/audit?from=&to=&principal=&record=&limit=`: the audit trail, oldest first.
pub(crate) async fn list(
    state: web::Data<AppState>,
    _admin: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut filter = AuditFilter { from: None, to: None, principal: None, record: None, limit: 1000 };
    for (name, value) in query_string::pairs(req.query_string())? {
        match name.as_str() {
            "from" => filter.from = Some(time_bound("from", &value)?),
            "to" => filter.to = Some(time_bound("to", &value)?),
            "principal" => filter.principal = Some(value),
            "record" => filter.record = Some(value),
            "limit" => {
                filter.limit =
                    value.parse().ok().filter(|n| (1..=10_000).contains(n)).ok_or_else(|| {
                        ApiError::new("invalid_parameter", "limit: 1..=10000").with("parameter", "limit")
                    })?
            }
            other => {
                return Err(ApiError::new("unknown_parameter", format!("unknown parameter `{other}`"))
                    .with("parameter", other.to_string()))
            }
        }
    }
    let engine = state.engine.clone();
    let entries = web::block(move || engine.audit_entries(&filter)).await??;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "entries": entries })))
}

/// A date (YYYY-MM-DD) or an RFC 3339 UTC time.
fn time_bound(name: &str, value: &str) -> Result<String, ApiError> {
    let bytes = value.as_bytes();
    let date_like = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if date_like && (bytes.len() == 10 || bytes.get(10) == Some(&b'T')) {
        Ok(value.to_string())
    } else {
        Err(ApiError::new("invalid_parameter", format!("{name}: use YYYY-MM-DD or an RFC 3339 UTC time"))
            .with("parameter", name.to_string()))
    }
}
