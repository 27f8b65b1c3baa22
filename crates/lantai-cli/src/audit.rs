//! `lantai audit`: export the audit trail (利用登记) as CSV and verify its hash chain, offline
//! (the data directory must not be open in a running server: use a stopped one or a copy).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use lantai_engine::{AuditFilter, Engine, Period};

use crate::ConfigArgs;

#[derive(clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(clap::Subcommand)]
enum AuditCommand {
    /// Write every entry as CSV (to standard output, or --out FILE).
    Export {
        #[command(flatten)]
        config: ConfigArgs,
        /// Output file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check the hash chain: exit 0 when intact, 1 naming the first broken entry.
    Verify {
        #[command(flatten)]
        config: ConfigArgs,
    },
}

fn open(config: &ConfigArgs) -> anyhow::Result<Engine> {
    let config = config.load()?;
    let dir = config.storage.data_dir.clone();
    Engine::open(config)
        .with_context(|| format!("opening {} (is a server running on it? stop it, or work on a copy)", dir.display()))
}

pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        AuditCommand::Export { config, out } => {
            let engine = open(&config)?;
            let filter = AuditFilter {
                period: Period::default(),
                principal: None,
                record: None,
                action: None,
                limit: usize::MAX,
            };
            let entries = engine.audit_entries(&filter)?;
            let sink: Box<dyn Write> = match &out {
                Some(path) => {
                    Box::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?)
                }
                None => Box::new(std::io::stdout().lock()),
            };
            let mut w = csv::Writer::from_writer(sink);
            w.write_record([
                "seq",
                "at",
                "key_id",
                "principal",
                "role",
                "action",
                "target",
                "purpose",
                "remote",
                "outcome",
                "detail",
                "prev",
                "hash",
            ])?;
            for e in &entries {
                let ev = &e.event;
                w.write_record([
                    e.seq.to_string().as_str(),
                    &ev.at,
                    &ev.key_id,
                    &ev.principal,
                    &ev.role,
                    &ev.action,
                    &ev.target,
                    ev.purpose.as_deref().unwrap_or(""),
                    &ev.remote,
                    &ev.outcome,
                    ev.detail.as_deref().unwrap_or(""),
                    &e.prev,
                    &e.hash,
                ])?;
            }
            w.flush()?;
            if out.is_some() {
                eprintln!("exported {} audit entries", entries.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify { config } => {
            let engine = open(&config)?;
            match engine.verify_audit()? {
                Ok(n) => {
                    println!("audit trail intact: {n} entries");
                    Ok(ExitCode::SUCCESS)
                }
                Err(broken) => {
                    println!("audit trail TAMPERED: {broken}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
