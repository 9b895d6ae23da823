//! Where packets spend their time: the latency of each path segment, one per link group and
//! one per group of station nodes, ordered along the routes.
//!
//! A link segment runs from the sender handing the packet to the link (encryption,
//! transmitter queue, serialisation, propagation) to its arrival, decryption included; a
//! station segment from the packet's arrival at the node to the end of its service. Along a
//! route the segments follow one another without gap or overlap, so their mean latencies add
//! up to the end-to-end mean (checked in the tests).
//!
//! Invariant: `of_link.get(l)` and `of_station.get(n)` index `list` (`u32::MAX` for a node
//! without a station); only packets of the measured window are recorded.

use super::Model;
use crate::ids::{LinkId, NodeId};
use crate::metrics::{LatencyStats, LatencyTally, Segment, SegmentKind};
use crate::routing::Routes;
use crate::time::SimTime;
use crate::topology::Layer;
use crate::traffic::Arrivals;

/// The segments of a run and the segment of every link and station.
#[derive(Debug)]
pub(super) struct Segments {
    list: Vec<Segment>,
    /// What each segment of `list` recorded, put into its `latency` at the close.
    tallies: Vec<LatencyTally>,
    /// The segment of each link and of each node's station: indices into `list` (`u32::MAX`:
    /// the node has no station).
    of_link: Runs,
    of_station: Runs,
}

impl Segments {
    /// The segments of `model`, placed along `routes`.
    pub(super) fn new(model: &Model, routes: &Routes) -> Segments {
        let (list, of_link, of_station) = build(model, routes);
        Segments {
            tallies: vec![LatencyTally::default(); list.len()],
            list,
            of_link: Runs::of(&of_link),
            of_station: Runs::of(&of_station),
        }
    }

    /// Records the time a packet spent at `node`'s station, if it is measured.
    #[inline]
    pub(super) fn record_station(&mut self, node: NodeId, measured: bool, sojourn: SimTime) {
        self.record(self.of_station.get(node.index()), measured, sojourn);
    }

    /// Records the time a packet handed to `link` takes to arrive, if it is measured.
    #[inline]
    pub(super) fn record_link(&mut self, link: LinkId, measured: bool, latency: SimTime) {
        self.record(self.of_link.get(link.index()), measured, latency);
    }

    #[inline]
    fn record(&mut self, segment: u32, measured: bool, latency: SimTime) {
        if measured && let Some(t) = self.tallies.get_mut(segment as usize) {
            t.record(latency);
        }
    }

    /// The segments in route order (unreached ones last).
    pub(super) fn into_ordered(self) -> Vec<Segment> {
        let mut list = self.list;
        for (s, t) in list.iter_mut().zip(self.tallies) {
            s.latency = t.into_stats();
        }
        list.sort_by_key(|s| s.position);
        list
    }
}

/// A table of `u32`s by index, kept as its runs of equal values: the start of each run and its
/// value. The links of a link group are numbered together, and so are the nodes of a group, so a
/// million-device campus's segment tables are a run or two per group, looked up in a binary search
/// among starts that stay in the cache, where a table of one entry per link was a cache miss at
/// every hop (4 MB, read at random, BENCHMARKS.md, fourteenth round).
///
/// Invariant: `starts` is increasing, begins at 0 unless the table is empty, and no two
/// consecutive runs have the same value; `values[k]` is the value from `starts[k]` up to the next
/// start, or to `len` for the last run.
#[derive(Debug)]
struct Runs {
    starts: Vec<u32>,
    values: Vec<u32>,
    len: usize,
}

impl Runs {
    /// The runs of `table` (whose indices fit in a `u32`: link and node ids do).
    fn of(table: &[u32]) -> Runs {
        let (mut starts, mut values) = (Vec::new(), Vec::new());
        for (i, &v) in table.iter().enumerate() {
            if values.last() != Some(&v) {
                starts.push(i as u32);
                values.push(v);
            }
        }
        Runs {
            starts,
            values,
            len: table.len(),
        }
    }

    /// The value at index `i < len`.
    #[inline]
    fn get(&self, i: usize) -> u32 {
        debug_assert!(i < self.len, "segment table: index {i} of {}", self.len);
        let run = self.starts.partition_point(|&s| s as usize <= i);
        run.checked_sub(1).map_or(u32::MAX, |k| self.values[k])
    }
}

/// The path segments whose latency is recorded: one per link group (in link order) and one per
/// group of station nodes (in node order), ranked along the routes: a station at the k-th node
/// of a route is at 2k, the link after it at 2k + 1, and a segment's place is the mean of its
/// positions over the routes that cross it, each weighted by the packets per second sent along
/// it (so that a rare downlink command does not reverse the order of the uplink). Returns the
/// segments and the segment index of every link and every node.
fn build(model: &Model, routes: &Routes) -> (Vec<Segment>, Vec<u32>, Vec<u32>) {
    let topo = &model.topology;
    let mut segments: Vec<Segment> = Vec::new();
    let mut find = |name: &str, kind: SegmentKind, layer: Layer| -> u32 {
        let at = segments
            .iter()
            .position(|s| s.kind == kind && s.name == name)
            .unwrap_or_else(|| {
                segments.push(Segment {
                    name: name.to_string(),
                    kind,
                    layer,
                    position: u32::MAX,
                    latency: LatencyStats::default(),
                });
                segments.len() - 1
            });
        segments[at].layer = segments[at].layer.min(layer);
        at as u32
    };
    let link_segment: Vec<u32> = topo
        .link_ids()
        .map(|l| {
            let (a, b) = topo.endpoints(l);
            let layer = topo.node(a).layer.min(topo.node(b).layer);
            find(&topo.link(l).group, SegmentKind::Link, layer)
        })
        .collect();
    let station_segment: Vec<u32> = topo
        .node_ids()
        .map(|id| {
            let spec = topo.node(id);
            if spec.device.station.is_some() {
                find(&spec.group, SegmentKind::Station, spec.layer)
            } else {
                u32::MAX
            }
        })
        .collect();
    // Each (source node, destination) route once, weighted by the packets per second sent
    // along it; a segment's place is its rate-weighted mean position on the routes crossing it.
    let mut routes_used: std::collections::BTreeMap<(NodeId, NodeId), f64> =
        std::collections::BTreeMap::new();
    for s in &model.sources {
        let rate = match &s.stream.arrivals {
            Arrivals::Periodic { period, .. } => 1.0 / period.as_secs_f64().max(1e-12),
            Arrivals::Poisson { rate_per_s } => *rate_per_s,
        };
        *routes_used.entry((s.node, s.dst)).or_insert(0.0) += rate.max(0.0);
    }
    let mut weighted = vec![(0.0f64, 0.0f64); segments.len()];
    for (&(from, dst), &rate) in &routes_used {
        let Some(path) = routes.path(from, dst) else {
            continue;
        };
        // A source that sends nothing still places what its route crosses.
        let w = rate.max(1e-12);
        for (k, &node) in path.iter().enumerate() {
            let mut place = |seg: u32, pos: usize| {
                if let Some(acc) = weighted.get_mut(seg as usize) {
                    acc.0 += w * pos as f64;
                    acc.1 += w;
                }
            };
            place(station_segment[node.index()], 2 * k);
            if let Some(hop) = routes.next_hop(node, dst).filter(|_| node != dst) {
                place(link_segment[hop.link.index()], 2 * k + 1);
            }
        }
    }
    // Rank by mean position (unreached segments last), then layer, kind and name.
    let mut order: Vec<usize> = (0..segments.len()).collect();
    let mean = |i: usize| {
        let (sum, w) = weighted[i];
        if w > 0.0 { sum / w } else { f64::INFINITY }
    };
    order.sort_by(|&a, &b| {
        mean(a)
            .total_cmp(&mean(b))
            .then(segments[a].layer.cmp(&segments[b].layer))
            .then(segments[a].kind.cmp(&segments[b].kind))
            .then(segments[a].name.cmp(&segments[b].name))
    });
    for (rank, &i) in order.iter().enumerate() {
        if weighted[i].1 > 0.0 {
            segments[i].position = rank as u32;
        }
    }
    (segments, link_segment, station_segment)
}

#[cfg(test)]
mod tests {
    use super::Runs;
    use proptest::prelude::*;

    proptest! {
        /// Every index gives its table's value, from tables of a few long runs (as a model's
        /// groups make) to tables with a new value at every index.
        #[test]
        fn runs_give_back_every_value_of_their_table(
            runs in prop::collection::vec((0u32..4, 1usize..50), 0..20)
        ) {
            let table: Vec<u32> = runs
                .iter()
                .flat_map(|&(v, n)| std::iter::repeat_n(if v == 3 { u32::MAX } else { v }, n))
                .collect();
            let r = Runs::of(&table);
            for (i, &v) in table.iter().enumerate() {
                prop_assert_eq!(r.get(i), v, "index {}", i);
            }
            prop_assert!(r.starts.len() <= runs.len());
            prop_assert!(r.values.windows(2).all(|w| w[0] != w[1]));
        }
    }

    #[test]
    fn a_group_numbered_together_is_one_run() {
        let table = [7, 7, 7, u32::MAX, u32::MAX, 2, 2, 7];
        let r = Runs::of(&table);
        assert_eq!(r.starts, [0, 3, 5, 7]);
        assert_eq!(r.values, [7, u32::MAX, 2, 7]);
        assert_eq!((0..8).map(|i| r.get(i)).collect::<Vec<_>>(), table);
    }
}
