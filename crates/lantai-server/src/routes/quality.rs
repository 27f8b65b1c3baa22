use actix_web::http::header::ACCEPT;
use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::{GroupBy, Instrument, QualityFilter, ResponseInput};

use super::blocking;
use crate::auth::Caller;
use crate::params::{date_or_time, invalid, unknown};
use crate::{query_string, ApiError, AppState};

/// `GET /v1/surveys/current[?form=short&seed=N]`: the instrument in force, or its short form.
pub(crate) async fn current(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (mut short, mut seed) = (false, None);
    for (name, value) in query_string::pairs(req.query_string())? {
        match (name.as_str(), value.as_str()) {
            ("form", "short") => short = true,
            ("form", "full") => short = false,
            ("seed", v) => seed = Some(v.parse::<u64>().map_err(|_| invalid("seed", "a whole number"))?),
            ("form", _) => return Err(invalid("form", "short or full")),
            (other, _) => return Err(unknown(other)),
        }
    }
    if !short {
        let instrument = blocking(&state, |e| e.current_survey()).await?;
        return Ok(HttpResponse::Ok().json(instrument));
    }
    let seed = seed.unwrap_or_else(|| rand_seed(&req));
    let (instrument, items) = blocking(&state, move |e| e.short_form(seed)).await?;
    let chosen: Vec<_> = instrument.items.iter().filter(|i| items.contains(&i.number)).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "version": instrument.version, "form": "short", "seed": seed, "items": chosen,
        "technical": instrument.technical, "functional": instrument.functional, "found_record": instrument.found_record,
    })))
}

fn rand_seed(req: &HttpRequest) -> u64 {
    // Varies per request without a dependency: nanoseconds mixed with the peer port.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(req.peer_addr().map_or(0, |a| a.port())).rotate_left(32)
}

/// `POST /v1/surveys`: publish a new instrument version (admin).
pub(crate) async fn publish(
    state: web::Data<AppState>,
    _admin: Caller,
    body: web::Json<Instrument>,
) -> Result<HttpResponse, ApiError> {
    let published = blocking(&state, move |e| e.publish_survey(body.into_inner())).await?;
    Ok(HttpResponse::Created().json(published))
}

/// `POST /v1/surveys/responses`: one respondent's answers; department and user group come from the key.
pub(crate) async fn respond(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<ResponseInput>,
) -> Result<HttpResponse, ApiError> {
    let stored = blocking(&state, move |e| e.submit_response(body.into_inner(), &caller.0)).await?;
    Ok(HttpResponse::Created()
        .json(serde_json::json!({"seq": stored.seq, "at": stored.at, "category": stored.category})))
}

fn filter(req: &HttpRequest, allow_version: bool) -> Result<QualityFilter, ApiError> {
    let mut f = QualityFilter::default();
    for (name, value) in query_string::pairs(req.query_string())? {
        match name.as_str() {
            "from" => f.period.from = Some(date_or_time("from", &value)?),
            "to" => f.period.to = Some(date_or_time("to", &value)?),
            "group_by" => f.group_by = Some(value.parse::<GroupBy>()?),
            "survey_version" if allow_version => {
                f.survey_version = Some(value.parse().map_err(|_| invalid("survey_version", "a whole number"))?)
            }
            other => return Err(unknown(other)),
        }
    }
    Ok(f)
}

fn wants_csv(req: &HttpRequest) -> bool {
    req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/csv"))
}

fn csv(body: String) -> HttpResponse {
    HttpResponse::Ok().content_type("text/csv; charset=utf-8").body(body)
}

/// `GET /v1/quality/servqual` (analyst, admin): JSON, or CSV with `Accept: text/csv`.
pub(crate) async fn servqual(
    state: web::Data<AppState>,
    _analyst: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let f = filter(&req, true)?;
    let min_n = state.engine.config().quality.min_group_size;
    let report = blocking(&state, move |e| e.servqual_report(&f, min_n)).await?;
    if wants_csv(&req) {
        let mut rows = vec![report.overall.clone()];
        rows.extend(report.groups.iter().cloned());
        return Ok(csv(lantai_engine::servqual_csv(&rows)));
    }
    Ok(HttpResponse::Ok().json(report))
}

/// `GET /v1/quality/indicators` (analyst, admin): JSON, or CSV with `Accept: text/csv`.
pub(crate) async fn indicators(
    state: web::Data<AppState>,
    _analyst: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let f = filter(&req, false)?;
    let min_n = state.engine.config().quality.min_group_size;
    let report = blocking(&state, move |e| e.indicators_report(&f, min_n)).await?;
    if wants_csv(&req) {
        let mut rows = vec![(report.overall.key.clone(), report.overall.indicators.clone())];
        rows.extend(report.groups.iter().map(|g| (g.key.clone(), g.indicators.clone())));
        return Ok(csv(lantai_engine::indicators_csv(&rows)));
    }
    Ok(HttpResponse::Ok().json(report))
}
