//! Inputs for the benchmarks: STARD articles and questions from `../shared/datasets/stard` when
//! present (the benchmark corpus of `benches/RESULTS.md`), else the demo archive.

use lantai_model::{Record, UnknownFields};
use serde_json::{Map, Value};

/// Where the shared datasets live, relative to the workspace.
const STARD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/datasets/stard");
const DEMO: &str = include_str!("../../fixtures/demo-archive.jsonl");

/// Up to `n` records: STARD articles (title, text, category) or the demo archive repeated.
pub fn records(n: usize) -> Vec<Record> {
    let source = std::fs::read_to_string(format!("{STARD}/corpus.jsonl")).ok();
    let lines: Vec<String> = match &source {
        Some(text) => text.lines().take(n).map(str::to_string).collect(),
        None => DEMO.lines().cycle().take(n).map(str::to_string).collect(),
    };
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let mut doc: Map<String, Value> = serde_json::from_str(line).ok()?;
            let mut fields = Map::new();
            fields.insert("id".into(), Value::String(format!("bench-{i}")));
            for (from, to) in
                [("title", "title"), ("text", "content"), ("content", "content"), ("category", "category")]
            {
                if let Some(v) = doc.remove(from) {
                    fields.insert(to.into(), v);
                }
            }
            Record::from_map(fields, Default::default(), UnknownFields::IntoExtra).ok()
        })
        .collect()
}

/// Up to `n` search-box questions (STARD's, else demo titles).
pub fn questions(n: usize) -> Vec<String> {
    match std::fs::read_to_string(format!("{STARD}/queries.jsonl")) {
        Ok(text) => text
            .lines()
            .take(n)
            .filter_map(|l| serde_json::from_str::<Value>(l).ok()?.get("text")?.as_str().map(str::to_string))
            .collect(),
        Err(_) => records(n).into_iter().filter_map(|r| r.title).collect(),
    }
}
