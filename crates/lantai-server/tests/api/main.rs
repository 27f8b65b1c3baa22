//! Black-box tests of the HTTP API: a real server on a free port, driven with an HTTP client.

mod helpers;

mod auth;
mod chinese;
mod dictionaries;
mod errors;
mod files;
mod ingest;
mod known_item;
mod openapi;
mod ops;
mod quality;
mod ranking;
mod restart;
mod security;
mod shapes;
mod usage;
mod visibility;
