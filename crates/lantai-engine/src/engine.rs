//! The engine: a store, an index over it, and the rules that keep them in step.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Instant;

use lantai_index::{highlight, known_by, ArchiveIndex, IndexHit, SearchRequest, Visibility};
use lantai_model::{Principal, Record, UnknownFields};
use lantai_rank::{rerank, Candidate, Features, QueryContext};
use lantai_store::{AuditEntry, AuditEvent, KeyEntry, Op, Store};
use lantai_text::Analysis;
use serde::Serialize;
use tracing::{error, info, warn};

use crate::batch::{parse_batch, BatchFormat, BatchItem, BatchReport, Rejection, Superseded};
use crate::clock::{now, now_rfc3339};
use crate::error::{EngineError, Result};
use crate::keys::{self, AdminKey, IssuedKey, KeyView, ADMIN_KEY_FILE, ADMIN_KEY_ID};
use crate::ranking::{query_key, Ranking};
use crate::search::{CategoryWeight, FacetCounts, Hit, Intent, SearchParams, SearchResponse};
use crate::search::{Explain, ExplainWeights};
use crate::Config;

/// How often the upkeep thread looks at the index.
const UPKEEP_TICK: std::time::Duration = std::time::Duration::from_millis(500);

/// Changes replayed per index commit while catching up (bounds memory on a large backlog).
const CATCH_UP_CHUNK: usize = 10_000;

/// Counts for health and readiness.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Records in the store.
    pub records: usize,
    /// Documents in the index.
    pub indexed: u64,
    /// Last change-log sequence written.
    pub last_seq: u64,
    /// Last sequence the index has applied.
    pub index_seq: u64,
    /// Index segments.
    pub segments: usize,
    /// Bytes of the index directory.
    pub index_bytes: u64,
    /// Bytes of the sled store on disk.
    pub store_bytes: u64,
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_bytes(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Lantai's core, shared by the HTTP server and the CLI.
pub struct Engine {
    config: Config,
    store: Store,
    /// The index searches use; replaced whole when a rebuild (new dictionary) finishes.
    index: RwLock<Arc<ArchiveIndex>>,
    /// The user-dictionary version that index was built with.
    dictionary_version: AtomicU64,
    /// Serialises writers so sequence numbers reach the index in order.
    write_lock: Mutex<()>,
    /// What usage has taught.
    pub(crate) ranking: Ranking,
    /// The background rebuild, if any.
    pub(crate) reindex: Arc<Mutex<crate::dictionaries::ReindexStatus>>,
}

impl Engine {
    /// Opens the data directory named by the configuration and catches the index up.
    pub fn open(config: Config) -> Result<Engine> {
        let dir = config.storage.data_dir.clone();
        std::fs::create_dir_all(&dir)?;
        let store = Store::open(&dir.join("store"), config.storage.cache_mb << 20)?;
        let opened = crate::dictionaries::open_index(&config, &store)?;
        let engine = Engine {
            config,
            store,
            index: RwLock::new(Arc::new(opened.index)),
            dictionary_version: AtomicU64::new(opened.dictionary_version),
            write_lock: Mutex::new(()),
            ranking: Ranking::default(),
            reindex: Default::default(),
        };
        if let Some(dictionary_version) = opened.rebuild {
            // The index was built with another user dictionary: build it again here.
            let index = engine.index();
            engine.fill(&index)?;
            let data_dir = &engine.config.storage.data_dir;
            crate::dictionaries::write_pointer(data_dir, &index_dir_name(&index), dictionary_version)?;
            crate::dictionaries::remove_stale_indexes(data_dir, &index_dir_name(&index));
        }
        engine.catch_up()?;
        engine.open_ranking()?;
        Ok(engine)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The store (for the engine's other modules).
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The shared analysis (segmenter).
    pub fn analysis(&self) -> Analysis {
        self.index().analysis().clone()
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, ()> {
        self.write_lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replays into the index every change it has not applied yet. Idempotent.
    pub fn catch_up(&self) -> Result<u64> {
        let _guard = self.lock();
        self.catch_up_locked()
    }

    fn catch_up_locked(&self) -> Result<u64> {
        self.catch_up_index(&self.index())
    }

    /// The index in use (searches hold their own handle, so a swap never cuts one short).
    pub(crate) fn index(&self) -> Arc<ArchiveIndex> {
        self.index.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The user-dictionary version of the index in use.
    pub(crate) fn dictionary_version(&self) -> u64 {
        self.dictionary_version.load(Ordering::SeqCst)
    }

    pub(crate) fn set_dictionary_version(&self, v: u64) {
        self.dictionary_version.store(v, Ordering::SeqCst);
    }

    /// Puts `index` in use.
    pub(crate) fn swap_index(&self, index: Arc<ArchiveIndex>) -> Arc<ArchiveIndex> {
        std::mem::replace(&mut *self.index.write().unwrap_or_else(|p| p.into_inner()), index)
    }

    /// Replays into `index` every change it has not applied yet (the write lock is held).
    pub(crate) fn catch_up_index(&self, index: &ArchiveIndex) -> Result<u64> {
        let last = self.store.last_seq()?;
        let mut applied = index.applied_seq()?;
        if applied > last {
            warn!(applied, last, "index is ahead of the store; rebuilding it from the store");
            index.clear()?;
            applied = 0;
        }
        if applied == last {
            return Ok(0);
        }
        let started = Instant::now();
        let mut replayed = 0u64;
        let mut pending: Vec<String> = Vec::new();
        let mut pending_seq = applied;
        let mut changes = self.store.changes_since(applied).peekable();
        while let Some(change) = changes.next() {
            let change = change?;
            pending_seq = change.seq;
            pending.push(change.id);
            if pending.len() >= CATCH_UP_CHUNK || changes.peek().is_none() {
                replayed += pending.len() as u64;
                self.replay_into(index, std::mem::take(&mut pending), pending_seq)?;
            }
        }
        if pending_seq < last {
            // The log ended early (entries compacted): the applied mark still moves to `last`.
            self.replay_into(index, Vec::new(), last)?;
        }
        info!(
            replayed,
            from = applied,
            to = last,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "index caught up"
        );
        Ok(replayed)
    }

    /// Re-indexes `ids` from the store's current state (absent ids are removed).
    fn replay(&self, ids: Vec<String>, seq: u64) -> Result<()> {
        self.replay_into(&self.index(), ids, seq)
    }

    fn replay_into(&self, index: &ArchiveIndex, mut ids: Vec<String>, seq: u64) -> Result<()> {
        ids.sort();
        ids.dedup();
        let records: Vec<(String, Option<Record>)> =
            ids.into_iter().map(|id| self.store.get(&id).map(|r| (id, r))).collect::<Result<_, _>>()?;
        index.apply(records.iter().map(|(id, r)| (id.as_str(), r.as_ref())), seq)?;
        Ok(())
    }

    /// Ingests a batch body. Good records are written and durable when this returns; bad ones
    /// are reported with their line and reason.
    pub fn ingest(&self, body: &[u8], format: BatchFormat) -> Result<BatchReport> {
        let items = parse_batch(body, format)?;
        self.ingest_items(items)
    }

    /// Ingests already-split items (the CLI splits large files itself).
    pub fn ingest_items(&self, items: Vec<BatchItem>) -> Result<BatchReport> {
        let limits = &self.config.limits;
        if items.len() > limits.max_batch_records {
            return Err(EngineError::BatchTooLarge(format!(
                "{} records in one batch; at most {} (split the file)",
                items.len(),
                limits.max_batch_records
            )));
        }
        let batch_id = uuid::Uuid::new_v4().to_string();
        let defaults = self.config.records.defaults();
        let mut rejected = Vec::new();
        let mut admitted: Vec<(usize, Record)> = Vec::with_capacity(items.len());
        for item in items {
            let unknown = if item.lenient_fields { UnknownFields::IntoExtra } else { UnknownFields::Reject };
            if item.bytes > limits.max_record_bytes {
                rejected.push(Rejection {
                    line: item.line,
                    id: None,
                    code: "record_too_large".into(),
                    message: format!("{} bytes; a record may hold at most {}", item.bytes, limits.max_record_bytes),
                });
                continue;
            }
            match item.fields {
                Err((code, message)) => {
                    rejected.push(Rejection { line: item.line, id: None, code: code.to_string(), message })
                }
                Ok(map) => {
                    let id = map.get("id").and_then(|v| v.as_str()).map(str::to_string);
                    match Record::from_map(map, defaults, unknown) {
                        Ok(record) => admitted.push((item.line, record)),
                        Err(e) => rejected.push(Rejection {
                            line: item.line,
                            id,
                            code: e.code.to_string(),
                            message: e.message,
                        }),
                    }
                }
            }
        }
        // Last occurrence of an id wins; earlier ones are reported.
        let mut last_line: HashMap<&str, usize> = HashMap::new();
        for (line, r) in &admitted {
            last_line.insert(r.id.as_str(), *line);
        }
        let mut superseded = Vec::new();
        for (line, r) in &admitted {
            let kept_line = last_line[r.id.as_str()];
            if kept_line != *line {
                superseded.push(Superseded { line: *line, id: r.id.clone(), kept_line });
            }
        }
        let keep: Vec<Record> =
            admitted.iter().filter(|(line, r)| last_line[r.id.as_str()] == *line).map(|(_, r)| r.clone()).collect();
        drop(last_line);
        let accepted = keep.len();
        if accepted > 0 {
            self.write(keep.into_iter().map(|r| Op::Upsert(Box::new(r))).collect())?;
        }
        info!(batch = %batch_id, accepted, rejected = rejected.len(), superseded = superseded.len(), "batch committed");
        Ok(BatchReport { batch_id, accepted, rejected, superseded })
    }

    /// Writes to the store (durably), then to the index.
    fn write(&self, ops: Vec<Op>) -> Result<Vec<Option<lantai_store::Change>>> {
        let _guard = self.lock();
        // A previous index failure left a backlog: apply it first so sequences stay ordered.
        self.catch_up_locked()?;
        let changes = self.store.apply(ops)?;
        self.store.flush()?;
        let Some(seq) = changes.iter().flatten().map(|c| c.seq).max() else { return Ok(changes) };
        let ids: Vec<String> = changes.iter().flatten().map(|c| c.id.clone()).collect();
        // The write is durable now; an index failure is repaired by the next catch-up.
        if let Err(e) = self.replay(ids, seq) {
            error!(error = %e, seq, "index update failed after a durable write; will catch up");
        }
        Ok(changes)
    }

    /// Deletes a record; `false` when there was none.
    pub fn delete(&self, id: &str) -> Result<bool> {
        let changes = self.write(vec![Op::Delete(id.to_string())])?;
        Ok(changes.first().is_some_and(Option::is_some))
    }

    /// A record, if it exists and `principal` may see it.
    pub fn get(&self, id: &str, principal: &Principal) -> Result<Option<Record>> {
        Ok(self.store.get(id)?.filter(|r| principal.can_see(r)))
    }

    /// The content words of a query with their idf (empty when it cannot be read).
    pub(crate) fn index_query_terms(&self, q: &str) -> Vec<(String, f64)> {
        self.index().query_terms(q).unwrap_or_default()
    }

    /// Searches everything `principal` may see: text relevance, then (once there is usage)
    /// re-ranked with what usage taught.
    pub fn search(&self, params: &SearchParams, principal: &Principal) -> Result<SearchResponse> {
        let started = Instant::now();
        let visibility = Visibility::of(principal);
        let index = self.index();
        let rank = &self.config.ranking;
        let model = self.ranking.read();
        let learned = rank.enabled && !model.is_empty() && !params.q.trim().is_empty();
        let terms = if learned { index.query_terms(&params.q)? } else { Vec::new() };
        let key = query_key(&params.q);
        let ctx = QueryContext {
            query_key: &key,
            terms: &terms,
            department: &principal.department,
            user_group: &principal.user_group,
            now_ms: now().1,
        };
        let mut scorer = model.scorer(&ctx, rank);
        let inject = if learned { scorer.candidates() } else { Vec::new() };
        let rerank_here = learned || params.explain;
        let (limit, offset) = if rerank_here {
            (rank.rerank_depth.max(params.offset + params.limit), 0)
        } else {
            (params.limit, params.offset)
        };
        let found = index.search(&SearchRequest {
            query: &params.q,
            limit,
            offset,
            filters: &params.filters,
            visibility,
            inject: &inject,
        })?;
        // (hit, its explanation) in final order, for the page.
        let page: Vec<(IndexHit, Option<Explain>)> = if rerank_here {
            let cold = category_shares(
                found.hits.iter().take(10).map(|h| (h.category.as_deref().unwrap_or_default(), h.score)),
            );
            scorer.consider_ambiguity(&cold);
            let best_score = found.hits.first().map_or(1.0, |h| f64::from(h.score.max(f32::MIN_POSITIVE)));
            let best: Vec<(&str, f64)> =
                found.hits.iter().take(10).map(|h| (h.id.as_str(), f64::from(h.score) / best_score)).collect();
            scorer.consider_results(&best);
            let pinned = self.known_item_first(&found.hits, &params.q, principal)?;
            let depth = rank.rerank_depth.min(found.hits.len());
            let mut head: Vec<IndexHit> = found.hits[..depth].to_vec();
            for h in &found.injected {
                if !found.hits.iter().any(|f| f.id == h.id) {
                    head.push(h.clone());
                }
            }
            let candidates = head.iter().map(|h| Candidate {
                id: h.id.clone(),
                category: h.category.clone(),
                org_unit: h.org_unit.clone(),
                score: h.score,
            });
            let mut scored = rerank(candidates.collect(), &scorer);
            if let Some(id) = &pinned {
                if let Some(i) = scored.iter().position(|s| s.id == *id) {
                    let answer = scored.remove(i);
                    scored.insert(0, answer);
                }
            }
            let best = found.hits.first().map_or(1.0, |h| h.score.max(f32::MIN_POSITIVE));
            let weights = ExplainWeights {
                association: rank.association_weight,
                context: rank.context_weight,
                category: rank.category_weight,
                unit: rank.unit_weight,
                group: rank.group_weight,
                popularity: rank.popularity_weight,
            };
            let explain = |text_score: f32, features: Features, total: f64, pinned: bool| Explain {
                text_score,
                features,
                weights: weights.clone(),
                total: round4(total),
                pinned,
            };
            let tail = found.hits[depth..].iter().map(|h| {
                let relevance = f64::from(h.score) / f64::from(best);
                let features = Features { relevance, ..Features::default() };
                (h.clone(), explain(h.score, features, relevance, false))
            });
            scored
                .into_iter()
                .map(|s| {
                    let is_pinned = pinned.as_deref() == Some(s.id.as_str());
                    let hit = IndexHit { id: s.id, score: s.total as f32, category: s.category, org_unit: None };
                    (hit, explain(s.text_score, s.features, s.total, is_pinned))
                })
                .chain(tail)
                .skip(params.offset)
                .take(params.limit)
                .map(|(hit, e)| (hit, params.explain.then_some(e)))
                .collect()
        } else {
            found.hits.into_iter().map(|h| (h, None)).collect()
        };
        drop(model);
        let snippet_chars = self.config.index.snippet_chars;
        let mut hits = Vec::with_capacity(page.len());
        // The first two records, kept whole to decide whether the first is the answer.
        let mut records: Vec<Option<Record>> = Vec::with_capacity(2);
        for (hit, explain) in page {
            // The index is derived; trust the store (and check visibility once more).
            let Some(record) = self.store.get(&hit.id)?.filter(|r| principal.can_see(r)) else { continue };
            let snippet = best_snippet(&record, &found.plan.highlight, snippet_chars);
            let record_for_answer = if hits.len() < 2 { Some(record.clone()) } else { None };
            hits.push(Hit {
                id: record.id,
                score: hit.score,
                title: record.title,
                snippet,
                category: record.category,
                year: record.year,
                date: record.date,
                archival_code: record.archival_code,
                classification: record.classification,
                doc_number: record.doc_number,
                creator: record.creator,
                location: record.location,
                answer: false,
                explain,
            });
            records.push(record_for_answer);
        }
        let mut intent = intent_of(params, &mut hits, &records, &found.plan.content_words);
        if learned && intent.kind == "topical" {
            intent.explanation.push_str("；并参考了利用记录（检索词与档案的关联、利用热度、部门偏好）");
        }
        let facets = FacetCounts {
            category: found.facets.category,
            year: found.facets.year.into_iter().map(|(y, n)| (y.to_string(), n)).collect(),
        };
        Ok(SearchResponse {
            query_id: uuid::Uuid::new_v4().to_string(),
            total: found.total,
            took_ms: (started.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
            hits,
            facets,
            tokens: found.plan.tokens,
            intent,
            randomised_pair: None,
        })
    }

    /// Text retrieval alone (segmentation, the tantivy query, top hits, total and facets), with
    /// none of the engine's work around it: the in-process baseline benchmarks compare the
    /// served search with. Answers the number of hits.
    pub fn retrieve(&self, params: &SearchParams, principal: &Principal) -> Result<usize> {
        let found = self.index().search(&SearchRequest {
            query: &params.q,
            limit: params.limit,
            offset: params.offset,
            filters: &params.filters,
            visibility: Visibility::of(principal),
            inject: &[],
        })?;
        Ok(found.hits.len())
    }

    /// The id of the first text hit when it is the unambiguous known-item answer to `q`.
    fn known_item_first(&self, hits: &[IndexHit], q: &str, principal: &Principal) -> Result<Option<String>> {
        let Some(first) = hits.first() else { return Ok(None) };
        let Some(record) = self.get(&first.id, principal)? else { return Ok(None) };
        if known_by(&record, q).is_none() {
            return Ok(None);
        }
        if let Some(second) = hits.get(1) {
            if self.get(&second.id, principal)?.is_some_and(|r| known_by(&r, q).is_some()) {
                return Ok(None);
            }
        }
        Ok(Some(first.id.clone()))
    }

    /// Writes a consistent snapshot of the store (records, change log, keys, audit trail, usage
    /// and surveys) to `out`: ingest waits meanwhile, searches go on.
    pub fn snapshot(&self, out: impl std::io::Write) -> Result<lantai_store::SnapshotInfo> {
        let _guard = self.lock();
        self.store.flush()?;
        Ok(self.store.write_snapshot(out, &now_rfc3339())?)
    }

    /// Restores a snapshot into the (new, empty) data directory of `config`; the index is
    /// rebuilt from the records when the engine next opens there.
    pub fn restore(input: impl std::io::BufRead, config: &Config) -> Result<lantai_store::SnapshotInfo> {
        Ok(Store::restore_snapshot(input, &config.storage.data_dir, config.storage.cache_mb << 20)?)
    }

    /// Rebuilds the index from the records (after a dictionary or analysis change). Until the
    /// final commit the index records sequence 0, so an interrupted rebuild starts over.
    pub fn rebuild_index(&self) -> Result<u64> {
        let report = self.rebuild_in_new_directory()?;
        Ok(report.records)
    }

    /// Fills an empty `index` with every record of the store, committing the store's last
    /// sequence at the end (a crash midway leaves sequence 0: the next open starts over).
    pub(crate) fn fill(&self, index: &ArchiveIndex) -> Result<u64> {
        let last = self.store.last_seq()?;
        let mut batch: Vec<Record> = Vec::with_capacity(CATCH_UP_CHUNK);
        let mut total = 0u64;
        let mut records = self.store.records().peekable();
        while let Some(record) = records.next() {
            batch.push(record?);
            let done = records.peek().is_none();
            if batch.len() >= CATCH_UP_CHUNK || done {
                total += batch.len() as u64;
                let seq = if done { last } else { 0 };
                index.apply(batch.iter().map(|r| (r.id.as_str(), Some(r))), seq)?;
                batch.clear();
            }
        }
        if total == 0 {
            index.apply(std::iter::empty(), last)?;
        }
        info!(records = total, "index filled from the store");
        Ok(total)
    }

    /// What keeps the service from being ready: the index behind the store, or a store that
    /// does not take a write. Empty when ready.
    pub fn readiness(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if self.index().applied_seq()? < self.store.last_seq()? {
            problems.push("index is catching up with the store".to_string());
        }
        if let Err(e) = self.store.probe_write() {
            problems.push(format!("storage does not take writes: {e}"));
        }
        Ok(problems)
    }

    /// Counts for health checks.
    pub fn stats(&self) -> Result<Stats> {
        let index = self.index();
        Ok(Stats {
            records: self.store.record_count(),
            indexed: index.num_docs(),
            last_seq: self.store.last_seq()?,
            index_seq: index.applied_seq()?,
            segments: index.segment_count(),
            index_bytes: dir_bytes(index.dir()),
            store_bytes: self.store.size_on_disk()?,
        })
    }

    /// Merges the index into one segment and waits (after a bulk load: every query then
    /// looks each term up once instead of once per segment).
    pub fn merge_index(&self) -> Result<()> {
        self.index().merge_all()?;
        Ok(())
    }

    /// Starts the index upkeep thread: once writes pause for `index.merge_when_idle_ms`, the
    /// index is merged into one segment (searches go on meanwhile). The thread ends with the
    /// engine.
    pub fn start_index_upkeep(self: &Arc<Self>) {
        let idle = self.config.index.merge_when_idle_ms;
        if idle == 0 {
            return;
        }
        let engine = Arc::downgrade(self);
        let spawned = std::thread::Builder::new().name("lantai-index-upkeep".into()).spawn(move || loop {
            std::thread::sleep(UPKEEP_TICK);
            let Some(engine) = engine.upgrade() else { break };
            if let Err(e) = engine.index().merge_if_idle(std::time::Duration::from_millis(idle)) {
                warn!(error = %e, "merging the index failed; it keeps serving as it is");
            }
        });
        if let Err(e) = spawned {
            warn!(error = %e, "index upkeep thread not started");
        }
    }

    /// Saves the ranking model and flushes the store (on shutdown).
    pub fn flush(&self) -> Result<()> {
        self.save_ranking()?;
        self.store.flush()?;
        Ok(())
    }

    /// Makes sure an administrator key exists: `env_key` (from `LANTAI_ADMIN_KEY`) when given,
    /// else a generated one written to `admin.key` in the data directory (owner-only).
    pub fn ensure_admin_key(&self, env_key: Option<&str>) -> Result<AdminKey> {
        let keys = self.store.keys();
        let path = self.config.storage.data_dir.join(ADMIN_KEY_FILE);
        if let Some(secret) = env_key.filter(|k| !k.trim().is_empty()) {
            let hash = keys::hash_secret(secret.trim());
            let current = keys.get(ADMIN_KEY_ID)?;
            if current.as_ref().map(|e| e.hash.as_str()) != Some(hash.as_str()) {
                if let Some(old) = &current {
                    keys.remove_hash(&old.hash)?;
                }
                keys.put(&admin_entry(hash))?;
                self.store.flush()?;
            }
            return Ok(AdminKey::FromEnvironment);
        }
        if keys.get(ADMIN_KEY_ID)?.is_some() && path.exists() {
            return Ok(AdminKey::Existing(path));
        }
        let secret = keys::new_secret();
        keys::write_key_file(&path, &secret)?;
        if let Some(old) = keys.get(ADMIN_KEY_ID)? {
            keys.remove_hash(&old.hash)?;
        }
        keys.put(&admin_entry(keys::hash_secret(&secret)))?;
        self.store.flush()?;
        Ok(AdminKey::Generated(path))
    }

    /// The caller behind a bearer secret, if the key exists, is not revoked and has not expired.
    pub fn authenticate(&self, secret: &str) -> Result<Option<Identity>> {
        let hash = keys::hash_secret(secret);
        let Some(entry) = self.store.keys().by_hash(&hash)? else { return Ok(None) };
        if entry.revoked || !keys::hashes_match(&entry.hash, &hash) {
            return Ok(None);
        }
        if entry.expires_at.as_deref().is_some_and(|at| at <= now_rfc3339().as_str()) {
            return Ok(None);
        }
        Ok(Some(Identity { key_id: entry.id, principal: entry.principal }))
    }

    /// Creates a key for `principal`, optionally expiring; the secret is in the answer and
    /// nowhere else.
    pub fn create_key(&self, principal: Principal, expires_at: Option<&str>) -> Result<IssuedKey> {
        let expires_at = expires_at.map(keys::parse_expiry).transpose()?;
        let secret = keys::new_secret();
        let entry = KeyEntry {
            id: keys::new_key_id(),
            hash: keys::hash_secret(&secret),
            principal,
            created_at: now_rfc3339(),
            revoked: false,
            expires_at,
        };
        self.store.keys().put(&entry)?;
        self.store.flush()?;
        Ok(IssuedKey { view: KeyView::from(&entry), key: secret })
    }

    /// Every key, without secrets.
    pub fn list_keys(&self) -> Result<Vec<KeyView>> {
        Ok(self.store.keys().list()?.iter().map(KeyView::from).collect())
    }

    /// Revokes a key at once; `false` when there is no such key.
    pub fn revoke_key(&self, id: &str) -> Result<bool> {
        let keys = self.store.keys();
        let Some(mut entry) = keys.get(id)? else { return Ok(false) };
        keys.remove_hash(&entry.hash)?;
        entry.revoked = true;
        keys.put_entry_only(&entry)?;
        self.store.flush()?;
        Ok(true)
    }

    /// Gives a key a new secret (the old one stops working at once); `None` when there is no
    /// such key or it is revoked.
    pub fn rotate_key(&self, id: &str) -> Result<Option<IssuedKey>> {
        let keys = self.store.keys();
        let Some(mut entry) = keys.get(id)?.filter(|e| !e.revoked) else { return Ok(None) };
        keys.remove_hash(&entry.hash)?;
        let secret = keys::new_secret();
        entry.hash = keys::hash_secret(&secret);
        keys.put(&entry)?;
        self.store.flush()?;
        Ok(Some(IssuedKey { view: KeyView::from(&entry), key: secret }))
    }

    /// Appends to the audit trail (利用登记). Writes are flushed with the data they record;
    /// read entries reach the disk with the next flush (at most half a second later).
    pub fn audit(&self, mut event: AuditEvent, flush: bool) -> Result<()> {
        if event.at.is_empty() {
            event.at = now_rfc3339();
        }
        self.store.audit().append(event)?;
        if flush {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Audit entries matching a filter, oldest first, at most `limit`.
    pub fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for entry in self.store.audit().entries() {
            let entry = entry?;
            if filter.matches(&entry) {
                out.push(entry);
                if out.len() >= filter.limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Checks the audit trail's hash chain.
    pub fn verify_audit(&self) -> Result<std::result::Result<u64, lantai_store::ChainBreak>> {
        Ok(self.store.audit().verify()?)
    }

    /// Loads records from a bundled file when the store is empty (first start).
    pub fn load_if_empty(&self, body: &[u8], format: BatchFormat) -> Result<Option<BatchReport>> {
        if self.store.record_count() > 0 {
            return Ok(None);
        }
        self.ingest(body, format).map(Some)
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.config.storage.data_dir
    }
}

/// Marks the known-item answer and reads the query's intent from the first hits.
fn intent_of(params: &SearchParams, hits: &mut [Hit], records: &[Option<Record>], words: &[String]) -> Intent {
    let first = records.first().and_then(Option::as_ref);
    let known = first.and_then(|r| known_by(r, &params.q));
    // The answer must be unambiguous: the second hit may not answer to the same query.
    let ambiguous = records.get(1).and_then(Option::as_ref).is_some_and(|r| known_by(r, &params.q).is_some());
    let top = &hits[..hits.len().min(10)];
    let mut weights = category_shares(top.iter().map(|h| (h.category.as_deref().unwrap_or("(none)"), h.score)));
    weights.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weights.truncate(3);
    let categories: Vec<CategoryWeight> = weights
        .iter()
        .map(|(c, w)| CategoryWeight { category: c.clone(), weight: (w * 1000.0).round() / 1000.0 })
        .collect();
    if let (Some(by), Some(record), false, 0) = (known, first, ambiguous, params.offset) {
        hits[0].answer = true;
        let title = record.title.as_deref().unwrap_or(&record.id);
        return Intent {
            kind: "known_item",
            categories,
            explanation: format!("{} “{}” 精确对应《{}》，列为答案", by.label(), params.q.trim(), title),
        };
    }
    let shown: Vec<&str> = words.iter().take(6).map(String::as_str).collect();
    let likely: Vec<String> = categories.iter().map(|c| format!("{} {:.0}%", c.category, c.weight * 100.0)).collect();
    let explanation = match (shown.is_empty(), likely.is_empty()) {
        (true, _) => "未输入检索词：按可见档案浏览".to_string(),
        (false, true) => format!("没有档案匹配 {}", shown.join("、")),
        (false, false) => format!(
            "按 {} 在全文与题名、主题词中的匹配排序（题名等著录项命中加权，词内子串也可命中）；最可能的门类：{}",
            shown.join("、"),
            likely.join("、")
        ),
    };
    Intent { kind: "topical", categories, explanation }
}

/// Category shares of some hits, by text score.
fn category_shares<'a>(hits: impl Iterator<Item = (&'a str, f32)> + Clone) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    let total: f64 = hits.clone().map(|(_, score)| f64::from(score.max(0.0))).sum();
    if total <= 0.0 {
        return out;
    }
    for (cat, score) in hits {
        let w = f64::from(score.max(0.0)) / total;
        match out.iter_mut().find(|(c, _)| *c == cat) {
            Some((_, acc)) => *acc += w,
            None => out.push((cat.to_string(), w)),
        }
    }
    out
}

/// The directory name of an index (what the pointer file records).
pub(crate) fn index_dir_name(index: &ArchiveIndex) -> String {
    index.dir().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "index".into())
}

fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

fn admin_entry(hash: String) -> KeyEntry {
    KeyEntry {
        id: ADMIN_KEY_ID.to_string(),
        hash,
        principal: Principal::bootstrap_admin(),
        created_at: now_rfc3339(),
        revoked: false,
        expires_at: None,
    }
}

/// An authenticated caller: the key used and the principal behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Key id.
    pub key_id: String,
    /// Who it speaks for.
    pub principal: Principal,
}

/// A period of time, bounds inclusive, each a day (YYYY-MM-DD, the whole day) or an RFC 3339
/// UTC time; compared as text with stored times, which are all UTC RFC 3339.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Period {
    /// From this day or time.
    pub from: Option<String>,
    /// Up to this day or time.
    pub to: Option<String>,
}

impl Period {
    /// Whether the stored time `at` lies in the period.
    pub fn contains(&self, at: &str) -> bool {
        self.from.as_deref().is_none_or(|f| at >= f)
            && self.to.as_deref().is_none_or(|t| if t.len() == 10 { &at[..10.min(at.len())] <= t } else { at <= t })
    }
}

/// Which audit entries to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilter {
    /// When.
    pub period: Period,
    /// Only this principal name.
    pub principal: Option<String>,
    /// Only entries about this record id.
    pub record: Option<String>,
    /// Only entries of this action (`record.read`, `records.ingest`, …).
    pub action: Option<String>,
    /// At most this many entries.
    pub limit: usize,
}

impl AuditFilter {
    fn matches(&self, e: &AuditEntry) -> bool {
        self.period.contains(&e.event.at)
            && self.principal.as_deref().is_none_or(|p| e.event.principal == p)
            && self.record.as_deref().is_none_or(|r| e.event.target == r)
            && self.action.as_deref().is_none_or(|a| e.event.action == a)
    }
}

/// The snippet from the first field that contains a match (content, abstract, title), else the
/// start of the content.
fn best_snippet(record: &Record, terms: &lantai_index::HighlightTerms, max_chars: usize) -> String {
    let candidates = [&record.content, &record.abstract_, &record.title];
    let mut fallback = None;
    for text in candidates.into_iter().flatten() {
        let s = highlight(text, terms, max_chars);
        if s.has_match {
            return s.html;
        }
        fallback.get_or_insert(s.html);
    }
    fallback.unwrap_or_default()
}
