//! `flood`: Bots at the `from` group send Poisson attack traffic to the targeted nodes through the
//! same links and queues as real traffic; rate limiting at the target drops what exceeds its
//! per-sender rate.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Flood,
    name: "flood",
    layer: Layers::NETWORK,
    stride: "Denial of service",
    attack_id: "Enterprise T1498 Network Denial of Service",
    precondition: Precondition::Network,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::NodesFrom,
    makes: Some(Origin::Flood),
    moves: "lost_buffer, latency_ms, deadline_misses, monitoring_hours_lost",
    about: "Bots at the `from` group send Poisson attack traffic to the targeted nodes through the same links and queues as real traffic; rate limiting at the target drops what exceeds its per-sender rate.",
    params: &params(
        1000.0,
        "1000/s",
        "§D: CICIoMT2024 DoS/DDoS classes (Dadkhah 2024); rate [U]",
    ),
};

/// A flood's parameters, with its own default rate (packets per second over all bots, as
/// number and text, and the rate's source): the rate, the size of one attack packet
/// (512 B [U]) and the retry delay of blocked bots.
pub(super) const fn params(
    rate: f64,
    rate_text: &'static str,
    rate_source: &'static str,
) -> [crate::catalogue::ParamSpec; 3] {
    [
        param(
            "rate",
            Unit::PerSecond,
            rate,
            rate_text,
            "attack packets per second, over all bots",
            rate_source,
        ),
        param(
            "size",
            Unit::Bytes,
            512.0,
            "512B",
            "size of one attack packet",
            U,
        ),
        RETRY_AFTER,
    ]
}

/// Bots sending Poisson attack traffic, each entry point in turn to each target in turn.
#[derive(Debug)]
pub(crate) struct Model {
    /// Attack packets per second, over all bots.
    rate: f64,
    /// Size of one attack packet.
    size: Bytes,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            rate: p.num("rate"),
            size: Bytes(p.num("size") as u32),
        }
    }
}

impl AttackModel for Model {
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.rate)
    }

    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let a = &mut l.attacks[i];
        let Some((e, t)) = a.next_pair(a.spec.from.len(), a.spec.targets.len()) else {
            return;
        };
        let (entry, target) = (a.spec.from[e], a.spec.targets[t]);
        a.act(now);
        a.injected += 1;
        acts.push(Action::Inject {
            node: entry,
            packet: Packet {
                created: now,
                source: Sender::at_node(entry),
                dst: target,
                size: self.size,
                records: 0,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
                origin: Origin::Flood.mark(),
                seq: 0,
            },
        });
    }
}
