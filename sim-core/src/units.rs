//! Physical quantities with their units in the type, so a byte count cannot be passed where
//! joules are expected. Conversions name the unit they produce.

use std::ops::{Add, AddAssign, Mul, Sub};

/// Energy in joules.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Joules(pub f64);

/// Power in watts (joules per second).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Watts(pub f64);

/// A size in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bytes(pub u32);

/// A data rate in bits per second. `f64::INFINITY` means "no serialisation delay".
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct BitsPerSecond(pub f64);

/// A clock frequency in hertz (CPU cycles per second).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Hertz(pub f64);

/// A count of CPU cycles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cycles(pub u64);

impl Joules {
    /// Energy drawn over a span of `seconds` at constant `power`.
    pub fn from_power(power: Watts, seconds: f64) -> Joules {
        Joules(power.0 * seconds)
    }

    /// Capacity of a battery rated `mah` milliamp-hours at `volts`: E = mAh × 3.6 × V.
    pub fn from_mah(mah: f64, volts: f64) -> Joules {
        Joules(mah * 3.6 * volts)
    }
}

impl Add for Joules {
    type Output = Joules;
    fn add(self, rhs: Joules) -> Joules {
        Joules(self.0 + rhs.0)
    }
}

impl Sub for Joules {
    type Output = Joules;
    fn sub(self, rhs: Joules) -> Joules {
        Joules(self.0 - rhs.0)
    }
}

impl AddAssign for Joules {
    fn add_assign(&mut self, rhs: Joules) {
        self.0 += rhs.0;
    }
}

impl Mul<f64> for Joules {
    type Output = Joules;
    fn mul(self, rhs: f64) -> Joules {
        Joules(self.0 * rhs)
    }
}

impl Bytes {
    /// The size in bits.
    pub fn bits(self) -> u64 {
        u64::from(self.0) * 8
    }

    /// `self + rhs`, clamped at `u32::MAX` bytes.
    pub fn saturating_add(self, rhs: Bytes) -> Bytes {
        Bytes(self.0.saturating_add(rhs.0))
    }
}

impl BitsPerSecond {
    /// Time on the wire for `size` at this rate, in seconds: t = 8·size / rate.
    pub fn serialisation_secs(self, size: Bytes) -> f64 {
        if self.0.is_infinite() {
            0.0
        } else {
            size.bits() as f64 / self.0
        }
    }
}

impl Hertz {
    /// Seconds taken by `cycles` at this clock; zero for an unbounded clock.
    pub fn secs_for(self, cycles: Cycles) -> f64 {
        if self.0.is_infinite() || cycles.0 == 0 {
            0.0
        } else {
            cycles.0 as f64 / self.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coin_cell_capacity_matches_the_datasheet_arithmetic() {
        // CR2032: 225 mAh at 3.0 V = 225e-3 A·h × 3600 s/h × 3 V = 2430 J (parameters.md §C).
        assert!((Joules::from_mah(225.0, 3.0).0 - 2430.0).abs() < 1e-9);
    }

    #[test]
    fn serialisation_delay_is_bits_over_rate() {
        // 125 B on BLE 1M: 1000 bits / 1e6 bit/s = 1 ms.
        assert_eq!(BitsPerSecond(1e6).serialisation_secs(Bytes(125)), 1e-3);
        assert_eq!(
            BitsPerSecond(f64::INFINITY).serialisation_secs(Bytes(125)),
            0.0
        );
    }
}
