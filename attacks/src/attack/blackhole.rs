//! `blackhole`: a compromised relay that drops every packet it should forward, whatever it
//! is (readings, commands, acknowledgements, attack traffic); what it originates itself
//! passes. The limit of selective forwarding at a drop probability of 1, without a parameter.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Blackhole,
    name: "blackhole",
    layer: Layers::NETWORK,
    stride: "Denial of service",
    attack_id: "ICS T0814 Denial of Service",
    precondition: Precondition::Foothold,
    grants: Privilege::None,
    requires: Privilege::Admin,
    targets: Targets::Nodes,
    makes: None,
    moves: "lost_attack, deadline_misses, monitoring_hours_lost",
    about: "A compromised relay (`targets`, or the footholds of `after:`) drops every packet it should forward; packets it originates pass. Routes keep using it until a response isolates it.",
    params: &[RETRY_AFTER],
};

/// A relay swallowing its transit traffic.
#[derive(Debug)]
pub(crate) struct Model;

impl Model {
    pub(crate) fn new(_p: &ParamReader<'_>) -> Self {
        Model
    }
}

impl AttackModel for Model {
    fn footholds(&self) -> Footholds {
        Footholds::Targets
    }

    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        if a.holds[h.tx.from.index()] && h.transit {
            a.act(h.tx.now);
            h.fate = Fate::Withheld;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::AttackKind;
    use crate::security::tests::{HUB, attack, get, ids, run, ward};
    use crate::spec::AttackSpec;

    #[test]
    fn a_blackhole_hub_swallows_everything_it_relays() {
        let model = ward(100);
        let hole = AttackSpec {
            targets: ids(&[HUB]),
            ..attack(AttackKind::Blackhole, "hole")
        };
        let m = run(&model, vec![hole], vec![]);
        // Every stream of the ward crosses the hub: readings and alarms up, doses down.
        let generated = get(&m, "generated");
        assert!(generated > 400.0, "{generated}");
        assert_eq!(get(&m, "delivered"), 0.0);
        assert_eq!(get(&m, "lost_attack"), generated);
        assert_eq!(get(&m, "compromised_nodes_max"), 1.0);
    }
}
