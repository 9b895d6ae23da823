//! What the attacks achieved in one replication: the breach accounting behind the security
//! metrics of `summary.json` and the breach timeline.

use sim_core::{Scalar, SimTime};

/// Counters of the measured window.
#[derive(Clone, Debug, Default)]
pub(crate) struct Breach {
    pub records_exposed: f64,
    pub packets_intercepted: u64,
    pub records_tampered_accepted: u64,
    pub unsafe_commands_executed: u64,
    pub forged_rejected: u64,
    pub rate_limited: u64,
    pub events_inferred: u64,
    pub compromised_max: u64,
    pub infected_max: u64,
    pub first_compromise: Option<SimTime>,
    pub detections: u64,
    pub detect_delay_sum: f64,
    pub false_alarms: u64,
    pub audit_latency_sum: f64,
    pub audit_writes: u64,
}

impl Breach {
    /// The run's security metrics; `breach_cost_usd = records_exposed × cost_per_record`.
    pub fn report(&self, cost_per_record: f64, out: &mut Vec<Scalar>) {
        out.push(("records_exposed", Some(self.records_exposed)));
        out.push(("packets_intercepted", Some(self.packets_intercepted as f64)));
        out.push((
            "records_tampered_accepted",
            Some(self.records_tampered_accepted as f64),
        ));
        out.push((
            "unsafe_commands_executed",
            Some(self.unsafe_commands_executed as f64),
        ));
        out.push(("forged_rejected", Some(self.forged_rejected as f64)));
        out.push(("rate_limited", Some(self.rate_limited as f64)));
        out.push(("events_inferred", Some(self.events_inferred as f64)));
        out.push(("compromised_nodes_max", Some(self.compromised_max as f64)));
        out.push(("infected_hosts_max", Some(self.infected_max as f64)));
        out.push((
            "time_to_first_compromise_s",
            self.first_compromise.map(SimTime::as_secs_f64),
        ));
        out.push((
            "time_to_detect_s",
            (self.detections > 0).then(|| self.detect_delay_sum / self.detections as f64),
        ));
        out.push(("detections", Some(self.detections as f64)));
        out.push(("false_alarms", Some(self.false_alarms as f64)));
        out.push((
            "audit_commit_latency_s",
            (self.audit_writes > 0).then(|| self.audit_latency_sum / self.audit_writes as f64),
        ));
        out.push((
            "breach_cost_usd",
            Some(self.records_exposed * cost_per_record),
        ));
    }

    /// The breach timeline's series so far, with `held` nodes held now and `infected` hosts
    /// ever infected.
    pub fn sample(&self, held: u64, infected: u32, out: &mut Vec<Scalar>) {
        out.push(("records_exposed", Some(self.records_exposed)));
        out.push(("packets_intercepted", Some(self.packets_intercepted as f64)));
        out.push((
            "records_tampered_accepted",
            Some(self.records_tampered_accepted as f64),
        ));
        out.push(("compromised_nodes", Some(held as f64)));
        out.push(("infected_hosts", Some(f64::from(infected))));
    }
}
