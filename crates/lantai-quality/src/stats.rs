//! Small descriptive statistics, written out so every figure in a report can be checked by hand.

use serde::Serialize;
use utoipa::ToSchema;

/// Mean, sample standard deviation and median; `None` where a figure is undefined.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, ToSchema)]
pub struct Summary {
    /// Arithmetic mean; `None` for no values.
    pub mean: Option<f64>,
    /// Sample standard deviation (divisor n − 1); `None` for fewer than two values.
    pub sd: Option<f64>,
    /// Median (mean of the two middle values when n is even); `None` for no values.
    pub median: Option<f64>,
}

/// Arithmetic mean, `None` for an empty slice.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().sum::<f64>() / values.len() as f64)
    }
}

/// Sample variance (divisor n − 1), `None` for fewer than two values. Two-pass for accuracy.
pub fn sample_variance(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let m = mean(values)?;
    Some(values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (values.len() - 1) as f64)
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Median, `None` for an empty slice.
pub fn median(values: &[f64]) -> Option<f64> {
    let v = sorted(values);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// Nearest-rank percentile: the value at rank ⌈p/100 · n⌉ (at least 1) of the sorted values.
///
/// Always an observed value, never an interpolation, so a reported p95 latency really happened.
/// `None` for an empty slice or `p` outside 0..=100.
pub fn nearest_rank(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    let v = sorted(values);
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v.get(rank.min(v.len()) - 1).copied()
}

/// Mean, sample SD and median of `values`.
pub fn summarize(values: &[f64]) -> Summary {
    Summary { mean: mean(values), sd: sample_variance(values).map(f64::sqrt), median: median(values) }
}

/// Cronbach's α for internal consistency of a scale.
///
/// `rows` are respondents, columns items; pass complete cases only (rows of unequal length give
/// `None`). α = k/(k−1) · (1 − Σ var(item) / var(total)) with sample variances. `None` when k < 2,
/// there are fewer than two rows, or var(total) = 0. α cannot exceed 1 mathematically
/// (var(total) ≤ k·Σ var(item)); the result is capped at 1 so rounding cannot suggest otherwise.
pub fn cronbach_alpha(rows: &[Vec<f64>]) -> Option<f64> {
    let k = rows.first()?.len();
    if k < 2 || rows.len() < 2 || rows.iter().any(|r| r.len() != k) {
        return None;
    }
    let item_var_sum: f64 = (0..k)
        .map(|j| {
            let column: Vec<f64> = rows.iter().map(|r| r[j]).collect();
            sample_variance(&column)
        })
        .sum::<Option<f64>>()?;
    let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let total_var = sample_variance(&totals)?;
    if total_var.is_nan() || total_var <= 0.0 {
        return None;
    }
    let k = k as f64;
    let alpha = k / (k - 1.0) * (1.0 - item_var_sum / total_var);
    alpha.is_finite().then_some(alpha.min(1.0))
}
