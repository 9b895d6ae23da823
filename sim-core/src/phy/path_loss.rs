//! Path loss: how much of the transmitted power is lost between two points.
//!
//! `received = transmitted − PL(d) − X`, where `PL(d)` is the mean loss of the model at distance
//! `d` and `X ~ N(0, σ²)` dB is the log-normal shadowing of the link, drawn once per link from the
//! link's own random stream (so adding a link or an attack never changes another link's fade).
//! Sources (radio.md §A): Friis and the log-distance model as in ns-3's
//! `propagation-loss-model.cc`; Castalia's default channel; the IEEE 802.15.6 CM3 on-body and
//! CM1/CM2 implant models (IEEE P802.15-08-0780; their parameter values are unconfirmed [U] and
//! stay parameters a scenario can override).

use rand::Rng;
use rand_distr::{Distribution, Normal};

use super::power::Db;
use crate::units::Hertz;

/// The speed of light in vacuum, m/s (exact, SI).
pub const SPEED_OF_LIGHT: f64 = 299_792_458.0;

/// A path-loss model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PathLoss {
    /// Friis free space: `PL(d) = 20·log10(4πd/λ) + L_sys`, λ = c/f, never below 0 dB
    /// (ns-3's `MinLoss` default), no shadowing.
    FreeSpace {
        /// Carrier frequency.
        frequency: Hertz,
        /// System loss `L_sys` in dB (ns-3 `SystemLoss` 1.0 linear = 0 dB).
        system_loss: Db,
    },
    /// Log-distance with log-normal shadowing:
    /// `PL(d) = PL(d0) + 10·n·log10(d/d0)` for `d > d0`, `PL(d0)` closer in (as ns-3).
    LogDistance {
        /// `PL(d0)`, dB.
        reference_loss: Db,
        /// `d0`, m.
        reference_distance: f64,
        /// The exponent `n`.
        exponent: f64,
        /// σ of the shadowing term, dB (0: none).
        shadowing: Db,
    },
    /// IEEE 802.15.6 CM3 on-body: `PL(d) = a·log10(d[mm]) + b`, shadowing σ_N.
    OnBody {
        /// Slope `a`, dB per decade of millimetres.
        a: f64,
        /// Intercept `b`, dB.
        b: f64,
        /// σ_N, dB.
        shadowing: Db,
    },
    /// IEEE 802.15.6 CM1/CM2 implant: `PL(d) = PL(d0) + 10·n·log10(d/d0)`, d0 = 50 mm, σ_S.
    Implant {
        /// `PL(d0)` at 50 mm, dB.
        reference_loss: Db,
        /// The exponent `n`.
        exponent: f64,
        /// σ_S, dB.
        shadowing: Db,
    },
}

impl PathLoss {
    /// Friis at `frequency` with no system loss.
    pub fn free_space(frequency: Hertz) -> PathLoss {
        PathLoss::FreeSpace {
            frequency,
            system_loss: Db(0.0),
        }
    }

    /// ns-3's `LogDistancePropagationLossModel` defaults re-referenced to 2.4 GHz:
    /// n = 3.0, d0 = 1 m, PL(d0) = Friis at 1 m and 2.4 GHz (40.05 dB), no shadowing
    /// (radio.md §A1).
    pub fn indoor_2g4() -> PathLoss {
        PathLoss::LogDistance {
            reference_loss: Db(friis_db(1.0, Hertz(2.4e9))),
            reference_distance: 1.0,
            exponent: 3.0,
            shadowing: Db(0.0),
        }
    }

    /// Castalia's default channel: n = 2.4, PL(1 m) = 55 dB, σ = 4 dB (radio.md §A1 [V]).
    pub fn castalia() -> PathLoss {
        PathLoss::LogDistance {
            reference_loss: Db(55.0),
            reference_distance: 1.0,
            exponent: 2.4,
            shadowing: Db(4.0),
        }
    }

    /// CM3 on-body, hospital room, 2.4 GHz: a = 6.6, b = 36.1, σ = 3.8 dB (radio.md §A2, [U]).
    pub fn on_body_hospital_2g4() -> PathLoss {
        PathLoss::OnBody {
            a: 6.6,
            b: 36.1,
            shadowing: Db(3.8),
        }
    }

    /// CM2 implant to body surface, deep tissue, MICS 402–405 MHz: PL(50 mm) = 47.14 dB,
    /// n = 4.26, σ = 7.85 dB (radio.md §A2, [U]).
    pub fn implant_deep() -> PathLoss {
        PathLoss::Implant {
            reference_loss: Db(47.14),
            exponent: 4.26,
            shadowing: Db(7.85),
        }
    }

    /// The mean loss at `distance` metres, without shadowing.
    pub fn mean_loss(&self, distance: f64) -> Db {
        let d = distance.max(1e-3); // 1 mm: two radios never share a point
        Db(match *self {
            PathLoss::FreeSpace {
                frequency,
                system_loss,
            } => (friis_db(d, frequency) + system_loss.0).max(0.0),
            PathLoss::LogDistance {
                reference_loss,
                reference_distance,
                exponent,
                ..
            } => {
                if d <= reference_distance {
                    reference_loss.0
                } else {
                    reference_loss.0 + 10.0 * exponent * (d / reference_distance).log10()
                }
            }
            PathLoss::OnBody { a, b, .. } => a * (d * 1000.0).log10() + b,
            PathLoss::Implant {
                reference_loss,
                exponent,
                ..
            } => {
                let d0 = 0.05;
                if d <= d0 {
                    reference_loss.0
                } else {
                    reference_loss.0 + 10.0 * exponent * (d / d0).log10()
                }
            }
        })
    }

    /// σ of the model's log-normal shadowing, dB.
    pub fn shadowing(&self) -> Db {
        match *self {
            PathLoss::FreeSpace { .. } => Db(0.0),
            PathLoss::LogDistance { shadowing, .. }
            | PathLoss::OnBody { shadowing, .. }
            | PathLoss::Implant { shadowing, .. } => shadowing,
        }
    }

    /// One link's shadowing term `X ~ N(0, σ²)` dB, drawn from that link's stream.
    pub fn draw_shadowing<R: Rng + ?Sized>(&self, rng: &mut R) -> Db {
        let sigma = self.shadowing().0;
        if sigma > 0.0 {
            // σ > 0 and finite: `Normal::new` cannot fail.
            Db(Normal::new(0.0, sigma).map_or(0.0, |n| n.sample(rng)))
        } else {
            Db(0.0)
        }
    }
}

/// Friis loss in dB at `distance` m and `frequency`: `20·log10(4πd·f/c)`.
pub fn friis_db(distance: f64, frequency: Hertz) -> f64 {
    20.0 * (4.0 * std::f64::consts::PI * distance * frequency.0 / SPEED_OF_LIGHT).log10()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    #[test]
    fn friis_at_one_metre_matches_the_published_table() {
        // radio.md §A1: 24.53 / 31.68 / 40.05 / 40.23 / 46.68 dB at 402 MHz … 5.15 GHz.
        for (f, want) in [
            (402e6, 24.53),
            (915e6, 31.68),
            (2.40e9, 40.05),
            (2.45e9, 40.23),
            (5.15e9, 46.68),
        ] {
            let got = PathLoss::free_space(Hertz(f)).mean_loss(1.0).0;
            assert!((got - want).abs() < 0.005, "{f} Hz: {got} dB, want {want}");
        }
    }

    #[test]
    fn received_power_at_1_2_5_10_m_follows_friis_and_log_distance_exactly() {
        let f = Hertz(2.4e9);
        let friis = PathLoss::free_space(f);
        let logd = PathLoss::indoor_2g4();
        let at1 = friis.mean_loss(1.0).0;
        for d in [1.0, 2.0, 5.0, 10.0] {
            // Free space: 20 dB per decade; log-distance with n = 3: 30 dB per decade.
            assert!((friis.mean_loss(d).0 - (at1 + 20.0 * f64::log10(d))).abs() < 1e-9);
            assert!((logd.mean_loss(d).0 - (at1 + 30.0 * f64::log10(d))).abs() < 1e-9);
        }
    }

    #[test]
    fn ns3_range_test_path_loss_at_95_m() {
        // radio.md §V.2: ns-3 defaults (n = 3, 46.6777 dB at 1 m) give 106.01 dB at 95 m.
        let m = PathLoss::LogDistance {
            reference_loss: Db(46.6777),
            reference_distance: 1.0,
            exponent: 3.0,
            shadowing: Db(0.0),
        };
        assert!((m.mean_loss(95.0).0 - 106.01).abs() < 0.005);
        // Closer than d0 the loss is PL(d0), never less.
        assert_eq!(m.mean_loss(0.5).0, 46.6777);
    }

    #[test]
    fn on_body_and_implant_models_use_millimetres_and_50_mm() {
        let body = PathLoss::on_body_hospital_2g4();
        // 100 mm → 6.6·2 + 36.1 = 49.3 dB; 1 m → 6.6·3 + 36.1 = 55.9 dB.
        assert!((body.mean_loss(0.1).0 - 49.3).abs() < 1e-9);
        assert!((body.mean_loss(1.0).0 - 55.9).abs() < 1e-9);
        let imp = PathLoss::implant_deep();
        assert!((imp.mean_loss(0.05).0 - 47.14).abs() < 1e-9);
        assert!((imp.mean_loss(0.5).0 - (47.14 + 42.6)).abs() < 1e-9);
    }

    #[test]
    fn shadowing_has_zero_mean_and_the_declared_sigma_over_many_links() {
        let m = PathLoss::castalia();
        let mut s = rng::stream(7, "shadowing-test");
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| m.draw_shadowing(&mut s).0).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        // Standard errors: σ/√n = 0.0089 dB for the mean, σ/√(2n) = 0.0063 dB for σ; 4 SE bounds.
        assert!(mean.abs() < 4.0 * 4.0 / (n as f64).sqrt(), "mean {mean}");
        assert!(
            (sd - 4.0).abs() < 4.0 * 4.0 / (2.0 * n as f64).sqrt(),
            "sd {sd}"
        );
        assert_eq!(
            PathLoss::free_space(Hertz(2.4e9)).draw_shadowing(&mut s).0,
            0.0
        );
    }
}
