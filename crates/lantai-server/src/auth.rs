//! Authentication and the role policy: one table says which role each route needs, and one
//! middleware enforces it before any handler runs.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use lantai_model::{Principal, Role};

use crate::{ApiError, AppState};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No key needed (liveness only).
    Public,
    /// Any valid key of at least this role.
    AtLeast(Role),
}

fn level(role: Role) -> u8 {
    match role {
        Role::Employee => 0,
        Role::Analyst => 1,
        Role::Admin => 2,
    }
}

/// The policy: (method, route pattern) → who may call it. A route missing here is refused to
/// everyone but admins, so a forgotten entry fails closed.
pub const POLICY: &[(&str, &str, Access)] = &[
    ("GET", "/v1/health", Access::Public),
    ("GET", "/v1/search", Access::AtLeast(Role::Employee)),
    ("GET", "/v1/records/{id}", Access::AtLeast(Role::Employee)),
    ("DELETE", "/v1/records/{id}", Access::AtLeast(Role::Admin)),
    ("POST", "/v1/records", Access::AtLeast(Role::Admin)),
    ("POST", "/v1/keys", Access::AtLeast(Role::Admin)),
];

fn required(method: &Method, pattern: Option<&str>) -> Access {
    pattern
        .and_then(|p| POLICY.iter().find(|(m, pat, _)| *m == method.as_str() && *pat == p))
        .map_or(Access::AtLeast(Role::Admin), |(_, _, access)| *access)
}

fn bearer(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

/// Authenticates the caller and checks the policy; the principal is then available to handlers
/// through [`Caller`].
pub async fn authorize(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let pattern = req.match_pattern();
    let access = required(req.method(), pattern.as_deref());
    if access == Access::Public {
        return next.call(req).await;
    }
    let Some(secret) = bearer(&req) else {
        return Err(ApiError::new("unauthorized", "send `Authorization: Bearer <key>`").into());
    };
    let state = req.app_data::<web::Data<AppState>>().expect("state is mounted").clone();
    let principal = web::block(move || state.engine.authenticate(&secret))
        .await
        .map_err(ApiError::from)?
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::new("unauthorized", "unknown or revoked key"))?;
    if let Access::AtLeast(role) = access {
        if level(principal.role) < level(role) {
            return Err(ApiError::new("forbidden", format!("this route needs the {role:?} role")).into());
        }
    }
    req.extensions_mut().insert(principal);
    next.call(req).await
}

/// The authenticated principal of the request.
pub struct Caller(pub Principal);

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            req.extensions()
                .get::<Principal>()
                .cloned()
                .map(Caller)
                .ok_or_else(|| ApiError::new("unauthorized", "no authenticated principal")),
        )
    }
}
