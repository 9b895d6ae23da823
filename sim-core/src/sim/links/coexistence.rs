//! Coexistence of technologies in the 2.4 GHz band: a frame of one technology interferes with
//! a receiver of another where their channels' bands overlap.
//!
//! Each medium channel (a technology and a channel number, [`super::Links`]) has a band
//! ([`Technology::channel_band`]: 802.15.4 channel `k` at 2405 + 5(k − 11) MHz, 2 MHz wide;
//! BLE data channel `k` at 2404 + 2k MHz (k ≤ 10) or 2406 + 2k MHz, 2 MHz; Wi-Fi channel `n` at
//! 2412 + 5(n − 1) MHz, 22 MHz; radio.md §D1, §D2, §F). A BLE frame's band is that of its hop
//! channel. A frame of another technology on the air while a frame is received adds, at that
//! receiver, the share of its power inside the receiver's band,
//! `P_tx − PL(d) + 10·log10(overlap / width_interferer)` (its power spread evenly over its
//! width, [D]): a Wi-Fi frame puts 2/22 of its power (−10.4 dB) into each BLE or 802.15.4
//! channel it covers fully, a BLE or 802.15.4 frame all of its power into a Wi-Fi channel that
//! covers it. A hopping frame whose link chose no hop channel counts with its share averaged
//! over the technology's channels. The same energy reaches a clear-channel assessment (a
//! Wi-Fi station's energy detection sees BLE frames, an 802.15.4 CCA sees Wi-Fi).
//!
//! Not modelled: a node's own transmission on another technology (a hub's BLE and Wi-Fi radios
//! are taken as separate, their coexistence arbitration aside), receiver selectivity beyond
//! the band overlap, and frames farther than their own channel's reach (they arrive more than
//! 33 dB below that channel's noise; at most a few dB more relative to a narrower receiver's).

use crate::phy::Position;
use crate::phy::medium::{ALL_LISTS, HOP_LISTS, Lists, Medium, NO_HOP, list_of};
use crate::phy::technology::{ChannelBand, Technology};
use crate::time::SimTime;

/// Which medium channels can hear each other across technologies.
#[derive(Debug, Default)]
pub(super) struct Coexistence {
    /// Per medium channel: its technology and channel number.
    media: Vec<(&'static Technology, u32)>,
    /// Per medium channel: the media of other technologies some band of which overlaps one of
    /// its bands (empty: nothing to price).
    neighbours: Vec<Vec<u32>>,
    /// Per medium channel, per neighbour (as in `neighbours`): where its frames can fall in
    /// the receiver's band.
    overlaps: Vec<Vec<Overlap>>,
}

/// Where a neighbour's frames can fall in a receiving channel's band, per list of the
/// receiving channel (its frames on no hop, then each hop channel below [`HOP_LISTS`] when it
/// hops; a receiving hop from [`HOP_LISTS`] up has no entry and walks everything).
#[derive(Debug, Default)]
struct Overlap {
    /// The neighbour's lists that can hold a frame in the band: a hop channel of the
    /// neighbour whose band overlaps and its list of frames on no hop when the neighbour
    /// hops; when it does not, all or nothing (its frames all have the same share).
    lists: Vec<Lists>,
    /// The share ([`Coexistence::share`]) of a frame on each of the neighbour's lists, NaN
    /// where it depends on the frame (a hopping neighbour's list of frames on no hop).
    shares: Vec<Vec<f64>>,
}

impl Coexistence {
    /// The coexistence of the medium channels `media` (technology, channel number).
    pub(super) fn new(media: &[(&'static Technology, u32)]) -> Coexistence {
        let bands = |&(t, c): &(&'static Technology, u32)| -> Vec<ChannelBand> {
            if t.hopping {
                (0..t.channels).map(|k| t.channel_band(k)).collect()
            } else {
                vec![t.channel_band(c)]
            }
        };
        let neighbours = media
            .iter()
            .map(|a| {
                let mine = bands(a);
                media
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.0.name != a.0.name)
                    .filter(|(_, b)| {
                        bands(b)
                            .iter()
                            .any(|its| mine.iter().any(|m| m.share_of(its) > 0.0))
                    })
                    .map(|(k, _)| k as u32)
                    .collect()
            })
            .collect();
        let mut co = Coexistence {
            media: media.to_vec(),
            neighbours,
            overlaps: Vec::new(),
        };
        co.overlaps = (0..media.len())
            .map(|mine| {
                let (mt, _) = media[mine];
                let my_hops: Vec<u8> = if mt.hopping {
                    std::iter::once(NO_HOP)
                        .chain(0..mt.channels.min(u32::from(HOP_LISTS)) as u8)
                        .collect()
                } else {
                    vec![NO_HOP]
                };
                co.neighbours[mine]
                    .iter()
                    .map(|&its| {
                        let its = its as usize;
                        let (it, _) = media[its];
                        let per_list = my_hops.iter().map(|&my_hop| {
                            if !it.hopping {
                                let share = co.share(mine, my_hop, its, NO_HOP);
                                let lists = if share > 0.0 { ALL_LISTS } else { 0 };
                                return (lists, vec![share]);
                            }
                            let hops = 0..it.channels.min(u32::from(HOP_LISTS)) as u8;
                            let shares: Vec<f64> = std::iter::once(f64::NAN)
                                .chain(hops.map(|k| co.share(mine, my_hop, its, k)))
                                .collect();
                            let lists = (1..shares.len())
                                .filter(|&k| shares[k] > 0.0)
                                .fold(1, |m: Lists, k| m | 1 << k);
                            (lists, shares)
                        });
                        let (lists, shares) = per_list.unzip();
                        Overlap { lists, shares }
                    })
                    .collect()
            })
            .collect();
        co
    }

    /// Whether medium channel `medium` has neighbours of another technology.
    #[inline]
    pub(super) fn has_neighbours(&self, medium: usize) -> bool {
        self.neighbours.get(medium).is_some_and(|n| !n.is_empty())
    }

    /// The share of the power of a frame on medium `its` (hop channel `its_hop`) inside the
    /// band of a receiver on medium `mine` (hop `my_hop`); averaged over the channels of a
    /// hopping side that chose no hop.
    pub(super) fn share(&self, mine: usize, my_hop: u8, its: usize, its_hop: u8) -> f64 {
        let (mt, mc) = self.media[mine];
        let (it, ic) = self.media[its];
        let over = |t: &Technology, c: u32, hop: u8| -> Option<u32> {
            if !t.hopping {
                Some(c)
            } else if hop != NO_HOP {
                Some(u32::from(hop))
            } else {
                None
            }
        };
        let avg = |t: &Technology, f: &dyn Fn(ChannelBand) -> f64| -> f64 {
            (0..t.channels).map(|k| f(t.channel_band(k))).sum::<f64>()
                / f64::from(t.channels.max(1))
        };
        match (over(mt, mc, my_hop), over(it, ic, its_hop)) {
            (Some(a), Some(b)) => mt.channel_band(a).share_of(&it.channel_band(b)),
            (Some(a), None) => {
                let m = mt.channel_band(a);
                avg(it, &|b| m.share_of(&b))
            }
            (None, Some(b)) => {
                let i = it.channel_band(b);
                avg(mt, &|m| m.share_of(&i))
            }
            (None, None) => avg(mt, &|m| avg(it, &|b| m.share_of(&b))),
        }
    }

    /// The power, mW, at `at` of the frames of other technologies on the air during
    /// `[from, to)` that fall in the band of medium `mine` (hop `my_hop`), sent by radios other
    /// than `listener`, each with its start and end pushed to `out` when it is given (`floor`:
    /// shares below it are skipped); returns their sum.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn foreign(
        &self,
        medium: &Medium,
        mine: usize,
        my_hop: u8,
        listener: u32,
        at: Position,
        (from, to): (SimTime, SimTime),
        floor_mw: f64,
        mut out: Option<&mut Vec<crate::phy::reception::Interference>>,
    ) -> f64 {
        let mut total = 0.0;
        let Some(neighbours) = self.neighbours.get(mine) else {
            return 0.0;
        };
        // The receiving channel's list of `my_hop`, when it has a table.
        let my_list = if !self.media[mine].0.hopping || my_hop == NO_HOP {
            Some(0)
        } else if my_hop < HOP_LISTS {
            Some(list_of(my_hop))
        } else {
            None
        };
        for (n, &its) in neighbours.iter().enumerate() {
            // Only the neighbour's lists that may hold a frame in this band, with their
            // shares when they do not depend on the frame.
            let overlap = &self.overlaps[mine][n];
            let (lists, shares) = match my_list {
                Some(k) => (overlap.lists[k], &overlap.shares[k][..]),
                None => (ALL_LISTS, &[][..]),
            };
            if lists == 0 {
                continue;
            }
            for f in medium.listed(its as usize, lists) {
                if f.sender == listener || f.start >= to || f.end <= from {
                    continue;
                }
                let Some(power) = f.power_at(at) else {
                    continue;
                };
                let share = match shares.get(list_of(f.hop)) {
                    Some(&s) if !s.is_nan() => s,
                    _ => self.share(mine, my_hop, its as usize, f.hop),
                };
                if share <= 0.0 {
                    continue;
                }
                let mw = power.to_mw().0 * share;
                if mw < floor_mw {
                    continue;
                }
                total += mw;
                if let Some(out) = out.as_deref_mut() {
                    out.push(crate::phy::reception::Interference {
                        start: f.start,
                        end: f.end,
                        power: crate::phy::MilliWatts(mw),
                    });
                }
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phy::technology::{BLE_1M, IEEE802154, WIFI_G6};

    #[test]
    fn channel_centres_follow_the_specifications() {
        // BLE data channels 0, 10, 11, 36: RF 2404, 2424, 2428, 2478 MHz (2426 is advertising
        // channel 38); 802.15.4 channel 11 (index 0) 2405 MHz, 26 (index 15) 2480 MHz; Wi-Fi
        // channel 1 2412 MHz, 6 2437 MHz, 13 2472 MHz.
        let c = |t: &Technology, k: u32| t.channel_band(k).centre / 1e6;
        assert_eq!(
            [
                c(&BLE_1M, 0),
                c(&BLE_1M, 10),
                c(&BLE_1M, 11),
                c(&BLE_1M, 36)
            ],
            [2404.0, 2424.0, 2428.0, 2478.0]
        );
        assert_eq!([c(&IEEE802154, 0), c(&IEEE802154, 15)], [2405.0, 2480.0]);
        assert_eq!(
            [c(&WIFI_G6, 0), c(&WIFI_G6, 5), c(&WIFI_G6, 12)],
            [2412.0, 2437.0, 2472.0]
        );
    }

    #[test]
    fn wifi_channel_6_overlaps_exactly_the_ble_channels_inside_2426_to_2448_mhz() {
        // Wi-Fi channel 6 spans 2426–2448 MHz. BLE data channels 11–20 (2428–2446 MHz, each
        // 2 MHz) lie inside it; channel 21 (2448 MHz, 2447–2449) overlaps its top 1 MHz;
        // channel 10 (2424 MHz, 2423–2425) and 22 (2450 MHz) do not touch it.
        let co = Coexistence::new(&[(&BLE_1M, 0), (&WIFI_G6, 5)]);
        let shares: Vec<f64> = (0..37).map(|k| co.share(0, k, 1, NO_HOP)).collect();
        let inside: Vec<u8> = (0..37).filter(|&k| shares[k as usize] > 0.0).collect();
        assert_eq!(inside, (11..=21).collect::<Vec<u8>>());
        for s in &shares[11..=20] {
            assert!((s - 2.0 / 22.0).abs() < 1e-12);
        }
        assert!((shares[21] - 1.0 / 22.0).abs() < 1e-12);
        // And the other way: a BLE frame on channel 15 puts all its power in Wi-Fi channel 6,
        // none in channel 1 (2401–2423 MHz); on channel 10 (2423–2425) it only touches
        // channel 1's edge; on channel 9 (2421–2423) it lies inside it.
        assert_eq!(co.share(1, NO_HOP, 0, 15), 1.0);
        let co1 = Coexistence::new(&[(&BLE_1M, 0), (&WIFI_G6, 0)]);
        assert_eq!(co1.share(1, NO_HOP, 0, 15), 0.0);
        assert_eq!(co1.share(1, NO_HOP, 0, 10), 0.0);
        assert_eq!(co1.share(1, NO_HOP, 0, 9), 1.0);
        // 802.15.4 channel 26 (2480 MHz) sits above Wi-Fi channels 1–13 (top edge 2483 MHz
        // for channel 13, 2472 + 11): channel 13 covers it, channel 11 (2451–2473) does not.
        let zig = Coexistence::new(&[(&IEEE802154, 15), (&WIFI_G6, 12), (&WIFI_G6, 10)]);
        assert!((zig.share(0, NO_HOP, 1, NO_HOP) - 2.0 / 22.0).abs() < 1e-12);
        assert_eq!(zig.share(0, NO_HOP, 2, NO_HOP), 0.0);
        assert_eq!(zig.neighbours[0], vec![1]);
        // Same technology never counts here (the medium channel itself does).
        assert!(zig.neighbours[1].iter().all(|&k| k == 0));
    }

    #[test]
    fn a_receiver_of_another_technology_walks_only_the_hop_channels_over_its_band() {
        use crate::phy::medium::{Frame, InterferencePath};
        use crate::phy::{Dbm, PathLoss};
        // 802.15.4 channel 11 (2404–2406 MHz) is touched by BLE data channels 0 (2403–2405)
        // and 1 (2405–2407) only; its lists on the BLE channel are those two and no hop.
        let co = Coexistence::new(&[(&IEEE802154, 0), (&BLE_1M, 0)]);
        assert_eq!(co.overlaps[0][0].lists, vec![1 | 1 << 1 | 1 << 2]);
        assert_eq!(co.overlaps[0][0].shares[0][1..3], [0.5, 0.5]);
        // A BLE receiver on hop 5 (2414–2416 MHz) sees nothing of 802.15.4 channel 11: it
        // skips that channel; on hop 0 or 1, or on no hop, it walks its one list.
        let on = |hop| co.overlaps[1][0].lists[list_of(hop)];
        assert_eq!(
            [on(5), on(36), on(0), on(1), on(NO_HOP)],
            [0, 0, ALL_LISTS, ALL_LISTS, ALL_LISTS]
        );
        // Frames on every hop and on no hop, put in a shuffled hop order: the 802.15.4
        // receiver gets exactly the frames with a share in its band, in the order put.
        let mut m = Medium::new(2);
        let hops: Vec<u8> = (0..37u32)
            .map(|k| (k * 11 % 37) as u8)
            .chain([NO_HOP])
            .collect();
        let path = InterferencePath::own(PathLoss::indoor_2g4());
        for (k, &hop) in hops.iter().enumerate() {
            let f = Frame {
                id: k as u64,
                sender: k as u32,
                from: Position::new(1.0 + k as f64 / 10.0, 0.0),
                power: Dbm(0.0),
                path,
                reach: f64::INFINITY,
                start: SimTime::from_micros(10 * k as u64),
                end: SimTime::from_micros(10 * k as u64 + 1000),
                hop,
            };
            m.put(1, f, f.start);
        }
        let at = Position::new(0.0, 0.0);
        let window = (SimTime::ZERO, SimTime::from_micros(2000));
        let mut out = Vec::new();
        let total = co.foreign(&m, 0, NO_HOP, 999, at, window, 0.0, Some(&mut out));
        let mut want = Vec::new();
        for (k, &hop) in hops.iter().enumerate() {
            let share = co.share(0, NO_HOP, 1, hop);
            if share > 0.0 {
                let d = 1.0 + k as f64 / 10.0;
                want.push(Dbm(0.0).minus(path.loss(d)).to_mw().0 * share);
            }
        }
        assert_eq!(want.len(), 3);
        let got: Vec<f64> = out.iter().map(|i| i.power.0).collect();
        assert_eq!(got, want);
        assert_eq!(total, want.iter().sum::<f64>());
    }
}
