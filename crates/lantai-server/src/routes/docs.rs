use actix_web::HttpResponse;

/// `GET /v1/openapi.json`: this API's OpenAPI 3.1 document (public, like the health check).
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi_document",
    tag = "operations",
    summary = "This API's OpenAPI 3.1 document",
    description = "Generated from the code at start; Swagger UI at `/docs/` reads it.",
    responses((status = 200, description = "The document", body = Object, content_type = "application/json"))
)]
pub(crate) async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(crate::openapi::document())
}
