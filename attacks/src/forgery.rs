//! Forged packets: an attacker sends packets under a legitimate source's identity (spoofing,
//! Sybil identities, forged therapy commands); a defense the rule table says prevents the
//! attack, present where the packet enters, rejects it there.

use crate::AttackKind;
use crate::origin::Origin;
use crate::rules::DefenseSet;
use crate::security::SecurityLayer;
use sim_core::{
    Action, Actions, Bytes, Component, Joules, LinkId, NodeId, Packet, PacketKind, SimTime,
    SourceId,
};

/// Where a forged packet goes and what checks it on the way in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Forgery {
    /// The attack forging it.
    pub by: AttackKind,
    /// The source whose identity it claims (its size, records and class are copied).
    pub src: SourceId,
    /// Where it enters the network.
    pub entry: NodeId,
    /// Its destination; `None` for the claimed source's own.
    pub dst: Option<NodeId>,
    /// The radio link it is sent over to `entry`, if it is sent over the air: the frame costs
    /// `entry` its reception either way (a forged command drains an implant's battery even
    /// when refused).
    pub air: Option<LinkId>,
    /// The defenses present at the ingress.
    pub present: DefenseSet,
}

impl SecurityLayer {
    /// Sends forged packet `f` at `now` unless a defense present at its ingress rejects it;
    /// `true` if it was sent.
    pub(crate) fn forge(&mut self, f: Forgery, now: SimTime, acts: &mut Actions) -> bool {
        let s = self.net.packets(f.src);
        let dst = self.net.sources[f.src.index()].dst;
        if let Some(l) = f.air {
            let (_, rx) = self.net.link_energy(l);
            acts.push(Action::Charge {
                node: f.entry,
                component: Component::RadioRx,
                energy: Joules(s.size as f64 * 8.0 * rx),
            });
        }
        let refused = self.masks.prevents(f.by, f.present);
        if refused && now >= self.warmup {
            self.m.forged_rejected += 1;
        }
        let packet = Packet {
            created: now,
            source: f.src.into(),
            dst: f.dst.unwrap_or(dst),
            size: Bytes(s.size as u32),
            records: s.records,
            class: s.class,
            kind: PacketKind::Data,
            origin: Origin::Forged.mark(),
            seq: 0,
        };
        match f.air {
            // Over the air, refused or not: the frame occupies the medium first.
            Some(link) => acts.push(Action::Air {
                link,
                to: f.entry,
                packet,
                refused,
            }),
            None if refused => {}
            None => acts.push(Action::Inject {
                node: f.entry,
                packet,
            }),
        }
        !refused
    }
}
