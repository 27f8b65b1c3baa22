//! The API's own documentation: `GET /v1/openapi.json` describes every route the server mounts,
//! with its method, who may call it and how it fails, as valid OpenAPI 3.1; `/docs/` serves
//! Swagger UI from the binary, without a key and without any outside host.

use std::collections::{BTreeMap, BTreeSet};

use lantai_server::auth::{Access, POLICY};
use serde_json::Value;

use crate::helpers::*;

/// (method, path) of every operation in the document.
fn operations(doc: &Value) -> BTreeMap<(String, String), &Value> {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method.as_str()) {
                ops.insert((method.to_uppercase(), path.clone()), op);
            }
        }
    }
    ops
}

/// Every `$ref` in the document, with where it was found.
fn refs<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(target)) => out.push((at.clone(), target)),
                    _ => refs(v, format!("{at}/{key}"), out),
                }
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| refs(v, format!("{at}/{i}"), out)),
        _ => {}
    }
}

fn policy(method: &str, path: &str) -> Option<Access> {
    POLICY.iter().find(|(m, p, _)| *m == method && *p == path).map(|(_, _, access)| *access)
}

#[test]
fn the_document_describes_every_route_and_is_valid_openapi_3_1() {
    let app = TestApp::start();
    let r = app.get("/v1/openapi.json", None);
    assert_eq!(r.status, 200, "public, like the health check: {}", r.body);
    assert!(r.content_type.starts_with("application/json"), "{}", r.content_type);
    let doc = r.body;

    // A maintained OpenAPI 3.1 parser reads it, and the version is 3.1.x.
    let spec = oas3::from_json(doc.to_string()).expect("oas3 parses the document");
    let version = spec.validate_version().expect("a supported OpenAPI version");
    assert_eq!((version.major, version.minor), (3, 1), "{version}");

    // Exactly the routes the server mounts, each with its method: a route added to the table
    // without an annotation does not compile, and one whose annotation names another path or
    // method fails here.
    let served: BTreeSet<(String, String)> =
        lantai_server::routes().into_iter().map(|(method, path)| (method.to_string(), path)).collect();
    let ops = operations(&doc);
    let documented: BTreeSet<(String, String)> = ops.keys().cloned().collect();
    assert_eq!(
        documented.symmetric_difference(&served).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "routes served but not documented, or documented but not served"
    );
    let via_oas3: BTreeSet<(String, String)> = spec.operations().map(|(p, m, _)| (m.to_string(), p)).collect();
    assert_eq!(via_oas3, documented);

    // Every route has a policy row (a missing one would silently mean admin-only), and every
    // policy row is a route, or the docs page, or the web page's files.
    let policed: BTreeSet<(String, String)> = POLICY
        .iter()
        .filter(|(_, path, _)| !path.starts_with("/docs") && *path != "/" && !path.starts_with("/static/"))
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(policed, served, "POLICY and the route table disagree");

    let mut operation_ids = BTreeSet::new();
    for ((method, path), op) in &ops {
        let here = format!("{method} {path}");
        let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{here}: no operationId"));
        assert!(operation_ids.insert(id.to_string()), "{here}: operationId {id} is not unique");
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{here}: no summary");
        assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{here}: no tag");

        let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{here}: no responses"));
        assert!(responses.keys().any(|status| status.starts_with('2')), "{here}: no success response");

        // Each `{name}` in the path is a declared, required path parameter, and nothing more.
        let in_path: BTreeSet<&str> = path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).collect();
        let declared: BTreeSet<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .inspect(|p| assert_eq!(p["required"], true, "{here}: path parameter {} optional", p["name"]))
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(in_path, declared, "{here}: path parameters");
        let operation = spec.operation_by_id(id).unwrap();
        operation.parameters(&spec).unwrap_or_else(|e| panic!("{here}: parameters: {e}"));
        operation.request_body(&spec).unwrap_or_else(|e| panic!("{here}: request body: {e}"));

        // Who may call it is the policy's word, and the refusals that follow are documented.
        match policy(method, path).unwrap() {
            Access::Public => assert_eq!(op["security"], serde_json::json!([]), "{here}: public"),
            Access::AtLeast(role) => {
                assert_eq!(op["security"], serde_json::json!([{"bearer": []}]), "{here}: security");
                let role = format!("{role:?}").to_lowercase();
                assert_eq!(op["x-lantai-role"], role.as_str(), "{here}: role");
                for status in ["401", "429"] {
                    assert!(responses.contains_key(status), "{here}: no {status}");
                }
                assert_eq!(responses.contains_key("403"), role != "employee", "{here}: 403");
            }
        }
        // Every error answer is a problem document.
        for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('4') || s.starts_with('5')) {
            if path == "/v1/ready" {
                continue; // 503 with the reasons, for load balancers
            }
            let target = response["$ref"].as_str().unwrap_or_else(|| panic!("{here} {status}: not a shared problem"));
            let name = target.strip_prefix("#/components/responses/").unwrap();
            let shared = &doc["components"]["responses"][name];
            let schema = &shared["content"]["application/problem+json"]["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/Problem", "{here} {status}");
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");

    // Every $ref points at something in the document.
    let mut found = Vec::new();
    refs(&doc, String::new(), &mut found);
    assert!(found.len() > 50, "{} refs", found.len());
    for (at, target) in found {
        let pointer = target.strip_prefix('#').unwrap_or_else(|| panic!("{at}: external $ref {target}"));
        assert!(doc.pointer(pointer).is_some(), "{at}: $ref {target} does not resolve");
    }

    // The problem schema names every code the server answers with, including those the tests
    // meet elsewhere.
    let codes = doc["components"]["schemas"]["Problem"]["properties"]["code"]["enum"].as_array().unwrap();
    for code in ["unauthorized", "forbidden", "not_found", "unknown_parameter", "rate_limited", "internal"] {
        assert!(codes.contains(&Value::from(code)), "{code}");
    }
    let unknown = app.search(ADMIN_KEY, "档案", "sort=date");
    assert!(codes.contains(&unknown.body["code"]), "{}", unknown.body);

    // A schema whose fields a flattened struct brings in must not close the object to them.
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        for member in schema["allOf"].as_array().into_iter().flatten() {
            if let Some(target) = member["$ref"].as_str() {
                let member_schema = doc.pointer(target.trim_start_matches('#')).unwrap();
                assert_ne!(member_schema["additionalProperties"], false, "{name}: allOf member {target} is closed");
            }
        }
    }
}

#[test]
fn every_documented_route_is_mounted() {
    let app = TestApp::start();
    for (method, path) in lantai_server::routes() {
        let concrete = path.replace("{id}", "no-such-id");
        let r = app.call(method, &concrete, Some(ADMIN_KEY), Some("[]"));
        let detail = r.body["detail"].as_str().unwrap_or("");
        assert!(
            r.status != 405 && !detail.starts_with("no route for"),
            "{method} {path} is documented but not mounted: {} {}",
            r.status,
            r.body
        );
    }
}

#[test]
fn swagger_ui_is_served_from_the_binary_without_a_key() {
    let app = TestApp::start();
    // `/docs` sends the browser to `/docs/`, relatively, so the page's relative assets resolve.
    let (status, _) = app.raw_get("/docs", "");
    assert_eq!(status, 308);
    let page = app.get("/docs", None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
    let html = page.body.as_str().expect("HTML text");
    assert!(html.contains("swagger-ui"), "{html}");

    // Every asset the page loads is local and served; nothing names an outside host.
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"), "{html}");
    let assets: Vec<&str> =
        html.split(['"', '\'']).filter(|s| s.ends_with(".js") || s.ends_with(".css") || s.ends_with(".png")).collect();
    assert!(assets.len() >= 4, "{assets:?}");
    for asset in assets {
        assert!(!asset.starts_with('/') && !asset.contains("//"), "{asset} is not relative to the page");
        let r = app.get(&format!("/docs/{}", asset.trim_start_matches("./")), None);
        assert_eq!(r.status, 200, "{asset}");
    }

    // The initializer reads this server's document, relatively, and calls no outside validator.
    let init = app.get("/docs/swagger-initializer.js", None);
    let init = init.body.as_str().unwrap();
    assert!(init.contains("\"../v1/openapi.json\""), "{init}");
    assert!(init.contains("\"validatorUrl\": \"none\""), "{init}");
    assert!(!init.contains("http://") && !init.contains("https://"), "{init}");

    // A file that is not there is a problem like any other.
    assert_problem(&app.get("/docs/no-such-asset.js", None), 404, "not_found");
}
