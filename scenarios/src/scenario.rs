//! Stage two: the checked, typed scenario. Every quantity has its unit resolved, every name
//! its referent; nothing here can fail to build.

use attacks::catalogue::{AttackKind, DefenseKind, Params};
use attacks::{ActiveWindow, CipherCost};
use sim_core::{Arrivals, Bytes, DeviceSpec, Layer, LinkSpec, SimTime, TrafficClass};

/// Largest `count` of one group, refused before anything is allocated.
pub const MAX_GROUP_COUNT: u64 = 1_000_000;
/// Largest number of nodes in a scenario.
pub const MAX_NODES: u64 = 1_000_000;
/// Most time-series samples a run may record.
pub const MAX_GRID_POINTS: u64 = 100_000;

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Simulated time.
    pub duration: SimTime,
    /// Transient excluded from statistics.
    pub warmup: SimTime,
    /// Base seed.
    pub seed: u64,
    /// Replications.
    pub replications: u32,
    /// Time-series spacing.
    pub time_grid: SimTime,
    /// Device and service groups, sensing first, then network, then cloud.
    pub groups: Vec<Group>,
    /// Link groups.
    pub links: Vec<LinkGroup>,
    /// Attacks.
    pub attacks: Vec<Attack>,
    /// Defenses.
    pub defenses: Vec<Defense>,
    /// Cost of one exposed patient record, USD.
    pub cost_per_record: f64,
    /// Positions and radio links (the physical layer).
    pub radio: crate::radio::RadioPlan,
    /// Fixed cost of a breach, USD, once per replication with any exposure.
    pub cost_per_breach: f64,
    /// The sequential stopping rule, if the scenario asks for one.
    pub precision: Option<Precision>,
}

/// `precision:` / `--precision`: add replications until each metric's 95 % half-width is at
/// most `relative` × |mean| (README, "Replications, intervals and when not to trust a mean").
#[derive(Clone, Debug, PartialEq)]
pub struct Precision {
    /// The target half-width, as a fraction of the mean (0 < relative < 1).
    pub relative: f64,
    /// The metrics that must reach it (columns of runs.csv).
    pub metrics: Vec<String>,
    /// Never more replications than this (≥ 2).
    pub max_replications: u32,
}

impl Precision {
    /// The metrics watched unless named: the mean latency, the delivery ratio and the sensing
    /// layer's energy (what most papers quote; breach counts are rare events whose relative
    /// precision can take thousands of replications).
    pub const DEFAULT_METRICS: [&str; 3] = ["latency_ms", "delivery_ratio", "sensor_energy_j"];

    /// The most replications unless told.
    pub const DEFAULT_MAX: u32 = 1000;
}

/// A group of identical nodes.
#[derive(Clone, Debug)]
pub struct Group {
    /// Name; nodes are `name[i]`.
    pub name: String,
    /// Layer.
    pub layer: Layer,
    /// Number of nodes.
    pub count: u32,
    /// The catalogue profile it started from.
    pub profile: String,
    /// The device model, overrides applied.
    pub device: DeviceSpec,
    /// Its radio listen schedule, front end and MCU work.
    pub power: sim_core::power_profile::PowerProfile,
    /// Streams of each node.
    pub streams: Vec<Stream>,
    /// Whom its nodes belong to.
    pub patient: crate::patient::PatientRule,
    /// Where the group sits in the file (`sensing[0]`).
    pub path: String,
}

/// One traffic stream of each node of a group.
#[derive(Clone, Debug)]
pub struct Stream {
    /// Name.
    pub name: String,
    /// Arrival process.
    pub arrivals: Arrivals,
    /// Payload size.
    pub size: Bytes,
    /// Records per packet.
    pub records: u32,
    /// Class.
    pub class: TrafficClass,
    /// Deadline.
    pub deadline: Option<SimTime>,
    /// Destination group index; node i sends to node `i mod count` of it.
    pub to: usize,
    /// One stream per destination node: node j of `to` is served by node `j mod count`.
    pub per_destination: bool,
    /// Size of the acknowledgement sent back for each delivered packet.
    pub ack: Option<Bytes>,
}

/// How a link group connects its groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Node i of `from` to node i of `to` (equal counts).
    Pairwise,
    /// Node i of `from` (of n) to node ⌊i·m/n⌋ of `to` (of m): contiguous blocks share a parent.
    FanIn,
}

/// A set of links expanded from one pattern.
#[derive(Clone, Debug)]
pub struct LinkGroup {
    /// Name.
    pub name: String,
    /// Groups at one end.
    pub from: Vec<usize>,
    /// Group at the other end.
    pub to: usize,
    /// Pattern.
    pub pattern: Pattern,
    /// Catalogue profile.
    pub profile: String,
    /// Link model for each expanded link (name filled at build).
    pub template: LinkSpec,
    /// The client modem of each link's `from` end, if any.
    pub client_modem: Option<sim_core::phy::lte::ModemParams>,
}

/// One entry of an attack's target list: a whole group, or one member of it (`ecg[3]`, the
/// fourth node; `ble[3]`, the fourth link the group expands to). `layer:cloud` and
/// `profile:ble_1m` are expanded into whole groups when checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pick {
    /// The group's index (node groups in [`Scenario::groups`], link groups in
    /// [`Scenario::links`]).
    pub group: usize,
    /// One member of it, or `None` for all.
    pub index: Option<u32>,
}

/// A validated attack: a kind of the [catalogue](attacks::catalogue), its parameters and what
/// it is pointed at, by group index.
#[derive(Clone, Debug)]
pub struct Attack {
    /// Name, unique among the attacks.
    pub name: String,
    /// What it is.
    pub kind: AttackKind,
    /// When it acts.
    pub window: ActiveWindow,
    /// Its parameters in stored units (seconds, per second, bytes, watts), defaults filled in.
    pub params: Params,
    /// Targeted links (groups of [`Scenario::links`], or one link of a group), for link
    /// attacks, in the order written.
    pub links: Vec<Pick>,
    /// Targeted nodes (groups of [`Scenario::groups`], or one node of a group), in the order
    /// written.
    pub targets: Vec<Pick>,
    /// The node group where its traffic enters (`from:`), for floods and Sybil.
    pub from: Option<usize>,
    /// The earlier attack (index into [`Scenario::attacks`]) whose compromises are its foothold.
    pub after: Option<usize>,
}

/// A validated defense: a kind of the [catalogue](attacks::catalogue), its parameters, what it
/// protects and, for kinds that take one, its cipher.
#[derive(Clone, Debug)]
pub struct Defense {
    /// Name, unique among the defenses.
    pub name: String,
    /// What it is.
    pub kind: DefenseKind,
    /// Its parameters in stored units, defaults filled in.
    pub params: Params,
    /// Protected link groups (indices into [`Scenario::links`]), for link defenses.
    pub links: Vec<usize>,
    /// Protected or hosting node groups (indices into [`Scenario::groups`]).
    pub targets: Vec<usize>,
    /// The cipher profile's name, for kinds that take one.
    pub cipher_name: Option<String>,
    /// The cipher's cost, for kinds that take one.
    pub cipher: Option<CipherCost>,
    /// Whether the cipher hides the payload (an AEAD) rather than only authenticating it.
    pub encrypts: bool,
}

impl Scenario {
    /// Nodes per layer: (sensing, network, cloud).
    pub fn nodes_per_layer(&self) -> [u64; 3] {
        let mut n = [0u64; 3];
        for g in &self.groups {
            let i = match g.layer {
                Layer::Sensing => 0,
                Layer::Network => 1,
                Layer::Cloud => 2,
            };
            n[i] += u64::from(g.count);
        }
        n
    }

    /// Packets emitted per simulated second, summed over every stream of every node.
    pub fn packets_per_second(&self) -> f64 {
        self.groups
            .iter()
            .flat_map(|g| g.streams.iter().map(move |s| (g.count, s)))
            .map(|(count, s)| {
                let per_stream = match &s.arrivals {
                    Arrivals::Periodic { period, .. } => 1.0 / period.as_secs_f64(),
                    Arrivals::Poisson { rate_per_s } => *rate_per_s,
                };
                let streams = if s.per_destination {
                    self.groups[s.to].count
                } else {
                    count
                };
                f64::from(streams) * per_stream
            })
            .sum()
    }
}
