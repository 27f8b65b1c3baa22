//! `lantai eval`: retrieval quality on a dataset with relevance judgments.
//!
//! Layout (as in `../shared/datasets/*`): `corpus.jsonl` (`id`, `title`, `text`, other fields),
//! `queries.jsonl` (`id`, `text`), `qrels.tsv` (`query_id<TAB>doc_id<TAB>grade`). The corpus is
//! ingested into a temporary data directory through the engine's batch path (the one behind
//! `POST /v1/records`); each query is run as an administrator would run it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use lantai_engine::{BatchFormat, Engine, Filters, Identity, Principal, SearchParams};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::ConfigArgs;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Dataset directory (corpus.jsonl, queries.jsonl, qrels.tsv).
    #[arg(long, value_name = "DIR")]
    dataset: PathBuf,
    /// Which document fields to index: `title,text` or `text`.
    #[arg(long, default_value = "title,text")]
    fields: String,
    /// Smallest grade that counts as relevant for MRR and Recall (nDCG uses the grades).
    #[arg(long, default_value_t = 1)]
    relevant_min: u32,
    /// Evaluate only the first N queries.
    #[arg(long)]
    max_queries: Option<usize>,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// Measure learning from usage instead: simulated users search the training half of the
    /// queries and click through the real HTTP API; the held-out half is evaluated before and
    /// after (see README, "Ranking from usage").
    #[arg(long)]
    usage_sim: bool,
    #[command(flatten)]
    sim: crate::usage_sim::SimArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// The figures `lantai eval` reports.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvalReport {
    pub dataset: String,
    pub documents: usize,
    pub queries: usize,
    pub ndcg_at_10: f64,
    pub mrr_at_10: f64,
    pub recall_at_100: f64,
    pub ingest_seconds: f64,
    pub docs_per_second: f64,
    pub queries_per_second: f64,
    pub mean_query_ms: f64,
    /// Latency of the search the server runs for `GET /v1/search?limit=10` (engine: retrieval,
    /// re-ranking, snippets, the search log), without HTTP; one query at a time.
    pub search_p50_ms: f64,
    pub search_p99_ms: f64,
    /// Latency of text retrieval alone (jieba + tantivy: top 10, total, facets).
    pub retrieval_p50_ms: f64,
    pub retrieval_p99_ms: f64,
}

/// A judged query.
pub struct EvalQuery {
    /// As free text (query-syntax characters read as spaces).
    pub text: String,
    /// Grade per judged document.
    pub judged: HashMap<String, u32>,
}

/// Running sums of the three figures.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    pub n: usize,
    ndcg: f64,
    mrr: f64,
    recall: f64,
}

impl Scores {
    /// Adds one query's ranking (document ids in rank order).
    pub fn add(&mut self, query: &EvalQuery, ranked_ids: &[&str], relevant_min: u32) {
        let ranked: Vec<u32> = ranked_ids.iter().map(|id| query.judged.get(*id).copied().unwrap_or(0)).collect();
        let positive: Vec<u32> = query.judged.values().copied().filter(|&g| g > 0).collect();
        let relevant_total = query.judged.values().filter(|&&g| g >= relevant_min).count();
        self.ndcg += ndcg_at(10, &ranked, &positive);
        self.mrr += rr_at(10, &ranked, relevant_min);
        self.recall += recall_at(100, &ranked, relevant_total, relevant_min);
        self.n += 1;
    }

    pub fn ndcg(&self) -> f64 {
        self.ndcg / self.n.max(1) as f64
    }

    pub fn mrr(&self) -> f64 {
        self.mrr / self.n.max(1) as f64
    }

    pub fn recall(&self) -> f64 {
        self.recall / self.n.max(1) as f64
    }
}

/// nDCG@k with linear gains (trec_eval's convention): `ranked` grades in rank order, `judged`
/// every positive grade of the query.
pub fn ndcg_at(k: usize, ranked: &[u32], judged: &[u32]) -> f64 {
    let dcg = |grades: &mut dyn Iterator<Item = u32>| -> f64 {
        grades.take(k).enumerate().map(|(i, g)| f64::from(g) / ((i + 2) as f64).log2()).sum()
    };
    let mut ideal = judged.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = dcg(&mut ideal.into_iter());
    if idcg == 0.0 {
        return 0.0;
    }
    dcg(&mut ranked.iter().copied()) / idcg
}

/// Reciprocal rank of the first relevant result within `k`.
pub fn rr_at(k: usize, ranked: &[u32], relevant_min: u32) -> f64 {
    ranked.iter().take(k).position(|&g| g >= relevant_min).map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// Share of the relevant documents found within `k`.
pub fn recall_at(k: usize, ranked: &[u32], relevant_total: usize, relevant_min: u32) -> f64 {
    if relevant_total == 0 {
        return 0.0;
    }
    ranked.iter().take(k).filter(|&&g| g >= relevant_min).count() as f64 / relevant_total as f64
}

pub(crate) fn read_jsonl(path: &Path) -> anyhow::Result<impl Iterator<Item = anyhow::Result<Map<String, Value>>>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let path = path.to_path_buf();
    Ok(BufReader::new(file).lines().enumerate().filter_map(move |(i, line)| match line {
        Err(e) => Some(Err(e.into())),
        Ok(l) if l.trim().is_empty() => None,
        Ok(l) => Some(
            serde_json::from_str::<Map<String, Value>>(&l)
                .with_context(|| format!("{}:{}: not a JSON object", path.display(), i + 1)),
        ),
    }))
}

/// A dataset document as a Lantai record: title and text map to 题名 and 全文, a string
/// `category` to 门类, everything else is kept under `extra`.
fn to_record(mut doc: Map<String, Value>, with_title: bool) -> Map<String, Value> {
    let mut record = Map::new();
    if let Some(id) = doc.remove("id") {
        record.insert("id".into(), Value::String(id.as_str().map_or_else(|| id.to_string(), str::to_string)));
    }
    if let Some(title) = doc.remove("title") {
        if with_title {
            record.insert("title".into(), title);
        }
    }
    if let Some(text) = doc.remove("text") {
        record.insert("content".into(), text);
    }
    if let Some(Value::String(category)) = doc.remove("category") {
        record.insert("category".into(), Value::String(category));
    }
    // The grouping a document belongs to (a statute's law) is what an archive files as
    // 机构/问题, the subject grouping within a fonds.
    if let Some(Value::String(group)) = doc.remove("law") {
        record.insert("org_unit".into(), Value::String(group));
    }
    doc.retain(|_, v| !v.is_null());
    record.insert("extra".into(), Value::Object(doc));
    record
}

/// p50 and p99 latencies, in ms.
struct Latency {
    search: (f64, f64),
    retrieval: (f64, f64),
}

/// Every query once more at the page size the HTTP benchmarks ask for (10), timed one by one:
/// the full served search, then text retrieval alone, alternating so drift hits both alike.
fn latency_pass(engine: &Engine, queries: &[EvalQuery], admin: &Principal) -> anyhow::Result<Latency> {
    let caller = Identity { key_id: "eval".into(), principal: admin.clone() };
    let mut search = Vec::with_capacity(queries.len());
    let mut retrieval = Vec::with_capacity(queries.len());
    for query in queries {
        let params =
            SearchParams { q: query.text.clone(), limit: 10, offset: 0, filters: Filters::default(), explain: false };
        let t = Instant::now();
        engine.search_as(&params, &caller)?;
        search.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        engine.retrieve(&params, admin)?;
        retrieval.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(Latency { search: percentiles(&mut search), retrieval: percentiles(&mut retrieval) })
}

/// (p50, p99) of `samples` (nearest rank).
fn percentiles(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| {
        if samples.is_empty() {
            return 0.0;
        }
        let rank = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
        samples[rank - 1]
    };
    (at(0.50), at(0.99))
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let with_title = match args.fields.as_str() {
        "title,text" | "text,title" => true,
        "text" => false,
        other => bail!("--fields must be `title,text` or `text`, not {other:?}"),
    };
    let dir = &args.dataset;
    let temp = tempfile::tempdir()?;
    let mut config = args.config.load()?;
    config.storage.data_dir = temp.path().to_path_buf();
    config.search.max_query_chars = usize::MAX;
    // The simulation is one client sending thousands of requests.
    config.limits.requests_per_second = u32::MAX / 2;
    config.limits.burst = u32::MAX / 2;
    let engine = Engine::open(config)?;
    let admin = Principal::bootstrap_admin();

    // Ingest through the batch path, in request-sized bodies.
    let started = Instant::now();
    let mut documents = 0usize;
    let mut body = Vec::new();
    let flush = |body: &mut Vec<u8>| -> anyhow::Result<()> {
        if body.is_empty() {
            return Ok(());
        }
        let report = engine.ingest(body, BatchFormat::Ndjson)?;
        if let Some(r) = report.rejected.first() {
            eprintln!(
                "warning: {} documents rejected, first: line {} {}: {}",
                report.rejected.len(),
                r.line,
                r.code,
                r.message
            );
        }
        body.clear();
        Ok(())
    };
    for doc in read_jsonl(&dir.join("corpus.jsonl"))? {
        serde_json::to_writer(&mut body, &to_record(doc?, with_title))?;
        body.push(b'\n');
        documents += 1;
        if documents % 5000 == 0 {
            flush(&mut body)?;
            eprint!("\ringested {documents} documents");
            std::io::stderr().flush().ok();
        }
    }
    flush(&mut body)?;
    let ingest_seconds = started.elapsed().as_secs_f64();
    // A served index merges into one segment once writes pause; measure that steady state.
    engine.merge_index()?;
    eprintln!("\ringested {documents} documents in {ingest_seconds:.1} s");

    let mut qrels: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let qrels_text = std::fs::read_to_string(dir.join("qrels.tsv")).context("reading qrels.tsv")?;
    for line in qrels_text.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            bail!("qrels.tsv: line {line:?} is not query_id<TAB>doc_id<TAB>grade");
        }
        let grade: u32 = cols[2].trim().parse().with_context(|| format!("qrels.tsv: bad grade in {line:?}"))?;
        qrels.entry(cols[0].to_string()).or_default().insert(cols[1].to_string(), grade);
    }

    let mut queries: Vec<EvalQuery> = Vec::new();
    for query in read_jsonl(&dir.join("queries.jsonl"))? {
        if args.max_queries.is_some_and(|m| queries.len() >= m) {
            break;
        }
        let query = query?;
        let id = match query.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => bail!("queries.jsonl: a query has no id"),
        };
        let Some(judged) = qrels.remove(&id) else { continue };
        if !judged.values().any(|&g| g >= args.relevant_min) {
            continue;
        }
        // Questions are free text: characters of the query syntax are read as spaces.
        let text = lantai_text::as_free_text(query.get("text").and_then(Value::as_str).unwrap_or_default());
        queries.push(EvalQuery { text, judged });
    }
    if queries.is_empty() {
        bail!("no query has a relevant judgment: check qrels.tsv against queries.jsonl");
    }
    if args.usage_sim {
        return crate::usage_sim::run(
            engine,
            &queries,
            &args.sim,
            args.relevant_min,
            args.json,
            &dir.display().to_string(),
        );
    }

    let mut scores = Scores::default();
    let started = Instant::now();
    for query in &queries {
        let params =
            SearchParams { q: query.text.clone(), limit: 100, offset: 0, filters: Filters::default(), explain: false };
        let answer = engine.search(&params, &admin)?;
        let ids: Vec<&str> = answer.hits.iter().map(|h| h.id.as_str()).collect();
        scores.add(query, &ids, args.relevant_min);
    }
    let query_seconds = started.elapsed().as_secs_f64();
    let latency = latency_pass(&engine, &queries, &admin)?;
    let n = scores.n;
    let report = EvalReport {
        dataset: dir.display().to_string(),
        documents,
        queries: n,
        ndcg_at_10: scores.ndcg(),
        mrr_at_10: scores.mrr(),
        recall_at_100: scores.recall(),
        ingest_seconds,
        docs_per_second: documents as f64 / ingest_seconds.max(1e-9),
        queries_per_second: n as f64 / query_seconds.max(1e-9),
        mean_query_ms: query_seconds * 1000.0 / n as f64,
        search_p50_ms: latency.search.0,
        search_p99_ms: latency.search.1,
        retrieval_p50_ms: latency.retrieval.0,
        retrieval_p99_ms: latency.retrieval.1,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("dataset        {}", report.dataset);
        println!("documents      {}", report.documents);
        println!("queries        {}", report.queries);
        println!("nDCG@10        {:.4}", report.ndcg_at_10);
        println!("MRR@10         {:.4}", report.mrr_at_10);
        println!("Recall@100     {:.4}", report.recall_at_100);
        println!("ingest         {:.1} s ({:.0} docs/s)", report.ingest_seconds, report.docs_per_second);
        println!("queries/s      {:.1} (mean {:.2} ms)", report.queries_per_second, report.mean_query_ms);
        println!(
            "latency, top 10 search (served) p50 {:.3} ms p99 {:.3} ms; retrieval alone p50 {:.3} ms p99 {:.3} ms",
            report.search_p50_ms, report.search_p99_ms, report.retrieval_p50_ms, report.retrieval_p99_ms
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_by_hand() {
        // Relevant at ranks 2 and 3 (grades 1 and 2), ideal order 2, 1.
        let ranked = [0, 1, 2];
        let dcg = 1.0 / 3f64.log2() + 2.0 / 4f64.log2();
        let idcg = 2.0 / 2f64.log2() + 1.0 / 3f64.log2();
        assert!((ndcg_at(10, &ranked, &[1, 2]) - dcg / idcg).abs() < 1e-12);
        assert_eq!(rr_at(10, &ranked, 1), 0.5);
        assert_eq!(rr_at(10, &ranked, 2), 1.0 / 3.0);
        assert_eq!(recall_at(100, &ranked, 4, 1), 0.5);
        assert_eq!(ndcg_at(10, &[0, 0], &[]), 0.0);
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut v: Vec<f64> = (1..=200).rev().map(f64::from).collect();
        assert_eq!(percentiles(&mut v), (100.0, 198.0));
        assert_eq!(percentiles(&mut [7.0]), (7.0, 7.0));
        assert_eq!(percentiles(&mut []), (0.0, 0.0));
    }

    #[test]
    fn questions_are_read_as_free_text() {
        assert_eq!(lantai_text::as_free_text("什么是“劳动合同” -违约"), "什么是 劳动合同 违约");
    }
}
