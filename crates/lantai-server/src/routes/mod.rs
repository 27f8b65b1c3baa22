//! Route table. Handlers stay thin: parse, call the engine off the async threads, answer.

mod admin;
mod audit;
mod dictionaries;
mod docs;
mod events;
mod files;
mod health;
mod keys;
mod quality;
mod ranking;
mod records;
mod search;

use actix_web::http::Method;
use actix_web::{web, Route};
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

/// Declares every route under `/v1` once, as `METHOD "path" => module::handler`. From the one list
/// [`configure`] mounts the routes, [`ROUTES`] names them, and [`Paths`] documents them from each
/// handler's `#[utoipa::path]`: a handler without that annotation does not compile here, and the
/// API tests check that each annotation names the same method and path as its row.
macro_rules! routes {
    ($($method:ident $path:literal => $module:ident::$handler:ident,)+) => {
        /// (method, path under `/v1`) of every route, in mounting order.
        pub(crate) const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),+];

        /// The OpenAPI paths of the routes, relative to `/v1`.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($module::$handler),+))]
        pub(crate) struct Paths;

        fn table() -> Vec<(&'static str, Route)> {
            vec![$(($path, web::method(Method::$method).to($module::$handler))),+]
        }
    };
}

routes! {
    GET "/health" => health::health,
    GET "/ready" => health::ready,
    GET "/openapi.json" => docs::openapi,
    GET "/search" => search::search,
    POST "/records" => records::ingest,
    GET "/records/{id}" => records::get,
    DELETE "/records/{id}" => records::delete,
    POST "/keys" => keys::create,
    GET "/keys" => keys::list,
    DELETE "/keys/{id}" => keys::revoke,
    POST "/keys/{id}/rotate" => keys::rotate,
    POST "/surveys" => quality::publish,
    GET "/surveys/current" => quality::current,
    POST "/surveys/responses" => quality::respond,
    GET "/quality/servqual" => quality::servqual,
    GET "/quality/indicators" => quality::indicators,
    POST "/admin/snapshot" => admin::snapshot,
    POST "/events" => events::post,
    GET "/audit" => audit::list,
    GET "/ranking/model" => ranking::model,
    GET "/dictionaries/{name}" => dictionaries::get,
    PUT "/dictionaries/{name}" => dictionaries::put,
    GET "/admin/reindex" => dictionaries::reindex_status,
    POST "/admin/reindex" => dictionaries::reindex_start,
    GET "/analyze" => dictionaries::analyze,
    POST "/files" => files::ingest,
}

/// Mounts [`ROUTES`]: one resource per path, answering 405 for the methods it lacks.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    let mut resources: Vec<(&str, Vec<Route>)> = Vec::new();
    for (path, route) in table() {
        match resources.iter_mut().find(|(p, _)| *p == path) {
            Some((_, routes)) => routes.push(route),
            None => resources.push((path, vec![route])),
        }
    }
    for (path, routes) in resources {
        let resource = routes.into_iter().fold(web::resource(path), |resource, route| resource.route(route));
        cfg.service(resource.default_service(web::to(method_not_allowed)));
    }
}
