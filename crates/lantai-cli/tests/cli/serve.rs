use crate::helpers::*;

#[test]
fn first_start_loads_the_demo_and_writes_a_private_admin_key() {
    let temp = tempfile::tempdir().unwrap();
    let served = Served::start(temp.path(), None, &[]);
    let key_file = temp.path().join("admin.key");
    let key = std::fs::read_to_string(&key_file).unwrap().trim().to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let (status, body) = served.get(&format!("/v1/search?q={}", encode("业扩报装")), &key);
    assert_eq!(status, 200);
    assert!(body["total"].as_u64().unwrap() >= 15, "{body}");
    let (_, all) = served.get("/v1/search?limit=1", &key);
    let total = all["total"].clone();
    assert!(total.as_u64().unwrap() >= 300);
    // SIGTERM shuts down cleanly.
    assert!(served.terminate().success());

    // A second start neither reloads the demo nor changes the key.
    let served = Served::start(temp.path(), None, &[]);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap().trim(), key);
    let (_, again) = served.get("/v1/search?limit=1", &key);
    assert_eq!(again["total"], total);
}

#[test]
fn the_environment_key_replaces_the_generated_one_and_demo_can_be_off() {
    let temp = tempfile::tempdir().unwrap();
    let served = Served::start(temp.path(), Some(ADMIN_KEY), &[("LANTAI__SERVER__LOAD_DEMO_ON_FIRST_START", "false")]);
    assert!(!temp.path().join("admin.key").exists());
    let (status, body) = served.get("/v1/search?limit=1", ADMIN_KEY);
    assert_eq!(status, 200);
    assert_eq!(body["total"], 0);
    assert_eq!(served.get("/v1/search", "wrong").0, 401);
}

#[test]
fn a_bad_configuration_is_refused_with_the_key_named() {
    let temp = tempfile::tempdir().unwrap();
    let config = temp.path().join("lantai.toml");
    std::fs::write(&config, "[search]\ndefault_limt = 5\n").unwrap();
    let out = std::process::Command::new(BIN).args(["serve", "--config"]).arg(&config).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("default_limt"), "{stderr}");
}

#[test]
fn config_show_prints_the_effective_layers() {
    let out = std::process::Command::new(BIN)
        .args(["config", "show", "--data", "/srv/archive"])
        .env("LANTAI__SEARCH__DEFAULT_LIMIT", "25")
        .env("LANTAI_ADMIN_KEY", "secret-value-123")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("data_dir = \"/srv/archive\""), "{stdout}");
    assert!(stdout.contains("default_limit = 25"), "{stdout}");
    assert!(!stdout.contains("secret-value-123"));
}

#[test]
fn logs_can_be_json_lines_with_request_ids() {
    use std::io::{BufRead, BufReader};
    let temp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(temp.path())
        .env("LANTAI__LOG__FORMAT", "json")
        .env("LANTAI__SERVER__LOAD_DEMO_ON_FIRST_START", "false")
        .env_remove("LANTAI_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().rsplit(' ').next().unwrap().to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    agent.get(&format!("{base}/v1/health")).header("X-Request-Id", "req-42").call().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let lines: Vec<serde_json::Value> = stderr.lines().map(|l| serde_json::from_str(l).expect(l)).collect();
    assert!(lines.iter().any(|l| l["fields"]["message"] == "lantai listening"), "{stderr}");
    assert!(!stderr.contains(&std::fs::read_to_string(temp.path().join("admin.key")).unwrap().trim().to_string()));
    let served = lines.iter().find(|l| l["fields"]["message"] == "request served").expect("a request line");
    assert_eq!(served["span"]["request_id"], "req-42", "{served}");
}
