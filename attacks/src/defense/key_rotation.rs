//! `key_rotation`: Keys of the targeted groups are replaced every period: what a key extracted by
//! node capture exposes ends at the next rotation.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::KeyRotation,
    name: "key_rotation",
    targets: Targets::Nodes,
    cost: "a new key agreement per device per period where mutual authentication runs",
    about: "Keys of the targeted groups are replaced every period: what a key extracted by node capture exposes ends at the next rotation.",
    params: &[param(
        "period",
        Unit::Seconds,
        86_400.0,
        "1d",
        "time between rotations",
        U,
    ).positive()],
    cipher: None,
};

/// Keys of the targeted devices replaced every period.
#[derive(Debug)]
pub(crate) struct Model {
    /// Time between rotations.
    period: SimTime,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            period: p.time("period"),
        }
    }

    /// A rotation at `now`: the next one is scheduled, and (after the start) a new key
    /// agreement runs where mutual authentication does.
    fn rotate(&self, l: &mut SecurityLayer, k: usize, now: SimTime, acts: &mut Actions) {
        if self.period > SimTime::ZERO {
            acts.timer(
                now.saturating_add(self.period),
                Timer::Defense(k, DefenseTimer::Rotation).token(),
            );
        }
        if now == SimTime::ZERO {
            return;
        }
        for &n in &l.defenses[k].spec.targets {
            super::mutual_authentication::handshake(l, n, acts);
        }
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for n in at.nodes() {
            p.rotation[n] = Some(self.period);
        }
    }

    fn start(&mut self, l: &mut SecurityLayer, k: usize, acts: &mut Actions) {
        self.rotate(l, k, SimTime::ZERO, acts);
    }

    fn on_timer(
        &mut self,
        l: &mut SecurityLayer,
        k: usize,
        t: DefenseTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
        if t == DefenseTimer::Rotation {
            self.rotate(l, k, now, acts);
        }
    }
}
