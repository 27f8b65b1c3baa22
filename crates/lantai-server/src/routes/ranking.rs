use actix_web::{web, HttpRequest, HttpResponse};

use super::blocking;
use crate::auth::Caller;
use crate::params::{invalid, unknown};
use crate::{query_string, ApiError, AppState};

/// `GET /v1/ranking/model?top=`: what usage has taught the ranking (admin): events folded,
/// position bias per rank, the terms with the most click mass and where they lead, popular
/// records, and category use per department and user group.
#[utoipa::path(
    get,
    path = "/ranking/model",
    operation_id = "ranking_model",
    tag = "search",
    summary = "What usage has taught the ranking",
    description = "Events folded in, position bias per rank, the terms with the most click mass and where they \
                   lead, popular records, category use per department and user group, and the parameters in force.",
    params(("top" = Option<u16>, Query, description = "Rows per list (default 20)", minimum = 1, maximum = 1000)),
    responses(
        (status = 200, description = "The model's summary", body = lantai_engine::ModelSummary),
        (status = 400, response = crate::problem::BadRequest),
    )
)]
pub(crate) async fn model(
    state: web::Data<AppState>,
    _admin: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut top = 20usize;
    for (name, value) in query_string::pairs(req.query_string())? {
        match name.as_str() {
            "top" => {
                top = value.parse().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| invalid("top", "1..=1000"))?
            }
            _ => return Err(unknown(&name)),
        }
    }
    let summary = blocking(&state, move |e| Ok(e.ranking_summary(top))).await?;
    Ok(HttpResponse::Ok().json(summary))
}
