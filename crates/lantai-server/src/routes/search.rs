use actix_web::{web, HttpResponse};
use lantai_engine::SearchParams;

use crate::auth::Caller;
use crate::{ApiError, AppState};

/// `GET /v1/search`: every category at once, filtered to what the caller may see.
pub(crate) async fn search(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let params = SearchParams::from_pairs(&query, &state.engine.config().search)?;
    let engine = state.engine.clone();
    let answer = web::block(move || engine.search(&params, &caller.0)).await??;
    Ok(HttpResponse::Ok().json(answer))
}
