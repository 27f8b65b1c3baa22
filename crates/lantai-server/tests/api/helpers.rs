use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use lantai_engine::{Config, Engine};
use lantai_server::AppState;
use serde_json::{json, Value};

pub const ADMIN_KEY: &str = "test-admin-key-0123456789";
pub const DEMO: &str = include_str!("../../../../fixtures/demo-archive.jsonl");

pub struct TestApp {
    pub base: String,
    _temp: Option<tempfile::TempDir>,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
    agent: ureq::Agent,
}

pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub content_type: String,
    pub body: Value,
}

fn config_for(dir: &Path) -> Config {
    let mut config = Config::defaults();
    config.storage.data_dir = dir.to_path_buf();
    config.server.workers = 2;
    config.server.body_limit_mb = 2;
    config.index.writer_heap_mb = 32;
    config.index.writer_threads = 1;
    config.limits.requests_per_second = 100_000;
    config.limits.burst = 100_000;
    // No randomised adjacent swaps on first pages (position-bias measurement): tests compare the
    // orders of two searches. A test of the swaps turns them on with `start_with`.
    config.ranking.swap_rate = 0.0;
    // No background merge between two searches a test compares; its own test turns it on.
    config.index.merge_when_idle_ms = 0;
    config
}

impl TestApp {
    /// A server over a fresh, empty data directory.
    pub fn start() -> TestApp {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().to_path_buf();
        let mut app = Self::start_in(&dir);
        app._temp = Some(temp);
        app
    }

    /// A server over a fresh data directory, with the configuration adjusted.
    pub fn start_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let temp = tempfile::tempdir().unwrap();
        let mut config = config_for(temp.path());
        adjust(&mut config);
        let mut app = Self::start_config(config);
        app._temp = Some(temp);
        app
    }

    /// A server with the demo archive ingested through the API.
    pub fn with_demo() -> TestApp {
        let app = Self::start();
        let r = app.post_records(ADMIN_KEY, "application/x-ndjson", DEMO.as_bytes());
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body["rejected"].as_array().unwrap().is_empty(), "{}", r.body);
        app
    }

    /// A server over `dir` (which the caller keeps).
    pub fn start_in(dir: &Path) -> TestApp {
        Self::start_config(config_for(dir))
    }

    fn start_config(config: Config) -> TestApp {
        // sled releases its file lock from a background thread shortly after the last handle
        // goes: a restart in the same process may have to wait for it.
        let started = std::time::Instant::now();
        let engine = loop {
            match Engine::open(config.clone()) {
                Ok(engine) => break Arc::new(engine),
                Err(e) if e.to_string().contains("could not acquire lock") && started.elapsed().as_secs() < 10 => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(e) => panic!("opening the engine: {e}"),
            }
        };
        engine.ensure_admin_key(Some(ADMIN_KEY)).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        let state = AppState::new(engine);
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = lantai_server::spawn(listener, state).unwrap();
                tx.send(server.handle()).unwrap();
                server.await.unwrap();
            })
        });
        let handle = rx.recv().unwrap();
        let agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        TestApp { base, _temp: None, handle, thread: Some(thread), agent }
    }

    /// Stops the server and waits until its engine (and the sled lock) is released.
    pub fn stop(mut self) -> Option<tempfile::TempDir> {
        self.shutdown();
        self._temp.take()
    }

    fn shutdown(&mut self) {
        if let Some(thread) = self.thread.take() {
            actix_web::rt::System::new().block_on(self.handle.stop(true));
            thread.join().unwrap();
        }
    }

    fn reply(mut response: ureq::http::Response<ureq::Body>) -> Reply {
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Reply { status, retry_after, content_type, body }
    }

    pub fn get(&self, path: &str, key: Option<&str>) -> Reply {
        let mut req = self.agent.get(&format!("{}{}", self.base, path));
        if let Some(key) = key {
            req = req.header("Authorization", &format!("Bearer {key}"));
        }
        Self::reply(req.call().unwrap())
    }

    pub fn delete(&self, path: &str, key: &str) -> Reply {
        let req =
            self.agent.delete(&format!("{}{}", self.base, path)).header("Authorization", &format!("Bearer {key}"));
        Self::reply(req.call().unwrap())
    }

    /// Any method, with an optional JSON body.
    pub fn call(&self, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> Reply {
        let url = format!("{}{}", self.base, path);
        let auth = key.map(|k| format!("Bearer {k}"));
        let response = match (method, body) {
            ("GET", _) => with_auth(self.agent.get(&url), auth.as_deref()).call(),
            ("DELETE", _) => with_auth(self.agent.delete(&url), auth.as_deref()).call(),
            ("POST", b) => with_auth(self.agent.post(&url), auth.as_deref())
                .content_type("application/json")
                .send(b.unwrap_or("{}").as_bytes()),
            ("PUT", b) => with_auth(self.agent.put(&url), auth.as_deref())
                .content_type("application/json")
                .send(b.unwrap_or("{}").as_bytes()),
            (m, _) => panic!("method {m}"),
        };
        Self::reply(response.unwrap())
    }

    /// POST or PUT a body of `content_type` with a key.
    pub fn call_with(&self, method: &str, path: &str, key: &str, content_type: &str, body: &str) -> Reply {
        let url = format!("{}{}", self.base, path);
        let auth = format!("Bearer {key}");
        let request = match method {
            "PUT" => self.agent.put(&url),
            "POST" => self.agent.post(&url),
            m => panic!("method {m}"),
        };
        Self::reply(request.header("Authorization", &auth).content_type(content_type).send(body.as_bytes()).unwrap())
    }

    pub fn post(&self, path: &str, key: Option<&str>, content_type: &str, body: &[u8]) -> Reply {
        let mut req = self.agent.post(&format!("{}{}", self.base, path)).content_type(content_type);
        if let Some(key) = key {
            req = req.header("Authorization", &format!("Bearer {key}"));
        }
        Self::reply(req.send(body).unwrap())
    }

    pub fn post_records(&self, key: &str, content_type: &str, body: &[u8]) -> Reply {
        self.post("/v1/records", Some(key), content_type, body)
    }

    /// Searches with `q` (URL-encoded here) and extra raw parameters.
    pub fn search(&self, key: &str, q: &str, extra: &str) -> Reply {
        let mut path = format!("/v1/search?q={}", encode(q));
        if !extra.is_empty() {
            path.push('&');
            path.push_str(extra);
        }
        self.get(&path, Some(key))
    }

    /// Ids of the hits of a successful search.
    pub fn ids(&self, key: &str, q: &str, extra: &str) -> Vec<String> {
        let r = self.search(key, q, extra);
        assert_eq!(r.status, 200, "{}", r.body);
        hit_ids(&r.body)
    }

    /// A GET sent byte for byte (no client-side URL normalisation), answering status and body.
    pub fn raw_get(&self, path: &str, key: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let addr = self.base.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    /// `POST /v1/files` with one multipart part per (relative name, bytes).
    pub fn post_files(&self, key: &str, files: &[(String, Vec<u8>)]) -> Reply {
        let boundary = "lantai-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, bytes) in files {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n").as_bytes(),
            );
            body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.post("/v1/files", Some(key), &format!("multipart/form-data; boundary={boundary}"), &body)
    }

    /// Creates an employee key in `department` (clearance 内部) and returns its secret.
    pub fn employee_in(&self, department: &str) -> String {
        let body = json!({"name": format!("员工-{department}"), "role": "employee", "department": department, "user_group": "staff", "clearance": "内部"});
        let r = self.post("/v1/keys", Some(ADMIN_KEY), "application/json", body.to_string().as_bytes());
        assert_eq!(r.status, 201, "{}", r.body);
        r.body["key"].as_str().unwrap().to_string()
    }

    /// Searches as `key`, then posts `events` (`(record_id, type, dwell_ms)`) against that
    /// search; asserts they were all accepted.
    pub fn use_records(&self, key: &str, q: &str, events: &[(&str, &str, Option<u64>)]) {
        let r = self.search(key, q, "limit=20");
        assert_eq!(r.status, 200, "{}", r.body);
        let query_id = r.body["query_id"].as_str().unwrap();
        let events: Vec<Value> = events
            .iter()
            .map(|(id, kind, dwell)| json!({"query_id": query_id, "record_id": id, "type": kind, "dwell_ms": dwell}))
            .collect();
        let r = self.call("POST", "/v1/events", Some(key), Some(&Value::Array(events.clone()).to_string()));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["accepted"], events.len(), "{}", r.body);
    }

    /// Creates a key for a principal and returns its secret.
    pub fn key_for(&self, role: &str, clearance: &str) -> String {
        let body = json!({"name": format!("{role}-{clearance}"), "role": role, "department": "办公室", "user_group": "staff", "clearance": clearance});
        let r = self.post("/v1/keys", Some(ADMIN_KEY), "application/json", body.to_string().as_bytes());
        assert_eq!(r.status, 201, "{}", r.body);
        r.body["key"].as_str().unwrap().to_string()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn with_auth<B>(req: ureq::RequestBuilder<B>, auth: Option<&str>) -> ureq::RequestBuilder<B> {
    match auth {
        Some(a) => req.header("Authorization", a),
        None => req,
    }
}

pub fn hit_ids(body: &Value) -> Vec<String> {
    body["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Asserts an RFC 9457 problem with the given status and code.
pub fn assert_problem(r: &Reply, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.content_type, "application/problem+json", "{}", r.body);
    assert_eq!(r.body["code"], code, "{}", r.body);
    assert_eq!(r.body["status"], status);
    assert!(r.body["title"].is_string() && r.body["detail"].is_string(), "{}", r.body);
}
