use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::ToSchema;

/// The answer to a liveness check.
#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    /// Always `ok`.
    #[schema(example = "ok")]
    status: &'static str,
    /// The server's version.
    version: &'static str,
}

/// The answer to a readiness check.
#[derive(Serialize, ToSchema)]
pub(crate) struct Readiness {
    /// `ready` or `not_ready`.
    #[schema(example = "ready")]
    status: &'static str,
    /// What is wrong, without counts (only when not ready).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<String>,
}

/// Liveness: the process answers. Public, so it reveals nothing about the archive.
#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "operations",
    summary = "Liveness: the process answers",
    description = "Public; reveals nothing about the archive.",
    responses((status = 200, description = "Alive", body = Health))
)]
pub(crate) async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

/// Readiness: the index has caught up with the store and the store takes writes. Public like
/// liveness, so it says what is wrong without counts.
#[utoipa::path(
    get,
    path = "/ready",
    operation_id = "ready",
    tag = "operations",
    summary = "Readiness, for load balancers",
    description = "Ready when the index has caught up with the store and the store takes writes. Public; says what \
                   is wrong without counts.",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "Not ready, with the reasons", body = Readiness),
    )
)]
pub(crate) async fn ready(state: actix_web::web::Data<crate::AppState>) -> HttpResponse {
    let engine = state.engine.clone();
    let problems = actix_web::web::block(move || engine.readiness()).await;
    match problems {
        Ok(Ok(problems)) if problems.is_empty() => HttpResponse::Ok().json(Readiness { status: "ready", problems }),
        Ok(Ok(problems)) => HttpResponse::ServiceUnavailable().json(Readiness { status: "not_ready", problems }),
        _ => HttpResponse::ServiceUnavailable()
            .json(Readiness { status: "not_ready", problems: vec!["engine unavailable".into()] }),
    }
}
