//! `node_capture`: The attacker takes devices of the targeted groups and extracts their keys after
//! an exponential time; from then on every packet on the captured nodes' links is readable to them,
//! encrypted or not, until the next key rotation.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::NodeCapture,
    name: "node_capture",
    layer: Layers::SENSING,
    stride: "Tampering, Information disclosure",
    attack_id: "Enterprise T1552.004 Private Keys",
    precondition: Precondition::Physical,
    grants: Privilege::Root,
    requires: Privilege::None,
    targets: Targets::Nodes,
    makes: None,
    moves: "compromised_nodes_max, time_to_first_compromise_s, records_exposed",
    about: "The attacker takes devices of the targeted groups and extracts their keys after an exponential time; from then on every packet on the captured nodes' links is readable to them, encrypted or not, until the next key rotation.",
    params: &[
        param(
            "time_to_extract",
            Unit::Seconds,
            259_200.0,
            "3d",
            "mean time to extract the keys of one captured device (exponential)",
            "§D: MSP430 BSL password brute-forced 'in a matter of days' (Tellez, WF-IoT 2016)",
        ),
        param(
            "devices",
            Unit::Count,
            1.0,
            "1",
            "devices captured (the first ones of the targeted groups)",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// Captured devices whose keys are extracted.
#[derive(Debug)]
pub(crate) struct Model {
    /// Mean time to extract one device's keys, seconds (exponential).
    time_to_extract: f64,
    /// Devices captured: the first ones of the targeted groups.
    devices: usize,
    /// Per link: until when a captured key reads it.
    stolen_until: Vec<SimTime>,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            time_to_extract: p.num("time_to_extract"),
            devices: p.num("devices") as usize,
            stolen_until: Vec::new(),
        }
    }
}

sole_timer!(
    /// Its timer: the keys of a captured device (its index into the attack's targets) are
    /// extracted.
    Extracted
);

impl AttackModel for Model {
    fn prepare(&mut self, net: &Network, _spec: &AttackSpec) {
        self.stolen_until = vec![SimTime::ZERO; net.link_ends.len()];
    }

    fn open(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let mean = self.time_to_extract;
        let captured = l.attacks[i].spec.targets.len().min(self.devices);
        for k in 0..captured {
            let t = if mean > 0.0 {
                l.attacks[i].gap(1.0 / mean).unwrap_or(SimTime::ZERO)
            } else {
                SimTime::ZERO
            };
            let timer = Extracted(k as u32);
            acts.timer(now.saturating_add(t), Timer::own(i, timer).token());
        }
    }

    fn on_transmit(&mut self, _a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        let read = self.stolen_until.get(h.link).is_some_and(|&t| t > h.tx.now);
        if read && h.own {
            h.intercepted += 1;
            h.exposed = h.exposed.max(h.packet().records);
        }
    }

    fn on_timer(
        &mut self,
        l: &mut SecurityLayer,
        i: usize,
        t: ModelTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
        let Some(Extracted(target)) = Extracted::unpack(t) else {
            return;
        };
        let a = &l.attacks[i];
        let Some(&node) = a.spec.targets.get(target as usize) else {
            return;
        };
        if !a.live(now) {
            return;
        }
        l.compromise(i, node, now, acts);
        // The extracted key reads the node's links until the next rotation.
        let until = match l.protection.rotation[node.index()] {
            Some(period) if period > SimTime::ZERO => {
                let k = now.as_nanos() / period.as_nanos() + 1;
                SimTime::from_nanos(k.saturating_mul(period.as_nanos()))
            }
            _ => SimTime::MAX,
        };
        for &(link, _) in &l.net.neighbours[node.index()] {
            if let Some(t) = self.stolen_until.get_mut(link.index()) {
                *t = until;
            }
        }
    }

    fn sends(&self) -> bool {
        false
    }

    /// The extracted keys are replaced: every link they read is closed to the attacker now,
    /// and, still holding the devices, it extracts the new keys after a fresh exponential time
    /// (drawn from its stream in device order).
    fn rekey(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        for t in &mut self.stolen_until {
            *t = (*t).min(now);
        }
        self.open(l, i, now, acts);
    }

    fn stop(&mut self, now: SimTime, _held: &mut Vec<NodeId>) {
        for t in &mut self.stolen_until {
            *t = (*t).min(now);
        }
    }
}
