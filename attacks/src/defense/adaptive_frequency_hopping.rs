//! `adaptive_frequency_hopping`: the targeted links hop over `channels` with an adaptive
//! channel map (Bluetooth Core, Vol 6 Part B §5.1.2, channel map update; radio.md §F): a
//! channel on which `failures` frames in a row are jammed leaves the map, never below
//! `min_channels` used channels, and the hop sequence remaps its events onto the channels
//! still used. A constant or random jammer covering `channels_jammed` of the channels
//! (a narrowband jammer, or a 20 MHz Wi-Fi channel: ≈ 10 BLE channels) then costs each link
//! at most `channels_jammed × failures` frames and nothing after; plain hopping keeps losing
//! `channels_jammed / channels` of them. A reactive jammer follows the hops.

use super::prelude::*;
use super::frequency_hopping::MAX_CHANNELS;
use crate::protection::ChannelMapping;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::AdaptiveFrequencyHopping,
    name: "adaptive_frequency_hopping",
    targets: Targets::Links,
    cost: "bytes per packet for hop synchronisation; the frames lost while the map learns",
    about: "The targeted links hop over `channels` and drop from their channel map a channel where `failures` frames in a row were jammed (never below `min_channels`): a constant or random narrowband jammer costs at most channels_jammed × failures frames per link, then none; a reactive jammer follows the hops.",
    params: &[
        super::frequency_hopping::CHANNELS,
        param(
            "failures",
            Unit::Count,
            2.0,
            "2",
            "frames in a row jammed on a channel before it leaves the channel map",
            "[U] assumption: controllers classify channels by their own rules (same default as the ble_connection MAC's afh)",
        )
        .positive(),
        param(
            "min_channels",
            Unit::Count,
            2.0,
            "2",
            "fewest channels the map keeps",
            "Bluetooth Core spec (Vol 6 Part B §4.5.8): at least 2 used channels",
        )
        .positive(),
        super::frequency_hopping::OVERHEAD,
    ],
    cipher: None,
};

/// The targeted links hopping over an adaptive channel map.
#[derive(Debug)]
pub(crate) struct Model {
    /// Channels hopped over.
    channels: u32,
    /// The map's learning rule.
    mapping: ChannelMapping,
    /// Bytes per packet for hop synchronisation.
    overhead: u64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        // Validation keeps `channels` within 1 … 37 (the catalogue's bound).
        let channels = p.num("channels").clamp(1.0, f64::from(MAX_CHANNELS)) as u32;
        Model {
            channels,
            mapping: ChannelMapping {
                failures: p.num("failures").clamp(1.0, 255.0) as u8,
                min_channels: (p.num("min_channels").max(1.0) as u32).min(channels),
            },
            overhead: p.num("overhead") as u64,
        }
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for l in at.links() {
            p.link_set[l].insert(DefenseKind::AdaptiveFrequencyHopping);
            p.channels[l] = p.channels[l].max(self.channels);
            p.channel_mapping[l] = Some(self.mapping);
            p.link_bytes[l] += self.overhead;
        }
    }
}
