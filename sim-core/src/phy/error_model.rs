//! Bit and packet errors as a function of SINR: one model per modulation.
//!
//! Every model gives the bit error rate `BER(γ)` at the linear SINR `γ` and the success
//! probability of a chunk of `n` bits received at constant SINR, `(1 − BER)^n` (for the coded
//! Wi-Fi OFDM rates, `(1 − P_e)^n` with `P_e` the Viterbi first-event bound). Sources
//! (radio.md §B):
//! - IEEE 802.15.4 2.4 GHz O-QPSK: IEEE 802.15.4-2006 §E.4.1.7, as ns-3's `LrWpanErrorModel`;
//! - BLE GFSK: non-coherent BFSK, `0.5·exp(−0.5·(B_n/R)·γ)` (Castalia `Radio.cc`);
//! - 802.11b DSSS 1 Mbit/s DBPSK: `0.5·exp(−γ·22)` (ns-3 `DsssErrorRateModel`);
//! - 802.11a/g/n OFDM: ns-3's `NistErrorRateModel` (G. Pei, validated against measurements):
//!   uncoded BER of BPSK, QPSK, 16- and 64-QAM at the raw SNR, then the convolutional code's
//!   bound with the distance spectra of rates 1/2, 2/3, 3/4 and 5/6.

use statrs::function::erf::erfc;

/// The convolutional code rate of a Wi-Fi OFDM mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRate {
    /// 1/2.
    Half,
    /// 2/3.
    TwoThirds,
    /// 3/4.
    ThreeQuarters,
    /// 5/6.
    FiveSixths,
}

/// A modulation (with its coding) and thus its error model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Modulation {
    /// IEEE 802.15.4 2.4 GHz O-QPSK with DSSS, 250 kbit/s.
    Oqpsk802154,
    /// Non-coherent binary FSK (BLE's GFSK as Castalia models it), with the ratio of the
    /// receiver's noise bandwidth to the bit rate (1 for BLE 1M over 1 MHz).
    Bfsk {
        /// `B_n / R`.
        bandwidth_over_rate: f64,
    },
    /// 802.11b DSSS DBPSK at 1 Mbit/s over 22 MHz.
    Dbpsk11b,
    /// 802.11a/g/n OFDM: constellation size (2, 4, 16, 64) and code rate.
    Ofdm {
        /// Constellation size M.
        constellation: u16,
        /// Convolutional code rate.
        rate: CodeRate,
    },
}

impl Modulation {
    /// BLE 1M: non-coherent BFSK over a 1 MHz noise bandwidth at 1 Mbit/s.
    pub const BLE_1M: Modulation = Modulation::Bfsk {
        bandwidth_over_rate: 1.0,
    };

    /// The 802.11a/g OFDM mode of a data rate in Mbit/s (6, 9, 12, 18, 24, 36, 48, 54).
    pub fn wifi_ofdm(mbps: u32) -> Option<Modulation> {
        let (constellation, rate) = match mbps {
            6 => (2, CodeRate::Half),
            9 => (2, CodeRate::ThreeQuarters),
            12 => (4, CodeRate::Half),
            18 => (4, CodeRate::ThreeQuarters),
            24 => (16, CodeRate::Half),
            36 => (16, CodeRate::ThreeQuarters),
            48 => (64, CodeRate::TwoThirds),
            54 => (64, CodeRate::ThreeQuarters),
            _ => return None,
        };
        Some(Modulation::Ofdm {
            constellation,
            rate,
        })
    }

    /// The raw (uncoded) bit error rate at linear SINR `sinr`, in [0, 0.5] (1 at most).
    pub fn ber(&self, sinr: f64) -> f64 {
        let g = sinr.max(0.0);
        match *self {
            Modulation::Oqpsk802154 => oqpsk_ber(g),
            Modulation::Bfsk {
                bandwidth_over_rate,
            } => 0.5 * (-0.5 * bandwidth_over_rate * g).exp(),
            Modulation::Dbpsk11b => 0.5 * (-g * 22.0).exp(),
            Modulation::Ofdm { constellation, .. } => match constellation {
                2 => 0.5 * erfc(g.sqrt()),
                4 => 0.5 * erfc((g / 2.0).sqrt()),
                16 => 0.75 * 0.5 * erfc((g / 10.0).sqrt()),
                _ => 7.0 / 12.0 * 0.5 * erfc((g / 42.0).sqrt()),
            },
        }
    }

    /// The probability that `bits` bits received at constant linear SINR `sinr` are all right
    /// (for OFDM: that the decoder makes no error over them). `bits` may be fractional: a chunk
    /// of a frame between two changes of interference.
    pub fn chunk_success(&self, sinr: f64, bits: f64) -> f64 {
        let ber = self.ber(sinr);
        let per_bit = match *self {
            Modulation::Ofdm { rate, .. } => {
                if ber == 0.0 {
                    return 1.0;
                }
                viterbi_bound(ber, rate).min(1.0)
            }
            _ => ber.min(1.0),
        };
        // (1 − p)^n through ln_1p keeps precision when p is tiny and n large.
        (bits * (-per_bit).ln_1p()).exp()
    }
}

/// IEEE 802.15.4-2006 §E.4.1.7:
/// `BER = (8/15)·(1/16)·Σ_{k=2..16} (−1)^k·C(16,k)·exp(20·γ·(1/k − 1))`, clamped to [0, 1].
fn oqpsk_ber(sinr: f64) -> f64 {
    let mut sum = 0.0;
    let mut binom = 16.0; // C(16, 1)
    for k in 2..=16u32 {
        binom = binom * f64::from(17 - k) / f64::from(k);
        let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
        sum += sign * binom * (20.0 * sinr * (1.0 / f64::from(k) - 1.0)).exp();
    }
    (8.0 / 15.0 / 16.0 * sum).clamp(0.0, 1.0)
}

/// The union bound on the first-event error probability of the 802.11 convolutional code at
/// raw bit error rate `p`, with `D = √(4p(1−p))` and the distance spectra of Pei's report
/// (ns-3 `NistErrorRateModel::CalculatePe`).
fn viterbi_bound(p: f64, rate: CodeRate) -> f64 {
    let d = (4.0 * p * (1.0 - p)).sqrt();
    let (b, first, coefficients): (f64, i32, &[f64]) = match rate {
        CodeRate::Half => (
            1.0,
            10,
            &[
                36.0,
                0.0,
                211.0,
                0.0,
                1404.0,
                0.0,
                11633.0,
                0.0,
                77433.0,
                0.0,
                502690.0,
                0.0,
                3322763.0,
                0.0,
                21292910.0,
                0.0,
                134365911.0,
            ],
        ),
        CodeRate::TwoThirds => (
            2.0,
            6,
            &[
                3.0, 70.0, 285.0, 1276.0, 6160.0, 27128.0, 117019.0, 498860.0, 2103891.0, 8784123.0,
            ],
        ),
        CodeRate::ThreeQuarters => (
            3.0,
            5,
            &[
                42.0,
                201.0,
                1492.0,
                10469.0,
                62935.0,
                379644.0,
                2253373.0,
                13073811.0,
                75152755.0,
                428005675.0,
            ],
        ),
        CodeRate::FiveSixths => (
            5.0,
            4,
            &[
                92.0,
                528.0,
                8694.0,
                79453.0,
                792114.0,
                7375573.0,
                67884974.0,
                610875423.0,
                5427275376.0,
                47664215639.0,
            ],
        ),
    };
    let sum: f64 = coefficients
        .iter()
        .enumerate()
        .map(|(i, c)| c * d.powi(first + i as i32))
        .sum();
    sum / (2.0 * b)
}

/// The linear SINR at which `modulation` delivers `bits` bits with probability `success`
/// (bisection on the dB scale between −20 and +60 dB; the success curves are monotone).
pub fn sinr_for_success(modulation: Modulation, bits: f64, success: f64) -> f64 {
    let (mut lo, mut hi) = (-20.0f64, 60.0f64);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if modulation.chunk_success(10f64.powf(mid / 10.0), bits) < success {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    10f64.powf(hi / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phy::noise::thermal_noise;
    use crate::phy::power::{Db, Dbm};
    use crate::units::Hertz;

    fn lin(db: f64) -> f64 {
        10f64.powf(db / 10.0)
    }

    #[test]
    fn oqpsk_ber_matches_the_ns3_test_values() {
        // radio.md §V.1 (ns-3 lr-wpan-error-model-test.cc, about 1 % tolerance).
        for (db, want) in [
            (5.0, 7.38e-14),
            (2.0, 5.13e-7),
            (-1.0, 1.14e-3),
            (-4.0, 0.0391),
            (-7.0, 0.175),
        ] {
            let got = Modulation::Oqpsk802154.ber(lin(db));
            assert!(
                (got / want - 1.0).abs() < 0.01,
                "{db} dB: BER {got:e}, want {want:e}"
            );
        }
    }

    #[test]
    fn oqpsk_sensitivity_is_the_noise_floor_plus_0_4_db() {
        // radio.md §V.3: PER 1 % over 160 bits needs 0.40 dB; −106.99 + 0.40 = −106.58 dBm,
        // ns-3's default sensitivity.
        let need = Db::from_linear(sinr_for_success(Modulation::Oqpsk802154, 160.0, 0.99));
        assert!((need.0 - 0.40).abs() < 0.01, "{need:?}");
        let sensitivity = thermal_noise(Hertz(5e6), Db(0.0)).plus(need);
        assert!((sensitivity.0 - (-106.58)).abs() < 0.01, "{sensitivity:?}");
    }

    #[test]
    fn longer_frames_need_more_sinr() {
        let m = Modulation::Oqpsk802154;
        let g = lin(0.0);
        let short = m.chunk_success(g, 20.0 * 8.0);
        let long = m.chunk_success(g, 127.0 * 8.0);
        // Same BER, 6.35× the bits: success of the long frame is the short one's to that power.
        assert!((long - short.powf(127.0 / 20.0)).abs() < 1e-12);
        assert!(long < short);
    }

    #[test]
    fn ble_gfsk_reaches_ber_1e_3_at_10_94_db() {
        // radio.md §B2: non-coherent BFSK needs Eb/N0 = 2·ln 500 = 10.94 dB for BER 10⁻³.
        let ber = Modulation::BLE_1M.ber(lin(10.0 * (2.0 * 500f64.ln()).log10()));
        assert!((ber - 1e-3).abs() < 1e-12, "{ber:e}");
    }

    #[test]
    fn wifi_ofdm_psr_matches_the_ns3_nist_test_values() {
        // radio.md §V.4: 2000-byte frames (ns-3 wifi-error-rate-models-test.cc).
        let bits = 2000.0 * 8.0;
        for (mbps, db, want) in [
            (6, 3.0, 0.020),
            (6, 4.0, 0.885),
            (6, 5.0, 0.997),
            (12, 6.0, 0.0174),
            (12, 7.0, 0.881),
            (24, 13.0, 0.495),
            (54, 22.0, 0.410),
            (54, 23.0, 0.958),
        ] {
            let m = Modulation::wifi_ofdm(mbps).unwrap();
            let got = m.chunk_success(lin(db), bits);
            assert!(
                (got - want).abs() < 0.0015 + 0.01 * want,
                "{mbps} Mbit/s at {db} dB: {got}, want {want}"
            );
        }
        let tiny = Modulation::wifi_ofdm(6)
            .unwrap()
            .chunk_success(lin(2.5), bits);
        assert!((tiny / 2.04e-10 - 1.0).abs() < 0.05, "{tiny:e}");
    }

    #[test]
    fn dsss_dbpsk_psr_matches_the_ns3_test_values() {
        // radio.md §V.5: 1078-byte frames, noise −100.55 dBm + 7 dB.
        let noise = thermal_noise(Hertz(22e6), Db(7.0));
        for (rss, want) in [
            (-99.0, 0.0003),
            (-98.0, 0.202),
            (-97.0, 0.813),
            (-96.0, 0.984),
        ] {
            let sinr = Dbm(rss).over(noise).to_linear();
            let got = Modulation::Dbpsk11b.chunk_success(sinr, 1078.0 * 8.0);
            assert!(
                (got - want).abs() < 0.0006 + 0.005 * want,
                "{rss} dBm: {got}, want {want}"
            );
        }
    }
}
