//! `traffic_analysis`: An observer of the targeted links learns clinical events (alarms, commands
//! to actuators) from packet sizes and timing with an accuracy, whatever the encryption; padding
//! with cover traffic leaves it nothing.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::TrafficAnalysis,
    name: "traffic_analysis",
    layer: Layers::CROSS,
    stride: "Information disclosure",
    attack_id: "Enterprise T1040 Network Sniffing",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Links,
    makes: None,
    moves: "events_inferred",
    about: "An observer of the targeted links learns clinical events (alarms, commands to actuators) from packet sizes and timing with an accuracy, whatever the encryption; padding with cover traffic leaves it nothing.",
    params: &[param(
        "accuracy",
        Unit::Probability,
        0.9,
        "0.9",
        "probability an observed alarm or command is recognised",
        U,
    ),
        RETRY_AFTER,
    ],
};

/// An observer inferring clinical events from sizes and timing on the targeted links.
#[derive(Debug)]
pub(crate) struct Model {
    /// Probability one clinical packet seen is inferred as an event.
    accuracy: f64,
    /// Per source, the creation time of the newest packet counted, so a packet seen on
    /// several targeted hops is one event.
    counted: HashMap<SourceId, SimTime>,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            accuracy: p.num("accuracy"),
            counted: HashMap::new(),
        }
    }
}

impl AttackModel for Model {
    /// Alarms and commands (packets to the sensing layer) are clinical events; each is
    /// inferred with `accuracy`, unless its sender sends cover traffic and the padding there
    /// prevents the attack.
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        if !(a.link_targeted[h.link] && h.own) {
            return;
        }
        let p = *h.packet();
        // The deployment's own traffic comes from a source.
        let Some(source) = p.source.source() else {
            return;
        };
        let clinical = p.class == TrafficClass::Alarm || h.net.is_sensing(p.dst);
        let newest = self.counted.get(&source).copied();
        let once = newest.is_none_or(|t| p.created > t);
        if !(clinical && once) {
            return;
        }
        self.counted.insert(source, p.created);
        let u: f64 = a.draws(h).random();
        a.act(h.tx.now);
        let padded = h.sender.is_some_and(|s| {
            h.protection.padding[s.index()].is_some_and(|(_, cover)| cover > 0.0)
                && h.masks.prevents(
                    AttackKind::TrafficAnalysis,
                    h.protection.node_set[s.index()],
                )
        });
        if u < self.accuracy && !padded {
            h.inferred += 1;
        }
    }
}
