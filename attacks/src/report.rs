//! What the security layer reports at the end of a run, in its own terms: the incidents on its
//! timeline (compromises, detections, false alarms, isolations, outages, recoveries) and what
//! each attack did. The engine carries it untouched as the hooks' report
//! ([`sim_core::Hooks::Report`], in [`sim_core::RunMetrics::hooks`]); `incidents.csv` merges
//! it with the engine's own incidents (battery deaths), `attacks.csv` writes it as it is.

use sim_core::{IncidentRecord, NodeId, SimTime, Topology};

/// The kinds of happening the security layer reports on a run's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IncidentKind {
    /// An attack took control of a node (a foothold other attacks may chain from).
    Compromise,
    /// A defense detected an attack (true positive).
    Detection,
    /// A defense raised an alarm with no attack behind it.
    FalseAlarm,
    /// A defense cut a node off the network.
    Isolation,
    /// A node became unavailable to an attack (ransomware encrypted it).
    Outage,
    /// A node came back (reimaged, released from isolation).
    Recovery,
}

impl IncidentKind {
    /// Every kind, in output order.
    pub const ALL: [IncidentKind; 6] = [
        IncidentKind::Compromise,
        IncidentKind::Detection,
        IncidentKind::FalseAlarm,
        IncidentKind::Isolation,
        IncidentKind::Outage,
        IncidentKind::Recovery,
    ];

    /// The snake_case name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            IncidentKind::Compromise => "compromise",
            IncidentKind::Detection => "detection",
            IncidentKind::FalseAlarm => "false_alarm",
            IncidentKind::Isolation => "isolation",
            IncidentKind::Outage => "outage",
            IncidentKind::Recovery => "recovery",
        }
    }
}

/// One happening at one instant, as the security layer records it during the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    /// When it happened.
    pub at: SimTime,
    /// What happened.
    pub kind: IncidentKind,
    /// The node it happened to, if it concerns one node.
    pub node: Option<NodeId>,
    /// The attack or defense that caused or reported it (its name in the scenario).
    pub by: String,
}

/// An [`Incident`] with its node resolved to names, for output.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentRow {
    /// When it happened.
    pub at: SimTime,
    /// What happened.
    pub kind: IncidentKind,
    /// The node's name, empty if it concerns no single node.
    pub node: String,
    /// The node's group, empty if it concerns no single node.
    pub group: String,
    /// The attack or defense behind it.
    pub by: String,
}

/// What one attack did in one run (a row of `attacks.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct AttackSummary {
    /// The attack's name in the scenario.
    pub name: String,
    /// Its kind (`spoofing`).
    pub kind: &'static str,
    /// When it first did something a defense could see, if it did.
    pub first_act: Option<SimTime>,
    /// When it was detected, if it was.
    pub detected: Option<SimTime>,
    /// When a defense's response ended it, if one did.
    pub stopped: Option<SimTime>,
    /// Nodes it compromised (footholds, captured devices, infected hosts).
    pub compromises: u64,
    /// Packets it put into the network (forged, replayed, flood).
    pub injected: u64,
}

/// What the attacks did to one patient's data in one run (the security columns of a row of
/// `patients.csv`, beside the engine's [`sim_core::PatientMetrics`]), measured window only.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PatientExposure {
    /// Distinct readings of the patient an attacker read.
    pub readings_exposed: u64,
    /// Distinct clinical records of the patient an attacker read: each distinct reading's
    /// records once, and stored records of the patient taken from a store.
    pub records_exposed: f64,
    /// Distinct readings of the patient that arrived altered, forged or replayed and were
    /// accepted.
    pub readings_tampered_accepted: u64,
    /// The records those readings carry, and stored records of the patient an intruder
    /// altered.
    pub records_tampered_accepted: u64,
}

/// The security layer's report of one run: [`sim_core::Hooks::Report`] of
/// [`crate::SecurityLayer`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SecurityReport {
    /// Its incidents in time order (at equal instants, in the order they happened).
    pub incidents: Vec<IncidentRow>,
    /// What each attack did, in the scenario's order.
    pub attacks: Vec<AttackSummary>,
    /// What the attacks did to each patient's data, in [`sim_core::PatientId`] order: as many
    /// patients as the engine's [`sim_core::RunMetrics::patients`] (the highest patient a
    /// source names, plus one).
    pub patients: Vec<PatientExposure>,
}

impl sim_core::HookReport for SecurityReport {
    const DERIVED: &'static [&'static sim_core::metrics::Metric] = &crate::metrics::DERIVED;

    /// [`crate::metrics::WORST_PATIENT_RECORDS_EXPOSED`]: the largest `records_exposed` over
    /// the patients, undefined without patients.
    fn derived(&self, out: &mut Vec<sim_core::Scalar>) {
        let worst = self
            .patients
            .iter()
            .map(|p| p.records_exposed)
            .reduce(f64::max);
        out.push((crate::metrics::WORST_PATIENT_RECORDS_EXPOSED.id, worst));
    }
}

impl SecurityReport {
    /// Resolves `incidents` (in any order) to names on `topology` and sorts them by time,
    /// stably, into a report with `attacks`.
    pub fn new(
        mut incidents: Vec<Incident>,
        attacks: Vec<AttackSummary>,
        topology: &Topology,
    ) -> SecurityReport {
        incidents.sort_by_key(|i| i.at);
        let incidents = incidents
            .into_iter()
            .map(|i| {
                let (node, group) = i.node.filter(|n| n.index() < topology.node_count()).map_or(
                    (String::new(), String::new()),
                    |n| {
                        let spec = topology.node(n);
                        (spec.name.to_string(), spec.group.to_string())
                    },
                );
                IncidentRow {
                    at: i.at,
                    kind: i.kind,
                    node,
                    group,
                    by: i.by,
                }
            })
            .collect();
        SecurityReport {
            incidents,
            attacks,
            patients: Vec::new(),
        }
    }

    /// The run's whole timeline, as `incidents.csv` lists it: the engine's incidents
    /// (`engine`, in time order) and this report's, merged by time; at equal instants the
    /// engine's come first. Each row: seconds, kind, node, group, who.
    pub fn timeline<'a>(
        &'a self,
        engine: &'a [IncidentRecord],
    ) -> impl Iterator<Item = (f64, &'static str, &'a str, &'a str, &'a str)> + 'a {
        let mut e = engine.iter().peekable();
        let mut s = self.incidents.iter().peekable();
        std::iter::from_fn(move || {
            let take_engine = match (e.peek(), s.peek()) {
                (None, None) => return None,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(a), Some(b)) => a.time_s <= b.at.as_secs_f64(),
            };
            Some(if take_engine {
                let a = e.next()?;
                (a.time_s, a.kind.name(), &*a.node, &*a.group, &*a.by)
            } else {
                let b = s.next()?;
                (
                    b.at.as_secs_f64(),
                    b.kind.name(),
                    &*b.node,
                    &*b.group,
                    &*b.by,
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::HookReport;
    use sim_core::{DeviceSpec, Hertz, Joules, Layer, NodeClass, NodeSpec, Watts};

    fn topology() -> Topology {
        let mut t = Topology::new();
        for name in ["a", "b"] {
            t.add_node(NodeSpec::new(
                name.into(),
                NodeClass {
                    group: format!("g{name}").into(),
                    layer: Layer::Sensing,
                    device: DeviceSpec {
                        station: None,
                        battery: None,
                        sleep_power: Watts(0.0),
                        cpu_hz: Hertz(1e6),
                        energy_per_cycle: Joules(0.0),
                    }
                    .into(),
                },
            ));
        }
        t
    }

    fn incident(at: u64, kind: IncidentKind, node: Option<u32>, by: &str) -> Incident {
        Incident {
            at: SimTime::from_secs(at),
            kind,
            node: node.map(NodeId),
            by: by.into(),
        }
    }

    #[test]
    fn incidents_are_named_and_sorted_stably_and_merge_after_the_engines_at_equal_instants() {
        let report = SecurityReport::new(
            vec![
                incident(7, IncidentKind::Detection, Some(1), "ids"),
                incident(3, IncidentKind::Compromise, Some(0), "capture"),
                incident(7, IncidentKind::Isolation, Some(1), "ids"),
                incident(9, IncidentKind::FalseAlarm, None, "ids"),
            ],
            Vec::new(),
            &topology(),
        );
        let death = |t: f64, node: &str| IncidentRecord {
            time_s: t,
            kind: sim_core::IncidentKind::BatteryDeath,
            node: node.into(),
            group: format!("g{node}"),
            by: String::new(),
        };
        let engine = [death(1.0, "a"), death(7.0, "b"), death(10.0, "a")];
        let rows: Vec<(f64, &str, &str, &str, &str)> = report.timeline(&engine).collect();
        assert_eq!(
            rows,
            [
                (1.0, "battery_death", "a", "ga", ""),
                (3.0, "compromise", "a", "ga", "capture"),
                (7.0, "battery_death", "b", "gb", ""),
                (7.0, "detection", "b", "gb", "ids"),
                (7.0, "isolation", "b", "gb", "ids"),
                (9.0, "false_alarm", "", "", "ids"),
                (10.0, "battery_death", "a", "ga", ""),
            ]
        );
    }

    #[test]
    fn security_and_engine_kinds_have_distinct_output_names() {
        let mut names: Vec<&str> = IncidentKind::ALL.iter().map(|k| k.name()).collect();
        names.extend(sim_core::IncidentKind::ALL.iter().map(|k| k.name()));
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    /// The report derives what it declares, in order, and the worst patient is the one with
    /// the most records exposed (none without patients).
    #[test]
    fn the_report_derives_the_worst_patient_s_records_exposed_as_declared() {
        let mut report = SecurityReport::default();
        let mut out = Vec::new();
        report.derived(&mut out);
        assert_eq!(out, [("worst_patient_records_exposed", None)]);
        let exposed = |records_exposed| PatientExposure {
            records_exposed,
            ..PatientExposure::default()
        };
        report.patients = vec![exposed(3.0), exposed(7.5), exposed(0.0)];
        out.clear();
        report.derived(&mut out);
        assert_eq!(out, [("worst_patient_records_exposed", Some(7.5))]);
        let names: Vec<&str> = out.iter().map(|s| s.0).collect();
        let declared: Vec<&str> = SecurityReport::DERIVED.iter().map(|m| m.id).collect();
        assert_eq!(names, declared);
    }
}
