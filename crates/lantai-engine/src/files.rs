//! Ingesting archive files (TXT, DOCX, spreadsheets, CSV, PDF) with their metadata: a sidecar
//! `NAME.meta.json` beside each file, or one CSV catalogue (归档文件目录) listing files with
//! their fields in a `file` (or `文件名`) column. Used by `POST /v1/files` and `lantai ingest`.

use std::collections::HashMap;

use lantai_extract::{extract, first_line, kind_of, ExtractOptions};
use serde_json::{Map, Value};
use tracing::info;

use crate::batch::{BatchItem, Rejection};
use crate::engine::Engine;
use crate::error::Result;

/// One file as uploaded: its path relative to the upload's root, and its bytes.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Relative path (`/`-separated), e.g. `2024/通知.docx`.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct FileOutcome {
    /// The file.
    pub file: String,
    /// `ingested`, `partly_ingested`, `failed`, or `skipped` (not an archive file, or metadata).
    pub status: &'static str,
    /// Ids of the records written from it.
    pub records: Vec<String>,
    /// Why it failed or was skipped, or its records refused.
    pub reasons: Vec<String>,
    /// How the text was read (encoding detected, `pdftotext` used …).
    pub notes: Vec<String>,
    /// Share of garbled characters in its text, 0–1.
    pub garbled_share: f64,
}

/// The answer to a set of files.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct FilesReport {
    /// The batch id of the records written (in logs too).
    pub batch_id: String,
    /// Records written (and durable).
    pub accepted: usize,
    /// Files with at least one record written.
    pub ingested_files: usize,
    /// Files that failed.
    pub failed_files: usize,
    /// Files skipped (metadata, or not an archive file type).
    pub skipped_files: usize,
    /// Per file, in the order given.
    pub files: Vec<FileOutcome>,
}

fn is_sidecar(name: &str) -> bool {
    name.ends_with(".meta.json")
}

/// The column of a CSV catalogue that names the files.
const FILE_COLUMNS: &[&str] = &["file", "文件名", "文件", "filename"];

fn parent(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Reads a CSV catalogue: file path (relative to the catalogue) → its fields. `None` when the
/// CSV has no file column (then it is a data file, a record per row).
/// File path → its fields, as a catalogue lists them.
type Listed = HashMap<String, Map<String, Value>>;

fn catalogue(entry: &FileEntry) -> Option<std::result::Result<Listed, String>> {
    let text = match lantai_extract::decode_text(&entry.bytes) {
        Ok(d) => d.text,
        Err(_) => return None,
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().ok()?.iter().map(|h| h.trim().to_string()).collect();
    let file_col = headers.iter().position(|h| FILE_COLUMNS.contains(&h.to_lowercase().as_str()))?;
    let dir = parent(&entry.name);
    let mut out = HashMap::new();
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => return Some(Err(format!("catalogue {}: {e}", entry.name))),
        };
        let Some(file) = row.get(file_col).map(str::trim).filter(|f| !f.is_empty()) else { continue };
        let mut fields = Map::new();
        for (i, (h, v)) in headers.iter().zip(row.iter()).enumerate() {
            if i != file_col && !h.is_empty() && !v.trim().is_empty() {
                fields.insert(h.clone(), Value::String(v.trim().to_string()));
            }
        }
        out.insert(join(dir, file), fields);
    }
    Some(Ok(out))
}

impl Engine {
    /// Extracts every archive file, joins it with its metadata, and ingests the records in one
    /// batch. A file that cannot be read is reported and the others go on.
    pub fn ingest_files(&self, entries: Vec<FileEntry>) -> Result<FilesReport> {
        let options = ExtractOptions {
            sheets: self.config().files.sheets,
            pdftotext: Some(self.config().files.pdftotext.clone()).filter(|p| !p.trim().is_empty()),
        };
        // Metadata first: sidecars and catalogues.
        let mut meta: HashMap<String, std::result::Result<Map<String, Value>, String>> = HashMap::new();
        let mut catalogues: Vec<usize> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            if is_sidecar(&e.name) {
                let target = e.name.trim_end_matches(".meta.json").to_string();
                let parsed = match serde_json::from_slice::<Value>(&e.bytes) {
                    Ok(Value::Object(m)) => Ok(m),
                    Ok(_) => Err(format!("{}: not a JSON object", e.name)),
                    Err(err) => Err(format!("{}: {err}", e.name)),
                };
                meta.insert(target, parsed);
            } else if e.name.to_lowercase().ends_with(".csv") {
                if let Some(listed) = catalogue(e) {
                    catalogues.push(i);
                    match listed {
                        Ok(rows) => {
                            for (file, fields) in rows {
                                meta.entry(file).or_insert(Ok(fields));
                            }
                        }
                        Err(reason) => {
                            meta.insert(format!("\0{}", e.name), Err(reason));
                        }
                    }
                }
            }
        }
        let mut outcomes: Vec<FileOutcome> = Vec::with_capacity(entries.len());
        let mut items: Vec<BatchItem> = Vec::new();
        // Which outcome each item belongs to.
        let mut owner: Vec<usize> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let mut outcome = FileOutcome {
                file: entry.name.clone(),
                status: "skipped",
                records: Vec::new(),
                reasons: Vec::new(),
                notes: Vec::new(),
                garbled_share: 0.0,
            };
            if is_sidecar(&entry.name) || catalogues.contains(&i) {
                outcome.reasons.push("metadata".into());
                if let Some(Err(reason)) = meta.get(&format!("\0{}", entry.name)) {
                    outcome.status = "failed";
                    outcome.reasons = vec![reason.clone()];
                }
                outcomes.push(outcome);
                continue;
            }
            if kind_of(&entry.name).is_none() {
                outcome.reasons.push("not an archive file type (.txt .md .csv .docx .xlsx .xls .ods .pdf)".into());
                outcomes.push(outcome);
                continue;
            }
            let file_meta = match meta.get(&entry.name) {
                Some(Err(reason)) => {
                    outcome.status = "failed";
                    outcome.reasons.push(reason.clone());
                    outcomes.push(outcome);
                    continue;
                }
                Some(Ok(m)) => m.clone(),
                None => Map::new(),
            };
            let extracted = match extract(&entry.name, &entry.bytes, &options) {
                Ok(x) => x,
                Err(e) => {
                    outcome.status = "failed";
                    outcome.reasons.push(e.to_string());
                    outcomes.push(outcome);
                    continue;
                }
            };
            outcome.notes = extracted.notes.clone();
            outcome.garbled_share = (extracted.garbled_share * 10_000.0).round() / 10_000.0;
            if extracted.parts.is_empty() {
                outcome.status = "failed";
                outcome.reasons.push("no text and no rows".into());
                outcomes.push(outcome);
                continue;
            }
            let single = extracted.parts.len() == 1;
            for part in extracted.parts {
                let mut fields = file_meta.clone();
                for (k, v) in part.fields {
                    fields.insert(k, v);
                }
                if let Some(text) = &part.text {
                    if !fields.contains_key("content") {
                        fields.insert("content".into(), Value::String(text.clone()));
                    }
                    if !fields.contains_key("title") {
                        let stem = entry.name.rsplit('/').next().unwrap_or(&entry.name);
                        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
                        let title = if single { first_line(text, 80) } else { None };
                        fields.insert("title".into(), Value::String(title.unwrap_or_else(|| stem.to_string())));
                    }
                }
                if !fields.contains_key("id") {
                    let id = match (&part.locator, single) {
                        (Some(l), false) => format!("file:{}#{l}", entry.name),
                        _ => format!("file:{}", entry.name),
                    };
                    fields.insert("id".into(), Value::String(id));
                }
                let mut extra = match fields.remove("extra") {
                    Some(Value::Object(m)) => m,
                    _ => Map::new(),
                };
                extra.insert("file".into(), Value::String(entry.name.clone()));
                extra.insert("file_type".into(), Value::String(extracted.kind.into()));
                if let Some(l) = &part.locator {
                    extra.insert("file_part".into(), Value::String(l.clone()));
                }
                fields.insert("extra".into(), Value::Object(extra));
                let bytes = fields.values().map(|v| v.to_string().len()).sum();
                items.push(BatchItem { line: items.len() + 1, fields: Ok(fields), lenient_fields: true, bytes });
                owner.push(outcomes.len());
            }
            outcome.status = "pending";
            outcomes.push(outcome);
        }
        let ids: Vec<Option<String>> = items
            .iter()
            .map(|it| it.fields.as_ref().ok().and_then(|f| f.get("id")).and_then(Value::as_str).map(str::to_string))
            .collect();
        let report = self.ingest_items(items)?;
        let mut refused = vec![false; ids.len()];
        for Rejection { line, code, message, .. } in &report.rejected {
            if let Some(&o) = owner.get(line - 1) {
                refused[line - 1] = true;
                outcomes[o]
                    .reasons
                    .push(format!("record {}: {code}: {message}", ids[line - 1].as_deref().unwrap_or("?")));
            }
        }
        for (i, &o) in owner.iter().enumerate() {
            if !refused[i] {
                if let Some(id) = &ids[i] {
                    outcomes[o].records.push(id.clone());
                }
            }
        }
        for o in outcomes.iter_mut().filter(|o| o.status == "pending") {
            o.status = match (o.records.is_empty(), o.reasons.is_empty()) {
                (true, _) => "failed",
                (false, true) => "ingested",
                (false, false) => "partly_ingested",
            };
        }
        let count = |s: &str| outcomes.iter().filter(|o| o.status == s).count();
        let out = FilesReport {
            batch_id: report.batch_id,
            accepted: report.accepted,
            ingested_files: count("ingested") + count("partly_ingested"),
            failed_files: count("failed"),
            skipped_files: count("skipped"),
            files: outcomes,
        };
        info!(
            files = out.files.len(),
            ingested = out.ingested_files,
            failed = out.failed_files,
            records = out.accepted,
            "files ingested"
        );
        Ok(out)
    }
}
