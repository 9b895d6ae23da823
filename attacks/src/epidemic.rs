//! Ransomware and malware propagation: a susceptible–infected (SI) epidemic over a set of hosts.
//!
//! # Model
//!
//! Every infected host meets every susceptible host of its segment; each such pair transmits at
//! rate β, so with I infected and S susceptible in one segment the next infection comes after
//! an exponential time of rate β·I·S (simulated exactly, Gillespie's direct method). In one
//! segment of N susceptible-or-infected hosts this is the logistic SI curve
//! `I(t) = N / (1 + (N/I₀ − 1)·e^(−βNt))` (Kermack–McKendrick without recovery; Anderson &
//! May 1991). Patched hosts (a share `1 − unpatched_fraction`, drawn per host from the attack's
//! stream) cannot be infected. Hosts without a segment share one flat network; the isolation
//! defense gives each targeted group its own segment, so contacts do not cross its edge.
//! An infected host is encrypted (unavailable) after a delay and keeps spreading until it is
//! cut off.

use sim_core::NodeId;
use sim_core::rng::Stream;

/// What one host is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// Can be infected.
    Susceptible,
    /// Patched: cannot be infected.
    Immune,
    /// Infected and spreading (encrypted or not yet).
    Infected,
    /// Cut off by a defense, or restored after it: no longer spreading nor infectable.
    Removed,
}

/// The epidemic's state over its hosts.
#[derive(Clone, Debug)]
pub struct Epidemic {
    /// The hosts, in target order.
    pub hosts: Vec<NodeId>,
    /// Each host's state.
    pub state: Vec<Host>,
    /// Each host's segment (hosts of the flat network share `u32::MAX`).
    segment: Vec<u32>,
    /// Segment ids, deduplicated, in order of first appearance.
    segments: Vec<u32>,
    /// Invalidates the pending infection event whenever the rates change.
    pub generation: u32,
    /// Hosts ever infected.
    pub ever_infected: u32,
}

impl Epidemic {
    /// Hosts with their segments; each host is patched with probability `1 − unpatched`.
    pub fn new(hosts: Vec<NodeId>, segment: Vec<u32>, unpatched: f64, rng: &mut Stream) -> Self {
        let state = hosts
            .iter()
            .map(|_| {
                if sim_core::dist::bernoulli(rng, unpatched) {
                    Host::Susceptible
                } else {
                    Host::Immune
                }
            })
            .collect();
        let mut segments: Vec<u32> = Vec::new();
        for &s in &segment {
            if !segments.contains(&s) {
                segments.push(s);
            }
        }
        Epidemic {
            hosts,
            state,
            segment,
            segments,
            generation: 0,
            ever_infected: 0,
        }
    }

    /// Infects host `h` (whatever its patch state: an initial infection or a foothold);
    /// `false` if it was already infected or removed.
    pub fn infect(&mut self, h: usize) -> bool {
        match self.state[h] {
            Host::Susceptible | Host::Immune => {
                self.state[h] = Host::Infected;
                self.ever_infected += 1;
                self.generation = self.generation.wrapping_add(1);
                true
            }
            _ => false,
        }
    }

    /// Takes host `h` out of the epidemic (isolated, reimaged).
    pub fn remove(&mut self, h: usize) {
        self.state[h] = Host::Removed;
        self.generation = self.generation.wrapping_add(1);
    }

    /// Infected hosts now.
    pub fn infected(&self) -> usize {
        self.state.iter().filter(|&&s| s == Host::Infected).count()
    }

    fn counts(&self, seg: u32) -> (f64, f64) {
        let mut i = 0.0;
        let mut s = 0.0;
        for (k, st) in self.state.iter().enumerate() {
            if self.segment[k] == seg {
                match st {
                    Host::Infected => i += 1.0,
                    Host::Susceptible => s += 1.0,
                    _ => {}
                }
            }
        }
        (i, s)
    }

    /// The total infection rate `β · Σ_segments I_s·S_s`, per second.
    pub fn rate(&self, beta: f64) -> f64 {
        self.segments
            .iter()
            .map(|&g| {
                let (i, s) = self.counts(g);
                i * s
            })
            .sum::<f64>()
            * beta
    }

    /// Picks the host the next infection reaches: a segment with probability ∝ I_s·S_s, then a
    /// susceptible host of it uniformly. `None` when nothing can spread.
    pub fn pick(&self, rng: &mut Stream) -> Option<usize> {
        let weights: Vec<f64> = self
            .segments
            .iter()
            .map(|&g| {
                let (i, s) = self.counts(g);
                i * s
            })
            .collect();
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return None;
        }
        let mut x = rand::Rng::random::<f64>(rng) * total;
        let mut seg = *self.segments.last()?;
        for (k, w) in weights.iter().enumerate() {
            if x < *w {
                seg = self.segments[k];
                break;
            }
            x -= w;
        }
        let candidates: Vec<usize> = (0..self.hosts.len())
            .filter(|&k| self.segment[k] == seg && self.state[k] == Host::Susceptible)
            .collect();
        if candidates.is_empty() {
            return None;
        }
        Some(candidates[rand::Rng::random_range(rng, 0..candidates.len())])
    }
}

/// The logistic SI curve: infected hosts at `t` seconds in one segment of `n` hosts that can be
/// infected, `i0` of them infected at 0, with pair rate `beta`.
pub fn logistic(n: f64, i0: f64, beta: f64, t: f64) -> f64 {
    n / (1.0 + (n / i0 - 1.0) * (-beta * n * t).exp())
}

/// The exact expected number of infected hosts at each of `times` (seconds, increasing) in one
/// segment of `n` hosts, `i0` infected at 0: the SI epidemic is a pure birth process with rate
/// `β·i·(n − i)` in state i, so its distribution solves the Kolmogorov forward equations
/// `dp_i/dt = λ_{i−1}·p_{i−1} − λ_i·p_i`, integrated here with classical Runge–Kutta steps of
/// at most `step` seconds. The logistic curve is this mean's deterministic (large-n) limit; for
/// small `i0` the stochastic mean lags it.
pub fn si_expected(n: usize, i0: usize, beta: f64, times: &[f64], step: f64) -> Vec<f64> {
    let rate: Vec<f64> = (0..=n).map(|i| beta * (i * (n - i)) as f64).collect();
    let derivative = |p: &[f64]| -> Vec<f64> {
        (0..=n)
            .map(|i| {
                let inflow = if i > 0 { rate[i - 1] * p[i - 1] } else { 0.0 };
                inflow - rate[i] * p[i]
            })
            .collect()
    };
    let mut p = vec![0.0; n + 1];
    p[i0.min(n)] = 1.0;
    let mut t = 0.0;
    let mut out = Vec::with_capacity(times.len());
    for &until in times {
        while t < until {
            let h = step.min(until - t);
            let k1 = derivative(&p);
            let at = |k: &[f64], f: f64| -> Vec<f64> {
                p.iter().zip(k).map(|(a, b)| a + f * b).collect()
            };
            let k2 = derivative(&at(&k1, h / 2.0));
            let k3 = derivative(&at(&k2, h / 2.0));
            let k4 = derivative(&at(&k3, h));
            for i in 0..=n {
                p[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            }
            t += h;
        }
        out.push(p.iter().enumerate().map(|(i, q)| i as f64 * q).sum());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_count_only_contacts_within_a_segment() {
        let mut rng = sim_core::rng::stream(1, "t");
        let hosts: Vec<NodeId> = (0..6).map(NodeId).collect();
        // Two segments of three, everyone unpatched.
        let mut e = Epidemic::new(hosts, vec![0, 0, 0, 1, 1, 1], 1.0, &mut rng);
        assert_eq!(e.rate(1.0), 0.0);
        e.infect(0);
        assert_eq!(e.rate(0.5), 0.5 * 2.0);
        for _ in 0..10 {
            let h = e.pick(&mut rng).unwrap();
            assert!(h < 3, "the infection crossed the segment edge");
        }
        e.infect(3);
        assert_eq!(e.rate(1.0), 4.0);
        e.remove(0);
        assert_eq!(e.rate(1.0), 2.0);
    }

    #[test]
    fn the_exact_mean_starts_at_i0_approaches_the_logistic_for_large_i0_and_saturates() {
        let m = si_expected(100, 10, 1e-4, &[0.0, 300.0, 2000.0], 0.5);
        assert!((m[0] - 10.0).abs() < 1e-12);
        // 67.7 against the logistic's 69.1: within 1.5 % of N.
        assert!(
            (m[1] - logistic(100.0, 10.0, 1e-4, 300.0)).abs() < 1.5,
            "{}",
            m[1]
        );
        assert!((m[2] - 100.0).abs() < 1e-3);
        // Two hosts, one infected: the second is infected after Exp(β), so E[I(t)] = 2 − e^(−βt).
        let two = si_expected(2, 1, 0.01, &[50.0], 0.1);
        assert!(
            (two[0] - (2.0 - (-0.5f64).exp())).abs() < 1e-9,
            "{}",
            two[0]
        );
    }

    #[test]
    fn the_logistic_curve_starts_at_i0_and_saturates_at_n() {
        assert!((logistic(50.0, 1.0, 1e-3, 0.0) - 1.0).abs() < 1e-12);
        assert!((logistic(50.0, 1.0, 1e-3, 1e6) - 50.0).abs() < 1e-9);
        // Half-way at t = ln(N/I0 − 1) / (βN).
        let t_half = (49.0f64).ln() / (1e-3 * 50.0);
        assert!((logistic(50.0, 1.0, 1e-3, t_half) - 25.0).abs() < 1e-9);
    }
}
