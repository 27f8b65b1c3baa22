use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use lantai_engine::{FileEntry, FilesReport};

use super::{blocking, keys::audit};
use crate::auth::Caller;
use crate::problem::{BadRequest, PayloadTooLarge, UnsupportedMediaType};
use crate::{ApiError, AppState};

/// A file's name in an upload, as a relative path: `\` read as `/`, no empty, `.` or `..` part.
fn relative_path(name: &str) -> Result<String, ApiError> {
    let parts: Vec<&str> = name.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".").collect();
    if parts.is_empty() || parts.contains(&"..") || name.contains('\0') {
        return Err(ApiError::new("invalid_field", format!("file name {name:?} is not a relative path"))
            .with("field", "filename"));
    }
    Ok(parts.join("/"))
}

/// `POST /v1/files` (multipart/form-data): archive files with their metadata. Every part with a
/// file name is a file; `NAME.meta.json` parts are sidecars of `NAME`, a CSV with a `file`
/// (or `文件名`) column is a catalogue. Each file is reported on its own.
#[utoipa::path(
    post,
    path = "/files",
    operation_id = "files_ingest",
    tag = "records",
    summary = "Ingest archive files with their metadata",
    description = "`multipart/form-data`; every part with a file name is a file (names may be relative paths, \
                   `dir/name.docx`). Plain text (UTF-8, GBK or GB18030, detected), DOCX, XLSX/XLS/ODS and CSV (a \
                   record per row under a header row, or one per sheet: `[files] sheets`), and PDF with a text \
                   layer (falling back to `pdftotext` for fonts without a Unicode map, and saying so). Metadata: a \
                   sidecar `NAME.meta.json` (record fields as in `POST /v1/records`) or a CSV catalogue with a \
                   `file` or `文件名` column. Without an `id` a record's id is `file:PATH` (`#sheet!row` for rows); \
                   without a title, the first line of its text. Each file is reported: ingested, partly ingested, \
                   failed (with the reason) or skipped; a bad file never stops the others.",
    request_body(content_type = "multipart/form-data", description = "The files, their sidecars and catalogues"),
    responses(
        (status = 200, description = "Per-file report", body = FilesReport),
        (status = 400, response = BadRequest),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
pub(crate) async fn ingest(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let limit = state.engine.config().server.body_limit_mb << 20;
    let too_large = || ApiError::new("payload_too_large", format!("the upload exceeds {} MiB", limit >> 20));
    let media = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !media.to_ascii_lowercase().starts_with("multipart/form-data") {
        return Err(ApiError::new(
            "unsupported_media_type",
            format!("Content-Type {media:?}: send multipart/form-data with one part per file"),
        ));
    }
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut entries: Vec<FileEntry> = Vec::new();
    let mut total = 0usize;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| ApiError::new("malformed_body", format!("multipart: {e}")))?;
        let Some(name) = field.content_disposition().and_then(|cd| cd.get_filename()).map(str::to_string) else {
            // A form field without a file: nothing to ingest.
            while let Some(chunk) = field.next().await {
                chunk.map_err(|e| ApiError::new("malformed_body", format!("multipart: {e}")))?;
            }
            continue;
        };
        let name = relative_path(&name)?;
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::new("malformed_body", format!("multipart: {e}")))?;
            total += chunk.len();
            if total > limit {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        entries.push(FileEntry { name, bytes });
    }
    if entries.is_empty() {
        return Err(ApiError::new("invalid_field", "no file in the upload").with("field", "file"));
    }
    let report = blocking(&state, move |e| e.ingest_files(entries)).await?;
    metrics::counter!("lantai_records_ingested_total").increment(report.accepted as u64);
    let mut event = caller.event(&req, "files.ingest", &report.batch_id, "ok");
    event.detail = Some(format!(
        "{} files: {} ingested, {} failed, {} skipped; {} records",
        report.files.len(),
        report.ingested_files,
        report.failed_files,
        report.skipped_files,
        report.accepted
    ));
    audit(&state, event).await?;
    Ok(HttpResponse::Ok().json(report))
}
