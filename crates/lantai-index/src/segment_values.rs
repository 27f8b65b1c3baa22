//! Per-segment arrays of what filters and facets read for every match (门类, 年度, 密级, 开放标识,
//! 机构), built once when a segment becomes searchable (a tantivy [`Warmer`]).
//!
//! Reading fast-field columns for every match cost a third of a search at scale, and filters as
//! query clauses made every search walk the dense posting lists of 开放 and of the clearance
//! range; an array lookup per match replaces both.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use lantai_model::Access;
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, SearcherGeneration, SegmentReader, Term, Warmer, TERMINATED};

/// No value (an index past every table).
pub(crate) const NONE: u32 = u32::MAX;
/// No value, in a 16-bit index.
pub(crate) const NONE16: u16 = u16::MAX;

/// 开放标识 as filters need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum AccessCode {
    Open,
    Controlled,
    /// 延期开放, 未审核, or none: only principals who see every access.
    Other,
}

/// A document's 门类 and 年度 (what facets count), as indexes into the segment's tables, or
/// [`NONE16`] (also past 65,534 distinct values, which then neither count in facets nor match a
/// filter or grant).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FacetPair {
    pub category: u16,
    pub year: u16,
}

/// A document's 密级 rank and 开放标识 in one byte: what visibility checks for every match.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gate(u8);

impl Gate {
    /// An unknown rank: above every clearance.
    const UNKNOWN_RANK: u8 = 0x3f;

    fn new(rank: Option<u64>, access: AccessCode) -> Gate {
        let rank = rank.and_then(|r| u8::try_from(r).ok()).filter(|&r| r < Self::UNKNOWN_RANK);
        Gate(rank.unwrap_or(Self::UNKNOWN_RANK) | ((access as u8) << 6))
    }

    /// The rank (`Classification::rank`), or 63 when unknown.
    pub fn rank(self) -> u8 {
        self.0 & Self::UNKNOWN_RANK
    }

    pub fn access(self) -> AccessCode {
        match self.0 >> 6 {
            0 => AccessCode::Open,
            1 => AccessCode::Controlled,
            _ => AccessCode::Other,
        }
    }
}

/// One segment's values, in narrow arrays (matches come in increasing document order, so the
/// reads stream through a few cache lines per hundred documents).
#[derive(Debug, Default)]
pub(crate) struct SegmentValues {
    pub facets: Vec<FacetPair>,
    pub gates: Vec<Gate>,
    /// Index into `org_units`, or [`NONE`] (read for controlled records only).
    pub org_unit: Vec<u32>,
    pub categories: Vec<String>,
    pub years: Vec<i64>,
    pub org_units: Vec<String>,
    /// Each document's record id.
    pub ids: Ids,
}

/// Record ids by document, in one buffer: a hit's id costs an array read, where the id column's
/// dictionary decodes a block of ids for each (measured: 6% of a served STARD search).
#[derive(Debug, Default)]
pub(crate) struct Ids {
    text: String,
    /// Where each ordinal's id ends in `text`.
    ends: Vec<u32>,
    /// Each document's ordinal, or [`NONE`].
    of_doc: Vec<u32>,
}

impl Ids {
    fn read(ff: &tantivy::fastfield::FastFieldReaders, max_doc: u32) -> tantivy::Result<Ids> {
        let Some(column) = ff.str("id")? else { return Ok(Ids::default()) };
        let mut ids = Ids { text: String::new(), ends: Vec::with_capacity(column.num_terms()), of_doc: Vec::new() };
        ids.of_doc = read_str_column(&column, max_doc, |id| {
            ids.text.push_str(id);
            let end = u32::try_from(ids.text.len())
                .map_err(|_| tantivy::TantivyError::InternalError("record ids of a segment exceed 4 GiB".into()))?;
            ids.ends.push(end);
            Ok(())
        })?;
        ids.text.shrink_to_fit();
        Ok(ids)
    }

    /// The id of `doc`.
    pub fn of(&self, doc: tantivy::DocId) -> Option<&str> {
        let ord = *self.of_doc.get(doc as usize)? as usize;
        let end = *self.ends.get(ord)? as usize;
        let start = if ord == 0 { 0 } else { self.ends[ord - 1] as usize };
        self.text.get(start..end)
    }
}

/// Hands each of a string column's names to `name` in ordinal order (one pass over its
/// dictionary; looking ordinals up one by one decodes a block each), and answers each
/// document's first ordinal, or [`NONE`].
fn read_str_column(
    column: &StrColumn,
    max_doc: u32,
    mut name: impl FnMut(&str) -> tantivy::Result<()>,
) -> tantivy::Result<Vec<u32>> {
    let mut terms = column.dictionary().stream()?;
    while terms.advance() {
        name(&String::from_utf8_lossy(terms.key()))?;
    }
    let ords = column.ords();
    Ok((0..max_doc).map(|doc| ords.first(doc).map_or(NONE, |ord| ord as u32)).collect())
}

/// The names of a string column's ordinals, and each document's first ordinal.
fn str_column(
    ff: &tantivy::fastfield::FastFieldReaders,
    name: &str,
    max_doc: u32,
) -> tantivy::Result<(Vec<String>, Vec<u32>)> {
    let Some(column) = ff.str(name)? else { return Ok((Vec::new(), vec![NONE; max_doc as usize])) };
    let mut names = Vec::with_capacity(column.num_terms());
    let first = read_str_column(&column, max_doc, |n| {
        names.push(n.to_string());
        Ok(())
    })?;
    Ok((names, first))
}

impl SegmentValues {
    fn read(reader: &SegmentReader, access_field: Field) -> tantivy::Result<SegmentValues> {
        let ff = reader.fast_fields();
        let max_doc = reader.max_doc();
        let (categories, category) = str_column(ff, "category", max_doc)?;
        let (org_units, org_unit) = str_column(ff, "org_unit", max_doc)?;
        let mut facets: Vec<FacetPair> = category
            .iter()
            .map(|&c| FacetPair {
                category: u16::try_from(c).ok().filter(|&c| c < NONE16).unwrap_or(NONE16),
                year: NONE16,
            })
            .collect();
        let mut years = Vec::new();
        if let Some(column) = ff.column_opt::<i64>("year")? {
            let mut index: HashMap<i64, u16> = HashMap::new();
            for (doc, f) in (0..max_doc).zip(facets.iter_mut()) {
                if let Some(year) = column.first(doc) {
                    f.year = match index.get(&year) {
                        Some(&i) => i,
                        None if years.len() < usize::from(NONE16) => {
                            years.push(year);
                            index.insert(year, years.len() as u16 - 1);
                            years.len() as u16 - 1
                        }
                        None => NONE16,
                    };
                }
            }
        }
        let mut access = vec![AccessCode::Other; max_doc as usize];
        let inverted = reader.inverted_index(access_field)?;
        for (value, code) in [(Access::Open, AccessCode::Open), (Access::Controlled, AccessCode::Controlled)] {
            let term = Term::from_field_text(access_field, value.as_str());
            if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if let Some(a) = access.get_mut(doc as usize) {
                        *a = code;
                    }
                    doc = postings.advance();
                }
            }
        }
        let rank = ff.column_opt::<u64>("clearance_rank")?;
        let gates =
            (0..max_doc).zip(&access).map(|(doc, &a)| Gate::new(rank.as_ref().and_then(|c| c.first(doc)), a)).collect();
        let ids = Ids::read(ff, max_doc)?;
        Ok(SegmentValues { facets, gates, org_unit, categories, years, org_units, ids })
    }
}

/// The arrays of the segments in use, filled as new segments become searchable.
pub(crate) struct ValuesCache {
    access: Field,
    segments: RwLock<HashMap<SegmentId, Arc<SegmentValues>>>,
}

impl ValuesCache {
    pub fn new(access: Field) -> ValuesCache {
        ValuesCache { access, segments: RwLock::default() }
    }

    /// The arrays of `reader`'s segment (read now if the warmer has not yet).
    pub fn of(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentValues>> {
        let id = reader.segment_id();
        if let Some(values) = self.segments.read().unwrap_or_else(|p| p.into_inner()).get(&id) {
            return Ok(values.clone());
        }
        let values = Arc::new(SegmentValues::read(reader, self.access)?);
        self.segments.write().unwrap_or_else(|p| p.into_inner()).insert(id, values.clone());
        Ok(values)
    }
}

impl Warmer for ValuesCache {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for reader in searcher.segment_readers() {
            self.of(reader)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        let live: HashSet<SegmentId> = live_generations.iter().flat_map(|g| g.segments().keys().copied()).collect();
        self.segments.write().unwrap_or_else(|p| p.into_inner()).retain(|id, _| live.contains(id));
    }
}
