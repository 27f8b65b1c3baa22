use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::{AuditEvent, Classification, Grants, IssuedKey, KeyView, Principal, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{blocking, outcome};
use crate::auth::Caller;
use crate::problem::{BadRequest, NotFound, UnsupportedMediaType};
use crate::{ApiError, AppState};

/// Body of `POST /v1/keys`: the principal the new key speaks for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeyRequest {
    /// Display name of the person or system (not empty).
    #[schema(example = "张三")]
    name: String,
    /// Role on every route.
    role: Role,
    /// Department (for reports).
    #[serde(default)]
    #[schema(example = "财务部")]
    department: String,
    /// User group (for reports).
    #[serde(default)]
    user_group: String,
    /// Highest 密级 the key may see.
    clearance: Classification,
    /// Controlled (控制) records the key may see, by 机构 or 门类.
    #[serde(default)]
    grants: Grants,
    /// When the key stops working (RFC 3339, in the future); absent: never.
    #[schema(format = DateTime)]
    expires_at: Option<String>,
}

/// The answer to `GET /v1/keys`.
#[derive(Serialize, ToSchema)]
pub(crate) struct KeyList {
    /// Every key, revoked ones included; never a secret or hash.
    keys: Vec<KeyView>,
}

/// `POST /v1/keys`: a new key bound to a principal; the secret is shown only in this answer.
#[utoipa::path(
    post,
    path = "/keys",
    operation_id = "create_key",
    tag = "keys",
    summary = "Create a key bound to a principal",
    description = "The secret (`key`) is in this answer only; the server keeps its SHA-256 hash. Audited.",
    request_body = KeyRequest,
    responses(
        (status = 201, description = "The new key, with its secret", body = IssuedKey),
        (status = 400, response = BadRequest),
        (status = 415, response = UnsupportedMediaType),
    )
)]
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
#[utoipa::path(
    get,
    path = "/keys",
    operation_id = "list_keys",
    tag = "keys",
    summary = "List keys",
    description = "Every key with its principal, revoked ones too; never a secret or hash.",
    responses((status = 200, description = "The keys", body = KeyList))
)]
pub(crate) async fn list(state: web::Data<AppState>, _admin: Caller) -> Result<HttpResponse, ApiError> {
    let keys = blocking(&state, |e| e.list_keys()).await?;
    Ok(HttpResponse::Ok().json(KeyList { keys }))
}

/// `DELETE /v1/keys/{id}`: revoked at once.
#[utoipa::path(
    delete,
    path = "/keys/{id}",
    operation_id = "revoke_key",
    tag = "keys",
    summary = "Revoke a key",
    description = "The key stops working at once. Audited.",
    params(("id" = String, Path, description = "The key id (`key_…`)")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, response = NotFound),
    )
)]
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
#[utoipa::path(
    post,
    path = "/keys/{id}/rotate",
    operation_id = "rotate_key",
    tag = "keys",
    summary = "Give a key a new secret",
    description = "The old secret stops working at once; the new one is in this answer only. Audited.",
    params(("id" = String, Path, description = "The key id (`key_…`)")),
    responses(
        (status = 200, description = "The key, with its new secret", body = IssuedKey),
        (status = 404, response = NotFound),
    )
)]
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
