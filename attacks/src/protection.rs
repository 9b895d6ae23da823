//! Where each defense is deployed, resolved per link and per node, and what protecting one
//! transmission costs.
//!
//! # Cost of one hop
//!
//! - Link encryption or a link MAC: `per_message + per_byte · b` cycles at each end and the
//!   cipher's overhead bytes ([`CipherCost::link_cost`]).
//! - End-to-end encryption: the same cycles at the source (first hop) and the destination (last
//!   hop) only; its overhead bytes on every hop.
//! - Freshness: 4 B (counter) or 8 B (nonce, timestamp) on every hop of the protected
//!   devices' packets.
//! - Padding: a protected device's packet grows to `pad_to` bytes.
//! - Frequency hopping: `overhead` bytes on every packet of the hopping link.

use crate::catalogue::DefenseKind;
use crate::cipher::CipherCost;
use crate::rules::DefenseSet;
use crate::spec::DefenseSpec;
use sim_core::{Bytes, Cycles, LinkCost, NodeId, SimTime};

/// A freshness check deployed for a device's packets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Freshness {
    /// A monotonic counter: every copy is stale.
    Counter,
    /// A nonce the receiver remembers: every copy is stale.
    Nonce,
    /// A timestamp accepted within a window.
    Timestamp(SimTime),
}

impl Freshness {
    /// Bytes it adds to a packet.
    pub fn overhead(self) -> u64 {
        match self {
            Freshness::Counter => 4,
            Freshness::Nonce | Freshness::Timestamp(_) => 8,
        }
    }

    /// Whether a copy first sent at `created` is rejected when it arrives at `now`.
    pub fn rejects_copy(self, created: SimTime, now: SimTime) -> bool {
        match self {
            Freshness::Counter | Freshness::Nonce => true,
            Freshness::Timestamp(window) => now.saturating_sub(created) > window,
        }
    }
}

/// The defenses of one replication, per place.
#[derive(Clone, Debug)]
pub struct Protection {
    /// Kinds deployed on each link (link encryption only when it encrypts; a MAC-only
    /// cipher counts as message authentication).
    pub link_set: Vec<DefenseSet>,
    /// The per-packet cipher on each link.
    pub link_cipher: Vec<Option<CipherCost>>,
    /// Extra bytes per packet on each link (frequency hopping).
    pub link_bytes: Vec<u64>,
    /// Channels each link hops over (1: no hopping).
    pub channels: Vec<u32>,
    /// Kinds deployed on (or for) each node.
    pub node_set: Vec<DefenseSet>,
    /// End-to-end cipher of each node's own packets.
    pub e2e: Vec<Option<CipherCost>>,
    /// When each node's mutual-authentication key exists (`SimTime::MAX`: never).
    pub key_ready: Vec<SimTime>,
    /// Freshness check of each node's packets.
    pub freshness: Vec<Option<Freshness>>,
    /// Padding of each node's packets: size padded to, cover packets per second.
    pub padding: Vec<Option<(u64, f64)>>,
    /// Rate limit at each node's ingress: packets per second per sender, bucket depth.
    pub rate_limit: Vec<Option<(f64, f64)>>,
    /// Factor on credential theft's success at each node (MFA), 1 without.
    pub mfa_factor: Vec<f64>,
    /// Share of records an insider reaches at each node (least privilege), 1 without.
    pub scope: Vec<f64>,
    /// Key rotation period of each node.
    pub rotation: Vec<Option<SimTime>>,
    /// Each node's network segment (isolation), `u32::MAX` for the flat network.
    pub segment: Vec<u32>,
    /// The audit ledger that logs writes at each node, as an index into the defenses.
    pub audit: Vec<Option<usize>>,
}

impl Protection {
    /// Resolves `defenses` over `nodes` nodes and `links` links; `group_of[node]` gives the
    /// segment a node forms when isolated, `cloud[node]` whether it sits at the cloud layer
    /// (where federated learning leaves no raw records).
    pub fn new(
        defenses: &[DefenseSpec],
        nodes: usize,
        links: usize,
        group_of: &[u32],
        cloud: &[bool],
    ) -> Self {
        let mut p = Protection {
            link_set: vec![DefenseSet::EMPTY; links],
            link_cipher: vec![None; links],
            link_bytes: vec![0; links],
            channels: vec![1; links],
            node_set: vec![DefenseSet::EMPTY; nodes],
            e2e: vec![None; nodes],
            key_ready: vec![SimTime::MAX; nodes],
            freshness: vec![None; nodes],
            padding: vec![None; nodes],
            rate_limit: vec![None; nodes],
            mfa_factor: vec![1.0; nodes],
            scope: vec![1.0; nodes],
            rotation: vec![None; nodes],
            segment: vec![u32::MAX; nodes],
            audit: vec![None; nodes],
        };
        for (k, d) in defenses.iter().enumerate() {
            for l in d.links.iter().map(|l| l.index()).filter(|&l| l < links) {
                match d.kind {
                    DefenseKind::LinkEncryption | DefenseKind::MessageAuthentication => {
                        let kind = if d.encrypts && d.kind == DefenseKind::LinkEncryption {
                            DefenseKind::LinkEncryption
                        } else {
                            DefenseKind::MessageAuthentication
                        };
                        p.link_set[l].insert(kind);
                        p.link_cipher[l] = d.cipher;
                    }
                    DefenseKind::FrequencyHopping => {
                        p.link_set[l].insert(d.kind);
                        p.channels[l] = d.params.get("channels").max(1.0) as u32;
                        p.link_bytes[l] += d.params.get("overhead") as u64;
                    }
                    _ => {}
                }
            }
            for n in d.targets.iter().map(|n| n.index()).filter(|&n| n < nodes) {
                p.node_set[n].insert(d.kind);
                match d.kind {
                    DefenseKind::EndToEndEncryption => p.e2e[n] = d.cipher,
                    DefenseKind::MutualAuthentication => {
                        p.key_ready[n] = SimTime::ZERO;
                        if d.params.word("method") == "ecg_ipi" {
                            let beats = d.params.get("beats");
                            let hr = d.params.get("heart_rate");
                            if hr > 0.0 {
                                p.key_ready[n] = SimTime::from_secs_f64(beats / hr);
                            }
                        }
                    }
                    DefenseKind::Freshness => {
                        p.freshness[n] = Some(match d.params.word("scheme") {
                            "nonce" => Freshness::Nonce,
                            "timestamp" => {
                                Freshness::Timestamp(SimTime::from_secs_f64(d.params.get("window")))
                            }
                            _ => Freshness::Counter,
                        })
                    }
                    DefenseKind::Padding => {
                        p.padding[n] =
                            Some((d.params.get("pad_to") as u64, d.params.get("cover_rate")))
                    }
                    DefenseKind::RateLimit => {
                        p.rate_limit[n] = Some((d.params.get("rate"), d.params.get("burst")))
                    }
                    DefenseKind::AccessControl => {
                        if d.params.word("mfa") == "yes" {
                            p.mfa_factor[n] = d.params.get("mfa_factor");
                        }
                        p.scope[n] = d.params.get("scope");
                    }
                    DefenseKind::KeyRotation => {
                        p.rotation[n] = Some(SimTime::from_secs_f64(d.params.get("period")))
                    }
                    DefenseKind::Isolation => p.segment[n] = group_of.get(n).copied().unwrap_or(0),
                    DefenseKind::AuditLog => p.audit[n] = Some(k),
                    _ => {}
                }
            }
            if d.kind == DefenseKind::FederatedLearning {
                // Raw records stay at the fog: no cloud node holds any.
                for (n, set) in p.node_set.iter_mut().enumerate() {
                    if cloud.get(n).copied().unwrap_or(false) {
                        set.insert(DefenseKind::FederatedLearning);
                    }
                }
            }
        }
        p
    }

    /// The defenses protecting a packet from `src` (its first sender) on `link`: the link's
    /// own, plus end-to-end encryption of the source.
    #[inline]
    pub fn on_hop(&self, link: usize, src: Option<NodeId>) -> DefenseSet {
        let mut set = self.link_set.get(link).copied().unwrap_or_default();
        if let Some(s) = src
            && self.e2e.get(s.index()).is_some_and(Option::is_some)
        {
            set.insert(DefenseKind::EndToEndEncryption);
        }
        set
    }

    /// Whether a node's mutual-authentication key exists at `now`.
    #[inline]
    pub fn authenticated(&self, node: NodeId, now: SimTime) -> bool {
        self.key_ready.get(node.index()).is_some_and(|&t| t <= now)
    }

    /// The cost of one hop on `link` from `from` to `to` of a packet of `size` bytes from
    /// `src` (its first sender) to `dst`.
    #[inline]
    pub fn hop_cost(
        &self,
        link: usize,
        from: NodeId,
        to: NodeId,
        size: Bytes,
        src: Option<NodeId>,
        dst: NodeId,
    ) -> LinkCost {
        let mut extra = self.link_bytes.get(link).copied().unwrap_or(0);
        let unpadded = u64::from(size.0);
        let mut size = size;
        if let Some(s) = src.map(|s| s.index()) {
            if let Some((pad_to, _)) = self.padding.get(s).copied().flatten()
                && pad_to > u64::from(size.0)
            {
                size = Bytes(pad_to.min(u64::from(u32::MAX)) as u32);
            }
            if let Some(f) = self.freshness.get(s).copied().flatten() {
                extra += f.overhead();
            }
        }
        let mut cost = self
            .link_cipher
            .get(link)
            .copied()
            .flatten()
            .map_or(LinkCost::default(), |c| c.link_cost(size));
        if let Some(c) = src.and_then(|s| self.e2e.get(s.index()).copied().flatten()) {
            let cycles = c.cycles(size);
            cost.overhead = cost.overhead.saturating_add(c.overhead);
            if Some(from) == src {
                cost.sender_cycles = Cycles(cost.sender_cycles.0 + cycles.0);
            }
            if to == dst {
                cost.receiver_cycles = Cycles(cost.receiver_cycles.0 + cycles.0);
            }
        }
        cost.overhead = cost.overhead.saturating_add(Bytes(
            (extra + (u64::from(size.0) - unpadded)).min(u64::from(u32::MAX)) as u32,
        ));
        cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{self, Params};
    use sim_core::LinkId;

    fn defense(kind: DefenseKind, links: &[u32], nodes: &[u32]) -> DefenseSpec {
        DefenseSpec {
            name: format!("{kind:?}"),
            kind,
            params: Params::defaults(catalogue::defense(kind).params),
            links: links.iter().map(|&l| LinkId(l)).collect(),
            targets: nodes.iter().map(|&n| NodeId(n)).collect(),
            cipher: Some(CipherCost {
                cycles_per_byte: 10.0,
                cycles_per_message: 100,
                overhead: Bytes(28),
            }),
            encrypts: true,
        }
    }

    #[test]
    fn end_to_end_cycles_are_paid_at_the_ends_and_bytes_on_every_hop() {
        let p = Protection::new(
            &[defense(DefenseKind::EndToEndEncryption, &[], &[0])],
            3,
            2,
            &[0, 1, 2],
            &[],
        );
        let src = Some(NodeId(0));
        let first = p.hop_cost(0, NodeId(0), NodeId(1), Bytes(100), src, NodeId(2));
        let last = p.hop_cost(1, NodeId(1), NodeId(2), Bytes(100), src, NodeId(2));
        assert_eq!(first.overhead, Bytes(28));
        assert_eq!(first.sender_cycles, Cycles(1100));
        assert_eq!(first.receiver_cycles, Cycles(0));
        assert_eq!(last.sender_cycles, Cycles(0));
        assert_eq!(last.receiver_cycles, Cycles(1100));
        assert!(p.on_hop(1, src).contains(DefenseKind::EndToEndEncryption));
        assert!(
            !p.on_hop(1, Some(NodeId(1)))
                .contains(DefenseKind::EndToEndEncryption)
        );
    }

    #[test]
    fn padding_freshness_and_hopping_add_their_bytes() {
        let p = Protection::new(
            &[
                defense(DefenseKind::Padding, &[], &[0]),
                defense(DefenseKind::Freshness, &[], &[0]),
                defense(DefenseKind::FrequencyHopping, &[0], &[]),
            ],
            2,
            1,
            &[0, 1],
            &[],
        );
        let c = p.hop_cost(
            0,
            NodeId(0),
            NodeId(1),
            Bytes(100),
            Some(NodeId(0)),
            NodeId(1),
        );
        // Padded from 100 to 256 B: 156 B, plus a 4 B counter, plus 2 B of hop sync.
        assert_eq!(c.overhead, Bytes(156 + 4 + 2));
        assert_eq!(p.channels[0], 37);
    }

    #[test]
    fn a_mac_only_cipher_counts_as_message_authentication() {
        let mut d = defense(DefenseKind::LinkEncryption, &[0], &[]);
        d.encrypts = false;
        let p = Protection::new(&[d], 2, 1, &[0, 1], &[]);
        assert!(p.link_set[0].contains(DefenseKind::MessageAuthentication));
        assert!(!p.link_set[0].contains(DefenseKind::LinkEncryption));
    }

    #[test]
    fn ecg_keys_wait_for_their_beats() {
        let mut d = defense(DefenseKind::MutualAuthentication, &[], &[0]);
        d.params.set("method", 1.0);
        let p = Protection::new(&[d], 1, 0, &[0], &[]);
        // 32 beats at 75 bpm: 25.6 s.
        assert!(!p.authenticated(NodeId(0), SimTime::from_secs(25)));
        assert!(p.authenticated(NodeId(0), SimTime::from_secs(26)));
    }
}
