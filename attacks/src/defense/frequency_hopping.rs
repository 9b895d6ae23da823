//! `frequency_hopping`: The targeted links hop over `channels`: a constant or random jammer on one
//! channel reaches 1/channels of the frames; a reactive jammer follows.

use super::prelude::*;
use crate::catalogue::ParamSpec;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::FrequencyHopping,
    name: "frequency_hopping",
    targets: Targets::Links,
    cost: "bytes per packet for hop synchronisation",
    about: "The targeted links hop over `channels`: a constant or random jammer on one channel reaches 1/channels of the frames; a reactive jammer follows.",
    params: &[CHANNELS, OVERHEAD],
    cipher: None,
};

/// The most channels a link hops over: BLE's 37 data channels (radio.md §D2 [V]: 37 data + 3
/// advertising channels; Bluetooth Core Vol 6 Part B §1.4.1). An adaptive channel map holds
/// one bit per channel.
pub(crate) const MAX_CHANNELS: u32 = 37;

/// The channels hopped over, shared with [`super::adaptive_frequency_hopping`]: 1 to
/// [`MAX_CHANNELS`], 37 by default.
pub(super) const CHANNELS: ParamSpec = param(
    "channels",
    Unit::Count,
    37.0,
    "37",
    "channels hopped over, 1 to 37",
    "Bluetooth Core spec: 37 BLE data channels (radio.md §D2)",
)
.positive()
.at_most(MAX_CHANNELS as f64, "37 (the BLE data channels)");

/// The bytes per packet for hop synchronisation, shared with
/// [`super::adaptive_frequency_hopping`].
pub(super) const OVERHEAD: ParamSpec = param(
    "overhead",
    Unit::Bytes,
    2.0,
    "2B",
    "bytes per packet for hop synchronisation",
    U,
);

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
            channels: p.num("channels").clamp(1.0, f64::from(MAX_CHANNELS)) as u32,
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
