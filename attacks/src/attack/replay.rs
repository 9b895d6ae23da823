//! `replay`: The attacker records packets crossing the targeted links and sends each copy again
//! after a delay; a valid MAC does not help, only a freshness check (counter, nonce, or a time
//! window shorter than the delay) rejects it.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Replay,
    name: "replay",
    layer: Layers::SENSING,
    stride: "Spoofing, Tampering",
    attack_id: "ICS T0855 Unauthorized Command Message",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Links,
    makes: Some(Origin::Replayed),
    moves: "records_tampered_accepted, unsafe_commands_executed",
    about: "The attacker records packets crossing the targeted links and sends each copy again after a delay; a valid MAC does not help, only a freshness check (counter, nonce, or a time window shorter than the delay) rejects it.",
    params: &[
        param(
            "record_probability",
            Unit::Probability,
            0.1,
            "0.1",
            "probability a packet crossing a targeted link is recorded for replay",
            U,
        ),
        param(
            "delay",
            Unit::Seconds,
            60.0,
            "60s",
            "time from recording to replay",
            "§D: replayed ICD commands (Halperin 2008); delay [U]",
        ),
        RETRY_AFTER,
    ],
};

/// A recorder on the targeted links that sends copies again later.
#[derive(Debug)]
pub(crate) struct Model {
    /// Probability a packet crossing a targeted link is recorded.
    record_probability: f64,
    /// Time from recording to replay.
    delay: SimTime,
    /// Recorded packets awaiting replay, and where each was received. Slots are reused once
    /// replayed (`free`), so memory follows the packets recorded within one delay.
    recorded: Vec<Option<(Packet, NodeId, usize)>>,
    free: Vec<u32>,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            record_probability: p.num("record_probability"),
            delay: p.time("delay"),
            recorded: Vec::with_capacity(REPLAY_SLOTS),
            free: Vec::with_capacity(REPLAY_SLOTS),
        }
    }
}

sole_timer!(
    /// Its timer: the packet recorded in a slot of the recorder (its index) is sent again.
    Resend
);

impl AttackModel for Model {
    fn on_transmit(&mut self, a: &mut AttackState, i: usize, h: &mut Hop<'_>, acts: &mut Actions) {
        if !(a.link_targeted[h.link] && h.own) {
            return;
        }
        let u: f64 = a.draws(h).random();
        if u >= self.record_probability {
            return;
        }
        a.act(h.tx.now);
        let copy = Some((*h.packet(), h.tx.to, h.link));
        let slot = match self.free.pop() {
            Some(k) => {
                self.recorded[k as usize] = copy;
                Some(k)
            }
            None if self.recorded.len() < REPLAY_SLOTS => {
                self.recorded.push(copy);
                Some(self.recorded.len() as u32 - 1)
            }
            None => None,
        };
        if let Some(slot) = slot {
            acts.timer(
                h.tx.now.saturating_add(self.delay),
                Timer::own(i, Resend(slot)).token(),
            );
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
        let Some(Resend(slot)) = Resend::unpack(t) else {
            return;
        };
        let Some((packet, at, link)) = self.recorded.get_mut(slot as usize).and_then(Option::take)
        else {
            return;
        };
        self.free.push(slot);
        let a = &mut l.attacks[i];
        if a.live(now) {
            a.act(now);
            a.injected += 1;
            // The copy is sent over the air to the receiver it was recorded at, which pays its
            // reception whether it then accepts the copy or not.
            let (_, rx) = l.net.link_energy(sim_core::LinkId(link as u32));
            acts.push(Action::Charge {
                node: at,
                component: Component::RadioRx,
                energy: Joules(f64::from(packet.size.0) * 8.0 * rx),
            });
            // On the air of the link it was recorded on: the copy occupies the medium and can
            // collide with the deployment's frames.
            acts.push(Action::Air {
                link: sim_core::LinkId(link as u32),
                to: at,
                packet: Packet {
                    origin: Origin::Replayed.mark(),
                    ..packet
                },
                refused: false,
            });
        }
    }
}
