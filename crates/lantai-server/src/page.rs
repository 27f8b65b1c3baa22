//! The web page (issue #9): search for employees and a quality dashboard for analysts, as static
//! files built into the binary (`crates/lantai-server/web/`) and served at `/` and `/static/…`
//! without a key. The page itself calls the `/v1` API with the key its user enters, so nothing
//! here reads data: these routes only hand out files.
//!
//! Every answer carries a strict Content-Security-Policy (scripts, styles and connections only
//! from this origin, no inline code, no frames), so a string the API returns can never run as code
//! even if the page mishandled it.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

use crate::ApiError;

/// The page's files. Debug builds read them from the source tree (edit and reload); release builds
/// carry them inside the binary.
#[derive(RustEmbed)]
#[folder = "web/"]
struct Assets;

/// The policy of every page answer: scripts, styles, images and API calls from this origin only,
/// no inline code, no plugins, no frames.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn serve(req: &HttpRequest, path: &str) -> Result<HttpResponse, ApiError> {
    let file = Assets::get(path).ok_or_else(|| ApiError::new("not_found", format!("no page file {path:?}")))?;
    let etag = format!("\"{}\"", hex_prefix(&file.metadata.sha256_hash()));
    let fresh = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str());
    let mut response = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response
        .content_type(content_type(path))
        .insert_header((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .insert_header((header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .insert_header((header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        // Revalidate every time (cheap: 304 by ETag), so a new binary never runs an old script.
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .insert_header((header::ETAG, etag));
    Ok(if fresh { response.finish() } else { response.body(file.data.into_owned()) })
}

fn hex_prefix(hash: &[u8]) -> String {
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// `GET /`: the page.
pub(crate) async fn home(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    serve(&req, "index.html")
}

/// `GET /static/{file}`: its scripts and styles. Only files built in are served; `..` and the like
/// name nothing there.
pub(crate) async fn asset(req: HttpRequest, file: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let file = file.into_inner();
    if file == "index.html" || file.split('/').any(|part| part.is_empty() || part.starts_with('.')) {
        return Err(ApiError::new("not_found", format!("no page file {file:?}")));
    }
    serve(&req, &file)
}
