//! `lantai ingest`: send files to a running server in batches, with progress and a report of
//! every rejected line (file and line as in the source, not as in the batch).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use lantai_engine::{parse_batch, BatchFormat, Record};
use serde::Deserialize;

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Record batches (.jsonl/.ndjson, .json, .csv) or directories holding them; or a directory
    /// of archive files (TXT, DOCX, XLSX/XLS/ODS, CSV, PDF) with `NAME.meta.json` sidecars or a
    /// CSV catalogue, sent to `POST /v1/files`.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Treat the directories as archive files even if they hold none of the usual kinds.
    #[arg(long)]
    files: bool,
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "LANTAI_SERVER")]
    server: String,
    /// An admin key.
    #[arg(long, env = "LANTAI_KEY", hide_env_values = true)]
    key: String,
    /// Records per request.
    #[arg(long, default_value_t = 2000)]
    batch_size: usize,
    /// Hide the progress bar.
    #[arg(long)]
    quiet: bool,
}

#[derive(Deserialize)]
struct Report {
    accepted: usize,
    rejected: Vec<Rejected>,
    #[serde(default)]
    superseded: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Rejected {
    line: usize,
    id: Option<String>,
    code: String,
    message: String,
}

struct Problem {
    file: PathBuf,
    line: usize,
    id: Option<String>,
    code: String,
    message: String,
}

fn collect_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("reading {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            let nested: Vec<PathBuf> =
                entries.into_iter().filter(|p| p.is_dir() || BatchFormat::from_path(p).is_some()).collect();
            out.extend(collect_files(&nested)?);
        } else if path.exists() {
            out.push(path.clone());
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    Ok(out)
}

pub fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let archive_dirs: Vec<&PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.is_dir() && (args.files || crate::ingest_files::holds_archive_files(p)))
        .collect();
    if !archive_dirs.is_empty() {
        if archive_dirs.len() != args.paths.len() {
            bail!("give archive-file directories and record batches in separate commands");
        }
        let mut code = ExitCode::SUCCESS;
        for dir in archive_dirs {
            if crate::ingest_files::run(dir, &args.server, &args.key, args.quiet)? != ExitCode::SUCCESS {
                code = ExitCode::from(2);
            }
        }
        return Ok(code);
    }
    let files = collect_files(&args.paths)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let url = format!("{}/v1/records", args.server.trim_end_matches('/'));
    let mut problems: Vec<Problem> = Vec::new();
    let (mut accepted, mut superseded) = (0usize, 0usize);

    for file in &files {
        let format = BatchFormat::from_path(file)
            .with_context(|| format!("{}: unknown format (use .jsonl, .ndjson, .json or .csv)", file.display()))?;
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let items = parse_batch(&bytes, format).with_context(|| format!("{}", file.display()))?;
        let bar = if args.quiet { ProgressBar::hidden() } else { ProgressBar::new(items.len() as u64) };
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} records, {per_sec}, ETA {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(file.display().to_string());
        for chunk in items.chunks(args.batch_size.max(1)) {
            // Lines of this request body → lines of the source file.
            let mut source_lines = Vec::with_capacity(chunk.len());
            let mut body = Vec::new();
            for item in chunk {
                match &item.fields {
                    Err((code, message)) => problems.push(Problem {
                        file: file.clone(),
                        line: item.line,
                        id: None,
                        code: code.to_string(),
                        message: message.clone(),
                    }),
                    Ok(fields) => {
                        let mut fields = fields.clone();
                        if item.lenient_fields {
                            Record::fold_unknown_into_extra(&mut fields);
                        }
                        serde_json::to_writer(&mut body, &fields)?;
                        body.push(b'\n');
                        source_lines.push(item.line);
                    }
                }
            }
            if !source_lines.is_empty() {
                let mut response = agent
                    .post(&url)
                    .header("Authorization", &format!("Bearer {}", args.key))
                    .content_type("application/x-ndjson")
                    .send(&body[..])
                    .with_context(|| format!("sending to {url}"))?;
                let status = response.status();
                let text = response.body_mut().read_to_string()?;
                if !status.is_success() {
                    bail!("server answered {status}: {text}");
                }
                let report: Report = serde_json::from_str(&text).context("reading the server's report")?;
                accepted += report.accepted;
                superseded += report.superseded.len();
                for r in report.rejected {
                    problems.push(Problem {
                        file: file.clone(),
                        line: source_lines.get(r.line.wrapping_sub(1)).copied().unwrap_or(r.line),
                        id: r.id,
                        code: r.code,
                        message: r.message,
                    });
                }
            }
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
    }

    println!("accepted {accepted}, rejected {}, superseded {superseded} (files: {})", problems.len(), files.len());
    for p in problems.iter().take(50) {
        let id = p.id.as_deref().map(|i| format!(" id={i}")).unwrap_or_default();
        println!("  {}:{}{id}: {} — {}", p.file.display(), p.line, p.code, p.message);
    }
    if problems.len() > 50 {
        println!("  … and {} more", problems.len() - 50);
    }
    Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
