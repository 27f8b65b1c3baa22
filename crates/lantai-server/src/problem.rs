//! RFC 9457 problem details: one type for every error the API returns, and the one table that
//! maps error codes to HTTP statuses.

use actix_web::http::StatusCode;
use actix_web::{error, HttpRequest, HttpResponse, ResponseError};
use lantai_engine::EngineError;
use serde_json::{json, Map, Value};
use tracing::error;

/// An API error, rendered as `application/problem+json`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human-readable explanation of this occurrence.
    pub detail: String,
    /// Extra members (e.g. the offending parameter); boxed to keep `Result<_, ApiError>` small.
    pub extra: Box<Map<String, Value>>,
    /// Seconds for a `Retry-After` header.
    pub retry_after: Option<u64>,
}

/// The HTTP status and title of each code: the one place statuses are decided.
fn status_and_title(code: &str) -> (StatusCode, &'static str) {
    match code {
        "unauthorized" => (StatusCode::UNAUTHORIZED, "Authentication required"),
        "forbidden" => (StatusCode::FORBIDDEN, "Not allowed for this role"),
        "not_found" => (StatusCode::NOT_FOUND, "Not found"),
        "method_not_allowed" => (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed"),
        "payload_too_large" => (StatusCode::PAYLOAD_TOO_LARGE, "Request body too large"),
        "rate_limited" => (StatusCode::TOO_MANY_REQUESTS, "Too many requests"),
        "unsupported_media_type" => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
        "query_syntax" => (StatusCode::BAD_REQUEST, "Query syntax error"),
        "invalid_parameter" => (StatusCode::BAD_REQUEST, "Invalid parameter"),
        "unknown_parameter" => (StatusCode::BAD_REQUEST, "Unknown parameter"),
        "malformed_body" | "malformed_json" => (StatusCode::BAD_REQUEST, "Malformed request body"),
        "invalid_field" => (StatusCode::BAD_REQUEST, "Invalid field"),
        "storage_error" | "index_error" | "configuration_error" | "internal" => {
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error")
        }
        _ => (StatusCode::BAD_REQUEST, "Bad request"),
    }
}

impl ApiError {
    /// An error with a code from the table and a detail.
    pub fn new(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError { code, detail: detail.into(), extra: Box::default(), retry_after: None }
    }

    /// Adds a `Retry-After` header.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Adds a member to the problem document.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_string(), value.into());
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_and_title(self.code).0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, title) = status_and_title(self.code);
        let mut body = json!({
            "type": format!("https://lantai.invalid/problems/{}", self.code.replace('_', "-")),
            "title": title,
            "status": status.as_u16(),
            "detail": self.detail,
            "code": self.code,
        });
        if let Value::Object(map) = &mut body {
            map.extend(self.extra.as_ref().clone());
        }
        let mut response = HttpResponse::build(status);
        response.content_type("application/problem+json");
        if let Some(seconds) = self.retry_after {
            response.insert_header(("Retry-After", seconds.to_string()));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer realm=\"lantai\""));
        }
        response.body(body.to_string())
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        if !e.is_client_error() {
            // Internal details go to the log, not to the caller.
            error!(error = %e, code = e.code(), "request failed");
            return ApiError::new(e.code(), "the service failed to complete the request; see the server log");
        }
        let api = ApiError::new(e.code(), e.to_string());
        match &e {
            EngineError::InvalidParameter { name, .. } => api.with("parameter", name.clone()),
            EngineError::UnknownParameter(name) => api.with("parameter", name.clone()),
            EngineError::Validation(errors) => {
                api.with("errors", errors.iter().map(|(f, m)| json!({"field": f, "message": m})).collect::<Vec<_>>())
            }
            _ => api,
        }
    }
}

impl From<error::BlockingError> for ApiError {
    fn from(_: error::BlockingError) -> Self {
        ApiError::new("internal", "the worker pool is shut down")
    }
}

pub(crate) fn json_error(err: error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    match err {
        error::JsonPayloadError::OverflowKnownLength { .. } | error::JsonPayloadError::Overflow { .. } => {
            ApiError::new("payload_too_large", err.to_string()).into()
        }
        error::JsonPayloadError::ContentType => {
            ApiError::new("unsupported_media_type", "send the body as application/json").into()
        }
        other => ApiError::new("malformed_json", other.to_string()).into(),
    }
}

pub(crate) fn query_error(err: error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new("invalid_parameter", format!("query string: {err}")).into()
}

pub(crate) fn path_error(err: error::PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new("invalid_parameter", format!("path: {err}")).into()
}

pub(crate) async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new("not_found", format!("no route for {} {}", req.method(), req.path())))
}

pub(crate) async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new("method_not_allowed", format!("{} is not allowed on {}", req.method(), req.path())))
}
