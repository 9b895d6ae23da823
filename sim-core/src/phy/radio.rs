//! A radio as a state machine — sleep, idle (listening, not receiving), RX, TX — with the
//! currents of a real chip, so that a radio spends energy listening and sleeping, not only on
//! the bits it sends (as Castalia's radio and ns-3's energy models do).
//!
//! Energy in a state is `E = V · I_state · t`; the TX current depends on the transmit power
//! level (linear interpolation between the datasheet's levels, no extrapolation). Switching
//! between sleep and an active state, or between RX and TX, costs the chip's transition time at
//! its transition current, charged when the switch happens. Chip figures: radio.md §C1–C2, each
//! profile naming its source; values tagged [U] there are assumptions and marked so here.

use super::power::Dbm;
use crate::time::SimTime;
use crate::units::Joules;

/// The state a radio is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RadioState {
    /// Powered down; wakes up in [`ChipProfile::wake_up`].
    Sleep,
    /// On, listening for a preamble.
    Idle,
    /// Receiving a frame.
    Rx,
    /// Transmitting a frame.
    Tx,
}

impl RadioState {
    /// Index into per-state arrays (sleep, idle, RX, TX).
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// The electrical profile of a radio chip.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChipProfile {
    /// Catalogue name.
    pub name: &'static str,
    /// Supply voltage, V.
    pub supply_v: f64,
    /// TX current at each power level: (dBm, mA), ascending in dBm.
    pub tx_levels: &'static [(f64, f64)],
    /// RX current, mA.
    pub rx_ma: f64,
    /// Idle / listening current, mA (with the receiver on but no frame: for most chips the RX
    /// current; for Castalia's CC2420 model the idle figure).
    pub idle_ma: f64,
    /// Sleep current, mA.
    pub sleep_ma: f64,
    /// Sleep → active transition time.
    pub wake_up: SimTime,
    /// RX ↔ TX turnaround time.
    pub turnaround: SimTime,
    /// Current drawn during transitions, mA.
    pub transition_ma: f64,
    /// Where the figures come from.
    pub source: &'static str,
}

/// A transmit power outside what a chip can emit.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("{chip} transmits between {min} and {max} dBm, not {asked} dBm")]
pub struct PowerOutOfRange {
    /// The chip.
    pub chip: &'static str,
    /// Lowest level.
    pub min: f64,
    /// Highest level.
    pub max: f64,
    /// What was asked.
    pub asked: f64,
}

impl ChipProfile {
    /// The TX current at `level`, interpolated linearly between the datasheet's levels.
    pub fn tx_current_ma(&self, level: Dbm) -> Result<f64, PowerOutOfRange> {
        let levels = self.tx_levels;
        let (min, max) = (levels[0].0, levels[levels.len() - 1].0);
        let err = PowerOutOfRange {
            chip: self.name,
            min,
            max,
            asked: level.0,
        };
        if !(level.0 >= min && level.0 <= max) {
            return Err(err);
        }
        for w in levels.windows(2) {
            let ((p0, i0), (p1, i1)) = (w[0], w[1]);
            if level.0 <= p1 {
                return Ok(i0 + (i1 - i0) * (level.0 - p0) / (p1 - p0));
            }
        }
        Ok(levels[levels.len() - 1].1)
    }

    /// The energy of staying in `state` for `t` at TX current `tx_ma`.
    pub fn energy(&self, state: RadioState, tx_ma: f64, t: SimTime) -> Joules {
        let ma = match state {
            RadioState::Sleep => self.sleep_ma,
            RadioState::Idle => self.idle_ma,
            RadioState::Rx => self.rx_ma,
            RadioState::Tx => tx_ma,
        };
        Joules(self.supply_v * ma * 1e-3 * t.as_secs_f64())
    }

    /// The time and energy of switching from `from` to `to`.
    pub fn transition(&self, from: RadioState, to: RadioState) -> (SimTime, Joules) {
        use RadioState::*;
        let t = match (from, to) {
            (a, b) if a == b => SimTime::ZERO,
            (Sleep, _) | (_, Sleep) => self.wake_up,
            (Rx, Tx) | (Tx, Rx) => self.turnaround,
            _ => SimTime::ZERO,
        };
        (
            t,
            Joules(self.supply_v * self.transition_ma * 1e-3 * t.as_secs_f64()),
        )
    }

    /// The lifetime of a battery of `capacity` spent in `state` alone (Castalia's closed form):
    /// `capacity / (V · I_state)`, s.
    pub fn lifetime_secs(&self, capacity: Joules, state: RadioState, tx_ma: f64) -> f64 {
        capacity.0 / self.energy(state, tx_ma, SimTime::from_secs(1)).0
    }
}

/// TI CC2420 as Castalia models it at 3.3 V (radio.md §C1–C2 [V]: `CC2420.txt`); sleep current
/// 20 µA is the datasheet's power-down figure [U].
pub const CC2420: ChipProfile = ChipProfile {
    name: "cc2420",
    supply_v: 3.3,
    tx_levels: &[
        (-25.0, 8.8),
        (-15.0, 9.9),
        (-10.0, 11.0),
        (-7.0, 12.8),
        (-5.0, 14.0),
        (-3.0, 15.4),
        (-1.0, 16.7),
        (0.0, 17.4),
    ],
    rx_ma: 18.8,
    idle_ma: 0.42,
    sleep_ma: 0.02,
    wake_up: SimTime::from_micros(194),
    turnaround: SimTime::from_micros(10),
    transition_ma: 62.0 / 3.3,
    source: "Castalia CC2420.txt (TX, RX, idle, transitions); TI SWRS041 (power-down, [U])",
};

/// Nordic nRF52840, BLE, DC/DC on, 3 V (radio.md §C1 [V]: ps_nrf52840 `i_radio`); sleep
/// current (System ON, RTC running) 1.5 µA [U]; transitions from TI CC2640R2F wake-up (151 µs
/// from standby) and the BLE T_IFS (150 µs), both [V] for those parts, assumed here.
pub const NRF52840: ChipProfile = ChipProfile {
    name: "nrf52840",
    supply_v: 3.0,
    tx_levels: &[(-40.0, 3.83), (0.0, 6.40), (8.0, 16.40)],
    rx_ma: 6.26,
    idle_ma: 6.26,
    sleep_ma: 0.0015,
    wake_up: SimTime::from_micros(151),
    turnaround: SimTime::from_micros(150),
    transition_ma: 6.26,
    source: "Nordic nRF52840 product specification (radio currents); sleep and transitions [U]",
};

/// Nordic nRF54L15, BLE 1M, 3 V (radio.md §C1 [V]); System ON sleep 1.1 µA (lower end of the
/// 1.1–4.3 µA range [V]).
pub const NRF54L15: ChipProfile = ChipProfile {
    name: "nrf54l15",
    supply_v: 3.0,
    tx_levels: &[(0.0, 4.8), (4.0, 6.6), (8.0, 9.8)],
    rx_ma: 3.4,
    idle_ma: 3.4,
    sleep_ma: 0.0011,
    wake_up: SimTime::from_micros(151),
    turnaround: SimTime::from_micros(150),
    transition_ma: 3.4,
    source: "Nordic nRF54L15 product specification; transitions [U]",
};

/// TI CC2340R5, BLE, DC/DC on (radio.md §C1 [V]); standby 0.71 µA (CC2340R2 [V]); supply 3 V
/// [U].
pub const CC2340R5: ChipProfile = ChipProfile {
    name: "cc2340r5",
    supply_v: 3.0,
    tx_levels: &[(-8.0, 4.0), (0.0, 5.1), (4.0, 7.7), (6.0, 8.9), (8.0, 10.7)],
    rx_ma: 5.3,
    idle_ma: 5.3,
    sleep_ma: 0.00071,
    wake_up: SimTime::from_micros(151),
    turnaround: SimTime::from_micros(150),
    transition_ma: 5.3,
    source: "TI CC2340R5 / CC2340R2 datasheets; supply and transitions [U]",
};

/// Espressif ESP32-S2 module, Wi-Fi, 3.3 V (radio.md §C1 [V]: 50 % TX duty averages): 11g
/// 54 Mbit/s at 15 dBm 145 mA, 11b 1 Mbit/s at 19.5 dBm 190 mA; RX 63 mA; idle is modem-sleep
/// (14–22 mA, midpoint 18 mA); sleep is light-sleep 0.55 mA.
pub const ESP32_S2: ChipProfile = ChipProfile {
    name: "esp32s2",
    supply_v: 3.3,
    tx_levels: &[(15.0, 145.0), (19.5, 190.0)],
    rx_ma: 63.0,
    idle_ma: 18.0,
    sleep_ma: 0.55,
    wake_up: SimTime::from_millis(1),
    turnaround: SimTime::from_micros(10),
    transition_ma: 63.0,
    source: "Espressif ESP32-S2-WROOM datasheet v1.1; transitions [U]",
};

/// Every chip profile, for the catalogue.
pub const CHIPS: [&ChipProfile; 5] = [&CC2420, &NRF52840, &NRF54L15, &CC2340R5, &ESP32_S2];

/// The energy a radio spends, by state, as it moves through its states.
///
/// Invariant: `since` is the instant the radio entered `state`; `spent[s]` holds the energy of
/// every closed interval spent in state `s`, and `transitions` the energy of every switch.
#[derive(Clone, Debug)]
pub struct RadioMeter {
    chip: ChipProfile,
    tx_ma: f64,
    state: RadioState,
    since: SimTime,
    spent: [Joules; 4],
    transitions: Joules,
}

impl RadioMeter {
    /// A radio of `chip` transmitting at `tx_ma`, in `state` from t = 0.
    pub fn new(chip: ChipProfile, tx_ma: f64, state: RadioState) -> RadioMeter {
        RadioMeter {
            chip,
            tx_ma,
            state,
            since: SimTime::ZERO,
            spent: [Joules(0.0); 4],
            transitions: Joules(0.0),
        }
    }

    /// The current state.
    pub fn state(&self) -> RadioState {
        self.state
    }

    /// Switches to `to` at `now` (≥ the last switch); returns how long the switch takes.
    pub fn switch(&mut self, now: SimTime, to: RadioState) -> SimTime {
        self.close(now);
        let (t, e) = self.chip.transition(self.state, to);
        self.transitions.0 += e.0;
        self.state = to;
        t
    }

    fn close(&mut self, now: SimTime) {
        let dt = now.saturating_sub(self.since);
        self.spent[self.state.index()].0 += self.chip.energy(self.state, self.tx_ma, dt).0;
        self.since = now;
    }

    /// Energy by state up to `now` (sleep, idle, RX, TX) and of transitions.
    pub fn spent_until(&self, now: SimTime) -> ([Joules; 4], Joules) {
        let mut spent = self.spent;
        let dt = now.saturating_sub(self.since);
        spent[self.state.index()].0 += self.chip.energy(self.state, self.tx_ma, dt).0;
        (spent, self.transitions)
    }

    /// Total energy up to `now`.
    pub fn total_until(&self, now: SimTime) -> Joules {
        let (s, t) = self.spent_until(now);
        Joules(s.iter().map(|j| j.0).sum::<f64>() + t.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tx_current_interpolates_between_datasheet_levels_and_refuses_others() {
        assert_eq!(CC2420.tx_current_ma(Dbm(0.0)), Ok(17.4));
        assert!((CC2420.tx_current_ma(Dbm(-2.0)).unwrap() - (15.4 + 16.7) / 2.0).abs() < 1e-12);
        assert_eq!(CC2340R5.tx_current_ma(Dbm(8.0)), Ok(10.7));
        let e = NRF52840.tx_current_ma(Dbm(60.0)).unwrap_err();
        assert_eq!((e.min, e.max), (-40.0, 8.0));
        assert!(NRF52840.tx_current_ma(Dbm(f64::NAN)).is_err());
        for chip in CHIPS {
            assert!(
                chip.tx_levels
                    .windows(2)
                    .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1),
                "{}",
                chip.name
            );
        }
    }

    #[test]
    fn listening_continuously_matches_the_closed_form_lifetime() {
        // Castalia-style closed form: a battery of C joules listening at I_RX lasts C/(V·I).
        // Two AA cells, 2 × 2500 mAh at 1.5 V = 27 kJ; CC2420 at 3.3 V × 18.8 mA = 62.04 mW
        // → 435,203 s ≈ 5.04 days.
        let capacity = Joules::from_mah(5000.0, 1.5);
        let life = CC2420.lifetime_secs(capacity, RadioState::Rx, 0.0);
        assert!((life - 27_000.0 / 0.06204).abs() < 1e-6);
        let mut m = RadioMeter::new(CC2420, 17.4, RadioState::Rx);
        let end = SimTime::from_secs_f64(life);
        assert!((m.total_until(end).0 - capacity.0).abs() < 1e-6);
        // Switching to sleep and back costs exactly two wake-up transitions.
        m.switch(SimTime::from_secs(10), RadioState::Sleep);
        m.switch(SimTime::from_secs(20), RadioState::Rx);
        let (by_state, transitions) = m.spent_until(SimTime::from_secs(30));
        let wake = 3.3 * (62.0 / 3.3) * 1e-3 * 194e-6;
        assert!((transitions.0 - 2.0 * wake).abs() < 1e-15);
        assert!((by_state[RadioState::Rx.index()].0 - 3.3 * 18.8e-3 * 20.0).abs() < 1e-12);
        assert!((by_state[RadioState::Sleep.index()].0 - 3.3 * 0.02e-3 * 10.0).abs() < 1e-15);
    }
}
