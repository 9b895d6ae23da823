//! `denial_of_sleep`: Wake-up frames keep the targeted devices' radios in receive for a share of
//! the time: energy = forced_awake × rx_power × time, booked as radio RX; when wake-ups must be
//! authenticated only `authenticated_awake` of that remains (the frame is received, then rejected).

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::DenialOfSleep,
    name: "denial_of_sleep",
    layer: Layers::SENSING,
    stride: "Denial of service",
    attack_id: "Enterprise T1499 Endpoint Denial of Service",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Nodes,
    makes: None,
    moves: "battery_deaths, first_battery_death_s, sensor_energy_j, monitoring_hours_lost",
    about: "Wake-up frames keep the targeted devices' radios in receive for a share of the time: energy = forced_awake × rx_power × time, booked as radio RX; when wake-ups must be authenticated only `authenticated_awake` of that remains (the frame is received, then rejected).",
    params: &[
        param(
            "forced_awake",
            Unit::Probability,
            1.0,
            "1",
            "share of time the victim's radio is kept in receive",
            "§D: on S-MAC an attacker keeps victims awake 100 % (Raymond et al., IEEE TVT 2009)",
        ),
        param(
            "rx_power",
            Unit::Watts,
            0.018_78,
            "18.78mW",
            "power of the victim's radio in receive",
            "§C: 6.26 mA in RX at 3 V (drains a 225 mAh cell in about 36 h)",
        ),
        param(
            "authenticated_awake",
            Unit::Probability,
            0.1,
            "0.1",
            "share of the forced awake time left when wake-ups are authenticated",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// Wake-up frames keeping the targeted devices' radios in receive.
#[derive(Debug)]
pub(crate) struct Model {
    /// Share of time the victim's radio is kept in receive.
    forced_awake: f64,
    /// Power of the victim's radio in receive, watts.
    rx_power: f64,
    /// Share of the forced time left when wake-ups are authenticated.
    authenticated_awake: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            forced_awake: p.num("forced_awake"),
            rx_power: p.num("rx_power"),
            authenticated_awake: p.num("authenticated_awake"),
        }
    }
}

impl AttackModel for Model {
    fn ticks(&self) -> bool {
        true
    }

    /// Energy per victim and step: `forced_awake × share × rx_power × secs`, share being
    /// `authenticated_awake` where a defense reduces the attack, 1 elsewhere.
    fn tick(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, secs: f64, acts: &mut Actions) {
        l.attacks[i].act(now);
        for &n in &l.attacks[i].spec.targets {
            let present = l.protection.over_the_air(None, n, now);
            let share = if l.masks.reduces(AttackKind::DenialOfSleep, present) {
                self.authenticated_awake
            } else {
                1.0
            };
            acts.push(Action::Charge {
                node: n,
                component: Component::RadioRx,
                energy: Joules(self.forced_awake * share * self.rx_power * secs),
            });
        }
    }
}
