//! Simulated time.
//!
//! Time is an integer count of nanoseconds since the start of the run. Integers make event
//! ordering exact and platform-independent: two events scheduled for the same instant compare
//! equal on every machine, which floating-point seconds would not guarantee. A `u64` of
//! nanoseconds spans about 584 years, far beyond any IoMT scenario (an implant battery lasts ~10 years).

use std::fmt;

/// An instant or a span of simulated time, in integer nanoseconds.
///
/// The same type serves for instants (time since the start of the run) and for durations; the
/// arithmetic is checked so an overflow is an error, never a silent wrap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

impl SimTime {
    /// The start of the run.
    pub const ZERO: SimTime = SimTime(0);
    /// The largest representable instant; used as "never".
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// An instant or span of `ns` nanoseconds.
    pub const fn from_nanos(ns: u64) -> Self {
        SimTime(ns)
    }

    /// `us` microseconds.
    pub const fn from_micros(us: u64) -> Self {
        SimTime(us * 1_000)
    }

    /// `ms` milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        SimTime(ms * 1_000_000)
    }

    /// `s` whole seconds.
    pub const fn from_secs(s: u64) -> Self {
        SimTime(s * 1_000_000_000)
    }

    /// Seconds as a float, rounded to the nearest nanosecond. Negative and NaN inputs give zero
    /// (a random delay drawn below zero is truncated at zero); values past [`SimTime::MAX`]
    /// saturate.
    #[inline]
    pub fn from_secs_f64(s: f64) -> Self {
        // `x + 0.5` then truncation rounds a positive x half-up without a call to libm's
        // `round` (not inlined on baseline x86-64); it runs once per random delay drawn.
        let ns = s * 1e9 + 0.5;
        if ns.is_nan() || ns < 1.0 {
            SimTime::ZERO
        } else if ns >= u64::MAX as f64 {
            SimTime::MAX
        } else {
            SimTime(ns as u64)
        }
    }

    /// The count of nanoseconds.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Seconds as a float.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e9
    }

    /// Milliseconds as a float.
    pub fn as_millis_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// `self + rhs`, or `None` on overflow.
    pub fn checked_add(self, rhs: SimTime) -> Option<SimTime> {
        self.0.checked_add(rhs.0).map(SimTime)
    }

    /// `self - rhs`, or `None` if `rhs` is later than `self`.
    pub fn checked_sub(self, rhs: SimTime) -> Option<SimTime> {
        self.0.checked_sub(rhs.0).map(SimTime)
    }

    /// `self + rhs`, clamped at [`SimTime::MAX`].
    pub fn saturating_add(self, rhs: SimTime) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }

    /// `self - rhs`, clamped at zero.
    pub fn saturating_sub(self, rhs: SimTime) -> SimTime {
        SimTime(self.0.saturating_sub(rhs.0))
    }
}

impl fmt::Display for SimTime {
    /// Exact, in the largest unit that divides it: `120s`, `250ms`, `1500us`, `7ns`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ns = self.0;
        match ns {
            0 => write!(f, "0s"),
            _ if ns.is_multiple_of(1_000_000_000) => write!(f, "{}s", ns / 1_000_000_000),
            _ if ns.is_multiple_of(1_000_000) => write!(f, "{}ms", ns / 1_000_000),
            _ if ns.is_multiple_of(1_000) => write!(f, "{}us", ns / 1_000),
            _ => write!(f, "{ns}ns"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_seconds_round_to_the_nearest_nanosecond() {
        assert_eq!(SimTime::from_secs_f64(1.5e-9).as_nanos(), 2);
        assert_eq!(SimTime::from_secs_f64(0.25).as_nanos(), 250_000_000);
        assert_eq!(SimTime::from_secs_f64(-3.0), SimTime::ZERO);
        assert_eq!(SimTime::from_secs_f64(f64::NAN), SimTime::ZERO);
        assert_eq!(SimTime::from_secs_f64(1e30), SimTime::MAX);
    }

    #[test]
    fn display_is_exact_in_the_largest_dividing_unit() {
        assert_eq!(SimTime::from_secs(120).to_string(), "120s");
        assert_eq!(SimTime::from_millis(250).to_string(), "250ms");
        assert_eq!(SimTime::from_micros(1500).to_string(), "1500us");
        assert_eq!(SimTime::from_nanos(7).to_string(), "7ns");
        assert_eq!(SimTime::ZERO.to_string(), "0s");
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        assert_eq!(SimTime::MAX.checked_add(SimTime::from_nanos(1)), None);
        assert_eq!(SimTime::ZERO.checked_sub(SimTime::from_nanos(1)), None);
        assert_eq!(
            SimTime::from_millis(3).checked_add(SimTime::from_micros(5)),
            Some(SimTime::from_nanos(3_005_000))
        );
        assert_eq!(
            SimTime::MAX.saturating_add(SimTime::from_secs(1)),
            SimTime::MAX
        );
    }
}
