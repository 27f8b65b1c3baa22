use actix_web::HttpResponse;
use serde_json::json;

/// Liveness: the process answers. Public, so it reveals nothing about the archive.
pub(crate) async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

/// Readiness: the index has caught up with the store and the store takes writes. Public like
/// liveness, so it says what is wrong without counts.
pub(crate) async fn ready(state: actix_web::web::Data<crate::AppState>) -> HttpResponse {
    let engine = state.engine.clone();
    let problems = actix_web::web::block(move || engine.readiness()).await;
    match problems {
        Ok(Ok(problems)) if problems.is_empty() => HttpResponse::Ok().json(json!({"status": "ready"})),
        Ok(Ok(problems)) => {
            HttpResponse::ServiceUnavailable().json(json!({"status": "not_ready", "problems": problems}))
        }
        _ => {
            HttpResponse::ServiceUnavailable().json(json!({"status": "not_ready", "problems": ["engine unavailable"]}))
        }
    }
}
