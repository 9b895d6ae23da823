//! The nodes' queueing stations: `c` servers, a FIFO buffer (finite or not) and a service time
//! drawn from the node's own random stream, as in the queueing models the engine is validated
//! against (M/M/1, M/M/c, Jackson tandems; see the tests).
//!
//! A packet reaching a station takes a free server, or waits in the buffer, or is dropped when
//! the buffer is full. When a service ends, the freed server takes the head of the buffer at
//! once. The time-average number of packets at the stations (waiting or in service) since the
//! warm-up is integrated exactly, for Little's law `L = λW`.
//!
//! Invariants, per station: `busy ≤ servers`; the buffer holds packets only while every server
//! is busy; `arrived` holds the arrival instants of the packets not yet in service, in arrival
//! order (a FIFO station starts service in arrival order), so the head is the next to start;
//! `void` counts services cut short by an outage whose completions are still to come.
//! Over all stations, `occupancy.count` is the number of packets held (waiting or served).

use super::SimError;
use crate::dist::Dist;
use crate::ids::NodeId;
use crate::packet::Packet;
use crate::rng::{self, Stream};
use crate::time::SimTime;
use crate::topology::Topology;
use std::collections::VecDeque;

#[derive(Debug)]
struct Station {
    /// The node it serves.
    node: NodeId,
    busy: u32,
    queue: VecDeque<Packet>,
    /// The arrival instants of the packets waiting, in arrival order.
    arrived: VecDeque<SimTime>,
    /// The stream its service times are drawn from.
    rng: Stream,
    /// Services under way when the node was taken out of the network: their completions are
    /// stale (the packet is lost) and must not free a server that later arrivals hold.
    void: u32,
}

/// `Stations::of_node` of a node without a station.
const NO_STATION: u32 = u32::MAX;

/// Packets a station's buffer has room for before it first grows. A buffer grows (doubling,
/// up to its limit) only when more packets wait than ever before, as the event list does, so
/// a run stops allocating once its queues have been as long as they get. Reserving the whole
/// buffer instead cost its every slot in memory, since a ring buffer's head walks through all
/// of them (a 32-byte packet and its 8-byte arrival instant each): 41 KB per 1,024-packet
/// gateway, about 235 MB for the million-device campus's gateways and fog nodes.
const FIRST_ROOM: usize = 32;

/// Packets at stations, and the time integral of that count since the warm-up
/// (packet·seconds).
#[derive(Debug)]
struct Occupancy {
    count: u64,
    area: f64,
    since: SimTime,
}

impl Occupancy {
    /// Adds `delta` to the count, integrating the old count over time first.
    #[inline]
    fn add(&mut self, now: SimTime, delta: i64) {
        if now > self.since {
            let dt = (now.as_nanos() - self.since.as_nanos()) as f64 * 1e-9;
            self.area += self.count as f64 * dt;
            self.since = now;
        }
        self.count = self.count.saturating_add_signed(delta);
    }
}

/// What became of a packet that reached a station.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Admission {
    /// A server was free: its service starts now.
    Served,
    /// Every server was busy: it waits in the buffer.
    Waiting,
    /// Every server was busy and the buffer full: it is dropped.
    Dropped,
}

/// What the end of a service frees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Completion {
    /// The service was cut short by an outage: its packet is lost, no server is freed.
    Void,
    /// The server is free: nobody was waiting.
    Idle,
    /// The server takes the head of the buffer at once.
    Next(Packet),
}

/// The stations of the nodes that have one (a node without one forwards at once).
///
/// Only those nodes hold a station's state (its buffers and random stream); every node holds
/// a 4-byte index: a large scenario's sensors have no station, and a table of optional
/// stations, streams and arrival queues per node cost them 88 bytes each.
#[derive(Debug)]
pub(super) struct Stations {
    /// Per node, its station's index in `states`, or [`NO_STATION`].
    of_node: Vec<u32>,
    /// The stations, in node order.
    states: Vec<Station>,
    occupancy: Occupancy,
}

impl Stations {
    /// The stations of `topo` for replication `seed`, empty; the time average starts at
    /// `warmup`.
    pub(super) fn new(topo: &Topology, seed: u64, warmup: SimTime) -> Result<Stations, SimError> {
        let mut of_node = Vec::with_capacity(topo.node_count());
        let mut states = Vec::new();
        for id in topo.node_ids() {
            let spec = topo.node(id);
            match &spec.device.station {
                Some(st) if st.servers == 0 => {
                    return Err(SimError::NoServer(spec.name.to_string()));
                }
                Some(st) => {
                    let queue: VecDeque<Packet> = VecDeque::with_capacity(
                        st.buffer
                            .map_or(FIRST_ROOM, |b| (b as usize).min(FIRST_ROOM)),
                    );
                    of_node.push(states.len() as u32);
                    states.push(Station {
                        node: id,
                        busy: 0,
                        void: 0,
                        arrived: VecDeque::with_capacity(queue.capacity()),
                        queue,
                        rng: rng::stream(seed, &format!("node:{}", spec.name)),
                    });
                }
                None => of_node.push(NO_STATION),
            }
        }
        Ok(Stations {
            of_node,
            states,
            occupancy: Occupancy {
                count: 0,
                area: 0.0,
                since: warmup,
            },
        })
    }

    /// Whether a node has a station.
    #[inline]
    pub(super) fn has_station(&self, node: NodeId) -> bool {
        self.of_node[node.index()] != NO_STATION
    }

    /// `node`'s station, if it has one.
    #[inline]
    fn station(&mut self, node: NodeId) -> Option<&mut Station> {
        let i = self.of_node[node.index()];
        self.states.get_mut(i as usize)
    }

    /// The station at node index `node`, if it has one, to read.
    #[inline]
    fn station_at(&self, node: usize) -> Option<&Station> {
        self.states.get(self.of_node[node] as usize)
    }

    /// A packet reaches `node`'s station (of `servers` servers and a buffer of `buffer`
    /// packets, `None`: unbounded) at `now`. Only called for nodes with a station.
    #[inline]
    pub(super) fn admit(
        &mut self,
        now: SimTime,
        node: NodeId,
        servers: u32,
        buffer: Option<u32>,
        packet: Packet,
    ) -> Admission {
        let Some(station) = self.station(node) else {
            return Admission::Dropped;
        };
        let admission = if station.busy < servers {
            station.busy += 1;
            Admission::Served
        } else if buffer.is_none_or(|b| station.queue.len() < b as usize) {
            station.queue.push_back(packet);
            Admission::Waiting
        } else {
            return Admission::Dropped;
        };
        station.arrived.push_back(now);
        self.occupancy.add(now, 1);
        admission
    }

    /// The packet at the head of `node`'s arrivals starts its service at `now`: draws the
    /// service time from `keyed`, the packet's own generator, or else the node's stream; returns it and the packet's whole time at the
    /// station (its wait plus the service).
    #[inline]
    pub(super) fn start_service(
        &mut self,
        now: SimTime,
        node: NodeId,
        service: &Dist,
        keyed: Option<&mut Stream>,
    ) -> (SimTime, SimTime) {
        let station = self
            .station(node)
            .expect("a service starts only at a node with a station");
        // The packet's own generator (`super::draws`) if it has one, else the station's.
        let t = match keyed {
            Some(rng) => service.sample_time(rng),
            None => service.sample_time(&mut station.rng),
        };
        let arrived = station.arrived.pop_front().unwrap_or(now);
        (t, now.saturating_add(t).saturating_sub(arrived))
    }

    /// A service at `node` ends at `now`; `available` says whether the node is in the network.
    /// Only called for nodes with a station.
    #[inline]
    pub(super) fn complete(&mut self, now: SimTime, node: NodeId, available: bool) -> Completion {
        let Some(station) = self.station(node) else {
            return Completion::Void;
        };
        if !available || station.void > 0 {
            station.void = station.void.saturating_sub(1);
            return Completion::Void;
        }
        let next = station.queue.pop_front();
        if next.is_none() {
            station.busy -= 1;
        }
        self.occupancy.add(now, -1);
        next.map_or(Completion::Idle, Completion::Next)
    }

    /// `node` leaves the network at `now` (dead, or out): its services under way become void
    /// (their packets are lost when they end) and its waiting packets are released to the
    /// caller one by one by [`Stations::take_waiting`].
    pub(super) fn shut(&mut self, now: SimTime, node: NodeId) {
        if let Some(station) = self.station(node) {
            station.arrived.clear();
            let held = u64::from(station.busy) + station.queue.len() as u64;
            station.void += station.busy;
            station.busy = 0;
            self.occupancy.add(now, -(held as i64));
        }
    }

    /// The next packet waiting at `node`, taken out of its buffer (the buffer keeps its
    /// memory).
    #[inline]
    pub(super) fn take_waiting(&mut self, node: NodeId) -> Option<Packet> {
        self.station(node)?.queue.pop_front()
    }

    /// Packets held by every station now, waiting or in service. O(1).
    pub(super) fn held(&self) -> u64 {
        self.occupancy.count
    }

    /// The station with the most packets waiting (not in service), and how many; `None` if no
    /// node has a station. Ties go to the lowest node id. O(nodes).
    pub(super) fn longest_queue(&self) -> Option<(NodeId, usize)> {
        self.states
            .iter()
            .map(|st| (st.node, st.queue.len()))
            .max_by_key(|&(n, len)| (len, std::cmp::Reverse(n.0)))
    }

    /// Packets waiting at `node`'s station (`None` without a station).
    #[inline]
    pub(super) fn waiting(&self, node: usize) -> Option<usize> {
        self.station_at(node).map(|st| st.queue.len())
    }

    /// Packets waiting at the stations of the nodes for which `alive` holds.
    pub(super) fn waiting_at(&self, alive: &[bool]) -> u64 {
        self.states
            .iter()
            .filter(|st| alive.get(st.node.index()).copied().unwrap_or(false))
            .map(|st| st.queue.len() as u64)
            .sum()
    }

    /// The warm-up ends at `now`: the time average restarts.
    pub(super) fn end_warmup(&mut self, now: SimTime) {
        self.occupancy.area = 0.0;
        self.occupancy.since = now;
    }

    /// The time-average number of packets at the stations from the warm-up to `end`, a span
    /// of `window` seconds.
    pub(super) fn mean_occupancy(&mut self, end: SimTime, window: f64) -> f64 {
        self.occupancy.add(end, 0);
        self.occupancy.area / window
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::Dist;
    use crate::ids::SourceId;
    use crate::packet::{Origin, PacketKind};
    use crate::topology::{DeviceSpec, Layer, NodeClass, NodeSpec, StationSpec};
    use crate::traffic::TrafficClass;
    use crate::units::{Bytes, Hertz, Joules, Watts};

    /// One node with a one-server station and a one-packet buffer.
    fn one_station() -> Stations {
        let mut topo = Topology::new();
        topo.add_node(NodeSpec::new(
            "hub".into(),
            NodeClass {
                group: "hub".into(),
                layer: Layer::Network,
                device: DeviceSpec {
                    station: Some(StationSpec {
                        servers: 1,
                        service: Dist::constant(1.0).unwrap(),
                        buffer: Some(1),
                    }),
                    battery: None,
                    sleep_power: Watts(0.0),
                    cpu_hz: Hertz(1e6),
                    energy_per_cycle: Joules(0.0),
                }
                .into(),
            },
        ));
        Stations::new(&topo, 1, SimTime::ZERO).unwrap()
    }

    fn packet(created_s: u64) -> Packet {
        Packet {
            created: SimTime::from_secs(created_s),
            source: SourceId(0).into(),
            dst: NodeId(0),
            size: Bytes(10),
            records: 1,
            class: TrafficClass::Routine,
            kind: PacketKind::Data,
            origin: Origin::Genuine,
            seq: 0,
        }
    }

    #[test]
    fn a_full_station_queues_then_drops_and_a_freed_server_takes_the_head() {
        let mut st = one_station();
        let (hub, t0) = (NodeId(0), SimTime::ZERO);
        assert_eq!(st.admit(t0, hub, 1, Some(1), packet(0)), Admission::Served);
        assert_eq!(st.admit(t0, hub, 1, Some(1), packet(1)), Admission::Waiting);
        assert_eq!(st.admit(t0, hub, 1, Some(1), packet(2)), Admission::Dropped);
        assert_eq!(st.waiting(0), Some(1));
        let service = Dist::constant(1.0).unwrap();
        // The first starts at once: its time at the station is its service alone.
        assert_eq!(
            st.start_service(t0, hub, &service, None),
            (SimTime::from_secs(1), SimTime::from_secs(1))
        );
        let t1 = SimTime::from_secs(1);
        assert_eq!(st.complete(t1, hub, true), Completion::Next(packet(1)));
        // The second waited 1 s, then is served for 1 s.
        assert_eq!(
            st.start_service(t1, hub, &service, None),
            (SimTime::from_secs(1), SimTime::from_secs(2))
        );
        assert_eq!(
            st.complete(SimTime::from_secs(2), hub, true),
            Completion::Idle
        );
        // Two packets held (one served, one waiting) for 1 s, then one for 1 s, out of 4 s.
        assert_eq!(st.mean_occupancy(SimTime::from_secs(4), 4.0), 0.75);
    }

    #[test]
    fn a_service_cut_short_frees_no_server_when_it_ends() {
        let mut st = one_station();
        let hub = NodeId(0);
        st.admit(SimTime::ZERO, hub, 1, Some(1), packet(0));
        st.admit(SimTime::ZERO, hub, 1, Some(1), packet(1));
        st.shut(SimTime::from_secs(1), hub);
        assert_eq!(st.take_waiting(hub), Some(packet(1)));
        assert_eq!(st.take_waiting(hub), None);
        // Back in the network: a new packet takes the server the void service held.
        let back = SimTime::from_secs(2);
        assert_eq!(
            st.admit(back, hub, 1, Some(1), packet(2)),
            Admission::Served
        );
        assert_eq!(
            st.admit(back, hub, 1, Some(1), packet(3)),
            Admission::Waiting
        );
        // The stale completion is void and frees nothing: the next packet still waits.
        assert_eq!(st.complete(back, hub, true), Completion::Void);
        assert_eq!(st.waiting(0), Some(1));
        assert_eq!(st.waiting_at(&[true]), 1);
        assert_eq!(st.waiting_at(&[false]), 0);
    }
}
