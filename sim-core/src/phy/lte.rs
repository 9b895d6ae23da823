//! The energy of an LTE modem: the RRC state machine of Huang et al., "A Close Examination of
//! Performance and Power Characteristics of 4G LTE Networks" (MobiSys 2012), radio.md §E.
//!
//! `RRC_IDLE` —data→ promotion (`T_pro` at `P_pro`) → `RRC_CONNECTED`, transferring at
//! `P = α_u·R_u + α_d·R_d + β` (R in Mbit/s) → tail (`T_tail` at `P_tail`, reset by any new
//! transfer) → `RRC_IDLE` at `P_idle`. The tail is why a phone that sends one small reading a
//! minute spends most of its radio energy doing nothing.
//!
//! Defaults are Huang et al.'s Table 3 as recalled in radio.md (tagged [U] there: the table was
//! not read): `T_pro` 260.1 ms at 1210.7 mW, tail 11.576 s at 1060 mW, α_u = 438.39 mW per
//! Mbit/s, α_d = 51.97 mW per Mbit/s, β = 1288.04 mW. The idle (DRX) power, 11.4 mW, is the
//! same paper's as recalled, also [U]. Every figure is a parameter.

use crate::time::SimTime;
use crate::units::{Joules, Watts};

/// The parameters of the RRC power model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LteParams {
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
    /// Power base while transferring, W.
    pub beta: Watts,
    /// Power in RRC_IDLE with DRX paging.
    pub idle_power: Watts,
}

impl Default for LteParams {
    fn default() -> Self {
        LteParams {
            promotion: SimTime::from_micros(260_100),
            promotion_power: Watts(1.2107),
            tail: SimTime::from_micros(11_576_000),
            tail_power: Watts(1.060),
            alpha_up: 0.43839,
            alpha_down: 0.05197,
            beta: Watts(1.28804),
            idle_power: Watts(0.0114),
        }
    }
}

/// An LTE modem's RRC state and the energy it has spent.
///
/// Invariant: `connected_until` is the end of the current tail (≤ `accounted`: idle); energy is
/// accounted up to `accounted`, which never goes back.
#[derive(Clone, Debug)]
pub struct LteModem {
    params: LteParams,
    connected_until: SimTime,
    accounted: SimTime,
    energy: Joules,
}

impl LteModem {
    /// An idle modem at t = 0.
    pub fn new(params: LteParams) -> LteModem {
        LteModem {
            params,
            connected_until: SimTime::ZERO,
            accounted: SimTime::ZERO,
            energy: Joules(0.0),
        }
    }

    /// Accounts the idle and tail time between the last activity and `now`.
    fn settle(&mut self, now: SimTime) {
        if now <= self.accounted {
            return;
        }
        let tail_end = self.connected_until.min(now).max(self.accounted);
        self.energy.0 +=
            self.params.tail_power.0 * tail_end.saturating_sub(self.accounted).as_secs_f64();
        self.energy.0 += self.params.idle_power.0 * now.saturating_sub(tail_end).as_secs_f64();
        self.accounted = now;
    }

    /// A transfer asked for at `now` that keeps the radio busy for `duration` at uplink and
    /// downlink rates `up_mbps` and `down_mbps`. Returns the delay before the data flows (the
    /// promotion when the modem was idle, else zero). Transfers come in time order and do not
    /// overlap (the caller serialises them on the link).
    pub fn transfer(
        &mut self,
        now: SimTime,
        duration: SimTime,
        up_mbps: f64,
        down_mbps: f64,
    ) -> SimTime {
        let idle = now >= self.connected_until;
        self.settle(now);
        let mut t = now;
        let delay = if idle {
            self.energy.0 += self.params.promotion_power.0 * self.params.promotion.as_secs_f64();
            t = t.saturating_add(self.params.promotion);
            self.params.promotion
        } else {
            SimTime::ZERO
        };
        let p = self.params.alpha_up * up_mbps
            + self.params.alpha_down * down_mbps
            + self.params.beta.0;
        self.energy.0 += p * duration.as_secs_f64();
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
        let p = LteParams::default();
        let mut m = LteModem::new(p);
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
        let p = LteParams::default();
        let mut m = LteModem::new(p);
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
}
