//! Distributions of random quantities (service times, propagation delays, jitter), mapped onto
//! `rand_distr`. Values are in the quantity's base unit (seconds for times); a time drawn below
//! zero is truncated at zero by [`SimTime::from_secs_f64`](crate::time::SimTime::from_secs_f64).

use crate::rng::Stream;
use crate::time::SimTime;
use rand::Rng;
use rand_distr::{Distribution, Exp, LogNormal, Normal, Pareto, Uniform};

/// Why a distribution's parameters were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A parameter outside its domain (a negative mean, an empty range...).
    #[error("{0}")]
    Invalid(String),
}

/// A distribution over non-negative reals, ready to sample.
#[derive(Clone, Debug)]
pub enum Dist {
    /// Always the same value.
    Const(f64),
    /// Exponential with the given mean (rate = 1/mean).
    Exp {
        /// The mean, 1/λ.
        mean: f64,
        /// The prepared sampler.
        sampler: Exp<f64>,
    },
    /// Uniform on `[low, high)`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
        /// The prepared sampler.
        sampler: Uniform<f64>,
    },
    /// Normal with mean and standard deviation (callers truncate at zero for times).
    Normal {
        /// The mean.
        mean: f64,
        /// The standard deviation.
        sd: f64,
        /// The prepared sampler.
        sampler: Normal<f64>,
    },
    /// Log-normal: `exp(N(mu, sigma))`.
    LogNormal {
        /// Mean of the underlying normal.
        mu: f64,
        /// Standard deviation of the underlying normal.
        sigma: f64,
        /// The prepared sampler.
        sampler: LogNormal<f64>,
    },
    /// Pareto (heavy-tailed): `P(X > x) = (scale / x)^shape` for `x ≥ scale`.
    Pareto {
        /// The minimum value x_m.
        scale: f64,
        /// The tail index α; the mean is finite only for α > 1.
        shape: f64,
        /// The prepared sampler.
        sampler: Pareto<f64>,
    },
    /// Empirical: each draw picks one of the observed values with equal probability (a
    /// bootstrap of measured delays).
    Empirical(Vec<f64>),
}

fn finite_non_negative(what: &str, x: f64) -> Result<f64, DistError> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(DistError::Invalid(format!(
            "{what} must be a finite number ≥ 0, found {x}"
        )))
    }
}

impl Dist {
    /// A constant.
    pub fn constant(value: f64) -> Result<Dist, DistError> {
        Ok(Dist::Const(finite_non_negative("a constant", value)?))
    }

    /// An exponential distribution of the given mean (> 0).
    pub fn exp(mean: f64) -> Result<Dist, DistError> {
        let mean = finite_non_negative("the mean of exp", mean)?;
        if mean == 0.0 {
            return Err(DistError::Invalid(
                "the mean of exp must be > 0, found 0".into(),
            ));
        }
        let sampler = Exp::new(1.0 / mean)
            .map_err(|e| DistError::Invalid(format!("exp with mean {mean}: {e}")))?;
        Ok(Dist::Exp { mean, sampler })
    }

    /// A uniform distribution on `[low, high)`, `0 ≤ low ≤ high`; `low == high` is a constant.
    pub fn uniform(low: f64, high: f64) -> Result<Dist, DistError> {
        let low = finite_non_negative("the low bound of uniform", low)?;
        let high = finite_non_negative("the high bound of uniform", high)?;
        if high < low {
            return Err(DistError::Invalid(format!(
                "uniform needs low ≤ high, found low {low} > high {high}"
            )));
        }
        if high == low {
            return Ok(Dist::Const(low));
        }
        let sampler = Uniform::new(low, high)
            .map_err(|e| DistError::Invalid(format!("uniform({low}, {high}): {e}")))?;
        Ok(Dist::Uniform { low, high, sampler })
    }

    /// A normal distribution; `sd ≥ 0`.
    pub fn normal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        let sd = finite_non_negative("the standard deviation of normal", sd)?;
        if !mean.is_finite() {
            return Err(DistError::Invalid(format!(
                "the mean of normal must be finite, found {mean}"
            )));
        }
        let sampler =
            Normal::new(mean, sd).map_err(|e| DistError::Invalid(format!("normal: {e}")))?;
        Ok(Dist::Normal { mean, sd, sampler })
    }

    /// A log-normal distribution with underlying normal `N(mu, sigma)`.
    pub fn lognormal(mu: f64, sigma: f64) -> Result<Dist, DistError> {
        let sigma = finite_non_negative("sigma of lognormal", sigma)?;
        if !mu.is_finite() {
            return Err(DistError::Invalid(format!(
                "mu of lognormal must be finite, found {mu}"
            )));
        }
        let sampler =
            LogNormal::new(mu, sigma).map_err(|e| DistError::Invalid(format!("lognormal: {e}")))?;
        Ok(Dist::LogNormal { mu, sigma, sampler })
    }

    /// A Pareto distribution with minimum `scale > 0` and tail index `shape > 0`.
    pub fn pareto(scale: f64, shape: f64) -> Result<Dist, DistError> {
        let scale = finite_non_negative("the scale of pareto", scale)?;
        let shape = finite_non_negative("the shape of pareto", shape)?;
        let sampler = Pareto::new(scale, shape).map_err(|e| {
            DistError::Invalid(format!(
                "pareto needs scale > 0 and shape > 0, found ({scale}, {shape}): {e}"
            ))
        })?;
        Ok(Dist::Pareto {
            scale,
            shape,
            sampler,
        })
    }

    /// An empirical distribution over `values` (at least one, each finite and ≥ 0).
    pub fn empirical(values: Vec<f64>) -> Result<Dist, DistError> {
        if values.is_empty() {
            return Err(DistError::Invalid(
                "empirical needs at least one value".into(),
            ));
        }
        for &v in &values {
            finite_non_negative("an empirical value", v)?;
        }
        Ok(Dist::Empirical(values))
    }

    /// Draws one value.
    #[inline]
    pub fn sample(&self, rng: &mut Stream) -> f64 {
        match self {
            Dist::Const(v) => *v,
            Dist::Exp { sampler, .. } => sampler.sample(rng),
            Dist::Uniform { sampler, .. } => sampler.sample(rng),
            Dist::Normal { sampler, .. } => sampler.sample(rng),
            Dist::LogNormal { sampler, .. } => sampler.sample(rng),
            Dist::Pareto { sampler, .. } => sampler.sample(rng),
            Dist::Empirical(values) => values[rng.random_range(0..values.len())],
        }
    }

    /// Draws one duration, the value read as seconds (negative draws become zero).
    #[inline]
    pub fn sample_time(&self, rng: &mut Stream) -> SimTime {
        SimTime::from_secs_f64(self.sample(rng))
    }

    /// Whether sampling draws no random numbers.
    pub fn is_const(&self) -> bool {
        self.const_value().is_some()
    }

    /// The value every sample takes, for a constant (which draws no random number).
    #[inline]
    pub fn const_value(&self) -> Option<f64> {
        match self {
            Dist::Const(v) => Some(*v),
            _ => None,
        }
    }

    /// The same distribution for `factor · X` (a slower CPU, homomorphic computation):
    /// every scale parameter is multiplied, shapes are kept, so the mean scales by `factor`.
    pub fn scaled(&self, factor: f64) -> Result<Dist, DistError> {
        let f = finite_non_negative("a scale factor", factor)?;
        match self {
            Dist::Const(v) => Dist::constant(v * f),
            Dist::Exp { mean, .. } if f > 0.0 => Dist::exp(mean * f),
            Dist::Exp { .. } => Dist::constant(0.0),
            Dist::Uniform { low, high, .. } => Dist::uniform(low * f, high * f),
            Dist::Normal { mean, sd, .. } => Dist::normal(mean * f, sd * f),
            Dist::LogNormal { mu, sigma, .. } if f > 0.0 => Dist::lognormal(mu + f.ln(), *sigma),
            Dist::LogNormal { .. } => Dist::constant(0.0),
            Dist::Pareto { scale, shape, .. } if f > 0.0 => Dist::pareto(scale * f, *shape),
            Dist::Pareto { .. } => Dist::constant(0.0),
            Dist::Empirical(values) => Dist::empirical(values.iter().map(|v| v * f).collect()),
        }
    }

    /// The mean (of the untruncated distribution).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Const(v) => *v,
            Dist::Exp { mean, .. } => *mean,
            Dist::Uniform { low, high, .. } => 0.5 * (low + high),
            Dist::Normal { mean, .. } => *mean,
            Dist::LogNormal { mu, sigma, .. } => (mu + 0.5 * sigma * sigma).exp(),
            Dist::Pareto { scale, shape, .. } if *shape > 1.0 => shape * scale / (shape - 1.0),
            Dist::Pareto { .. } => f64::INFINITY,
            Dist::Empirical(values) => values.iter().sum::<f64>() / values.len() as f64,
        }
    }
}

/// A Bernoulli trial with probability `p`, drawing one uniform only when `0 < p < 1`.
#[inline]
pub fn bernoulli(rng: &mut Stream, p: f64) -> bool {
    if p <= 0.0 {
        false
    } else if p >= 1.0 {
        true
    } else {
        rng.random::<f64>() < p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    fn sample_mean(d: &Dist, n: usize) -> f64 {
        let mut r = rng::stream(1, "dist-test");
        (0..n).map(|_| d.sample(&mut r)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_converge_to_the_stated_means() {
        // n = 200k: the standard error of the exponential's mean is mean/√n ≈ 0.22 %; 1 % is > 4σ.
        for d in [
            Dist::exp(2e-3).unwrap(),
            Dist::uniform(1e-3, 31e-3).unwrap(),
            Dist::normal(5.0, 1.0).unwrap(),
            Dist::lognormal(0.0, 0.5).unwrap(),
            Dist::pareto(1e-3, 3.0).unwrap(),
            Dist::empirical(vec![1.0, 2.0, 6.0]).unwrap(),
        ] {
            let m = sample_mean(&d, 200_000);
            assert!((m / d.mean() - 1.0).abs() < 0.01, "{d:?}: sample mean {m}");
        }
    }

    #[test]
    fn invalid_parameters_are_refused() {
        assert!(Dist::exp(0.0).is_err());
        assert!(Dist::exp(-1.0).is_err());
        assert!(Dist::uniform(2.0, 1.0).is_err());
        assert!(Dist::normal(1.0, -1.0).is_err());
        assert!(Dist::constant(f64::NAN).is_err());
        assert!(matches!(Dist::uniform(1.0, 1.0), Ok(Dist::Const(v)) if v == 1.0));
        assert!(Dist::pareto(0.0, 2.0).is_err());
        assert!(Dist::empirical(vec![]).is_err());
        assert!(Dist::empirical(vec![1.0, -1.0]).is_err());
        assert_eq!(Dist::pareto(1.0, 0.5).unwrap().mean(), f64::INFINITY);
    }

    #[test]
    fn scaling_multiplies_the_mean_and_keeps_the_shape() {
        let dists = [
            Dist::constant(2.0).unwrap(),
            Dist::exp(2.0).unwrap(),
            Dist::uniform(1.0, 3.0).unwrap(),
            Dist::normal(2.0, 0.5).unwrap(),
            Dist::lognormal(0.5, 0.25).unwrap(),
            Dist::pareto(1.0, 3.0).unwrap(),
            Dist::empirical(vec![1.0, 3.0]).unwrap(),
        ];
        for d in dists {
            let s = d.scaled(100.0).unwrap();
            assert!(
                (s.mean() - 100.0 * d.mean()).abs() < 1e-9 * s.mean(),
                "{d:?}"
            );
        }
        assert!(Dist::exp(1.0).unwrap().scaled(-1.0).is_err());
    }
}
