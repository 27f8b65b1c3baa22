use std::process::Command;

use crate::helpers::*;

fn verify(data: &std::path::Path) -> (bool, String) {
    let out = Command::new(BIN).args(["audit", "verify", "--data"]).arg(data).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).to_string())
}

#[test]
fn the_audit_trail_exports_and_detects_tampering() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let served = Served::start(&data, Some(ADMIN_KEY), &[("LANTAI__SERVER__LOAD_DEMO_ON_FIRST_START", "false")]);
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let r = agent
        .post(&format!("{}/v1/records", served.base))
        .header("Authorization", &format!("Bearer {ADMIN_KEY}"))
        .content_type("application/x-ndjson")
        .send("{\"id\":\"A-1\",\"title\":\"供水管网抢修记录\"}\n")
        .unwrap();
    assert_eq!(r.status(), 200);
    for _ in 0..3 {
        assert_eq!(served.get(&format!("/v1/records/A-1?purpose={}", encode("工作查考")), ADMIN_KEY).0, 200);
    }
    // While the server holds the data directory, the offline tools say so.
    let busy = Command::new(BIN).args(["audit", "verify", "--data"]).arg(&data).output().unwrap();
    assert!(!busy.status.success());
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("server running"),
        "{}",
        String::from_utf8_lossy(&busy.stderr)
    );
    assert!(served.terminate().success());

    let (ok, out) = verify(&data);
    assert!(ok, "{out}");
    assert!(out.contains("intact: 4 entries"), "{out}");
    let csv_path = temp.path().join("audit.csv");
    let out =
        Command::new(BIN).args(["audit", "export", "--data"]).arg(&data).arg("--out").arg(&csv_path).output().unwrap();
    assert!(out.status.success());
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("seq,at,key_id,principal,role,action,target,purpose"));
    assert_eq!(lines.len(), 5);
    assert!(
        lines[2].contains("record.read") && lines[2].contains("A-1") && lines[2].contains("工作查考"),
        "{}",
        lines[2]
    );

    // Alter one entry in the files: detected, and named.
    {
        let store = lantai_store::Store::open(&data.join("store"), 1 << 20).unwrap();
        let entry = store.audit().entries().nth(1).unwrap().unwrap();
        let forged = serde_json::to_vec(&serde_json::json!({
            "seq": entry.seq, "at": entry.event.at, "key_id": entry.event.key_id, "principal": "mallory",
            "role": entry.event.role, "action": entry.event.action, "target": entry.event.target,
            "remote": entry.event.remote, "outcome": entry.event.outcome, "prev": entry.prev, "hash": entry.hash,
        }))
        .unwrap();
        store.audit().tamper_raw(2, Some(&forged)).unwrap();
        store.flush().unwrap();
    }
    let (ok, out) = verify(&data);
    assert!(!ok);
    assert!(out.contains("TAMPERED") && out.contains("entry 2") && out.contains("altered"), "{out}");

    // Remove an entry instead: also detected.
    {
        let store = lantai_store::Store::open(&data.join("store"), 1 << 20).unwrap();
        let original = store.audit().entries().nth(2).unwrap().unwrap();
        store.audit().tamper_raw(2, Some(&serde_json::to_vec(&original).unwrap())).unwrap();
        store.audit().tamper_raw(3, None).unwrap();
        store.flush().unwrap();
    }
    let (ok, out) = verify(&data);
    assert!(!ok, "{out}");
    assert!(out.contains("TAMPERED"), "{out}");
}
