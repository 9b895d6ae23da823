//! The engine's own incidents: discrete happenings the engine itself causes (a battery
//! empties and its node dies). What the hooks report happening (an attack compromising a
//! node, a defense raising an alarm) is theirs, in their [`Hooks::Report`](crate::hooks::Hooks::Report).

use crate::ids::NodeId;
use crate::time::SimTime;

/// The kinds of discrete happening the engine reports on a run's timeline (`incidents.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IncidentKind {
    /// A battery emptied and its node died.
    BatteryDeath,
}

impl IncidentKind {
    /// Every kind, in output order.
    pub const ALL: [IncidentKind; 1] = [IncidentKind::BatteryDeath];

    /// The snake_case name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            IncidentKind::BatteryDeath => "battery_death",
        }
    }
}

/// One discrete happening the engine caused, at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Incident {
    /// When it happened.
    pub at: SimTime,
    /// What happened.
    pub kind: IncidentKind,
    /// The node it happened to.
    pub node: NodeId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_output_name() {
        let mut names: Vec<&str> = IncidentKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), IncidentKind::ALL.len());
        assert_eq!(IncidentKind::BatteryDeath.name(), "battery_death");
    }
}
