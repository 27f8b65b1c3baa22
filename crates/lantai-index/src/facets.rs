//! Facet counts (category, year) over every visible match, read from fast fields.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per category code and per year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Matches per 门类 code.
    pub category: BTreeMap<String, u64>,
    /// Matches per 年度.
    pub year: BTreeMap<i64, u64>,
}

pub(crate) struct FacetCollector;

pub(crate) struct SegmentFacets {
    category: Option<StrColumn>,
    year: Option<Column<i64>>,
    /// Matches per category ordinal (a handful of 门类: a vector, not a map, per match).
    category_ords: Vec<u64>,
    years: HashMap<i64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let ff = reader.fast_fields();
        let category = ff.str("category")?;
        let terms = category.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentFacets {
            category,
            year: ff.column_opt::<i64>("year")?,
            category_ords: vec![0; terms],
            years: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut out = Facets::default();
        for f in fruits {
            for (k, v) in f.category {
                *out.category.entry(k).or_default() += v;
            }
            for (k, v) in f.year {
                *out.year.entry(k).or_default() += v;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(ord) = self.category.as_ref().and_then(|c| c.ords().first(doc)) {
            if let Some(n) = self.category_ords.get_mut(ord as usize) {
                *n += 1;
            }
        }
        if let Some(year) = self.year.as_ref().and_then(|c| c.first(doc)) {
            *self.years.entry(year).or_default() += 1;
        }
    }

    fn harvest(self) -> Facets {
        let mut category = BTreeMap::new();
        if let Some(column) = &self.category {
            let mut name = String::new();
            for (ord, n) in self.category_ords.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                if column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    category.insert(name.clone(), n);
                }
            }
        }
        Facets { category, year: self.years.into_iter().collect() }
    }
}
