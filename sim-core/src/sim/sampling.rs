//! The time series: the state of the run sampled on a fixed grid (`timeseries.csv`).
//!
//! At every grid instant the engine records, for the whole system, the batteries' smallest and
//! mean fraction left, the nodes alive, the packets delivered and lost so far, the packets
//! waiting at stations, the delivery rate and ratio over the last interval, and the mean age
//! of information of the vital signs over the last interval; then, per node
//! group with batteries, the smallest and mean fraction left; per group with stations, the
//! packets waiting; then whatever series the hooks report. A series the hooks first report
//! late is undefined at the instants before.
//!
//! Invariant: every column is as long as `times_s`; the engine's columns come first, in the
//! order of [`SERIES`], then the per-group battery columns, then the per-group queue columns
//! (groups in their order), then the hooks' columns in order of first report.

use super::accounting::Counters;
use super::groups::NodeGroups;
use super::information_age::InformationAge;
use super::stations::Stations;
use crate::battery::EnergyMeter;
use crate::hooks::{Hooks, Scalar};
use crate::ids::NodeId;
use crate::metrics::{Column, TimeSeries, engine};
use crate::time::SimTime;
use crate::topology::Topology;

/// The engine's whole-system series, in column order; then, per node group with batteries,
/// `battery_min_fraction` and `battery_mean_fraction`; then, per station group,
/// `queued_packets`; then the hooks' series.
const SERIES: [&str; 9] = crate::metrics::ids(engine::SERIES);

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
    /// The vital signs' age of information.
    pub(super) ages: &'a InformationAge,
    /// The hooks, for their own series.
    pub(super) hooks: &'a H,
}

/// What a per-group engine column shows.
#[derive(Clone, Copy, Debug)]
enum GroupSeries {
    BatteryMin,
    BatteryMean,
    Queued,
}

/// A group's batteries at one instant: the smallest fraction left, the sum of the fractions,
/// and their count.
#[derive(Clone, Copy, Debug)]
struct Batteries {
    min: f64,
    sum: f64,
    count: u32,
}

impl Batteries {
    const NONE: Batteries = Batteries {
        min: 1.0,
        sum: 0.0,
        count: 0,
    };

    fn add(&mut self, fraction: f64) {
        self.min = self.min.min(fraction);
        self.sum += fraction;
        self.count += 1;
    }

    fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / f64::from(self.count))
    }
}

/// The time series under construction. Sampling allocates nothing once the columns exist:
/// they have room for every grid instant, and the per-group tallies are reused.
#[derive(Debug)]
pub(super) struct Sampler {
    grid: Option<SimTime>,
    series: TimeSeries,
    /// For each per-group engine column (they follow the [`SERIES`] columns), what it shows
    /// and its group.
    group_columns: Vec<(GroupSeries, usize)>,
    /// Scratch, per group and then for the whole system (last): batteries and waiting packets.
    batteries: Vec<Batteries>,
    queued: Vec<usize>,
    /// Scratch for the hooks' values, reused at every sample.
    hook_values: Vec<Scalar>,
    /// All packets at the previous sample.
    counts: Counters,
    /// The vital signs' summed age area from time zero at the previous sample, s².
    age_area: f64,
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
        let mut group_columns = Vec::new();
        let in_group = |g: usize| topo.node_ids().filter(move |&id| groups.of(id) == g);
        for (g, (name, _)) in groups.list().iter().enumerate() {
            if in_group(g).any(|id| topo.node(id).device.battery.is_some()) {
                for (series, shows) in [
                    (
                        engine::SERIES_BATTERY_MIN_FRACTION.id,
                        GroupSeries::BatteryMin,
                    ),
                    (
                        engine::SERIES_BATTERY_MEAN_FRACTION.id,
                        GroupSeries::BatteryMean,
                    ),
                ] {
                    columns.push(column(series, Some(name.clone())));
                    group_columns.push((shows, g));
                }
            }
        }
        for (g, (name, _)) in groups.list().iter().enumerate() {
            if in_group(g).any(|id| stations.has_station(id)) {
                columns.push(column(engine::SERIES_QUEUED_PACKETS.id, Some(name.clone())));
                group_columns.push((GroupSeries::Queued, g));
            }
        }
        Sampler {
            grid,
            series: TimeSeries {
                times_s: Vec::with_capacity(samples),
                columns,
            },
            group_columns,
            batteries: vec![Batteries::NONE; groups.len() + 1],
            queued: vec![0; groups.len() + 1],
            hook_values: Vec::with_capacity(8),
            counts: Counters::default(),
            age_area: 0.0,
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
        let system = self.batteries.len() - 1;
        self.batteries.fill(Batteries::NONE);
        self.queued.fill(0);
        for (i, m) in state.meters.iter().enumerate() {
            let g = groups.of(NodeId(i as u32));
            if m.capacity().is_some() {
                let f = if state.alive[i] {
                    m.fraction_left_at(now)
                } else {
                    0.0
                };
                self.batteries[g].add(f);
                self.batteries[system].add(f);
            }
            if let Some(waiting) = state.stations.waiting(i) {
                self.queued[g] += waiting;
                self.queued[system] += waiting;
            }
        }
        let all = state.counts;
        let first = self.series.times_s.is_empty();
        let since = self.series.times_s.last().copied().unwrap_or(0.0);
        let (delivered, lost) = (
            all.delivered - self.counts.delivered,
            all.lost - self.counts.lost,
        );
        let dt = now.as_secs_f64() - since;
        // Mean age over the interval: the growth of the streams' summed area over n·dt.
        let (age_area, streams) = state.ages.run_area(now);
        let age = (!first && dt > 0.0 && streams > 0)
            .then(|| (age_area - self.age_area) / (f64::from(streams) * dt) * 1e3);
        self.age_area = age_area;
        let whole = [
            self.batteries[system].min(),
            self.batteries[system].mean(),
            Some(state.alive.iter().filter(|&&a| a).count() as f64),
            Some(all.delivered as f64),
            Some(all.lost as f64),
            Some(self.queued[system] as f64),
            (!first && dt > 0.0).then(|| delivered as f64 / dt),
            (delivered + lost > 0).then(|| delivered as f64 / (delivered + lost) as f64),
            age,
        ];
        self.counts = all;
        self.series.times_s.push(now.as_secs_f64());
        let (engine, _) = self
            .series
            .columns
            .split_at_mut(SERIES.len() + self.group_columns.len());
        let (whole_columns, group_columns) = engine.split_at_mut(SERIES.len());
        for (c, v) in whole_columns.iter_mut().zip(whole) {
            c.values.push(v);
        }
        for (c, &(shows, g)) in group_columns.iter_mut().zip(&self.group_columns) {
            c.values.push(match shows {
                GroupSeries::BatteryMin => self.batteries[g].min(),
                GroupSeries::BatteryMean => self.batteries[g].mean(),
                GroupSeries::Queued => Some(self.queued[g] as f64),
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
