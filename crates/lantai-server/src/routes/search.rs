use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::SearchParams;

use super::blocking;
use crate::auth::Caller;
use crate::{query_string, ApiError, AppState};

/// `GET /v1/search`: every category at once, filtered to what the caller may see.
pub(crate) async fn search(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let pairs = query_string::pairs(req.query_string())?;
    let config = state.engine.config();
    let params = SearchParams::from_pairs(&pairs, &config.search, &config.limits)?;
    let answer = blocking(&state, move |e| e.search_as(&params, &caller.0)).await?;
    metrics::histogram!("lantai_search_duration_seconds").record(answer.took_ms / 1000.0);
    Ok(HttpResponse::Ok().json(answer))
}
