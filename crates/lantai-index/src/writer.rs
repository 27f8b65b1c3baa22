//! Opening, writing and searching the index.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use lantai_model::Record;
use lantai_text::{parse_query, Analysis, Synonyms};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{EnableScoring, Query, TermSetQuery};
use tantivy::schema::{Field, Schema};
use tantivy::Warmer;
use tantivy::{DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, TantivyDocument, Term};
use tracing::{info, warn};

use crate::facets::{Facets, MatchCollector, Matches};
use crate::query::{self, Caps, Filters, QueryPlan, Visibility};
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::segment_values::{SegmentValues, ValuesCache};
use crate::visible::Admit;
use crate::{FieldWeights, IndexError, IndexSettings, Result};

const VERSION_FILE: &str = "lantai-schema-version";

/// A search as the index sees it.
#[derive(Debug, Clone)]
pub struct SearchRequest<'a> {
    /// The search-box text.
    pub query: &'a str,
    /// Hits wanted.
    pub limit: usize,
    /// Hits skipped.
    pub offset: usize,
    /// User filters.
    pub filters: &'a Filters,
    /// What the principal may see.
    pub visibility: Visibility,
    /// Records to match and return besides the text matches (learned from usage): they count
    /// in totals and facets, and come back in [`SearchResults::injected`] with their text score,
    /// but only where visible and allowed by the filters, phrases and exclusions.
    pub inject: &'a [String],
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexHit {
    /// Record id.
    pub id: String,
    /// BM25-based relevance score.
    pub score: f32,
    /// 门类, from the index.
    pub category: Option<String>,
    /// 机构/问题, from the index.
    pub org_unit: Option<String>,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Visible matches in all.
    pub total: usize,
    /// The requested page.
    pub hits: Vec<IndexHit>,
    /// Counts over every visible match.
    pub facets: Facets,
    /// How the query was read.
    pub plan: QueryPlan,
    /// The requested injected records that matched, with their text scores (0 when only the
    /// injection matched).
    pub injected: Vec<IndexHit>,
}

/// The derived, searchable copy of the records.
pub struct ArchiveIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    analysis: Analysis,
    settings: IndexSettings,
    /// Query-time synonyms (changing them needs no reindex).
    synonyms: std::sync::RwLock<Arc<Synonyms>>,
    dir: std::path::PathBuf,
    /// When this index was opened (the clock of `last_write_ms`).
    opened: Instant,
    /// Milliseconds after `opened` of the last commit.
    last_write_ms: AtomicU64,
    /// Records written since the index was last merged into one segment.
    written_since_merge: AtomicU64,
    /// Filter and facet arrays per segment (the reader's warmer holds a weak reference).
    values: Arc<ValuesCache>,
}

/// A merge into one segment waits until at least this share of the index was written since
/// the last one (so a trickle of small writes does not rewrite the whole index each time).
const MERGE_AFTER_SHARE: f64 = 0.1;

/// The summed score of the `rescore` clauses for each of `documents` (absent: 0). Each clause's
/// scorer seeks from candidate to candidate (skip lists), so the pass reads a few blocks of each
/// posting list, not all of it (a union of the clauses would decode every posting).
fn rescore_scores(
    searcher: &tantivy::Searcher,
    rescore: &[Box<dyn Query>],
    documents: impl IntoIterator<Item = DocAddress>,
) -> Result<HashMap<DocAddress, Score>> {
    let mut by_segment: HashMap<u32, Vec<DocId>> = HashMap::new();
    for addr in documents {
        by_segment.entry(addr.segment_ord).or_default().push(addr.doc_id);
    }
    for docs in by_segment.values_mut() {
        docs.sort_unstable();
        docs.dedup();
    }
    let mut out: HashMap<DocAddress, Score> = HashMap::new();
    for clause in rescore {
        let weight = clause.weight(EnableScoring::enabled_from_searcher(searcher))?;
        for (&segment_ord, docs) in &by_segment {
            let mut scorer = weight.scorer(searcher.segment_reader(segment_ord), 1.0)?;
            for &doc in docs {
                if scorer.doc() < doc {
                    scorer.seek(doc);
                }
                if scorer.doc() == doc {
                    *out.entry(DocAddress::new(segment_ord, doc)).or_default() += scorer.score();
                }
            }
        }
    }
    Ok(out)
}

impl ArchiveIndex {
    /// Opens the index in `dir`, creating it (empty) when absent or of another schema version.
    /// An index opened empty has applied sequence 0, so the engine refills it from the store.
    pub fn open(dir: &Path, analysis: Analysis, settings: IndexSettings) -> Result<ArchiveIndex> {
        std::fs::create_dir_all(dir)?;
        let version_path = dir.join(VERSION_FILE);
        let on_disk = std::fs::read_to_string(&version_path).ok().and_then(|v| v.trim().parse::<u32>().ok());
        let (schema, _) = schema::build();
        let index = match on_disk {
            Some(v) if v == SCHEMA_VERSION => Index::open_in_dir(dir)?,
            found => {
                if found.is_some() || std::fs::read_dir(dir)?.next().is_some() {
                    warn!(dir = %dir.display(), ?found, expected = SCHEMA_VERSION, "index of another schema version; rebuilding");
                }
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                let index = Index::create(
                    MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?,
                    schema,
                    Default::default(),
                )?;
                std::fs::write(&version_path, SCHEMA_VERSION.to_string())?;
                info!(dir = %dir.display(), "created empty index");
                index
            }
        };
        Self::from_index(index, analysis, settings, dir.to_path_buf())
    }

    /// An index held in memory (for tests and evaluation).
    pub fn in_memory(analysis: Analysis, settings: IndexSettings) -> Result<ArchiveIndex> {
        let (schema, _) = schema::build();
        Self::from_index(Index::create_in_ram(schema), analysis, settings, std::path::PathBuf::new())
    }

    fn from_index(
        index: Index,
        analysis: Analysis,
        settings: IndexSettings,
        dir: std::path::PathBuf,
    ) -> Result<ArchiveIndex> {
        lantai_text::register(index.tokenizers(), &analysis);
        let fields = schema::fields_of(&index.schema())?;
        let threads = settings.writer_threads.max(1);
        let heap = (settings.writer_heap_mb.max(16 * threads)) << 20;
        let writer = index.writer_with_num_threads(threads, heap)?;
        let values = Arc::new(ValuesCache::new(fields.access));
        let warmer: std::sync::Weak<dyn Warmer> = Arc::downgrade(&values) as std::sync::Weak<dyn Warmer>;
        let reader: IndexReader =
            index.reader_builder().reload_policy(ReloadPolicy::Manual).warmers(vec![warmer]).try_into()?;
        // An index opened in several segments is due a merge as if it had all been written.
        let searcher = reader.searcher();
        let unmerged = if searcher.segment_readers().len() > 1 { searcher.num_docs() } else { 0 };
        Ok(ArchiveIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(writer),
            analysis,
            settings,
            synonyms: Default::default(),
            dir,
            opened: Instant::now(),
            last_write_ms: AtomicU64::new(0),
            written_since_merge: AtomicU64::new(unmerged),
            values,
        })
    }

    /// The schema (for tools that inspect the index).
    pub fn schema(&self) -> Schema {
        self.index.schema()
    }

    /// The last change-log sequence whose effect is committed here.
    pub fn applied_seq(&self) -> Result<u64> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// Number of index segments (merges keep it small).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Number of searchable records.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replaces or removes each record by id, then commits with `seq` as the applied sequence.
    /// `None` removes the id. Nothing is visible to searches until the commit succeeds.
    pub fn apply<'r>(&self, ops: impl IntoIterator<Item = (&'r str, Option<&'r Record>)>, seq: u64) -> Result<()> {
        let mut writer = self.writer();
        let mut written = 0u64;
        let outcome = (|| -> Result<()> {
            for (id, record) in ops {
                written += 1;
                writer.delete_term(Term::from_field_text(self.fields.id, id));
                if let Some(record) = record {
                    writer.add_document(self.document(record))?;
                }
            }
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&seq.to_string());
            prepared.commit()?;
            Ok(())
        })();
        if let Err(e) = outcome {
            // Drop whatever was staged so the next commit does not publish half a batch.
            let _ = writer.rollback();
            return Err(self.storage_full_if_killed(e));
        }
        drop(writer);
        self.written_since_merge.fetch_add(written, Ordering::Relaxed);
        self.last_write_ms.store(self.opened.elapsed().as_millis() as u64, Ordering::Relaxed);
        self.reader.reload()?;
        Ok(())
    }

    /// `e`, or a full-disk error when `e` says an indexing thread died and the index's disk has
    /// less room than a segment flush may take: tantivy reports only that the thread was
    /// killed, and a full disk is the likely cause the operator can act on.
    fn storage_full_if_killed(&self, e: IndexError) -> IndexError {
        let killed = matches!(&e, IndexError::Tantivy(tantivy::TantivyError::ErrorInThread(_)));
        let room = (self.settings.writer_heap_mb.max(64) as u64) << 20;
        let scarce =
            || !self.dir.as_os_str().is_empty() && fs4::available_space(&self.dir).is_ok_and(|free| free < room);
        if killed && scarce() {
            let message = format!("{e} (and the disk holding the index is full)");
            return IndexError::Io(std::io::Error::new(std::io::ErrorKind::StorageFull, message));
        }
        e
    }

    /// Merges into one segment if nothing was written for `idle` and enough was written since
    /// the last merge (see [`MERGE_AFTER_SHARE`]); `true` when it merged.
    pub fn merge_if_idle(&self, idle: Duration) -> Result<bool> {
        let now_ms = self.opened.elapsed().as_millis() as u64;
        if now_ms.saturating_sub(self.last_write_ms.load(Ordering::Relaxed)) < idle.as_millis() as u64 {
            return Ok(false);
        }
        let written = self.written_since_merge.load(Ordering::Relaxed);
        let searcher = self.reader.searcher();
        let segments = searcher.segment_readers().len();
        if written == 0 || segments < 2 || (written as f64) < MERGE_AFTER_SHARE * searcher.num_docs() as f64 {
            return Ok(false);
        }
        let started = Instant::now();
        let merged = self.merge_all();
        // Done or failed (a full disk, say), it is not tried again until more is written: a
        // failure is reported once, not every tick.
        self.written_since_merge.fetch_sub(written, Ordering::Relaxed);
        merged?;
        info!(segments, ms = started.elapsed().as_millis() as u64, "index merged into one segment");
        Ok(true)
    }

    /// Merges every segment into one and waits for it (a query then looks each term up once,
    /// not once per segment). Nothing changes for searches but speed.
    pub fn merge_all(&self) -> Result<()> {
        // A background merge may hold some of the segments: wait for it and ask again.
        for _ in 0..600 {
            let ids = self.index.searchable_segment_ids()?;
            if ids.len() < 2 {
                break;
            }
            let merge = self.writer().merge(&ids);
            match merge.wait() {
                Ok(_) => break,
                Err(tantivy::TantivyError::InvalidArgument(_)) => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => return Err(e.into()),
            }
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Removes every document (before a rebuild), committing sequence 0.
    pub fn clear(&self) -> Result<()> {
        let mut writer = self.writer();
        writer.delete_all_documents()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload("0");
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, r: &Record) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &r.id);
        for (key, _) in crate::known_item::record_keys(r) {
            doc.add_text(f.code, key);
        }
        // Every text goes to the whole-record fields (`text`, `all_bg`), which carry the base
        // relevance; the descriptive fields are also indexed alone to reward matches there.
        let mut add = |field: Option<tantivy::schema::Field>, value: &str| {
            if let Some(field) = field {
                doc.add_text(field, value);
            }
            doc.add_text(f.text, value);
            doc.add_text(f.all_bg, value);
        };
        for (field, value) in [
            (Some(f.title), &r.title),
            (Some(f.creator), &r.creator),
            (Some(f.doc_number), &r.doc_number),
            (Some(f.abstract_), &r.abstract_),
            (None, &r.content),
            // 机构/问题 names what the record is about or who made it: findable like the rest.
            (None, &r.org_unit),
        ] {
            if let Some(v) = value {
                add(field, v);
            }
        }
        for k in &r.keywords {
            add(Some(f.keywords), k);
        }
        // Other metadata (摄影者, 材质, 案卷题名 …) is findable too, as part of the whole text.
        for value in r.extra.values() {
            if let serde_json::Value::String(v) = value {
                add(None, v);
            }
        }
        if let Some(t) = &r.title {
            doc.add_text(f.title_bg, t);
        }
        if let Some(c) = &r.category {
            doc.add_text(f.category, c);
        }
        if let Some(y) = r.year {
            doc.add_i64(f.year, i64::from(y));
        }
        doc.add_text(f.classification, r.classification.as_str());
        doc.add_u64(f.clearance_rank, r.classification.rank());
        doc.add_text(f.access, r.access.as_str());
        if let Some(unit) = &r.org_unit {
            doc.add_text(f.org_unit, unit);
        }
        doc
    }

    /// Runs a search: visible hits of the page, the visible total, and facets.
    pub fn search(&self, req: &SearchRequest<'_>) -> Result<SearchResults> {
        let parsed = parse_query(req.query)?;
        let searcher = self.reader.searcher();
        let ids: Option<Box<dyn Query>> = (!req.inject.is_empty()).then(|| {
            Box::new(TermSetQuery::new(req.inject.iter().map(|id| Term::from_field_text(self.fields.id, id))))
                as Box<dyn Query>
        });
        let doc_freq = |field: Field, word: &str| searcher.doc_freq(&Term::from_field_text(field, word)).unwrap_or(0);
        let weights = self.weights_for(&searcher);
        let build = |common_df: u64| {
            query::build(
                &self.analysis,
                &self.fields,
                &weights,
                &parsed,
                Caps { words: self.settings.max_query_words, bigrams: self.settings.max_query_bigrams, common_df },
                &doc_freq,
                ids.as_ref().map(|q| q.box_clone()),
                &self.synonyms(),
            )
        };
        let share = self.settings.common_word_share;
        let mut built = build(if share < 1.0 { (share * searcher.num_docs() as f64) as u64 } else { u64::MAX });
        // First pass: every match counted and faceted, the best `depth` kept. Second pass (when
        // the query has bigrams): those, plus the injected records, re-scored with them.
        let wanted = req.offset + req.limit.max(1);
        let depth = |built: &query::Built| {
            if built.rescore.is_empty() {
                wanted
            } else {
                wanted.max(self.settings.rescore_depth)
            }
        };
        let admit = Admit { filters: req.filters.clone(), visibility: req.visibility.clone() };
        let first_pass = |built: &query::Built| {
            let top = TopDocs::with_limit(depth(built)).order_by_score();
            searcher.search(&built.query, &MatchCollector { top, values: &self.values, admit: &admit })
        };
        let mut matches = first_pass(&built)?;
        if built.common_rank_only && matches.total < depth(&built) {
            // The informative words alone match too few to rank: the common words widen the
            // match after all (a cheap case: few matches means short posting lists).
            built = build(u64::MAX);
            matches = first_pass(&built)?;
        }
        let Matches { top, total, facets } = matches;
        let query = built.query;
        let only_ids = |q: &dyn Query, ids: &dyn Query| -> Result<Vec<(Score, DocAddress)>> {
            let only = query::only_injected(q.box_clone(), ids.box_clone());
            let top = TopDocs::with_limit(req.inject.len()).order_by_score();
            Ok(searcher.search(&only, &MatchCollector { top, values: &self.values, admit: &admit })?.top)
        };
        let injected_first = match &ids {
            Some(ids) => only_ids(query.as_ref(), ids.as_ref())?,
            None => Vec::new(),
        };
        let (page, injected_scored) = match built.rescore {
            rescore if !rescore.is_empty() && !top.is_empty() => {
                let extra = rescore_scores(&searcher, &rescore, top.iter().chain(&injected_first).map(|(_, a)| *a))?;
                let add = |(score, addr): (Score, DocAddress)| (score + extra.get(&addr).copied().unwrap_or(0.0), addr);
                let mut all: Vec<(Score, DocAddress)> = top.into_iter().map(&add).collect();
                all.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                (all.into_iter().skip(req.offset).collect(), injected_first.into_iter().map(&add).collect())
            }
            _ => (top.into_iter().skip(req.offset).collect::<Vec<_>>(), injected_first),
        };
        let mut reader = HitReader::new(&searcher, &self.values);
        let mut hits = Vec::with_capacity(page.len());
        for (score, addr) in page.into_iter().take(req.limit) {
            hits.push(reader.hit(addr, score)?);
        }
        let mut injected = Vec::with_capacity(injected_scored.len());
        for (score, addr) in injected_scored {
            injected.push(reader.hit(addr, score)?);
        }
        Ok(SearchResults { total, hits, facets, plan: built.plan, injected })
    }

    /// The field weights, without the fields no record uses (a per-word term query for each
    /// would cost dictionary lookups for nothing: many archives have no 主题词 or 摘要).
    fn weights_for(&self, searcher: &tantivy::Searcher) -> FieldWeights {
        let used = |field: Field| {
            searcher.segment_readers().iter().any(|r| r.inverted_index(field).is_ok_and(|i| i.total_num_tokens() > 0))
        };
        let mut w = self.settings.weights.clone();
        let f = &self.fields;
        for (field, weight) in [
            (f.title, &mut w.title),
            (f.keywords, &mut w.keywords),
            (f.creator, &mut w.creator),
            (f.doc_number, &mut w.doc_number),
            (f.abstract_, &mut w.abstract_),
            (f.title_bg, &mut w.title_bigram),
        ] {
            if !used(field) {
                *weight = 0.0;
            }
        }
        w
    }

    /// The directory the index lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Replaces the query-time synonyms.
    pub fn set_synonyms(&self, synonyms: Arc<Synonyms>) {
        *self.synonyms.write().unwrap_or_else(|p| p.into_inner()) = synonyms;
    }

    /// The query-time synonyms in force.
    pub fn synonyms(&self) -> Arc<Synonyms> {
        self.synonyms.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The segmenter this index was built with.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// How many records (visible or not) contain any of `words`: what a dictionary change
    /// affects.
    pub fn count_containing(&self, words: &[String]) -> Result<usize> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(&query::containing_any(&self.fields, words), &Count)?)
    }

    /// The content words a query searches for, with their inverse document frequency
    /// (`ln(1 + N / (df + 1))`): what learning from usage keys on.
    pub fn query_terms(&self, query: &str) -> Result<Vec<(String, f64)>> {
        let parsed = parse_query(query)?;
        let searcher = self.reader.searcher();
        let n = searcher.num_docs() as f64;
        let mut out: Vec<(String, f64)> = Vec::new();
        for clause in &parsed.clauses {
            if let lantai_text::Clause::Free(text) = clause {
                for word in self.analysis.content_words(text) {
                    if out.iter().any(|(w, _)| *w == word.text) {
                        continue;
                    }
                    let df = searcher.doc_freq(&Term::from_field_text(self.fields.text, &word.text))? as f64;
                    out.push((word.text, (1.0 + n / (df + 1.0)).ln()));
                }
            }
        }
        Ok(out)
    }
}

/// Reads hits: the id, 门类 and 机构/问题 from the segment's arrays.
struct HitReader<'s> {
    searcher: &'s tantivy::Searcher,
    values: &'s ValuesCache,
    segments: HashMap<u32, Arc<SegmentValues>>,
}

impl<'s> HitReader<'s> {
    fn new(searcher: &'s tantivy::Searcher, values: &'s ValuesCache) -> Self {
        HitReader { searcher, values, segments: HashMap::new() }
    }

    fn hit(&mut self, addr: DocAddress, score: f32) -> Result<IndexHit> {
        let values = match self.segments.entry(addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(self.values.of(self.searcher.segment_reader(addr.segment_ord))?)
            }
        };
        let name = |names: &[String], i: u32| names.get(i as usize).cloned();
        let (category, org_unit) = match values.facets.get(addr.doc_id as usize) {
            Some(f) => (
                name(&values.categories, u32::from(f.category)),
                values.org_unit.get(addr.doc_id as usize).and_then(|&o| name(&values.org_units, o)),
            ),
            None => (None, None),
        };
        let id = values.ids.of(addr.doc_id).unwrap_or_default().to_string();
        Ok(IndexHit { id, score, category, org_unit })
    }
}
