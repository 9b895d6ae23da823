//! What a metric is, declared once: its id (the name in every output file), its label and
//! unit (tables, chart axes), a one-line doc (the README's metric tables) and who produces it.
//! Every list of metric names elsewhere is derived from these declarations.

/// The unit a metric is counted or measured in, as tables and axis titles print it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Packets (counts).
    Packets,
    /// A plain count of occurrences.
    Count,
    /// A share between 0 and 1.
    Fraction,
    /// Milliseconds.
    Ms,
    /// Seconds.
    S,
    /// Hours.
    H,
    /// Days.
    Days,
    /// Joules.
    J,
    /// Nodes (counts).
    Nodes,
    /// Clinical records (counts).
    Records,
    /// Readings: packets of the deployment's own traffic (counts).
    Readings,
    /// Patients (counts).
    Patients,
    /// Commands to actuators (counts).
    Commands,
    /// Clinical events (counts).
    Events,
    /// Attacks (counts).
    Attacks,
    /// Alarms (counts).
    Alarms,
    /// US dollars.
    Usd,
    /// Packets per second.
    PacketsPerS,
}

impl Unit {
    /// The unit as tables and axis titles print it (`ms`, `J`, `packets`).
    pub const fn symbol(self) -> &'static str {
        match self {
            Unit::Packets => "packets",
            Unit::Count => "count",
            Unit::Fraction => "fraction",
            Unit::Ms => "ms",
            Unit::S => "s",
            Unit::H => "h",
            Unit::Days => "days",
            Unit::J => "J",
            Unit::Nodes => "nodes",
            Unit::Records => "records",
            Unit::Readings => "readings",
            Unit::Patients => "patients",
            Unit::Commands => "commands",
            Unit::Events => "events",
            Unit::Attacks => "attacks",
            Unit::Alarms => "alarms",
            Unit::Usd => "USD",
            Unit::PacketsPerS => "packets/s",
        }
    }

    /// Whether the metric counts whole things (charts: never below zero, integer ticks).
    pub const fn is_count(self) -> bool {
        matches!(
            self,
            Unit::Packets
                | Unit::Nodes
                | Unit::Records
                | Unit::Readings
                | Unit::Patients
                | Unit::Commands
                | Unit::Events
                | Unit::Attacks
                | Unit::Alarms
        )
    }
}

/// Who produces a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The engine (`sim-core`), in `Simulation::finish`.
    Engine,
    /// The hooks plugged into the engine (`attacks`, iomtsim's security layer), in
    /// `Hooks::report`.
    Hooks,
    /// Computed from a finished run's [`RunMetrics`](crate::RunMetrics) by
    /// [`derived`](super::derived) (latency percentiles, the worst patient's figures), or
    /// from the hooks' report by the hooks ([`HookReport::derived`](crate::HookReport::derived)).
    Derived,
}

/// When a run reports a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum When {
    /// Every run.
    Always,
    /// Only runs in which some radio link has a medium access (`mac:`), so that scenarios
    /// without one report exactly what they did before.
    SomeLinkHasMac,
    /// Only runs with roaming clients (`mobility: roaming`), so that scenarios without one
    /// report exactly what they did before.
    SomeClientRoams,
}

/// One metric, declared once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metric {
    /// The name in every output file (`summary.json`, `runs.csv`, `sweep.csv`), unit last.
    pub id: &'static str,
    /// The label of tables and axis titles (`End-to-end latency, mean`).
    pub label: &'static str,
    /// Its unit.
    pub unit: Unit,
    /// One line on what it measures, for the README's metric tables (Markdown).
    pub doc: &'static str,
    /// Who produces it.
    pub owner: Owner,
    /// When a run reports it.
    pub when: When,
    /// The id of the metric this one is a part of (`sensor_cpu_j` of `sensor_energy_j`):
    /// tables indent it under that one.
    pub part_of: Option<&'static str>,
}

impl Metric {
    /// A metric every run reports, part of no other.
    pub const fn new(
        id: &'static str,
        label: &'static str,
        unit: Unit,
        owner: Owner,
        doc: &'static str,
    ) -> Metric {
        Metric {
            id,
            label,
            unit,
            doc,
            owner,
            when: When::Always,
            part_of: None,
        }
    }

    /// This metric, shown in tables as a part of metric `whole`.
    pub const fn part_of(self, whole: &'static str) -> Metric {
        Metric {
            part_of: Some(whole),
            ..self
        }
    }

    /// This metric, reported only `when`.
    pub const fn when(self, when: When) -> Metric {
        Metric { when, ..self }
    }
}

/// The ids of `metrics`, in their order (for the `&str` lists that sweeps and files use).
pub const fn ids<const N: usize>(metrics: [&Metric; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = metrics[i].id;
        i += 1;
    }
    out
}

/// The declaration of `id` among `metrics`.
pub fn find<'a>(metrics: &[&'a Metric], id: &str) -> Option<&'a Metric> {
    metrics.iter().copied().find(|m| m.id == id)
}

/// The Markdown table of `metrics` for the README: `| metric | unit | meaning |` (the first
/// heading is `what`), one row per metric in their order.
pub fn markdown_table(what: &str, metrics: &[&Metric]) -> String {
    let mut s = format!("| {what} | unit | meaning |\n|---|---|---|\n");
    for m in metrics {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            m.id,
            m.unit.symbol(),
            m.doc
        ));
    }
    s
}
