use actix_web::HttpResponse;
use serde_json::json;

/// Liveness: the process answers. Public, so it reveals nothing about the archive.
pub(crate) async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}
