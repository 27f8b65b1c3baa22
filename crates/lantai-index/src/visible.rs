//! Which matches a search may see: the principal's clearance (密级) and access (开放标识,
//! grants), and the user's filters (门类, 年度, 密级), decided per match from the segment's
//! arrays before anything is counted, faceted or ranked, so nothing invisible leaks into a
//! result, total or facet.

use std::sync::Arc;

use lantai_model::Classification;

use crate::query::{Filters, Visibility};
use crate::segment_values::{AccessCode, SegmentValues};

/// What a search may see, before it meets a segment.
#[derive(Debug, Clone)]
pub(crate) struct Admit {
    pub filters: Filters,
    pub visibility: Visibility,
}

/// [`Admit`] in one segment's terms (names turned into the segment's table indexes).
pub(crate) struct SegmentAdmit {
    values: Arc<SegmentValues>,
    /// Highest rank visible (`None`: every 密级).
    max_rank: Option<u8>,
    /// Ranks the user asked for (indexed by rank; `None`: any).
    ranks: Option<Vec<bool>>,
    /// Category indexes the user asked for.
    categories: Option<Vec<bool>>,
    /// Year indexes within the user's range.
    years: Option<Vec<bool>>,
    /// `None`: every 开放标识; otherwise controlled records are visible in these 机构 and 门类.
    grants: Option<(Vec<bool>, Vec<bool>)>,
    /// Nothing to check (every 密级 and 开放标识, no filter).
    all: bool,
}

/// Whether index `i` is in `set` (an absent value never is).
fn member(set: &[bool], i: u32) -> bool {
    set.get(i as usize).copied().unwrap_or(false)
}

fn among(names: &[String], wanted: &[String]) -> Vec<bool> {
    names.iter().map(|n| wanted.contains(n)).collect()
}

impl Admit {
    pub fn for_segment(&self, values: Arc<SegmentValues>) -> SegmentAdmit {
        let (filters, visibility) = (&self.filters, &self.visibility);
        let max_rank = (visibility.clearance != Classification::TopSecret)
            .then(|| u8::try_from(visibility.clearance.rank()).unwrap_or(0));
        let ranks = (!filters.classifications.is_empty()).then(|| {
            let mut set = vec![false; 256];
            for c in &filters.classifications {
                if let Some(slot) = set.get_mut(c.rank() as usize) {
                    *slot = true;
                }
            }
            set
        });
        let categories = (!filters.categories.is_empty()).then(|| among(&values.categories, &filters.categories));
        let years = (filters.year_from.is_some() || filters.year_to.is_some()).then(|| {
            let (from, to) = (filters.year_from.unwrap_or(i64::MIN), filters.year_to.unwrap_or(i64::MAX));
            values.years.iter().map(|y| (from..=to).contains(y)).collect()
        });
        let grants = (!visibility.every_access).then(|| {
            let g = &visibility.grants;
            (among(&values.org_units, &g.departments), among(&values.categories, &g.categories))
        });
        let all = max_rank.is_none() && ranks.is_none() && categories.is_none() && years.is_none() && grants.is_none();
        SegmentAdmit { values, max_rank, ranks, categories, years, grants, all }
    }
}

impl SegmentAdmit {
    /// Whether `doc` may be seen.
    #[inline]
    pub fn admits(&self, doc: u32) -> bool {
        if self.all {
            return true;
        }
        let d = doc as usize;
        let Some(&gate) = self.values.gates.get(d) else { return false };
        let rank = gate.rank();
        if self.max_rank.is_some_and(|max| rank > max) {
            return false;
        }
        if self.ranks.as_ref().is_some_and(|set| !member(set, u32::from(rank))) {
            return false;
        }
        let category = u32::from(self.values.facets[d].category);
        if self.categories.as_ref().is_some_and(|set| !member(set, category)) {
            return false;
        }
        if self.years.as_ref().is_some_and(|set| !member(set, u32::from(self.values.facets[d].year))) {
            return false;
        }
        match (&self.grants, gate.access()) {
            (None, _) | (Some(_), AccessCode::Open) => true,
            (Some((units, categories)), AccessCode::Controlled) => {
                member(units, self.values.org_unit[d]) || member(categories, category)
            }
            (Some(_), AccessCode::Other) => false,
        }
    }

    /// The segment's arrays.
    pub fn values(&self) -> &SegmentValues {
        &self.values
    }
}
