//! One id per request: taken from a sane incoming `X-Request-Id` or made up, carried in a
//! tracing span around the request, and returned in the response's `X-Request-Id` header.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

const HEADER: &str = "x-request-id";

fn incoming(req: &ServiceRequest) -> Option<String> {
    let v = req.headers().get(HEADER)?.to_str().ok()?;
    (!v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| v.to_string())
}

/// The middleware.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = incoming(&req).unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    // Label by route pattern, never by raw path (ids would explode the label set).
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().to_string();
    let started = std::time::Instant::now();
    async move {
        let mut response = next.call(req).await?.map_into_boxed_body();
        let status = response.status().as_u16();
        let elapsed = started.elapsed().as_secs_f64();
        tracing::info!(status, elapsed_ms = elapsed * 1000.0, "request served");
        metrics::counter!("lantai_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status.to_string())
            .increment(1);
        metrics::histogram!("lantai_http_request_duration_seconds", "route" => route, "method" => method).record(elapsed);
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(HeaderName::from_static(HEADER), value);
        }
        Ok(response)
    }
    .instrument(span)
    .await
}
