//! RFC 9457 problem details: one type for every error the API returns, and the one table that
//! maps error codes to HTTP statuses.

use actix_web::http::StatusCode;
use actix_web::{error, HttpRequest, HttpResponse, ResponseError};
use lantai_engine::EngineError;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use tracing::error;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

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

/// Every code the API answers with, its HTTP status and title: the one place statuses are
/// decided, and the list the OpenAPI document gives for `code`.
pub(crate) const CODES: &[(&str, StatusCode, &str)] = &[
    ("query_syntax", StatusCode::BAD_REQUEST, "Query syntax error"),
    ("invalid_parameter", StatusCode::BAD_REQUEST, "Invalid parameter"),
    ("unknown_parameter", StatusCode::BAD_REQUEST, "Unknown parameter"),
    ("malformed_body", StatusCode::BAD_REQUEST, "Malformed request body"),
    ("malformed_json", StatusCode::BAD_REQUEST, "Malformed request body"),
    ("invalid_field", StatusCode::BAD_REQUEST, "Invalid field"),
    ("unauthorized", StatusCode::UNAUTHORIZED, "Authentication required"),
    ("forbidden", StatusCode::FORBIDDEN, "Not allowed for this role"),
    ("not_found", StatusCode::NOT_FOUND, "Not found"),
    ("method_not_allowed", StatusCode::METHOD_NOT_ALLOWED, "Method not allowed"),
    ("payload_too_large", StatusCode::PAYLOAD_TOO_LARGE, "Request body too large"),
    ("unsupported_media_type", StatusCode::UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    ("rate_limited", StatusCode::TOO_MANY_REQUESTS, "Too many requests"),
    ("storage_error", StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    ("storage_full", StatusCode::INSUFFICIENT_STORAGE, "Storage full"),
    ("snapshot_error", StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    ("index_error", StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    ("configuration_error", StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    ("internal", StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
];

/// The status and title of a code. A code missing from [`CODES`] is a server fault, never the
/// caller's, so it answers 500.
fn status_and_title(code: &str) -> (StatusCode, &'static str) {
    CODES
        .iter()
        .find(|(c, ..)| *c == code)
        .map_or((StatusCode::INTERNAL_SERVER_ERROR, "Internal error"), |(_, status, title)| (*status, *title))
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
        if e.is_storage_full() {
            error!(error = %e, "the data directory's disk is full");
            return ApiError::new(
                "storage_full",
                "the data directory's disk is full: this request was not acknowledged (it may or may not have \
                 been stored; send it again once space returns: records are replaced by id), and everything \
                 acknowledged before it is safe on disk; free space, then restart the service",
            );
        }
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

/// The problem document as a schema, named `Problem`: its `code` lists the code table, so the document
/// cannot promise a code the server does not answer with, nor miss one.
impl utoipa::PartialSchema for ApiError {
    fn schema() -> RefOr<Schema> {
        let field_error = ObjectBuilder::new()
            .property("field", text("path of the field at fault, e.g. `answers[3].perception`"))
            .property("message", text("what is wrong with it"))
            .required("field")
            .required("message");
        ObjectBuilder::new()
            .description(Some(
                "An RFC 9457 problem (`application/problem+json`). Branch on `code`, which is stable; `title` and \
                 `detail` are for people.",
            ))
            .property("type", text("URI naming the problem type").format(Some(SchemaFormat::Custom("uri".into()))))
            .property("title", text("short summary of the problem type"))
            .property(
                "status",
                ObjectBuilder::new().schema_type(Type::Integer).description(Some("the HTTP status, repeated")),
            )
            .property("detail", text("what went wrong in this request; never a secret or an internal detail"))
            .property(
                "code",
                text("stable machine-readable code").enum_values(Some(CODES.iter().map(|(code, ..)| *code))),
            )
            .property("parameter", text("the query parameter at fault (`invalid_parameter`, `unknown_parameter`)"))
            .property(
                "errors",
                ArrayBuilder::new()
                    .items(field_error)
                    .description(Some("every field at fault (`invalid_field`), not only the first")),
            )
            .property("field", text("the body field at fault, when there is one"))
            .required("type")
            .required("title")
            .required("status")
            .required("detail")
            .required("code")
            .into()
    }
}

impl utoipa::ToSchema for ApiError {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Problem")
    }
}

/// The problem answer of one status, its description listing the codes it carries.
fn problem_response(status: StatusCode) -> Response {
    let codes: Vec<String> =
        CODES.iter().filter(|(_, s, _)| *s == status).map(|(code, ..)| format!("`{code}`")).collect();
    let reason = status.canonical_reason().unwrap_or("Error");
    let mut response = ResponseBuilder::new().description(format!("{reason}: {}", codes.join(", "))).content(
        "application/problem+json",
        ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
    );
    if status == StatusCode::UNAUTHORIZED {
        response = response
            .header("WWW-Authenticate", HeaderBuilder::new().schema(Some(text("`Bearer realm=\"lantai\"`"))).build());
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                .description(Some("seconds until this key may call again"))
                .build(),
        );
    }
    response.build()
}

fn text(description: &str) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).description(Some(description))
}

/// Problem answers by status, for `responses(...)` in the route annotations (`response =
/// NotFound`): each is one shared component of the OpenAPI document.
macro_rules! problem_responses {
    ($($name:ident = $status:ident),+ $(,)?) => {
        $(
            #[doc = concat!("The `", stringify!($status), "` problem answer.")]
            pub(crate) struct $name;

            impl<'s> utoipa::ToResponse<'s> for $name {
                fn response() -> (&'s str, RefOr<Response>) {
                    (stringify!($name), RefOr::T(problem_response(StatusCode::$status)))
                }
            }
        )+

        /// Every problem answer, as (component name, response).
        pub(crate) fn problem_components() -> Vec<(&'static str, Response)> {
            vec![$((stringify!($name), problem_response(StatusCode::$status))),+]
        }
    };
}

problem_responses!(
    BadRequest = BAD_REQUEST,
    Unauthorized = UNAUTHORIZED,
    Forbidden = FORBIDDEN,
    NotFound = NOT_FOUND,
    PayloadTooLarge = PAYLOAD_TOO_LARGE,
    UnsupportedMediaType = UNSUPPORTED_MEDIA_TYPE,
    TooManyRequests = TOO_MANY_REQUESTS,
    InternalError = INTERNAL_SERVER_ERROR,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_status_and_unknown_codes_are_server_faults() {
        assert_eq!(status_and_title("not_found").0, StatusCode::NOT_FOUND);
        assert_eq!(status_and_title("snapshot_error").0, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(status_and_title("no_such_code").0, StatusCode::INTERNAL_SERVER_ERROR);
        let mut codes: Vec<&str> = CODES.iter().map(|(c, ..)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CODES.len(), "a code is listed twice");
    }

    #[test]
    fn a_rendered_problem_has_only_members_the_schema_describes() {
        let schema = serde_json::to_value(<ApiError as utoipa::PartialSchema>::schema()).unwrap();
        let error = ApiError::new("invalid_field", "bad")
            .with("parameter", "p")
            .with("field", "f")
            .with("errors", json!([{"field": "answers[0].item", "message": "no such item"}]));
        let body = actix_web::rt::System::new().block_on(actix_web::body::to_bytes(error.error_response().into_body()));
        let body: Value = serde_json::from_slice(&body.unwrap()).unwrap();
        for (member, _) in body.as_object().unwrap() {
            assert!(schema["properties"].get(member).is_some(), "`{member}` is not in the Problem schema");
        }
        let codes = schema["properties"]["code"]["enum"].as_array().unwrap();
        assert!(codes.contains(&json!("invalid_field")) && codes.len() == CODES.len());
    }
}
