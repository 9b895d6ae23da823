//! What the security layer needs to know about the network of one model, copied once per
//! replication so that the hooks own their state (no borrow of the model).

use crate::wake_up::ListeningRadio;
use sim_core::{Layer, LinkId, Model, NodeId, SourceId, StreamSpec, TrafficClass};
use std::collections::HashMap;
use std::sync::Arc;

/// One traffic source, as the security layer sees it (12 bytes): its ends, and its stream's
/// packets ([`Network::packets`]).
#[derive(Clone, Copy, Debug)]
pub struct SourceFacts {
    /// The sending node.
    pub node: NodeId,
    /// Its destination.
    pub dst: NodeId,
    /// Its stream's packets, an index in `Network::streams`.
    stream: u32,
}

/// The packets of one stream, as the security layer sees them: the same for every source of
/// the stream, so held once per stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PacketFacts {
    /// Payload size, bytes.
    pub size: u64,
    /// Records per packet.
    pub records: u32,
    /// Class.
    pub class: TrafficClass,
}

/// No source ([`Network::first_source`], [`Network::inbound_source`]).
const NO_SOURCE: u32 = u32::MAX;

fn source(i: u32) -> Option<SourceId> {
    (i != NO_SOURCE).then_some(SourceId(i))
}

/// A value per node or per link, of which a model has a handful of distinct ones (one per
/// group): each distinct value stored once, and a 4-byte index per place where a copy per
/// place took 16 bytes.
#[derive(Clone, Debug)]
struct Shared<T> {
    values: Vec<T>,
    of: Vec<u32>,
}

impl Shared<(f64, f64)> {
    fn with_capacity(n: usize) -> Self {
        Shared {
            values: Vec::new(),
            of: Vec::with_capacity(n),
        }
    }

    /// Appends a place holding `v` (compared bit for bit; the places of a group come one
    /// after another, so the last distinct value is tried first).
    fn push(&mut self, v: (f64, f64)) {
        let bits = |v: &(f64, f64)| (v.0.to_bits(), v.1.to_bits());
        let k = match self.values.iter().rposition(|w| bits(w) == bits(&v)) {
            Some(k) => k,
            None => {
                self.values.push(v);
                self.values.len() - 1
            }
        };
        self.of.push(k as u32);
    }

    #[inline]
    fn get(&self, i: usize) -> (f64, f64) {
        self.values[self.of[i] as usize]
    }
}

/// Nodes, links and sources of a model.
#[derive(Clone, Debug)]
pub struct Network {
    /// Each node's layer.
    pub layer: Vec<Layer>,
    /// Each node's group, as an index in order of first appearance.
    pub group: Vec<u32>,
    /// Each node's CPU clock (Hz) and energy per cycle (J), [`Network::cpu`].
    cpu: Shared<(f64, f64)>,
    /// Each link's ends.
    pub link_ends: Vec<(NodeId, NodeId)>,
    /// Each link's TX and RX energy per bit (J), [`Network::link_energy`].
    link_energy: Shared<(f64, f64)>,
    /// Each node's links and the nodes at their other ends, in link order.
    pub neighbours: Neighbours,
    /// Each source.
    pub sources: Vec<SourceFacts>,
    /// Each stream's packets, in order of first appearance among the sources.
    streams: Vec<PacketFacts>,
    /// Each node's first source, [`Network::first_source`] (`u32::MAX` for none).
    first_source: Vec<u32>,
    /// Per node, a source whose destination it is, [`Network::inbound_source`].
    inbound_source: Vec<u32>,
    /// Per node, its radio as forged frames find it (chip, technology and MAC of its first
    /// radio link; `None` without links). Empty unless asked for ([`Network::of`]): about
    /// 100 bytes per node that only a denial-of-sleep attack reads.
    pub radio: Vec<Option<ListeningRadio>>,
}

impl Network {
    /// The facts of `model`, with each node's listening radio when `radios` is set (an empty
    /// [`Network::radio`] otherwise).
    pub fn of(model: &Model, radios: bool) -> Network {
        let topo = &model.topology;
        let n = topo.node_count();
        let mut group_names: Vec<&str> = Vec::new();
        let mut layer = Vec::with_capacity(n);
        let mut group = Vec::with_capacity(n);
        let mut cpu = Shared::with_capacity(n);
        let mut neighbours = Neighbours {
            start: Vec::with_capacity(n + 1),
            ends: Vec::with_capacity(2 * topo.link_count()),
        };
        neighbours.start.push(0);
        for id in topo.node_ids() {
            let spec = topo.node(id);
            layer.push(spec.layer);
            let g = match group_names.iter().position(|g| **g == *spec.group) {
                Some(g) => g,
                None => {
                    group_names.push(&spec.group);
                    group_names.len() - 1
                }
            };
            group.push(g as u32);
            cpu.push((spec.device.cpu_hz.0, spec.device.energy_per_cycle.0));
            let from = neighbours.ends.len();
            neighbours.ends.extend(topo.neighbours(id));
            neighbours.ends[from..].sort_by_key(|(l, _)| *l);
            neighbours.start.push(neighbours.ends.len() as u32);
        }
        let link_ends = topo.link_ids().map(|l| topo.endpoints(l)).collect();
        let mut link_energy = Shared::with_capacity(topo.link_count());
        for l in topo.link_ids() {
            let s = topo.link(l);
            link_energy.push((s.tx_energy_per_bit.0, s.rx_energy_per_bit.0));
        }
        let mut streams = Vec::new();
        let mut stream_of: HashMap<*const StreamSpec, u32> = HashMap::new();
        let sources: Vec<SourceFacts> = model
            .sources
            .iter()
            .map(|s| {
                let stream = *stream_of.entry(Arc::as_ptr(&s.stream)).or_insert_with(|| {
                    streams.push(PacketFacts {
                        size: u64::from(s.stream.size.0),
                        records: s.stream.records,
                        class: s.stream.class,
                    });
                    (streams.len() - 1) as u32
                });
                SourceFacts {
                    node: s.node,
                    dst: s.dst,
                    stream,
                }
            })
            .collect();
        let mut first_source = vec![NO_SOURCE; n];
        let mut inbound_source = vec![NO_SOURCE; n];
        for (i, s) in sources.iter().enumerate() {
            for slot in [
                &mut first_source[s.node.index()],
                &mut inbound_source[s.dst.index()],
            ] {
                if *slot == NO_SOURCE {
                    *slot = i as u32;
                }
            }
        }
        let radio = if radios {
            topo.node_ids()
                .map(|n| ListeningRadio::of(model, n))
                .collect()
        } else {
            Vec::new()
        };
        Network {
            radio,
            layer,
            group,
            cpu,
            link_ends,
            link_energy,
            neighbours,
            sources,
            streams,
            first_source,
            inbound_source,
        }
    }

    /// A node's CPU clock (Hz) and energy per cycle (J).
    #[inline]
    pub fn cpu(&self, node: NodeId) -> (f64, f64) {
        self.cpu.get(node.index())
    }

    /// A link's TX and RX energy per bit (J).
    #[inline]
    pub fn link_energy(&self, link: LinkId) -> (f64, f64) {
        self.link_energy.get(link.index())
    }

    /// The packets of `source`'s stream: size, records and class.
    #[inline]
    pub fn packets(&self, source: SourceId) -> PacketFacts {
        self.streams[self.sources[source.index()].stream as usize]
    }

    /// A node's first source (what an attacker claiming its identity imitates).
    #[inline]
    pub fn first_source(&self, node: NodeId) -> Option<SourceId> {
        source(self.first_source[node.index()])
    }

    /// A source whose destination the node is (a command stream to an actuator).
    #[inline]
    pub fn inbound_source(&self, node: NodeId) -> Option<SourceId> {
        source(self.inbound_source[node.index()])
    }

    /// A node's first link (towards its hub, for a sensor), if it has one.
    pub fn first_link(&self, node: NodeId) -> Option<(LinkId, NodeId)> {
        self.neighbours.get(node.index())?.first().copied()
    }

    /// Whether a node sits at the sensing layer (a sensor or an actuator).
    pub fn is_sensing(&self, node: NodeId) -> bool {
        self.layer.get(node.index()) == Some(&Layer::Sensing)
    }
}

/// Each node's links and the nodes at their other ends, in link order: one array for all
/// nodes (node `i`'s are `ends[start[i]..start[i + 1]]`), where a vector per node cost about
/// 70 bytes of headers and allocation for a sensor's single link.
#[derive(Clone, Debug)]
pub struct Neighbours {
    start: Vec<u32>,
    ends: Vec<(LinkId, NodeId)>,
}

impl Neighbours {
    /// Node `i`'s links and neighbours, `None` past the last node.
    pub fn get(&self, i: usize) -> Option<&[(LinkId, NodeId)]> {
        let from = *self.start.get(i)? as usize;
        let to = *self.start.get(i + 1)? as usize;
        Some(&self.ends[from..to])
    }
}

impl std::ops::Index<usize> for Neighbours {
    type Output = [(LinkId, NodeId)];

    /// Node `i`'s links and neighbours; panics past the last node.
    fn index(&self, i: usize) -> &[(LinkId, NodeId)] {
        self.get(i)
            .unwrap_or_else(|| panic!("node {i} out of {}", self.start.len() - 1))
    }
}
