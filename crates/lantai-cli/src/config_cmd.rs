//! `lantai config show`: the effective configuration after every layer.

use std::process::ExitCode;

use crate::ConfigArgs;

#[derive(clap::Args)]
pub struct ConfigCmd {
    #[command(subcommand)]
    command: ConfigSub,
}

#[derive(clap::Subcommand)]
enum ConfigSub {
    /// Print the effective configuration (defaults → --config file → LANTAI__… variables → flags)
    /// as TOML. It holds no secrets: the admin key lives in LANTAI_ADMIN_KEY or admin.key.
    Show {
        #[command(flatten)]
        config: ConfigArgs,
    },
}

pub fn run(cmd: ConfigCmd) -> anyhow::Result<ExitCode> {
    match cmd.command {
        ConfigSub::Show { config } => {
            let config = config.load()?;
            print!("{}", toml::to_string_pretty(&config)?);
            if std::env::var_os("LANTAI_ADMIN_KEY").is_some() {
                println!("\n# LANTAI_ADMIN_KEY is set (value redacted)");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
