//! Lantai's JSON API over actix-web.
//!
//! [`configure`] mounts every route on an app (for in-process tests), and [`spawn`] starts a real
//! server on a listener (port 0 in black-box tests). Every error is `application/problem+json`
//! with a stable `code`; every route but the health checks and the API's own documentation needs
//! a bearer key, and the role a route needs is decided in one place ([`auth`]). The OpenAPI 3.1
//! document is generated from the code and served at `GET /v1/openapi.json`, with Swagger UI at
//! `/docs/`; [`routes`] lists what it must describe. The web page for people (search, and the
//! quality dashboard for analysts) is served at `/` from files built into the binary.
#![warn(missing_docs)]

pub mod auth;
mod openapi;
mod page;
mod params;
mod problem;
mod query_string;
mod request_id;
mod routes;
pub mod telemetry;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{middleware::from_fn, web, App, HttpServer};
use lantai_engine::Engine;

pub use problem::ApiError;

/// Shared state of every worker.
#[derive(Clone)]
pub struct AppState {
    /// The engine.
    pub engine: Arc<Engine>,
    /// Per-key request budgets (shared by all workers).
    pub limits: auth::RateLimits,
}

impl AppState {
    /// State over an engine, with the rate limits of its configuration.
    pub fn new(engine: Arc<Engine>) -> AppState {
        let limits = &engine.config().limits;
        let limits = auth::RateLimits::new(limits.requests_per_second, limits.burst);
        AppState { engine, limits }
    }
}

/// Mounts Lantai's routes, error handlers, the authentication policy, the API documentation
/// (`/v1/openapi.json`, `/docs/`) and the web page (`/`, `/static/…`).
pub fn configure(cfg: &mut web::ServiceConfig, state: AppState) {
    telemetry::handle();
    let body_limit = state.engine.config().server.body_limit_mb << 20;
    cfg.app_data(web::Data::new(state))
        .app_data(web::JsonConfig::default().limit(body_limit).error_handler(problem::json_error))
        .app_data(web::QueryConfig::default().error_handler(problem::query_error))
        .app_data(web::PathConfig::default().error_handler(problem::path_error))
        .service(
            web::resource("/metrics")
                .wrap(from_fn(auth::authorize))
                .get(telemetry::metrics_page)
                .default_service(web::to(problem::method_not_allowed)),
        )
        .service(
            web::scope("/v1")
                .wrap(from_fn(auth::authorize))
                .configure(routes::configure)
                .default_service(web::to(problem::not_found)),
        )
        .service(
            web::scope("/docs")
                .wrap(from_fn(auth::authorize))
                .service(
                    web::resource("").get(openapi::docs_home).default_service(web::to(problem::method_not_allowed)),
                )
                .service(
                    web::resource("/{file:.*}")
                        .get(openapi::docs_asset)
                        .default_service(web::to(problem::method_not_allowed)),
                ),
        )
        .service(
            web::resource("/")
                .wrap(from_fn(auth::authorize))
                .get(page::home)
                .default_service(web::to(problem::method_not_allowed)),
        )
        .service(
            web::resource("/static/{file:.*}")
                .wrap(from_fn(auth::authorize))
                .get(page::asset)
                .default_service(web::to(problem::method_not_allowed)),
        )
        .default_service(web::to(problem::not_found));
}

/// Every API route as (method, path pattern): the `/v1` route table and `/metrics`. The OpenAPI
/// document describes each of them (the API tests hold it to that), and [`auth::POLICY`] names
/// the role each needs.
pub fn routes() -> Vec<(&'static str, String)> {
    let mut routes: Vec<_> = routes::ROUTES.iter().map(|(method, path)| (*method, format!("/v1{path}"))).collect();
    routes.push(("GET", "/metrics".to_string()));
    routes
}

/// Starts serving on `listener`. The server stops on SIGINT/SIGTERM after finishing in-flight
/// requests; the caller flushes the engine when the returned future completes.
pub fn spawn(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let workers = match state.engine.config().server.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    state.engine.start_index_upkeep();
    let server = HttpServer::new(move || {
        App::new().wrap(from_fn(request_id::request_id)).configure(|cfg| configure(cfg, state.clone()))
    })
    .workers(workers)
    // Engine calls that write or read files (ingest, records, events) run on blocking threads
    // (searches, short CPU work, run on the workers): a few per worker keep the cores busy;
    // hundreds (actix's default) only multiply allocator arenas and memory.
    .worker_max_blocking_threads(8)
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(server)
}
