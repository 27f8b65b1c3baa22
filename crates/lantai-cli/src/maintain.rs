//! `lantai backup`, `lantai restore` and `lantai reindex`: keeping a data directory safe.

use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use lantai_engine::Engine;

use crate::ConfigArgs;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// Where to write the snapshot.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Base URL of the running server.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "LANTAI_SERVER")]
    server: String,
    /// An admin key.
    #[arg(long, env = "LANTAI_KEY", hide_env_values = true)]
    key: String,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A snapshot written by `lantai backup`.
    file: PathBuf,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(clap::Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    config: ConfigArgs,
}

/// Asks the running server for a snapshot and writes it to a file (atomically: a partial
/// download never takes the file's name).
pub fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let url = format!("{}/v1/admin/snapshot", args.server.trim_end_matches('/'));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(3600)))
        .build()
        .into();
    let mut response = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {}", args.key))
        .send_empty()
        .with_context(|| format!("requesting {url}"))?;
    let status = response.status();
    if !status.is_success() {
        bail!("server answered {status}: {}", response.body_mut().read_to_string().unwrap_or_default());
    }
    let records = response.headers().get("x-lantai-records").and_then(|v| v.to_str().ok()).unwrap_or("?").to_string();
    let partial = args.out.with_extension("partial");
    let mut file = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let bytes = std::io::copy(&mut response.body_mut().with_config().limit(u64::MAX).reader(), &mut file)?;
    file.sync_all()?;
    std::fs::rename(&partial, &args.out)?;
    println!("snapshot of {records} records written to {} ({bytes} bytes)", args.out.display());
    Ok(ExitCode::SUCCESS)
}

/// Restores a snapshot into a new data directory.
pub fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    let file = std::fs::File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
    let info = Engine::restore(BufReader::new(file), &config)?;
    println!(
        "restored {} records ({} entries) into {}; the index is rebuilt on the next start",
        info.records,
        info.entries,
        config.storage.data_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Rebuilds the index of a data directory from its records (the server must be stopped).
pub fn reindex(args: ReindexArgs) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    let dir = config.storage.data_dir.clone();
    let engine = Engine::open(config)
        .with_context(|| format!("opening {} (is a server running on it? stop it first)", dir.display()))?;
    let started = std::time::Instant::now();
    let n = engine.rebuild_index()?;
    println!("reindexed {n} records in {:.1} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}
