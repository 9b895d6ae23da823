//! `jamming`: Each frame on a targeted link is destroyed with probability duty_cycle ×
//! success_probability (constant: duty 1; random: duty < 1; reactive: jams what it hears).
//! Frequency hopping divides a constant or random jammer's reach by the channel count; a reactive
//! jammer follows the hops.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Jamming,
    name: "jamming",
    layer: Layers::SENSING.union(Layers::NETWORK),
    stride: "Denial of service",
    attack_id: "Mobile T1464 Network Denial of Service",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Links,
    makes: None,
    moves: "lost_attack, deadline_misses, monitoring_hours_lost",
    about: "Each frame on a targeted link is destroyed with probability duty_cycle × success_probability (constant: duty 1; random: duty < 1; reactive: jams what it hears). Frequency hopping divides a constant or random jammer's reach by the channel count; a reactive jammer follows the hops.",
    params: &[
        param(
            "mode",
            Unit::Choice(&["constant", "random", "reactive"]),
            0.0,
            "constant",
            "constant, random (on for duty_cycle of the time) or reactive (jams frames it senses)",
            "§D: power, duty cycle, reactive or constant (Del-Valle-Soto, Sensors 2025)",
        ),
        param(
            "duty_cycle",
            Unit::Probability,
            1.0,
            "1",
            "share of frames the jammer overlaps",
            U,
        ),
        param(
            "success_probability",
            Unit::Probability,
            1.0,
            "1",
            "probability an overlapped frame is destroyed (jamming power against signal)",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// A jammer on the targeted links.
#[derive(Debug)]
pub(crate) struct Model {
    /// A reactive jammer follows frequency hops.
    reactive: bool,
    /// Share of frames it overlaps.
    duty_cycle: f64,
    /// Probability an overlapped frame is destroyed.
    success_probability: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            reactive: p.word("mode") == "reactive",
            duty_cycle: p.num("duty_cycle"),
            success_probability: p.num("success_probability"),
        }
    }
}

impl AttackModel for Model {
    fn ends_on_response(&self) -> bool {
        false
    }

    /// A frame is destroyed with probability `duty_cycle × success_probability`, divided by
    /// the link's channels where a defense reduces a jammer that does not follow hops.
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        if !a.link_targeted[h.link] {
            return;
        }
        let u: f64 = a.draws(h).random();
        let mut reach = self.duty_cycle * self.success_probability;
        if !self.reactive && h.masks.reduces(AttackKind::Jamming, h.defended) {
            reach /= f64::from(h.protection.channels[h.link].max(1));
        }
        if u < reach {
            a.act(h.tx.now);
            h.fate = Fate::Jammed;
        }
    }
}
