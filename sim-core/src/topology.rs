//! The network graph: nodes in three layers, links between them.
//!
//! A `petgraph` undirected graph whose node weights are [`NodeSpec`]s and whose edge weights are
//! [`LinkSpec`]s. Nodes and links are never removed (a dead node stays in the graph and is
//! filtered out of routing), so a [`NodeId`] is the petgraph node index for the whole run.

use crate::dist::Dist;
use crate::ids::{LinkId, NodeId};
use crate::name::Name;
use crate::phy::jammer::Jammer;
use crate::phy::lte::ModemParams;
use crate::phy::technology::Technology;
use crate::phy::{Dbm, PathLoss, Position};
use crate::power_profile::PowerProfile;
use crate::units::{BitsPerSecond, Hertz, Joules, Watts};
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use std::sync::Arc;

/// The three layers of the IoMT reference architecture (the seed reviews' model).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// Wearable and implanted devices.
    Sensing,
    /// Hubs, gateways and fog nodes.
    Network,
    /// Ingestion, storage and analytics services.
    Cloud,
}

impl Layer {
    /// The lower-case name used in scenarios and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Sensing => "sensing",
            Layer::Network => "network",
            Layer::Cloud => "cloud",
        }
    }
}

/// A queueing station: `servers` identical servers, a service-time distribution, and a FIFO
/// waiting room of `buffer` places (`None` = unbounded). A packet that finds every server busy
/// and the waiting room full is dropped and counted lost.
#[derive(Clone, Debug)]
pub struct StationSpec {
    /// Number of servers, c ≥ 1.
    pub servers: u32,
    /// Service time in seconds.
    pub service: Dist,
    /// Waiting places beyond the servers; `None` is unbounded.
    pub buffer: Option<u32>,
}

/// What a node is, as far as the engine is concerned.
#[derive(Clone, Debug)]
pub struct DeviceSpec {
    /// The processing station; `None` forwards packets at once (a sensor's radio path).
    pub station: Option<StationSpec>,
    /// Battery capacity; `None` for mains-powered nodes, which meter energy but never die.
    pub battery: Option<Joules>,
    /// Continuous baseline draw (sleep current × voltage), charged whatever the node does.
    pub sleep_power: Watts,
    /// CPU clock, used to turn cryptographic cycles into delay.
    pub cpu_hz: Hertz,
    /// Energy of one CPU cycle (current per MHz × voltage); station service time is priced at
    /// `cpu_hz × energy_per_cycle` watts.
    pub energy_per_cycle: Joules,
}

/// A node of the topology.
///
/// Its name is its own; the rest ([`NodeClass`], read through `Deref`: `spec.layer`) is shared
/// by the nodes of a group, 32 bytes a node where a copy of it cost 56. Changing a field
/// through `DerefMut` gives the node a class of its own (copy on write).
#[derive(Clone, Debug)]
pub struct NodeSpec {
    /// Stable, unique name (`ward.bed[3].ecg`): names random streams and outputs.
    pub name: Name,
    /// What the node shares with the other nodes of its group.
    pub class: Arc<NodeClass>,
}

/// The figures of a node that a node group's nodes have in common.
#[derive(Clone, Debug)]
pub struct NodeClass {
    /// The group the node was expanded from (`ecg`), for per-group outputs.
    pub group: Arc<str>,
    /// Its layer.
    pub layer: Layer,
    /// Its device model.
    pub device: Arc<DeviceSpec>,
}

impl NodeSpec {
    /// A node called `name` with the figures of `class` (a class of its own; share one by
    /// building the specs of a group from one `Arc<NodeClass>`).
    pub fn new(name: Name, class: NodeClass) -> NodeSpec {
        NodeSpec {
            name,
            class: Arc::new(class),
        }
    }
}

impl std::ops::Deref for NodeSpec {
    type Target = NodeClass;

    #[inline]
    fn deref(&self) -> &NodeClass {
        &self.class
    }
}

impl std::ops::DerefMut for NodeSpec {
    /// The node's class, made its own first if others share it.
    fn deref_mut(&mut self) -> &mut NodeClass {
        Arc::make_mut(&mut self.class)
    }
}

/// A bidirectional link. Each direction has its own transmitter (full duplex): a FIFO queue in
/// front of a server whose service time is the serialisation delay `8·size / rate`.
///
/// Its name is its own; the rest ([`LinkClass`], read through `Deref`: `spec.rate`) is shared
/// by the links of a group, 32 bytes a link where a copy of it cost 80 (a million-device
/// campus has a million links). Changing a field through `DerefMut` gives the link a class of
/// its own (copy on write), so no other link sees it.
#[derive(Clone, Debug)]
pub struct LinkSpec {
    /// Stable, unique name (`ble:ward.bed[3].ecg-ward.bed[3].hub`).
    pub name: Name,
    /// What the link shares with the other links of its group.
    pub class: Arc<LinkClass>,
}

/// The figures of a link that a link group's links have in common.
#[derive(Clone, Debug)]
pub struct LinkClass {
    /// The link group it was expanded from (`ble`): what attacks and defenses target.
    pub group: Arc<str>,
    /// Bit rate of each direction.
    pub rate: BitsPerSecond,
    /// One-way propagation and access latency, in seconds.
    pub latency: Arc<Dist>,
    /// Probability that a transmitted packet is lost on this hop.
    pub loss: f64,
    /// Radio energy the sender spends per bit transmitted.
    pub tx_energy_per_bit: Joules,
    /// Radio energy the receiver spends per bit received.
    pub rx_energy_per_bit: Joules,
}

impl LinkSpec {
    /// A link called `name` with the figures of `class` (a class of its own; clone a
    /// [`LinkSpec`] to share one).
    pub fn new(name: Name, class: LinkClass) -> LinkSpec {
        LinkSpec {
            name,
            class: Arc::new(class),
        }
    }
}

impl std::ops::Deref for LinkSpec {
    type Target = LinkClass;

    #[inline]
    fn deref(&self) -> &LinkClass {
        &self.class
    }
}

impl std::ops::DerefMut for LinkSpec {
    /// The link's class, made its own first if others share it.
    fn deref_mut(&mut self) -> &mut LinkClass {
        Arc::make_mut(&mut self.class)
    }
}

/// The physical layer of a radio link: who sends how loud, on which channel, from where, through
/// which path-loss model.
///
/// A radio link's frames occupy the shared medium of their channel for their airtime,
/// `8·(payload + overhead) / bit_rate` (the technology's framing and rate), and each frame's
/// fate is decided at its end from the SINR it met (see `phy::reception`): the received power
/// is `P_tx − PL(d) − X`, with `PL` the link's path-loss model at the distance between the ends
/// and `X ~ N(0, σ²)` the link's shadowing, drawn once per run from the link's own stream.
/// Every radio link on the same technology and channel shares one medium, whatever its group.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RadioLink {
    /// The radio technology (rate, framing, modulation, receiver figures).
    pub technology: &'static Technology,
    /// Channel number, `0 .. technology.channels`.
    pub channel: u32,
    /// Transmit power leaving the link's first and second endpoint.
    pub tx_power: [Dbm; 2],
    /// Where the first and second endpoint's antennas are, m.
    pub ends: [Position; 2],
    /// Mean path loss over distance, and the σ of the link's shadowing.
    pub path_loss: PathLoss,
}

impl RadioLink {
    /// Distance between the two ends, m.
    pub fn distance(&self) -> f64 {
        self.ends[0].distance(self.ends[1])
    }

    /// Airtime of a frame carrying `payload` on this link.
    pub fn airtime(&self, payload: crate::units::Bytes) -> crate::time::SimTime {
        crate::time::SimTime::from_secs_f64(self.technology.airtime_secs(payload))
    }
}

/// A jammer standing in the scenario: its physics ([`Jammer`]: position, power, channels, type),
/// the technology whose channels it covers, and the path-loss model from it to receivers.
///
/// At a receiver it adds `P_jam − PL(d)` of interference over its on-periods to every frame of
/// that technology on a covered channel; against a hopping technology it hits a frame with
/// probability `covered / channels` (radio.md §F). Its on/off timeline and reactions are drawn
/// from its own stream, `jammer:NAME`.
#[derive(Clone, Debug)]
pub struct JammerSite {
    /// Stable, unique name (names its random stream).
    pub name: String,
    /// The technology whose channels `jammer.channels` numbers.
    pub technology: &'static Technology,
    /// Position, power, channels and type.
    pub jammer: Jammer,
    /// Mean loss from the jammer to a receiver (no shadowing).
    pub path_loss: PathLoss,
}

/// The network graph.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    graph: UnGraph<NodeSpec, LinkSpec>,
    /// The physical layer of each link that is a radio link, by link index.
    radios: Vec<Option<RadioLink>>,
    /// Jammers on the radio channels.
    jammers: Vec<JammerSite>,
    /// The distinct power profiles set so far ([`Topology::set_power`]); a group's nodes share
    /// one entry.
    powers: Vec<PowerProfile>,
    /// Each node's entry in `powers` plus one, by node index (0, or no entry: the default).
    power_of: Vec<u32>,
    /// The client modem (LTE, Wi-Fi power save) at each link's first endpoint, by link index.
    modems: Vec<Option<ModemParams>>,
    /// The medium access of each radio link that has one, by link index.
    macs: Vec<Option<crate::mac::Mac>>,
    /// The nodes that move, and how ([`crate::mobility`]); empty for a static scenario.
    movements: Vec<(NodeId, crate::mobility::Movement)>,
    /// The roaming clients and their candidate links ([`crate::mobility::handover`]).
    roaming: Vec<crate::mobility::Roaming>,
    /// The routes with every node alive, once a replication has asked for them; every change
    /// below forgets them.
    routes: crate::routing::RouteMemo,
}

impl Topology {
    /// An empty topology.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a node and returns its id.
    pub fn add_node(&mut self, spec: NodeSpec) -> NodeId {
        self.routes = crate::routing::RouteMemo::default();
        NodeId(self.graph.add_node(spec).index() as u32)
    }

    /// Adds a link between `a` and `b` and returns its id.
    pub fn add_link(&mut self, a: NodeId, b: NodeId, spec: LinkSpec) -> LinkId {
        self.routes = crate::routing::RouteMemo::default();
        let e = self
            .graph
            .add_edge(NodeIndex::new(a.index()), NodeIndex::new(b.index()), spec);
        LinkId(e.index() as u32)
    }

    /// Makes `link` a radio link (its loss then comes from the physical layer, not from
    /// [`LinkSpec::loss`]).
    pub fn set_radio(&mut self, link: LinkId, radio: RadioLink) {
        self.routes = crate::routing::RouteMemo::default();
        let i = link.index();
        if self.radios.len() <= i {
            self.radios.resize(i + 1, None);
        }
        self.radios[i] = Some(radio);
    }

    /// The physical layer of `link`, if it is a radio link.
    pub fn radio(&self, link: LinkId) -> Option<&RadioLink> {
        self.radios.get(link.index()).and_then(Option::as_ref)
    }

    /// Gives radio link `link` a medium access method ([`crate::mac`]); without one its
    /// transmitter sends as soon as it is free.
    pub fn set_mac(&mut self, link: LinkId, mac: crate::mac::Mac) {
        self.routes = crate::routing::RouteMemo::default();
        let i = link.index();
        if self.macs.len() <= i {
            self.macs.resize(i + 1, None);
        }
        self.macs[i] = Some(mac);
    }

    /// The medium access of `link`, if it has one.
    pub fn mac(&self, link: LinkId) -> Option<&crate::mac::Mac> {
        self.macs.get(link.index()).and_then(Option::as_ref)
    }

    /// Sets a node's listen schedule, front end and MCU work ([`PowerProfile`]).
    pub fn set_power(&mut self, node: NodeId, power: PowerProfile) {
        self.routes = crate::routing::RouteMemo::default();
        let i = node.index();
        if self.power_of.len() <= i {
            self.power_of.resize(i + 1, 0);
        }
        // The nodes of a group are set one after another with the same profile: the last
        // entry first, then the others (a scenario has a handful).
        let k = match self.powers.iter().rposition(|p| *p == power) {
            Some(k) => k,
            None => {
                self.powers.push(power);
                self.powers.len() - 1
            }
        };
        self.power_of[i] = k as u32 + 1;
    }

    /// A node's listen schedule, front end and MCU work (all off unless set).
    pub fn power(&self, node: NodeId) -> PowerProfile {
        match self.power_of.get(node.index()) {
            Some(&k) if k > 0 => self.powers[k as usize - 1],
            _ => PowerProfile::default(),
        }
    }

    /// Gives `link`'s first endpoint a client modem with a tail (LTE RRC, Wi-Fi power save):
    /// its side of the link is then metered by the modem's states instead of per bit.
    pub fn set_client_modem(&mut self, link: LinkId, modem: ModemParams) {
        self.routes = crate::routing::RouteMemo::default();
        let i = link.index();
        if self.modems.len() <= i {
            self.modems.resize(i + 1, None);
        }
        self.modems[i] = Some(modem);
    }

    /// The client modem at `link`'s first endpoint, if it has one.
    pub fn client_modem(&self, link: LinkId) -> Option<&ModemParams> {
        self.modems.get(link.index()).and_then(Option::as_ref)
    }

    /// Makes `node` move ([`crate::mobility::Movement`]); a node moves one way only, so a
    /// second call replaces the first.
    pub fn set_movement(&mut self, node: NodeId, movement: crate::mobility::Movement) {
        self.routes = crate::routing::RouteMemo::default();
        self.movements.retain(|(n, _)| *n != node);
        self.movements.push((node, movement));
    }

    /// The moving nodes and their movements, in the order set.
    pub fn movements(&self) -> &[(NodeId, crate::mobility::Movement)] {
        &self.movements
    }

    /// Adds a roaming client ([`crate::mobility::Roaming`]).
    pub fn add_roaming(&mut self, roaming: crate::mobility::Roaming) {
        self.routes = crate::routing::RouteMemo::default();
        self.roaming.push(roaming);
    }

    /// The roaming clients, in the order added.
    pub fn roaming(&self) -> &[crate::mobility::Roaming] {
        &self.roaming
    }

    /// Adds a jammer.
    pub fn add_jammer(&mut self, jammer: JammerSite) {
        self.routes = crate::routing::RouteMemo::default();
        self.jammers.push(jammer);
    }

    /// The jammers, in the order added.
    pub fn jammers(&self) -> &[JammerSite] {
        &self.jammers
    }

    /// The routes with every node alive towards `destinations`, under the weight overrides
    /// `weights` (as [`crate::routing::Routes::compute_weighted`]), computed once for all the
    /// replications that ask for the same ones and shared read-only.
    pub fn shared_routes(
        &self,
        destinations: &[NodeId],
        weights: &[crate::hooks::RouteWeight],
    ) -> std::sync::Arc<crate::routing::Routes> {
        self.routes.get(self, destinations, weights, false)
    }

    /// Routes as [`Topology::shared_routes`], or routes already computed towards more
    /// destinations under the same weights (the same next hops towards the requested ones):
    /// for a caller that only looks up routes towards `destinations`, such as a check of the
    /// scenario or the security layer's view of the routes as built.
    pub fn shared_routes_covering(
        &self,
        destinations: &[NodeId],
        weights: &[crate::hooks::RouteWeight],
    ) -> std::sync::Arc<crate::routing::Routes> {
        self.routes.get(self, destinations, weights, true)
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The number of links.
    pub fn link_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// A node's description. Panics on an id not from this topology (a programming error).
    pub fn node(&self, id: NodeId) -> &NodeSpec {
        &self.graph[NodeIndex::new(id.index())]
    }

    /// Asks the memory for node `id`'s description and power profile (`crate::prefetch`);
    /// changes nothing.
    #[inline]
    pub(crate) fn prefetch_node(&self, id: NodeId) {
        if let Some(spec) = self.graph.node_weight(NodeIndex::new(id.index())) {
            crate::prefetch::prefetch(spec);
        }
        crate::prefetch::prefetch_at(&self.power_of, id.index());
    }

    /// Asks the memory for link `id`'s description (`crate::prefetch`); changes nothing.
    #[inline]
    pub(crate) fn prefetch_link(&self, id: LinkId) {
        if let Some(spec) = self.graph.edge_weight(EdgeIndex::new(id.index())) {
            crate::prefetch::prefetch(spec);
        }
    }

    /// A link's description.
    pub fn link(&self, id: LinkId) -> &LinkSpec {
        &self.graph[EdgeIndex::new(id.index())]
    }

    /// The two ends of a link, in the order they were added.
    pub fn endpoints(&self, id: LinkId) -> (NodeId, NodeId) {
        let (a, b) = self
            .graph
            .edge_endpoints(EdgeIndex::new(id.index()))
            .expect("link id from this topology");
        (NodeId(a.index() as u32), NodeId(b.index() as u32))
    }

    /// Every node id, in order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.graph.node_indices().map(|n| NodeId(n.index() as u32))
    }

    /// Every link id, in order.
    pub fn link_ids(&self) -> impl Iterator<Item = LinkId> + '_ {
        self.graph.edge_indices().map(|e| LinkId(e.index() as u32))
    }

    /// The links at `node` with the node at their other end, in petgraph's adjacency order.
    pub fn neighbours(&self, node: NodeId) -> impl Iterator<Item = (LinkId, NodeId)> + '_ {
        let n = NodeIndex::new(node.index());
        self.graph.edges(n).map(move |e| {
            let other = if e.source() == n {
                e.target()
            } else {
                e.source()
            };
            (LinkId(e.id().index() as u32), NodeId(other.index() as u32))
        })
    }

    /// The underlying petgraph graph (read-only), for analyses.
    pub fn graph(&self) -> &UnGraph<NodeSpec, LinkSpec> {
        &self.graph
    }

    /// Every node's name, in order, when some node moves (what keys a walker's random stream,
    /// [`crate::mobility::Motion::new`]); none otherwise, where writing a million names out
    /// would be wasted.
    pub fn motion_names(&self) -> Vec<String> {
        if self.movements.is_empty() {
            return Vec::new();
        }
        self.graph
            .node_weights()
            .map(|n| n.name.to_string())
            .collect()
    }

    /// The first node with this name.
    pub fn find(&self, name: &str) -> Option<NodeId> {
        self.graph
            .node_indices()
            .find(|&n| self.graph[n].name == name)
            .map(|n| NodeId(n.index() as u32))
    }
}

#[cfg(test)]
impl NodeSpec {
    /// A test model's node: no station, no battery, a 1 MHz processor that costs no energy.
    pub(crate) fn plain(name: &str, group: &str, layer: Layer) -> NodeSpec {
        NodeSpec::new(
            name.into(),
            NodeClass {
                group: group.into(),
                layer,
                device: DeviceSpec {
                    station: None,
                    battery: None,
                    sleep_power: Watts(0.0),
                    cpu_hz: Hertz(1e6),
                    energy_per_cycle: Joules(0.0),
                }
                .into(),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_changed_through_deref_mut_gets_a_class_of_its_own() {
        let a = LinkSpec::new(
            "a".into(),
            LinkClass {
                group: "g".into(),
                rate: BitsPerSecond(1e6),
                latency: Dist::Const(0.001).into(),
                loss: 0.01,
                tx_energy_per_bit: Joules(1e-9),
                rx_energy_per_bit: Joules(2e-9),
            },
        );
        let mut b = LinkSpec {
            name: "b".into(),
            ..a.clone()
        };
        assert!(Arc::ptr_eq(&a.class, &b.class));
        b.loss = 0.5;
        // `b` copied the class before the write: `a` and its group keep theirs.
        assert!(!Arc::ptr_eq(&a.class, &b.class));
        assert_eq!((a.loss, b.loss), (0.01, 0.5));
        assert_eq!((a.rate, b.rate), (BitsPerSecond(1e6), BitsPerSecond(1e6)));
        assert_eq!(&*b.group, "g");

        let device = Arc::new(DeviceSpec {
            station: None,
            battery: Some(Joules(1.0)),
            sleep_power: Watts(0.0),
            cpu_hz: Hertz(1e6),
            energy_per_cycle: Joules(0.0),
        });
        let n = NodeSpec::new(
            "n".into(),
            NodeClass {
                group: "g".into(),
                layer: Layer::Sensing,
                device,
            },
        );
        let mut m = n.clone();
        m.layer = Layer::Cloud;
        assert_eq!((n.layer, m.layer), (Layer::Sensing, Layer::Cloud));
        assert!(Arc::ptr_eq(&n.device, &m.device));
    }
}
