//! Handover: which access point a roaming client (a patient's hub, a phone) is attached to.
//!
//! A roaming client has one candidate link per access point or gateway it may use. It starts
//! attached to the strongest. Every `scan_interval` it measures each candidate's mean received
//! signal at its current position (`P_tx − PL(d) − X`, the link's path loss and this run's
//! shadowing, no fast fading), and roams when both:
//! - the current link is below `threshold` (the client only looks for another AP then), and
//! - the strongest other candidate beats it by at least `hysteresis` dB,
//!
//! as Apple's clients do (scan below −70 dBm, a candidate ≥ 8 dB better when passing data;
//! radio.md §G). The hysteresis suppresses ping-pong between two APs of nearly equal signal.
//! Reassociation then takes `reassociation` (50–100 ms for WPA2-PSK, ≤ 50 ms with 802.11r fast
//! transition, several hundred ms for 802.1X without it; radio.md §G), during which the
//! client's traffic waits at its transmitter towards the new AP; the routes follow the new
//! attachment at once.

use crate::ids::{LinkId, NodeId};
use crate::phy::{Db, Dbm};
use crate::time::SimTime;

/// Roam trigger: iOS starts scanning below −70 dBm (Apple HT203068, radio.md §G).
pub const DEFAULT_THRESHOLD: Dbm = Dbm(-70.0);
/// Candidate margin: iOS wants ≥ 8 dB better while passing data (radio.md §G, [V*]).
pub const DEFAULT_HYSTERESIS: Db = Db(8.0);
/// Reassociation without fast transition: WPA2-PSK roams take 50–100 ms; the upper end
/// (radio.md §G).
pub const DEFAULT_REASSOCIATION: SimTime = SimTime::from_millis(100);
/// Reassociation with 802.11r fast BSS transition: it aims at ≤ 50 ms (radio.md §G).
pub const FAST_TRANSITION_REASSOCIATION: SimTime = SimTime::from_millis(50);
/// How often a client measures its candidates: once per beacon at 802.11's default beacon
/// period of 100 TU = 102.4 ms ([U]: the standard's default, not in radio.md).
pub const DEFAULT_SCAN_INTERVAL: SimTime = SimTime::from_micros(102_400);

/// How a roaming client decides and how long a roam takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RoamingParams {
    /// Below this signal from its AP the client looks for another.
    pub threshold: Dbm,
    /// How much stronger another AP must be.
    pub hysteresis: Db,
    /// Time to reassociate, during which the client's traffic waits.
    pub reassociation: SimTime,
    /// Time between two measurements.
    pub scan_interval: SimTime,
}

impl Default for RoamingParams {
    fn default() -> Self {
        RoamingParams {
            threshold: DEFAULT_THRESHOLD,
            hysteresis: DEFAULT_HYSTERESIS,
            reassociation: DEFAULT_REASSOCIATION,
            scan_interval: DEFAULT_SCAN_INTERVAL,
        }
    }
}

/// One roaming client: the node and its candidate links (one per access point), in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Roaming {
    /// The client.
    pub node: NodeId,
    /// Its links to the access points it may attach to (at least two).
    pub links: Vec<LinkId>,
    /// Its decision and timing.
    pub params: RoamingParams,
}

/// The index of the strongest signal (the lowest index on ties).
pub fn strongest(signals: &[Dbm]) -> usize {
    let mut best = 0;
    for (i, s) in signals.iter().enumerate() {
        if s.0 > signals[best].0 {
            best = i;
        }
    }
    best
}

/// Where a client attached to `current` roams given its candidates' `signals`: `None` while
/// the current signal holds at or above the threshold or no other candidate beats it by the
/// hysteresis, else the strongest other candidate.
pub fn decide(params: &RoamingParams, current: usize, signals: &[Dbm]) -> Option<usize> {
    let here = signals[current];
    if here.0 >= params.threshold.0 {
        return None;
    }
    let mut best: Option<usize> = None;
    for (i, s) in signals.iter().enumerate() {
        if i != current && best.is_none_or(|b| s.0 > signals[b].0) {
            best = Some(i);
        }
    }
    best.filter(|&b| signals[b].0 >= here.0 + params.hysteresis.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(hysteresis: f64) -> RoamingParams {
        RoamingParams {
            hysteresis: Db(hysteresis),
            ..RoamingParams::default()
        }
    }

    #[test]
    fn a_client_stays_above_the_threshold_and_roams_below_it_by_the_margin() {
        let p = params(8.0);
        assert_eq!(strongest(&[Dbm(-80.0), Dbm(-60.0), Dbm(-60.0)]), 1);
        // Strong enough: stays even if another is much better.
        assert_eq!(decide(&p, 0, &[Dbm(-69.0), Dbm(-40.0)]), None);
        // Weak, but the other is only 7 dB better: stays.
        assert_eq!(decide(&p, 0, &[Dbm(-75.0), Dbm(-68.0)]), None);
        // 8 dB better: roams, to the strongest other.
        assert_eq!(
            decide(&p, 0, &[Dbm(-75.0), Dbm(-67.0), Dbm(-60.0)]),
            Some(2)
        );
        assert_eq!(decide(&params(0.0), 1, &[Dbm(-74.0), Dbm(-75.0)]), Some(0));
    }
}
