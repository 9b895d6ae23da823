//! Random waypoint: walk at a speed `V ~ U(v_min, v_max)` in a straight line to a point drawn
//! uniformly in a rectangle, pause `P ~ U(p_min, p_max)`, and again.
//!
//! # The stationary start
//!
//! Started from uniform positions at rest, the model's mean speed decays over the run, since
//! slow legs last longer and so hold more and more walkers (Yoon, Liu & Noble, INFOCOM 2003;
//! radio.md §G): over a long run a walker spends a share of time `∝ 1/v` at each speed, so its
//! time-average speed is the harmonic mean `E[1/V]⁻¹ = (b − a)/ln(b/a)` (0.910 m/s for
//! U(0.5, 1.5), not 1.0), and positions crowd the centre, which legs cross more often.
//! [`Walker::start`] therefore draws the initial state from the stationary distribution
//! (Navidi & Camp, IEEE TMC 3:99, 2004, "perfect simulation"):
//! - paused with probability `E[P] / (E[P] + E[L]·E[1/V])`, at a uniform point, for the
//!   residual of a length-biased pause (`∝ p·f(p)`, then a uniform share of it);
//! - else on a leg drawn with density `∝ length` (two uniform points, kept with probability
//!   `length / diagonal`), at a uniform point of it, at a speed of density `∝ f(v)/v`, i.e.
//!   `v = a·(b/a)^U`.
//!
//! `E[L]`, the mean distance between two uniform points of a `w × h` rectangle, is closed-form
//! ([`mean_leg`]). So the mean speed and the spatial density hold from t = 0 and no warm-up is
//! needed; `stationary: false` gives the classic start (uniform, at rest) for comparison.

use super::lerp;
use crate::phy::Position;
use crate::rng::Stream;
use rand::Rng;

/// A random waypoint model's parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RandomWaypoint {
    /// South-west corner of the rectangle (its `z` is the walker's height), m.
    pub origin: Position,
    /// Width (east) and depth (north), m, both > 0.
    pub size: [f64; 2],
    /// Speed bounds, m/s, `0 < min ≤ max`.
    pub speed: [f64; 2],
    /// Pause bounds, s, `0 ≤ min ≤ max`.
    pub pause: [f64; 2],
    /// Start from the stationary distribution (default), else uniform and at rest.
    pub stationary: bool,
}

impl RandomWaypoint {
    /// `E[1/V]`, s/m: `ln(b/a)/(b − a)`, or `1/a` for a constant speed.
    pub fn mean_slowness(&self) -> f64 {
        let [a, b] = self.speed;
        if b - a <= 1e-12 * b {
            1.0 / a
        } else {
            (b / a).ln() / (b - a)
        }
    }

    /// The long-run (stationary) mean speed while walking, m/s: the harmonic mean
    /// `(b − a)/ln(b/a)` of the speed distribution (radio.md §G).
    pub fn stationary_speed(&self) -> f64 {
        1.0 / self.mean_slowness()
    }

    /// The long-run share of time spent pausing: `E[P] / (E[P] + E[L]·E[1/V])`.
    pub fn pause_share(&self) -> f64 {
        let p = 0.5 * (self.pause[0] + self.pause[1]);
        let walk = mean_leg(self.size[0], self.size[1]) * self.mean_slowness();
        if p + walk <= 0.0 { 0.0 } else { p / (p + walk) }
    }

    fn uniform_point(&self, rng: &mut Stream) -> Position {
        Position {
            x: self.origin.x + rng.random::<f64>() * self.size[0],
            y: self.origin.y + rng.random::<f64>() * self.size[1],
            z: self.origin.z,
        }
    }

    fn draw_speed(&self, rng: &mut Stream) -> f64 {
        let [a, b] = self.speed;
        a + rng.random::<f64>() * (b - a)
    }

    fn draw_pause(&self, rng: &mut Stream) -> f64 {
        let [a, b] = self.pause;
        a + rng.random::<f64>() * (b - a)
    }
}

/// Mean distance between two points drawn uniformly in a `w × h` rectangle, m:
/// `d³/15·(…)` in the closed form of Ghosh (1951) / Mathai (1999):
/// `E = (1/15)·(w³/h² + h³/w² + d·(3 − w²/h² − h²/w²))
///    + (1/6)·(h²/w·ln((w + d)/h) + w²/h·ln((h + d)/w))`, `d = √(w² + h²)`.
/// A degenerate side (`h → 0`) gives the segment's `w/3`.
pub fn mean_leg(w: f64, h: f64) -> f64 {
    let (w, h) = (w.max(h), w.min(h));
    if h <= 1e-9 * w {
        return w / 3.0;
    }
    let d = (w * w + h * h).sqrt();
    let (w2, h2) = (w * w, h * h);
    (w2 * w / h2 + h2 * h / w2 + d * (3.0 - w2 / h2 - h2 / w2)) / 15.0
        + (h2 / w * ((w + d) / h).ln() + w2 / h * ((h + d) / w).ln()) / 6.0
}

/// The shortest leg plus pause, s: a walker always moves time forward.
const MIN_LEG_S: f64 = 1e-6;

/// One walker's current leg: from `from` at `t0` to `to` at `t1`, then paused until
/// `resume` (times in seconds).
#[derive(Clone, Debug)]
pub struct Walker {
    model: RandomWaypoint,
    from: Position,
    to: Position,
    t0: f64,
    t1: f64,
    resume: f64,
    speed: f64,
}

impl Walker {
    /// A walker at t = 0, drawn from the stationary distribution (or uniform and at rest for
    /// `stationary: false`).
    pub fn start(model: RandomWaypoint, rng: &mut Stream) -> Walker {
        let here = model.uniform_point(rng);
        let mut w = Walker {
            model,
            from: here,
            to: here,
            t0: 0.0,
            t1: 0.0,
            resume: 0.0,
            speed: 0.0,
        };
        if !model.stationary {
            return w;
        }
        if rng.random::<f64>() < model.pause_share() {
            // Paused: the pause holding t = 0 is length-biased; we are a uniform share in.
            let b = model.pause[1];
            let p = loop {
                let p = model.draw_pause(rng);
                if b <= 0.0 || rng.random::<f64>() * b <= p {
                    break p;
                }
            };
            w.resume = rng.random::<f64>() * p;
            return w;
        }
        // Walking: a length-biased leg, a uniform point on it, a speed biased by 1/v.
        let diagonal = (model.size[0].powi(2) + model.size[1].powi(2)).sqrt();
        let (p1, p2) = loop {
            let p1 = model.uniform_point(rng);
            let p2 = model.uniform_point(rng);
            if rng.random::<f64>() * diagonal <= p1.distance(p2) {
                break (p1, p2);
            }
        };
        let at = lerp(p1, p2, rng.random::<f64>());
        let [a, b] = model.speed;
        let v = a * (b / a).powf(rng.random::<f64>());
        w.from = at;
        w.to = p2;
        w.speed = v;
        w.t1 = at.distance(p2) / v;
        w.resume = w.t1 + model.draw_pause(rng);
        w
    }

    /// Moves on to the leg holding `t` (non-decreasing across calls).
    fn advance(&mut self, t: f64, rng: &mut Stream) {
        while t >= self.resume {
            let next = self.model.uniform_point(rng);
            let v = self.model.draw_speed(rng);
            self.from = self.to;
            self.t0 = self.resume;
            self.to = next;
            self.speed = v;
            self.t1 = self.t0 + self.from.distance(next) / v;
            // Each leg and pause moves the clock by at least a microsecond, so that a tiny
            // area cannot hold a walker in place.
            self.resume = (self.t1 + self.model.draw_pause(rng)).max(self.t0 + MIN_LEG_S);
        }
    }

    /// The position at `t` seconds.
    pub fn at(&mut self, t: f64, rng: &mut Stream) -> Position {
        self.advance(t, rng);
        if t >= self.t1 || self.t1 <= self.t0 {
            self.to
        } else {
            lerp(self.from, self.to, (t - self.t0) / (self.t1 - self.t0))
        }
    }

    /// Seconds spent walking (not paused) during `[a, b]` (seconds; `a` non-decreasing
    /// across calls, like `t` of [`Walker::at`]).
    pub fn walking_s(&mut self, a: f64, b: f64, rng: &mut Stream) -> f64 {
        self.advance(a, rng);
        let mut total = 0.0;
        loop {
            total += super::overlap(self.t0, self.t1, a, b);
            if self.resume > b {
                return total;
            }
            self.advance(self.resume, rng);
        }
    }

    /// The speed at `t` seconds, m/s (0 while paused).
    pub fn speed(&mut self, t: f64, rng: &mut Stream) -> f64 {
        self.advance(t, rng);
        if t < self.t1 { self.speed } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    fn model(size: [f64; 2], speed: [f64; 2], pause: [f64; 2], stationary: bool) -> RandomWaypoint {
        RandomWaypoint {
            origin: Position::new(0.0, 0.0),
            size,
            speed,
            pause,
            stationary,
        }
    }

    #[test]
    fn the_mean_leg_matches_the_unit_square_and_the_segment() {
        // Unit square: (2 + √2 + 5·ln(1 + √2))/15 = 0.521405.
        let want = (2.0 + 2f64.sqrt() + 5.0 * (1.0 + 2f64.sqrt()).ln()) / 15.0;
        assert!((mean_leg(1.0, 1.0) - want).abs() < 1e-12);
        assert!((mean_leg(1.0, 1.0) - 0.521405).abs() < 1e-6);
        assert_eq!(mean_leg(30.0, 0.0), 10.0);
        // Scales with the side, and a Monte Carlo estimate of a 20 × 5 m corridor agrees.
        assert!((mean_leg(10.0, 10.0) - 5.21405).abs() < 1e-5);
        let mut r = rng::from_u64(3);
        let n = 400_000;
        let mc: f64 = (0..n)
            .map(|_| {
                let a = Position::new(20.0 * r.random::<f64>(), 5.0 * r.random::<f64>());
                let b = Position::new(20.0 * r.random::<f64>(), 5.0 * r.random::<f64>());
                a.distance(b)
            })
            .sum::<f64>()
            / n as f64;
        assert!(
            (mc - mean_leg(20.0, 5.0)).abs() < 0.02,
            "{mc} vs {}",
            mean_leg(20.0, 5.0)
        );
    }

    /// Time averages over `walkers` walkers sampled every `dt` over `[from, to)` s: mean speed
    /// and the share of time in the central half of each side.
    fn averages(m: RandomWaypoint, walkers: u64, from: f64, to: f64, dt: f64) -> (f64, f64) {
        let (mut speed, mut centre, mut n) = (0.0, 0.0, 0.0);
        for k in 0..walkers {
            let mut r = rng::stream(k, "walker");
            let mut w = Walker::start(m, &mut r);
            let mut t = from;
            while t < to {
                let p = w.at(t, &mut r);
                speed += w.speed(t, &mut r);
                let inside = |x: f64, side: f64| (x / side - 0.5).abs() < 0.25;
                if inside(p.x, m.size[0]) && (m.size[1] < 1e-3 || inside(p.y, m.size[1])) {
                    centre += 1.0;
                }
                n += 1.0;
                t += dt;
            }
        }
        (speed / n, centre / n)
    }

    #[test]
    fn the_stationary_start_has_the_harmonic_mean_speed_from_the_first_instant() {
        // radio.md §V9: V ~ U(0.5, 1.5) m/s, no pause → 0.910 m/s, not 1.0.
        let m = model([30.0, 30.0], [0.5, 1.5], [0.0, 0.0], true);
        assert!((m.stationary_speed() - 0.910).abs() < 5e-4);
        // The ensemble at t = 0 (one sample per walker) and the first minutes already average
        // the harmonic mean …
        let (at_start, _) = averages(m, 20_000, 0.0, 0.5, 1.0);
        assert!((at_start - 0.910).abs() < 0.01, "{at_start}");
        let (early, _) = averages(m, 400, 0.0, 300.0, 1.0);
        let (late, _) = averages(m, 400, 3000.0, 3300.0, 1.0);
        assert!((early - 0.910).abs() < 0.015, "{early}");
        assert!((late - 0.910).abs() < 0.015, "{late}");
        // … while the classic start begins at the arithmetic mean and decays towards it.
        let classic = model([30.0, 30.0], [0.5, 1.5], [0.0, 0.0], false);
        let (first, _) = averages(classic, 20_000, 0.0, 0.5, 1.0);
        assert!((first - 1.0).abs() < 0.01, "{first}");
    }

    #[test]
    fn pauses_take_their_share_of_time_from_the_start() {
        // Pauses U(0, 20) s against legs of E[L]·E[1/V] = 15.64 m × 1.0986 s/m ≈ 17.2 s.
        let m = model([30.0, 30.0], [0.5, 1.5], [0.0, 20.0], true);
        let share = m.pause_share();
        assert!((share - 10.0 / (10.0 + mean_leg(30.0, 30.0) * 3f64.ln())).abs() < 1e-9);
        let (start, _) = averages(m, 20_000, 0.0, 0.5, 1.0);
        let want = (1.0 - share) * 0.910;
        assert!((start - want).abs() < 0.015, "{start} vs {want}");
        let (late, _) = averages(m, 300, 2000.0, 4000.0, 1.0);
        assert!((late - want).abs() < 0.02, "{late} vs {want}");
    }

    #[test]
    fn positions_crowd_the_centre_as_the_known_density_says() {
        // On a segment the stationary density is exactly 6x(1 − x) (Bettstetter, Resta &
        // Santi, IEEE TMC 2:257, 2003): the central half holds 0.6875 of the time, not 0.5.
        let line = model([100.0, 0.0], [0.5, 1.5], [0.0, 0.0], true);
        let (_, at_start) = averages(line, 40_000, 0.0, 0.5, 1.0);
        assert!((at_start - 0.6875).abs() < 0.01, "{at_start}");
        let (_, long_run) = averages(line, 200, 0.0, 20_000.0, 5.0);
        assert!((long_run - 0.6875).abs() < 0.015, "{long_run}");
        // In a square, their product approximation 36·x(1−x)·y(1−y) gives the central quarter
        // 0.6875² = 0.473 of the time (uniform: 0.25).
        let square = model([30.0, 30.0], [0.5, 1.5], [0.0, 0.0], true);
        let (_, at_start) = averages(square, 40_000, 0.0, 0.5, 1.0);
        let (_, long_run) = averages(square, 200, 0.0, 20_000.0, 5.0);
        assert!(
            (at_start - long_run).abs() < 0.02,
            "{at_start} vs {long_run}"
        );
        assert!((long_run - 0.473).abs() < 0.03, "{long_run}");
    }
}
