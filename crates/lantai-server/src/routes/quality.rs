use actix_web::http::header::ACCEPT;
use actix_web::{web, HttpRequest, HttpResponse};
use lantai_engine::{GroupBy, IndicatorsReport, Instrument, QualityFilter, ResponseInput, ServqualReport};
use lantai_quality::{Item, Prompt};
use serde::Serialize;
use utoipa::ToSchema;

use super::blocking;
use crate::auth::Caller;
use crate::params::{date_or_time, invalid, unknown};
use crate::problem::{BadRequest, UnsupportedMediaType};
use crate::{query_string, ApiError, AppState};

/// The short form of the instrument: a few items drawn for one respondent.
#[derive(Serialize, ToSchema)]
pub(crate) struct ShortForm {
    /// The instrument version to quote in the response.
    version: u32,
    /// Always `short`.
    #[schema(example = "short")]
    form: &'static str,
    /// Draws the same items again.
    seed: u64,
    /// One linking item per dimension plus a few at random (6–8 in all).
    items: Vec<Item>,
    /// Grönroos technical quality: what the user got.
    technical: Prompt,
    /// Grönroos functional quality: how it was delivered.
    functional: Prompt,
    /// Did the user find the record they were after.
    found_record: Prompt,
}

/// The answer to a stored survey response.
#[derive(Serialize, ToSchema)]
pub(crate) struct Receipt {
    /// Position of the response in the log.
    seq: u64,
    /// When it was stored (RFC 3339).
    at: String,
    /// The 门类 it concerned (of its record, or of its search's first hit), if known.
    category: Option<String>,
}

/// `GET /v1/surveys/current[?form=short&seed=N]`: the instrument in force, or its short form.
#[utoipa::path(
    get,
    path = "/surveys/current",
    operation_id = "current_survey",
    tag = "quality",
    summary = "The survey instrument in force",
    description = "The 22 SERVQUAL items (tangibles 1–4, reliability 5–9, responsiveness 10–13, assurance 14–17, \
                   empathy 18–22) in Chinese and English, plus Grönroos's technical and functional quality and a \
                   found-the-record question. `form=short` gives the short form for use right after a search (matrix \
                   sampling, as in LibQUAL+ Lite).",
    params(
        ("form" = Option<String>, Query, description = "`full` (default) or `short`"),
        ("seed" = Option<u64>, Query, description = "Short form only: draws the same items again (default: random)"),
    ),
    responses(
        (status = 200, description = "The instrument, or its short form", body = Survey),
        (status = 400, response = BadRequest),
    )
)]
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
        return Ok(HttpResponse::Ok().json(Survey::Full(instrument)));
    }
    let seed = seed.unwrap_or_else(|| rand_seed(&req));
    let (instrument, items) = blocking(&state, move |e| e.short_form(seed)).await?;
    Ok(HttpResponse::Ok().json(Survey::Short(ShortForm {
        version: instrument.version,
        form: "short",
        seed,
        items: instrument.items.into_iter().filter(|i| items.contains(&i.number)).collect(),
        technical: instrument.technical,
        functional: instrument.functional,
        found_record: instrument.found_record,
    })))
}

/// What `GET /v1/surveys/current` answers: the whole instrument or its short form.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum Survey {
    /// `form=full`.
    Full(Instrument),
    /// `form=short`.
    Short(ShortForm),
}

fn rand_seed(req: &HttpRequest) -> u64 {
    // Varies per request without a dependency: nanoseconds mixed with the peer port.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(req.peer_addr().map_or(0, |a| a.port())).rotate_left(32)
}

/// `POST /v1/surveys`: publish a new instrument version (admin).
#[utoipa::path(
    post,
    path = "/surveys",
    operation_id = "publish_survey",
    tag = "quality",
    summary = "Publish a new instrument version",
    description = "Same JSON as `GET /v1/surveys/current`. Responses keep the version they answered.",
    request_body = Instrument,
    responses(
        (status = 201, description = "The published instrument, with its version", body = Instrument),
        (status = 400, response = BadRequest),
        (status = 415, response = UnsupportedMediaType),
    )
)]
pub(crate) async fn publish(
    state: web::Data<AppState>,
    _admin: Caller,
    body: web::Json<Instrument>,
) -> Result<HttpResponse, ApiError> {
    let published = blocking(&state, move |e| e.publish_survey(body.into_inner())).await?;
    Ok(HttpResponse::Created().json(published))
}

/// `POST /v1/surveys/responses`: one respondent's answers; department and user group come from the key.
#[utoipa::path(
    post,
    path = "/surveys/responses",
    operation_id = "respond_to_survey",
    tag = "quality",
    summary = "Answer the survey",
    description = "`format` `ep`: expectation and perception, 1–7; `zot`: minimum, desired and perceived, 1–9 (zone \
                   of tolerance). `null` means N/A. Out-of-range values, unknown or repeated items, columns of the \
                   other format, or importance points not summing to 100 ± 0.5 are a 400 `invalid_field` whose \
                   `errors` name every field at fault. Department and user group come from the key.",
    request_body = ResponseInput,
    responses(
        (status = 201, description = "Stored, durably", body = Receipt),
        (status = 400, response = BadRequest),
        (status = 415, response = UnsupportedMediaType),
    )
)]
pub(crate) async fn respond(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<ResponseInput>,
) -> Result<HttpResponse, ApiError> {
    let stored = blocking(&state, move |e| e.submit_response(body.into_inner(), &caller.0)).await?;
    Ok(HttpResponse::Created().json(Receipt { seq: stored.seq, at: stored.at, category: stored.category }))
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
#[utoipa::path(
    get,
    path = "/quality/servqual",
    operation_id = "servqual_report",
    tag = "quality",
    summary = "SERVQUAL scores, overall and by group",
    description = "Gaps G = P − E by item and dimension, unweighted and importance-weighted SERVQUAL scores, \
                   SERVPERF, Cronbach's α per dimension and, for `zot` answers, the zone of tolerance. A group with \
                   fewer respondents than `quality.min_group_size` (5) is `suppressed`, without figures. Scores and \
                   counts only, never record content. CSV with `Accept: text/csv`.",
    params(
        ("from" = Option<String>, Query, description = "Earliest time: a day (`YYYY-MM-DD`) or an RFC 3339 UTC time"),
        ("to" = Option<String>, Query, description = "Latest time, as `from`"),
        ("group_by" = inline(Option<GroupBy>), Query, description = "Rows by group (absent: overall only)"),
        ("survey_version" = Option<u32>, Query, description = "Only responses to this instrument version"),
    ),
    responses(
        (status = 200, description = "The scores", content(
            (ServqualReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, response = BadRequest),
    )
)]
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
#[utoipa::path(
    get,
    path = "/quality/indicators",
    operation_id = "usage_indicators",
    tag = "quality",
    summary = "Usage indicators, overall and by group",
    description = "From the search log and usage events: search volume, zero-result and success rates, median time \
                   to first open, reformulation rate and latency p50/p95, each beside the survey's reliability and \
                   responsiveness scores for the same people and period. Small groups are `suppressed`. CSV with \
                   `Accept: text/csv`.",
    params(
        ("from" = Option<String>, Query, description = "Earliest time: a day (`YYYY-MM-DD`) or an RFC 3339 UTC time"),
        ("to" = Option<String>, Query, description = "Latest time, as `from`"),
        ("group_by" = inline(Option<GroupBy>), Query, description = "Rows by group (absent: overall only)"),
    ),
    responses(
        (status = 200, description = "The indicators", content(
            (IndicatorsReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, response = BadRequest),
    )
)]
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
