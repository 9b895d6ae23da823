//! `frequency_hopping`: The targeted links hop over `channels`: a constant or random jammer on one
//! channel reaches 1/channels of the frames; a reactive jammer follows.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::FrequencyHopping,
    name: "frequency_hopping",
    targets: Targets::Links,
    cost: "bytes per packet for hop synchronisation",
    about: "The targeted links hop over `channels`: a constant or random jammer on one channel reaches 1/channels of the frames; a reactive jammer follows.",
    params: &[
        param(
            "channels",
            Unit::Count,
            37.0,
            "37",
            "channels hopped over",
            "Bluetooth Core spec: 37 BLE data channels",
        ).positive(),
        param(
            "overhead",
            Unit::Bytes,
            2.0,
            "2B",
            "bytes per packet for hop synchronisation",
            U,
        ),
    ],
    cipher: None,
};

/// The targeted links hopping over channels.
#[derive(Debug)]
pub(crate) struct Model {
    /// Channels hopped over.
    channels: u32,
    /// Bytes per packet for hop synchronisation.
    overhead: u64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            channels: p.num("channels").max(1.0) as u32,
            overhead: p.num("overhead") as u64,
        }
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for l in at.links() {
            p.link_set[l].insert(DefenseKind::FrequencyHopping);
            p.channels[l] = self.channels;
            p.link_bytes[l] += self.overhead;
        }
    }
}
