//! Radio power on the two scales the field uses: logarithmic (dBm, dB) for link budgets and
//! linear (milliwatts) for sums. Interference adds in milliwatts, never in dBm.

/// An absolute power in decibel-milliwatts: `P[dBm] = 10·log10(P[mW])`.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Dbm(pub f64);

/// A power ratio (gain or loss) in decibels: `10·log10(ratio)`.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Db(pub f64);

/// An absolute power in milliwatts (linear scale).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct MilliWatts(pub f64);

impl Dbm {
    /// The same power in milliwatts: `10^(dBm/10)`.
    #[inline]
    pub fn to_mw(self) -> MilliWatts {
        MilliWatts(10f64.powf(self.0 / 10.0))
    }

    /// This power after a loss: `P − L`.
    #[inline]
    pub fn minus(self, loss: Db) -> Dbm {
        Dbm(self.0 - loss.0)
    }

    /// This power after a gain: `P + G`.
    #[inline]
    pub fn plus(self, gain: Db) -> Dbm {
        Dbm(self.0 + gain.0)
    }

    /// The ratio of two powers, `self − other` in dB.
    #[inline]
    pub fn over(self, other: Dbm) -> Db {
        Db(self.0 - other.0)
    }
}

impl MilliWatts {
    /// No power at all (−∞ dBm).
    pub const ZERO: MilliWatts = MilliWatts(0.0);

    /// The same power in dBm (−∞ for zero).
    #[inline]
    pub fn to_dbm(self) -> Dbm {
        Dbm(10.0 * self.0.log10())
    }
}

impl std::ops::Add for MilliWatts {
    type Output = MilliWatts;
    #[inline]
    fn add(self, rhs: MilliWatts) -> MilliWatts {
        MilliWatts(self.0 + rhs.0)
    }
}

impl std::ops::AddAssign for MilliWatts {
    #[inline]
    fn add_assign(&mut self, rhs: MilliWatts) {
        self.0 += rhs.0;
    }
}

impl Db {
    /// The linear ratio: `10^(dB/10)`.
    #[inline]
    pub fn to_linear(self) -> f64 {
        10f64.powf(self.0 / 10.0)
    }

    /// The ratio in dB of a linear ratio.
    #[inline]
    pub fn from_linear(ratio: f64) -> Db {
        Db(10.0 * ratio.log10())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_dbm_is_one_milliwatt_and_powers_add_linearly() {
        assert!((Dbm(0.0).to_mw().0 - 1.0).abs() < 1e-15);
        assert!((Dbm(-30.0).to_mw().0 - 1e-3).abs() < 1e-18);
        // Two equal powers sum to 3.0103 dB more, not to twice the dBm figure.
        let sum = Dbm(-90.0).to_mw() + Dbm(-90.0).to_mw();
        assert!((sum.to_dbm().0 - (-90.0 + 10.0 * 2f64.log10())).abs() < 1e-12);
        assert_eq!(MilliWatts::ZERO.to_dbm().0, f64::NEG_INFINITY);
        assert!((Db(3.0).to_linear() - 1.995_262_314_968_879_5).abs() < 1e-12);
        assert!((Db::from_linear(100.0).0 - 20.0).abs() < 1e-12);
    }
}
