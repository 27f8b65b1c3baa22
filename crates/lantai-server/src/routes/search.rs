use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::SearchParams;

use crate::auth::Caller;
use crate::{query_string, ApiError, AppState};

/// `GET /v1/search`: every category at once, filtered to what the caller may see.
#[utoipa::path(
    get,
    path = "/search",
    operation_id = "search",
    tag = "search",
    summary = "Search every archive category at once",
    description = "Free words are ranked and any may match; `\"…\"` (also “…”, 「…」) is an exact phrase; `-word` or \
                   `-\"…\"` must not occur. An 档号, 文号, record id or exact title alone puts that record first as \
                   the answer (`hits[0].answer`). Only records the caller may see count, in hits, `total`, facets \
                   and snippets. A parameter not listed here is a 400 naming it.",
    params(
        ("q" = Option<String>, Query, description = "Search-box text, percent-encoded UTF-8; absent or empty browses \
          everything visible. At most 1,000 characters and 32 phrases and exclusions (defaults)", example = "业扩报装"),
        ("limit" = Option<u32>, Query, description = "Page size (default 10, at most 1,000)"),
        ("offset" = Option<u32>, Query, description = "Hits skipped; `offset + limit` ≤ 10,000"),
        ("category" = Option<Vec<String>>, Query, description = "门类 codes, repeatable or comma-separated \
          (`WS,KJ·JJ`)"),
        ("year_from" = Option<u16>, Query, description = "Earliest 年度", minimum = 1000, maximum = 9999),
        ("year_to" = Option<u16>, Query, description = "Latest 年度", minimum = 1000, maximum = 9999),
        ("classification" = Option<Vec<lantai_engine::Classification>>, Query, description = "密级, repeatable or comma-separated \
          (`公开,内部`)"),
        ("explain" = Option<bool>, Query, description = "Add each hit's score components (`hits[].explain`)"),
    ),
    responses(
        (status = 200, description = "A page of hits, with facets and the query's intent", body = lantai_engine::SearchResponse),
        (status = 400, response = crate::problem::BadRequest),
    )
)]
pub(crate) async fn search(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let pairs = query_string::pairs(req.query_string())?;
    let config = state.engine.config();
    let params = SearchParams::from_pairs(&pairs, &config.search, &config.limits)?;
    // On the worker thread, not the blocking pool: a search is short CPU work over memory-mapped
    // files (its log entry is not flushed), and the hop cost two thread wake-ups plus more
    // runnable threads than cores (STARD on 2 cores, 4 connections: p50 5.1 -> 2.6 ms, twice the
    // searches/s). Workers are as many as cores, so searches still use every core.
    let answer = state.engine.search_as(&params, &caller.0)?;
    metrics::histogram!("lantai_search_duration_seconds").record(answer.took_ms / 1000.0);
    Ok(HttpResponse::Ok().json(answer))
}
