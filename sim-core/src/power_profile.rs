//! What a device draws besides its sleep current and the bits it sends: when its radio
//! listens, its sensing front end, and its MCU's work per sample and per packet.
//!
//! # Model
//!
//! - **Listen schedule** of a node's radio on radio links ([`ListenSchedule`]), with the chip's
//!   currents (`phy::radio`, radio.md §C1–C2):
//!   - `Continuous` — the receiver is on all the time, listening at the RX current (Castalia's
//!     idle-listen, a hub or gateway that receives): `P = V · I_rx`;
//!   - `DutyCycled { period T, window w }` — it wakes every `T`, listens for `w` (a BLE
//!     connection event, an 802.15.4 beacon) and sleeps again, paying the chip's wake-up and
//!     fall-asleep transitions each time: `P = (V · I_rx · w + 2 · E_wake) / T`, averaged over
//!     the period (exact at multiples of `T`);
//!   - `WakeToSend` — it sleeps and wakes only to send (or to take a frame addressed to it):
//!     no listening draw, a wake-up and a fall-asleep per burst of frames.
//!
//!   The radio's own sleep current is part of the device's `sleep_power` (a SoC's System ON
//!   figure includes its radio powered down) and is not added again.
//! - **Front end**: an analog front end (ECG AFE, PPG LED driver and photodiode AFE) draws
//!   `front_end` watts while the device samples, which is all the time it is alive.
//! - **MCU**: each sample takes `mcu_per_sample` of active time at `sample_rate`, each packet
//!   the source emits `mcu_per_packet`; active time is priced at the device's `cpu_hz ×
//!   energy_per_cycle` watts (radio.md §C3, parameters.md §C).
//!
//! The front end and the per-sample MCU work are a constant draw, booked as part of the
//! baseline under the `cpu` component (the device's electronics other than the radio); the
//! per-packet MCU work is a charge under `cpu` when the packet is emitted.

use crate::time::SimTime;
use crate::units::Watts;

/// When a node's radio listens on its radio links.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ListenSchedule {
    /// The default: `Continuous` for network- and cloud-layer nodes (hubs and gateways
    /// receive), `WakeToSend` for sensing-layer nodes.
    #[default]
    Auto,
    /// Receiver always on.
    Continuous,
    /// Wakes every `period` and listens for `window` (`window ≤ period`).
    DutyCycled {
        /// Time between wake-ups.
        period: SimTime,
        /// Listening time per wake-up.
        window: SimTime,
    },
    /// Asleep except to send (or to take a frame addressed to it).
    WakeToSend,
}

impl ListenSchedule {
    /// The schedule a node of `layer` gets when its profile says `Auto`.
    pub fn resolve(self, layer: crate::topology::Layer) -> ListenSchedule {
        match (self, layer) {
            (ListenSchedule::Auto, crate::topology::Layer::Sensing) => ListenSchedule::WakeToSend,
            (ListenSchedule::Auto, _) => ListenSchedule::Continuous,
            (s, _) => s,
        }
    }
}

/// A device's draw besides its sleep current and its links' bits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PowerProfile {
    /// When its radio listens on radio links.
    pub listen: ListenSchedule,
    /// Analog front end power while sampling, W.
    pub front_end: Watts,
    /// Samples per second the MCU handles, Hz.
    pub sample_rate: f64,
    /// MCU active time per sample.
    pub mcu_per_sample: SimTime,
    /// MCU active time per packet emitted.
    pub mcu_per_packet: SimTime,
}

impl PowerProfile {
    /// The constant draw of the front end and the per-sample MCU work, W, for an MCU whose
    /// active power is `mcu_active`: `P_fe + f_s · t_sample · P_mcu`.
    pub fn sensing_power(&self, mcu_active: Watts) -> Watts {
        Watts(
            self.front_end.0 + self.sample_rate * self.mcu_per_sample.as_secs_f64() * mcu_active.0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::Layer;

    #[test]
    fn auto_listens_on_hubs_and_sleeps_on_sensors() {
        assert_eq!(
            ListenSchedule::Auto.resolve(Layer::Network),
            ListenSchedule::Continuous
        );
        assert_eq!(
            ListenSchedule::Auto.resolve(Layer::Sensing),
            ListenSchedule::WakeToSend
        );
        let duty = ListenSchedule::DutyCycled {
            period: SimTime::from_millis(30),
            window: SimTime::from_micros(400),
        };
        assert_eq!(duty.resolve(Layer::Network), duty);
    }

    #[test]
    fn sensing_power_adds_the_front_end_and_the_mcu_per_sample() {
        // 0.55 mW AFE; 250 samples/s × 10 µs at 10.24 mW = 25.6 µW.
        let p = PowerProfile {
            front_end: Watts(0.55e-3),
            sample_rate: 250.0,
            mcu_per_sample: SimTime::from_micros(10),
            ..PowerProfile::default()
        };
        assert!((p.sensing_power(Watts(10.24e-3)).0 - (0.55e-3 + 25.6e-6)).abs() < 1e-15);
    }
}
