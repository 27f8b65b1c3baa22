use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::{Analyzed, DictionaryChange, DictionaryView, ReindexStatus};
use serde::Deserialize;

use super::{blocking, keys::audit};
use crate::auth::Caller;
use crate::params::{invalid, unknown};
use crate::problem::{BadRequest, NotFound, UnsupportedMediaType};
use crate::{query_string, ApiError, AppState};

/// A dictionary as JSON: one entry per string, in the text format's line syntax.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DictionaryBody {
    /// `word [freq] [tag]` (user dictionary) or `词,词,…` (one synonym group) per entry.
    entries: Vec<String>,
}

fn name_of(path: &str) -> Result<&'static str, ApiError> {
    match path {
        "user" => Ok("user"),
        "synonyms" => Ok("synonyms"),
        other => Err(ApiError::new("not_found", format!("no dictionary {other:?}; there are `user` and `synonyms`"))),
    }
}

/// `GET /v1/dictionaries/{name}`: the user dictionary or the synonyms, with the rebuild state.
#[utoipa::path(
    get,
    path = "/dictionaries/{name}",
    operation_id = "dictionary_get",
    tag = "dictionaries",
    summary = "A managed dictionary",
    description = "`user`: extra words for segmentation (`word [freq] [tag]`); `synonyms`: groups of words a query \
                   searches together. With its version, who changed it when, and the background rebuild's state.",
    params(("name" = String, Path, description = "`user` or `synonyms`")),
    responses(
        (status = 200, description = "The dictionary", body = DictionaryView),
        (status = 404, response = NotFound),
    )
)]
pub(crate) async fn get(
    state: web::Data<AppState>,
    _admin: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = name_of(&path)?;
    let view = blocking(&state, move |e| e.dictionary(name)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `PUT /v1/dictionaries/{name}`: replaces a dictionary (text, one entry per line; or JSON
/// `{"entries": [...]}`). Every bad line is reported with its number and nothing changes. The
/// user dictionary's change rebuilds the index in the background (202); synonyms apply at once.
#[utoipa::path(
    put,
    path = "/dictionaries/{name}",
    operation_id = "dictionary_put",
    tag = "dictionaries",
    summary = "Replace a managed dictionary",
    description = "The body is text (`text/plain`, one entry per line, `#` comments) or JSON `{\"entries\": [...]}`. \
                   Every bad line is reported (`invalid_field`, one error per line) and nothing changes. The answer \
                   says which words were added or removed and how many records contain them. A user-dictionary \
                   change rebuilds the index in the background while the old one serves (202); synonyms apply to \
                   the next query (200). Every version is kept.",
    params(("name" = String, Path, description = "`user` or `synonyms`")),
    request_body(content(
        (String = "text/plain"),
        (DictionaryBody = "application/json"),
    )),
    responses(
        (status = 200, description = "Synonyms replaced; in force now", body = DictionaryChange),
        (status = 202, description = "User dictionary replaced; the index is being rebuilt", body = DictionaryChange),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 415, response = UnsupportedMediaType),
    )
)]
pub(crate) async fn put(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let name = name_of(&path)?;
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("text/plain");
    let media = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let text = match media.as_str() {
        "application/json" => {
            let parsed: DictionaryBody = serde_json::from_slice(&body)
                .map_err(|e| ApiError::new("malformed_json", format!("not a dictionary body: {e}")))?;
            parsed.entries.join("\n")
        }
        "text/plain" => String::from_utf8(body.to_vec())
            .map_err(|_| ApiError::new("malformed_body", "the dictionary is not UTF-8 text"))?,
        other => {
            return Err(ApiError::new(
                "unsupported_media_type",
                format!("{other:?}: send text/plain (one entry per line) or application/json"),
            ))
        }
    };
    let engine = state.engine.clone();
    let by = caller.principal().name.clone();
    let change: DictionaryChange = web::block(move || match name {
        "user" => engine.put_user_dictionary(&text, &by),
        _ => engine.put_synonyms(&text, &by),
    })
    .await??;
    let mut event = caller.event(&req, "dictionary.update", name, "ok");
    event.detail = Some(format!(
        "version {}, {} entries, +{} -{}, {} records affected",
        change.version,
        change.entries,
        change.added.len(),
        change.removed.len(),
        change.affected_records
    ));
    audit(&state, event).await?;
    Ok(if change.reindex.is_some() { HttpResponse::Accepted().json(change) } else { HttpResponse::Ok().json(change) })
}

/// `GET /v1/admin/reindex`: the background rebuild's state.
#[utoipa::path(
    get,
    path = "/admin/reindex",
    operation_id = "reindex_status",
    tag = "operations",
    summary = "The background index rebuild",
    responses((status = 200, description = "Its state", body = ReindexStatus))
)]
pub(crate) async fn reindex_status(state: web::Data<AppState>, _admin: Caller) -> Result<HttpResponse, ApiError> {
    let status = blocking(&state, |e| Ok(e.reindex_status())).await?;
    Ok(HttpResponse::Ok().json(status))
}

/// `POST /v1/admin/reindex`: rebuilds the index from the records in the background while the
/// old index serves (e.g. after changing the configured dictionary file).
#[utoipa::path(
    post,
    path = "/admin/reindex",
    operation_id = "reindex_start",
    tag = "operations",
    summary = "Rebuild the index in the background",
    description = "Builds a new index from the records in a new directory while the old one serves, catches it up \
                   with writes made meanwhile, and swaps it in. If a rebuild is running, another follows it.",
    responses((status = 202, description = "Started (or queued)", body = ReindexStatus))
)]
pub(crate) async fn reindex_start(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let engine = state.engine.clone();
    let status = web::block(move || engine.start_reindex()).await?;
    audit(&state, caller.event(&req, "admin.reindex", "", "ok")).await?;
    Ok(HttpResponse::Accepted().json(status))
}

/// `GET /v1/analyze?text=`: how a text is normalised and segmented with the dictionaries in use.
#[utoipa::path(
    get,
    path = "/analyze",
    operation_id = "analyze",
    tag = "dictionaries",
    summary = "How a text is segmented",
    description = "Folding (full-width, case, traditional → simplified), the words a query reads and searches for, \
                   the words the index stores (search mode: the parts of long words too) and the synonyms a query \
                   would add, with the user-dictionary version in use.",
    params(("text" = String, Query, description = "At most 10,000 characters")),
    responses(
        (status = 200, description = "The analysis", body = Analyzed),
        (status = 400, response = BadRequest),
    )
)]
pub(crate) async fn analyze(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut text = None;
    for (name, value) in query_string::pairs(req.query_string())? {
        match name.as_str() {
            "text" => text = Some(value),
            _ => return Err(unknown(&name)),
        }
    }
    let text = text.ok_or_else(|| invalid("text", "a text to analyse"))?;
    if text.chars().count() > 10_000 {
        return Err(invalid("text", "at most 10000 characters"));
    }
    let analyzed = blocking(&state, move |e| Ok(e.analyze(&text))).await?;
    Ok(HttpResponse::Ok().json(analyzed))
}
