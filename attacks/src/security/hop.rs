//! One transmission as the attacks striking it see it: the packet, the protection on the hop,
//! and what the attacks made of it so far.

use crate::network::Network;
use crate::protection::Protection;
use crate::rules::{DefenseSet, RuleMasks};
use sim_core::{Fate, NodeId, Packet, Transmission};

/// One transmission as the attacks striking it see it, and what they made of it so far.
pub(crate) struct Hop<'a> {
    /// The transmission.
    pub tx: &'a Transmission,
    /// Its link's index.
    pub link: usize,
    /// Whether the packet is the deployment's own data (genuine or tampered).
    pub own: bool,
    /// Whether the sender relays it (it was first sent elsewhere).
    pub transit: bool,
    /// The node the packet was first sent from.
    pub sender: Option<NodeId>,
    /// The defenses protecting the packet on this hop (the link's, and end-to-end).
    pub defended: DefenseSet,
    pub net: &'a Network,
    pub protection: &'a Protection,
    pub masks: &'a RuleMasks,
    /// Its fate so far.
    pub fate: Fate,
    /// Records exposed, packets intercepted and events inferred on this hop.
    pub exposed: u32,
    pub intercepted: u64,
    pub inferred: u64,
}

impl Hop<'_> {
    /// What protects the packet beyond this link's own defenses: a node or an access point at
    /// the link's end holds the link's keys, so only end-to-end protection counts against it.
    #[inline]
    pub fn beyond_link(&self) -> DefenseSet {
        self.defended.without(self.protection.link_set[self.link])
    }

    /// Whether a defense on this link (checked by its receiver) prevents or reduces `by`.
    #[inline]
    pub fn link_stops(&self, by: crate::AttackKind) -> bool {
        let on_link = self.protection.link_set[self.link];
        self.masks.prevents(by, on_link) || self.masks.reduces(by, on_link)
    }

    /// The packet.
    #[inline]
    pub fn packet(&self) -> &Packet {
        &self.tx.packet
    }

    /// The packet's records are read, unless a defense in `present` prevents `by`.
    #[inline]
    pub fn expose_unless(&mut self, by: crate::AttackKind, present: DefenseSet) {
        if !self.masks.prevents(by, present) {
            self.exposed = self.exposed.max(self.tx.packet.records);
        }
    }
}
