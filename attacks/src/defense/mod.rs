//! Defense models: one module per kind, each holding the kind's catalogue entry (`INFO`), its
//! typed parameters and its behaviour behind `DefenseModel`. The registry at the bottom of
//! this file is the only list of defense kinds.

use crate::breach::Breach;
use crate::catalogue::{DefenseInfo, ParamReader};
use crate::protection::Protection;
use crate::security::SecurityLayer;
use crate::spec::DefenseSpec;
use crate::timer::DefenseTimer;
use crate::topology::Reshape;
use sim_core::{Actions, SimTime};

/// What the defense modules share.
pub(crate) mod prelude {
    pub(crate) use super::{DefenseKind, DefenseModel, Places};
    pub(crate) use crate::breach::Breach;
    pub(crate) use crate::catalogue::{DefenseInfo, ParamReader, Targets, U, Unit, param};
    pub(crate) use crate::cipher::CipherUse;
    pub(crate) use crate::origin::Origin;
    pub(crate) use crate::protection::Protection;
    pub(crate) use crate::protection::{Freshness, Handshake, Ledger};
    pub(crate) use crate::report::IncidentKind;
    pub(crate) use crate::security::SecurityLayer;
    pub(crate) use crate::timer::{DefenseTimer, Timer};
    pub(crate) use crate::topology::Reshape;
    pub(crate) use rand::Rng;
    pub(crate) use rand_distr::{Binomial, Distribution, Exp};
    pub(crate) use sim_core::{
        Action, Actions, Bytes, Component, Joules, NodeId, Packet, PacketKind, Sender, SimTime,
        TrafficClass,
    };
}

/// Where a defense is deployed, as indices valid in the replication's network.
#[derive(Clone, Copy, Debug)]
pub struct Places<'a> {
    /// The defense's index in the scenario.
    pub index: usize,
    /// Its specification.
    pub spec: &'a DefenseSpec,
    /// Each node's group, as an index (a segment when isolated).
    pub group_of: &'a [u32],
    /// Whether each node sits at the cloud layer.
    pub cloud: &'a [bool],
    /// Node count of the network.
    pub nodes: usize,
    /// Link count of the network.
    pub links: usize,
}

impl Places<'_> {
    /// Indices of its links.
    pub fn links(&self) -> impl Iterator<Item = usize> + '_ {
        let n = self.links;
        self.spec
            .links
            .iter()
            .map(|l| l.index())
            .filter(move |&l| l < n)
    }

    /// Indices of its nodes.
    pub fn nodes(&self) -> impl Iterator<Item = usize> + '_ {
        let n = self.nodes;
        self.spec
            .targets
            .iter()
            .map(|x| x.index())
            .filter(move |&x| x < n)
    }
}

/// The behaviour of one defense kind during a replication: where it protects (resolved once
/// into [`Protection`], which the attacks consult through the rule table), and what it does on
/// its own (timers, handshakes, ledger writes).
pub(crate) trait DefenseModel: std::fmt::Debug + Send {
    /// Writes what it puts on its links and nodes into `p` (every node of it already has its
    /// kind in `p.node_set`).
    fn deploy(&self, _at: &Places<'_>, _p: &mut Protection) {}

    /// The run starts: schedule its first timers, charge its set-up costs.
    fn start(&mut self, _l: &mut SecurityLayer, _k: usize, _acts: &mut Actions) {}

    /// One of its timers.
    fn on_timer(
        &mut self,
        _l: &mut SecurityLayer,
        _k: usize,
        _t: DefenseTimer,
        _now: SimTime,
        _acts: &mut Actions,
    ) {
    }

    /// The change of the network it needs before the run, if any; the scenario builder
    /// applies it.
    fn reshape(&self) -> Option<Reshape> {
        None
    }

    /// A genuine packet carrying records is delivered at a node it logs (`measured`: created
    /// in the measured window).
    fn on_deliver(&mut self, _now: SimTime, _measured: bool, _m: &mut Breach) {}
}

/// Reads the parameters every defense has beyond its kind's own: none.
#[cfg(test)]
pub(crate) fn shared_params(_p: &ParamReader<'_>) {}

// The registry (see `registry!` in the crate root).
registry! {
    /// Every defense the simulator models, in catalogue order.
    enum DefenseKind;
    /// Every defense kind's catalogue entry, in catalogue order.
    const DEFENSES: DefenseInfo;
    trait DefenseModel;
    LinkEncryption => link_encryption,
    MessageAuthentication => message_authentication,
    EndToEndEncryption => end_to_end_encryption,
    MutualAuthentication => mutual_authentication,
    Freshness => freshness,
    Ids => ids,
    RateLimit => rate_limit,
    AccessControl => access_control,
    KeyRotation => key_rotation,
    FrequencyHopping => frequency_hopping,
    AdaptiveFrequencyHopping => adaptive_frequency_hopping,
    Isolation => isolation,
    Padding => padding,
    HomomorphicEncryption => homomorphic_encryption,
    FederatedLearning => federated_learning,
    AuditLog => audit_log,
}
