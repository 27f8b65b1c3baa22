//! A small W3C WebDriver client over `ureq` (already a test dependency), driving Debian's
//! headless Chromium through `chromedriver`. The protocol is a dozen JSON calls; a client crate
//! (fantoccini, thirtyfour) would add an async HTTP stack to a build that runs on two cores.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(10);

/// The first of `names` found on `PATH` (or the path in `env`, when set).
fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// A headless Chromium session, ended (and chromedriver stopped) on drop.
pub struct Browser {
    driver: Child,
    url: String,
    session: String,
    agent: ureq::Agent,
    shots: PathBuf,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session. Panics with the install command
    /// when Chromium or chromedriver is missing: CI installs both (`.ci/run`), so a missing browser
    /// is a broken machine, not a reason to skip.
    pub fn start() -> Browser {
        const INSTALL: &str = "apt-get install -y --no-install-recommends chromium chromium-driver fonts-noto-cjk \
                               (.ci/run does this)";
        let driver_bin = find_program("LANTAI_CHROMEDRIVER", &["chromedriver"])
            .unwrap_or_else(|| panic!("chromedriver not found on PATH; install it: {INSTALL}"));
        let chromium = find_program("LANTAI_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"])
            .unwrap_or_else(|| panic!("chromium not found on PATH; install it: {INSTALL}"));
        // chromedriver takes no port 0: borrow a free port from the OS and hand it over.
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", driver_bin.display()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let url = format!("http://127.0.0.1:{port}");
        let mut browser = Browser { driver, url, session: String::new(), agent, shots: screenshot_dir() };
        let started = Instant::now();
        loop {
            let ready = browser
                .agent
                .get(&format!("{}/status", browser.url))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok().map(|v| v["value"]["ready"] == true));
            if ready == Some(true) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-dev-shm-usage", "--disable-extensions", "--no-first-run",
                         "--window-size=1280,900", "--lang=zh-CN"],
                "prefs": {"intl.accept_languages": "zh-CN,zh"}
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let created = browser.raw("POST", "/session", Some(caps));
        browser.session = created["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {created}")).to_string();
        browser
    }

    fn raw(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.url);
        let response = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.post(&url).send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut response = response.unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"));
        let status = response.status().as_u16();
        let value: Value = response.body_mut().read_json().unwrap_or(Value::Null);
        assert!(status < 400, "webdriver {method} {path}: {status} {value}");
        value["value"].clone()
    }

    /// A command of this session.
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.raw(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Like `cmd`, but an error answer is returned rather than a panic.
    fn try_cmd(&self, path: &str, body: Value) -> Result<Value, Value> {
        let url = format!("{}/session/{}{path}", self.url, self.session);
        let mut response = self.agent.post(&url).send_json(body).unwrap();
        let ok = response.status().is_success();
        let value: Value = response.body_mut().read_json().unwrap_or(Value::Null);
        if ok {
            Ok(value["value"].clone())
        } else {
            Err(value)
        }
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value; a
    /// returned promise is awaited.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Waits until the JavaScript expression `expr` is truthy (an expression that throws, on a
    /// page half rendered, counts as not yet).
    pub fn wait_until(&self, expr: &str) {
        let started = Instant::now();
        loop {
            if self.js(&format!("try {{ return !!({expr}); }} catch (e) {{ return false; }}"), json!([])) == true {
                return;
            }
            if started.elapsed() > WAIT {
                let body = self.js("return document.getElementById('main').innerText;", json!([]));
                let hash = self.js("return location.hash;", json!([]));
                panic!("timed out waiting for `{expr}` at {hash}; the page shows:\n{}", body.as_str().unwrap_or(""));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The element matching `css`, waiting for it to appear.
    pub fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            if let Ok(found) = self.try_cmd("/element", json!({"using": "css selector", "value": css})) {
                return found[ELEMENT].as_str().unwrap().to_string();
            }
            if started.elapsed() > WAIT {
                let body = self.js("return document.getElementById('main').innerText;", json!([]));
                panic!("no element `{css}`; the page shows:\n{}", body.as_str().unwrap_or(""));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks the element matching `css`. An element replaced between finding and clicking (the
    /// page re-renders) is found again.
    pub fn click(&self, css: &str) {
        let started = Instant::now();
        loop {
            let id = self.find(css);
            match self.try_cmd(&format!("/element/{id}/click"), json!({})) {
                Ok(_) => return,
                Err(e) if started.elapsed() < WAIT && e["value"]["error"] == "stale element reference" => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!("clicking `{css}`: {e}"),
            }
        }
    }

    /// Waits until the page has finished rendering the current address, which contains `part`
    /// (the page marks `body[data-rendered]` when its latest render is done).
    pub fn settle(&self, part: &str) {
        let part = serde_json::to_string(part).unwrap();
        self.wait_until(&format!(
            "document.body.dataset.rendered === location.hash && decodeURIComponent(location.hash).includes({part})"
        ));
    }

    /// Types `text` into the element (keys, as a user would; `\u{E007}` is Enter).
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/value"), Some(json!({ "text": text })));
    }

    pub fn clear(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/clear"), None);
    }

    /// The rendered text of the element.
    pub fn text(&self, css: &str) -> String {
        let id = self.find(css);
        self.cmd("GET", &format!("/element/{id}/text"), None).as_str().unwrap_or_default().to_string()
    }

    /// Number of elements matching `css`, now.
    pub fn count(&self, css: &str) -> usize {
        self.js("return document.querySelectorAll(arguments[0]).length;", json!([css])).as_u64().unwrap() as usize
    }

    /// Sends keys to whatever has focus (W3C actions).
    pub fn keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})]
            })
            .collect();
        self.cmd("POST", "/actions", Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})));
        self.cmd("DELETE", "/actions", None);
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }

    /// Saves a PNG of the whole page (the window grows to the page's height for it) under
    /// `target/screenshots/`.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let size = self.js("return [window.outerWidth, document.documentElement.scrollHeight + (window.outerHeight - window.innerHeight)];", json!([]));
        let (width, height) = (size[0].as_u64().unwrap_or(1280) as u32, size[1].as_u64().unwrap_or(900) as u32);
        let before = self.js("return [window.outerWidth, window.outerHeight];", json!([]));
        self.resize(width, height.clamp(400, 6000));
        let png = self.cmd("GET", "/screenshot", None);
        self.resize(before[0].as_u64().unwrap() as u32, before[1].as_u64().unwrap() as u32);
        self.save(name, png.as_str().unwrap())
    }

    /// Saves a PNG of one element (a chart panel, say) under `target/screenshots/`.
    pub fn screenshot_of(&self, css: &str, name: &str) -> PathBuf {
        let id = self.find(css);
        let png = self.cmd("GET", &format!("/element/{id}/screenshot"), None);
        self.save(name, png.as_str().unwrap())
    }

    fn save(&self, name: &str, base64_png: &str) -> PathBuf {
        let bytes = base64::engine::general_purpose::STANDARD.decode(base64_png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::create_dir_all(&self.shots).unwrap();
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// The browser console since the last call: (level, message).
    pub fn console(&self) -> Vec<(String, String)> {
        let entries = self.cmd("POST", "/se/log", Some(json!({"type": "browser"})));
        entries
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| (e["level"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string()))
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.agent.delete(&format!("{}/session/{}", self.url, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// `target/screenshots` of the target directory in use (`CARGO_TARGET_DIR` is honoured: Cargo
/// gives integration tests `<target>/tmp`).
fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("screenshots")
}
