//! How long clinicians went without data: `monitoring_hours_lost`.
//!
//! For each periodic source on a sensing node (a vital sign sampled at a fixed rate), the gap
//! between the creation instants of two successive delivered readings, beyond a grace of two
//! periods (one lost reading and the jitter), is time its destination went without data; so
//! is the silence from the warm-up to the first delivered reading and from the last one to the
//! end of the run. Only readings of the measured window count.
//!
//! The part of that silence during which the patient's device was walking (between two
//! waypoints, not standing or pausing: [`Motion::walking_s`]) is counted apart, as the
//! monitoring lost while moving (`monitoring_hours_lost_moving`): the loss that mobility
//! (handovers, out-of-range stretches) causes. Each moving source queries its own copy of its
//! node's track, in its own time order.
//!
//! Invariant: `last_seen[s]` is the creation instant of source `s`'s newest delivered reading
//! (the warm-up before any), and `dark_s` the silence counted up to it.

use super::Model;
use crate::ids::{NodeId, SourceId};
use crate::mobility::Motion;
use crate::time::SimTime;
use crate::topology::Layer;
use crate::traffic::Arrivals;

/// The silence of every monitoring source.
#[derive(Debug)]
pub(super) struct Monitoring {
    /// Per source, its period in seconds if its silence counts, NaN otherwise (8 bytes where
    /// an `Option` took 16): read through [`Monitoring::period`].
    periods: Vec<f64>,
    last_seen: Vec<SimTime>,
    /// Per source, the silence counted up to its newest delivered reading.
    dark_s: Vec<f64>,
    /// Per source, its index in `walkers` if its node moves ([`NOT_WALKING`] otherwise);
    /// empty when no monitoring source moves.
    walker_of: Vec<u32>,
    /// The monitoring sources whose node moves, in source order.
    walkers: Vec<Walker>,
}

/// `Monitoring::walker_of` of a source whose node does not move.
const NOT_WALKING: u32 = u32::MAX;

/// A monitoring source on a moving node: its own copy of the node's track and the walking
/// part of its silence. Kept apart from the per-source tables, which a still source (most of
/// a large scenario) would otherwise fill with 100 bytes of nothing.
#[derive(Debug)]
struct Walker {
    node: NodeId,
    motion: Motion,
    /// The part of `dark_s` spent walking.
    dark_moving_s: f64,
    /// The walking part of the silence after the newest delivered reading, once
    /// [`Monitoring::close`] counted it.
    tail_moving_s: f64,
}

impl Monitoring {
    /// The monitoring sources of `model` (its sources' nodes must exist), silent since the
    /// warm-up, in replication `seed` (which draws the random walkers' tracks).
    pub(super) fn new(model: &Model, seed: u64) -> Monitoring {
        let topo = &model.topology;
        let names = topo.motion_names();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let motion = Motion::new(topo.node_count(), topo.movements(), &names, seed);
        let periods = model
            .sources
            .iter()
            .map(|spec| match spec.stream.arrivals {
                Arrivals::Periodic { period, .. }
                    if model.topology.node(spec.node).layer == Layer::Sensing =>
                {
                    period.as_secs_f64()
                }
                _ => f64::NAN,
            })
            .collect();
        let mut walkers = Vec::new();
        let mut walker_of = Vec::new();
        if motion.any() {
            walker_of = model
                .sources
                .iter()
                .zip(&periods)
                .map(|(spec, period): (&crate::traffic::SourceSpec, &f64)| {
                    let counts = !period.is_nan();
                    let Some(motion) = counts.then(|| motion.of_node(spec.node)).flatten() else {
                        return NOT_WALKING;
                    };
                    walkers.push(Walker {
                        node: spec.node,
                        motion,
                        dark_moving_s: 0.0,
                        tail_moving_s: 0.0,
                    });
                    (walkers.len() - 1) as u32
                })
                .collect();
        }
        let n = model.sources.len();
        Monitoring {
            periods,
            last_seen: vec![model.config.warmup; n],
            dark_s: vec![0.0; n],
            walker_of,
            walkers,
        }
    }

    /// Source `i`'s period in seconds, if its silence counts.
    #[inline]
    fn period(&self, i: usize) -> Option<f64> {
        let p = self.periods[i];
        (!p.is_nan()).then_some(p)
    }

    /// Source `i`'s walking record, if its node moves.
    #[inline]
    fn walker(&mut self, i: usize) -> Option<&mut Walker> {
        let w = *self.walker_of.get(i)?;
        self.walkers.get_mut(w as usize)
    }

    /// A reading of `source` created at `created` (in the measured window) was delivered.
    #[inline]
    pub(super) fn seen(&mut self, source: SourceId, created: SimTime) {
        let i = source.index();
        let Some(period) = self.period(i) else {
            return;
        };
        let last = self.last_seen[i];
        if created > last {
            let gap = created.as_secs_f64() - last.as_secs_f64();
            let dark = (gap - 2.0 * period).max(0.0);
            if dark > 0.0 {
                self.dark_s[i] += dark;
                let walked = self.walking_s(i, last, created);
                if let Some(w) = self.walker(i) {
                    w.dark_moving_s += walked;
                }
            }
            self.last_seen[i] = created;
        }
    }

    /// Seconds source `i`'s node walked during the silence between readings created at
    /// `last` and `next`, the two-period grace after `last` excepted.
    fn walking_s(&mut self, i: usize, last: SimTime, next: SimTime) -> f64 {
        let Some(period) = self.period(i) else {
            return 0.0;
        };
        let Some(w) = self.walker(i) else {
            return 0.0;
        };
        let from = last.saturating_add(SimTime::from_secs_f64(2.0 * period));
        w.motion.walking_s(w.node, from, next)
    }

    /// Counts the walking part of each source's silence after its newest delivered reading,
    /// up to the end of the run, `end`. Called once, before the moving hours are read.
    pub(super) fn close(&mut self, end: SimTime) {
        for i in 0..self.walker_of.len() {
            let tail = self.walking_s(i, self.last_seen[i], end);
            if let Some(w) = self.walker(i) {
                w.tail_moving_s = tail;
            }
        }
    }

    /// Hours without data while the device was walking, summed over the monitoring sources
    /// (after [`Monitoring::close`]).
    pub(super) fn moving_hours_lost(&self) -> f64 {
        (0..self.periods.len())
            .map(|s| self.source_moving_hours_lost(s))
            .sum()
    }

    /// Hours without data of source `s` while its device was walking (after
    /// [`Monitoring::close`]).
    pub(super) fn source_moving_hours_lost(&self, s: usize) -> f64 {
        let w = self
            .walker_of
            .get(s)
            .and_then(|&w| self.walkers.get(w as usize));
        w.map_or(0.0, |w| (w.dark_moving_s + w.tail_moving_s) / 3600.0)
    }

    /// Hours without data summed over the monitoring sources, counting the silence after each
    /// one's last delivered reading up to the end of the run, `end`.
    pub(super) fn hours_lost(&self, end: SimTime) -> f64 {
        (0..self.periods.len())
            .map(|s| self.source_hours_lost(s, end))
            .sum()
    }

    /// Hours without data of source `s` (0 for a source whose silence does not count), up to
    /// the end of the run, `end`.
    pub(super) fn source_hours_lost(&self, s: usize, end: SimTime) -> f64 {
        let Some(period) = self.period(s) else {
            return 0.0;
        };
        let gap = end.as_secs_f64() - self.last_seen[s].as_secs_f64();
        (self.dark_s[s] + (gap - 2.0 * period).max(0.0)) / 3600.0
    }
}
