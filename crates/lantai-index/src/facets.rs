//! What one pass over the matches gathers: which are visible, the best of those, how many, and
//! their facet counts (category, year), all read from the segment's arrays.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::segment_values::ValuesCache;
use crate::visible::{Admit, SegmentAdmit};

/// Counts per category code and per year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Matches per 门类 code.
    pub category: BTreeMap<String, u64>,
    /// Matches per 年度.
    pub year: BTreeMap<i64, u64>,
}

/// The visible matches: the best (by `top`), how many there are, and their facets, in one pass.
pub(crate) struct MatchCollector<'a, C> {
    pub top: C,
    pub values: &'a ValuesCache,
    pub admit: &'a Admit,
}

pub(crate) struct SegmentMatches<S> {
    top: S,
    count: usize,
    admit: SegmentAdmit,
    /// Matches per category index; the last slot counts those without one.
    categories: Vec<u64>,
    /// Matches per year index; the last slot counts those without one.
    years: Vec<u64>,
}

/// What [`MatchCollector`] gathers.
pub(crate) struct Matches {
    pub top: Vec<(Score, DocAddress)>,
    pub total: usize,
    pub facets: Facets,
}

impl<C> Collector for MatchCollector<'_, C>
where
    C: Collector<Fruit = Vec<(Score, DocAddress)>>,
{
    type Fruit = Matches;
    type Child = SegmentMatches<C::Child>;

    fn for_segment(&self, ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let values = self.values.of(reader)?;
        Ok(SegmentMatches {
            top: self.top.for_segment(ord, reader)?,
            count: 0,
            categories: vec![0; values.categories.len() + 1],
            years: vec![0; values.years.len() + 1],
            admit: self.admit.for_segment(values),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.top.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(<C::Child as SegmentCollector>::Fruit, usize, Facets)>,
    ) -> tantivy::Result<Matches> {
        let mut tops = Vec::with_capacity(fruits.len());
        let mut out = Matches { top: Vec::new(), total: 0, facets: Facets::default() };
        for (top, count, facets) in fruits {
            tops.push(top);
            out.total += count;
            for (k, v) in facets.category {
                *out.facets.category.entry(k).or_default() += v;
            }
            for (k, v) in facets.year {
                *out.facets.year.entry(k).or_default() += v;
            }
        }
        out.top = self.top.merge_fruits(tops)?;
        Ok(out)
    }
}

impl<S: SegmentCollector> SegmentCollector for SegmentMatches<S> {
    type Fruit = (S::Fruit, usize, Facets);

    fn collect(&mut self, doc: DocId, score: Score) {
        if !self.admit.admits(doc) {
            return;
        }
        self.top.collect(doc, score);
        self.count += 1;
        let Some(v) = self.admit.values().facets.get(doc as usize) else { return };
        // An absent value (past the table) counts in the last slot, which is not reported.
        let slot = usize::from(v.category).min(self.categories.len() - 1);
        self.categories[slot] += 1;
        let slot = usize::from(v.year).min(self.years.len() - 1);
        self.years[slot] += 1;
    }

    fn harvest(self) -> Self::Fruit {
        let values = self.admit.values();
        let category = values.categories.iter().zip(&self.categories).filter(|(_, &n)| n > 0);
        let year = values.years.iter().zip(&self.years).filter(|(_, &n)| n > 0);
        let facets = Facets {
            category: category.map(|(name, &n)| (name.clone(), n)).collect(),
            year: year.map(|(&y, &n)| (y, n)).collect(),
        };
        (self.top.harvest(), self.count, facets)
    }
}
