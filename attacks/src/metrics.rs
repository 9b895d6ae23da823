//! The metrics the security layer reports for a run ([`SecurityLayer`]'s `Hooks::report`,
//! in [`RUN`] order after the engine's), declared with the engine's
//! [`Metric`] type so that tables, charts, CSV headers and the README read them alike.
//!
//! [`SecurityLayer`]: crate::SecurityLayer

use sim_core::metrics::{Metric, Owner::Hooks, Unit};

const fn run(id: &'static str, label: &'static str, unit: Unit, doc: &'static str) -> Metric {
    Metric::new(id, label, unit, Hooks, doc)
}

/// Distinct readings an attacker read.
pub const READINGS_EXPOSED: Metric = run(
    "readings_exposed",
    "Readings exposed (distinct)",
    Unit::Readings,
    "distinct readings (packets of the deployment's own traffic, identified by source and sequence number) whose content an attacker read — captured in plaintext, read with a captured key, by a compromised relay or a rogue access point; a reading read on two hops or by two attackers counts once",
);
/// Distinct clinical records an attacker read.
pub const RECORDS_EXPOSED: Metric = run(
    "records_exposed",
    "Records exposed (distinct)",
    Unit::Records,
    "distinct clinical records an attacker read: each distinct reading's `records` once, plus the stored records an insider or an exfiltration took from a store",
);
/// Distinct patients with a record read.
pub const PATIENTS_EXPOSED: Metric = run(
    "patients_exposed",
    "Patients exposed",
    Unit::Patients,
    "distinct patients (see [Patients](docs/scenario.md#patients)) with at least one record read; a store breach exposes every patient whose readings the store holds",
);
/// Captures by attackers, every hop counted.
pub const PACKETS_INTERCEPTED: Metric = run(
    "packets_intercepted",
    "Packets intercepted",
    Unit::Packets,
    "captures by an eavesdropper, a man in the middle, a wormhole or a rogue AP, encrypted or not, every hop counted (the radio workload of the attack, not a breach figure)",
);
/// Distinct readings accepted altered, forged or replayed.
pub const READINGS_TAMPERED_ACCEPTED: Metric = run(
    "readings_tampered_accepted",
    "Tampered readings accepted",
    Unit::Readings,
    "distinct readings a destination accepted altered, forged or replayed: a tampered or replayed reading once however many copies, each forged packet once",
);
/// The records those readings carry.
pub const RECORDS_TAMPERED_ACCEPTED: Metric = run(
    "records_tampered_accepted",
    "Tampered records accepted",
    Unit::Records,
    "the records those readings carry, and stored records an intruder altered",
);
/// Distinct patients with tampered data accepted.
pub const PATIENTS_TAMPERED: Metric = run(
    "patients_tampered",
    "Patients with tampered data accepted",
    Unit::Patients,
    "distinct patients with at least one altered, forged or replayed record accepted",
);
/// Tampered commands an actuator carried out.
pub const UNSAFE_COMMANDS_EXECUTED: Metric = run(
    "unsafe_commands_executed",
    "Unsafe commands executed",
    Unit::Commands,
    "altered, forged or replayed packets an actuator (a sensing-layer destination: pump, implant) carried out",
);
/// Forgeries refused at the first receiver.
pub const FORGED_REJECTED: Metric = run(
    "forged_rejected",
    "Forgeries refused at ingress",
    Unit::Packets,
    "forgeries refused at the first receiver (MAC, mutual authentication) and never sent on",
);
/// Packets a rate limiter rejected.
pub const RATE_LIMITED: Metric = run(
    "rate_limited",
    "Packets dropped by rate limiting",
    Unit::Packets,
    "packets a rate limiter rejected at a protected node's ingress",
);
/// Clinical events a traffic-analysis observer recognised.
pub const EVENTS_INFERRED: Metric = run(
    "events_inferred",
    "Clinical events inferred",
    Unit::Events,
    "clinical events (alarms, commands to actuators) a traffic-analysis observer recognised",
);
/// Most nodes held by attacks at once.
pub const COMPROMISED_NODES_MAX: Metric = run(
    "compromised_nodes_max",
    "Compromised nodes, most at once",
    Unit::Nodes,
    "most nodes held by attacks at once (footholds, captured devices, infected hosts)",
);
/// Hosts ransomware infected.
pub const INFECTED_HOSTS_MAX: Metric = run(
    "infected_hosts_max",
    "Hosts infected",
    Unit::Nodes,
    "hosts ransomware infected",
);
/// Time to the first compromise.
pub const TIME_TO_FIRST_COMPROMISE_S: Metric = run(
    "time_to_first_compromise_s",
    "Time to first compromise",
    Unit::S,
    "from the start of the attack that made it to the first compromise; undefined if none",
);
/// Mean time to detection.
pub const TIME_TO_DETECT_S: Metric = run(
    "time_to_detect_s",
    "Time to detection",
    Unit::S,
    "mean, over detected attacks, of the time from an attack's first act to its detection (IDS or audit log); undefined if none was detected",
);
/// Attacks detected.
pub const DETECTIONS: Metric = run(
    "detections",
    "Attacks detected",
    Unit::Attacks,
    "attacks detected",
);
/// IDS alarms with no attack behind them.
pub const FALSE_ALARMS: Metric = run(
    "false_alarms",
    "False alarms",
    Unit::Alarms,
    "IDS alarms with no attack behind them",
);
/// Mean audit-ledger commit latency.
pub const AUDIT_COMMIT_LATENCY_S: Metric = run(
    "audit_commit_latency_s",
    "Audit-log commit latency, mean",
    Unit::S,
    "mean time from a record's write to its audit-ledger commit; undefined without an audit log",
);
/// Estimated breach cost.
pub const BREACH_COST_USD: Metric = run(
    "breach_cost_usd",
    "Estimated breach cost",
    Unit::Usd,
    "`cost_per_record` × `patients_exposed` + `cost_per_breach` if any record was exposed (defaults $408 and $0; see [Breach cost](#breach-cost))",
);

/// Every metric the security layer reports for a run, in output order.
pub const RUN: [&Metric; 19] = [
    &READINGS_EXPOSED,
    &RECORDS_EXPOSED,
    &PATIENTS_EXPOSED,
    &PACKETS_INTERCEPTED,
    &READINGS_TAMPERED_ACCEPTED,
    &RECORDS_TAMPERED_ACCEPTED,
    &PATIENTS_TAMPERED,
    &UNSAFE_COMMANDS_EXECUTED,
    &FORGED_REJECTED,
    &RATE_LIMITED,
    &EVENTS_INFERRED,
    &COMPROMISED_NODES_MAX,
    &INFECTED_HOSTS_MAX,
    &TIME_TO_FIRST_COMPROMISE_S,
    &TIME_TO_DETECT_S,
    &DETECTIONS,
    &FALSE_ALARMS,
    &AUDIT_COMMIT_LATENCY_S,
    &BREACH_COST_USD,
];

const fn series(id: &'static str, label: &'static str, unit: Unit, doc: &'static str) -> Metric {
    Metric::new(id, label, unit, Hooks, doc)
}

/// Records exposed so far.
pub const SERIES_RECORDS_EXPOSED: Metric = series(
    "records_exposed",
    "Records exposed (distinct)",
    Unit::Records,
    "whole system: cumulative over the measured window (0 during the warm-up), as in the metrics above",
);
/// Patients exposed so far.
pub const SERIES_PATIENTS_EXPOSED: Metric = series(
    "patients_exposed",
    "Patients exposed",
    Unit::Patients,
    "whole system: cumulative over the measured window (0 during the warm-up), as in the metrics above",
);
/// Packets intercepted so far.
pub const SERIES_PACKETS_INTERCEPTED: Metric = series(
    "packets_intercepted",
    "Packets intercepted",
    Unit::Packets,
    "whole system: cumulative over the measured window (0 during the warm-up), as in the metrics above",
);
/// Tampered records accepted so far.
pub const SERIES_RECORDS_TAMPERED_ACCEPTED: Metric = series(
    "records_tampered_accepted",
    "Tampered records accepted",
    Unit::Records,
    "whole system: cumulative, as in the metrics above",
);
/// Nodes held by attacks now.
pub const SERIES_COMPROMISED_NODES: Metric = series(
    "compromised_nodes",
    "Compromised nodes",
    Unit::Nodes,
    "whole system: nodes attacks hold at that instant",
);
/// Hosts infected so far.
pub const SERIES_INFECTED_HOSTS: Metric = series(
    "infected_hosts",
    "Hosts infected",
    Unit::Nodes,
    "whole system: hosts ransomware has infected so far (the SI curve)",
);

/// Records exposed of the most exposed patient, derived from a finished run's
/// [`SecurityReport::patients`](crate::SecurityReport::patients).
pub const WORST_PATIENT_RECORDS_EXPOSED: Metric = Metric::new(
    "worst_patient_records_exposed",
    "Records exposed, worst patient",
    Unit::Records,
    sim_core::metrics::Owner::Derived,
    "`records_exposed` of the patient with the most (`patients.csv`); undefined without patients",
);

/// The metrics the security layer derives from a finished run
/// ([`sim_core::HookReport::DERIVED`] of [`SecurityReport`](crate::SecurityReport)), in order.
pub const DERIVED: [&Metric; 1] = [&WORST_PATIENT_RECORDS_EXPOSED];

/// The security layer's series of `timeseries.csv` (`Hooks::sample`), in column order.
pub const SERIES: [&Metric; 6] = [
    &SERIES_RECORDS_EXPOSED,
    &SERIES_PATIENTS_EXPOSED,
    &SERIES_PACKETS_INTERCEPTED,
    &SERIES_RECORDS_TAMPERED_ACCEPTED,
    &SERIES_COMPROMISED_NODES,
    &SERIES_INFECTED_HOSTS,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breach::{Breach, BreachCost};

    /// What the security layer reports is exactly what it declares, in order: a metric
    /// added to the report without its declaration fails here.
    #[test]
    fn the_report_is_the_declared_metrics_in_order() {
        let mut out = Vec::new();
        let cost = BreachCost {
            per_record: 408.0,
            per_breach: 0.0,
        };
        Breach::default().report(cost, &mut out);
        let names: Vec<&str> = out.iter().map(|s| s.0).collect();
        assert_eq!(names, sim_core::metrics::ids(RUN));
    }

    #[test]
    fn the_series_are_the_declared_series_in_order() {
        let mut out = Vec::new();
        Breach::default().sample(0, 0, &mut out);
        let names: Vec<&str> = out.iter().map(|s| s.0).collect();
        assert_eq!(names, sim_core::metrics::ids(SERIES));
    }

    #[test]
    fn the_security_layer_declares_no_engine_metric_again() {
        for m in RUN {
            assert_eq!(m.owner, sim_core::metrics::Owner::Hooks);
            assert!(
                !sim_core::metrics::engine::RUN.iter().any(|e| e.id == m.id),
                "{} is the engine's",
                m.id
            );
        }
    }
}
