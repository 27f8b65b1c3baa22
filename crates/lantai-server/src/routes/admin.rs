use actix_web::{web, HttpRequest, HttpResponse};

use super::{blocking, keys::audit};
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// `POST /v1/admin/snapshot`: a consistent, versioned, checksummed snapshot of the store, taken
/// while the service runs (ingest waits; searches go on). Restore with `lantai restore`.
#[utoipa::path(
    post,
    path = "/admin/snapshot",
    operation_id = "snapshot",
    tag = "operations",
    summary = "Take a snapshot of the store while serving",
    description = "Every store tree in one file: a versioned header, one line per entry and a SHA-256 trailer. Ingest \
                   waits while it is taken (searches go on), so it holds exactly the batches acknowledged before it. \
                   The index is not in it; `lantai restore` writes it into a new data directory. Audited.",
    responses((
        status = 200,
        description = "The snapshot file",
        content_type = "application/x-ndjson",
        body = String,
        headers(
            ("Content-Disposition" = String, description = "`attachment; filename=\"lantai-snapshot.jsonl\"`"),
            ("X-Lantai-Records" = u64, description = "Records in the snapshot"),
        )
    ))
)]
pub(crate) async fn snapshot(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (bytes, info) = blocking(&state, |e| {
        let mut out = Vec::new();
        let info = e.snapshot(&mut out)?;
        Ok((out, info))
    })
    .await?;
    let mut event = caller.event(&req, "admin.snapshot", "", "ok");
    event.detail = Some(format!("{} entries, {} records, {} bytes", info.entries, info.records, bytes.len()));
    audit(&state, event).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header(("Content-Disposition", "attachment; filename=\"lantai-snapshot.jsonl\""))
        .insert_header(("X-Lantai-Records", info.records.to_string()))
        .body(bytes))
}
