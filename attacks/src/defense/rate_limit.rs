//! `rate_limit`: A token bucket per sending node at the targeted nodes' ingress (firewall): packets
//! beyond `rate` (burst `burst`) are rejected before they reach the queue.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::RateLimit,
    name: "rate_limit",
    targets: Targets::Nodes,
    cost: "own packets above the limit are dropped too",
    about: "A token bucket per sending node at the targeted nodes' ingress (firewall): packets beyond `rate` (burst `burst`) are rejected before they reach the queue.",
    params: &[
        param(
            "rate",
            Unit::PerSecond,
            100.0,
            "100/s",
            "packets per second allowed per sender",
            U,
        ),
        param("burst", Unit::Count, 200.0, "200", "bucket depth", U),
    ],
    cipher: None,
};

/// A token bucket per sender at the targeted nodes' ingress (checked per packet by the
/// security layer).
#[derive(Debug)]
pub(crate) struct Model {
    /// Packets per second per sender.
    rate: f64,
    /// Bucket depth.
    burst: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            rate: p.num("rate"),
            burst: p.num("burst"),
        }
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for n in at.nodes() {
            p.rate_limit[n] = Some((self.rate, self.burst));
        }
    }
}
