//! The rule table read on the per-packet path: the defense kinds present at one place as a
//! bit set, and per attack kind the defenses with each effect as masks built once from
//! [`RULES`].

use super::Effect::{Detects, NoEffect, Prevents, Reduces};
use super::RULES;
use crate::catalogue::{self, AttackKind, DefenseKind};
use crate::origin::Origin;

/// A set of defense kinds present at one place (a link, a node, a packet's source).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DefenseSet(u32);

impl DefenseSet {
    /// The empty set.
    pub const EMPTY: DefenseSet = DefenseSet(0);

    /// Adds a kind.
    #[inline]
    pub fn insert(&mut self, kind: DefenseKind) {
        self.0 |= 1 << kind as u32;
    }

    /// Whether a kind is present.
    #[inline]
    pub fn contains(self, kind: DefenseKind) -> bool {
        self.0 & (1 << kind as u32) != 0
    }

    /// The union.
    #[inline]
    pub fn union(self, other: DefenseSet) -> DefenseSet {
        DefenseSet(self.0 | other.0)
    }

    /// Whether the set is empty.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds of the set that are not in `other`.
    #[inline]
    pub fn without(self, other: DefenseSet) -> DefenseSet {
        DefenseSet(self.0 & !other.0)
    }

    /// The set restricted to one kind (empty if the kind is absent).
    #[inline]
    pub fn and_only(self, kind: DefenseKind) -> DefenseSet {
        DefenseSet(self.0 & (1 << kind as u32))
    }
}

/// Per attack kind, the defense kinds with each effect: built once from [`RULES`] so that the
/// per-packet checks are a mask test.
#[derive(Clone, Debug)]
pub struct RuleMasks {
    prevents: Vec<DefenseSet>,
    reduces: Vec<DefenseSet>,
    detects: Vec<DefenseSet>,
    /// Per packet origin (tampered, forged, replayed), the defenses that prevent every attack
    /// kind making such packets: a packet does not say which attack made it, so its
    /// destination rejects it only for a defense that stops them all.
    at_destination: [DefenseSet; 3],
}

impl Default for RuleMasks {
    fn default() -> Self {
        let n = catalogue::ATTACKS.len();
        let mut m = RuleMasks {
            prevents: vec![DefenseSet::EMPTY; n],
            reduces: vec![DefenseSet::EMPTY; n],
            detects: vec![DefenseSet::EMPTY; n],
            at_destination: [DefenseSet::EMPTY; 3],
        };
        for r in RULES {
            let slot = match r.effect {
                Prevents => &mut m.prevents,
                Reduces => &mut m.reduces,
                Detects => &mut m.detects,
                NoEffect => continue,
            };
            slot[r.attack as usize].insert(r.defense);
        }
        for (k, origin) in MADE.iter().enumerate() {
            let makers = catalogue::ATTACKS
                .iter()
                .filter(|a| a.makes == Some(*origin));
            let mut all: Option<DefenseSet> = None;
            for a in makers {
                let p = m.prevents[a.kind as usize];
                all = Some(all.map_or(p, |s| DefenseSet(s.0 & p.0)));
            }
            m.at_destination[k] = all.unwrap_or_default();
        }
        m
    }
}

/// The packet origins a destination judges.
const MADE: [Origin; 3] = [Origin::Tampered, Origin::Forged, Origin::Replayed];

impl RuleMasks {
    /// Whether any defense in `present` prevents `attack`.
    #[inline]
    pub fn prevents(&self, attack: AttackKind, present: DefenseSet) -> bool {
        self.prevents[attack as usize].0 & present.0 != 0
    }

    /// Whether any defense in `present` reduces `attack`.
    #[inline]
    pub fn reduces(&self, attack: AttackKind, present: DefenseSet) -> bool {
        self.reduces[attack as usize].0 & present.0 != 0
    }

    /// Whether a packet of `origin` is rejected at its destination, which checks the defenses
    /// in `present` (end-to-end tag, freshness): one of them prevents every attack kind that
    /// makes packets of that origin.
    #[inline]
    pub fn rejects_at_destination(&self, origin: Origin, present: DefenseSet) -> bool {
        MADE.iter()
            .position(|&o| o == origin)
            .is_some_and(|k| self.at_destination[k].0 & present.0 != 0)
    }

    /// Whether `defense` detects `attack`.
    #[inline]
    pub fn detects(&self, attack: AttackKind, defense: DefenseKind) -> bool {
        self.detects[attack as usize].contains(defense)
    }
}
