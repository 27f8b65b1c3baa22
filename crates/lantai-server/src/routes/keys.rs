use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::{AuditEvent, Classification, Grants, Principal, Role};
use serde::Deserialize;

use super::{blocking, outcome};
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// Body of `POST /v1/keys`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeyRequest {
    name: String,
    role: Role,
    #[serde(default)]
    department: String,
    #[serde(default)]
    user_group: String,
    clearance: Classification,
    #[serde(default)]
    grants: Grants,
    /// RFC 3339; absent: never expires.
    expires_at: Option<String>,
}

/// `POST /v1/keys`: a new key bound to a principal; the secret is shown only in this answer.
pub(crate) async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: web::Json<KeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.name.trim().is_empty() {
        return Err(ApiError::new("invalid_field", "name must not be empty").with("field", "name"));
    }
    let principal = Principal {
        name: body.name.trim().to_string(),
        role: body.role,
        department: body.department,
        user_group: body.user_group,
        clearance: body.clearance,
        grants: body.grants,
    };
    let expires_at = body.expires_at;
    let issued = blocking(&state, move |e| e.create_key(principal, expires_at.as_deref())).await?;
    audit(&state, caller.event(&req, "key.create", &issued.view.id, "ok")).await?;
    Ok(HttpResponse::Created().json(issued))
}

/// `GET /v1/keys`: every key, never a secret.
pub(crate) async fn list(state: web::Data<AppState>, _admin: Caller) -> Result<HttpResponse, ApiError> {
    let keys = blocking(&state, |e| e.list_keys()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "keys": keys })))
}

/// `DELETE /v1/keys/{id}`: revoked at once.
pub(crate) async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let target = id.clone();
    let found = blocking(&state, move |e| e.revoke_key(&target)).await?;
    audit(&state, caller.event(&req, "key.revoke", &id, outcome(found))).await?;
    if !found {
        return Err(ApiError::new("not_found", format!("no key {id:?}")));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /v1/keys/{id}/rotate`: a new secret; the old one stops working at once.
pub(crate) async fn rotate(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let target = id.clone();
    let issued = blocking(&state, move |e| e.rotate_key(&target)).await?;
    audit(&state, caller.event(&req, "key.rotate", &id, outcome(issued.is_some()))).await?;
    let issued = issued.ok_or_else(|| ApiError::new("not_found", format!("no active key {id:?}")))?;
    Ok(HttpResponse::Ok().json(issued))
}

/// Writes an admin action to the audit trail, durably.
pub(crate) async fn audit(state: &web::Data<AppState>, event: AuditEvent) -> Result<(), ApiError> {
    blocking(state, move |e| e.audit(event, true)).await
}
