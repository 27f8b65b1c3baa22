//! The user dictionary and synonyms managed through the API, and rebuilding the index in the
//! background when segmentation changes, while the old index keeps serving.
//!
//! Which index directory is in use, and with which dictionary version it was built, is in
//! `index.current` in the data directory, replaced atomically when a rebuild is swapped in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use lantai_index::ArchiveIndex;
use lantai_store::Store;
use lantai_text::{parse_dictionary, Analysis, AnalysisOptions, DictEntry, LineError, Synonyms};
use serde::{Deserialize, Serialize};
use tracing::{error, info, warn};

use crate::clock::{now, now_rfc3339};
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::Config;

const POINTER_FILE: &str = "index.current";
const USER: &str = "user";
const SYNONYMS: &str = "synonyms";
/// Lines in one dictionary.
const MAX_ENTRIES: usize = 100_000;

/// Which index directory is in use and the dictionary version it was built with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Pointer {
    dir: String,
    dictionary_version: u64,
}

/// One version of a managed dictionary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DictionaryVersion {
    /// 0 before the first change, then 1, 2, …
    pub version: u64,
    /// One entry per line (`word [freq] [tag]`, or a synonym group `词,词,…`), folded.
    pub entries: Vec<String>,
    /// When it was stored (RFC 3339; empty for version 0).
    pub updated_at: String,
    /// Who stored it.
    pub updated_by: String,
}

/// The state of the background rebuild.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReindexState {
    /// None running.
    #[default]
    Idle,
    /// Building a new index; the old one serves meanwhile.
    Running,
    /// The last rebuild failed (the old index still serves).
    Failed,
}

/// The background rebuild, as reported to admins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReindexStatus {
    /// Idle, running or failed.
    pub state: ReindexState,
    /// Dictionary version of the index in use.
    pub serving_dictionary_version: u64,
    /// When the last (or current) rebuild started.
    pub started_at: Option<String>,
    /// When the last one finished.
    pub finished_at: Option<String>,
    /// Records the last one indexed.
    pub records: u64,
    /// Why the last one failed.
    pub error: Option<String>,
    /// A change arrived during the rebuild: another follows it.
    #[serde(skip)]
    pub(crate) again: bool,
}

/// A dictionary and the state of the index built from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DictionaryView {
    /// `user` or `synonyms`.
    pub name: &'static str,
    /// The stored version.
    #[serde(flatten)]
    pub current: DictionaryVersion,
    /// The background rebuild.
    pub reindex: ReindexStatus,
}

/// What a dictionary change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DictionaryChange {
    /// The new version.
    pub version: u64,
    /// Entries in it.
    pub entries: usize,
    /// Words new or changed in this version.
    pub added: Vec<String>,
    /// Words gone.
    pub removed: Vec<String>,
    /// Records containing any added or removed word (their segmentation or matching changes).
    pub affected_records: usize,
    /// The rebuild this change started (user dictionary) — synonyms apply at once.
    pub reindex: Option<ReindexStatus>,
}

/// How a text is read with the dictionaries in use (`GET /v1/analyze`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Analyzed {
    /// The text as given.
    pub text: String,
    /// Folded: full-width → half-width, lower case, traditional → simplified.
    pub normalized: String,
    /// Words as a query reads them (jieba default mode).
    pub query_words: Vec<String>,
    /// The ones searched for (stop words dropped).
    pub content_words: Vec<String>,
    /// Words as the index stores them (search mode: the parts of long words too).
    pub index_words: Vec<String>,
    /// Synonyms a query would also search, per word.
    pub synonyms: BTreeMap<String, Vec<String>>,
    /// Version of the user dictionary of the index in use.
    pub dictionary_version: u64,
}

fn stored(store: &Store, name: &str) -> Result<DictionaryVersion> {
    Ok(store.dictionaries.get(name)?.unwrap_or_default())
}

fn entries_of(d: &DictionaryVersion) -> Vec<DictEntry> {
    // Stored entries were validated when put; a line that no longer parses is skipped.
    parse_dictionary(&d.entries.join("\n")).unwrap_or_default()
}

fn synonyms_of(d: &DictionaryVersion) -> Synonyms {
    Synonyms::parse(&d.entries.join("\n")).unwrap_or_default()
}

fn analysis_for(config: &Config, user: &DictionaryVersion) -> Result<Analysis> {
    Ok(Analysis::new(&AnalysisOptions { user_dictionary: config.user_dictionary(), words: entries_of(user) })?)
}

fn read_pointer(data_dir: &Path) -> Pointer {
    std::fs::read(data_dir.join(POINTER_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Pointer { dir: "index".into(), dictionary_version: 0 })
}

/// Records which index directory is in use (write, fsync, rename: never half-written).
pub(crate) fn write_pointer(data_dir: &Path, dir: &str, dictionary_version: u64) -> Result<()> {
    let pointer = Pointer { dir: dir.to_string(), dictionary_version };
    let tmp = data_dir.join(format!("{POINTER_FILE}.tmp"));
    let bytes = serde_json::to_vec(&pointer).expect("pointers serialise");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, data_dir.join(POINTER_FILE))?;
    if let Ok(d) = std::fs::File::open(data_dir) {
        d.sync_all().ok();
    }
    Ok(())
}

/// Removes the index directories of `data_dir` other than `keep`.
pub(crate) fn remove_stale_indexes(data_dir: &Path, keep: &str) {
    for stale in stale_index_dirs(data_dir, keep) {
        info!(dir = %stale.display(), "removing an index directory no longer in use");
        std::fs::remove_dir_all(&stale).ok();
    }
}

/// The index directory names in `data_dir` other than `keep`.
fn stale_index_dirs(data_dir: &Path, keep: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(data_dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name == "index" || name.starts_with("index-")) && name != keep
                })
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// An index opened at start-up.
pub(crate) struct OpenedIndex {
    pub index: ArchiveIndex,
    /// The dictionary version to build it with, when it must be (re)built from the store.
    pub rebuild: Option<u64>,
    /// The dictionary version it serves.
    pub dictionary_version: u64,
}

/// Opens the index the pointer names, or a new empty one when it was built with another user
/// dictionary; removes index directories left over from interrupted rebuilds.
pub(crate) fn open_index(config: &Config, store: &Store) -> Result<OpenedIndex> {
    let data_dir = &config.storage.data_dir;
    let user = stored(store, USER)?;
    let analysis = analysis_for(config, &user)?;
    let pointer = read_pointer(data_dir);
    let (dir, rebuild) = if pointer.dictionary_version == user.version {
        (pointer.dir.clone(), None)
    } else {
        warn!(
            built_with = pointer.dictionary_version,
            current = user.version,
            "index built with another user dictionary; rebuilding it"
        );
        (format!("index-{}-{}", user.version, now().1), Some(user.version))
    };
    remove_stale_indexes(data_dir, if rebuild.is_some() { &pointer.dir } else { &dir });
    let index = ArchiveIndex::open(&data_dir.join(&dir), analysis, config.index.clone())?;
    index.set_synonyms(Arc::new(synonyms_of(&stored(store, SYNONYMS)?)));
    Ok(OpenedIndex { index, rebuild, dictionary_version: user.version })
}

/// What a rebuild did.
pub(crate) struct RebuildReport {
    pub records: u64,
}

impl Engine {
    /// Builds a new index from the store with the current dictionaries, in a new directory,
    /// while the old index serves; then catches it up under the write lock and swaps it in.
    pub(crate) fn rebuild_in_new_directory(&self) -> Result<RebuildReport> {
        let config = self.config();
        let data_dir = &config.storage.data_dir;
        let user = stored(self.store(), USER)?;
        let name = format!("index-{}-{}", user.version, now().1);
        let index = ArchiveIndex::open(&data_dir.join(&name), analysis_for(config, &user)?, config.index.clone())?;
        let records = self.fill(&index)?;
        let old = {
            let _guard = self.lock();
            self.catch_up_index(&index)?;
            index.set_synonyms(Arc::new(synonyms_of(&stored(self.store(), SYNONYMS)?)));
            write_pointer(data_dir, &name, user.version)?;
            self.set_dictionary_version(user.version);
            self.swap_index(Arc::new(index))
        };
        // Searches still holding the old index finish on it; its files go once nobody does
        // (or at the next start).
        let old_dir = old.dir().to_path_buf();
        if old_dir != data_dir.join(&name) && Arc::try_unwrap(old).is_ok() {
            std::fs::remove_dir_all(&old_dir).ok();
        }
        info!(records, dictionary_version = user.version, dir = %name, "rebuilt index swapped in");
        Ok(RebuildReport { records })
    }

    /// Starts a background rebuild (or, if one is running, asks for another after it).
    pub fn start_reindex(self: &Arc<Self>) -> ReindexStatus {
        let mut status = self.reindex.lock().unwrap_or_else(|p| p.into_inner());
        if status.state == ReindexState::Running {
            status.again = true;
            return status.clone();
        }
        status.state = ReindexState::Running;
        status.started_at = Some(now_rfc3339());
        status.finished_at = None;
        status.error = None;
        status.again = false;
        let shared = self.reindex.clone();
        let mut engine = Some(self.clone());
        std::thread::Builder::new()
            .name("lantai-reindex".into())
            .spawn(move || loop {
                let result = engine.as_ref().expect("held while rebuilding").rebuild_in_new_directory();
                let mut status = shared.lock().unwrap_or_else(|p| p.into_inner());
                match result {
                    Ok(report) => {
                        status.records = report.records;
                        if status.again {
                            status.again = false;
                            status.started_at = Some(now_rfc3339());
                            continue;
                        }
                        status.state = ReindexState::Idle;
                    }
                    Err(e) => {
                        error!(error = %e, "background reindex failed; the old index keeps serving");
                        status.state = ReindexState::Failed;
                        status.error = Some(e.to_string());
                    }
                }
                // Let go of the engine before anyone can see "idle", so whoever waits for it
                // may close the engine at once.
                drop(engine.take());
                status.finished_at = Some(now_rfc3339());
                break;
            })
            .expect("a thread can be started");
        status.clone()
    }

    /// The background rebuild's state.
    pub fn reindex_status(&self) -> ReindexStatus {
        let mut status = self.reindex.lock().unwrap_or_else(|p| p.into_inner()).clone();
        status.serving_dictionary_version = self.dictionary_version();
        status
    }

    /// A managed dictionary: `user` or `synonyms`.
    pub fn dictionary(&self, name: &str) -> Result<DictionaryView> {
        let name = match name {
            USER => USER,
            SYNONYMS => SYNONYMS,
            other => return Err(EngineError::NotFound(format!("dictionary {other}"))),
        };
        Ok(DictionaryView { name, current: stored(self.store(), name)?, reindex: self.reindex_status() })
    }

    /// Replaces the user dictionary (`word [freq] [tag]` per line), keeps the old version, and
    /// starts rebuilding the index with it in the background.
    pub fn put_user_dictionary(self: &Arc<Self>, text: &str, by: &str) -> Result<DictionaryChange> {
        let entries = parse_dictionary(text).map_err(line_errors)?;
        too_many(entries.len())?;
        let old: BTreeSet<String> = entries_of(&stored(self.store(), USER)?).iter().map(DictEntry::to_line).collect();
        let new: BTreeSet<String> = entries.iter().map(DictEntry::to_line).collect();
        let word = |line: &String| line.split_whitespace().next().unwrap_or_default().to_string();
        let added: Vec<String> = new.difference(&old).map(word).collect();
        let new_words: BTreeSet<String> = new.iter().map(word).collect();
        let removed: Vec<String> = old.iter().map(word).filter(|w| !new_words.contains(w)).collect();
        let lines = entries.iter().map(DictEntry::to_line).collect();
        let version = self.store_dictionary(USER, lines, by)?;
        let affected = self.index().count_containing(&[added.clone(), removed.clone()].concat())?;
        info!(version, added = added.len(), removed = removed.len(), affected, "user dictionary changed");
        Ok(DictionaryChange {
            version,
            entries: entries.len(),
            added,
            removed,
            affected_records: affected,
            reindex: Some(self.start_reindex()),
        })
    }

    /// Replaces the synonym groups (one per line); they apply to the next query.
    pub fn put_synonyms(&self, text: &str, by: &str) -> Result<DictionaryChange> {
        let synonyms = Synonyms::parse(text).map_err(line_errors)?;
        too_many(synonyms.groups().len())?;
        let _guard = self.lock();
        let line = |g: &Vec<String>| g.join(",");
        let old: BTreeSet<String> = synonyms_of(&stored(self.store(), SYNONYMS)?).groups().iter().map(line).collect();
        let new: BTreeSet<String> = synonyms.groups().iter().map(line).collect();
        let words = |lines: Vec<&String>| -> BTreeSet<String> {
            lines.into_iter().flat_map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>()).collect()
        };
        let added_words = words(new.difference(&old).collect());
        let removed_words = words(old.difference(&new).collect());
        let added: Vec<String> = added_words.difference(&removed_words).cloned().collect();
        let removed: Vec<String> = removed_words.difference(&added_words).cloned().collect();
        let touched: Vec<String> = added_words.union(&removed_words).cloned().collect();
        let lines = synonyms.groups().iter().map(line).collect();
        let version = self.store_dictionary(SYNONYMS, lines, by)?;
        let index = self.index();
        index.set_synonyms(Arc::new(synonyms));
        let affected = index.count_containing(&touched)?;
        info!(version, groups = new.len(), affected, "synonyms changed");
        Ok(DictionaryChange { version, entries: new.len(), added, removed, affected_records: affected, reindex: None })
    }

    fn store_dictionary(&self, name: &str, entries: Vec<String>, by: &str) -> Result<u64> {
        let version = stored(self.store(), name)?.version + 1;
        let d = DictionaryVersion { version, entries, updated_at: now_rfc3339(), updated_by: by.to_string() };
        self.store().dictionaries.put(&format!("{name}@{version:08}"), &d)?;
        self.store().dictionaries.put(name, &d)?;
        self.store().flush()?;
        Ok(version)
    }

    /// How `text` is normalised and segmented with the dictionaries in use.
    pub fn analyze(&self, text: &str) -> Analyzed {
        let index = self.index();
        let analysis = index.analysis();
        let words = |toks: Vec<lantai_text::Tok>| toks.into_iter().map(|t| t.text).collect::<Vec<_>>();
        let content_words = words(analysis.content_words(text));
        let synonyms = index.synonyms();
        let synonyms = content_words
            .iter()
            .filter_map(|w| {
                let s: Vec<String> = synonyms.of(w).map(str::to_string).collect();
                (!s.is_empty()).then(|| (w.clone(), s))
            })
            .collect();
        Analyzed {
            text: text.to_string(),
            normalized: lantai_text::normalize(text),
            query_words: words(analysis.query_words(text)),
            content_words,
            index_words: words(analysis.index_words(text)),
            synonyms,
            dictionary_version: self.dictionary_version(),
        }
    }
}

fn line_errors(errors: Vec<LineError>) -> EngineError {
    EngineError::Validation(errors.into_iter().map(|e| (format!("line {}", e.line), e.reason)).collect())
}

fn too_many(n: usize) -> Result<()> {
    if n > MAX_ENTRIES {
        return Err(EngineError::Validation(vec![("entries".into(), format!("{n} entries; at most {MAX_ENTRIES}"))]));
    }
    Ok(())
}
