//! Route table. Handlers stay thin: parse, call the engine off the async threads, answer.

mod admin;
mod audit;
mod events;
mod health;
mod keys;
mod quality;
mod ranking;
mod records;
mod search;

use actix_web::web;
use lantai_engine::Engine;

use crate::problem::method_not_allowed;
use crate::{ApiError, AppState};

/// Runs an engine call off the async threads (tantivy and sled block).
pub(crate) async fn blocking<T: Send + 'static>(
    state: &web::Data<AppState>,
    call: impl FnOnce(&Engine) -> lantai_engine::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let engine = state.engine.clone();
    Ok(web::block(move || call(&engine)).await??)
}

/// The audit outcome of a lookup.
pub(crate) fn outcome(found: bool) -> &'static str {
    if found {
        "ok"
    } else {
        "not_found"
    }
}

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health").get(health::health).default_service(web::to(method_not_allowed)))
        .service(web::resource("/ready").get(health::ready).default_service(web::to(method_not_allowed)))
        .service(web::resource("/search").get(search::search).default_service(web::to(method_not_allowed)))
        .service(web::resource("/records").post(records::ingest).default_service(web::to(method_not_allowed)))
        .service(
            web::resource("/records/{id}")
                .get(records::get)
                .delete(records::delete)
                .default_service(web::to(method_not_allowed)),
        )
        .service(web::resource("/keys").post(keys::create).get(keys::list).default_service(web::to(method_not_allowed)))
        .service(web::resource("/keys/{id}").delete(keys::revoke).default_service(web::to(method_not_allowed)))
        .service(web::resource("/keys/{id}/rotate").post(keys::rotate).default_service(web::to(method_not_allowed)))
        .service(web::resource("/surveys").post(quality::publish).default_service(web::to(method_not_allowed)))
        .service(web::resource("/surveys/current").get(quality::current).default_service(web::to(method_not_allowed)))
        .service(
            web::resource("/surveys/responses").post(quality::respond).default_service(web::to(method_not_allowed)),
        )
        .service(web::resource("/quality/servqual").get(quality::servqual).default_service(web::to(method_not_allowed)))
        .service(
            web::resource("/quality/indicators").get(quality::indicators).default_service(web::to(method_not_allowed)),
        )
        .service(web::resource("/admin/snapshot").post(admin::snapshot).default_service(web::to(method_not_allowed)))
        .service(web::resource("/events").post(events::post).default_service(web::to(method_not_allowed)))
        .service(web::resource("/audit").get(audit::list).default_service(web::to(method_not_allowed)))
        .service(web::resource("/ranking/model").get(ranking::model).default_service(web::to(method_not_allowed)));
}
