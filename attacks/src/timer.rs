//! The security layer's timers, typed. The engine carries a timer as one `u64` token; this
//! module is the only place that packs and unpacks it.
//!
//! # Layout
//!
//! Bit 63 tells a defense's timer from an attack's; bits 40–62 hold the attack's or defense's
//! index in the scenario; bits 32–39 what the timer is for; bits 0–31 its payload (a node, an
//! attack's episode, an attack index). An attack model's own timers ([`ModelTimer`]) take the
//! tags from 64 up (64 + the model's `what`), their payload the model's.
//!
//! An attack model that sets timers of its own declares them in its module as its own type
//! ([`OwnTimer`]): nothing here changes when one is added.

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
    /// The attacker returns after a response ended its last episode (`retry_after`).
    Return,
    /// One of its model's own timers, handed to its `AttackModel::on_timer`.
    Model(ModelTimer),
}

/// An attack model's own timer as the layer carries it: which of the model's timers it is
/// (`what`, below [`ModelTimer::WHAT_LIMIT`]) and its payload (a replay slot, a target, a node,
/// a generation), both the model's to define through its [`OwnTimer`] type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelTimer {
    /// Which of the model's timers.
    pub what: u8,
    /// Its payload.
    pub payload: u32,
}

impl ModelTimer {
    /// Exclusive bound of `what`: the tags 64–255 of the layout.
    pub const WHAT_LIMIT: u8 = 192;
}

/// An attack model's own timer type, packed into a [`ModelTimer`] and read back by the model
/// alone.
pub(crate) trait OwnTimer: Copy {
    /// The timer as the layer carries it.
    fn pack(self) -> ModelTimer;
    /// The model's timer a carried one stands for (`None`: not one of its own).
    fn unpack(t: ModelTimer) -> Option<Self>;
}

/// Declares a model's only timer: a tuple struct `$name(u32)` whose whole state is its
/// payload (a replay slot, an index into the attack's targets), carried as timer 0 of the
/// model ([`ModelTimer::what`]) with that payload. The doc comment goes first.
macro_rules! sole_timer {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        struct $name(u32);

        impl $crate::timer::OwnTimer for $name {
            fn pack(self) -> $crate::timer::ModelTimer {
                $crate::timer::ModelTimer {
                    what: 0,
                    payload: self.0,
                }
            }
            fn unpack(t: $crate::timer::ModelTimer) -> Option<Self> {
                (t.what == 0).then_some($name(t.payload))
            }
        }
    };
}
pub(crate) use sole_timer;

impl Timer {
    /// Attack `i`'s model's own timer `t`.
    pub(crate) fn own(i: usize, t: impl OwnTimer) -> Timer {
        Timer::Attack(i, AttackTimer::Model(t.pack()))
    }
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
                    AttackTimer::Return => (17, 0),
                    AttackTimer::Model(m) => {
                        (64 + m.what.min(ModelTimer::WHAT_LIMIT - 1), m.payload)
                    }
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
            (false, 17) => Timer::Attack(index, AttackTimer::Return),
            (false, 64..) => Timer::Attack(
                index,
                AttackTimer::Model(ModelTimer {
                    what: tag - 64,
                    payload,
                }),
            ),
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
            AttackTimer::Return,
            AttackTimer::Model(ModelTimer {
                what: 0,
                payload: 4095,
            }),
            AttackTimer::Model(ModelTimer {
                what: ModelTimer::WHAT_LIMIT - 1,
                payload: u32::MAX,
            }),
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
