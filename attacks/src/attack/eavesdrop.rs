//! `eavesdrop`: A passive listener captures each packet crossing a targeted link with a
//! probability; a capture exposes the packet's records unless the payload is encrypted on that link
//! or end to end.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Eavesdrop,
    name: "eavesdrop",
    layer: Layers::SENSING.union(Layers::NETWORK),
    stride: "Information disclosure",
    attack_id: "ICS T0887 Wireless Sniffing",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Links,
    makes: None,
    moves: "records_exposed, packets_intercepted",
    about: "A passive listener captures each packet crossing a targeted link with a probability; a capture exposes the packet's records unless the payload is encrypted on that link or end to end.",
    params: &[param(
        "capture_probability",
        Unit::Probability,
        1.0,
        "1",
        "probability of capturing one packet (range, antenna, channel folded into one number)",
        "§D: an ICD's cleartext telemetry read with a USRP under $1000 (Halperin 2008); 1 = the attacker is in range",
    ),
        RETRY_AFTER,
    ],
};

/// A passive listener on the targeted links.
#[derive(Debug)]
pub(crate) struct Model {
    /// Probability of capturing one packet.
    capture_probability: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            capture_probability: p.num("capture_probability"),
        }
    }
}

impl AttackModel for Model {
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        if !a.link_targeted[h.link] {
            return;
        }
        let u: f64 = a.draws(h).random();
        if u < self.capture_probability {
            a.act(h.tx.now);
            h.intercepted += 1;
            if h.own {
                h.expose_unless(AttackKind::Eavesdrop, h.defended);
            }
        }
    }
}
