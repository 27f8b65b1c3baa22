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
    /// Ask this running server to rebuild in the background (the old index serves meanwhile)
    /// and wait for it, instead of rebuilding a stopped data directory.
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// An admin key (with --server).
    #[arg(long, env = "LANTAI_KEY", hide_env_values = true)]
    key: Option<String>,
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

/// Rebuilds the index of a data directory from its records: through a running server (in the
/// background, while it serves), or in a stopped data directory.
pub fn reindex(args: ReindexArgs) -> anyhow::Result<ExitCode> {
    if let Some(server) = &args.server {
        let key = args.key.as_deref().context("--server needs --key (or LANTAI_KEY), an admin key")?;
        return reindex_running(server, key);
    }
    let config = args.config.load()?;
    let dir = config.storage.data_dir.clone();
    let engine = Engine::open(config)
        .with_context(|| format!("opening {} (is a server running on it? stop it first)", dir.display()))?;
    let started = std::time::Instant::now();
    let n = engine.rebuild_index()?;
    println!("reindexed {n} records in {:.1} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// `POST /v1/admin/reindex`, then polls `GET /v1/admin/reindex` until the rebuild is done.
fn reindex_running(server: &str, key: &str) -> anyhow::Result<ExitCode> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let url = format!("{}/v1/admin/reindex", server.trim_end_matches('/'));
    let auth = format!("Bearer {key}");
    let started = std::time::Instant::now();
    let mut response =
        agent.post(&url).header("Authorization", &auth).send_empty().with_context(|| format!("requesting {url}"))?;
    if !response.status().is_success() {
        bail!("server answered {}: {}", response.status(), response.body_mut().read_to_string().unwrap_or_default());
    }
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let mut response =
            agent.get(&url).header("Authorization", &auth).call().with_context(|| format!("polling {url}"))?;
        let status: serde_json::Value = response.body_mut().read_json()?;
        match status["state"].as_str() {
            Some("running") => continue,
            Some("idle") => {
                println!(
                    "reindexed {} records in {:.1} s (the server kept serving)",
                    status["records"],
                    started.elapsed().as_secs_f64()
                );
                return Ok(ExitCode::SUCCESS);
            }
            _ => bail!("the rebuild failed: {}", status["error"]),
        }
    }
}
