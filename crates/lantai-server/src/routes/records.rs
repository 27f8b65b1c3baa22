use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use lantai_engine::BatchFormat;

use crate::auth::Caller;
use crate::{ApiError, AppState};

/// `POST /v1/records`: a batch as NDJSON, a JSON array or CSV; good records are kept even when
/// others fail, and each bad one is reported with its line.
pub(crate) async fn ingest(
    state: web::Data<AppState>,
    _admin: Caller,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let media_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let format = BatchFormat::from_media_type(media_type).ok_or_else(|| {
        ApiError::new(
            "unsupported_media_type",
            format!("Content-Type {media_type:?}: send application/x-ndjson, application/json or text/csv"),
        )
    })?;
    let limit = state.engine.config().server.body_limit_mb << 20;
    let too_large = || ApiError::new("payload_too_large", format!("the body exceeds {} MiB", limit >> 20));
    if let Some(length) = req.headers().get("content-length").and_then(|v| v.to_str().ok()?.parse::<usize>().ok()) {
        if length > limit {
            return Err(too_large());
        }
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new("malformed_body", e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    let engine = state.engine.clone();
    let report = web::block(move || engine.ingest(&body, format)).await??;
    Ok(HttpResponse::Ok().json(report))
}

/// `GET /v1/records/{id}`: 404 both when absent and when not visible, so existence is not revealed.
pub(crate) async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let engine = state.engine.clone();
    let lookup = id.clone();
    match web::block(move || engine.get(&lookup, &caller.0)).await?? {
        Some(record) => Ok(HttpResponse::Ok().json(record)),
        None => Err(ApiError::new("not_found", format!("no record {id:?}"))),
    }
}

/// `DELETE /v1/records/{id}`.
pub(crate) async fn delete(
    state: web::Data<AppState>,
    _admin: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let engine = state.engine.clone();
    let target = id.clone();
    if web::block(move || engine.delete(&target)).await?? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::new("not_found", format!("no record {id:?}")))
    }
}
