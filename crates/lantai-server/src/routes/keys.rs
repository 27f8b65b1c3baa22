use actix_web::{web, HttpResponse};
use lantai_model::Principal;

use crate::auth::Caller;
use crate::{ApiError, AppState};

/// `POST /v1/keys`: a new key bound to a principal; the secret is shown only in this answer.
pub(crate) async fn create(
    state: web::Data<AppState>,
    _admin: Caller,
    body: web::Json<Principal>,
) -> Result<HttpResponse, ApiError> {
    let principal = body.into_inner();
    if principal.name.trim().is_empty() {
        return Err(ApiError::new("invalid_field", "name must not be empty").with("field", "name"));
    }
    let engine = state.engine.clone();
    let issued = web::block(move || engine.create_key(principal)).await??;
    Ok(HttpResponse::Created().json(issued))
}
