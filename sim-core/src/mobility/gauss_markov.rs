//! Gauss–Markov mobility: speed and direction each follow a first-order autoregressive process
//! with memory `α`, updated every `step` seconds (Liang & Haas, INFOCOM 1999; radio.md §G, as
//! in ns-3's `GaussMarkovMobilityModel`):
//!
//! `sₙ = α·sₙ₋₁ + (1 − α)·μₛ + σₛ·√(1 − α²)·wₙ`, and the same for the direction `dₙ`,
//! `wₙ ~ N(0, 1)` drawn independently for each.
//!
//! `α = 0` is a memoryless walk (a fresh speed and direction every step), `α → 1` a straight
//! line. The stationary law of the speed is `N(μₛ, σₛ²)` with lag-1 autocorrelation `α` (the
//! speed `k` steps apart correlates as `αᵏ`). A walker starts from that stationary law (speed
//! and direction drawn from `N(μ, σ²)`, at a uniform point of its rectangle), so the statistics
//! hold from t = 0 and no warm-up is needed.
//!
//! Between updates the walker moves in a straight line at its current velocity
//! `sₙ·(cos dₙ, sin dₙ)`; a negative speed walks backwards.
//!
//! # The boundary rule
//!
//! A walker that reaches an edge of its rectangle is reflected: the position is mirrored back
//! inside and the component of its direction across that edge is reversed, both the current
//! direction and the mean it is pulled towards (so it keeps walking away from the wall rather
//! than being pulled straight back onto it; Camp, Boleng & Davies, WCMC 2:483, 2002, turn the
//! mean direction near edges for the same reason). The speed process is untouched by the rule.

use crate::phy::Position;
use crate::rng::Stream;
use rand_distr::{Distribution, StandardNormal};

/// A Gauss–Markov model's parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GaussMarkov {
    /// South-west corner of the rectangle (its `z` is the walker's height), m.
    pub origin: Position,
    /// Width (east) and depth (north), m, both > 0.
    pub size: [f64; 2],
    /// Memory `α` in [0, 1]: 0 memoryless, 1 a straight line. ns-3's default is 1.0 (radio.md
    /// §G); a wandering patient is nearer 0.75 (Liang & Haas's examples use 0.75) [U].
    pub alpha: f64,
    /// Mean speed `μₛ`, m/s (normal walking 0.94–1.43 m/s, Bohannon & Andrews 2011, radio.md
    /// §G).
    pub mean_speed: f64,
    /// Standard deviation of the stationary speed `σₛ`, m/s, ≥ 0.
    pub speed_sd: f64,
    /// Mean direction `μ_d`, radians anticlockwise from east.
    pub mean_direction: f64,
    /// Standard deviation of the stationary direction `σ_d`, radians, ≥ 0.
    pub direction_sd: f64,
    /// Time between updates, s, > 0 (ns-3's default 1 s, radio.md §G).
    pub step: f64,
}

impl GaussMarkov {
    /// One update of an AR(1) value `x` with mean `mean` and stationary deviation `sd`.
    fn update(&self, x: f64, mean: f64, sd: f64, rng: &mut Stream) -> f64 {
        let w: f64 = StandardNormal.sample(rng);
        let a = self.alpha;
        a * x + (1.0 - a) * mean + sd * (1.0 - a * a).max(0.0).sqrt() * w
    }
}

/// One Gauss–Markov walker: its state at the last update and when the next one falls.
#[derive(Clone, Debug)]
pub struct GaussMarkovWalker {
    model: GaussMarkov,
    /// Position at the last update.
    at: Position,
    /// Time of the last update, s.
    t: f64,
    speed: f64,
    direction: f64,
    /// The mean direction, mirrored with the walker at the edges.
    mean_direction: f64,
}

impl GaussMarkovWalker {
    /// A walker at t = 0 from the stationary law: a uniform point, speed `N(μₛ, σₛ²)`,
    /// direction `N(μ_d, σ_d²)`.
    pub fn start(model: GaussMarkov, rng: &mut Stream) -> GaussMarkovWalker {
        use rand::Rng;
        let at = Position {
            x: model.origin.x + rng.random::<f64>() * model.size[0],
            y: model.origin.y + rng.random::<f64>() * model.size[1],
            z: model.origin.z,
        };
        let ws: f64 = StandardNormal.sample(rng);
        let wd: f64 = StandardNormal.sample(rng);
        GaussMarkovWalker {
            model,
            at,
            t: 0.0,
            speed: model.mean_speed + model.speed_sd * ws,
            direction: model.mean_direction + model.direction_sd * wd,
            mean_direction: model.mean_direction,
        }
    }

    /// Where the walk from the last update reaches after `dt` seconds, reflected at the edges;
    /// with `commit`, the direction and mean direction are mirrored as the walker was.
    fn walk(&mut self, dt: f64, commit: bool) -> Position {
        let (sin, cos) = self.direction.sin_cos();
        let mut p = Position {
            x: self.at.x + self.speed * cos * dt,
            y: self.at.y + self.speed * sin * dt,
            z: self.at.z,
        };
        let (x, flip_x) = reflect(p.x, self.model.origin.x, self.model.size[0]);
        let (y, flip_y) = reflect(p.y, self.model.origin.y, self.model.size[1]);
        p.x = x;
        p.y = y;
        if commit {
            // Reversing the east component mirrors an angle θ to π − θ; the north one, to −θ.
            if flip_x {
                self.direction = std::f64::consts::PI - self.direction;
                self.mean_direction = std::f64::consts::PI - self.mean_direction;
            }
            if flip_y {
                self.direction = -self.direction;
                self.mean_direction = -self.mean_direction;
            }
        }
        p
    }

    /// Applies every update up to `t` seconds (non-decreasing across calls).
    fn advance(&mut self, t: f64, rng: &mut Stream) {
        let step = self.model.step;
        while t >= self.t + step {
            self.at = self.walk(step, true);
            self.t += step;
            let m = self.model;
            self.speed = m.update(self.speed, m.mean_speed, m.speed_sd, rng);
            self.direction = m.update(self.direction, self.mean_direction, m.direction_sd, rng);
        }
    }

    /// The position at `t` seconds.
    pub fn at(&mut self, t: f64, rng: &mut Stream) -> Position {
        self.advance(t, rng);
        self.walk(t - self.t, false)
    }

    /// The speed at `t` seconds, m/s (its magnitude: a walker going backwards still walks).
    pub fn speed(&mut self, t: f64, rng: &mut Stream) -> f64 {
        self.advance(t, rng);
        self.speed.abs()
    }

    /// The signed speed of the current step, m/s (the AR(1) value itself).
    pub fn speed_value(&self) -> f64 {
        self.speed
    }
}

/// `x` folded back into `[lo, lo + len]` by mirroring at its ends, and whether it was folded an
/// odd number of times (the direction across reverses).
fn reflect(x: f64, lo: f64, len: f64) -> (f64, bool) {
    if len <= 0.0 {
        return (lo, false);
    }
    let period = 2.0 * len;
    let r = (x - lo).rem_euclid(period);
    let folds = ((x - lo) / len).floor();
    let flipped = folds.rem_euclid(2.0) != 0.0;
    if r <= len {
        (lo + r, flipped)
    } else {
        (lo + period - r, flipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    fn model(alpha: f64) -> GaussMarkov {
        GaussMarkov {
            origin: Position::new(0.0, 0.0),
            size: [40.0, 20.0],
            alpha,
            mean_speed: 1.2,
            speed_sd: 0.3,
            mean_direction: 0.5,
            direction_sd: 0.8,
            step: 1.0,
        }
    }

    /// The speed at each of `n` updates of one walker.
    fn speeds(alpha: f64, n: usize) -> Vec<f64> {
        let mut r = rng::stream(11, "mobility:test");
        let mut w = GaussMarkovWalker::start(model(alpha), &mut r);
        (0..n)
            .map(|k| {
                w.at(k as f64 + 0.5, &mut r);
                w.speed_value()
            })
            .collect()
    }

    #[test]
    fn the_speed_has_its_stationary_mean_variance_and_lag_one_autocorrelation() {
        for alpha in [0.0, 0.5, 0.75, 0.9] {
            let n = 200_000;
            let s = speeds(alpha, n);
            let mean = s.iter().sum::<f64>() / n as f64;
            let var = s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let lag1 = s
                .windows(2)
                .map(|w| (w[0] - mean) * (w[1] - mean))
                .sum::<f64>()
                / ((n - 1) as f64 * var);
            // AR(1): the sample mean's variance is σ²/n·(1 + α)/(1 − α); allow 4 of its sd.
            let se_mean = (0.09 / n as f64 * (1.0 + alpha) / (1.0 - alpha)).sqrt();
            assert!((mean - 1.2).abs() < 4.0 * se_mean, "α {alpha}: mean {mean}");
            // The sample variance and lag-1 autocorrelation: within a few per cent.
            assert!((var / 0.09 - 1.0).abs() < 0.03, "α {alpha}: variance {var}");
            assert!((lag1 - alpha).abs() < 0.01, "α {alpha}: lag-1 {lag1}");
        }
    }

    #[test]
    fn a_walker_stays_in_its_rectangle_and_moves_continuously() {
        let m = GaussMarkov {
            mean_speed: 3.0,
            ..model(0.9)
        };
        let mut r = rng::stream(5, "mobility:test");
        let mut w = GaussMarkovWalker::start(m, &mut r);
        let mut last = w.at(0.0, &mut r);
        let mut last_speed = w.speed(0.0, &mut r);
        for k in 1..20_000 {
            let t = k as f64 * 0.1;
            let p = w.at(t, &mut r);
            let speed = w.speed(t, &mut r);
            assert!(
                (0.0..=40.0).contains(&p.x) && (0.0..=20.0).contains(&p.y),
                "{p:?}"
            );
            // 0.1 s spans at most two steps: at most the faster one's speed·0.1 s apart (a
            // reflection only shortens the straight line).
            assert!(
                last.distance(p) <= speed.max(last_speed) * 0.1 + 1e-9,
                "{t}"
            );
            (last, last_speed) = (p, speed);
        }
    }

    #[test]
    fn memory_one_walks_a_straight_line_at_constant_speed() {
        let m = GaussMarkov {
            size: [1e6, 1e6],
            origin: Position::new(-5e5, -5e5),
            ..model(1.0)
        };
        let mut r = rng::stream(3, "mobility:test");
        let mut w = GaussMarkovWalker::start(m, &mut r);
        let p0 = w.at(0.0, &mut r);
        let v = w.speed_value();
        let p = w.at(100.0, &mut r);
        assert!((p0.distance(p) - v.abs() * 100.0).abs() < 1e-6);
    }

    #[test]
    fn reflection_folds_back_into_the_segment() {
        assert_eq!(reflect(5.0, 0.0, 10.0), (5.0, false));
        assert_eq!(reflect(12.0, 0.0, 10.0), (8.0, true));
        assert_eq!(reflect(-3.0, 0.0, 10.0), (3.0, true));
        assert_eq!(reflect(23.0, 0.0, 10.0), (3.0, false));
    }
}
