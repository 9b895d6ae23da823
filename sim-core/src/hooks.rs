//! The engine's extension points, through which the security layer (the `attacks` crate) sees
//! and prices traffic. The engine is generic over [`Hooks`], so calls are static and inlined:
//! no boxed closures, no dynamic dispatch on the hot path.

use crate::battery::Component;
use crate::ids::{LinkId, NodeId, SourceId};
use crate::packet::Packet;
use crate::time::SimTime;
use crate::topology::Topology;
use crate::units::{Bytes, Cycles, Joules};

/// One packet about to cross one link.
#[derive(Clone, Copy, Debug)]
pub struct Transmission {
    /// The simulated instant the sender hands it to the link.
    pub now: SimTime,
    /// The link.
    pub link: LinkId,
    /// The sending node.
    pub from: NodeId,
    /// The receiving node.
    pub to: NodeId,
    /// The packet.
    pub packet: Packet,
    /// Whether the packet counts in the measured window (created at or after the warm-up).
    pub measured: bool,
}

/// What protecting one transmission costs, charged by the engine: `overhead` bytes go on the
/// wire (serialisation delay and radio energy grow), `sender_cycles` delay the transmission and
/// are charged to the sender's crypto energy, `receiver_cycles` delay the arrival and are
/// charged to the receiver's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkCost {
    /// Bytes added on the wire (nonce, tag, header).
    pub overhead: Bytes,
    /// CPU cycles at the sender (encrypt, MAC).
    pub sender_cycles: Cycles,
    /// CPU cycles at the receiver (decrypt, verify).
    pub receiver_cycles: Cycles,
}

/// What happens to a packet handed to a link, as the security layer decides it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fate {
    /// It crosses as usual.
    #[default]
    Forward,
    /// It crosses, but an attacker altered its content (it arrives as [`Origin::Tampered`](crate::packet::Origin::Tampered)).
    Tamper,
    /// It is sent (sender and receiver pay the radio energy, the link is busy) but never
    /// arrives: jammed, or swallowed by a malicious relay on the way.
    Jammed,
    /// The sending node does not transmit it at all (a compromised relay dropping it: selective
    /// forwarding, sinkhole, blackhole).
    Withheld,
    /// It arrives and the receiver's check discards it (bad MAC, stale counter, unknown
    /// identity, rate limit): it costs everything a delivery costs up to the receiver.
    Rejected,
}

/// The security layer's answer for one transmission: what protecting it costs and what becomes
/// of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// The cost of its protection on this hop.
    pub cost: LinkCost,
    /// What becomes of it.
    pub fate: Fate,
}

impl From<LinkCost> for Verdict {
    fn from(cost: LinkCost) -> Verdict {
        Verdict {
            cost,
            fate: Fate::Forward,
        }
    }
}

/// How routing should weigh a link, overriding its latency-based weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RouteWeight {
    /// The link's own weight ([`crate::routing::link_weight`]).
    #[default]
    Normal,
    /// The lowest possible weight: a sinkhole or wormhole advertising a false low cost.
    Attract,
    /// Not usable: a falsified routing message, or a wormhole's tunnel before it opens.
    Disabled,
}

/// One change the security layer asks the engine to make.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    /// Put `packet` into the network at `node` now, as if `node` had just received or made it
    /// (it enters the node's station if it has one, then follows the routes). The packet's
    /// origin must be [`Origin::Injected`](crate::packet::Origin::Injected) (the deployment's
    /// own traffic comes from its sources only: any other is lost as rejected); its `source`
    /// the source it claims to be from, or [`Sender::at_node`](crate::packet::Sender::at_node).
    Inject {
        /// Where it enters.
        node: NodeId,
        /// The packet (its `created` is taken as now).
        packet: Packet,
    },
    /// An attacker's radio sends `packet` (extra traffic, as for [`Action::Inject`]) over the
    /// air of radio `link` to its end `to`, now: the frame, `size` plus the technology's
    /// framing at its bit rate, occupies the medium from the link's other end (the attacker
    /// stands by the sender it imitates) on no particular hop channel, and meets, and can
    /// destroy, the frames it overlaps. Received, the packet enters at `to` as by
    /// [`Action::Inject`], unless `refused` (a defense at `to` rejects it once received: lost
    /// as rejected). Lost on the air, it is lost to the radio. The energy `to` spends on the
    /// reception is charged by the caller ([`Action::Charge`]), received or not. On a link
    /// that is not a radio link, the packet enters at `to` at once (or is rejected).
    Air {
        /// The radio link it is sent over.
        link: LinkId,
        /// The end that receives it.
        to: NodeId,
        /// The packet (its `created` is taken as now).
        packet: Packet,
        /// Whether `to` refuses it after reception.
        refused: bool,
    },
    /// Spend energy at a node (forced wake-ups, a handshake).
    Charge {
        /// The node.
        node: NodeId,
        /// The component charged.
        component: Component,
        /// The energy.
        energy: Joules,
    },
    /// Take a node out of the network (isolated by a defense, encrypted by ransomware) or
    /// bring it back: an unavailable node loses what reaches it, its sources' packets are
    /// lost, and routes avoid it.
    SetAvailable {
        /// The node.
        node: NodeId,
        /// Available or not.
        available: bool,
    },
    /// Override the routing weight of a link; routes are recomputed.
    Route {
        /// The link.
        link: LinkId,
        /// The weight.
        weight: RouteWeight,
    },
    /// Call [`Hooks::on_timer`] with `token` at `at` (not before now).
    Timer {
        /// When.
        at: SimTime,
        /// The hook set's own tag for it.
        token: u64,
    },
}

/// The changes a hook call asks for, applied by the engine when the call returns, in order.
/// The buffer is the engine's and is reused, so asking allocates nothing once it has grown.
#[derive(Debug, Default)]
pub struct Actions {
    list: Vec<Action>,
}

impl Actions {
    /// Asks for one change.
    #[inline]
    pub fn push(&mut self, action: Action) {
        self.list.push(action);
    }

    /// Asks for a call of [`Hooks::on_timer`] at `at` with `token`.
    #[inline]
    pub fn timer(&mut self, at: SimTime, token: u64) {
        self.list.push(Action::Timer { at, token });
    }

    /// Whether nothing was asked.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The changes asked so far, in order.
    pub fn as_slice(&self) -> &[Action] {
        &self.list
    }

    /// Takes the changes out, leaving the buffer empty with its capacity.
    pub(crate) fn drain(&mut self) -> std::vec::Drain<'_, Action> {
        self.list.drain(..)
    }
}

/// A named scalar result of one run (`delivered`); `None` when undefined in this run.
pub type Scalar = (&'static str, Option<f64>);

/// Observers and modifiers of the traffic. Every method has a default that does nothing, so
/// `()` is the "no security" hook set.
pub trait Hooks {
    /// What the hook set reports at the end of a run in its own terms (the security layer:
    /// its incidents and what each attack did), carried beside the engine's figures in
    /// [`RunMetrics::hooks`](crate::metrics::RunMetrics::hooks). The engine never looks inside;
    /// its default value is an empty report.
    type Report: HookReport;

    /// Appends the nodes this hook set will address packets to (a flood's target), so that
    /// routes towards them exist; the sources' destinations always have routes. Called once,
    /// before the first routes are computed.
    fn destinations(&self, _out: &mut Vec<NodeId>) {}

    /// The run starts (after the engine's own first events): schedule timers, inject, open
    /// or close links.
    fn start(&mut self, _actions: &mut Actions) {}

    /// A source has emitted `packet` at `now`.
    #[inline]
    fn on_generate(&mut self, _now: SimTime, _packet: &Packet) {}

    /// A hint, one event ahead: source `source` at `node` is about to emit a packet. A hook
    /// set may ask the memory for what it will read of them when the packet is sent
    /// ([`crate::prefetch`]), so that its misses overlap with the current event's work; it must
    /// change nothing. By default nothing is asked.
    #[inline]
    fn prefetch_emission(&self, _source: SourceId, _node: NodeId) {}

    /// A hint, one event ahead: `packet` is about to reach a node or end its service there.
    /// As [`Hooks::prefetch_emission`]: may ask for what will be read of it, changes nothing.
    #[inline]
    fn prefetch_packet(&self, _packet: &Packet) {}

    /// A hint: a packet is about to be sent on `link`, once the engine has read the link's
    /// and its receiver's state. As [`Hooks::prefetch_emission`]: may ask for what
    /// [`Hooks::on_transmit`] will read of the link, changes nothing.
    #[inline]
    fn prefetch_hop(&self, _link: LinkId) {}

    /// Whether [`Hooks::on_transmit`] is to be asked about each transmission. A hook set that
    /// neither watches, prices nor alters any (a security layer with no attack and no
    /// defense) answers `false`: the engine then forwards every packet at no cost
    /// ([`Verdict::default`]) without building its [`Transmission`] or calling the hook.
    /// Asked once, when the simulation is built; by default `true`.
    fn asks_transmissions(&self) -> bool {
        true
    }

    /// A packet is about to cross a link: observe it (eavesdroppers, recorders), price its
    /// protection and decide its fate. Not called when [`Hooks::asks_transmissions`] is
    /// `false`.
    #[inline]
    fn on_transmit(&mut self, _tx: &Transmission, _actions: &mut Actions) -> Verdict {
        Verdict::default()
    }

    /// A packet has reached its destination `node` at `now`: return whether the receiver
    /// accepts it (`false` discards it as rejected, e.g. a forged command failing its MAC
    /// check). Called for every packet, own traffic and extra traffic alike.
    #[inline]
    fn on_deliver(
        &mut self,
        _now: SimTime,
        _node: NodeId,
        _packet: &Packet,
        _actions: &mut Actions,
    ) -> bool {
        true
    }

    /// A timer the hook set asked for ([`Action::Timer`]) is due.
    fn on_timer(&mut self, _now: SimTime, _token: u64, _actions: &mut Actions) {}

    /// Appends this hook set's results to the run's scalars, in a fixed order.
    fn report(&self, _out: &mut Vec<Scalar>) {}

    /// Appends this hook set's time series values at `now`, a point of the run's time grid
    /// (e.g. `records_exposed` so far, `compromised_nodes`). Called at every grid point with
    /// the same names in the same order; each name becomes a series of `timeseries.csv` and
    /// must not repeat an engine series' name. `None` where undefined at this instant.
    /// Called outside the hot path, but it should not allocate: `out` is reused.
    fn sample(&self, _now: SimTime, _out: &mut Vec<Scalar>) {}

    /// Closes the hook set at the end of the run (after [`Hooks::report`]) into its own
    /// report (per-patient figures included); `topology` names the nodes. By default the
    /// empty report.
    fn finish(self, _topology: &Topology) -> Self::Report
    where
        Self: Sized,
    {
        Self::Report::default()
    }
}

/// What the engine's outputs may ask of a hook set's report: the metrics it derives from a
/// finished run (the security layer: the worst patient's records exposed), declared by the hook
/// set itself. Everything else in the report is the hook set's own business.
pub trait HookReport: Default {
    /// The declarations of the metrics this report derives, in output order. They stand among
    /// the run's derived metrics at [`derived::HOOKS_AT`](crate::metrics::derived::HOOKS_AT),
    /// after the latency percentiles and before the engine's worst-patient figures.
    const DERIVED: &'static [&'static crate::metrics::Metric] = &[];

    /// Appends the values of [`HookReport::DERIVED`] in this run, in that order; `None` where
    /// undefined (no patient).
    fn derived(&self, _out: &mut Vec<Scalar>) {}
}

impl HookReport for () {}

impl Hooks for () {
    type Report = ();
}
