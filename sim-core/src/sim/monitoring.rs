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
//! Invariant: `last_seen[k]` is the creation instant of the newest delivered reading of the
//! source of slot `k` (the warm-up before any), and `dark_s[k]` the silence counted up to it.
//! Only the monitoring sources hold a slot ([`Tracked`]), their period held once per run of
//! consecutive sources of one period.

use super::Model;
use super::tracked::Tracked;
use crate::ids::{NodeId, SourceId};
use crate::mobility::Motion;
use crate::time::SimTime;
use crate::topology::Layer;
use crate::traffic::Arrivals;

/// The silence of every monitoring source.
#[derive(Debug)]
pub(super) struct Monitoring {
    /// The monitoring sources, with their slots and periods (s).
    tracked: Tracked<f64>,
    /// How many sources the model has.
    sources: usize,
    /// Per slot, the creation of the newest delivered reading.
    last_seen: Vec<SimTime>,
    /// Per slot, the silence counted up to its newest delivered reading.
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
        let periods = model.sources.iter().map(|spec| match spec.stream.arrivals {
            Arrivals::Periodic { period, .. }
                if model.topology.node(spec.node).layer == Layer::Sensing =>
            {
                Some(period.as_secs_f64())
            }
            _ => None,
        });
        let tracked = Tracked::new(periods);
        let mut walkers = Vec::new();
        let mut walker_of = Vec::new();
        if motion.any() {
            walker_of = model
                .sources
                .iter()
                .enumerate()
                .map(|(k, spec)| {
                    let counts = tracked.slot(k).is_some();
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
        let n = tracked.tracked();
        Monitoring {
            tracked,
            sources: model.sources.len(),
            last_seen: vec![model.config.warmup; n],
            dark_s: vec![0.0; n],
            walker_of,
            walkers,
        }
    }

    /// Source `i`'s slot and period in seconds, if its silence counts.
    #[inline]
    fn period(&self, i: usize) -> Option<(usize, f64)> {
        self.tracked.get(i)
    }

    /// Source `i`'s walking record, if its node moves.
    #[inline]
    fn walker(&mut self, i: usize) -> Option<&mut Walker> {
        let w = *self.walker_of.get(i)?;
        self.walkers.get_mut(w as usize)
    }

    /// Asks the memory for what a delivery of `source`'s reading reads (`crate::prefetch`);
    /// changes nothing.
    #[inline]
    pub(super) fn prefetch(&self, source: SourceId) {
        if let Some((k, _)) = self.period(source.index()) {
            crate::prefetch::prefetch_at(&self.last_seen, k);
        }
    }

    /// A reading of `source` created at `created` (in the measured window) was delivered.
    #[inline]
    pub(super) fn seen(&mut self, source: SourceId, created: SimTime) {
        let i = source.index();
        let Some((k, period)) = self.period(i) else {
            return;
        };
        let last = self.last_seen[k];
        if created > last {
            let gap = created.as_secs_f64() - last.as_secs_f64();
            let dark = (gap - 2.0 * period).max(0.0);
            if dark > 0.0 {
                self.dark_s[k] += dark;
                let walked = self.walking_s(i, last, created);
                if let Some(w) = self.walker(i) {
                    w.dark_moving_s += walked;
                }
            }
            self.last_seen[k] = created;
        }
    }

    /// Seconds source `i`'s node walked during the silence between readings created at
    /// `last` and `next`, the two-period grace after `last` excepted.
    fn walking_s(&mut self, i: usize, last: SimTime, next: SimTime) -> f64 {
        let Some((_, period)) = self.period(i) else {
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
            let Some((k, _)) = self.period(i) else {
                continue;
            };
            let tail = self.walking_s(i, self.last_seen[k], end);
            if let Some(w) = self.walker(i) {
                w.tail_moving_s = tail;
            }
        }
    }

    /// Hours without data while the device was walking, summed over the monitoring sources
    /// (after [`Monitoring::close`]).
    pub(super) fn moving_hours_lost(&self) -> f64 {
        (0..self.sources)
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
        (0..self.sources)
            .map(|s| self.source_hours_lost(s, end))
            .sum()
    }

    /// Hours without data of source `s` (0 for a source whose silence does not count), up to
    /// the end of the run, `end`.
    pub(super) fn source_hours_lost(&self, s: usize, end: SimTime) -> f64 {
        let Some((k, period)) = self.period(s) else {
            return 0.0;
        };
        let gap = end.as_secs_f64() - self.last_seen[k].as_secs_f64();
        (self.dark_s[k] + (gap - 2.0 * period).max(0.0)) / 3600.0
    }
}
