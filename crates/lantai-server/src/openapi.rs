//! The OpenAPI 3.1 document, generated from the code: the routes' `#[utoipa::path]`
//! annotations, the types' `ToSchema` derives, the problem codes of [`crate::problem`] and the
//! role policy of [`crate::auth`], so what it says is what the server does. Served at
//! `GET /v1/openapi.json`, and as Swagger UI (built into the binary, no CDN) at `/docs`.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use actix_web::http::header::{CONTENT_ENCODING, LOCATION};
use actix_web::http::Method;
use actix_web::{web, HttpResponse};
use tracing::error;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{AdditionalProperties, Schema};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Components, OpenApi as Document, Ref, RefOr, Response};
use utoipa::{OpenApi, PartialSchema, ToResponse, ToSchema};
use utoipa_swagger_ui::Config;

use crate::auth::{self, Access};
use crate::problem::{problem_components, Forbidden, InternalError, TooManyRequests, Unauthorized};
use crate::ApiError;

/// The parts of the document that are not routes under `/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lantai (兰台)",
        description = "Record retrieval for Chinese enterprise archives: search every archive category at once, \
read records, ingest batches, manage keys, record usage and measure service quality (SERVQUAL).\n\n\
Every route but the public ones needs `Authorization: Bearer <key>`; each operation names the lowest role it \
needs (`employee` < `analyst` < `admin`, also as `x-lantai-role`). Every error is `application/problem+json` \
with a stable `code`. Percent-encode Chinese in query strings; a malformed escape is a 400, never a guess. \
A method a path does not take answers 405 `method_not_allowed`.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    paths(crate::telemetry::metrics_page),
    tags(
        (name = "search", description = "Searching every category at once"),
        (name = "records", description = "Reading, ingesting and deleting records"),
        (name = "keys", description = "API keys and the principals they speak for"),
        (name = "audit", description = "The audit trail (利用登记)"),
        (name = "usage", description = "What users did with their search results"),
        (name = "quality", description = "The SERVQUAL survey and service-quality reports"),
        (name = "dictionaries", description = "The user dictionary, synonyms and how a text is segmented"),
        (name = "operations", description = "Health, readiness, metrics, snapshots, reindexing and this document"),
    )
)]
struct Base;

/// The document, built once.
pub(crate) fn document() -> &'static Document {
    static DOCUMENT: OnceLock<Document> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}

fn build() -> Document {
    let mut doc = Base::openapi().nest("/v1", crate::routes::Paths::openapi());
    let components = doc.components.get_or_insert_with(Components::new);
    components.security_schemes.insert(
        "bearer".into(),
        RefOr::T(SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "An API key (`lt_…`), created by an admin with `POST /v1/keys`; the first start writes the \
                     admin key to `admin.key` in the data directory.",
                ))
                .build(),
        )),
    );
    components.schemas.insert(ApiError::name().into_owned(), ApiError::schema());
    for (name, response) in problem_components() {
        components.responses.insert(name.into(), RefOr::T(response));
    }
    open_flattened(components);
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (Method::GET, &mut item.get),
            (Method::POST, &mut item.post),
            (Method::PUT, &mut item.put),
            (Method::DELETE, &mut item.delete),
            (Method::PATCH, &mut item.patch),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                apply_policy(operation, auth::required(&method, Some(path)));
            }
        }
    }
    doc
}

/// States who may call an operation, from the one policy table, with the refusals that follow.
fn apply_policy(operation: &mut Operation, access: Access) {
    let Access::AtLeast(role) = access else {
        operation.security = Some(Vec::new());
        return;
    };
    let role = auth::role_name(role);
    operation.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
    let note = format!("Needs a key of role `{role}` or higher.");
    operation.description = Some(match operation.description.take() {
        Some(description) => format!("{description}\n\n{note}"),
        None => note,
    });
    let extensions = ExtensionsBuilder::new().add("x-lantai-role", role).build();
    operation.extensions.get_or_insert_with(Default::default).merge(extensions);
    let responses = &mut operation.responses.responses;
    let mut refusals = vec![
        ("401", reference::<Unauthorized>()),
        ("429", reference::<TooManyRequests>()),
        ("500", reference::<InternalError>()),
    ];
    if role != "employee" {
        refusals.push(("403", reference::<Forbidden>()));
    }
    for (status, response) in refusals {
        responses.entry(status.into()).or_insert(response);
    }
}

fn reference<'s, R: ToResponse<'s>>() -> RefOr<Response> {
    RefOr::Ref(Ref::from_response_name(R::response().0))
}

/// A flattened struct becomes an `allOf` member; if that member's schema also says
/// `additionalProperties: false` (from `deny_unknown_fields`), no object satisfies the whole, so
/// such members are opened (the strictness is about input, which these types never are here).
fn open_flattened(components: &mut Components) {
    let members: BTreeSet<String> = components
        .schemas
        .values()
        .filter_map(|schema| match schema {
            RefOr::T(Schema::AllOf(all_of)) => Some(&all_of.items),
            _ => None,
        })
        .flatten()
        .filter_map(|item| match item {
            RefOr::Ref(r) => r.ref_location.strip_prefix("#/components/schemas/").map(str::to_string),
            _ => None,
        })
        .collect();
    for name in members {
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(&name) {
            if matches!(object.additional_properties.as_deref(), Some(AdditionalProperties::FreeForm(false))) {
                object.additional_properties = None;
            }
        }
    }
}

/// `GET /docs`: to `/docs/`, by a relative URL, so the page's relative asset URLs resolve behind a
/// path prefix too.
pub(crate) async fn docs_home() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((LOCATION, "docs/")).finish()
}

/// `GET /docs/{file}`: Swagger UI, from the assets built into the binary (no CDN: intranets
/// reach none). The page loads this server's document by a relative URL and never sends it to an
/// outside validator.
pub(crate) async fn docs_asset(file: web::Path<String>) -> Result<HttpResponse, ApiError> {
    static CONFIG: OnceLock<Arc<Config<'static>>> = OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        Arc::new(
            Config::new(["../v1/openapi.json"])
                .validator_url("none")
                .try_it_out_enabled(true)
                .display_operation_id(true),
        )
    });
    let file = file.into_inner();
    match utoipa_swagger_ui::serve(&file, config.clone()) {
        Ok(Some(asset)) => {
            let mut response = HttpResponse::Ok();
            response.content_type(asset.content_type);
            if asset.gzpipped {
                response.insert_header((CONTENT_ENCODING, "gzip"));
            }
            Ok(response.body(asset.bytes.into_owned()))
        }
        Ok(None) => Err(ApiError::new("not_found", format!("no documentation file {file:?}"))),
        Err(e) => {
            error!(error = %e, "swagger ui configuration");
            Err(ApiError::new("internal", "the documentation page could not be prepared"))
        }
    }
}
