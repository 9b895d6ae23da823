//! What a run measures, streamed while it goes: latency histograms, counters and a time series
//! on a fixed grid. Memory depends on the grid and the histogram precision, never on the number
//! of packets.

use crate::hooks::Scalar;
use crate::incident::IncidentKind;
use crate::time::SimTime;
use crate::topology::Layer;
use crate::traffic::TrafficClass;
use hdrhistogram::Histogram;

pub mod declaration;
pub mod derived;
pub mod engine;
mod tally;

pub(crate) use tally::LatencyTally;

pub use declaration::{Metric, Owner, Unit, When, ids};

/// Largest latency a histogram records exactly: one day, in microseconds. Larger values
/// saturate at this bound (the exact mean is kept separately).
pub const LATENCY_MAX_US: u64 = 86_400_000_000;

/// Significant decimal digits the latency histograms keep (0.1 % relative resolution).
pub const LATENCY_SIGFIG: u8 = 3;

/// A latency distribution: an HDR histogram in microseconds plus the exact sum and count.
#[derive(Clone, Debug)]
pub struct LatencyStats {
    /// Recorded latencies in µs (values below 1 µs are recorded as 1 µs).
    pub histogram: Histogram<u64>,
    /// Exact sum of the latencies, in seconds.
    pub sum_s: f64,
    /// Number of recorded latencies.
    pub count: u64,
}

impl Default for LatencyStats {
    fn default() -> Self {
        LatencyStats {
            histogram: Histogram::new_with_bounds(1, LATENCY_MAX_US, LATENCY_SIGFIG)
                .expect("constant histogram bounds are valid"),
            sum_s: 0.0,
            count: 0,
        }
    }
}

impl LatencyStats {
    /// Records one latency.
    #[inline]
    pub fn record(&mut self, latency: SimTime) {
        let us = (latency.as_nanos() / 1_000).max(1);
        self.histogram.saturating_record(us);
        self.sum_s += latency.as_secs_f64();
        self.count += 1;
    }

    /// Counts one latency in the exact sum and count only, not in the histogram: for a
    /// distribution whose histogram is the sum of others' that record the same latencies
    /// ([`LatencyStats::add_histogram`]), so each is recorded once.
    #[inline]
    pub fn record_mean_only(&mut self, latency: SimTime) {
        self.sum_s += latency.as_secs_f64();
        self.count += 1;
    }

    /// Adds `other`'s histogram to this one's, leaving the sum and count as they are.
    pub fn add_histogram(&mut self, other: &LatencyStats) {
        // Both histograms share bounds, so `add` cannot fail.
        let _ = self.histogram.add(&other.histogram);
    }

    /// The exact mean in milliseconds, `None` if nothing was recorded.
    pub fn mean_ms(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_s / self.count as f64 * 1e3)
    }

    /// The `q`-quantile in milliseconds (from the histogram, 0.1 % resolution).
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        (self.count > 0).then(|| self.histogram.value_at_quantile(q) as f64 * 1e-3)
    }

    /// Adds another run's observations to these.
    pub fn merge(&mut self, other: &LatencyStats) {
        self.add_histogram(other);
        self.sum_s += other.sum_s;
        self.count += other.count;
    }
}

/// The names of the figures reported per node group, in `groups.csv` column order: the
/// output contract that `reports` writes (from [`GroupMetrics`]) and sweeps select as
/// `group/metric`, from their declarations ([`engine::GROUP`]).
pub const GROUP_METRICS: [&str; 12] = ids(engine::GROUP);

/// Traffic classes in the order of [`RunMetrics::latency_by_class`].
pub const CLASSES: [TrafficClass; 2] = [TrafficClass::Routine, TrafficClass::Alarm];

/// The index of a class in [`CLASSES`]. The match is exhaustive, so a new class does not
/// compile until it has its place here (and in `CLASSES`).
pub const fn class_index(class: TrafficClass) -> usize {
    match class {
        TrafficClass::Routine => 0,
        TrafficClass::Alarm => 1,
    }
}

/// One named series on the time grid, for the whole system (`group == None`) or one node group.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The series' name, unit last (`battery_mean_fraction`).
    pub series: &'static str,
    /// The node group it describes, `None` for the whole system.
    pub group: Option<String>,
    /// One value per grid instant; `None` where undefined (no battery in the group, nothing
    /// settled in the interval).
    pub values: Vec<Option<f64>>,
}

/// Values sampled on the run's time grid: `columns[j].values[i]` is column j at `times_s[i]`.
#[derive(Clone, Debug, Default)]
pub struct TimeSeries {
    /// Grid instants, in seconds.
    pub times_s: Vec<f64>,
    /// The series, each as long as `times_s`.
    pub columns: Vec<Column>,
}

impl TimeSeries {
    /// The column of `series` for `group` (`None`: the whole system).
    pub fn column(&self, series: &str, group: Option<&str>) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.series == series && c.group.as_deref() == group)
    }
}

/// Where a hop's time is spent: crossing a link, or at a node's station.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SegmentKind {
    /// A link: from the sender handing the packet over (encryption, transmitter queue,
    /// serialisation, propagation) to its arrival at the receiver, decryption included.
    Link,
    /// A station: from arrival at the node (waiting in its buffer) to the end of service.
    Station,
}

impl SegmentKind {
    /// The lower-case name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            SegmentKind::Link => "link",
            SegmentKind::Station => "station",
        }
    }
}

/// The latency of one segment of the packets' paths: a link group or a station group.
#[derive(Clone, Debug)]
pub struct Segment {
    /// The link group's or node group's name.
    pub name: String,
    /// Link or station.
    pub kind: SegmentKind,
    /// The layer: a station's node layer; a link's sender-side (lower) layer.
    pub layer: Layer,
    /// Its rank along the routes (0 nearest the sources), by its mean position on the routes
    /// that cross it weighted by their packet rates; `u32::MAX` if no route crosses it.
    pub position: u32,
    /// Time spent in it by measured packets.
    pub latency: LatencyStats,
}

/// What one node group spent and suffered in one run.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupMetrics {
    /// The group's name.
    pub name: String,
    /// Its layer.
    pub layer: Layer,
    /// Nodes in the group.
    pub nodes: u32,
    /// Nodes with a battery (the others are mains-powered).
    pub battery_nodes: u32,
    /// Energy spent after the warm-up by all its nodes, joules, in
    /// [`Component::ALL`](crate::battery::Component::ALL) order.
    pub energy_j: [f64; 5],
    /// Batteries of the group that emptied during the run.
    pub battery_deaths: u64,
    /// When the group's first battery emptied, seconds.
    pub first_battery_death_s: Option<f64>,
    /// Smallest fraction of battery left at the end over its battery nodes (a dead node has 0).
    pub battery_left_min_fraction: Option<f64>,
    /// Mean fraction of battery left at the end over its battery nodes.
    pub battery_left_mean_fraction: Option<f64>,
    /// The group's battery lifetime, days: the time of its first battery death when one died
    /// in the run, else the shortest projection over its battery nodes of a full battery
    /// drained at the node's mean power after the warm-up, `C / (E_measured / T_measured)`
    /// (the ideal battery of [`crate::battery`]). `None` without batteries or drain.
    pub lifetime_days: Option<f64>,
    /// The node(s) that die first (or would, by the projection), comma-separated; the
    /// first three names, then `+N more`.
    pub first_to_die: String,
}

impl GroupMetrics {
    /// The group's figures in [`engine::GROUP`] order (the columns of `groups.csv`):
    /// energy in total, per node and per component, battery deaths, the first death, the
    /// battery left (lowest, mean) and the lifetime.
    pub fn values(&self) -> [Option<f64>; 12] {
        use crate::battery::Component;
        let total: f64 = self.energy_j.iter().sum();
        let e = |c: Component| Some(self.energy_j[c as usize]);
        [
            Some(total),
            (self.nodes > 0).then(|| total / f64::from(self.nodes)),
            e(Component::RadioTx),
            e(Component::RadioRx),
            e(Component::Cpu),
            e(Component::Crypto),
            e(Component::Sleep),
            Some(self.battery_deaths as f64),
            self.first_battery_death_s,
            self.battery_left_min_fraction,
            self.battery_left_mean_fraction,
            self.lifetime_days,
        ]
    }
}

/// An engine [`Incident`](crate::incident::Incident) with its node resolved to names, for output.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentRecord {
    /// Simulated time, seconds.
    pub time_s: f64,
    /// What happened.
    pub kind: IncidentKind,
    /// The node's name, empty if it concerns no single node.
    pub node: String,
    /// The node's group, empty if it concerns no single node.
    pub group: String,
    /// The attack or defense behind it, empty if none.
    pub by: String,
}

/// Everything one replication reports: the engine's figures, and `hooks`, what its hooks
/// reported in their own terms ([`Hooks::Report`](crate::hooks::Hooks::Report); `()` without
/// hooks).
#[derive(Clone, Debug)]
pub struct RunMetrics<R = ()> {
    /// The master seed of this replication.
    pub seed: u64,
    /// Named scalars in a fixed order: the engine's first, then the hooks'.
    pub scalars: Vec<Scalar>,
    /// End-to-end latency of every delivered packet created in the measured window.
    pub latency: LatencyStats,
    /// The same, for alarm-class packets only.
    pub alarm_latency: LatencyStats,
    /// The same, per traffic class, in [`CLASSES`] order.
    pub latency_by_class: [LatencyStats; 2],
    /// Time spent per link group and per station group, ordered along the routes.
    pub segments: Vec<Segment>,
    /// Energy and battery per node group, in the topology's order.
    pub groups: Vec<GroupMetrics>,
    /// The engine's incidents (battery deaths), in time order.
    pub incidents: Vec<IncidentRecord>,
    /// The time series on the grid.
    pub timeseries: TimeSeries,
    /// Events the engine processed (cancelled ones excluded).
    pub events: u64,
    /// Per patient, in [`PatientId`](crate::PatientId) order (`patients.csv`).
    pub patients: Vec<PatientMetrics>,
    /// Age of information per node group with vital-sign streams, in the topology's order.
    pub information_age: Vec<GroupAge>,
    /// What the hooks reported ([`Hooks::finish`](crate::hooks::Hooks::finish)).
    pub hooks: R,
}

/// What one patient's data went through in one run, as the engine sees it: the device, the
/// alarms, the monitoring hours and the age of information. What the hooks count per patient
/// (the security layer: readings and records exposed or tampered) is theirs, in their
/// [`Hooks::Report`](crate::hooks::Hooks::Report); `patients.csv` joins the two by patient.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PatientMetrics {
    /// The node of the patient's first stream (`ecg[3]`), to name the patient in outputs.
    pub device: String,
    /// Alarms of the patient delivered after their deadline (measured window).
    pub alarms_late: u64,
    /// Alarms of the patient lost on the way: never delivered (measured window).
    pub alarms_missed: u64,
    /// Hours the patient's monitoring streams went without data, summed over the streams.
    pub monitoring_hours_lost: f64,
    /// The part of `monitoring_hours_lost` during which the patient's device was walking.
    pub monitoring_hours_lost_moving: f64,
    /// Time-average age of information of the patient's vital-sign streams (the mean over
    /// streams), ms; `None` without such a stream.
    pub aoi_mean_ms: Option<f64>,
    /// Peak age of information over the patient's vital-sign streams, ms.
    pub aoi_peak_ms: Option<f64>,
}

/// The age of information of one node group's vital-sign streams in one run.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupAge {
    /// The node group's name.
    pub group: String,
    /// Its vital-sign streams.
    pub streams: u32,
    /// Mean over its streams of their time-average age, ms.
    pub mean_ms: f64,
    /// Largest age of any of its streams, ms.
    pub peak_ms: f64,
}

impl<R> RunMetrics<R> {
    /// The value of a named scalar.
    pub fn scalar(&self, name: &str) -> Option<f64> {
        self.scalars
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| *v)
    }
}
