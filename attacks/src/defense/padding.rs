//! `padding`: The targeted groups' packets are padded to one size and, with cover_rate > 0, mixed
//! with cover packets: an observer cannot tell an alarm or a command from routine traffic. Padding
//! alone hides sizes but not an alarm's timing.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::Padding,
    name: "padding",
    targets: Targets::Nodes,
    cost: "bytes: every packet padded to `pad_to`; cover packets at `cover_rate` per device",
    about: "The targeted groups' packets are padded to one size and, with cover_rate > 0, mixed with cover packets: an observer cannot tell an alarm or a command from routine traffic. Padding alone hides sizes but not an alarm's timing.",
    params: &[
        param(
            "pad_to",
            Unit::Bytes,
            256.0,
            "256B",
            "size every packet is padded to",
            U,
        ),
        param(
            "cover_rate",
            Unit::PerSecond,
            0.1,
            "0.1/s",
            "cover packets per second per device",
            U,
        ),
    ],
    cipher: None,
};

/// Padding and cover traffic of the targeted devices.
#[derive(Debug)]
pub(crate) struct Model {
    /// Size every packet is padded to, bytes.
    pad_to: f64,
    /// Cover packets per second per device.
    cover_rate: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            pad_to: p.num("pad_to"),
            cover_rate: p.num("cover_rate"),
        }
    }

    /// Draws `node`'s next cover packet and, after the start, sends one of `pad_to` bytes to
    /// its first stream's destination.
    fn cover(&self, l: &mut SecurityLayer, k: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
        let rate = self.cover_rate;
        let Ok(exp) = Exp::new(rate) else {
            return;
        };
        if rate <= 0.0 {
            return;
        }
        let gap = SimTime::from_secs_f64(exp.sample(&mut l.defenses[k].rng));
        acts.timer(
            now.saturating_add(gap),
            Timer::Defense(k, DefenseTimer::Cover(node)).token(),
        );
        if now == SimTime::ZERO {
            return;
        }
        let Some(src) = l.net.first_source(node) else {
            return;
        };
        acts.push(Action::Inject {
            node,
            packet: Packet {
                created: now,
                source: Sender::at_node(node),
                dst: l.net.sources[src.index()].dst,
                size: Bytes(self.pad_to as u32),
                records: 0,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
                origin: Origin::Cover.mark(),
                seq: 0,
            },
        });
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for n in at.nodes() {
            p.padding[n] = Some((self.pad_to as u64, self.cover_rate));
        }
    }

    fn start(&mut self, l: &mut SecurityLayer, k: usize, acts: &mut Actions) {
        for t in 0..l.defenses[k].spec.targets.len() {
            let n = l.defenses[k].spec.targets[t];
            self.cover(l, k, n, SimTime::ZERO, acts);
        }
    }

    fn on_timer(
        &mut self,
        l: &mut SecurityLayer,
        k: usize,
        t: DefenseTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
        if let DefenseTimer::Cover(n) = t {
            self.cover(l, k, n, now, acts);
        }
    }
}
