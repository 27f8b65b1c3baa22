//! Prometheus metrics: request counts and latency per route and status, search latency, records
//! ingested, rate-limit refusals, and, read at scrape time, index size and segments, store size
//! and change-log lag.

use std::sync::OnceLock;

use actix_web::{web, HttpResponse};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::routes::blocking;
use crate::{ApiError, AppState};

/// Latency buckets, seconds (0.5 ms … 10 s).
const BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The process-wide recorder (one per process: every server in it shares the registry).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
            .expect("buckets are valid")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (e.g. by an embedding program); then the
        // metrics go there and this endpoint shows only the gauges read at scrape time.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// `GET /metrics` (analyst or admin): Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    tag = "operations",
    summary = "Prometheus metrics",
    description = "Request counts and latency by route pattern, search latency, records ingested and rejected, rate \
                   limit refusals and, read at scrape time, record, index and store sizes and the change-log lag.",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain; version=0.0.4"))
)]
pub(crate) async fn metrics_page(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let stats = blocking(&state, |e| e.stats()).await?;
    metrics::gauge!("lantai_records").set(stats.records as f64);
    metrics::gauge!("lantai_index_documents").set(stats.indexed as f64);
    metrics::gauge!("lantai_index_segments").set(stats.segments as f64);
    metrics::gauge!("lantai_index_bytes").set(stats.index_bytes as f64);
    metrics::gauge!("lantai_store_bytes").set(stats.store_bytes as f64);
    metrics::gauge!("lantai_changelog_lag").set(stats.last_seq.saturating_sub(stats.index_seq) as f64);
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(handle().render()))
}
