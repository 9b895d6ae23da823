//! `freshness`: Destinations of the targeted groups' traffic check a counter, a nonce or a
//! timestamp: a replayed copy is rejected (with a timestamp, only if older than the window).

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::Freshness,
    name: "freshness",
    targets: Targets::Nodes,
    cost: "bytes per packet on every hop (counter 4 B, nonce 8 B, timestamp 8 B)",
    about: "Destinations of the targeted groups' traffic check a counter, a nonce or a timestamp: a replayed copy is rejected (with a timestamp, only if older than the window).",
    params: &[
        param(
            "scheme",
            Unit::Choice(&["counter", "nonce", "timestamp"]),
            0.0,
            "counter",
            "what the receiver checks",
            "§D: freshness window named as the replay parameter",
        ),
        param(
            "window",
            Unit::Seconds,
            30.0,
            "30s",
            "accepted age of a timestamp",
            U,
        ),
    ],
    cipher: None,
};

/// A freshness field on the targeted devices' packets, checked at their destinations.
#[derive(Debug)]
pub(crate) struct Model {
    /// What the receiver checks.
    scheme: Freshness,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        let window = p.time("window");
        Model {
            scheme: match p.word("scheme") {
                "nonce" => Freshness::Nonce,
                "timestamp" => Freshness::Timestamp(window),
                _ => Freshness::Counter,
            },
        }
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for n in at.nodes() {
            p.freshness[n] = Some(self.scheme);
        }
    }
}
