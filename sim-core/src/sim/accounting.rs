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
//!
//! Alarms are followed per source too, for each patient's figures: an alarm-class packet of
//! the measured window delivered after its source's deadline is *late*, one lost on the way
//! is *missed* (never delivered). Alarms still in flight at the end count in neither.

use super::Model;
use super::tracked::Tracked;
use crate::hooks::Scalar;
use crate::ids::SourceId;
use crate::metrics::{LatencyStats, LatencyTally, class_index};
use crate::packet::{Packet, PacketKind};
use crate::time::SimTime;
use crate::traffic::{SourceSpec, TrafficClass};

/// Why a packet was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Loss {
    /// Dropped at a full station buffer.
    Buffer,
    /// Lost by a fixed-loss link's channel (its loss probability).
    Link,
    /// Lost on a radio link's channel: below the receiver's sensitivity, no preamble lock, the
    /// receiver busy or sending, or a chunk error at the frame's SINR (interference, jammers).
    Radio,
    /// A MAC could not get the channel: too many busy clear-channel assessments.
    ChannelAccess,
    /// A MAC gave up after its retries (or a BLE connection dropped at its supervision
    /// timeout).
    Retries,
    /// At or bound for a node whose battery emptied.
    DeadNode,
    /// No route to its destination.
    NoRoute,
    /// Lost as the hooks decided: sent but never arrived ([`Fate::Jammed`]) or not sent at
    /// all ([`Fate::Withheld`]). Counted as `lost_attack`, the published name of the column
    /// (the crate docs, "What the engine keeps of the security layer's words").
    ///
    /// [`Fate::Jammed`]: crate::hooks::Fate::Jammed
    /// [`Fate::Withheld`]: crate::hooks::Fate::Withheld
    Hooks,
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
    lost_radio: u64,
    lost_channel_access: u64,
    lost_retries: u64,
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
pub(super) struct Accounting<'m> {
    warmup: SimTime,
    /// The model's sources, whose streams hold their deadlines.
    sources: &'m [SourceSpec],
    all: Counters,
    measured: Measured,
    /// End to end: the exact sum and count while the run goes; its histogram, the sum of
    /// the classes', made at the close (each latency goes into one histogram, not two).
    latency: LatencyStats,
    latency_by_class: [LatencyTally; 2],
    /// Command round trips: creation of an acknowledged packet to delivery of its ack.
    command_rtt: LatencyTally,
    /// The sources of the alarm class ([`Tracked`]).
    alarm_sources: Tracked<()>,
    /// Per alarm source, its alarms delivered after the deadline and its alarms lost.
    alarms: Vec<AlarmOutcomes>,
    /// Where an alarm of a source not of the alarm class would count: none does.
    unattributed: AlarmOutcomes,
}

/// What became of one source's alarms in the measured window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct AlarmOutcomes {
    /// Delivered after the source's deadline.
    pub(super) late: u64,
    /// Lost on the way: never delivered.
    pub(super) missed: u64,
}

impl<'m> Accounting<'m> {
    /// Empty books for `model`.
    pub(super) fn new(model: &'m Model) -> Accounting<'m> {
        let alarm_sources = Tracked::new(
            model
                .sources
                .iter()
                .map(|s| (s.stream.class == TrafficClass::Alarm).then_some(())),
        );
        Accounting {
            warmup: model.config.warmup,
            sources: &model.sources,
            all: Counters::default(),
            measured: Measured::default(),
            latency: LatencyStats::default(),
            latency_by_class: Default::default(),
            command_rtt: LatencyTally::default(),
            alarms: vec![AlarmOutcomes::default(); alarm_sources.tracked()],
            alarm_sources,
            unattributed: AlarmOutcomes::default(),
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
        self.latency.record_mean_only(latency);
        self.latency_by_class[class_index(packet.class)].record(latency);
        if let Some(deadline) = deadline(self.sources, packet)
            && latency > deadline
        {
            self.measured.deadline_misses += 1;
            if let (TrafficClass::Alarm, Some(s)) = (packet.class, packet.source.source()) {
                self.alarm(s).late += 1;
            }
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
            Loss::Radio => m.lost_radio += 1,
            Loss::ChannelAccess => m.lost_channel_access += 1,
            Loss::Retries => m.lost_retries += 1,
            Loss::DeadNode => m.lost_dead_node += 1,
            Loss::NoRoute => m.lost_no_route += 1,
            Loss::Hooks => m.lost_attack += 1,
            Loss::Rejected => m.lost_rejected += 1,
            Loss::Unavailable => m.lost_unavailable += 1,
        }
        if deadline(self.sources, packet).is_some() {
            m.deadline_misses += 1;
        }
        if let (TrafficClass::Alarm, Some(s)) = (packet.class, packet.source.source()) {
            self.alarm(s).missed += 1;
        }
    }

    /// What became of source `s`'s alarms in the measured window.
    pub(super) fn alarms_of(&self, s: usize) -> AlarmOutcomes {
        self.alarm_sources
            .slot(s)
            .map_or_else(AlarmOutcomes::default, |k| self.alarms[k])
    }

    /// The outcomes of alarm source `s`. A packet of the alarm class is sent by a source of
    /// the alarm class (it takes its stream's class) or by none; a scratch entry otherwise.
    #[inline]
    fn alarm(&mut self, s: SourceId) -> &mut AlarmOutcomes {
        match self.alarm_sources.slot(s.index()) {
            Some(k) => &mut self.alarms[k],
            None => &mut self.unattributed,
        }
    }

    /// Alarms delivered late and alarms missed, over every source.
    pub(super) fn alarm_scalars(&self) -> [Scalar; 2] {
        let (late, missed) = self
            .alarms
            .iter()
            .chain([&self.unattributed])
            .fold((0, 0), |(l, m), a| (l + a.late, m + a.missed));
        [
            ("alarms_late", Some(late as f64)),
            ("alarms_missed", Some(missed as f64)),
        ]
    }

    /// The latency of the alarm class (`alarm_latency_ms`).
    pub(super) fn alarm_latency(&self) -> &LatencyTally {
        &self.latency_by_class[class_index(TrafficClass::Alarm)]
    }

    /// The traffic's scalars, in output order: counts, losses by cause, latencies, deadline
    /// misses, commands, and the share of station arrivals that waited.
    pub(super) fn traffic_scalars(&self) -> [Scalar; 19] {
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
            ("lost_radio", Some(m.lost_radio as f64)),
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

    /// The medium access's losses, in output order (reported when some link has a MAC).
    pub(super) fn mac_scalars(&self) -> [Scalar; 2] {
        let m = &self.measured;
        [
            ("lost_channel_access", Some(m.lost_channel_access as f64)),
            ("lost_retries", Some(m.lost_retries as f64)),
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
        let by_class = self.latency_by_class.map(LatencyTally::into_stats);
        // The alarm class's own histogram, recorded once and reported under both names.
        let alarm = by_class[class_index(TrafficClass::Alarm)].clone();
        let mut latency = self.latency;
        for class in &by_class {
            latency.add_histogram(class);
        }
        (latency, alarm, by_class)
    }
}

/// The deadline of the packet's source among `sources`, if it is from a source that has one.
#[inline]
fn deadline(sources: &[SourceSpec], packet: &Packet) -> Option<SimTime> {
    packet
        .source
        .source()
        .and_then(|s| sources[s.index()].stream.deadline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{NodeId, SourceId};
    use crate::packet::{InjectTag, Origin};
    use crate::sim::RunConfig;
    use crate::topology::Topology;
    use crate::traffic::{Arrivals, StreamSpec};
    use crate::units::Bytes;

    /// A model of one source with a 100 ms deadline, a 10 s warm-up.
    fn one_source() -> Model {
        Model {
            topology: Topology::new(),
            sources: vec![SourceSpec {
                name: "vitals".into(),
                node: NodeId(0),
                dst: NodeId(1),
                stream: StreamSpec {
                    arrivals: Arrivals::Poisson { rate_per_s: 1.0 },
                    size: Bytes(10),
                    records: 1,
                    class: TrafficClass::Alarm,
                    deadline: Some(SimTime::from_millis(100)),
                    ack: None,
                }
                .into(),
                patient: None,
            }],
            config: RunConfig {
                duration: SimTime::from_secs(100),
                warmup: SimTime::from_secs(10),
                time_grid: None,
            },
        }
    }

    fn packet(created_s: u64, origin: Origin, kind: PacketKind) -> Packet {
        Packet {
            created: SimTime::from_secs(created_s),
            source: SourceId(0).into(),
            dst: NodeId(1),
            size: Bytes(10),
            records: 1,
            class: TrafficClass::Alarm,
            kind,
            origin,
            seq: 0,
        }
    }

    fn scalar(books: &Accounting, name: &str) -> Option<f64> {
        books
            .traffic_scalars()
            .into_iter()
            .chain(books.extra_scalars())
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v)
    }

    #[test]
    fn own_data_extra_traffic_and_acks_are_booked_apart() {
        let model = one_source();
        let mut b = Accounting::new(&model);
        let data = |t| packet(t, Origin::Genuine, PacketKind::Data);
        // Before the warm-up: counted in `all` only.
        b.generated(SimTime::from_secs(5));
        b.lost(&data(5), Loss::Link);
        // Measured: one late delivery, one in time, one lost, all with a deadline.
        for _ in 0..3 {
            b.generated(SimTime::from_secs(20));
        }
        let at = |ms: u64| SimTime::from_millis(20_000 + ms);
        assert_eq!(b.delivered(at(150), &data(20)), Delivered::Data);
        b.record_latency(at(150), &data(20));
        assert_eq!(b.delivered(at(50), &data(20)), Delivered::Data);
        b.record_latency(at(50), &data(20));
        b.lost(&data(20), Loss::Buffer);
        // Extra traffic and an ack.
        let flood = packet(30, Origin::Injected(InjectTag(2)), PacketKind::Data);
        assert!(b.injected(&flood));
        assert!(!b.injected(&data(30)), "own traffic is not injected");
        assert_eq!(b.delivered(at(10), &flood), Delivered::Extra);
        b.lost(&flood, Loss::Rejected);
        b.ack_generated();
        let ack = packet(20, Origin::Genuine, PacketKind::Ack);
        assert_eq!(b.delivered(at(20), &ack), Delivered::Ack);

        let all = b.all();
        assert_eq!((all.generated, all.delivered, all.lost), (7, 4, 3));
        assert_eq!(scalar(&b, "generated"), Some(3.0));
        assert_eq!(scalar(&b, "delivered"), Some(2.0));
        assert_eq!(scalar(&b, "lost_buffer"), Some(1.0));
        assert_eq!(scalar(&b, "lost_link"), Some(0.0));
        // The late one and the lost one missed the deadline.
        assert_eq!(scalar(&b, "deadline_misses"), Some(2.0));
        // They are alarms: one late, one missed; the one lost in the warm-up does not count.
        assert_eq!(
            b.alarm_scalars(),
            [("alarms_late", Some(1.0)), ("alarms_missed", Some(1.0))]
        );
        assert_eq!(scalar(&b, "latency_ms"), Some(100.0));
        assert_eq!(scalar(&b, "alarm_latency_ms"), Some(100.0));
        assert_eq!(scalar(&b, "command_rtt_ms"), Some(20.0));
        assert_eq!(scalar(&b, "commands_acked"), Some(1.0));
        assert_eq!(scalar(&b, "extra_packets_injected"), Some(1.0));
        assert_eq!(scalar(&b, "extra_packets_accepted"), Some(1.0));
        assert_eq!(scalar(&b, "extra_packets_rejected"), Some(1.0));
        let (latency, alarm, by_class) = b.into_latencies();
        assert_eq!(latency.count, 2);
        // The end-to-end histogram holds both deliveries: 50 and 150 ms.
        assert_eq!(latency.histogram.len(), 2);
        assert_eq!(latency.quantile_ms(0.0).map(f64::round), Some(50.0));
        assert_eq!(latency.quantile_ms(1.0).map(f64::round), Some(150.0));
        assert_eq!(alarm.histogram, by_class[1].histogram);
        assert_eq!(by_class[0].count, 0);
    }
}
