//! Radio technologies: what a link profile names when it says `ble_1m` or `ieee802154` — the
//! band and channels, the bit rate and modulation (hence the error model), the noise bandwidth
//! and noise figure, the receiver's sensitivity and preamble lock threshold, the framing
//! overhead on the air, the default chip and path-loss model. Figures from radio.md §A–§D and
//! parameters.md §B, each named in the profile's `source`.

use super::error_model::Modulation;
use super::noise::thermal_noise;
use super::path_loss::PathLoss;
use super::power::{Db, Dbm};
use super::radio::{CC2420, ChipProfile, ESP32_S2, NRF52840};
use crate::units::{Bytes, Hertz};

/// A radio technology.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Technology {
    /// Catalogue name.
    pub name: &'static str,
    /// Lowest and highest centre frequency of its channels, Hz.
    pub band: (f64, f64),
    /// Centre frequency of the channel used unless the link says otherwise, Hz.
    pub default_frequency: f64,
    /// Number of data channels (a frequency-hopping victim spreads over all of them).
    pub channels: u32,
    /// Whether the technology hops over its channels (BLE connections do).
    pub hopping: bool,
    /// Where its channels sit on the spectrum and how wide each is: frames of two
    /// technologies interfere where their bands overlap ([`Technology::channel_band`]).
    pub plan: ChannelPlan,
    /// Bit rate on the air, bit/s.
    pub bit_rate: f64,
    /// The error model.
    pub modulation: Modulation,
    /// Noise bandwidth.
    pub noise_bandwidth: Hertz,
    /// Receiver noise figure.
    pub noise_figure: Db,
    /// Receiver sensitivity (frames weaker than this are not heard).
    pub sensitivity: Dbm,
    /// Minimum SINR at a frame's start to lock on it.
    pub lock_threshold: Db,
    /// Bytes on the air around each payload (preamble, sync, headers, CRC).
    pub overhead: Bytes,
    /// The default radio chip and transmit power.
    pub chip: ChipProfile,
    /// The default transmit power.
    pub tx_power: Dbm,
    /// The default path-loss model.
    pub path_loss: PathLoss,
    /// Where the figures come from.
    pub source: &'static str,
}

/// Where a technology's channels sit on the spectrum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChannelPlan {
    /// Channel `k` (from 0) centred at `first + k·spacing`, each `width` wide, Hz.
    Linear {
        /// Centre of channel 0, Hz.
        first: f64,
        /// Between adjacent centres, Hz.
        spacing: f64,
        /// Occupied width of one channel, Hz.
        width: f64,
    },
    /// BLE's 37 data channels, 2 MHz wide: data channel `k` is RF channel `k + 1`
    /// (2404 + 2k MHz) for `k ≤ 10` and RF channel `k + 2` (2406 + 2k MHz) above, the
    /// advertising channels 37, 38 and 39 sitting at 2402, 2426 and 2480 MHz (Bluetooth Core,
    /// Vol 6 Part A §2; radio.md §D2: 40 RF channels at 2 MHz spacing).
    BleData,
}

/// A channel's occupied band: centre and width, Hz.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChannelBand {
    /// Centre frequency, Hz.
    pub centre: f64,
    /// Occupied width, Hz.
    pub width: f64,
}

impl ChannelBand {
    /// The share of an `interferer`'s power that falls inside this band, its power spread
    /// evenly over its width: `overlap / interferer width`, where
    /// `overlap = max(0, min(hi₁, hi₂) − max(lo₁, lo₂))`. 0 for bands that do not overlap
    /// (touching edges included).
    pub fn share_of(&self, interferer: &ChannelBand) -> f64 {
        let lo = (self.centre - self.width / 2.0).max(interferer.centre - interferer.width / 2.0);
        let hi = (self.centre + self.width / 2.0).min(interferer.centre + interferer.width / 2.0);
        if hi <= lo || interferer.width <= 0.0 {
            0.0
        } else {
            ((hi - lo) / interferer.width).min(1.0)
        }
    }
}

impl Technology {
    /// The band channel `channel` (`0 .. channels`; a BLE data channel) occupies.
    pub fn channel_band(&self, channel: u32) -> ChannelBand {
        match self.plan {
            ChannelPlan::Linear {
                first,
                spacing,
                width,
            } => ChannelBand {
                centre: first + f64::from(channel) * spacing,
                width,
            },
            ChannelPlan::BleData => ChannelBand {
                centre: if channel <= 10 {
                    2404e6 + 2e6 * f64::from(channel)
                } else {
                    2406e6 + 2e6 * f64::from(channel)
                },
                width: 2e6,
            },
        }
    }

    /// The receiver's thermal noise floor.
    pub fn noise(&self) -> Dbm {
        thermal_noise(self.noise_bandwidth, self.noise_figure)
    }

    /// Airtime of a frame carrying `payload` bytes, s.
    pub fn airtime_secs(&self, payload: Bytes) -> f64 {
        f64::from(payload.0 + self.overhead.0) * 8.0 / self.bit_rate
    }

    /// Whether `frequency` (Hz) lies in the technology's band.
    pub fn in_band(&self, frequency: f64) -> bool {
        frequency >= self.band.0 && frequency <= self.band.1
    }

    /// The largest distance at which a frame sent at `tx_power` still reaches the sensitivity
    /// under the mean path loss (no shadowing), m; bisection on the monotone loss.
    pub fn range_m(&self, tx_power: Dbm) -> f64 {
        let budget = tx_power.over(self.sensitivity).0;
        let (mut lo, mut hi) = (0.001f64, 100_000.0f64);
        if self.path_loss.mean_loss(hi).0 <= budget {
            return hi;
        }
        for _ in 0..200 {
            let mid = (lo * hi).sqrt();
            if self.path_loss.mean_loss(mid).0 <= budget {
                lo = mid
            } else {
                hi = mid
            }
        }
        lo
    }
}

/// IEEE 802.15.4 at 2.4 GHz: channels 11–26 at 2405 + 5(k − 11) MHz, 250 kbit/s O-QPSK, noise
/// over 5 MHz as ns-3 integrates it, sensitivity −95 dBm (CC2420 as Castalia models it), lock at
/// −5 dB SINR, 6 bytes of SHR and PHR; CC2420 at 0 dBm; indoor log-distance path loss.
pub const IEEE802154: Technology = Technology {
    name: "ieee802154",
    band: (2405e6, 2480e6),
    default_frequency: 2405e6,
    channels: 16,
    hopping: false,
    // Channels 11–26 at 2405 + 5(k − 11) MHz, 2 MHz occupied (radio.md §D1 [V]).
    plan: ChannelPlan::Linear {
        first: 2405e6,
        spacing: 5e6,
        width: 2e6,
    },
    bit_rate: 250e3,
    modulation: Modulation::Oqpsk802154,
    noise_bandwidth: Hertz(5e6),
    noise_figure: Db(0.0),
    sensitivity: Dbm(-95.0),
    lock_threshold: Db(-5.0),
    overhead: Bytes(6),
    chip: CC2420,
    tx_power: Dbm(0.0),
    path_loss: PathLoss::LogDistance {
        reference_loss: Db(40.05),
        reference_distance: 1.0,
        exponent: 3.0,
        shadowing: Db(0.0),
    },
    source: "ns-3 lr-wpan (modulation, noise, lock, framing); Castalia CC2420.txt (sensitivity)",
};

/// Bluetooth Low Energy 1M: 37 data channels at 2 MHz spacing, hopping, 1 Mbit/s GFSK modelled
/// as non-coherent BFSK over 1 MHz, sensitivity −96 dBm (nRF54L15, ≤ 37 B at BER 10⁻³), noise
/// figure 7 dB [D] so that the BFSK model reaches BER 10⁻³ (Eb/N0 = 10.94 dB) exactly at that
/// sensitivity: −96 − 10.94 − (−113.98) = 7.04 dB, 10 bytes of preamble, access address,
/// header and CRC; nRF52840 at 0 dBm; on-body path loss (CM3, hospital room, [U]).
pub const BLE_1M: Technology = Technology {
    name: "ble_1m",
    band: (2402e6, 2480e6),
    default_frequency: 2440e6,
    channels: 37,
    hopping: true,
    plan: ChannelPlan::BleData,
    bit_rate: 1e6,
    modulation: Modulation::BLE_1M,
    noise_bandwidth: Hertz(1e6),
    noise_figure: Db(7.0),
    sensitivity: Dbm(-96.0),
    lock_threshold: Db(0.0),
    overhead: Bytes(10),
    chip: NRF52840,
    tx_power: Dbm(0.0),
    path_loss: PathLoss::OnBody {
        a: 6.6,
        b: 36.1,
        shadowing: Db(3.8),
    },
    source: "Castalia Radio.cc (BFSK), BANRadio.txt (noise floor); Nordic nRF54L15 (sensitivity); radio.md §D2 (framing)",
};

/// MICS implant link, 402–405 MHz: 800 kbit/s raw (ZL70102), modelled as non-coherent BFSK
/// over a 300 kHz channel with a 10 dB noise figure [U]; sensitivity −94 dBm [D from U], where
/// that model reaches BER 10⁻³; implant CM2 path loss (deep tissue, [U]). The chip is the ZL70102 (5 mA TX/RX average, 290 nA sniffing, parameters.md §B).
pub const MICS: Technology = Technology {
    name: "mics",
    band: (402e6, 405e6),
    default_frequency: 403.5e6,
    channels: 10,
    hopping: false,
    // Ten 300 kHz channels across 402–405 MHz (MICS band plan).
    plan: ChannelPlan::Linear {
        first: 402.15e6,
        spacing: 300e3,
        width: 300e3,
    },
    bit_rate: 800e3,
    modulation: Modulation::Bfsk {
        bandwidth_over_rate: 300e3 / 800e3,
    },
    noise_bandwidth: Hertz(300e3),
    noise_figure: Db(10.0),
    sensitivity: Dbm(-94.0),
    lock_threshold: Db(0.0),
    overhead: Bytes(8),
    chip: ZL70102,
    tx_power: Dbm(-16.0),
    path_loss: PathLoss::Implant {
        reference_loss: Db(47.14),
        exponent: 4.26,
        shadowing: Db(7.85),
    },
    source: "ZL70102 datasheet via parameters.md §B (rate, currents); channel width, sensitivity, power and framing [U]",
};

/// Microsemi ZL70102 MICS transceiver, 3 V assumed: 5 mA average in TX and RX, 290 nA sniffing
/// once a second (parameters.md §B [V]); one power level, −16 dBm EIRP (the MICS limit is
/// 25 µW = −16 dBm, [U]).
pub const ZL70102: ChipProfile = ChipProfile {
    name: "zl70102",
    supply_v: 3.0,
    tx_levels: &[(-40.0, 5.0), (-16.0, 5.0)],
    rx_ma: 5.0,
    idle_ma: 5.0,
    sleep_ma: 0.000_29,
    wake_up: crate::time::SimTime::from_millis(2),
    turnaround: crate::time::SimTime::from_micros(100),
    transition_ma: 5.0,
    source: "ZL70102 datasheet via parameters.md §B; transitions [U]",
};

/// 802.11g at 6 Mbit/s (OFDM BPSK 1/2), 20 MHz, noise figure 7 dB (ns-3), sensitivity −82 dBm
/// (the 802.11g reference level at 6 Mbit/s), 24 bytes of PLCP and MAC framing [U]; ESP32-S2
/// at 15 dBm; indoor log-distance path loss.
pub const WIFI_G6: Technology = Technology {
    name: "wifi_g6",
    band: (2412e6, 2472e6),
    default_frequency: 2437e6,
    channels: 13,
    hopping: false,
    // Channels 1–13 at 2412 + 5(n − 1) MHz, each 22 MHz wide (the 802.11 2.4 GHz channel
    // plan and transmit mask width; radio.md §B3 and §F).
    plan: ChannelPlan::Linear {
        first: 2412e6,
        spacing: 5e6,
        width: 22e6,
    },
    bit_rate: 6e6,
    modulation: Modulation::Ofdm {
        constellation: 2,
        rate: super::error_model::CodeRate::Half,
    },
    noise_bandwidth: Hertz(20e6),
    noise_figure: Db(7.0),
    sensitivity: Dbm(-82.0),
    lock_threshold: Db(4.0),
    overhead: Bytes(24),
    chip: ESP32_S2,
    tx_power: Dbm(15.0),
    path_loss: PathLoss::LogDistance {
        reference_loss: Db(40.05),
        reference_distance: 1.0,
        exponent: 3.0,
        shadowing: Db(0.0),
    },
    source: "ns-3 NistErrorRateModel, wifi-phy.cc (noise figure, preamble detection 4 dB); 802.11g reference levels; framing [U]",
};

/// Every technology, for the catalogue.
pub const TECHNOLOGIES: [&Technology; 4] = [&IEEE802154, &BLE_1M, &MICS, &WIFI_G6];

/// The technology of a catalogue name.
pub fn technology(name: &str) -> Option<&'static Technology> {
    TECHNOLOGIES.iter().copied().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phy::error_model::sinr_for_success;

    #[test]
    fn link_budget_ranges_match_the_published_sanity_figures() {
        // radio.md §V.8: 0 dBm at −96 dBm sensitivity with PL = 40.05 + 10·n·log10(d) closes
        // at 627 m (n = 2) or 73 m (n = 3).
        for (n, want) in [(2.0, 627.0), (3.0, 73.0)] {
            let t = Technology {
                path_loss: PathLoss::LogDistance {
                    reference_loss: Db(40.05),
                    reference_distance: 1.0,
                    exponent: n,
                    shadowing: Db(0.0),
                },
                ..BLE_1M
            };
            let r = t.range_m(Dbm(0.0));
            assert!((r / want - 1.0).abs() < 0.01, "n = {n}: {r} m");
        }
    }

    #[test]
    fn sensitivities_agree_with_the_error_models() {
        // Sensitivity is defined at BER 10⁻³ (BLE) or PER 1 % for 20 bytes (802.15.4): at its
        // sensitivity every profile's error model must do at least that well, or the profile's
        // figures contradict each other.
        for t in TECHNOLOGIES {
            let have = t.sensitivity.over(t.noise()).to_linear();
            let ber = t.modulation.ber(have);
            assert!(
                ber <= 1.001e-3,
                "{}: BER {ber:e} at its sensitivity",
                t.name
            );
        }
        let need = Db::from_linear(sinr_for_success(Modulation::Oqpsk802154, 160.0, 0.99));
        assert!(IEEE802154.sensitivity.over(IEEE802154.noise()).0 >= need.0);
        // BLE was set to sit at BER 10⁻³ (7 dB rounds the 7.04 dB noise figure: 0.94e−3).
        assert!(
            (BLE_1M
                .modulation
                .ber(BLE_1M.sensitivity.over(BLE_1M.noise()).to_linear())
                - 1e-3)
                .abs()
                < 1e-4
        );
    }

    #[test]
    fn catalogue_names_are_unique_and_defaults_consistent() {
        for t in TECHNOLOGIES {
            assert_eq!(technology(t.name).map(|x| x.name), Some(t.name));
            assert!(t.in_band(t.default_frequency), "{}", t.name);
            assert!(t.chip.tx_current_ma(t.tx_power).is_ok(), "{}", t.name);
        }
        // A 20-byte BLE payload is 30 bytes on the air: 240 µs at 1 Mbit/s.
        assert!((BLE_1M.airtime_secs(Bytes(20)) - 240e-6).abs() < 1e-12);
        assert!(technology("lora").is_none());
    }
}
