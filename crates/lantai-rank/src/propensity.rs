//! Position bias: how likely a user is to look at rank k at all.
//!
//! Estimated by the RandPair intervention (Joachims, Swaminathan & Schnabel, 2017): on a small
//! share of searches one adjacent pair (k, k+1) is put in random order. Over those searches the
//! two records are equally relevant on average at either rank, so the ratio of clicks at k+1 to
//! clicks at k estimates p(k+1)/p(k). Chained from p(1) = 1 this gives every propensity; each
//! ratio is smoothed towards the usual 1/k prior so a handful of swaps cannot swing it.

use serde::{Deserialize, Serialize};

/// Ranks whose adjacent-pair ratio is estimated from swaps; deeper ranks follow the prior.
pub const ESTIMATED_PAIRS: usize = 20;
/// Pseudo-clicks of the 1/k prior in every ratio.
const PRIOR_CLICKS: f64 = 5.0;

/// Click counts from randomised adjacent pairs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PositionBias {
    /// `pairs[k-1] = [clicks at k, clicks at k+1]` over searches whose pair (k, k+1) was randomised.
    pairs: Vec<[f64; 2]>,
    /// Searches with pair (k, k+1) randomised, per k.
    randomised: Vec<u64>,
    /// All clicks per rank (for the summary).
    clicks: Vec<u64>,
}

impl PositionBias {
    /// Notes a search whose pair (k, k+1) was randomised.
    pub fn note_randomised(&mut self, k: u32) {
        if let Some(i) = pair_index(k) {
            grow(&mut self.randomised, i + 1);
            self.randomised[i] += 1;
        }
    }

    /// Notes a first click at `position` (from 1); `randomised` is the search's randomised pair.
    pub fn note_click(&mut self, position: u32, randomised: Option<u32>) {
        if position == 0 {
            return;
        }
        let p = position as usize;
        grow(&mut self.clicks, p);
        self.clicks[p - 1] += 1;
        if let Some(k) = randomised {
            if let Some(i) = pair_index(k) {
                if position == k || position == k + 1 {
                    grow(&mut self.pairs, i + 1);
                    self.pairs[i][(position - k) as usize] += 1.0;
                }
            }
        }
    }

    /// p(k+1)/p(k): smoothed, and never above 1 (a lower rank is not looked at more often).
    fn ratio(&self, k: u32) -> f64 {
        let prior = f64::from(k) / f64::from(k + 1);
        let [at_k, at_next] = pair_index(k).and_then(|i| self.pairs.get(i)).copied().unwrap_or([0.0, 0.0]);
        ((at_next + PRIOR_CLICKS * prior) / (at_k + PRIOR_CLICKS)).clamp(0.01, 1.0)
    }

    /// Examination propensity of `position` (from 1), relative to rank 1.
    pub fn propensity(&self, position: u32) -> f64 {
        (1..position.max(1)).map(|k| self.ratio(k)).product()
    }

    /// The weight of a click at `position`: 1/p, clipped at `max`.
    pub fn inverse(&self, position: u32, max: f64) -> f64 {
        (1.0 / self.propensity(position).max(1e-9)).min(max)
    }

    /// Clicks seen at each rank, and the searches randomised at each pair.
    pub fn counts(&self, position: u32) -> (u64, u64) {
        let i = position as usize;
        let clicks = i.checked_sub(1).and_then(|i| self.clicks.get(i)).copied().unwrap_or(0);
        let randomised = pair_index(position).and_then(|i| self.randomised.get(i)).copied().unwrap_or(0);
        (clicks, randomised)
    }
}

fn pair_index(k: u32) -> Option<usize> {
    (1..=ESTIMATED_PAIRS as u32).contains(&k).then(|| k as usize - 1)
}

fn grow<T: Default + Clone>(v: &mut Vec<T>, len: usize) {
    if v.len() < len {
        v.resize(len, T::default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_swaps_the_prior_is_one_over_rank() {
        let bias = PositionBias::default();
        for k in 1..30 {
            assert!((bias.propensity(k) - 1.0 / f64::from(k)).abs() < 1e-9, "rank {k}");
        }
        assert_eq!(bias.inverse(50, 20.0), 20.0, "clipped");
    }
}
