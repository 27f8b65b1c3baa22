use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_lantai");
pub const ADMIN_KEY: &str = "cli-test-admin-key-0123456789";

/// A `lantai serve` child process on a free port.
pub struct Served {
    pub child: Child,
    pub base: String,
    agent: ureq::Agent,
}

impl Served {
    /// Starts the binary; `admin_key` sets `LANTAI_ADMIN_KEY` (else one is generated).
    pub fn start(data: &Path, admin_key: Option<&str>, extra_env: &[(&str, &str)]) -> Served {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--bind", "127.0.0.1:0", "--data"])
            .arg(data)
            .env_remove("LANTAI_ADMIN_KEY")
            .env("LANTAI__INDEX__WRITER_HEAP_MB", "32")
            .env("LANTAI__INDEX__WRITER_THREADS", "1")
            // Tests check many records quickly; the rate limit has its own test.
            .env("LANTAI__LIMITS__REQUESTS_PER_SECOND", "100000")
            .env("LANTAI__LIMITS__BURST", "100000")
            // Tests compare result orders: no randomised swaps.
            .env("LANTAI__RANKING__SWAP_RATE", "0")
            .env("LANTAI__LIMITS__MAX_PAGE_DEPTH", "1000000")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(k) = admin_key {
            cmd.env("LANTAI_ADMIN_KEY", k);
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start lantai serve");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let base = line.trim().rsplit(' ').next().unwrap().to_string();
        assert!(base.starts_with("http://"), "unexpected first line {line:?}");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Served { child, base, agent }
    }

    pub fn get(&self, path: &str, key: &str) -> (u16, Value) {
        let mut r = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {key}"))
            .call()
            .unwrap();
        let status = r.status().as_u16();
        (status, r.body_mut().read_json().unwrap_or(Value::Null))
    }

    /// SIGKILL, and wait until the process is gone (so the store's lock is released).
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}
