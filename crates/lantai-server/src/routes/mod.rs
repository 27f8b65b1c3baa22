//! Route table. Handlers stay thin: parse, call the engine off the async threads, answer.

mod audit;
mod events;
mod health;
mod keys;
mod quality;
mod records;
mod search;

use actix_web::web;

use crate::problem::method_not_allowed;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health").get(health::health).default_service(web::to(method_not_allowed)))
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
        .service(web::resource("/events").post(events::post).default_service(web::to(method_not_allowed)))
        .service(web::resource("/audit").get(audit::list).default_service(web::to(method_not_allowed)));
}
