//! Thermal noise at a receiver: `N = k·T·B·F`, i.e. `N[dBm] = −173.98 + 10·log10(B) + NF`.
//!
//! k·T = 1.3803e−23 J/K × 290 K as in ns-3 (radio.md §A5), giving −173.98 dBm/Hz.

use super::power::{Db, Dbm};
use crate::units::Hertz;

/// k·T at 290 K in W/Hz (ns-3's constant, radio.md §A5).
pub const KT_W_PER_HZ: f64 = 1.3803e-23 * 290.0;

/// The thermal noise floor over `bandwidth` for a receiver with noise figure `noise_figure`.
pub fn thermal_noise(bandwidth: Hertz, noise_figure: Db) -> Dbm {
    Dbm(10.0 * (KT_W_PER_HZ * bandwidth.0 * 1e3).log10() + noise_figure.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_floors_match_the_published_figures() {
        // ns-3's LR-WPAN doc prints −106.987 dBm over 5 MHz; radio.md §A5 for the others.
        assert!((thermal_noise(Hertz(5e6), Db(0.0)).0 - (-106.987)).abs() < 0.001);
        assert!((thermal_noise(Hertz(1e6), Db(0.0)).0 - (-113.98)).abs() < 0.005);
        assert!((thermal_noise(Hertz(20e6), Db(7.0)).0 - (-93.97)).abs() < 0.005);
        // ns-3's 802.11b test: −100.5522786 dBm over 22 MHz before its 7 dB noise figure
        // (its own rounding of k·T·B; 2e−4 dB from ours).
        assert!((thermal_noise(Hertz(22e6), Db(0.0)).0 - (-100.5522786)).abs() < 1e-3);
    }
}
