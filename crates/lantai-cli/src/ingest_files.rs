//! `lantai ingest DIR` for archive files: TXT, DOCX, spreadsheets, CSV and PDF with their
//! sidecars (`NAME.meta.json`) or CSV catalogues, sent to `POST /v1/files` directory by
//! directory, with a progress bar and a report of every file at the end.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;

/// Bytes of files per request (a directory's files are split into requests of about this size).
const REQUEST_BYTES: usize = 8 << 20;
/// Files per request.
const REQUEST_FILES: usize = 200;

/// Extensions that only archive files have (plain text is ambiguous: `--files` says so).
const ARCHIVE_EXTENSIONS: &[&str] = &["docx", "xlsx", "xlsm", "xls", "ods", "pdf"];

/// Whether `dir` holds archive files (or sidecars) rather than record batches.
pub fn holds_archive_files(dir: &Path) -> bool {
    walk(dir).unwrap_or_default().iter().any(|p| {
        let name = p.to_string_lossy().to_lowercase();
        name.ends_with(".meta.json")
            || p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ARCHIVE_EXTENSIONS.contains(&e.to_lowercase().as_str()))
    })
}

fn walk(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    entries.sort();
    let mut out = Vec::new();
    for p in entries {
        if p.is_dir() {
            out.extend(walk(&p)?);
        } else {
            out.push(p);
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct FilesReport {
    accepted: usize,
    files: Vec<FileOutcome>,
}

#[derive(Deserialize)]
struct FileOutcome {
    file: String,
    status: String,
    records: Vec<String>,
    reasons: Vec<String>,
    notes: Vec<String>,
}

fn is_metadata(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".meta.json") || lower.ends_with(".csv")
}

/// A multipart/form-data body with one part per (relative name, bytes).
fn multipart(boundary: &str, parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, bytes) in parts {
        let quoted = name.replace('"', "%22").replace(['\r', '\n'], " ");
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"file\"; filename=\"{quoted}\"\r\n").as_bytes(),
        );
        body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

/// Sends the archive files under `root`; exits 2 when any file failed.
pub fn run(root: &Path, server: &str, key: &str, quiet: bool) -> anyhow::Result<ExitCode> {
    let files = walk(root)?;
    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/");
    // Directory → (metadata files, archive files); metadata goes with every request of its directory.
    let mut groups: Vec<(PathBuf, Vec<PathBuf>, Vec<PathBuf>)> = Vec::new();
    for f in files {
        let dir = f.parent().unwrap_or(root).to_path_buf();
        if groups.last().is_none_or(|(d, _, _)| *d != dir) {
            groups.push((dir.clone(), Vec::new(), Vec::new()));
        }
        let group = groups.last_mut().expect("pushed above");
        if is_metadata(&relative(&f)) {
            group.1.push(f);
        } else {
            group.2.push(f);
        }
    }
    let total: usize = groups.iter().map(|(_, _, f)| f.len()).sum();
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(total as u64) };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} files, {per_sec}, ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(root.display().to_string());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let url = format!("{}/v1/files", server.trim_end_matches('/'));
    let boundary = format!("lantai-{:016x}", rand::random::<u64>());
    let mut outcomes: Vec<FileOutcome> = Vec::new();
    let mut accepted = 0usize;
    for (_, metadata, archive) in &groups {
        let meta: Vec<(String, Vec<u8>)> = metadata
            .iter()
            .map(|p| Ok((relative(p), std::fs::read(p).with_context(|| format!("reading {}", p.display()))?)))
            .collect::<anyhow::Result<_>>()?;
        // A directory of only metadata (e.g. data CSVs) is sent as it is.
        let mut pending: Vec<(String, Vec<u8>)> = Vec::new();
        let mut size = 0usize;
        let mut send = |pending: &mut Vec<(String, Vec<u8>)>, outcomes: &mut Vec<FileOutcome>| -> anyhow::Result<()> {
            let n = pending.len();
            let mut parts = meta.clone();
            parts.append(pending);
            let mut response = agent
                .post(&url)
                .header("Authorization", &format!("Bearer {key}"))
                .content_type(&format!("multipart/form-data; boundary={boundary}"))
                .send(&multipart(&boundary, &parts)[..])
                .with_context(|| format!("sending to {url}"))?;
            let status = response.status();
            let text = response.body_mut().read_to_string()?;
            if !status.is_success() {
                bail!("server answered {status}: {text}");
            }
            let report: FilesReport = serde_json::from_str(&text).context("reading the server's report")?;
            accepted += report.accepted;
            // Metadata is reported once, with the first request of its directory.
            let first = !outcomes.iter().any(|o| parts.first().is_some_and(|(name, _)| *name == o.file));
            outcomes.extend(report.files.into_iter().filter(|o| first || !meta.iter().any(|(m, _)| *m == o.file)));
            bar.inc(n as u64);
            Ok(())
        };
        for p in archive {
            let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            if !pending.is_empty() && (size + bytes.len() > REQUEST_BYTES || pending.len() >= REQUEST_FILES) {
                send(&mut pending, &mut outcomes)?;
                size = 0;
            }
            size += bytes.len();
            pending.push((relative(p), bytes));
        }
        if !pending.is_empty() || (archive.is_empty() && !meta.is_empty()) {
            send(&mut pending, &mut outcomes)?;
        }
    }
    bar.finish_and_clear();

    let count = |s: &str| outcomes.iter().filter(|o| o.status == s).count();
    let ingested = count("ingested") + count("partly_ingested");
    println!(
        "files: {} ingested, {} failed, {} skipped; {accepted} records accepted",
        ingested,
        count("failed"),
        count("skipped")
    );
    for o in &outcomes {
        let show = match o.status.as_str() {
            "failed" | "partly_ingested" => true,
            "skipped" => o.reasons.iter().any(|r| r != "metadata"),
            _ => !o.notes.is_empty(),
        };
        if show {
            let mut line = format!("  {}: {}", o.file, o.status);
            if !o.records.is_empty() {
                line.push_str(&format!(" ({} records)", o.records.len()));
            }
            for r in o.reasons.iter().chain(&o.notes) {
                line.push_str(&format!(" — {r}"));
            }
            println!("{line}");
        }
    }
    Ok(if count("failed") == 0 && count("partly_ingested") == 0 { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
