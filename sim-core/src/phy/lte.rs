//! The energy of a client modem with a tail: the LTE RRC state machine of Huang et al., "A Close
//! Examination of Performance and Power Characteristics of 4G LTE Networks" (MobiSys 2012),
//! radio.md §E, and Wi-Fi client power save, which has the same shape.
//!
//! `RRC_IDLE` —data→ promotion (`T_pro` at `P_pro`) → `RRC_CONNECTED`, transferring at
//! `P = α_u·R_u + α_d·R_d + β` (R in Mbit/s) → tail (`T_tail` at `P_tail`, reset by any new
//! transfer) → `RRC_IDLE` at `P_idle`. The tail is why a phone that sends one small reading a
//! minute spends most of its radio energy doing nothing.
//!
//! LTE defaults ([`ModemParams::lte`]) are Huang et al.'s Table 3 as recalled in radio.md
//! (tagged [U] there: the table was not read): `T_pro` 260.1 ms at 1210.7 mW, tail 11.576 s at
//! 1060 mW, α_u = 438.39 mW per Mbit/s, α_d = 51.97 mW per Mbit/s, β = 1288.04 mW. The idle
//! (DRX) power, 11.4 mW, is the same paper's as recalled, also [U]. Every figure is a parameter.
//!
//! Wi-Fi power save ([`ModemParams::wifi_power_save`]): the client dozes between beacons
//! (averaging the ESP32-S2's modem-sleep current, 14–22 mA, midpoint 18 mA at 3.3 V = 59.4 mW,
//! radio.md §C1 [V]), wakes at once to send (the chip's 1 ms wake-up at 63 mA, [U]), sends at
//! the 11g TX current (145 mA at 15 dBm = 478.5 mW [V]) or receives at 63 mA (207.9 mW [V]),
//! and stays awake listening for an inactivity timeout before dozing again (100 ms at the RX
//! current, [U]: an assumption, no figure in radio.md).

use crate::time::SimTime;
use crate::units::{Joules, Watts};

/// The parameters of a tail power model (LTE RRC, Wi-Fi power save).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModemParams {
    /// Promotion delay from idle to connected.
    pub promotion: SimTime,
    /// Power during promotion.
    pub promotion_power: Watts,
    /// Tail length after the last transfer.
    pub tail: SimTime,
    /// Power during the tail.
    pub tail_power: Watts,
    /// Uplink power slope, W per Mbit/s.
    pub alpha_up: f64,
    /// Downlink power slope, W per Mbit/s.
    pub alpha_down: f64,
    /// Power base while sending, W.
    pub beta: Watts,
    /// Power base while receiving, W (LTE: the same β).
    pub beta_down: Watts,
    /// Power in RRC_IDLE with DRX paging.
    pub idle_power: Watts,
}

impl ModemParams {
    /// LTE, Huang et al. 2012 Table 3 as recalled in radio.md §E ([U]).
    pub const fn lte() -> ModemParams {
        ModemParams {
            promotion: SimTime::from_micros(260_100),
            promotion_power: Watts(1.2107),
            tail: SimTime::from_micros(11_576_000),
            tail_power: Watts(1.060),
            alpha_up: 0.43839,
            alpha_down: 0.05197,
            beta: Watts(1.28804),
            beta_down: Watts(1.28804),
            idle_power: Watts(0.0114),
        }
    }

    /// Wi-Fi client power save on an ESP32-S2-class chip at 3.3 V (radio.md §C1; the wake-up
    /// and the 100 ms inactivity timeout are [U]).
    pub const fn wifi_power_save() -> ModemParams {
        ModemParams {
            promotion: SimTime::from_millis(1),
            promotion_power: Watts(0.063 * 3.3),
            tail: SimTime::from_millis(100),
            tail_power: Watts(0.063 * 3.3),
            alpha_up: 0.0,
            alpha_down: 0.0,
            beta: Watts(0.145 * 3.3),
            beta_down: Watts(0.063 * 3.3),
            idle_power: Watts(0.018 * 3.3),
        }
    }

    /// Whether every power is finite and at least the idle power, and every time finite: what
    /// the above-idle split of [`Modem`] needs.
    pub fn is_valid(&self) -> bool {
        let p = [
            self.promotion_power.0,
            self.tail_power.0,
            self.beta.0,
            self.beta_down.0,
        ];
        self.idle_power.0 >= 0.0
            && p.iter().all(|&w| w.is_finite() && w >= self.idle_power.0)
            && self.alpha_up >= 0.0
            && self.alpha_down >= 0.0
    }
}

impl Default for ModemParams {
    fn default() -> Self {
        ModemParams::lte()
    }
}

/// Energy a [`Modem`] spent above its idle power, split into the active part (promotion and
/// transfers) and the waiting part (tails), J.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AboveIdle {
    /// Promotions and transfers, above idle.
    pub active: f64,
    /// Tails, above idle.
    pub tail: f64,
}

/// A modem's state (idle, promoting, connected, tail) and the energy it has spent.
///
/// Invariant: `connected_until` is the end of the current tail (≤ `accounted`: idle); energy is
/// accounted up to `accounted`, which never goes back; `busy` and `tailing` are the seconds
/// accounted at the active and tail powers, so that the energy above idle is
/// `active − P_idle·busy` and `tail − P_idle·tailing`.
#[derive(Clone, Debug)]
pub struct Modem {
    params: ModemParams,
    connected_until: SimTime,
    accounted: SimTime,
    energy: Joules,
    active: f64,
    tail: f64,
    busy: f64,
    tailing: f64,
}

impl Modem {
    /// An idle modem at t = 0.
    pub fn new(params: ModemParams) -> Modem {
        Modem {
            params,
            connected_until: SimTime::ZERO,
            accounted: SimTime::ZERO,
            energy: Joules(0.0),
            active: 0.0,
            tail: 0.0,
            busy: 0.0,
            tailing: 0.0,
        }
    }

    /// The modem's parameters.
    pub fn params(&self) -> &ModemParams {
        &self.params
    }

    /// Accounts the idle and tail time between the last activity and `now`.
    pub fn settle(&mut self, now: SimTime) {
        if now <= self.accounted {
            return;
        }
        let tail_end = self.connected_until.min(now).max(self.accounted);
        let tail_s = tail_end.saturating_sub(self.accounted).as_secs_f64();
        let e_tail = self.params.tail_power.0 * tail_s;
        self.energy.0 += e_tail;
        self.tail += e_tail;
        self.tailing += tail_s;
        self.energy.0 += self.params.idle_power.0 * now.saturating_sub(tail_end).as_secs_f64();
        self.accounted = now;
    }

    /// The energy above idle accounted so far (up to the last settle or the end of the last
    /// transfer).
    pub fn above_idle(&self) -> AboveIdle {
        let idle = self.params.idle_power.0;
        AboveIdle {
            active: self.active - idle * self.busy,
            tail: self.tail - idle * self.tailing,
        }
    }

    /// A transfer asked for at `now` that keeps the radio busy for `duration` at uplink and
    /// downlink rates `up_mbps` and `down_mbps` (base power β when sending, β_down when only
    /// receiving). Returns the delay before the data flows (the promotion when the modem was
    /// idle, else zero). A transfer asked for while an earlier one is still in progress (the
    /// two directions of a link overlap) is accounted as if it followed it: one radio serves
    /// one transfer at a time.
    pub fn transfer(
        &mut self,
        now: SimTime,
        duration: SimTime,
        up_mbps: f64,
        down_mbps: f64,
    ) -> SimTime {
        let now = now.max(self.accounted);
        let idle = now >= self.connected_until;
        self.settle(now);
        let mut t = now;
        let delay = if idle {
            let e = self.params.promotion_power.0 * self.params.promotion.as_secs_f64();
            self.energy.0 += e;
            self.active += e;
            self.busy += self.params.promotion.as_secs_f64();
            t = t.saturating_add(self.params.promotion);
            self.params.promotion
        } else {
            SimTime::ZERO
        };
        let base = if up_mbps > 0.0 || down_mbps <= 0.0 {
            self.params.beta.0
        } else {
            self.params.beta_down.0
        };
        let p = self.params.alpha_up * up_mbps + self.params.alpha_down * down_mbps + base;
        let e = p * duration.as_secs_f64();
        self.energy.0 += e;
        self.active += e;
        self.busy += duration.as_secs_f64();
        t = t.saturating_add(duration);
        self.accounted = t;
        self.connected_until = t.saturating_add(self.params.tail);
        delay
    }

    /// Energy spent up to `now` (≥ the end of the last transfer).
    pub fn energy_until(&mut self, now: SimTime) -> Joules {
        self.settle(now);
        self.energy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_transfer_then_silence_costs_promotion_transfer_and_tail() {
        let p = ModemParams::lte();
        let mut m = Modem::new(p);
        let start = SimTime::from_secs(5);
        let d = SimTime::from_millis(10);
        assert_eq!(m.transfer(start, d, 1.0, 0.0), p.promotion);
        let end = SimTime::from_secs(60);
        let busy = p.promotion.as_secs_f64() + 0.010;
        let want = p.idle_power.0 * 5.0
            + p.promotion_power.0 * p.promotion.as_secs_f64()
            + (p.alpha_up + p.beta.0) * 0.010
            + p.tail_power.0 * p.tail.as_secs_f64()
            + p.idle_power.0 * (55.0 - busy - p.tail.as_secs_f64());
        assert!(
            (m.energy_until(end).0 - want).abs() < 1e-9,
            "{} vs {want}",
            m.energy_until(end).0
        );
        // The 10 ms transfer is 1.7 % of that energy: the tail dominates (≈ 12.3 J of it).
        assert!(p.tail_power.0 * p.tail.as_secs_f64() > 0.9 * (want - p.idle_power.0 * 43.0));
    }

    #[test]
    fn a_transfer_inside_the_tail_needs_no_promotion_and_restarts_the_tail() {
        let p = ModemParams::lte();
        let mut m = Modem::new(p);
        let d = SimTime::from_millis(10);
        m.transfer(SimTime::ZERO, d, 1.0, 0.0);
        let first_end = p.promotion.saturating_add(d);
        let second = first_end.saturating_add(SimTime::from_secs(5));
        assert_eq!(m.transfer(second, d, 1.0, 0.0), SimTime::ZERO);
        let second_end = second.saturating_add(d);
        let end = second_end.saturating_add(p.tail);
        let want = p.promotion_power.0 * p.promotion.as_secs_f64()
            + 2.0 * (p.alpha_up + p.beta.0) * 0.010
            + p.tail_power.0 * (5.0 + p.tail.as_secs_f64());
        assert!((m.energy_until(end).0 - want).abs() < 1e-9);
    }

    #[test]
    fn energy_above_idle_splits_into_the_active_part_and_the_tail() {
        // Wi-Fi power save, ESP32-S2 at 3.3 V: a 2 ms send wakes the client (1 ms at 63 mA),
        // sends at 145 mA, then stays awake 100 ms at 63 mA; dozing is 18 mA.
        let p = ModemParams::wifi_power_save();
        assert!(p.is_valid());
        assert!((p.idle_power.0 - 0.0594).abs() < 1e-12);
        let mut m = Modem::new(p);
        assert_eq!(
            m.transfer(SimTime::from_secs(1), SimTime::from_millis(2), 1.0, 0.0),
            p.promotion
        );
        m.settle(SimTime::from_secs(2));
        let a = m.above_idle();
        let want_active = (0.2079 - 0.0594) * 0.001 + (0.4785 - 0.0594) * 0.002;
        let want_tail = (0.2079 - 0.0594) * 0.100;
        assert!((a.active - want_active).abs() < 1e-12, "{a:?}");
        assert!((a.tail - want_tail).abs() < 1e-12, "{a:?}");
        // Total = idle throughout + the parts above it.
        let total = m.energy_until(SimTime::from_secs(2)).0;
        assert!((total - (0.0594 * 2.0 + want_active + want_tail)).abs() < 1e-12);
        // A receive in the other direction while the send is still on the air follows it.
        let mut m = Modem::new(p);
        m.transfer(SimTime::ZERO, SimTime::from_millis(10), 1.0, 0.0);
        m.transfer(SimTime::from_millis(5), SimTime::from_millis(10), 0.0, 1.0);
        m.settle(SimTime::from_secs(1));
        let a = m.above_idle();
        let want =
            (0.2079 - 0.0594) * 0.001 + (0.4785 - 0.0594) * 0.010 + (0.2079 - 0.0594) * 0.010;
        assert!((a.active - want).abs() < 1e-12, "{a:?}");
    }
}
