//! Replays a dataset's questions against an existing data directory, in-process, for profiling
//! (`perf record`) and for in-process latency at any scale:
//!
//! `cargo run --release -p lantai-benches --example replay -- DATA_DIR QUERIES.jsonl [SECONDS] [retrieve|search] [admin|employee]`
//!
//! `retrieve` times text retrieval alone (jieba + tantivy: top 10, total, facets); `search` the
//! search the server runs for `GET /v1/search?limit=10` (without HTTP). `employee` searches as
//! an employee with 内部 clearance and no grants (visibility checked for every match) instead
//! of the administrator (who sees everything). Prints p50 and p99.
//! Settings come from the defaults and `LANTAI__…` variables, as for the server.

use std::time::{Duration, Instant};

use lantai_engine::{Classification, Config, Engine, Filters, Identity, Principal, Role, SearchParams};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: replay DATA_DIR QUERIES.jsonl [SECONDS] [retrieve|search] [admin|employee]");
        std::process::exit(2);
    }
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let served = args.get(4).is_some_and(|m| m == "search");
    let mut config = Config::load(None).expect("configuration (LANTAI__… variables)");
    config.storage.data_dir = args[1].clone().into();
    config.index.merge_when_idle_ms = 0;
    config.search.max_query_chars = usize::MAX;
    let engine = Engine::open(config).expect("opening the data directory");
    let mut principal = Principal::bootstrap_admin();
    if args.get(5).is_some_and(|a| a == "employee") {
        principal.role = Role::Employee;
        principal.clearance = Classification::Internal;
    }
    let caller = Identity { key_id: "replay".into(), principal: principal.clone() };
    let queries: Vec<String> = std::fs::read_to_string(&args[2])
        .expect("reading the queries")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(|t| lantai_text::as_free_text(&t.chars().take(500).collect::<String>())))
        .collect();
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut times = Vec::new();
    'outer: loop {
        for q in &queries {
            let params =
                SearchParams { q: q.clone(), limit: 10, offset: 0, filters: Filters::default(), explain: false };
            let t = Instant::now();
            if served {
                engine.search_as(&params, &caller).expect("search");
            } else {
                engine.retrieve(&params, &principal).expect("retrieve");
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if Instant::now() > until {
                break 'outer;
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!("{} queries: p50 {:.3} ms, p99 {:.3} ms", times.len(), at(0.5), at(0.99));
}
