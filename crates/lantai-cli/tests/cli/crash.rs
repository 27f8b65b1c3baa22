//! SIGKILL at 20 seeded moments in the middle of batches: every acknowledged record, usage
//! event, survey response and admin audit entry survives, no record is duplicated, and the index agrees with
//! the store after restart.

use std::collections::BTreeSet;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::helpers::*;

fn batch(round: usize, n: usize, size: usize) -> (Vec<String>, String) {
    let mut ids = Vec::new();
    let mut body = String::new();
    for i in 0..size {
        let id = format!("K{round}-{n:04}-{i:03}");
        body.push_str(&format!(
            "{{\"id\":\"{id}\",\"title\":\"第{n}批第{i}件 业扩报装申请\",\"content\":\"待处理工单 编号 {id}\",\"classification\":\"公开\"}}\n"
        ));
        ids.push(id);
    }
    (ids, body)
}

#[test]
fn killed_mid_batch_loses_no_acknowledged_record() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let env = [("LANTAI__SERVER__LOAD_DEMO_ON_FIRST_START", "false")];
    let mut acknowledged: BTreeSet<String> = BTreeSet::new();
    let mut responses = 0u64;
    let mut events = 0u64;
    // Kill delays from a seeded generator: deterministic, spread over the batch cycle.
    let mut seed: u64 = 20_261_129;
    let delays: Vec<u64> = (0..20)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            100 + (seed >> 33) % 700
        })
        .collect();
    for (round, delay) in delays.into_iter().enumerate() {
        let served = Served::start(&data, Some(ADMIN_KEY), &env);
        // One survey response per round, acknowledged before the kill.
        let answers: Vec<_> =
            (1..=22).map(|i| serde_json::json!({"item": i, "expectation": 6, "perception": 5})).collect();
        let response = serde_json::json!({"survey_version": 1, "format": "ep", "answers": answers}).to_string();
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let r = agent
            .post(&format!("{}/v1/surveys/responses", served.base))
            .header("Authorization", &format!("Bearer {ADMIN_KEY}"))
            .content_type("application/json")
            .send(&response)
            .unwrap();
        assert_eq!(r.status(), 201);
        responses += 1;
        // And one usage event, after a search, once there are records to act on.
        let (_, found) = served.get("/v1/search?limit=1", ADMIN_KEY);
        if let Some(first) = found["hits"][0]["id"].as_str() {
            let event = serde_json::json!([{"query_id": found["query_id"], "record_id": first, "type": "open"}]);
            let mut r = agent
                .post(&format!("{}/v1/events", served.base))
                .header("Authorization", &format!("Bearer {ADMIN_KEY}"))
                .content_type("application/json")
                .send(event.to_string().as_str())
                .unwrap();
            assert_eq!(r.body_mut().read_json::<serde_json::Value>().unwrap()["accepted"], 1);
            events += 1;
        }
        let (tx, rx) = mpsc::channel::<Vec<String>>();
        let base = served.base.clone();
        let writer = std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            for n in 0.. {
                let (ids, body) = batch(round, n, 100);
                let sent = agent
                    .post(&format!("{base}/v1/records"))
                    .header("Authorization", &format!("Bearer {ADMIN_KEY}"))
                    .content_type("application/x-ndjson")
                    .send(&body);
                match sent {
                    Ok(mut r) if r.status() == 200 => {
                        let report: serde_json::Value = r.body_mut().read_json().unwrap();
                        assert_eq!(report["accepted"], 100);
                        if tx.send(ids).is_err() {
                            return;
                        }
                    }
                    _ => return, // the server died mid-request: this batch was never acknowledged
                }
            }
        });
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(delay) {
            std::thread::sleep(Duration::from_millis(10));
        }
        served.kill();
        writer.join().unwrap();
        let before = acknowledged.len();
        for ids in rx.try_iter() {
            acknowledged.extend(ids);
        }
        eprintln!("kill {round} after {delay} ms: {} records acknowledged in this round", acknowledged.len() - before);

        let served = Served::start(&data, Some(ADMIN_KEY), &env);
        // Every acknowledged record is there and searchable by its id.
        for id in acknowledged.iter().step_by(37) {
            let (status, _) = served.get(&format!("/v1/records/{id}"), ADMIN_KEY);
            assert_eq!(status, 200, "acknowledged {id} lost after kill {round}");
            let (_, found) = served.get(&format!("/v1/search?q={}", encode(id)), ADMIN_KEY);
            assert_eq!(found["hits"][0]["id"], id.as_str(), "{id} not searchable");
        }
        // No duplicates: the index holds each id once, and as many as the store.
        let mut seen = BTreeSet::new();
        let mut offset = 0;
        let total = loop {
            let (_, page) = served.get(&format!("/v1/search?limit=1000&offset={offset}"), ADMIN_KEY);
            let hits = page["hits"].as_array().unwrap();
            for h in hits {
                assert!(seen.insert(h["id"].as_str().unwrap().to_string()), "duplicate {}", h["id"]);
            }
            offset += hits.len();
            if hits.is_empty() {
                break page["total"].as_u64().unwrap() as usize;
            }
        };
        assert_eq!(seen.len(), total);
        assert!(acknowledged.iter().all(|id| seen.contains(id)), "an acknowledged id is missing from the index");
        let (_, report) = served.get("/v1/quality/servqual", ADMIN_KEY);
        assert_eq!(report["overall"]["n"], responses, "acknowledged survey responses lost after kill {round}");
        // Each event followed its own search: successful searches = acknowledged events.
        let (_, usage) = served.get("/v1/quality/indicators", ADMIN_KEY);
        let searches = usage["overall"]["searches"].as_f64().unwrap();
        let successes = (usage["overall"]["success_rate"].as_f64().unwrap_or(0.0) * searches).round() as u64;
        assert_eq!(successes, events, "acknowledged usage events lost after kill {round}");
        let (_, trail) = served.get("/v1/audit?action=records.ingest&limit=10000", ADMIN_KEY);
        let ingests = trail["entries"].as_array().unwrap().len();
        assert!(ingests * 100 >= acknowledged.len(), "audit entries of acknowledged batches lost");
        served.kill();
    }
    assert!(!acknowledged.is_empty(), "the test must acknowledge some batches before killing");
}
