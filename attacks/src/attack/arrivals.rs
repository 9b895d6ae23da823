//! Attacks that act in Poisson arrivals at a rate, one act per arrival, and differ only in
//! what one act is aimed at. Two blocks serve them, each generic over a small kind trait:
//!
//! - [`Attempts<K>`]: attempts on the targeted services, each succeeding with a probability
//!   (credential theft, phishing);
//! - [`ForgedArrivals<K>`]: one forged packet per arrival, aimed at the next targeted node
//!   (spoofing, therapy manipulation).
//!
//! The security layer schedules the arrivals from [`AttackModel::arrival_rate`]; a block reads
//! its rate once, when the scenario is built.

use super::{AttackKind, AttackModel};
use crate::catalogue::ParamReader;
use crate::forgery::Forgery;
use crate::network::Network;
use crate::security::SecurityLayer;
use sim_core::{Actions, LinkId, NodeId, SimTime, SourceId};

/// One attempt of attack `i` (of kind `kind`) on the next of its targeted services, succeeding
/// with `p`, times the node's MFA factor where a defense there reduces the attack: a success
/// compromises the node. `true` on a success.
pub(crate) fn attempt(
    l: &mut SecurityLayer,
    i: usize,
    kind: AttackKind,
    p: f64,
    now: SimTime,
    acts: &mut Actions,
) -> bool {
    use rand::Rng;
    let Some(node) = l.attacks[i].next_target() else {
        return false;
    };
    let u: f64 = l.attacks[i].rng.random();
    l.attacks[i].act(now);
    let factor = if l.masks.reduces(kind, l.protection.node_set[node.index()]) {
        l.protection.mfa_factor[node.index()]
    } else {
        1.0
    };
    if u < p * factor {
        l.compromise(i, node, now, acts);
        return true;
    }
    false
}

/// What tells one kind of [`Attempts`] from another: its kind and the names of its two
/// parameters (credential theft: login attempts; phishing: e-mails clicked).
pub(crate) trait AttemptKind: std::fmt::Debug {
    /// The attack kind.
    const KIND: AttackKind;
    /// Its parameter of attempts per second.
    const RATE: &'static str;
    /// Its parameter of the probability one attempt succeeds.
    const SUCCESS: &'static str;
}

/// Attempts on the targeted services in Poisson arrivals at a rate, each an [`attempt`]
/// succeeding with a probability: the model of the kinds whose only difference is what an
/// attempt is ([`AttemptKind`]).
#[derive(Debug)]
pub(crate) struct Attempts<K> {
    /// Attempts per second.
    rate: f64,
    /// Probability one attempt succeeds (before the MFA factor).
    success: f64,
    kind: std::marker::PhantomData<fn() -> K>,
}

impl<K: AttemptKind> Attempts<K> {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Attempts {
            rate: p.num(K::RATE),
            success: p.num(K::SUCCESS),
            kind: std::marker::PhantomData,
        }
    }
}

impl<K: AttemptKind> AttackModel for Attempts<K> {
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.rate)
    }

    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        attempt(l, i, K::KIND, self.success, now, acts);
    }
}

/// Where one forged packet of a [`ForgedArrivals`] kind goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Aim {
    /// The source whose identity it claims.
    pub src: SourceId,
    /// Where it enters the network.
    pub entry: NodeId,
    /// Its destination; `None` for the claimed source's own.
    pub dst: Option<NodeId>,
    /// The radio link it is sent over to `entry`, if any.
    pub air: Option<LinkId>,
}

/// What tells one kind of [`ForgedArrivals`] from another: its kind and where the forged
/// packet aimed at a targeted node goes.
pub(crate) trait ForgeryKind: std::fmt::Debug {
    /// The attack kind.
    const KIND: AttackKind;
    /// The forged packet aimed at `target`, or `None` if there is none to forge there (the
    /// arrival passes without an act).
    fn aim(net: &Network, target: NodeId) -> Option<Aim>;
}

/// One forged packet per Poisson arrival at `rate` (per second, over all targeted nodes),
/// aimed at the targeted nodes one after the other ([`ForgeryKind::aim`]); a defense the rule
/// table says prevents the kind, present over the air at the target, rejects it.
#[derive(Debug)]
pub(crate) struct ForgedArrivals<K> {
    /// Forged packets per second, over all targeted nodes.
    rate: f64,
    kind: std::marker::PhantomData<fn() -> K>,
}

impl<K: ForgeryKind> ForgedArrivals<K> {
    /// Reads the kind's `rate` parameter.
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        ForgedArrivals {
            rate: p.num("rate"),
            kind: std::marker::PhantomData,
        }
    }
}

impl<K: ForgeryKind> AttackModel for ForgedArrivals<K> {
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.rate)
    }

    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let Some(target) = l.attacks[i].next_target() else {
            return;
        };
        let Some(aim) = K::aim(&l.net, target) else {
            return;
        };
        l.attacks[i].act(now);
        let present = l.protection.over_the_air(aim.air, target, now);
        let forged = Forgery {
            by: K::KIND,
            src: aim.src,
            entry: aim.entry,
            dst: aim.dst,
            air: aim.air,
            present,
        };
        if l.forge(forged, now, acts) {
            l.attacks[i].injected += 1;
        }
    }
}
