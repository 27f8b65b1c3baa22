//! `lantai serve`.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use lantai_engine::{AdminKey, BatchFormat, Engine};
use lantai_server::AppState;
use tracing::info;

use crate::ConfigArgs;

/// The demo archive, built into the binary so a fresh machine needs nothing else.
const DEMO_ARCHIVE: &str = include_str!("../../../fixtures/demo-archive.jsonl");

#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Listen address (overrides `server.bind`), e.g. 127.0.0.1:8080; port 0 picks a free port.
    #[arg(long, value_name = "ADDR")]
    bind: Option<String>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = args.config.load()?;
    if let Some(bind) = args.bind {
        config.server.bind = bind;
    }
    crate::init_tracing(&config.log);
    let load_demo = config.server.load_demo_on_first_start;
    let bind = config.server.bind.clone();
    let engine = Arc::new(Engine::open(config).context("opening the data directory")?);
    let env_key = std::env::var("LANTAI_ADMIN_KEY").ok();
    match engine.ensure_admin_key(env_key.as_deref())? {
        AdminKey::FromEnvironment => info!("admin key taken from LANTAI_ADMIN_KEY"),
        AdminKey::Generated(path) => info!(path = %path.display(), "generated an admin key; read it from this file"),
        AdminKey::Existing(path) => info!(path = %path.display(), "admin key file"),
    }
    if load_demo {
        if let Some(report) = engine.load_if_empty(DEMO_ARCHIVE.as_bytes(), BatchFormat::Ndjson)? {
            info!(
                accepted = report.accepted,
                rejected = report.rejected.len(),
                "loaded the demo archive into an empty data directory"
            );
        }
    }
    let listener = TcpListener::bind(&bind).with_context(|| format!("binding {bind}"))?;
    let addr = listener.local_addr()?;
    let stats = engine.stats()?;
    info!(%addr, data_dir = %engine.data_dir().display(), records = stats.records, "lantai listening");
    // A line on stdout that scripts and tests can wait for.
    println!("lantai listening on http://{addr}");
    let state = AppState::new(engine.clone());
    actix_web::rt::System::new().block_on(async move {
        let server = lantai_server::spawn(listener, state)?;
        server.await
    })?;
    engine.flush()?;
    info!("lantai stopped cleanly");
    Ok(ExitCode::SUCCESS)
}
