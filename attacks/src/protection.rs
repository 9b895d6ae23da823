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
//! - Frequency hopping (plain or adaptive): `overhead` bytes on every packet of the hopping
//!   link.

use crate::catalogue::{DefenseKind, ParamReader};
use crate::cipher::CipherCost;
use crate::defense::{self, DefenseModel, Places};
use crate::per_place::PerPlace;
use crate::rules::DefenseSet;
use crate::spec::DefenseSpec;
use sim_core::{Bytes, Cycles, LinkCost, LinkId, NodeId, SimTime};

/// How an adaptive channel map learns (`adaptive_frequency_hopping`): a channel leaves the
/// map after `failures` frames in a row on it are jammed, while more than `min_channels`
/// channels remain (Bluetooth Core, Vol 6 Part B §4.5.8 and §5.1.2; radio.md §F).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelMapping {
    /// Frames in a row jammed on a channel before it leaves the map.
    pub failures: u8,
    /// Fewest channels the map keeps.
    pub min_channels: u32,
}

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

/// What one mutual-authentication handshake costs a device and its peer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Handshake {
    /// Keys from the ECG inter-pulse interval: the device spends `ipi_time` of CPU instead of
    /// the key agreement's cycles.
    pub ecg: bool,
    /// Bytes exchanged, half sent and half received by each end.
    pub bytes: f64,
    /// CPU time of the ECG encoding on the device, seconds.
    pub ipi_time: f64,
    /// Cycles of the key agreement at each end.
    pub cycles: f64,
}

/// An audit ledger logging a node's writes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ledger {
    /// The audit defense, as an index into the scenario's defenses.
    pub defense: usize,
    /// Its commit latency, seconds.
    pub write_latency: f64,
}

/// The defenses of one replication, per place.
#[derive(Clone, Debug)]
pub struct Protection {
    /// Kinds deployed on each link (link encryption only when it encrypts; a MAC-only
    /// cipher counts as message authentication).
    pub link_set: PerPlace<DefenseSet>,
    /// The per-packet cipher on each link.
    pub link_cipher: PerPlace<Option<CipherCost>>,
    /// Extra bytes per packet on each link (frequency hopping).
    pub link_bytes: PerPlace<u64>,
    /// Channels each link hops over (1: no hopping).
    pub channels: PerPlace<u32>,
    /// The adaptive channel map of each link, if it has one.
    pub channel_mapping: PerPlace<Option<ChannelMapping>>,
    /// Kinds deployed on (or for) each node.
    pub node_set: PerPlace<DefenseSet>,
    /// End-to-end cipher of each node's own packets.
    pub e2e: PerPlace<Option<CipherCost>>,
    /// When each node's mutual-authentication key exists (`SimTime::MAX`: never).
    pub key_ready: PerPlace<SimTime>,
    /// What one mutual-authentication handshake of each node costs (the first such defense
    /// on it).
    pub handshake: PerPlace<Option<Handshake>>,
    /// Freshness check of each node's packets.
    pub freshness: PerPlace<Option<Freshness>>,
    /// Padding of each node's packets: size padded to, cover packets per second.
    pub padding: PerPlace<Option<(u64, f64)>>,
    /// Rate limit at each node's ingress: packets per second per sender, bucket depth.
    pub rate_limit: PerPlace<Option<(f64, f64)>>,
    /// Factor on credential theft's success at each node (MFA), 1 without.
    pub mfa_factor: PerPlace<f64>,
    /// Share of records an insider reaches at each node (least privilege), 1 without.
    pub scope: PerPlace<f64>,
    /// Key rotation period of each node.
    pub rotation: PerPlace<Option<SimTime>>,
    /// Each node's network segment (isolation), `u32::MAX` for the flat network.
    pub segment: PerPlace<u32>,
    /// The audit ledger that logs writes at each node.
    pub audit: PerPlace<Option<Ledger>>,
}

impl Protection {
    /// Nothing deployed on `nodes` nodes and `links` links.
    fn empty(nodes: usize, links: usize) -> Self {
        Protection {
            link_set: PerPlace::uniform(DefenseSet::EMPTY, links),
            link_cipher: PerPlace::uniform(None, links),
            link_bytes: PerPlace::uniform(0, links),
            channels: PerPlace::uniform(1, links),
            channel_mapping: PerPlace::uniform(None, links),
            node_set: PerPlace::uniform(DefenseSet::EMPTY, nodes),
            e2e: PerPlace::uniform(None, nodes),
            key_ready: PerPlace::uniform(SimTime::MAX, nodes),
            handshake: PerPlace::uniform(None, nodes),
            freshness: PerPlace::uniform(None, nodes),
            padding: PerPlace::uniform(None, nodes),
            rate_limit: PerPlace::uniform(None, nodes),
            mfa_factor: PerPlace::uniform(1.0, nodes),
            scope: PerPlace::uniform(1.0, nodes),
            rotation: PerPlace::uniform(None, nodes),
            segment: PerPlace::uniform(u32::MAX, nodes),
            audit: PerPlace::uniform(None, nodes),
        }
    }

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
        let models: Vec<_> = defenses
            .iter()
            .map(|d| defense::model(d.kind, &ParamReader::new(&d.params)))
            .collect();
        Protection::deploy(defenses, &models, nodes, links, group_of, cloud)
    }

    /// As [`Protection::new`], with each defense's model already made.
    pub(crate) fn deploy(
        defenses: &[DefenseSpec],
        models: &[Box<dyn DefenseModel>],
        nodes: usize,
        links: usize,
        group_of: &[u32],
        cloud: &[bool],
    ) -> Self {
        let mut p = Protection::empty(nodes, links);
        for (k, (d, m)) in defenses.iter().zip(models).enumerate() {
            let at = Places {
                index: k,
                spec: d,
                group_of,
                cloud,
                nodes,
                links,
            };
            for n in at.nodes() {
                p.node_set[n].insert(d.kind);
            }
            m.deploy(&at, &mut p);
        }
        p
    }

    /// A link cipher on the defense's links: link encryption when it encrypts, message
    /// authentication when it only authenticates (a MAC-only cipher).
    pub(crate) fn protect_links(&mut self, at: &Places<'_>) {
        let d = at.spec;
        let kind = if d.encrypts && d.kind == DefenseKind::LinkEncryption {
            DefenseKind::LinkEncryption
        } else {
            DefenseKind::MessageAuthentication
        };
        for l in at.links() {
            self.link_set[l].insert(kind);
            // A second defense on the link adds its cost to the first's, never replaces it.
            self.link_cipher[l] = match (self.link_cipher[l], d.cipher) {
                (Some(a), Some(b)) => Some(a.and(b)),
                (a, b) => a.or(b),
            };
        }
    }

    /// What the destination of a packet first sent by `src` checks on a copy first sent at
    /// `created` and arriving at `now`: the source's end-to-end tag, and its freshness field
    /// when that marks the copy stale.
    #[inline]
    pub fn checked_at_destination(
        &self,
        src: NodeId,
        created: SimTime,
        now: SimTime,
    ) -> DefenseSet {
        let mut set = DefenseSet::EMPTY;
        if self.e2e.get(src.index()).is_some_and(Option::is_some) {
            set.insert(DefenseKind::EndToEndEncryption);
        }
        if self
            .freshness
            .get(src.index())
            .copied()
            .flatten()
            .is_some_and(|f| f.rejects_copy(created, now))
        {
            set.insert(DefenseKind::Freshness);
        }
        set
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

    /// Asks the memory for what pricing a hop reads of `link` ([`Protection::hop_cost`],
    /// [`Protection::on_hop`]); changes nothing.
    #[inline]
    pub fn prefetch_link(&self, link: usize) {
        self.link_set.prefetch(link);
        self.link_cipher.prefetch(link);
        self.link_bytes.prefetch(link);
    }

    /// Asks the memory for what pricing a hop reads of the packet's sender `src`
    /// ([`Protection::hop_cost`], [`Protection::on_hop`]); changes nothing.
    #[inline]
    pub fn prefetch_sender(&self, src: NodeId) {
        self.e2e.prefetch(src.index());
        self.freshness.prefetch(src.index());
        self.padding.prefetch(src.index());
    }

    /// The defenses a frame sent over the air to or from `node` meets at `now`: those of
    /// `link` (if it crosses one) and the node's own, once its mutual-authentication key
    /// exists (before that, it cannot check anyone).
    #[inline]
    pub fn over_the_air(&self, link: Option<LinkId>, node: NodeId, now: SimTime) -> DefenseSet {
        let mut present = link.map_or(DefenseSet::EMPTY, |l| self.link_set[l.index()]);
        if self.authenticated(node, now) {
            present = present.union(self.node_set[node.index()]);
        }
        present
    }

    /// The defenses a move from `from` to `to` meets: the segmentation, where the two sit in
    /// different segments.
    #[inline]
    pub fn between(&self, from: NodeId, to: NodeId) -> DefenseSet {
        let mut present = DefenseSet::EMPTY;
        if self.segment.get(from.index()) != self.segment.get(to.index()) {
            present.insert(DefenseKind::Isolation);
        }
        present
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
    fn two_link_defenses_on_one_link_both_cost_and_both_count() {
        let mut mac = defense(DefenseKind::MessageAuthentication, &[0], &[]);
        mac.encrypts = false;
        let enc = defense(DefenseKind::LinkEncryption, &[0], &[]);
        let alone = Protection::new(std::slice::from_ref(&enc), 2, 1, &[0, 1], &[]);
        let both = Protection::new(&[enc, mac], 2, 1, &[0, 1], &[]);
        let hop = |p: &Protection| {
            p.hop_cost(
                0,
                NodeId(0),
                NodeId(1),
                Bytes(100),
                Some(NodeId(0)),
                NodeId(1),
            )
        };
        assert_eq!(hop(&alone).overhead, Bytes(28));
        assert_eq!(hop(&both).overhead, Bytes(56));
        assert_eq!(hop(&both).sender_cycles, Cycles(2 * 1100));
        assert_eq!(hop(&both).receiver_cycles, Cycles(2 * 1100));
        assert!(both.link_set[0].contains(DefenseKind::LinkEncryption));
        assert!(both.link_set[0].contains(DefenseKind::MessageAuthentication));
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
