//! `denial_of_sleep`: Forged wake-up frames, `rate` per second at each targeted device, cost
//! its radio what its chip, technology and MAC make them cost ([`crate::wake_up`]): the frame's
//! airtime in receive (and a wake-up and a fall-asleep for a radio that wakes only to send),
//! and when the victim accepts it its MAC's answer (a BLE connection event's empty PDU, an
//! 802.15.4 or 802.11 ACK) and `window` of listening for the data the wake-up announces; at
//! `rate × t_busy ≥ 1` the radio never sleeps. When wake-ups must be authenticated the victim
//! rejects a forged one after receiving it: the airtime (and wake-up) alone. Where the victim
//! sends on an 802.15.4 or 802.11 link, the attacker's frames busy its channel: its frames pay
//! the extra CCAs and backoffs (or frozen backoffs) and are lost when the access fails; targets
//! on one channel share it, so each contends with the frames aimed at all of them
//! ([`crate::wake_up::aimed`]).

use super::prelude::*;
use crate::wake_up::{Aimed, Contention, aimed};

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
    moves: "battery_deaths, first_battery_death_s, sensor_energy_j, monitoring_hours_lost, lost_attack",
    about: "Forged wake-up frames, rate per second at each targeted device, cost its radio what its chip, technology and MAC make them cost: the frame's airtime in receive (plus a wake-up for a radio that wakes only to send), and when accepted its MAC's answer (BLE empty PDU, 802.15.4 or 802.11 ACK) and `window` of listening; at rate × busy time ≥ 1 the radio never sleeps. Authenticated wake-ups are rejected after reception. On 802.15.4 and 802.11 links the victim's own frames pay busy CCAs and backoffs, and are lost when access fails; targets on one channel contend with the frames aimed at all of them.",
    params: &[
        param(
            "rate",
            Unit::PerSecond,
            10.0,
            "10/s",
            "forged wake-up frames per second at each targeted device",
            "§D: the attacker sleeps 99 % of the time (Raymond et al., IEEE TVT 2009); 10 frames of 240 µs a second keep it on 0.24 % [U]",
        )
        .positive(),
        param(
            "size",
            Unit::Bytes,
            20.0,
            "20B",
            "payload of one wake-up frame (the technology adds its framing)",
            U,
        ),
        param(
            "window",
            Unit::Seconds,
            0.1,
            "100ms",
            "time an accepted wake-up keeps the victim listening for the data it announces",
            "§D: on S-MAC an attacker keeps victims awake 100 % (Raymond et al., IEEE TVT 2009): with the default rate, 10 × 100 ms fills every second [U]",
        ),
        RETRY_AFTER,
    ],
};

/// Forged wake-up frames at the targeted devices' radios.
#[derive(Debug)]
pub(crate) struct Model {
    /// Frames per second at each target.
    rate: f64,
    /// Payload of one frame.
    size: Bytes,
    /// Listening after an accepted wake-up.
    window: SimTime,
    /// Per node, the frames aimed at it and on its channel (`None`: not a target).
    aimed: Vec<Option<Aimed>>,
    /// Per node, its contended link and what the frames cost each of its own frames there.
    contention: Vec<Option<(sim_core::LinkId, Contention)>>,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            rate: p.num("rate"),
            size: Bytes(p.num("size") as u32),
            window: SimTime::from_secs_f64(p.num("window")),
            aimed: Vec::new(),
            contention: Vec::new(),
        }
    }
}

impl AttackModel for Model {
    fn ticks(&self) -> bool {
        true
    }

    fn prepare(&mut self, net: &Network, spec: &AttackSpec) {
        self.aimed = aimed(&net.radio, &spec.targets, self.rate, self.size);
        self.contention = net
            .radio
            .iter()
            .zip(&self.aimed)
            .map(|(r, a)| {
                let (r, a) = (r.as_ref()?, a.as_ref()?);
                let c = r.contention(a.channel, self.size);
                (c != Contention::default()).then_some((r.link, c))
            })
            .collect();
    }

    /// Energy per victim and step: `(P_rx, P_tx) × secs` of its radio under the frames aimed
    /// at it ([`crate::wake_up::ListeningRadio::power`]), accepted unless a defense reduces
    /// the attack (authenticated wake-ups).
    fn tick(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, secs: f64, acts: &mut Actions) {
        l.attacks[i].act(now);
        for &n in &l.attacks[i].spec.targets {
            let Some(radio) = l.net.radio.get(n.index()).copied().flatten() else {
                continue;
            };
            let Some(Some(aimed)) = self.aimed.get(n.index()).copied() else {
                continue;
            };
            let present = l.protection.over_the_air(None, n, now);
            let accepted = !l.masks.reduces(AttackKind::DenialOfSleep, present);
            let (rx, tx) = radio.power(aimed.own, self.size, accepted, self.window);
            for (component, watts) in [(Component::RadioRx, rx), (Component::RadioTx, tx)] {
                if watts > 0.0 {
                    acts.push(Action::Charge {
                        node: n,
                        component,
                        energy: Joules(watts * secs),
                    });
                }
            }
        }
    }

    /// A target's own frame on its contended link pays the extra CCAs and backoffs, and is
    /// lost with the probability that its channel access fails.
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, acts: &mut Actions) {
        let from = h.tx.from;
        if !a.node_targeted.get(from.index()).copied().unwrap_or(false) {
            return;
        }
        let Some(Some((link, c))) = self.contention.get(from.index()).copied() else {
            return;
        };
        if link != h.tx.link {
            return;
        }
        if c.extra_j > 0.0 {
            acts.push(Action::Charge {
                node: from,
                component: Component::RadioRx,
                energy: Joules(c.extra_j),
            });
        }
        if c.fails > 0.0 && h.fate == Fate::Forward {
            let u: f64 = a.draws(h).random();
            if u < c.fails {
                a.act(h.tx.now);
                h.fate = Fate::Withheld;
            }
        }
    }
}
