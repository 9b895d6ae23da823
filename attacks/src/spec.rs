//! A scenario's attacks and defenses as the engine sees them: kinds from
//! [`crate::catalogue`], parameters in stored units, targets resolved to node and link ids.
//! Built by the `scenarios` crate; turned into a replication's hooks by
//! [`SecuritySpec::instantiate`](crate::security::SecuritySpec::instantiate).

use crate::ActiveWindow;
use crate::catalogue::{self, AttackKind, DefenseKind, Params};
use crate::cipher::CipherCost;
use sim_core::{LinkId, NodeId};

/// One configured attack.
#[derive(Clone, Debug)]
pub struct AttackSpec {
    /// Its name in the scenario; names its random stream (`attack:NAME`).
    pub name: String,
    /// What it is.
    pub kind: AttackKind,
    /// When it acts.
    pub window: ActiveWindow,
    /// Its parameters (the catalogue's, defaults filled in).
    pub params: Params,
    /// Targeted links (`links:`), for link attacks.
    pub links: Vec<LinkId>,
    /// Targeted nodes (`targets:`), every node of the named groups in group order. For a
    /// wormhole, the first node of each of the two groups.
    pub targets: Vec<NodeId>,
    /// Where attack traffic enters (`from:`), every node of the named group.
    pub from: Vec<NodeId>,
    /// The attack whose compromises are this one's foothold (`after:`), as an index into
    /// [`SecuritySpec::attacks`](crate::security::SecuritySpec::attacks); it comes earlier in
    /// the list.
    pub after: Option<usize>,
    /// A wormhole's tunnel: the link the scenario builder added between its two ends, which
    /// routing may use only while the attack is active.
    pub tunnel: Option<LinkId>,
}

/// One configured defense.
#[derive(Clone, Debug)]
pub struct DefenseSpec {
    /// Its name in the scenario; names its random stream (`defense:NAME`).
    pub name: String,
    /// What it is.
    pub kind: DefenseKind,
    /// Its parameters (the catalogue's, defaults filled in).
    pub params: Params,
    /// Protected links (`links:`), for link defenses.
    pub links: Vec<LinkId>,
    /// Protected or hosting nodes (`targets:`), every node of the named groups.
    pub targets: Vec<NodeId>,
    /// The cipher's cost, for defenses that take one (per packet for encryption and MACs, per
    /// handshake for mutual authentication).
    pub cipher: Option<CipherCost>,
    /// Whether the cipher hides the payload (AEAD) rather than only authenticating it (MAC).
    pub encrypts: bool,
}

impl AttackSpec {
    /// An attack of `kind` named `name`: active for the whole run, the catalogue's defaults,
    /// nothing targeted yet (set `links`, `targets`, `from` with struct update syntax).
    pub fn new(kind: AttackKind, name: &str) -> AttackSpec {
        AttackSpec {
            name: name.to_string(),
            kind,
            window: ActiveWindow::ALWAYS,
            params: Params::defaults(catalogue::attack(kind).params),
            links: Vec::new(),
            targets: Vec::new(),
            from: Vec::new(),
            after: None,
            tunnel: None,
        }
    }
}

impl AttackSpec {
    /// Whether it sends flood traffic (its packets need routes to its targets).
    pub fn floods(&self) -> bool {
        catalogue::attack(self.kind).makes == Some(crate::Origin::Flood)
    }

    /// The rate of its Poisson arrivals, per second (forged or flood packets, attempts,
    /// incidents), if it acts in arrivals: what its model schedules.
    pub fn arrival_rate(&self) -> Option<f64> {
        crate::attack::model(self.kind, &catalogue::ParamReader::new(&self.params)).arrival_rate()
    }
}

impl DefenseSpec {
    /// A defense of `kind` named `name`: the catalogue's defaults, deployed nowhere yet, no
    /// cipher.
    pub fn new(kind: DefenseKind, name: &str) -> DefenseSpec {
        DefenseSpec {
            name: name.to_string(),
            kind,
            params: Params::defaults(catalogue::defense(kind).params),
            links: Vec::new(),
            targets: Vec::new(),
            cipher: None,
            encrypts: false,
        }
    }
}
