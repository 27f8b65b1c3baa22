//! Layered configuration: built-in defaults → file → `LANTAI__SECTION__KEY` environment
//! variables. Flags are applied by the caller on top.

use std::path::{Path, PathBuf};

use lantai_index::IndexSettings;
use lantai_model::{Access, Classification, RecordDefaults};
use serde::{Deserialize, Serialize};

/// The shipped defaults, documented key by key.
pub const DEFAULT_CONFIG: &str = include_str!("../../../config/default.toml");

/// A configuration that cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(String);

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[server]`
    pub server: ServerConfig,
    /// `[storage]`
    pub storage: StorageConfig,
    /// `[records]`
    pub records: RecordsConfig,
    /// `[text]`
    pub text: TextConfig,
    /// `[search]`
    pub search: SearchConfig,
    /// `[index]`
    pub index: IndexConfig,
    /// `[limits]`
    pub limits: LimitsConfig,
    /// `[quality]`
    pub quality: QualityConfig,
    /// `[log]`
    pub log: LogConfig,
    /// `[ranking]`: learning from usage.
    pub ranking: lantai_rank::RankParams,
    /// `[files]`: ingesting archive files.
    pub files: FilesConfig,
}

/// `[files]`: how archive files become records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesConfig {
    /// Spreadsheets and data CSVs: `rows` (a record per row under a header) or `sheet`.
    pub sheets: lantai_extract::SheetMode,
    /// The `pdftotext` program for PDFs whose fonts have no Unicode map; empty: no fallback.
    pub pdftotext: String,
}

/// `[log]`: what the server logs and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter, e.g. `info,tantivy=warn` (`LANTAI_LOG` overrides it).
    pub level: String,
    /// `text` for people, `json` for log collectors.
    pub format: LogFormat,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `[quality]`: service-quality reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityConfig {
    /// Groups with fewer respondents (or searches) are reported as suppressed, so no individual
    /// can be identified.
    pub min_group_size: usize,
}

/// `[limits]`: what one caller may ask of the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Sustained requests per second per key.
    pub requests_per_second: u32,
    /// Requests a key may send at once above the sustained rate.
    pub burst: u32,
    /// Records in one batch.
    pub max_batch_records: usize,
    /// Bytes of one record in a batch.
    pub max_record_bytes: usize,
    /// Deepest result reachable by paging (offset + limit).
    pub max_page_depth: usize,
    /// Quoted phrases and exclusions in one query.
    pub max_query_clauses: usize,
}

/// `[server]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Listen address.
    pub bind: String,
    /// Worker threads (0: one per core).
    pub workers: usize,
    /// Largest request body, MiB.
    pub body_limit_mb: usize,
    /// Load the demo archive into an empty data directory.
    pub load_demo_on_first_start: bool,
}

/// `[storage]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// Data directory.
    pub data_dir: PathBuf,
    /// sled cache, MiB.
    pub cache_mb: u64,
}

/// `[records]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordsConfig {
    /// 密级 when absent.
    pub default_classification: Classification,
    /// 开放标识 when absent.
    pub default_access: Access,
}

impl RecordsConfig {
    /// As the model's defaults.
    pub fn defaults(&self) -> RecordDefaults {
        RecordDefaults { classification: self.default_classification, access: self.default_access }
    }
}

/// `[text]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextConfig {
    /// User dictionary path; empty for none.
    pub user_dictionary: String,
}

/// `[search]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Page size when not given.
    pub default_limit: usize,
    /// Largest page.
    pub max_limit: usize,
    /// Longest query, characters.
    pub max_query_chars: usize,
}

/// `[index]` (with `[index.weights]`).
pub type IndexConfig = IndexSettings;

impl Config {
    /// Loads the defaults, then `file` (if any), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Self::load_with_env(file, std::env::vars())
    }

    /// As [`Config::load`], with the environment given (for tests).
    pub fn load_with_env(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut builder =
            config::Config::builder().add_source(config::File::from_str(DEFAULT_CONFIG, config::FileFormat::Toml));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError(format!("{}: no such file", path.display())));
            }
            builder = builder.add_source(config::File::from(path).format(config::FileFormat::Toml));
        }
        let env: std::collections::HashMap<String, String> =
            env.into_iter().filter(|(k, _)| k.starts_with("LANTAI__")).collect();
        builder = builder.add_source(
            config::Environment::with_prefix("LANTAI")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                .source(Some(env)),
        );
        let raw = builder.build().map_err(|e| ConfigError(e.to_string()))?;
        raw.try_deserialize().map_err(|e| ConfigError(e.to_string()))
    }

    /// The built-in defaults alone.
    pub fn defaults() -> Config {
        Self::load_with_env(None, std::iter::empty()).expect("the shipped default.toml is valid")
    }

    /// The user dictionary path, if one is configured.
    pub fn user_dictionary(&self) -> Option<PathBuf> {
        let p = self.text.user_dictionary.trim();
        (!p.is_empty()).then(|| PathBuf::from(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_defaults_parse() {
        let c = Config::defaults();
        assert_eq!(c.server.bind, "127.0.0.1:8080");
        assert_eq!(c.records.default_classification, Classification::Internal);
        assert!(c.index.weights.title > c.index.weights.keywords);
    }

    #[test]
    fn environment_overrides_and_unknown_keys_are_named() {
        let c = Config::load_with_env(None, [("LANTAI__SERVER__BIND".to_string(), "127.0.0.1:9".to_string())]).unwrap();
        assert_eq!(c.server.bind, "127.0.0.1:9");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "[server]\nbnd = 1\n").unwrap();
        let e = Config::load_with_env(Some(&path), std::iter::empty()).unwrap_err();
        assert!(e.to_string().contains("bnd"), "{e}");
    }
}
