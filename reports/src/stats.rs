//! Statistics over independent replications.
//!
//! For a metric observed once per replication, x₁…xₙ: the sample mean x̄, the sample standard
//! deviation s (n − 1 in the denominator), and the 95 % confidence interval of the mean
//! x̄ ± t₀.₉₇₅,ₙ₋₁ · s/√n with Student's t quantile from `statrs`. Replications are independent
//! (separate seeds), so the interval is exact under normality and asymptotically right otherwise.
//! With n = 1 there is no interval: it is reported as absent, never as NaN.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Summary statistics of one metric over replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Replications in which the metric was defined.
    pub n: usize,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1); absent for n = 1.
    pub sd: Option<f64>,
    /// Lower end of the 95 % CI of the mean; absent for n = 1.
    pub ci95_low: Option<f64>,
    /// Upper end of the 95 % CI of the mean; absent for n = 1.
    pub ci95_high: Option<f64>,
    /// Half-width of the 95 % CI; absent for n = 1.
    pub ci95_half_width: Option<f64>,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// The two-sided 95 % Student-t quantile for `df` degrees of freedom.
pub fn t95(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN)
}

/// Summarises the defined values of a metric; `None` if it was never defined.
pub fn summarise(values: &[Option<f64>]) -> Option<Summary> {
    let xs: Vec<f64> = values.iter().flatten().copied().collect();
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (sd, half) = if n > 1 {
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let sd = var.sqrt();
        (Some(sd), Some(t95((n - 1) as f64) * sd / (n as f64).sqrt()))
    } else {
        (None, None)
    };
    Some(Summary {
        n,
        mean,
        sd,
        ci95_low: half.map(|h| mean - h),
        ci95_high: half.map(|h| mean + h),
        ci95_half_width: half,
        min,
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_published_table() {
        // Student-t table, two-sided 95 %: df 1 → 12.706, 4 → 2.776, 9 → 2.262, 30 → 2.042.
        for (df, t) in [(1.0, 12.706), (4.0, 2.776), (9.0, 2.262), (30.0, 2.042)] {
            assert!((t95(df) - t).abs() < 1e-3, "df {df}: {}", t95(df));
        }
    }

    #[test]
    fn interval_of_a_known_sample() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, s = √(32/7) = 2.138, half-width 2.365 · s/√8 = 1.788.
        let xs: Vec<Option<f64>> = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0].map(Some).to_vec();
        let s = summarise(&xs).unwrap();
        assert_eq!(s.n, 8);
        assert!((s.mean - 5.0).abs() < 1e-12);
        assert!((s.sd.unwrap() - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert!((s.ci95_half_width.unwrap() - 1.7875).abs() < 1e-3);
        assert_eq!((s.min, s.max), (2.0, 9.0));
    }

    #[test]
    fn one_replication_has_no_interval_and_undefined_values_are_skipped() {
        let s = summarise(&[Some(3.0), None]).unwrap();
        assert_eq!(s.n, 1);
        assert_eq!(s.ci95_half_width, None);
        assert_eq!(s.sd, None);
        assert!(summarise(&[None, None]).is_none());
    }
}
