//! `jamming`: Each frame on a targeted link is destroyed with probability duty_cycle ×
//! success_probability (constant: duty 1; random: duty < 1; reactive: jams what it hears).
//! A constant or random jammer covers `channels_jammed` channels of the victim's band (a
//! narrowband jammer: 1; a 20 MHz Wi-Fi channel over BLE: ≈ 10, radio.md §F). An unhopped link
//! sits on a covered channel. Frequency hopping over `c` channels spreads a frame over them,
//! so the jammer reaches `min(channels_jammed, c)/c` of the frames (radio.md §F: ≈ k/37 of a
//! BLE connection's events). With an adaptive channel map (`adaptive_frequency_hopping`) each
//! frame hops to a channel drawn uniformly over the link's used channels (CSA#2 maps its
//! events about uniformly onto the used channels, radio.md §D2); a channel where
//! `failures` frames in a row are jammed leaves the map while more than `min_channels`
//! remain, so once the map has learned, the jammer reaches nothing. A reactive jammer senses
//! the frame and follows the hops, whatever the map.

use super::prelude::*;
use crate::protection::ChannelMapping;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Jamming,
    name: "jamming",
    layer: Layers::SENSING.union(Layers::NETWORK),
    stride: "Denial of service",
    attack_id: "Mobile T1464 Network Denial of Service",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Links,
    makes: None,
    moves: "lost_attack, deadline_misses, monitoring_hours_lost",
    about: "Each frame on a targeted link is destroyed with probability duty_cycle × success_probability (constant: duty 1; random: duty < 1; reactive: jams what it hears). A constant or random jammer covers channels_jammed channels: frequency hopping over c channels leaves it min(channels_jammed, c)/c of the frames, an adaptive channel map drops the covered channels after they fail; a reactive jammer follows the hops.",
    params: &[
        param(
            "mode",
            Unit::Choice(&["constant", "random", "reactive"]),
            0.0,
            "constant",
            "constant, random (on for duty_cycle of the time) or reactive (jams frames it senses)",
            "§D: power, duty cycle, reactive or constant (Del-Valle-Soto, Sensors 2025)",
        ),
        param(
            "duty_cycle",
            Unit::Probability,
            1.0,
            "1",
            "share of frames the jammer overlaps",
            U,
        ),
        param(
            "success_probability",
            Unit::Probability,
            1.0,
            "1",
            "probability an overlapped frame is destroyed (jamming power against signal)",
            U,
        ),
        param(
            "channels_jammed",
            Unit::Count,
            1.0,
            "1",
            "channels of the victim's band the jammer covers (a constant or random jammer against a hopping link)",
            "radio.md §F: a narrowband jammer covers 1; a 20 MHz Wi-Fi channel ≈ 10 of the 37 BLE data channels",
        )
        .positive(),
        RETRY_AFTER,
    ],
};

/// A jammer on the targeted links.
#[derive(Debug)]
pub(crate) struct Model {
    /// A reactive jammer follows frequency hops.
    reactive: bool,
    /// Share of frames it overlaps.
    duty_cycle: f64,
    /// Probability an overlapped frame is destroyed.
    success_probability: f64,
    /// Channels it covers.
    channels_jammed: u32,
    /// Per link, the adaptive channel map learned against this jammer (links without one
    /// keep theirs unused).
    maps: Vec<ChannelMap>,
}

/// A link's adaptive channel map: the channels used, and per channel the frames in a row
/// jammed on it.
#[derive(Clone, Copy, Debug)]
struct ChannelMap {
    /// Bit `c` set: channel `c` is used.
    used: u64,
    /// Frames in a row jammed on each channel.
    run: [u8; 64],
}

impl ChannelMap {
    /// Every one of `channels` (at most 64) used.
    fn all(channels: u32) -> ChannelMap {
        let used = if channels >= 64 {
            u64::MAX
        } else {
            (1u64 << channels) - 1
        };
        ChannelMap { used, run: [0; 64] }
    }

    /// The used channel a frame hops to for a uniform draw `v` in [0, 1): the
    /// `⌊v·N_used⌋`-th used channel.
    fn pick(&self, v: f64) -> u32 {
        let n = self.used.count_ones();
        let k = ((v * f64::from(n)) as u32).min(n - 1);
        let mut rest = self.used;
        for _ in 0..k {
            rest &= rest - 1; // clears the lowest used channel
        }
        rest.trailing_zeros()
    }

    /// A frame on `channel` was (`jammed`) or was not jammed: a channel jammed on
    /// `m.failures` frames in a row leaves the map while more than `m.min_channels` remain.
    fn record(&mut self, channel: u32, jammed: bool, m: ChannelMapping) {
        let run = &mut self.run[channel as usize];
        if !jammed {
            *run = 0;
            return;
        }
        *run = run.saturating_add(1);
        if *run >= m.failures && self.used.count_ones() > m.min_channels {
            self.used &= !(1u64 << channel);
        }
    }
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            reactive: p.word("mode") == "reactive",
            duty_cycle: p.num("duty_cycle"),
            success_probability: p.num("success_probability"),
            channels_jammed: p.num("channels_jammed").max(1.0) as u32,
            maps: Vec::new(),
        }
    }
}

impl AttackModel for Model {
    fn ends_on_response(&self) -> bool {
        false
    }

    fn prepare(&mut self, net: &Network, _spec: &AttackSpec) {
        self.maps = vec![ChannelMap::all(64); net.link_ends.len()];
    }

    fn open(&mut self, l: &mut SecurityLayer, _i: usize, _now: SimTime, _acts: &mut Actions) {
        // Each window meets maps that have learned nothing yet.
        let p = &l.protection;
        for (m, &c) in self.maps.iter_mut().zip(p.channels.iter()) {
            *m = ChannelMap::all(c.clamp(1, 64));
        }
    }

    /// A frame is destroyed with probability `duty_cycle × success_probability`; where a
    /// defense reduces a jammer that does not follow hops, only on a covered channel: with
    /// plain hopping with probability `min(channels_jammed, c)/c`, with an adaptive map when
    /// the used channel it draws is covered (channels `0 … channels_jammed − 1`).
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        if !a.link_targeted[h.link] {
            return;
        }
        let mut draws = a.draws(h);
        let u: f64 = draws.random();
        let mut reach = self.duty_cycle * self.success_probability;
        if !self.reactive && h.masks.reduces(AttackKind::Jamming, h.defended) {
            let hops = h.protection.channels[h.link].max(1);
            let covered = self.channels_jammed.min(hops);
            if let (Some(m), Some(map)) = (
                h.protection.channel_mapping[h.link],
                self.maps.get_mut(h.link),
            ) {
                let channel = map.pick(draws.random());
                let jammed = channel < covered && u < reach;
                map.record(channel, jammed, m);
                reach = if jammed { 1.0 } else { 0.0 };
            } else {
                reach = reach * f64::from(covered) / f64::from(hops);
            }
        }
        if u < reach {
            a.act(h.tx.now);
            h.fate = Fate::Jammed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AFH: ChannelMapping = ChannelMapping {
        failures: 2,
        min_channels: 2,
    };

    #[test]
    fn a_draw_picks_the_used_channels_in_order_and_uniformly() {
        let mut m = ChannelMap::all(37);
        assert_eq!((m.pick(0.0), m.pick(0.999_999)), (0, 36));
        assert_eq!(m.pick(10.5 / 37.0), 10);
        // Without channels 0..10 the 27 left share the unit interval.
        m.used &= !((1u64 << 10) - 1);
        assert_eq!((m.pick(0.0), m.pick(0.5 / 27.0), m.pick(1.5 / 27.0)), (10, 10, 11));
        assert_eq!(m.pick(0.999_999), 36);
    }

    #[test]
    fn a_channel_leaves_the_map_after_failures_in_a_row_and_two_always_stay() {
        let mut m = ChannelMap::all(4);
        m.record(1, true, AFH);
        m.record(1, false, AFH); // a success in between resets the run
        m.record(1, true, AFH);
        assert_eq!(m.used, 0b1111);
        m.record(1, true, AFH);
        assert_eq!(m.used, 0b1101);
        for c in [0, 2, 3] {
            m.record(c, true, AFH);
            m.record(c, true, AFH);
        }
        // Two of the four stay, however often they fail.
        assert_eq!(m.used.count_ones(), 2);
        assert_eq!(ChannelMap::all(64).used, u64::MAX);
    }
}
