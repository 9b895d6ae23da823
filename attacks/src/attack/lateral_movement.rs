//! `lateral_movement`: From the foothold, the attacker tries each neighbour in the topology after
//! an exponential time and takes it with a probability, moving towards the targeted groups;
//! segmentation stops it at a segment's edge.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::LateralMovement,
    name: "lateral_movement",
    layer: Layers::CROSS,
    stride: "Elevation of privilege",
    attack_id: "Enterprise T1210 Exploitation of Remote Services",
    precondition: Precondition::Foothold,
    grants: Privilege::User,
    requires: Privilege::User,
    targets: Targets::Nodes,
    makes: None,
    moves: "compromised_nodes_max, time_to_first_compromise_s",
    about: "From the foothold, the attacker tries each neighbour in the topology after an exponential time and takes it with a probability, moving towards the targeted groups; segmentation stops it at a segment's edge.",
    params: &[
        param(
            "hop_time",
            Unit::Seconds,
            3600.0,
            "1h",
            "mean time to try one neighbour",
            U,
        ).positive(),
        param(
            "hop_success_probability",
            Unit::Probability,
            0.5,
            "0.5",
            "probability one try succeeds",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// Moves from held nodes to their neighbours.
#[derive(Debug)]
pub(crate) struct Model {
    /// Mean time between moves from one held node, seconds (exponential).
    hop_time: f64,
    /// Probability a move compromises the neighbour.
    hop_success_probability: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            hop_time: p.num("hop_time"),
            hop_success_probability: p.num("hop_success_probability"),
        }
    }
}

/// Its timer: a lateral move from a held node.
#[derive(Clone, Copy, Debug)]
struct Move(NodeId);

impl OwnTimer for Move {
    fn pack(self) -> ModelTimer {
        ModelTimer {
            what: 0,
            payload: self.0.0,
        }
    }
    fn unpack(t: ModelTimer) -> Option<Self> {
        (t.what == 0).then_some(Move(NodeId(t.payload)))
    }
}

impl AttackModel for Model {
    fn footholds(&self) -> Footholds {
        Footholds::Targets
    }

    fn anywhere(&self) -> bool {
        true
    }

    fn engage(
        &mut self,
        l: &mut SecurityLayer,
        i: usize,
        node: NodeId,
        now: SimTime,
        acts: &mut Actions,
    ) {
        if let Some(gap) = l.attacks[i].gap(1.0 / self.hop_time) {
            acts.timer(
                now.saturating_add(gap),
                Timer::own(i, Move(node)).token(),
            );
        }
    }

    /// A move from `from` to a neighbour not yet held (in the targeted groups, when given),
    /// picked uniformly; it succeeds with `hop_success_probability` unless it crosses a
    /// segment's edge and the defense drawing the edge prevents the attack.
    fn on_timer(
        &mut self,
        l: &mut SecurityLayer,
        i: usize,
        t: ModelTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
        let Some(Move(from)) = Move::unpack(t) else {
            return;
        };
        if !l.attacks[i].live(now) || !l.attacks[i].holds[from.index()] {
            return;
        }
        let a = &mut l.attacks[i];
        let next = a.gap(1.0 / self.hop_time);
        let u: f64 = a.rng.random();
        let pick: f64 = a.rng.random();
        if let Some(gap) = next {
            acts.timer(
                now.saturating_add(gap),
                Timer::own(i, Move(from)).token(),
            );
        }
        let a = &l.attacks[i];
        let options: Vec<NodeId> = l.net.neighbours[from.index()]
            .iter()
            .map(|&(_, n)| n)
            .filter(|n| {
                !a.holds[n.index()] && (a.spec.targets.is_empty() || a.node_targeted[n.index()])
            })
            .collect();
        if options.is_empty() {
            return;
        }
        let to = options[((pick * options.len() as f64) as usize).min(options.len() - 1)];
        let present = l.protection.between(from, to);
        l.attacks[i].act(now);
        if u < self.hop_success_probability
            && !l.masks.prevents(AttackKind::LateralMovement, present)
        {
            l.compromise(i, to, now, acts);
            self.engage(l, i, to, now, acts);
        }
    }
}
