//! Attack models: one module per kind, each holding the kind's catalogue entry (`INFO`), its
//! typed parameters, its state and its behaviour behind `AttackModel`. The registry at the
//! bottom of this file is the only list of attack kinds: it makes [`AttackKind`], [`ATTACKS`]
//! and the constructor the security layer calls. `attacks/README.md` walks through adding one.

use crate::catalogue::{AttackInfo, ParamReader};
use crate::network::Network;
use crate::security::{AttackState, Hop, SecurityLayer};
use crate::spec::AttackSpec;
use crate::timer::ModelTimer;
use crate::topology::Reshape;
use sim_core::{Actions, NodeId, SimTime};

mod arrivals;

/// What the attack modules share.
pub(crate) mod prelude {
    pub(crate) use super::arrivals::{
        Aim, AttemptKind, Attempts, ForgedArrivals, ForgeryKind, attempt,
    };
    pub(crate) use super::{AttackKind, AttackModel, Footholds};
    pub(crate) use crate::catalogue::{
        AttackInfo, Layers, ParamReader, Precondition, Privilege, RETRY_AFTER, Targets, U, Unit,
        param,
    };
    pub(crate) use crate::defense::audit_log;
    pub(crate) use crate::epidemic::{Epidemic, Host};
    pub(crate) use crate::forgery::Forgery;
    pub(crate) use crate::network::Network;
    pub(crate) use crate::origin::Origin;
    pub(crate) use crate::report::IncidentKind;
    pub(crate) use crate::rules::DefenseSet;
    pub(crate) use crate::security::REPLAY_SLOTS;
    pub(crate) use crate::security::{AttackState, Hop, SecurityLayer};
    pub(crate) use crate::spec::AttackSpec;
    pub(crate) use crate::timer::{ModelTimer, OwnTimer, Timer, sole_timer};
    pub(crate) use crate::topology::Reshape;
    pub(crate) use rand::Rng;
    pub(crate) use sim_core::{
        Action, Actions, Bytes, Component, Fate, Joules, NodeId, Packet, PacketKind, RouteWeight,
        Sender, SimTime, SourceId, TrafficClass,
    };
    pub(crate) use std::collections::HashMap;
}

/// Where an attack acts from, besides what it strikes over the air or the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Footholds {
    /// It needs no held node.
    None,
    /// It acts from held nodes: those of the attack it follows (`after:`), or without one its
    /// targets, taken as held when its window opens.
    Targets,
    /// It acts from held nodes only with `after:`; without one it holds nothing.
    Chained,
}

/// The behaviour of one attack kind during a replication. The security layer keeps what every
/// attack has ([`AttackState`]: stream, window, holds, detection) and calls these hooks; a model
/// keeps its own state and typed parameters. Methods that take the layer may compromise nodes,
/// forge packets and expose records through it (the model is out of the layer's list while it
/// runs, so it cannot reach itself twice).
pub(crate) trait AttackModel: std::fmt::Debug + Send {
    /// Where it acts from.
    fn footholds(&self) -> Footholds {
        Footholds::None
    }

    /// Whether it takes footholds outside its targeted groups (it moves or claims identities
    /// from wherever it stands).
    fn anywhere(&self) -> bool {
        false
    }

    /// Whether a defense's response ends it (a radio jammer is not removed by isolating nodes).
    fn ends_on_response(&self) -> bool {
        true
    }

    /// Whether it sends traffic that blocking can drop: a captured device's extracted keys read
    /// the links without sending anything, so a `block` response leaves it be.
    fn sends(&self) -> bool {
        true
    }

    /// Its captured keys or credentials were replaced (a `rotate_keys` response) at `now`; the
    /// layer has already released every node it held. By default nothing more: it goes on
    /// with what it does, and must compromise again to hold a node.
    fn rekey(&mut self, _l: &mut SecurityLayer, _i: usize, _now: SimTime, _acts: &mut Actions) {}

    /// The rate of its Poisson arrivals (forged packets, attempts, incidents) per second, if it
    /// acts in arrivals: the layer schedules them from the window's opening, drawing the next
    /// before each one acts so the process is the same with and without defenses.
    fn arrival_rate(&self) -> Option<f64> {
        None
    }

    /// The change of the network it needs before the run, if any (a wormhole's tunnel); the
    /// scenario builder applies it.
    fn reshape(&self) -> Option<Reshape> {
        None
    }

    /// Whether it acts once per simulated second while live (continuous processes).
    fn ticks(&self) -> bool {
        false
    }

    /// The replication's network is known: size the per-link or per-node state here, so that
    /// nothing is allocated once the run is under way.
    fn prepare(&mut self, _net: &Network, _spec: &AttackSpec) {}

    /// Its window opens.
    fn open(&mut self, _l: &mut SecurityLayer, _i: usize, _now: SimTime, _acts: &mut Actions) {}

    /// Its window ends, or a response ends it: undo what it did to the routes.
    fn close(&mut self, _l: &mut SecurityLayer, _i: usize, _acts: &mut Actions) {}

    /// A transmission on a link while it is live.
    fn on_transmit(
        &mut self,
        _a: &mut AttackState,
        _i: usize,
        _h: &mut Hop<'_>,
        _acts: &mut Actions,
    ) {
    }

    /// One arrival of its Poisson process, while live.
    fn arrive(&mut self, _l: &mut SecurityLayer, _i: usize, _now: SimTime, _acts: &mut Actions) {}

    /// One step of `secs` seconds of its continuous process, while live.
    fn tick(
        &mut self,
        _l: &mut SecurityLayer,
        _i: usize,
        _now: SimTime,
        _secs: f64,
        _acts: &mut Actions,
    ) {
    }

    /// One of its own timers.
    fn on_timer(
        &mut self,
        _l: &mut SecurityLayer,
        _i: usize,
        _t: ModelTimer,
        _now: SimTime,
        _acts: &mut Actions,
    ) {
    }

    /// Starts what it does from a node it now holds.
    fn engage(
        &mut self,
        _l: &mut SecurityLayer,
        _i: usize,
        _node: NodeId,
        _now: SimTime,
        _acts: &mut Actions,
    ) {
    }

    /// It gains `node` from the attack it follows: by default a compromise, engaged at once if
    /// live.
    fn take_foothold(
        &mut self,
        l: &mut SecurityLayer,
        i: usize,
        node: NodeId,
        now: SimTime,
        acts: &mut Actions,
    ) {
        l.compromise(i, node, now, acts);
        if l.attacks[i].started && l.attacks[i].live(now) {
            self.engage(l, i, node, now, acts);
        }
    }

    /// A response ends it at `now`: `held` lists the nodes the response acts on; add any that
    /// only the model knows of.
    fn stop(&mut self, _now: SimTime, _held: &mut Vec<NodeId>) {}

    /// It loses every node it held.
    fn release(&mut self) {}

    /// Hosts it ever infected by `now` (for the `infected_hosts` series); `a` is its state.
    fn infected_hosts(&self, _a: &AttackState, _now: SimTime) -> u32 {
        0
    }
}

/// Reads the parameters every attack has, which the security layer uses rather than the
/// kind's model: the mean of `retry_after` in seconds ([`crate::catalogue::RETRY_AFTER`]),
/// `None` for `never`.
pub(crate) fn shared_params(p: &ParamReader<'_>) -> Option<f64> {
    let mean = p.num("retry_after");
    (mean.is_finite() && mean > 0.0).then_some(mean)
}

// The registry (see `registry!` in the crate root).
registry! {
    /// Every attack the simulator models, in catalogue order.
    enum AttackKind;
    /// Every attack kind's catalogue entry, in catalogue order (sensing, network, cloud,
    /// across layers).
    const ATTACKS: AttackInfo;
    trait AttackModel;
    Eavesdrop => eavesdrop,
    NodeCapture => node_capture,
    Spoofing => spoofing,
    Replay => replay,
    DenialOfSleep => denial_of_sleep,
    Jamming => jamming,
    Mitm => mitm,
    Flood => flood,
    Sybil => sybil,
    Sinkhole => sinkhole,
    SelectiveForwarding => selective_forwarding,
    Wormhole => wormhole,
    RoutingManipulation => routing_manipulation,
    CredentialTheft => credential_theft,
    Phishing => phishing,
    Intrusion => intrusion,
    Insider => insider,
    Ransomware => ransomware,
    Exfiltration => exfiltration,
    DdosIngestion => ddos_ingestion,
    LateralMovement => lateral_movement,
    TherapyManipulation => therapy_manipulation,
    TrafficAnalysis => traffic_analysis,
    RogueAccessPoint => rogue_access_point,
    Blackhole => blackhole,
}
