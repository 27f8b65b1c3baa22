//! `lantai`: serve the API, ingest files into a running server, evaluate retrieval quality.

mod audit;
mod config_cmd;
mod eval;
mod ingest;
mod ingest_files;
mod maintain;
mod report;
mod serve;
mod usage_sim;

/// mimalloc instead of glibc's malloc: with glibc, the many threads of the server (actix workers,
/// blocking pool, index writer) each grow their own arena and the peak RSS under load doubled
/// (619 MiB against 297 MiB with `MALLOC_ARENA_MAX=2`; see benches/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lantai (兰台): record retrieval for Chinese enterprise archives.
#[derive(Parser)]
#[command(name = "lantai", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the HTTP API (loads the demo archive into an empty data directory).
    Serve(serve::ServeArgs),
    /// Send records (NDJSON, JSON array or CSV files, or directories of them) to a running server.
    Ingest(ingest::IngestArgs),
    /// Service-quality (SERVQUAL) and usage-indicator tables from a running server.
    Report(report::ReportArgs),
    /// Write a snapshot of a running server's data to a file.
    Backup(maintain::BackupArgs),
    /// Restore a snapshot into a new data directory.
    Restore(maintain::RestoreArgs),
    /// Rebuild the index of a (stopped) data directory from its records.
    Reindex(maintain::ReindexArgs),
    /// Show the effective configuration.
    Config(config_cmd::ConfigCmd),
    /// Export or verify the audit trail (利用登记) of a data directory.
    Audit(audit::AuditArgs),
    /// Measure retrieval quality (nDCG@10, MRR@10, Recall@100) on a dataset with relevance judgments.
    Eval(eval::EvalArgs),
}

/// Options shared by commands that open a data directory.
#[derive(clap::Args, Clone)]
pub struct ConfigArgs {
    /// Configuration file layered over the built-in defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data directory (overrides `storage.data_dir`).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

impl ConfigArgs {
    fn load(&self) -> anyhow::Result<lantai_engine::Config> {
        let mut config = lantai_engine::Config::load(self.config.as_deref())?;
        if let Some(dir) = &self.data {
            config.storage.data_dir = dir.clone();
        }
        Ok(config)
    }
}

/// Starts logging to standard error: `LANTAI_LOG` (a tracing filter) overrides the configured
/// level; `json` gives one JSON object per line for log collectors. tantivy's and sled's `log`
/// records are bridged in.
pub fn init_tracing(log: &lantai_engine::LogConfig) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LANTAI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&log.level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match log.format {
        lantai_engine::LogFormat::Json => builder.json().init(),
        lantai_engine::LogFormat::Text => builder.init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `serve` logs as its configuration says; the one-shot commands use the defaults.
    if !matches!(cli.command, Command::Serve(_)) {
        init_tracing(&lantai_engine::Config::defaults().log);
    }
    let outcome = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Report(args) => report::run(args),
        Command::Config(args) => config_cmd::run(args),
        Command::Backup(args) => maintain::backup(args),
        Command::Restore(args) => maintain::restore(args),
        Command::Reindex(args) => maintain::reindex(args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
