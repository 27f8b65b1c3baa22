use actix_web::{web, HttpResponse};
use lantai_engine::EventInput;

use super::blocking;
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// Most events in one request.
const MAX_EVENTS: usize = 1000;

/// `POST /v1/events`: a JSON array of usage events following the caller's searches.
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
