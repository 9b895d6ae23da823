//! How long clinicians went without data: `monitoring_hours_lost`.
//!
//! For each periodic source on a sensing node (a vital sign sampled at a fixed rate), the gap
//! between the creation instants of two successive delivered readings, beyond a grace of two
//! periods (one lost reading and the jitter), is time its destination went without data; so
//! is the silence from the warm-up to the first delivered reading and from the last one to the
//! end of the run. Only readings of the measured window count.
//!
//! Invariant: `last_seen[s]` is the creation instant of source `s`'s newest delivered reading
//! (the warm-up before any), and `dark_s` the silence counted up to it.

use super::Model;
use crate::ids::SourceId;
use crate::time::SimTime;
use crate::topology::Layer;
use crate::traffic::Arrivals;

/// The silence of every monitoring source.
#[derive(Debug)]
pub(super) struct Monitoring {
    /// Per source, its period in seconds if its silence counts.
    periods: Vec<Option<f64>>,
    last_seen: Vec<SimTime>,
    /// Per source, the silence counted up to its newest delivered reading.
    dark_s: Vec<f64>,
}

impl Monitoring {
    /// The monitoring sources of `model` (its sources' nodes must exist), silent since the
    /// warm-up.
    pub(super) fn new(model: &Model) -> Monitoring {
        let periods = model
            .sources
            .iter()
            .map(|spec| match spec.arrivals {
                Arrivals::Periodic { period, .. }
                    if model.topology.node(spec.node).layer == Layer::Sensing =>
                {
                    Some(period.as_secs_f64())
                }
                _ => None,
            })
            .collect();
        Monitoring {
            periods,
            last_seen: vec![model.config.warmup; model.sources.len()],
            dark_s: vec![0.0; model.sources.len()],
        }
    }

    /// A reading of `source` created at `created` (in the measured window) was delivered.
    #[inline]
    pub(super) fn seen(&mut self, source: SourceId, created: SimTime) {
        let i = source.index();
        let Some(period) = self.periods[i] else {
            return;
        };
        let last = &mut self.last_seen[i];
        if created > *last {
            let gap = created.as_secs_f64() - last.as_secs_f64();
            self.dark_s[i] += (gap - 2.0 * period).max(0.0);
            *last = created;
        }
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
        let Some(period) = self.periods[s] else {
            return 0.0;
        };
        let gap = end.as_secs_f64() - self.last_seen[s].as_secs_f64();
        (self.dark_s[s] + (gap - 2.0 * period).max(0.0)) / 3600.0
    }
}
