//! Black-box tests of the HTTP API: a real server on a free port, driven with an HTTP client
//! (and, for the web page, with headless Chromium).

mod helpers;
mod webdriver;

mod auth;
mod browser;
mod chinese;
mod dictionaries;
mod disk_full;
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
mod web;
