//! The security layer's timers, typed. The engine carries a timer as one `u64` token; this
//! module is the only place that packs and unpacks it.
//!
//! # Layout
//!
//! Bit 63 tells a defense's timer from an attack's; bits 40–62 hold the attack's or defense's
//! index in the scenario; bits 32–39 what the timer is for; bits 0–31 its payload (a node, a
//! replay slot, an epidemic generation, an attack's episode, an attack index).

use sim_core::NodeId;

/// A timer of the security layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// A timer of the attack at this index.
    Attack(usize, AttackTimer),
    /// A timer of the defense at this index.
    Defense(usize, DefenseTimer),
}

/// What an attack's timer is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttackTimer {
    /// Its window opens.
    Open,
    /// Its window ends.
    Close,
    /// The next arrival of its Poisson process (forged packets, flood packets, attempts), in
    /// its `episode` (a timer of an episode a response ended is void).
    Arrival {
        /// The attack's episode when it was drawn.
        episode: u32,
    },
    /// One step of a continuous process (one simulated second), in its `episode`.
    Tick {
        /// The attack's episode when it was scheduled.
        episode: u32,
    },
    /// A recorded packet is sent again.
    Replay {
        /// The recorder's slot holding the packet.
        slot: u32,
    },
    /// The keys of a captured device are extracted.
    Extracted {
        /// The device, as an index into the attack's targets.
        target: u32,
    },
    /// A stored record is altered from an intrusion's footholds.
    Tamper,
    /// The next infection of an epidemic.
    Infection {
        /// The epidemic's generation when it was drawn (a later change of rates voids it).
        generation: u32,
    },
    /// An infected host is encrypted.
    Encrypt(NodeId),
    /// A lateral move from a held node.
    Move(NodeId),
    /// The attacker returns after a response ended its last episode (`retry_after`).
    Return,
}

/// What a defense's timer is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefenseTimer {
    /// An IDS detection window closes.
    IdsWindow,
    /// The response to a detected attack.
    Response {
        /// The attack's index.
        attack: u32,
    },
    /// A reimaged node comes back.
    Restore(NodeId),
    /// An audit ledger's entry revealing an attack is committed.
    AuditFound {
        /// The attack's index.
        attack: u32,
    },
    /// Keys are rotated.
    Rotation,
    /// A cover packet of one device.
    Cover(NodeId),
    /// The response to a false alarm reaches the falsely accused node.
    Accused(NodeId),
}

const INDEX_BITS: u64 = 23;

impl Timer {
    /// The engine's token for this timer.
    pub fn token(self) -> u64 {
        let (defense, index, tag, payload) = match self {
            Timer::Attack(i, t) => {
                let (tag, payload) = match t {
                    AttackTimer::Open => (0, 0),
                    AttackTimer::Close => (1, 0),
                    AttackTimer::Arrival { episode } => (2, episode),
                    AttackTimer::Tick { episode } => (3, episode),
                    AttackTimer::Replay { slot } => (4, slot),
                    AttackTimer::Extracted { target } => (5, target),
                    AttackTimer::Tamper => (6, 0),
                    AttackTimer::Infection { generation } => (7, generation),
                    AttackTimer::Encrypt(n) => (8, n.0),
                    AttackTimer::Move(n) => (9, n.0),
                    AttackTimer::Return => (17, 0),
                };
                (false, i, tag, payload)
            }
            Timer::Defense(k, t) => {
                let (tag, payload) = match t {
                    DefenseTimer::IdsWindow => (10, 0),
                    DefenseTimer::Response { attack } => (11, attack),
                    DefenseTimer::Restore(n) => (12, n.0),
                    DefenseTimer::AuditFound { attack } => (13, attack),
                    DefenseTimer::Rotation => (14, 0),
                    DefenseTimer::Cover(n) => (15, n.0),
                    DefenseTimer::Accused(n) => (16, n.0),
                };
                (true, k, tag, payload)
            }
        };
        (u64::from(defense) << 63)
            | ((index as u64 & ((1 << INDEX_BITS) - 1)) << 40)
            | ((tag as u64) << 32)
            | u64::from(payload)
    }

    /// The timer a token stands for (`None` for a token this layer did not make).
    pub fn from_token(t: u64) -> Option<Timer> {
        let defense = t >> 63 == 1;
        let index = ((t >> 40) & ((1 << INDEX_BITS) - 1)) as usize;
        let tag = ((t >> 32) & 0xff) as u8;
        let payload = t as u32;
        let timer = match (defense, tag) {
            (false, 0) => Timer::Attack(index, AttackTimer::Open),
            (false, 1) => Timer::Attack(index, AttackTimer::Close),
            (false, 2) => Timer::Attack(index, AttackTimer::Arrival { episode: payload }),
            (false, 3) => Timer::Attack(index, AttackTimer::Tick { episode: payload }),
            (false, 4) => Timer::Attack(index, AttackTimer::Replay { slot: payload }),
            (false, 5) => Timer::Attack(index, AttackTimer::Extracted { target: payload }),
            (false, 6) => Timer::Attack(index, AttackTimer::Tamper),
            (false, 7) => Timer::Attack(
                index,
                AttackTimer::Infection {
                    generation: payload,
                },
            ),
            (false, 8) => Timer::Attack(index, AttackTimer::Encrypt(NodeId(payload))),
            (false, 9) => Timer::Attack(index, AttackTimer::Move(NodeId(payload))),
            (false, 17) => Timer::Attack(index, AttackTimer::Return),
            (true, 10) => Timer::Defense(index, DefenseTimer::IdsWindow),
            (true, 11) => Timer::Defense(index, DefenseTimer::Response { attack: payload }),
            (true, 12) => Timer::Defense(index, DefenseTimer::Restore(NodeId(payload))),
            (true, 13) => Timer::Defense(index, DefenseTimer::AuditFound { attack: payload }),
            (true, 14) => Timer::Defense(index, DefenseTimer::Rotation),
            (true, 15) => Timer::Defense(index, DefenseTimer::Cover(NodeId(payload))),
            (true, 16) => Timer::Defense(index, DefenseTimer::Accused(NodeId(payload))),
            _ => return None,
        };
        Some(timer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_timer_survives_its_token() {
        let attack = [
            AttackTimer::Open,
            AttackTimer::Close,
            AttackTimer::Arrival { episode: 0 },
            AttackTimer::Tick { episode: 7 },
            AttackTimer::Replay { slot: 4095 },
            AttackTimer::Extracted { target: 3 },
            AttackTimer::Tamper,
            AttackTimer::Infection {
                generation: u32::MAX,
            },
            AttackTimer::Encrypt(NodeId(17)),
            AttackTimer::Move(NodeId(0)),
            AttackTimer::Return,
        ];
        let defense = [
            DefenseTimer::IdsWindow,
            DefenseTimer::Response { attack: 2 },
            DefenseTimer::Restore(NodeId(9)),
            DefenseTimer::AuditFound { attack: 1 },
            DefenseTimer::Rotation,
            DefenseTimer::Cover(NodeId(u32::MAX)),
            DefenseTimer::Accused(NodeId(3)),
        ];
        let timers = attack
            .iter()
            .map(|&t| Timer::Attack(5, t))
            .chain(defense.iter().map(|&t| Timer::Defense((1 << 23) - 1, t)));
        for t in timers {
            assert_eq!(Timer::from_token(t.token()), Some(t));
        }
        // Attack and defense tags do not mix.
        let forged = Timer::Attack(0, AttackTimer::Open).token() | (10 << 32);
        assert_eq!(Timer::from_token(forged), None);
    }

    #[test]
    fn tokens_keep_their_layout() {
        // The documented layout, so that tokens written by earlier versions read the same.
        let t = Timer::Defense(3, DefenseTimer::Cover(NodeId(7))).token();
        assert_eq!(t, (1 << 63) | (3 << 40) | (15 << 32) | 7);
    }
}
