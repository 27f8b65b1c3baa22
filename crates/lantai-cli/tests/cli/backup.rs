//! Backup under write load, restore, corruption refused, reindex.

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::helpers::*;

struct Batch {
    started: Instant,
    acked: Instant,
    ids: Vec<String>,
}

#[test]
fn a_snapshot_under_write_load_restores_exactly_what_was_acknowledged_before_it() {
    let temp = tempfile::tempdir().unwrap();
    let env = [("LANTAI__SERVER__LOAD_DEMO_ON_FIRST_START", "false")];
    let served = Served::start(&temp.path().join("data"), Some(ADMIN_KEY), &env);
    let batches: Arc<Mutex<Vec<Batch>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (base, batches, stop) = (served.base.clone(), batches.clone(), stop.clone());
        std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let ids: Vec<String> = (0..100).map(|i| format!("B{n:04}-{i:03}")).collect();
                let body: String =
                    ids.iter().map(|id| format!("{{\"id\":\"{id}\",\"title\":\"第{n}批 物业服务合同\"}}\n")).collect();
                let started = Instant::now();
                let r = agent
                    .post(&format!("{base}/v1/records"))
                    .header("Authorization", &format!("Bearer {ADMIN_KEY}"))
                    .content_type("application/x-ndjson")
                    .send(&body)
                    .unwrap();
                assert_eq!(r.status(), 200);
                batches.lock().unwrap().push(Batch { started, acked: Instant::now(), ids });
                n += 1;
            }
        })
    };
    // Snapshot once writes are flowing (waiting on them, not on a clock: machines are slow).
    let wait_for = |what: &str, done: &dyn Fn(&[Batch]) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !done(&batches.lock().unwrap()) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_for("two acknowledged batches", &|b| b.len() >= 2);
    let snap = temp.path().join("snap.jsonl");
    let before = Instant::now();
    let out = Command::new(BIN)
        .args(["backup", "--server", &served.base, "--key", ADMIN_KEY, "--out"])
        .arg(&snap)
        .output()
        .unwrap();
    let after = Instant::now();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_for("a batch sent after the snapshot", &|b| b.iter().any(|b| b.started > after));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    served.kill();

    let restored = temp.path().join("restored");
    let out = Command::new(BIN).args(["restore"]).arg(&snap).arg("--data").arg(&restored).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let served = Served::start(&restored, Some(ADMIN_KEY), &env);
    let batches = batches.lock().unwrap();
    let (mut must, mut must_not) = (0, 0);
    for b in batches.iter() {
        let probe = &b.ids[50];
        let status = served.get(&format!("/v1/records/{probe}"), ADMIN_KEY).0;
        if b.acked < before {
            must += 1;
            assert_eq!(status, 200, "{probe} was acknowledged before the snapshot");
        } else if b.started > after {
            must_not += 1;
            assert_eq!(status, 404, "{probe} was sent after the snapshot");
        }
    }
    assert!(must > 0 && must_not > 0, "the load must straddle the snapshot ({must}, {must_not})");
    // The index was rebuilt from the records on start.
    let (_, found) = served.get(&format!("/v1/search?q={}&limit=1", encode("物业服务合同")), ADMIN_KEY);
    assert!(found["total"].as_u64().unwrap() >= must as u64 * 100);
    served.kill();

    // Reindex (offline) keeps every record searchable.
    let out = Command::new(BIN).args(["reindex", "--data"]).arg(&restored).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("reindexed "));

    // A corrupt or newer snapshot is refused, and leaves nothing behind.
    let text = std::fs::read_to_string(&snap).unwrap();
    let corrupt = temp.path().join("corrupt.jsonl");
    std::fs::write(
        &corrupt,
        text.replacen("lantai-snapshot\",\"version\":1", "lantai-snapshot\",\"version\":1 ", 1).replacen(
            "\"t\":\"records\"",
            "\"t\":\"recordz\"",
            1,
        ),
    )
    .unwrap();
    let target = temp.path().join("from-corrupt");
    let out = Command::new(BIN).args(["restore"]).arg(&corrupt).arg("--data").arg(&target).output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("corrupt snapshot"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!target.exists());
    let newer = temp.path().join("newer.jsonl");
    std::fs::write(&newer, text.replacen("\"version\":1", "\"version\":99", 1)).unwrap();
    let out = Command::new(BIN).args(["restore"]).arg(&newer).arg("--data").arg(&target).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(BIN).args(["restore"]).arg(&snap).arg("--data").arg(&restored).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}

#[test]
fn reindex_through_a_running_server_while_it_serves() {
    let temp = tempfile::tempdir().unwrap();
    let served = Served::start(&temp.path().join("data"), Some(ADMIN_KEY), &[]);
    let (_, before) = served.get(&format!("/v1/search?q={}&limit=0", encode("业扩报装")), ADMIN_KEY);
    let out = Command::new(BIN).args(["reindex", "--server", &served.base, "--key", ADMIN_KEY]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.starts_with("reindexed 347 records"), "{stdout}");
    let (status, after) = served.get(&format!("/v1/search?q={}&limit=0", encode("业扩报装")), ADMIN_KEY);
    assert_eq!(status, 200);
    assert_eq!(after["total"], before["total"]);
    let wrong = Command::new(BIN).args(["reindex", "--server", &served.base, "--key", "nope"]).output().unwrap();
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("401"), "{}", String::from_utf8_lossy(&wrong.stderr));
}
