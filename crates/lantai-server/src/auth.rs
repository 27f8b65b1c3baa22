//! Authentication, the role policy and rate limiting: one table says which role each route
//! needs, and one middleware enforces it (and the per-key rate) before any handler runs.

use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use lantai_engine::{AuditEvent, Identity};
use lantai_model::{Principal, Role};

use crate::{ApiError, AppState};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No key needed (health checks, the API's own documentation and the web page's files).
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
    ("GET", "/v1/ready", Access::Public),
    ("GET", "/v1/openapi.json", Access::Public),
    ("GET", "/docs", Access::Public),
    ("GET", "/docs/{file:.*}", Access::Public),
    // The web page: static files only; its API calls carry the user's key.
    ("GET", "/", Access::Public),
    ("GET", "/static/{file:.*}", Access::Public),
    ("GET", "/v1/search", Access::AtLeast(Role::Employee)),
    ("GET", "/v1/records/{id}", Access::AtLeast(Role::Employee)),
    ("POST", "/v1/events", Access::AtLeast(Role::Employee)),
    ("GET", "/v1/surveys/current", Access::AtLeast(Role::Employee)),
    ("POST", "/v1/surveys/responses", Access::AtLeast(Role::Employee)),
    ("POST", "/v1/surveys", Access::AtLeast(Role::Admin)),
    ("GET", "/v1/quality/servqual", Access::AtLeast(Role::Analyst)),
    ("GET", "/v1/quality/indicators", Access::AtLeast(Role::Analyst)),
    ("DELETE", "/v1/records/{id}", Access::AtLeast(Role::Admin)),
    ("POST", "/v1/records", Access::AtLeast(Role::Admin)),
    ("POST", "/v1/files", Access::AtLeast(Role::Admin)),
    ("POST", "/v1/keys", Access::AtLeast(Role::Admin)),
    ("GET", "/v1/keys", Access::AtLeast(Role::Admin)),
    ("DELETE", "/v1/keys/{id}", Access::AtLeast(Role::Admin)),
    ("POST", "/v1/keys/{id}/rotate", Access::AtLeast(Role::Admin)),
    ("GET", "/v1/audit", Access::AtLeast(Role::Admin)),
    ("POST", "/v1/admin/snapshot", Access::AtLeast(Role::Admin)),
    ("GET", "/v1/ranking/model", Access::AtLeast(Role::Admin)),
    ("GET", "/v1/dictionaries/{name}", Access::AtLeast(Role::Admin)),
    ("PUT", "/v1/dictionaries/{name}", Access::AtLeast(Role::Admin)),
    ("GET", "/v1/admin/reindex", Access::AtLeast(Role::Admin)),
    ("POST", "/v1/admin/reindex", Access::AtLeast(Role::Admin)),
    ("GET", "/v1/analyze", Access::AtLeast(Role::Employee)),
    ("GET", "/metrics", Access::AtLeast(Role::Analyst)),
];

/// Who may call `method` on the route `pattern` (admins only when the table does not say).
pub(crate) fn required(method: &Method, pattern: Option<&str>) -> Access {
    pattern
        .and_then(|p| POLICY.iter().find(|(m, pat, _)| *m == method.as_str() && *pat == p))
        .map_or(Access::AtLeast(Role::Admin), |(_, _, access)| *access)
}

fn bearer(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

/// Per-key request budget.
#[derive(Clone)]
pub struct RateLimits(Arc<DefaultKeyedRateLimiter<String>>);

impl RateLimits {
    /// `per_second` sustained, `burst` at once (each at least 1).
    pub fn new(per_second: u32, burst: u32) -> Self {
        let rate = NonZeroU32::new(per_second.max(1)).expect("at least 1");
        let burst = NonZeroU32::new(burst.max(1)).expect("at least 1");
        RateLimits(Arc::new(RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))))
    }

    /// Seconds to wait when the key is over its budget.
    fn check(&self, key_id: &str) -> Result<(), u64> {
        self.0.check_key(&key_id.to_string()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

/// The peer address for the audit trail.
pub(crate) fn remote(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()
}

/// Authenticates the caller, applies its rate limit and checks the policy; the caller is then
/// available to handlers through [`Caller`]. Refusals of admin routes are audited. A refusal is
/// answered here as a response (not an error), so outer middleware still sees and tags it.
pub async fn authorize(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    match check(&req).await {
        Ok(Some(identity)) => {
            req.extensions_mut().insert(identity);
        }
        Ok(None) => {}
        Err(refusal) => return Ok(req.error_response(refusal).map_into_right_body()),
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// The caller's identity, `None` for a public route, or why it is refused.
async fn check(req: &ServiceRequest) -> Result<Option<Identity>, ApiError> {
    let pattern = req.match_pattern();
    let access = required(req.method(), pattern.as_deref());
    if access == Access::Public {
        return Ok(None);
    }
    let secret = bearer(req).ok_or_else(|| ApiError::new("unauthorized", "send `Authorization: Bearer <key>`"))?;
    let state = req.app_data::<web::Data<AppState>>().expect("state is mounted").clone();
    let engine = state.engine.clone();
    // Inline, not on the blocking pool: a key is a hash and one lookup in a small, cached sled
    // tree, cheaper than the hop between threads.
    let identity = engine
        .authenticate(&secret)?
        .ok_or_else(|| ApiError::new("unauthorized", "unknown, revoked or expired key"))?;
    if let Err(wait) = state.limits.check(&identity.key_id) {
        metrics::counter!("lantai_rate_limited_total").increment(1);
        return Err(ApiError::new("rate_limited", format!("too many requests for this key; retry in {wait} s"))
            .with_retry_after(wait));
    }
    if let Access::AtLeast(role) = access {
        if level(identity.principal.role) < level(role) {
            if role == Role::Admin {
                let event = AuditEvent {
                    key_id: identity.key_id.clone(),
                    principal: identity.principal.name.clone(),
                    role: role_name(identity.principal.role).into(),
                    action: format!("{} {}", req.method(), pattern.as_deref().unwrap_or(req.path())),
                    target: path_id(pattern.as_deref(), req.path()),
                    remote: remote(req.request()),
                    outcome: "forbidden".into(),
                    ..AuditEvent::default()
                };
                let engine = state.engine.clone();
                web::block(move || engine.audit(event, false)).await??;
            }
            return Err(ApiError::new("forbidden", format!("this route needs the {} role", role_name(role))));
        }
    }
    Ok(Some(identity))
}

/// The `{id}` segment of a path, by its place in the route pattern (the middleware runs before
/// the route's own match information exists).
fn path_id(pattern: Option<&str>, path: &str) -> String {
    let Some(pattern) = pattern else { return String::new() };
    pattern
        .split('/')
        .zip(path.split('/'))
        .find(|(p, _)| *p == "{id}")
        .and_then(|(_, segment)| crate::query_string::pairs(&format!("id={segment}")).ok())
        .and_then(|mut pairs| pairs.pop())
        .map(|(_, id)| id)
        .unwrap_or_default()
}

pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Employee => "employee",
        Role::Analyst => "analyst",
        Role::Admin => "admin",
    }
}

/// The authenticated caller of the request.
pub struct Caller(pub Identity);

impl Caller {
    /// The principal behind the key.
    pub fn principal(&self) -> &Principal {
        &self.0.principal
    }

    /// An audit event by this caller.
    pub(crate) fn event(&self, req: &HttpRequest, action: &str, target: &str, outcome: &str) -> AuditEvent {
        AuditEvent {
            key_id: self.0.key_id.clone(),
            principal: self.0.principal.name.clone(),
            role: role_name(self.0.principal.role).into(),
            action: action.into(),
            target: target.into(),
            remote: remote(req),
            outcome: outcome.into(),
            ..AuditEvent::default()
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            req.extensions()
                .get::<Identity>()
                .cloned()
                .map(Caller)
                .ok_or_else(|| ApiError::new("unauthorized", "no authenticated principal")),
        )
    }
}
