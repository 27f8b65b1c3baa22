//! The web page's files (issue #9), without a browser: served at `/` and `/static/…` without a
//! key and with a strict Content-Security-Policy; everything the page loads is local and served;
//! no script builds HTML from strings; every word the page shows exists in both languages.

use std::collections::BTreeSet;
use std::path::Path;

use crate::helpers::{assert_problem, TestApp, ADMIN_KEY};

const WEB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/web");

struct Page {
    status: u16,
    content_type: String,
    csp: String,
    nosniff: bool,
    body: String,
}

fn fetch(app: &TestApp, path: &str) -> Page {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut r = agent.get(&format!("{}{path}", app.base)).call().unwrap();
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (content_type, csp) = (header("content-type"), header("content-security-policy"));
    let nosniff = header("x-content-type-options") == "nosniff";
    let body = r.body_mut().read_to_string().unwrap_or_default();
    Page { status: r.status().as_u16(), content_type, csp, nosniff, body }
}

/// Every file under `web/`, as paths relative to it.
fn files() -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(WEB), "", &mut out);
    out.sort();
    out
}

fn source(file: &str) -> String {
    std::fs::read_to_string(Path::new(WEB).join(file)).unwrap()
}

/// The quoted string after each occurrence of `marker` (e.g. `src="` → the URL).
fn after<'a>(text: &'a str, marker: &str, quote: char) -> Vec<&'a str> {
    text.match_indices(marker).filter_map(|(i, _)| text[i + marker.len()..].split(quote).next()).collect()
}

#[test]
fn the_page_is_served_without_a_key_under_a_strict_policy() {
    let app = TestApp::start();
    let page = fetch(&app, "/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
    for directive in
        ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]
    {
        assert!(page.csp.contains(directive), "CSP lacks {directive}: {}", page.csp);
    }
    assert!(!page.csp.contains("unsafe-inline") && !page.csp.contains("unsafe-eval"), "{}", page.csp);
    assert!(page.nosniff);
    assert!(page.body.contains("<html lang=\"zh-CN\">"), "Chinese by default");

    // Revalidated by ETag: an unchanged file is a 304 without a body.
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let etag = agent.get(&format!("{}/static/app.css", app.base)).call().unwrap().headers()["etag"].clone();
    let again = agent.get(&format!("{}/static/app.css", app.base)).header("If-None-Match", etag).call().unwrap();
    assert_eq!(again.status().as_u16(), 304);

    // No inline script or style, no event-handler attributes: the policy would block them anyway.
    assert!(!page.body.contains("<script>") && !page.body.contains("<style"), "{}", page.body);
    for tag in page.body.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        assert!(!tag.split_whitespace().any(|attr| attr.starts_with("on")), "handler attribute in <{tag}>");
        assert!(!tag.contains("style="), "inline style in <{tag}>");
    }
}

#[test]
fn everything_the_page_loads_is_local_and_served() {
    let app = TestApp::start();
    let html = fetch(&app, "/").body;
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for url in after(&html, "src=\"", '"').into_iter().chain(after(&html, "href=\"", '"')) {
        if url.starts_with('#') {
            continue;
        }
        assert!(url.starts_with("static/"), "{url}: not a relative path to the page's own files");
        wanted.insert(url.trim_start_matches("static/").to_string());
    }
    // ES modules: follow every relative import.
    let mut queue: Vec<String> = wanted.iter().filter(|f| f.ends_with(".js")).cloned().collect();
    while let Some(file) = queue.pop() {
        let text = source(&file);
        let dir = Path::new(&file).parent().unwrap().to_string_lossy().to_string();
        for import in after(&text, "from \"", '"').into_iter().chain(after(&text, "import(\"", '"')) {
            assert!(import.starts_with("./"), "{file}: import {import} is not relative");
            let target = format!("{dir}/{}", import.trim_start_matches("./"));
            if wanted.insert(target.clone()) {
                queue.push(target);
            }
        }
    }
    for file in &wanted {
        let page = fetch(&app, &format!("/static/{file}"));
        assert_eq!(page.status, 200, "{file}");
        let expected = match file.rsplit_once('.').unwrap().1 {
            "js" => "text/javascript",
            "css" => "text/css",
            "svg" => "image/svg+xml",
            other => panic!("{file}: unexpected kind {other}"),
        };
        assert!(page.content_type.starts_with(expected), "{file}: {}", page.content_type);
        assert!(!page.csp.is_empty() && page.nosniff, "{file}: security headers");
    }
    // Every file shipped is used (none left behind by a rename).
    let shipped: BTreeSet<String> = files().into_iter().filter(|f| f != "index.html" && !f.ends_with(".md")).collect();
    assert_eq!(shipped, wanted, "files in web/ that the page never loads, or loads but lacks");

    // Nothing names an outside host (the SVG namespace is a name, not a request).
    for file in files() {
        let text = source(&file).replace("http://www.w3.org/2000/svg", "");
        assert!(
            !text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"),
            "{file} names a host"
        );
    }
}

#[test]
fn only_built_in_files_are_served() {
    let app = TestApp::start();
    assert_problem(&app.get("/static/no-such.js", None), 404, "not_found");
    assert_problem(&app.get("/static/index.html", None), 404, "not_found");
    assert_problem(&app.get("/static/js/", None), 404, "not_found");
    for path in [
        "/static/../Cargo.toml",
        "/static/..%2FCargo.toml",
        "/static/.%2E/src/lib.rs",
        "/static/js/..%2F..%2FCargo.toml",
    ] {
        let (status, body) = app.raw_get(path, "");
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("[package]") && !body.contains("[workspace"), "{path}: {body}");
    }
    // Only GET is public; other methods fall to the policy's default (admins only), then 405.
    assert_problem(&app.call("POST", "/", None, Some("{}")), 401, "unauthorized");
    assert_problem(&app.call("POST", "/", Some(ADMIN_KEY), Some("{}")), 405, "method_not_allowed");
    // The API behind it still needs a key.
    assert_problem(&app.get("/v1/search?q=x", None), 401, "unauthorized");
}

#[test]
fn scripts_never_build_html_from_strings() {
    // API strings reach the page only as text nodes; a snippet's <em> is the one mark allowed, and
    // `snippet()` in dom.js builds it as an element (the browser test feeds it markup).
    let forbidden = [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setAttribute(\"style\"",
        "srcdoc",
    ];
    for file in files().into_iter().filter(|f| f.ends_with(".js")) {
        let text = source(&file);
        for word in forbidden {
            assert!(!text.contains(word), "{file} uses {word}");
        }
    }
}

/// The keys of the `const NAME = { … };` table in i18n.js.
fn table_keys(i18n: &str, name: &str) -> BTreeSet<String> {
    let start = i18n.find(&format!("const {name} = {{")).unwrap_or_else(|| panic!("no table {name}"));
    let body = &i18n[start..];
    let body = &body[..body.find("\n};").unwrap()];
    body.lines().filter_map(|l| l.trim().strip_prefix('"')?.split('"').next().map(str::to_string)).collect()
}

#[test]
fn every_word_exists_in_chinese_and_english() {
    let i18n = source("js/i18n.js");
    let (zh, en) = (table_keys(&i18n, "zh"), table_keys(&i18n, "en"));
    assert!(zh.len() > 150, "{}", zh.len());
    assert_eq!(zh, en, "keys only in one language: {:?}", zh.symmetric_difference(&en).collect::<Vec<_>>());
    let mut used = BTreeSet::new();
    for file in files().into_iter().filter(|f| f.ends_with(".js") || f.ends_with(".html")) {
        let text = source(&file);
        // `t("key"` as a call of `t`, not the end of another name (`get("…")`).
        used.extend(text.match_indices("t(\"").filter_map(|(i, _)| {
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || "_.$".contains(c)) {
                return None;
            }
            text[i + 3..].split('"').next().map(str::to_string)
        }));
        used.extend(after(&text, "data-i18n=\"", '"').into_iter().map(str::to_string));
    }
    let missing: Vec<_> = used.iter().filter(|k| !zh.contains(*k)).collect();
    assert!(missing.is_empty(), "words used but not translated: {missing:?}");
}
