//! The time series: the state of the run sampled on a fixed grid (`timeseries.csv`).
//!
//! At every grid instant the engine records, for the whole system, the batteries' smallest and
//! mean fraction left, the nodes alive, the packets delivered and lost so far, the packets
//! waiting at stations, the delivery rate and ratio over the last interval; then, per node
//! group with batteries, the smallest and mean fraction left; per group with stations, the
//! packets waiting; then whatever series the hooks report. A series the hooks first report
//! late is undefined at the instants before.
//!
//! Invariant: every column is as long as `times_s`; the engine's columns come first, in the
//! order of [`SERIES`], then the per-group battery columns, then the per-group queue columns
//! (groups in their order), then the hooks' columns in order of first report.

use super::accounting::Counters;
use super::groups::NodeGroups;
use super::stations::Stations;
use crate::battery::EnergyMeter;
use crate::hooks::{Hooks, Scalar};
use crate::metrics::{Column, TimeSeries};
use crate::time::SimTime;
use crate::topology::Topology;

/// The engine's whole-system series, in column order; then, per node group with batteries,
/// `battery_min_fraction` and `battery_mean_fraction`; then, per station group,
/// `queued_packets`; then the hooks' series.
const SERIES: [&str; 8] = [
    "battery_min_fraction",
    "battery_mean_fraction",
    "alive_nodes",
    "delivered",
    "lost",
    "queued_packets",
    "delivered_per_s",
    "delivery_ratio",
];

/// What the run's state is read from at a grid instant.
pub(super) struct State<'a, H> {
    /// Every node's meter.
    pub(super) meters: &'a [EnergyMeter],
    /// Whether each node is alive.
    pub(super) alive: &'a [bool],
    /// The stations.
    pub(super) stations: &'a Stations,
    /// All packets so far.
    pub(super) counts: Counters,
    /// The hooks, for their own series.
    pub(super) hooks: &'a H,
}

/// The time series under construction.
#[derive(Debug)]
pub(super) struct Sampler {
    grid: Option<SimTime>,
    series: TimeSeries,
    /// Scratch for the hooks' values, reused at every sample.
    hook_values: Vec<Scalar>,
    /// All packets at the previous sample.
    counts: Counters,
}

impl Sampler {
    /// The columns of a run of `duration` over `topo` sampled every `grid` (`None`: no
    /// series), with room for every grid instant.
    pub(super) fn new(
        topo: &Topology,
        groups: &NodeGroups,
        stations: &Stations,
        duration: SimTime,
        grid: Option<SimTime>,
    ) -> Sampler {
        let samples = grid.map_or(0, |g| {
            (duration.as_nanos() / g.as_nanos().max(1)).min(1 << 20) as usize + 2
        });
        let column = |series, group| Column {
            series,
            group,
            values: Vec::with_capacity(samples),
        };
        let mut columns: Vec<Column> = SERIES.iter().map(|&c| column(c, None)).collect();
        let in_group = |g: usize| topo.node_ids().filter(move |&id| groups.of(id) == g);
        for (g, (name, _)) in groups.list().iter().enumerate() {
            if in_group(g).any(|id| topo.node(id).device.battery.is_some()) {
                for series in ["battery_min_fraction", "battery_mean_fraction"] {
                    columns.push(column(series, Some(name.clone())));
                }
            }
        }
        for (g, (name, _)) in groups.list().iter().enumerate() {
            if in_group(g).any(|id| stations.has_station(id)) {
                columns.push(column("queued_packets", Some(name.clone())));
            }
        }
        Sampler {
            grid,
            series: TimeSeries {
                times_s: Vec::with_capacity(samples),
                columns,
            },
            hook_values: Vec::with_capacity(8),
            counts: Counters::default(),
        }
    }

    /// The grid's first instant, if there is a grid.
    pub(super) fn first(&self) -> Option<SimTime> {
        self.grid.map(|_| SimTime::ZERO)
    }

    /// The grid instant after `now`, if it falls within `horizon`.
    pub(super) fn next(&self, now: SimTime, horizon: SimTime) -> Option<SimTime> {
        let grid = self.grid?;
        let next = now.saturating_add(grid);
        (next <= horizon && grid > SimTime::ZERO).then_some(next)
    }

    /// Records the state of the run at the grid instant `now`.
    pub(super) fn sample<H: Hooks>(
        &mut self,
        now: SimTime,
        groups: &NodeGroups,
        state: State<'_, H>,
    ) {
        let n_groups = groups.len();
        // Per group (index), then the whole system (index `n_groups`): min, sum, count.
        let mut battery = vec![(1.0f64, 0.0f64, 0u32); n_groups + 1];
        let mut queued = vec![0usize; n_groups + 1];
        for (i, m) in state.meters.iter().enumerate() {
            let g = groups.of(crate::ids::NodeId(i as u32));
            if m.capacity().is_some() {
                let f = if state.alive[i] {
                    m.fraction_left_at(now)
                } else {
                    0.0
                };
                for k in [g, n_groups] {
                    let b = &mut battery[k];
                    b.0 = b.0.min(f);
                    b.1 += f;
                    b.2 += 1;
                }
            }
            if let Some(waiting) = state.stations.waiting(i) {
                queued[g] += waiting;
                queued[n_groups] += waiting;
            }
        }
        let min = |b: (f64, f64, u32)| (b.2 > 0).then_some(b.0);
        let mean = |b: (f64, f64, u32)| (b.2 > 0).then(|| b.1 / f64::from(b.2));
        let all = state.counts;
        let first = self.series.times_s.is_empty();
        let since = self.series.times_s.last().copied().unwrap_or(0.0);
        let (delivered, lost) = (
            all.delivered - self.counts.delivered,
            all.lost - self.counts.lost,
        );
        let dt = now.as_secs_f64() - since;
        let system = [
            min(battery[n_groups]),
            mean(battery[n_groups]),
            Some(state.alive.iter().filter(|&&a| a).count() as f64),
            Some(all.delivered as f64),
            Some(all.lost as f64),
            Some(queued[n_groups] as f64),
            (!first && dt > 0.0).then(|| delivered as f64 / dt),
            (delivered + lost > 0).then(|| delivered as f64 / (delivered + lost) as f64),
        ];
        self.counts = all;
        self.series.times_s.push(now.as_secs_f64());
        let mut cols = self.series.columns.iter_mut();
        for v in system {
            if let Some(c) = cols.next() {
                c.values.push(v);
            }
        }
        // The per-group columns follow in the order `new` created them.
        let mut group_of = |name: &str| groups.list().iter().position(|(g, _)| g == name);
        for c in cols {
            let Some(g) = c.group.as_deref().and_then(&mut group_of) else {
                break;
            };
            c.values.push(match c.series {
                "battery_min_fraction" => min(battery[g]),
                "battery_mean_fraction" => mean(battery[g]),
                _ => Some(queued[g] as f64),
            });
        }
        let mut out = std::mem::take(&mut self.hook_values);
        out.clear();
        state.hooks.sample(now, &mut out);
        let samples = self.series.times_s.len();
        for &(name, v) in &out {
            let col = match self
                .series
                .columns
                .iter()
                .position(|c| c.series == name && c.group.is_none())
            {
                Some(c) => c,
                None => {
                    // A series first reported now: undefined at the earlier instants.
                    let mut values =
                        Vec::with_capacity(samples.max(self.series.times_s.capacity()));
                    values.resize(samples - 1, None);
                    self.series.columns.push(Column {
                        series: name,
                        group: None,
                        values,
                    });
                    self.series.columns.len() - 1
                }
            };
            self.series.columns[col].values.push(v);
        }
        self.hook_values = out;
        for c in &mut self.series.columns {
            c.values.resize(samples, None);
        }
    }

    /// The finished series.
    pub(super) fn into_series(self) -> TimeSeries {
        self.series
    }
}
