//! `lantai eval --usage-sim`: does ranking learn from usage? Measured through the real HTTP API.
//!
//! The judged queries are split (fixed seed) into a training half and a held-out half. The
//! held-out half is evaluated cold; then simulated employees search each training query and
//! act on the results as position-biased users do (a cascade: rank k is examined with
//! probability k^-eta, a relevant record is opened with high probability and read long, an
//! irrelevant one opened rarely and left quickly, and a satisfied user may stop); their events
//! go to `POST /v1/events`. Finally the held-out half is evaluated again. Nothing about the
//! held-out queries is ever shown to the model.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use lantai_engine::Engine;
use lantai_server::AppState;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::{json, Value};

use crate::eval::{EvalQuery, Scores};

/// Parameters of the simulated users.
#[derive(clap::Args, Debug, Clone, Serialize)]
pub struct SimArgs {
    /// Seed of the split and of the simulated users.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Share of the judged queries used for training.
    #[arg(long, default_value_t = 0.5)]
    train_share: f64,
    /// Searches per training query (different employees asking the same thing).
    #[arg(long, default_value_t = 3)]
    sessions_per_query: usize,
    /// Examination decay: rank k is looked at with probability k^-eta.
    #[arg(long, default_value_t = 1.0)]
    eta: f64,
    /// Probability of opening an examined relevant record.
    #[arg(long, default_value_t = 0.9)]
    click_relevant: f64,
    /// Probability of opening an examined irrelevant record.
    #[arg(long, default_value_t = 0.1)]
    click_irrelevant: f64,
    /// Probability of stopping after a satisfying record.
    #[arg(long, default_value_t = 0.5)]
    stop_after_satisfied: f64,
    /// Results shown per search.
    #[arg(long, default_value_t = 10)]
    page: usize,
    /// Departments the simulated employees belong to.
    #[arg(long, default_value_t = 4)]
    departments: usize,
}

#[derive(Debug, Serialize)]
struct Figures {
    ndcg_at_10: f64,
    mrr_at_10: f64,
    recall_at_100: f64,
}

impl From<Scores> for Figures {
    fn from(s: Scores) -> Self {
        Figures { ndcg_at_10: s.ndcg(), mrr_at_10: s.mrr(), recall_at_100: s.recall() }
    }
}

#[derive(Debug, Serialize)]
struct SimReport {
    dataset: String,
    training_queries: usize,
    held_out_queries: usize,
    searches: usize,
    events_accepted: usize,
    events_rejected: usize,
    cold: Figures,
    after_usage: Figures,
    ndcg_gain: f64,
    training_seconds: f64,
    parameters: SimArgs,
}

struct Api {
    agent: ureq::Agent,
    base: String,
}

impl Api {
    fn search(&self, key: &str, q: &str, limit: usize) -> anyhow::Result<(String, Vec<String>)> {
        let mut response = self
            .agent
            .get(format!("{}/v1/search", self.base))
            .header("Authorization", format!("Bearer {key}"))
            .query("q", q)
            .query("limit", limit.to_string())
            .query("explain", if std::env::var("LANTAI_SIM_DUMP").is_ok() { "true" } else { "false" })
            .call()?;
        let status = response.status();
        let body: Value = response.body_mut().read_json()?;
        if !status.is_success() {
            bail!("search answered {status}: {body}");
        }
        if let Ok(path) = std::env::var("LANTAI_SIM_DUMP") {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
            writeln!(
                f,
                "{}",
                json!({"q": q, "hits": body["hits"].as_array().map(|h| h.iter().map(|h| json!({"id": h["id"], "e": h["explain"]})).collect::<Vec<_>>())})
            )?;
        }
        let ids = body["hits"]
            .as_array()
            .map(|hits| hits.iter().filter_map(|h| h["id"].as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        Ok((body["query_id"].as_str().unwrap_or_default().to_string(), ids))
    }

    fn post(&self, key: &str, path: &str, body: &Value) -> anyhow::Result<Value> {
        let mut response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {key}"))
            .send_json(body)?;
        let status = response.status();
        let body: Value = response.body_mut().read_json()?;
        if !status.is_success() {
            bail!("POST {path} answered {status}: {body}");
        }
        Ok(body)
    }
}

/// The simulated user's events for one result page.
fn simulate(ids: &[String], query: &EvalQuery, args: &SimArgs, relevant_min: u32, rng: &mut StdRng) -> Vec<Value> {
    let mut events = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let rank = (i + 1) as f64;
        if rng.random::<f64>() >= rank.powf(-args.eta) {
            continue;
        }
        let relevant = query.judged.get(id).is_some_and(|&g| g >= relevant_min);
        let p_click = if relevant { args.click_relevant } else { args.click_irrelevant };
        if rng.random::<f64>() >= p_click {
            continue;
        }
        let dwell_ms: u64 = if relevant { rng.random_range(30_000..180_000) } else { rng.random_range(2_000..9_000) };
        let position = i + 1;
        events.push(json!({"query_id": "", "record_id": id, "type": "open", "position": position}));
        events.push(
            json!({"query_id": "", "record_id": id, "type": "dwell", "position": position, "dwell_ms": dwell_ms}),
        );
        if relevant && rng.random::<f64>() < args.stop_after_satisfied {
            break;
        }
    }
    events
}

pub fn run(
    engine: Engine,
    queries: &[EvalQuery],
    args: &SimArgs,
    relevant_min: u32,
    json_out: bool,
    dataset: &str,
) -> anyhow::Result<ExitCode> {
    if !(0.0..1.0).contains(&args.train_share) || args.train_share <= 0.0 {
        bail!("--train-share must be between 0 and 1");
    }
    let engine = Arc::new(engine);
    let admin_secret = format!("sim-admin-{}", args.seed);
    engine.ensure_admin_key(Some(&admin_secret))?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = AppState::new(engine.clone());
    let (tx, rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = lantai_server::spawn(listener, state)?;
            tx.send(server.handle()).ok();
            server.await
        })
    });
    let handle = rx.recv().context("starting the server")?;
    let api = Api {
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into(),
        base,
    };

    let key = |name: &str, department: &str| -> anyhow::Result<String> {
        let issued = api.post(
            &admin_secret,
            "/v1/keys",
            &json!({"name": name, "role": "employee", "department": department, "user_group": "员工", "clearance": "内部"}),
        )?;
        Ok(issued["key"].as_str().context("no key in the answer")?.to_string())
    };
    let users: Vec<String> = (0..args.departments.max(1))
        .map(|d| key(&format!("模拟用户{d}"), &format!("部门{d}")))
        .collect::<Result<_, _>>()?;
    // The evaluator belongs to no simulated department: no group prior helps it.
    let evaluator = key("评测", "评测组")?;

    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut order: Vec<usize> = (0..queries.len()).collect();
    order.shuffle(&mut rng);
    let n_train = ((queries.len() as f64) * args.train_share).round() as usize;
    let (train, held_out) = order.split_at(n_train.min(queries.len()));

    let evaluate = |label: &str| -> anyhow::Result<Scores> {
        let mut scores = Scores::default();
        for (i, &q) in held_out.iter().enumerate() {
            let (_, ids) = api.search(&evaluator, &queries[q].text, 100)?;
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            scores.add(&queries[q], &ids, relevant_min);
            if i % 50 == 0 {
                eprint!("\r{label}: {i}/{} held-out queries", held_out.len());
            }
        }
        eprintln!("\r{label}: {} held-out queries      ", held_out.len());
        Ok(scores)
    };
    let cold = evaluate("cold")?;

    let started = Instant::now();
    let (mut searches, mut accepted, mut rejected) = (0usize, 0usize, 0usize);
    for round in 0..args.sessions_per_query {
        for (i, &q) in train.iter().enumerate() {
            let user = &users[rng.random_range(0..users.len())];
            let (query_id, ids) = api.search(user, &queries[q].text, args.page)?;
            searches += 1;
            let mut events = simulate(&ids, &queries[q], args, relevant_min, &mut rng);
            if events.is_empty() {
                continue;
            }
            for e in &mut events {
                e["query_id"] = Value::String(query_id.clone());
            }
            let report = api.post(user, "/v1/events", &Value::Array(events))?;
            accepted += report["accepted"].as_u64().unwrap_or(0) as usize;
            rejected += report["rejected"].as_array().map_or(0, Vec::len);
            if i % 50 == 0 {
                eprint!("\rtraining round {}: {i}/{} queries", round + 1, train.len());
            }
        }
    }
    eprintln!("\rtraining: {searches} searches, {accepted} events            ");
    let training_seconds = started.elapsed().as_secs_f64();
    let after = evaluate("after usage")?;

    actix_web::rt::System::new().block_on(handle.stop(true));
    server.join().map_err(|_| anyhow::anyhow!("server thread panicked"))??;
    engine.flush()?;

    let report = SimReport {
        dataset: dataset.to_string(),
        training_queries: train.len(),
        held_out_queries: held_out.len(),
        searches,
        events_accepted: accepted,
        events_rejected: rejected,
        ndcg_gain: after.ndcg() - cold.ndcg(),
        cold: cold.into(),
        after_usage: after.into(),
        training_seconds,
        parameters: args.clone(),
    };
    if json_out {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("dataset            {}", report.dataset);
        println!("queries            {} training, {} held out", report.training_queries, report.held_out_queries);
        println!("training           {} searches, {} events ({:.1} s)", searches, accepted, training_seconds);
        println!("                   nDCG@10   MRR@10    Recall@100");
        for (name, f) in [("cold", &report.cold), ("after usage", &report.after_usage)] {
            println!("{name:<18} {:.4}    {:.4}    {:.4}", f.ndcg_at_10, f.mrr_at_10, f.recall_at_100);
        }
        println!("nDCG@10 gain       {:+.4}", report.ndcg_gain);
    }
    Ok(ExitCode::SUCCESS)
}
