use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use lantai_engine::{BatchFormat, BatchReport, Record};
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::{blocking, keys::audit, outcome};
use crate::auth::Caller;
use crate::params::{invalid, unknown};
use crate::problem::{BadRequest, NotFound, PayloadTooLarge, UnsupportedMediaType};
use crate::{query_string, ApiError, AppState};

/// A record as `POST /v1/records` reads it: the fields of [`Record`], described from it, with the
/// admission rules of `Record::from_map` (only `id` is required; defaults and fallbacks fill the
/// rest; unknown keys are refused).
pub(crate) struct RecordInput;

impl PartialSchema for RecordInput {
    fn schema() -> RefOr<Schema> {
        let RefOr::T(Schema::Object(mut object)) = Record::schema() else {
            unreachable!("Record derives an object schema")
        };
        object.required = vec!["id".into()];
        object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        object.description = Some(
            "A record to ingest: the fields of `Record`, of which only `id` is required, and `title` or `content`. \
             Without 密级 or 开放标识 a record takes the configured defaults (内部 and 开放 unless changed); 全宗号, \
             门类 and 年度 fall back to the 档号 (and 年度 to the date); dates may be `YYYYMMDD`; the vocabularies \
             also accept the aliases their schemas name. A key outside these is refused as `unknown_field`: put \
             it under `extra`."
                .into(),
        );
        let either = |schema: RefOr<Schema>, description: &str| {
            OneOfBuilder::new()
                .item(schema)
                .item(ObjectBuilder::new().schema_type(Type::String))
                .description(Some(description))
        };
        object.properties.insert(
            "keywords".into(),
            either(
                ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)).into(),
                "主题词: a list, or one string split on `；;，,、`",
            )
            .into(),
        );
        object.properties.insert(
            "year".into(),
            either(ObjectBuilder::new().schema_type(Type::Integer).into(), "年度: 4 digits, as a number or a string")
                .into(),
        );
        RefOr::T(Schema::Object(object))
    }
}

impl ToSchema for RecordInput {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <Record as ToSchema>::schemas(schemas);
    }
}

/// `POST /v1/records`: a batch as NDJSON, a JSON array or CSV; good records are kept even when
/// others fail, and each bad one is reported with its line.
#[utoipa::path(
    post,
    path = "/records",
    operation_id = "ingest_records",
    tag = "records",
    summary = "Ingest a batch of records (upsert by id)",
    description = "One record per line (NDJSON), a JSON array of records, or CSV with a header row (UTF-8, or \
                   GBK/GB18030 as Excel writes it on Chinese Windows; columns outside the schema go to `extra`). Good \
                   records are stored, durably, even when others fail; each refused one is reported with its line \
                   and a code (`malformed_json`, `duplicate_key`, `invalid_utf8`, `not_an_object`, \
                   `missing_field`, `invalid_field`, `unknown_field`, `record_too_large`, `malformed_csv`). An id \
                   given twice in one batch: the last one wins, the earlier is listed in `superseded`. At most \
                   64 MiB and 100,000 records per batch, 16 MiB per record (defaults).",
    request_body(
        description = "The records, in one of three media types",
        content(
            (String = "application/x-ndjson", example = json!("{\"id\":\"ok-1\",\"title\":\"业扩报装工程竣工验收资料\",\"date\":\"2012-11-20\"}\n")),
            (Vec<RecordInput> = "application/json"),
            (String = "text/csv", example = json!("id,title,date\nok-1,业扩报装工程竣工验收资料,2012-11-20\n")),
        )
    ),
    responses(
        (status = 200, description = "What was stored and what was refused, by line", body = BatchReport),
        (status = 400, response = BadRequest),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
pub(crate) async fn ingest(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let media_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let format = BatchFormat::from_media_type(media_type).ok_or_else(|| {
        ApiError::new(
            "unsupported_media_type",
            format!("Content-Type {media_type:?}: send application/x-ndjson, application/json or text/csv"),
        )
    })?;
    let limit = state.engine.config().server.body_limit_mb << 20;
    let too_large = || ApiError::new("payload_too_large", format!("the body exceeds {} MiB", limit >> 20));
    if let Some(length) = req.headers().get("content-length").and_then(|v| v.to_str().ok()?.parse::<usize>().ok()) {
        if length > limit {
            return Err(too_large());
        }
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new("malformed_body", e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    let report = blocking(&state, move |e| e.ingest(&body, format)).await?;
    metrics::counter!("lantai_records_ingested_total").increment(report.accepted as u64);
    metrics::counter!("lantai_records_rejected_total").increment(report.rejected.len() as u64);
    let mut event = caller.event(&req, "records.ingest", &report.batch_id, "ok");
    event.detail = Some(format!("accepted {}, rejected {}", report.accepted, report.rejected.len()));
    audit(&state, event).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// `GET /v1/records/{id}?purpose=…`: 404 both when absent and when not visible, so existence is
/// not revealed. Every read is entered in the audit trail (利用登记) with its stated purpose.
#[utoipa::path(
    get,
    path = "/records/{id}",
    operation_id = "get_record",
    tag = "records",
    summary = "Read one record",
    description = "404 both when the record is absent and when the caller may not see it, so its existence is not \
                   revealed. Every read is entered in the audit trail (利用登记) with the stated purpose.",
    params(
        ("id" = String, Path, description = "The record id"),
        ("purpose" = Option<String>, Query, description = "利用目的, at most 200 characters", example = "工作查考"),
    ),
    responses(
        (status = 200, description = "The record", body = Record),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
pub(crate) async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let mut purpose = None;
    for (name, value) in query_string::pairs(req.query_string())? {
        match name.as_str() {
            "purpose" if value.chars().count() <= 200 => purpose = Some(value),
            "purpose" => return Err(invalid("purpose", "at most 200 characters")),
            other => return Err(unknown(other)),
        }
    }
    let (lookup, principal) = (id.clone(), caller.principal().clone());
    let found = blocking(&state, move |e| e.get(&lookup, &principal)).await?;
    let mut event = caller.event(&req, "record.read", &id, outcome(found.is_some()));
    event.purpose = purpose;
    blocking(&state, move |e| e.audit(event, false)).await?;
    let record = found.ok_or_else(|| ApiError::new("not_found", format!("no record {id:?}")))?;
    Ok(HttpResponse::Ok().json(record))
}

/// `DELETE /v1/records/{id}`.
#[utoipa::path(
    delete,
    path = "/records/{id}",
    operation_id = "delete_record",
    tag = "records",
    summary = "Delete a record",
    description = "Audited, with its outcome.",
    params(("id" = String, Path, description = "The record id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = NotFound),
    )
)]
pub(crate) async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let target = id.clone();
    let deleted = blocking(&state, move |e| e.delete(&target)).await?;
    audit(&state, caller.event(&req, "record.delete", &id, outcome(deleted))).await?;
    if !deleted {
        return Err(ApiError::new("not_found", format!("no record {id:?}")));
    }
    Ok(HttpResponse::NoContent().finish())
}
