//! SERVQUAL scoring of one group of responses: gaps, dimension scores, weighted score, SERVPERF,
//! Cronbach's α, the zone of tolerance, and Grönroos technical/functional quality.
//!
//! For "zot" responses `desired` stands in for the expectation E and `perceived` for the perception
//! P, so both formats feed the same gap formulas.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::instrument::{Dimension, ITEM_COUNT};
use crate::response::{Format, Response};
use crate::stats::{cronbach_alpha, mean, summarize, Summary};

/// α below this is conventionally too low for a scale to be read as one construct (Nunnally 1978).
pub const ALPHA_THRESHOLD: f64 = 0.70;

/// One group of responses, grouped by the caller (by period, service point, user type…).
#[derive(Debug, Clone)]
pub struct Scored<'a> {
    /// Group label, copied into the score.
    pub key: String,
    /// The group's responses.
    pub responses: Vec<&'a Response>,
}

/// Cronbach's α of one dimension, on perceptions, expectations and gaps.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, ToSchema)]
pub struct Alpha {
    /// α of the perception items.
    pub p: Option<f64>,
    /// α of the expectation items.
    pub e: Option<f64>,
    /// α of the item gaps.
    pub g: Option<f64>,
}

/// Scores of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DimensionScore {
    /// Respondents counted (answered E and P on at least half the dimension's items).
    pub n: usize,
    /// Summary of counted respondents' mean E.
    pub expectation: Summary,
    /// Summary of counted respondents' mean P.
    pub perception: Summary,
    /// Summary of counted respondents' mean gap P − E.
    pub gap: Summary,
    /// The SERVQUAL dimension score: mean of respondents' mean gaps (equals `gap.mean`).
    pub score: Option<f64>,
    /// Internal consistency of the dimension's items.
    pub alpha: Alpha,
    /// Any α present and below [`ALPHA_THRESHOLD`]: read the dimension score with care.
    pub alpha_low: bool,
}

/// Statistics of one item.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ItemScore {
    /// Item number.
    pub item: u8,
    /// Its dimension.
    pub dimension: Dimension,
    /// Respondents who gave E or P (or both) for this item.
    pub n: usize,
    /// Over respondents who gave E.
    pub expectation: Summary,
    /// Over respondents who gave P.
    pub perception: Summary,
    /// Over respondents who gave both.
    pub gap: Summary,
}

/// Zone-of-tolerance figures of one dimension, for radar and thermometer charts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ToSchema)]
pub struct ZoneDimension {
    /// Summary of respondents' mean minimum level.
    pub minimum: Summary,
    /// Summary of respondents' mean desired level.
    pub desired: Summary,
    /// Summary of respondents' mean perceived level.
    pub perceived: Summary,
    /// Measure of service adequacy, perceived − minimum.
    pub adequacy_gap: Summary,
    /// Measure of service superiority, perceived − desired.
    pub superiority_gap: Summary,
}

/// Zone-of-tolerance results (PZB 1994), from "zot" responses only.
///
/// The unit is a *complete triple*: an item answer with minimum, desired and perceived all given.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ZoneScore {
    /// "zot" respondents with at least one complete triple.
    pub n: usize,
    /// MSA = perceived − minimum: summary of respondents' mean over all their triples.
    pub adequacy_gap: Summary,
    /// MSS = perceived − desired: summary of respondents' mean over all their triples.
    pub superiority_gap: Summary,
    /// Share of triples with perceived < minimum.
    pub below: f64,
    /// Share of triples with minimum ≤ perceived ≤ desired.
    pub within: f64,
    /// Share of triples with perceived > desired.
    pub above: f64,
    /// Per dimension; a respondent counts when they gave triples for at least half its items.
    pub dimensions: BTreeMap<Dimension, ZoneDimension>,
}

/// Everything reported for one group.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GroupScore {
    /// The group label.
    pub key: String,
    /// Number of responses in the group.
    pub n: usize,
    /// `n < min_n`: every statistic is withheld so no individual can be singled out.
    pub suppressed: bool,
    /// Mean of the five dimension scores (only when all five exist).
    pub unweighted: Option<f64>,
    /// Mean over respondents of their importance-weighted gap.
    pub weighted: Option<f64>,
    /// Mean of the five dimension perception means (Cronin & Taylor 1992).
    pub servperf: Option<f64>,
    /// All five dimensions unless suppressed.
    pub dimensions: BTreeMap<Dimension, DimensionScore>,
    /// Items 1..=22 unless suppressed.
    pub items: Vec<ItemScore>,
    /// Zone of tolerance; `None` without at least `min_n` "zot" respondents with a triple.
    pub zone: Option<ZoneScore>,
    /// Technical quality ratings (what was delivered).
    pub technical: Summary,
    /// Functional quality ratings (how it was delivered).
    pub functional: Summary,
    /// Share of `found_record == true` among those who answered it.
    pub found_record_share: Option<f64>,
}

const SLOTS: usize = ITEM_COUNT as usize + 1;

/// One respondent's answers indexed by item number (slot 0 unused). If a stored response somehow
/// repeats an item, the first answer wins, as in validation.
struct Sheet {
    e: [Option<f64>; SLOTS],
    p: [Option<f64>; SLOTS],
    /// (minimum, desired, perceived) where all three were given; "zot" only.
    triple: [Option<(f64, f64, f64)>; SLOTS],
    seen: [bool; SLOTS],
}

impl Sheet {
    fn of(r: &Response) -> Sheet {
        let mut s = Sheet { e: [None; SLOTS], p: [None; SLOTS], triple: [None; SLOTS], seen: [false; SLOTS] };
        for a in &r.answers {
            let i = usize::from(a.item);
            if Dimension::of_item(a.item).is_none() || s.seen[i] {
                continue;
            }
            s.seen[i] = true;
            (s.e[i], s.p[i]) = a.expectation_perception(r.format);
            if r.format == Format::Zot {
                if let (Some(lo), Some(hi), Some(p)) = (a.minimum, a.desired, a.perceived) {
                    s.triple[i] = Some((lo, hi, p));
                }
            }
        }
        s
    }

    /// (E, P) pairs of the dimension's items where both were given.
    fn pairs(&self, d: Dimension) -> Vec<(f64, f64)> {
        d.items().filter_map(|i| Some((self.e[usize::from(i)]?, self.p[usize::from(i)]?))).collect()
    }

    fn triples(&self, items: impl Iterator<Item = u8>) -> Vec<(f64, f64, f64)> {
        items.filter_map(|i| self.triple[usize::from(i)]).collect()
    }
}

/// The half-items rule: a respondent counts in a dimension of k items with at least ⌈k/2⌉ answered.
pub fn min_items(d: Dimension) -> usize {
    d.items().len().div_ceil(2)
}

/// A counted respondent's means within one dimension, all over the same items so that
/// `p − e == g`.
#[derive(Clone, Copy)]
struct Means {
    e: f64,
    p: f64,
    g: f64,
}

fn respondent_means(sheet: &Sheet, d: Dimension) -> Option<Means> {
    let pairs = sheet.pairs(d);
    if pairs.len() < min_items(d) {
        return None;
    }
    let es: Vec<f64> = pairs.iter().map(|(e, _)| *e).collect();
    let ps: Vec<f64> = pairs.iter().map(|(_, p)| *p).collect();
    let gs: Vec<f64> = pairs.iter().map(|(e, p)| p - e).collect();
    Some(Means { e: mean(&es)?, p: mean(&ps)?, g: mean(&gs)? })
}

/// Complete-case rows of one dimension: respondents who gave `value` on every item.
fn complete_rows(sheets: &[Sheet], d: Dimension, value: impl Fn(&Sheet, usize) -> Option<f64>) -> Vec<Vec<f64>> {
    sheets.iter().filter_map(|s| d.items().map(|i| value(s, usize::from(i))).collect::<Option<Vec<f64>>>()).collect()
}

fn dimension_score(sheets: &[Sheet], d: Dimension, means: &[Option<Means>]) -> DimensionScore {
    let counted: Vec<Means> = means.iter().flatten().copied().collect();
    let gap = summarize(&counted.iter().map(|m| m.g).collect::<Vec<_>>());
    let alpha = Alpha {
        p: cronbach_alpha(&complete_rows(sheets, d, |s, i| s.p[i])),
        e: cronbach_alpha(&complete_rows(sheets, d, |s, i| s.e[i])),
        g: cronbach_alpha(&complete_rows(sheets, d, |s, i| Some(s.p[i]? - s.e[i]?))),
    };
    DimensionScore {
        n: counted.len(),
        expectation: summarize(&counted.iter().map(|m| m.e).collect::<Vec<_>>()),
        perception: summarize(&counted.iter().map(|m| m.p).collect::<Vec<_>>()),
        gap,
        score: gap.mean,
        alpha_low: [alpha.p, alpha.e, alpha.g].into_iter().flatten().any(|a| a < ALPHA_THRESHOLD),
        alpha,
    }
}

fn item_score(sheets: &[Sheet], item: u8, dimension: Dimension) -> ItemScore {
    let i = usize::from(item);
    let es: Vec<f64> = sheets.iter().filter_map(|s| s.e[i]).collect();
    let ps: Vec<f64> = sheets.iter().filter_map(|s| s.p[i]).collect();
    let gs: Vec<f64> = sheets.iter().filter_map(|s| Some(s.p[i]? - s.e[i]?)).collect();
    ItemScore {
        item,
        dimension,
        n: sheets.iter().filter(|s| s.e[i].is_some() || s.p[i].is_some()).count(),
        expectation: summarize(&es),
        perception: summarize(&ps),
        gap: summarize(&gs),
    }
}

fn zone_score(sheets: &[&Sheet], min_n: usize) -> Option<ZoneScore> {
    let (mut below, mut within, mut above, mut total) = (0usize, 0usize, 0usize, 0usize);
    let mut msa = Vec::new();
    let mut mss = Vec::new();
    for s in sheets {
        let all = s.triples(1..=ITEM_COUNT);
        if all.is_empty() {
            continue;
        }
        for &(lo, hi, p) in &all {
            total += 1;
            if p < lo {
                below += 1;
            } else if p > hi {
                above += 1;
            } else {
                within += 1;
            }
        }
        msa.push(mean(&all.iter().map(|(lo, _, p)| p - lo).collect::<Vec<_>>())?);
        mss.push(mean(&all.iter().map(|(_, hi, p)| p - hi).collect::<Vec<_>>())?);
    }
    let n = msa.len();
    if n == 0 || n < min_n {
        return None;
    }
    let dimensions = Dimension::ALL
        .into_iter()
        .map(|d| {
            let mut cols: [Vec<f64>; 5] = Default::default();
            for s in sheets {
                let t = s.triples(d.items());
                if t.len() < min_items(d) {
                    continue;
                }
                let per = |f: fn(&(f64, f64, f64)) -> f64| mean(&t.iter().map(f).collect::<Vec<_>>());
                let values = [per(|t| t.0), per(|t| t.1), per(|t| t.2), per(|t| t.2 - t.0), per(|t| t.2 - t.1)];
                for (col, v) in cols.iter_mut().zip(values) {
                    col.extend(v);
                }
            }
            let [lo, hi, p, a, s] = cols.map(|c| summarize(&c));
            (d, ZoneDimension { minimum: lo, desired: hi, perceived: p, adequacy_gap: a, superiority_gap: s })
        })
        .collect();
    let share = |k: usize| k as f64 / total as f64;
    Some(ZoneScore {
        n,
        adequacy_gap: summarize(&msa),
        superiority_gap: summarize(&mss),
        below: share(below),
        within: share(within),
        above: share(above),
        dimensions,
    })
}

/// Scores one group. Groups with fewer than `min_n` responses come back suppressed and empty.
///
/// Definitions (E/P are desired/perceived for "zot" responses):
/// * item statistics over respondents who answered the item (gap where both E and P were given);
/// * a respondent counts in a dimension of k items after answering both E and P on ≥ ⌈k/2⌉ of them;
///   their mean E, P and gap are taken over those items; the dimension `score` is the mean of the
///   counted respondents' mean gaps;
/// * `unweighted` = mean of the five dimension scores; `servperf` = mean of the five dimension
///   perception means; both only when all five exist;
/// * `weighted` = mean, over respondents with importance points and all five dimension gaps, of
///   Σ_d w_d · gap_d where w_d = points_d / Σ points (see [`crate::Importance::weights`]);
/// * α per dimension on P, E and G, each over the respondents complete on that measure;
/// * zone of tolerance from "zot" complete triples, withheld below `min_n` such respondents.
pub fn score_group(group: &Scored, min_n: usize) -> GroupScore {
    let n = group.responses.len();
    if n < min_n {
        return GroupScore {
            key: group.key.clone(),
            n,
            suppressed: true,
            unweighted: None,
            weighted: None,
            servperf: None,
            dimensions: BTreeMap::new(),
            items: Vec::new(),
            zone: None,
            technical: Summary::default(),
            functional: Summary::default(),
            found_record_share: None,
        };
    }

    let sheets: Vec<Sheet> = group.responses.iter().map(|r| Sheet::of(r)).collect();
    // means[d][respondent]
    let means: BTreeMap<Dimension, Vec<Option<Means>>> =
        Dimension::ALL.into_iter().map(|d| (d, sheets.iter().map(|s| respondent_means(s, d)).collect())).collect();
    let dimensions: BTreeMap<Dimension, DimensionScore> =
        means.iter().map(|(d, m)| (*d, dimension_score(&sheets, *d, m))).collect();

    let all_five = |f: fn(&DimensionScore) -> Option<f64>| -> Option<f64> {
        let v: Option<Vec<f64>> = dimensions.values().map(f).collect();
        v.filter(|v| v.len() == Dimension::ALL.len()).and_then(|v| mean(&v))
    };
    let unweighted = all_five(|d| d.score);
    let servperf = all_five(|d| d.perception.mean);

    let weighted_each: Vec<f64> = group
        .responses
        .iter()
        .enumerate()
        .filter_map(|(r, resp)| {
            let w = resp.importance.as_ref()?.weights()?;
            Dimension::ALL.into_iter().map(|d| Some(w.get(&d)? * means.get(&d)?.get(r)?.as_ref()?.g)).sum()
        })
        .collect();

    let items =
        Dimension::ALL.into_iter().flat_map(|d| d.items().map(move |i| (i, d))).map(|(i, d)| item_score(&sheets, i, d));

    let zot: Vec<&Sheet> =
        sheets.iter().zip(&group.responses).filter(|(_, r)| r.format == Format::Zot).map(|(s, _)| s).collect();
    let technical: Vec<f64> = group.responses.iter().filter_map(|r| r.technical).collect();
    let functional: Vec<f64> = group.responses.iter().filter_map(|r| r.functional).collect();
    let found: Vec<bool> = group.responses.iter().filter_map(|r| r.found_record).collect();

    GroupScore {
        key: group.key.clone(),
        n,
        suppressed: false,
        unweighted,
        weighted: mean(&weighted_each),
        servperf,
        dimensions,
        items: items.collect(),
        zone: zone_score(&zot, min_n),
        technical: summarize(&technical),
        functional: summarize(&functional),
        found_record_share: (!found.is_empty())
            .then(|| found.iter().filter(|f| **f).count() as f64 / found.len() as f64),
    }
}
