//! The books of a run: packets generated, delivered and lost (by cause), end-to-end latency
//! (overall and per traffic class), deadline misses, acknowledged commands and their round
//! trips, and the extra traffic (forged, replayed, flood, cover) counted apart from the
//! deployment's own.
//!
//! Two sets of books are kept. `all` counts every packet from time zero, extra traffic and
//! acknowledgements included: with the packets still in the network it satisfies
//! `generated = delivered + lost + in flight` at every instant. `measured` counts the packets
//! created at or after the warm-up, by kind: the deployment's own data (whose latency,
//! losses and deadline misses are reported), acknowledgements, and extra traffic.
//!
//! A lost packet of a source with a deadline is a deadline miss too: it never arrived in time.

use super::Model;
use crate::hooks::Scalar;
use crate::metrics::{LatencyStats, class_index};
use crate::packet::{Packet, PacketKind};
use crate::time::SimTime;
use crate::traffic::TrafficClass;

/// Why a packet was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Loss {
    /// Dropped at a full station buffer.
    Buffer,
    /// Lost by a link's channel.
    Link,
    /// At or bound for a node whose battery emptied.
    DeadNode,
    /// No route to its destination.
    NoRoute,
    /// Jammed or withheld by an attacker.
    Attack,
    /// Discarded by a receiver's security check.
    Rejected,
    /// Reached a node taken out of the network (isolated, encrypted by ransomware).
    Unavailable,
}

/// Packets generated, delivered and lost.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Counters {
    pub(super) generated: u64,
    pub(super) delivered: u64,
    pub(super) lost: u64,
}

/// The measured window's books.
#[derive(Debug, Default)]
struct Measured {
    counts: Counters,
    /// Arrivals at stations, and those that found every server busy (they waited or were dropped).
    station_arrivals: u64,
    station_waits: u64,
    lost_buffer: u64,
    lost_link: u64,
    lost_dead_node: u64,
    lost_no_route: u64,
    lost_attack: u64,
    lost_rejected: u64,
    lost_unavailable: u64,
    deadline_misses: u64,
    acks_delivered: u64,
    acks_lost: u64,
    /// Extra traffic (forged, replayed, flood, cover): injected, delivered and accepted,
    /// rejected at the destination, lost on the way.
    extra_injected: u64,
    extra_accepted: u64,
    extra_rejected: u64,
    extra_lost: u64,
}

/// What a delivered packet was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Delivered {
    /// Extra traffic, counted apart.
    Extra,
    /// An acknowledgement, its round trip recorded.
    Ack,
    /// The deployment's own data, its latency recorded if it is measured.
    Data,
}

/// The run's books.
#[derive(Debug)]
pub(super) struct Accounting {
    warmup: SimTime,
    /// Per source, its deadline.
    deadlines: Vec<Option<SimTime>>,
    all: Counters,
    measured: Measured,
    latency: LatencyStats,
    latency_by_class: [LatencyStats; 2],
    /// Command round trips: creation of an acknowledged packet to delivery of its ack.
    command_rtt: LatencyStats,
}

impl Accounting {
    /// Empty books for `model`.
    pub(super) fn new(model: &Model) -> Accounting {
        Accounting {
            warmup: model.config.warmup,
            deadlines: model.sources.iter().map(|s| s.deadline).collect(),
            all: Counters::default(),
            measured: Measured::default(),
            latency: LatencyStats::default(),
            latency_by_class: Default::default(),
            command_rtt: LatencyStats::default(),
        }
    }

    /// Every packet so far, warm-up and extra traffic included.
    #[inline]
    pub(super) fn all(&self) -> Counters {
        self.all
    }

    /// A source emitted a packet at `now`.
    #[inline]
    pub(super) fn generated(&mut self, now: SimTime) {
        self.all.generated += 1;
        if now >= self.warmup {
            self.measured.counts.generated += 1;
        }
    }

    /// A destination made an acknowledgement.
    #[inline]
    pub(super) fn ack_generated(&mut self) {
        self.all.generated += 1;
    }

    /// The security layer injected `packet`; returns `false` if it may not (the deployment's
    /// own traffic comes from its sources only): the caller then loses it as rejected.
    #[inline]
    pub(super) fn injected(&mut self, packet: &Packet) -> bool {
        self.all.generated += 1;
        if packet.origin.is_own_traffic() {
            return false;
        }
        if packet.created >= self.warmup {
            self.measured.extra_injected += 1;
        }
        true
    }

    /// A packet created at `created` reached a station and `waited` (every server busy).
    #[inline]
    pub(super) fn station_arrival(&mut self, created: SimTime, waited: bool) {
        if created >= self.warmup {
            self.measured.station_arrivals += 1;
            self.measured.station_waits += u64::from(waited);
        }
    }

    /// A packet was delivered to and accepted by its destination at `now`.
    #[inline]
    pub(super) fn delivered(&mut self, now: SimTime, packet: &Packet) -> Delivered {
        self.all.delivered += 1;
        let measured = packet.created >= self.warmup;
        if !packet.origin.is_own_traffic() {
            if measured {
                self.measured.extra_accepted += 1;
            }
            return Delivered::Extra;
        }
        if packet.kind == PacketKind::Ack {
            if measured {
                self.measured.acks_delivered += 1;
                self.command_rtt.record(now.saturating_sub(packet.created));
            }
            return Delivered::Ack;
        }
        Delivered::Data
    }

    /// Records the latency of a measured data packet delivered at `now`.
    #[inline]
    pub(super) fn record_latency(&mut self, now: SimTime, packet: &Packet) {
        self.measured.counts.delivered += 1;
        let latency = now.saturating_sub(packet.created);
        self.latency.record(latency);
        self.latency_by_class[class_index(packet.class)].record(latency);
        if let Some(deadline) = self.deadlines[packet.source.index()]
            && latency > deadline
        {
            self.measured.deadline_misses += 1;
        }
    }

    /// A packet was lost for `cause`.
    pub(super) fn lost(&mut self, packet: &Packet, cause: Loss) {
        self.all.lost += 1;
        if packet.created < self.warmup {
            return;
        }
        let m = &mut self.measured;
        if !packet.origin.is_own_traffic() {
            match cause {
                Loss::Rejected => m.extra_rejected += 1,
                _ => m.extra_lost += 1,
            }
            return;
        }
        if packet.kind == PacketKind::Ack {
            m.acks_lost += 1;
            return;
        }
        m.counts.lost += 1;
        match cause {
            Loss::Buffer => m.lost_buffer += 1,
            Loss::Link => m.lost_link += 1,
            Loss::DeadNode => m.lost_dead_node += 1,
            Loss::NoRoute => m.lost_no_route += 1,
            Loss::Attack => m.lost_attack += 1,
            Loss::Rejected => m.lost_rejected += 1,
            Loss::Unavailable => m.lost_unavailable += 1,
        }
        if self.deadlines[packet.source.index()].is_some() {
            m.deadline_misses += 1;
        }
    }

    /// The latency of the alarm class (`alarm_latency_ms`).
    pub(super) fn alarm_latency(&self) -> &LatencyStats {
        &self.latency_by_class[class_index(TrafficClass::Alarm)]
    }

    /// The traffic's scalars, in output order: counts, losses by cause, latencies, deadline
    /// misses, commands, and the share of station arrivals that waited.
    pub(super) fn traffic_scalars(&self) -> [Scalar; 18] {
        let m = &self.measured;
        let settled = m.counts.delivered + m.counts.lost;
        [
            ("generated", Some(m.counts.generated as f64)),
            ("delivered", Some(m.counts.delivered as f64)),
            ("lost", Some(m.counts.lost as f64)),
            (
                "delivery_ratio",
                (settled > 0).then(|| m.counts.delivered as f64 / settled as f64),
            ),
            ("lost_buffer", Some(m.lost_buffer as f64)),
            ("lost_link", Some(m.lost_link as f64)),
            ("lost_dead_node", Some(m.lost_dead_node as f64)),
            ("lost_no_route", Some(m.lost_no_route as f64)),
            ("lost_attack", Some(m.lost_attack as f64)),
            ("lost_rejected", Some(m.lost_rejected as f64)),
            ("lost_unavailable", Some(m.lost_unavailable as f64)),
            ("latency_ms", self.latency.mean_ms()),
            ("alarm_latency_ms", self.alarm_latency().mean_ms()),
            ("deadline_misses", Some(m.deadline_misses as f64)),
            ("commands_acked", Some(m.acks_delivered as f64)),
            ("acks_lost", Some(m.acks_lost as f64)),
            ("command_rtt_ms", self.command_rtt.mean_ms()),
            (
                "station_wait_fraction",
                (m.station_arrivals > 0)
                    .then(|| m.station_waits as f64 / m.station_arrivals as f64),
            ),
        ]
    }

    /// The extra traffic's scalars, in output order.
    pub(super) fn extra_scalars(&self) -> [Scalar; 4] {
        let m = &self.measured;
        [
            ("extra_packets_injected", Some(m.extra_injected as f64)),
            ("extra_packets_accepted", Some(m.extra_accepted as f64)),
            ("extra_packets_rejected", Some(m.extra_rejected as f64)),
            ("extra_packets_lost", Some(m.extra_lost as f64)),
        ]
    }

    /// The latency histograms: end to end, of the alarm class, and per class.
    pub(super) fn into_latencies(self) -> (LatencyStats, LatencyStats, [LatencyStats; 2]) {
        // The alarm class's own histogram, recorded once and reported under both names.
        let alarm = self.alarm_latency().clone();
        (self.latency, alarm, self.latency_by_class)
    }
}
