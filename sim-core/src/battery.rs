//! Energy accounting per device, split by component, and battery depletion.
//!
//! # Model
//!
//! A device draws a constant baseline power at all times, split by component: `P_sleep` (sleep
//! current × supply voltage), and, where the device has them, a radio's listen schedule
//! (`P_radio_rx`, see `crate::power_profile`) and its sensing front end and per-sample MCU work
//! (`P_cpu`). On top come discrete charges booked when it does something: radio TX and RX
//! (bits × energy per bit, or a radio frame's airtime × state current), CPU (station service time ×
//! active power, MCU time per packet) and cryptography (cycles × energy per cycle).
//! The baseline is accrued lazily, exactly, whenever the meter is touched:
//! `E_c += P_c · (t − t_last)` for each component `c`. The remaining charge of a battery of
//! capacity `C` is `R(t) = C − Σ charges − P · t` with `P = Σ_c P_c`; with no further discrete
//! charge it reaches zero at `t_empty = t + R(t) / P`, rounded up to the next nanosecond. This
//! is the ideal (linear) battery: rate-capacity and recovery effects are not modelled.

use crate::time::SimTime;
use crate::units::{Joules, Watts};
use std::sync::Arc;

/// The parts of a device that draw energy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    /// Radio transmitting.
    RadioTx = 0,
    /// Radio receiving.
    RadioRx = 1,
    /// CPU doing the device's own processing.
    Cpu = 2,
    /// CPU running ciphers and MACs.
    Crypto = 3,
    /// The baseline draw (sleep current).
    Sleep = 4,
}

impl Component {
    /// All components, in output order.
    pub const ALL: [Component; 5] = [
        Component::RadioTx,
        Component::RadioRx,
        Component::Cpu,
        Component::Crypto,
        Component::Sleep,
    ];

    /// The snake_case name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Component::RadioTx => "radio_tx",
            Component::RadioRx => "radio_rx",
            Component::Cpu => "cpu",
            Component::Crypto => "crypto",
            Component::Sleep => "sleep",
        }
    }
}

/// What a device draws regardless of what it does, and what it can hold: its battery's
/// capacity and its baseline power per component. Fixed once the run starts, and the same for
/// every node of a group, so meters share one ([`EnergyMeter::share_draw`]).
#[derive(Clone, Debug)]
struct Draw {
    capacity: Option<Joules>,
    /// Baseline power per component, W, in [`Component::ALL`] order.
    baseline: [f64; 5],
    /// Their sum, W.
    baseline_total: f64,
}

impl Draw {
    /// The same capacity and baselines, bit for bit.
    fn same(&self, other: &Draw) -> bool {
        self.capacity.map(|c| c.0.to_bits()) == other.capacity.map(|c| c.0.to_bits())
            && self.baseline_total.to_bits() == other.baseline_total.to_bits()
            && (0..5).all(|c| self.baseline[c].to_bits() == other.baseline[c].to_bits())
    }
}

/// The energy meter (and, for battery-powered devices, the battery) of one node.
///
/// Invariant: `spent` holds every charge up to `updated`; the baseline after `updated` has not
/// been booked yet. The capacity and baseline may be shared with other meters (56 bytes a
/// meter instead of 112, see [`EnergyMeter::share_draw`]); a meter's own change of baseline
/// copies them first.
#[derive(Clone, Debug)]
pub struct EnergyMeter {
    draw: Arc<Draw>,
    spent: [f64; 5],
    updated: SimTime,
}

impl EnergyMeter {
    /// A meter for a device with an optional battery of `capacity` and a baseline draw.
    pub fn new(capacity: Option<Joules>, sleep_power: Watts) -> Self {
        let mut baseline = [0.0; 5];
        baseline[Component::Sleep as usize] = sleep_power.0;
        EnergyMeter {
            draw: Arc::new(Draw {
                capacity,
                baseline,
                baseline_total: sleep_power.0,
            }),
            spent: [0.0; 5],
            updated: SimTime::ZERO,
        }
    }

    /// Adds `power` to the baseline draw of `component` from `now` on (after accruing the
    /// baseline so far). Negative or non-finite powers are ignored.
    pub fn add_baseline(&mut self, now: SimTime, component: Component, power: Watts) {
        if !(power.0.is_finite() && power.0 > 0.0) {
            return;
        }
        self.accrue(now);
        let draw = Arc::make_mut(&mut self.draw);
        draw.baseline[component as usize] += power.0;
        draw.baseline_total = draw.baseline.iter().sum();
    }

    /// Makes the meters with bit-identical capacities and baselines share one copy of them
    /// (a scenario has a handful of distinct ones, one per node group or fewer). Changes no
    /// figure: every meter reads the same numbers as before.
    pub fn share_draw(meters: &mut [EnergyMeter]) {
        let mut distinct: Vec<Arc<Draw>> = Vec::new();
        for m in meters {
            // The nodes of a group come one after another: the last copy first.
            match distinct.iter().rev().find(|d| d.same(&m.draw)) {
                Some(d) => m.draw = Arc::clone(d),
                None => distinct.push(Arc::clone(&m.draw)),
            }
        }
    }

    /// The baseline draw of each component, W, in [`Component::ALL`] order.
    pub fn baseline(&self) -> [f64; 5] {
        self.draw.baseline
    }

    /// The total baseline draw, W.
    pub fn baseline_power(&self) -> Watts {
        Watts(self.draw.baseline_total)
    }

    /// Books the baseline draw up to `now`.
    #[inline]
    pub fn accrue(&mut self, now: SimTime) {
        if now > self.updated {
            let dt = (now.as_nanos() - self.updated.as_nanos()) as f64 * 1e-9;
            for (spent, p) in self.spent.iter_mut().zip(self.draw.baseline) {
                *spent += p * dt;
            }
            self.updated = now;
        }
    }

    /// Books a discrete charge at `now` (after accruing the baseline).
    #[inline]
    pub fn charge(&mut self, now: SimTime, component: Component, energy: Joules) {
        self.accrue(now);
        self.spent[component as usize] += energy.0;
    }

    /// Energy spent by one component so far (as of the last update).
    pub fn spent(&self, component: Component) -> Joules {
        Joules(self.spent[component as usize])
    }

    /// Energy spent by all components so far (as of the last update).
    pub fn total(&self) -> Joules {
        Joules(self.spent.iter().sum())
    }

    /// All components' spending, in [`Component::ALL`] order.
    pub fn by_component(&self) -> [f64; 5] {
        self.spent
    }

    /// The battery's capacity, if the device has one.
    pub fn capacity(&self) -> Option<Joules> {
        self.draw.capacity
    }

    /// Charge left in the battery as of the last update (`None` for mains power).
    pub fn remaining(&self) -> Option<Joules> {
        self.draw.capacity.map(|c| c - self.total())
    }

    /// Fraction of the battery left at `now` without changing the meter (1 for mains power).
    pub fn fraction_left_at(&self, now: SimTime) -> f64 {
        match self.draw.capacity {
            None => 1.0,
            Some(c) => {
                let dt = now.saturating_sub(self.updated).as_secs_f64();
                let left = c.0 - self.total().0 - self.draw.baseline_total * dt;
                (left / c.0).max(0.0)
            }
        }
    }

    /// Whether a battery-powered device has run out (as of the last update).
    pub fn is_empty(&self) -> bool {
        self.remaining().is_some_and(|r| r.0 <= 0.0)
    }

    /// The instant the battery empties if nothing but the baseline draws from it from the last
    /// update on: `t_last + R / P`, rounded up to the nanosecond. `None` for mains power or a
    /// zero baseline; the last update's instant if already empty.
    pub fn empty_at(&self) -> Option<SimTime> {
        let remaining = self.remaining()?;
        if remaining.0 <= 0.0 {
            return Some(self.updated);
        }
        if self.draw.baseline_total <= 0.0 {
            return None;
        }
        let ns = (remaining.0 / self.draw.baseline_total * 1e9).ceil();
        Some(if ns >= (u64::MAX - self.updated.as_nanos()) as f64 {
            SimTime::MAX
        } else {
            self.updated.saturating_add(SimTime::from_nanos(ns as u64))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forced_receive_drains_a_coin_cell_in_about_36_hours() {
        // parameters.md §C: an nRF52840 held in RX (6.26 mA at 3.0 V = 18.78 mW) empties a
        // 225 mAh CR2032 (2430 J) in 2430 / 0.01878 s = 35.94 h.
        let m = EnergyMeter::new(Some(Joules::from_mah(225.0, 3.0)), Watts(6.26e-3 * 3.0));
        let hours = m.empty_at().unwrap().as_secs_f64() / 3600.0;
        assert!((hours - 35.94).abs() < 0.01, "{hours} h");
    }

    #[test]
    fn baseline_accrues_exactly_and_charges_bring_the_empty_instant_forward() {
        let mut m = EnergyMeter::new(Some(Joules(10.0)), Watts(1.0));
        assert_eq!(m.empty_at(), Some(SimTime::from_secs(10)));
        m.charge(SimTime::from_secs(2), Component::RadioTx, Joules(3.0));
        assert_eq!(m.spent(Component::Sleep), Joules(2.0));
        assert_eq!(m.remaining(), Some(Joules(5.0)));
        assert_eq!(m.empty_at(), Some(SimTime::from_secs(7)));
        assert!((m.fraction_left_at(SimTime::from_secs(4)) - 0.3).abs() < 1e-12);
        m.charge(SimTime::from_secs(3), Component::Crypto, Joules(5.0));
        assert!(m.is_empty());
        assert_eq!(m.empty_at(), Some(SimTime::from_secs(3)));
    }

    #[test]
    fn a_baseline_split_by_component_accrues_each_part_and_empties_on_their_sum() {
        // 10 J at 1 W sleep; from t = 2 s a 3 W listening radio joins: 2 J gone at 2 s, then
        // 4 W empties the remaining 8 J in 2 s.
        let mut m = EnergyMeter::new(Some(Joules(10.0)), Watts(1.0));
        m.add_baseline(SimTime::from_secs(2), Component::RadioRx, Watts(3.0));
        assert_eq!(m.baseline_power(), Watts(4.0));
        assert_eq!(m.empty_at(), Some(SimTime::from_secs(4)));
        m.accrue(SimTime::from_secs(3));
        assert_eq!(m.spent(Component::Sleep), Joules(3.0));
        assert_eq!(m.spent(Component::RadioRx), Joules(3.0));
        assert!((m.fraction_left_at(SimTime::from_secs(4))).abs() < 1e-12);
        m.add_baseline(SimTime::from_secs(3), Component::Cpu, Watts(-1.0));
        assert_eq!(m.baseline_power(), Watts(4.0));
    }

    #[test]
    fn meters_sharing_a_draw_keep_their_own_spending_and_baselines() {
        let mut meters = vec![
            EnergyMeter::new(Some(Joules(10.0)), Watts(1.0)),
            EnergyMeter::new(Some(Joules(10.0)), Watts(1.0)),
            EnergyMeter::new(None, Watts(1.0)),
            EnergyMeter::new(Some(Joules(10.0)), Watts(1.0)),
        ];
        EnergyMeter::share_draw(&mut meters);
        assert!(Arc::ptr_eq(&meters[0].draw, &meters[1].draw));
        assert!(Arc::ptr_eq(&meters[0].draw, &meters[3].draw));
        assert!(!Arc::ptr_eq(&meters[0].draw, &meters[2].draw));
        assert!(std::mem::size_of::<EnergyMeter>() <= 56);
        // A charge stays with its meter; a later baseline change copies the shared draw.
        meters[0].charge(SimTime::from_secs(2), Component::RadioTx, Joules(3.0));
        meters[1].add_baseline(SimTime::from_secs(2), Component::RadioRx, Watts(3.0));
        assert_eq!(meters[0].empty_at(), Some(SimTime::from_secs(7)));
        assert_eq!(meters[1].empty_at(), Some(SimTime::from_secs(4)));
        assert_eq!(meters[3].empty_at(), Some(SimTime::from_secs(10)));
        assert_eq!(meters[3].baseline_power(), Watts(1.0));
        assert_eq!(meters[2].capacity(), None);
    }

    #[test]
    fn mains_powered_devices_meter_but_never_empty() {
        let mut m = EnergyMeter::new(None, Watts(2.0));
        m.accrue(SimTime::from_secs(5));
        assert_eq!(m.total(), Joules(10.0));
        assert_eq!(m.empty_at(), None);
        assert!(!m.is_empty());
    }
}
