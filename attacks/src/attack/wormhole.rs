//! `wormhole`: Two colluding radios near the first nodes of two groups tunnel packets between them,
//! a shortcut routing takes while the attack lasts; tunnelled packets are read unless encrypted and
//! dropped with a probability.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Wormhole,
    name: "wormhole",
    layer: Layers::NETWORK,
    stride: "Tampering, Information disclosure",
    attack_id: "ICS T0830 Adversary-in-the-Middle",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::NodePair,
    makes: None,
    moves: "records_exposed, lost_attack, latency_ms",
    about: "Two colluding radios near the first nodes of two groups tunnel packets between them, a shortcut routing takes while the attack lasts; tunnelled packets are read unless encrypted and dropped with a probability.",
    params: &[
        param(
            "tunnel_latency",
            Unit::Seconds,
            0.001,
            "1ms",
            "one-way latency of the tunnel",
            "§D: tunnel latency named as a parameter; value [U]",
        ),
        param(
            "drop_probability",
            Unit::Probability,
            0.0,
            "0",
            "probability a tunnelled packet is dropped",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// Two colluding radios tunnelling packets between the first nodes of two groups.
#[derive(Debug)]
pub(crate) struct Model {
    /// One-way latency of the tunnel, seconds.
    tunnel_latency: f64,
    /// Probability a tunnelled packet is dropped.
    drop_probability: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            tunnel_latency: p.num("tunnel_latency"),
            drop_probability: p.num("drop_probability"),
        }
    }
}

impl AttackModel for Model {
    /// The tunnel: a link between the two ends, closed to routing until the window opens.
    fn reshape(&self) -> Option<Reshape> {
        Some(Reshape::Tunnel {
            latency: self.tunnel_latency,
        })
    }

    fn open(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        if let Some(link) = l.attacks[i].spec.tunnel {
            l.attacks[i].act(now);
            acts.push(Action::Route {
                link,
                weight: RouteWeight::Normal,
            });
        }
    }

    fn close(&mut self, l: &mut SecurityLayer, i: usize, acts: &mut Actions) {
        if let Some(link) = l.attacks[i].spec.tunnel {
            acts.push(Action::Route {
                link,
                weight: RouteWeight::Disabled,
            });
        }
    }

    /// Tunnelled packets are dropped with `drop_probability`; the rest are read unless a
    /// defense protecting them reduces the attack.
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        if !(a.spec.tunnel == Some(h.tx.link) && h.own) {
            return;
        }
        let u: f64 = a.draws(h).random();
        a.act(h.tx.now);
        h.intercepted += 1;
        if u < self.drop_probability {
            h.fate = Fate::Jammed;
        } else if !h.masks.reduces(AttackKind::Wormhole, h.defended) {
            h.exposed = h.exposed.max(h.packet().records);
        }
    }
}
