use actix_web::{web, HttpResponse};
use lantai_engine::EventInput;

use super::blocking;
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// Most events in one request.
const MAX_EVENTS: usize = 1000;

/// `POST /v1/events`: a JSON array of usage events following the caller's searches.
#[utoipa::path(
    post,
    path = "/events",
    operation_id = "post_events",
    tag = "usage",
    summary = "Report what the user did with search results",
    description = "Each event must follow one of the caller's own searches (`query_id`) and name a record the caller \
                   may see; otherwise it is refused by its index (`unknown_query`, `unknown_record`, \
                   `invalid_type`), revealing nothing. Accepted events are on disk when the answer arrives. At most \
                   1,000 events per request.",
    request_body(content = Vec<lantai_engine::EventInput>, content_type = "application/json"),
    responses(
        (status = 200, description = "Events accepted and refused", body = lantai_engine::EventsReport),
        (status = 400, response = crate::problem::BadRequest),
        (status = 413, response = crate::problem::PayloadTooLarge),
        (status = 415, response = crate::problem::UnsupportedMediaType),
    )
)]
pub(crate) async fn post(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<Vec<EventInput>>,
) -> Result<HttpResponse, ApiError> {
    let events = body.into_inner();
    if events.len() > MAX_EVENTS {
        return Err(ApiError::new(
            "payload_too_large",
            format!("{} events; at most {MAX_EVENTS} per request", events.len()),
        ));
    }
    let report = blocking(&state, move |e| e.record_events(events, &caller.0)).await?;
    Ok(HttpResponse::Ok().json(report))
}
