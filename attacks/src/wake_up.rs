//! What forged frames cost the radio that hears them: a node's radio on its first radio link,
//! as an attacker's wake-up frames (`denial_of_sleep`) find it, priced from its own chip,
//! technology and MAC (radio.md §C1–C2, §D).
//!
//! # One frame
//!
//! A frame of `s` bytes takes `t_f = 8·(s + overhead)/R` on the air (the technology's framing
//! and rate). At supply `V` with receive current `I_rx` and transmit current `I_tx` (the chip's,
//! at the node's transmit power on that link), hearing it costs:
//! - a radio that sleeps until it has something to send (`WakeToSend`): a wake-up and a
//!   fall-asleep `E_wake` (the chip's transitions) and `V·I_rx·t_f`; a `DutyCycled` one (a BLE
//!   connection's events) hears the frame in a listen window whose transitions its baseline
//!   already pays: `V·I_rx·t_f` alone; a `Continuous` listener was receiving anyway and pays
//!   nothing for the frame itself (the engine prices a received frame the same way,
//!   `sim::radios`);
//! - when the victim accepts the frame (it is not authenticated, or nothing checks it), what
//!   its MAC makes it do next, then the `window` it stays awake for the data the wake-up
//!   announces (`V·I_rx·window`):
//!   - BLE connection (`ble_connection`): it keeps the connection event, listens `T_IFS` and
//!     answers with an empty PDU (`empty_pdu` at `I_tx`), two RX↔TX turnarounds;
//!   - 802.15.4 CSMA/CA with acknowledgements: it turns around and sends an ACK (the MAC's
//!     `ack_bytes` framed by the technology, at `I_tx`), two turnarounds;
//!   - 802.11 DCF: it listens `SIFS` and sends an ACK (the MAC's `ack` duration), two
//!     turnarounds;
//!   - no MAC: nothing more.
//!
//!   A `Continuous` listener pays only the TX current above RX and the turnarounds.
//! - An authenticated wake-up it rejects costs only the reception (wake-up and `t_f`).
//!
//! The frame holds the radio for `t_busy = t_f + t_listen + t_tx + 2·t_turn + window`. At `r`
//! frames per second with `r·t_busy < 1` the power is `r·E_frame`; at `r·t_busy ≥ 1` the radio
//! never sleeps (forced awake 100 %, Raymond et al. 2009, parameters.md §D): back-to-back
//! frames at `1/t_busy` per second, without the wake-ups.
//!
//! A link with a fixed loss has no chip: its receiver draws `E_rx,bit · R` while it hears a
//! frame (18.8 nJ/bit × 1 Mbit/s = 18.8 mW for `ble_1m`), and has neither wake-ups nor a MAC.
//!
//! # Contention
//!
//! Where the victim sends on a contended link, the attacker's frames (`r·t_f` of the air) make
//! its own frames wait, at the cost of its radio (a first-order model: the attacker's frames
//! are the only other traffic, their start times independent of the victim's):
//! - 802.15.4 CSMA/CA: a CCA of `T_CCA` finds the channel busy with probability
//!   `ρ = min(1, r·(t_f + T_CCA))`; the k-th busy CCA is followed by a backoff of mean
//!   `(2^BE_k − 1)/2` unit periods (`BE_k = min(macMinBE + k, macMaxBE)`, idle current) and
//!   another CCA (RX current): extra energy `Σ_{k=1}^{M} ρ^k·(V·I_idle·backoff_k + V·I_rx·T_CCA)`
//!   with `M = macMaxCSMABackoffs`, and the access fails (the frame is lost) with probability
//!   `ρ^{M+1}` (radio.md §D1);
//! - 802.11 DCF: the backoff freezes while the medium is busy, so the radio listens
//!   `ρ/(1 − ρ)` times longer than its idle access `DIFS + CWmin/2·slot` (`ρ = min(1, r·t_f)`;
//!   at `ρ = 1` it never gets the medium), extra energy `V·I_rx·(DIFS + CWmin/2·slot)·ρ/(1−ρ)`
//!   (radio.md §D3);
//! - BLE: connection events are scheduled, not contended: nothing.
//!
//! A `Continuous` listener pays nothing extra for busy CCAs or frozen backoffs (it listens at
//! `I_rx` anyway), only the losses.
//!
//! # Several victims on one channel
//!
//! The attacker sends `r` frames per second at each of its targets ([`aimed`]). Targets whose
//! radio links are on the same channel (technology and channel number) share its air: a CCA
//! or a frozen backoff there meets every frame sent on it, so each of `n` such victims contends
//! with `n·r` frames per second. One channel carries at most one frame at a time, so when
//! `n·r·t_f > 1` each victim gets `1/(n·t_f)` frames per second and the channel is busy all
//! the time (ρ = 1). A victim pays the reception of the frames aimed at it only: one that
//! overhears another's (its receiver on in a listen window at that moment) is not charged for
//! it, an underestimate at most by the share of time it listens. Targets on fixed-loss links
//! share no air: `r` each, no contention.

use sim_core::mac::Mac;
use sim_core::phy::radio::RadioState;
use sim_core::power_profile::ListenSchedule;
use sim_core::{Bytes, LinkId, Model, NodeId, SimTime};

/// A node's radio as the target of forged frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ListeningRadio {
    /// The link it hears the attacker on: its first radio link, else its first link.
    pub link: LinkId,
    /// Receive power `V·I_rx`, W.
    pub rx_w: f64,
    /// Transmit power `V·I_tx` at its level on the link, W.
    pub tx_w: f64,
    /// Idle power `V·I_idle` (a CSMA/CA backoff), W.
    pub idle_w: f64,
    /// Energy of a wake-up and a fall-asleep per frame, J: a `WakeToSend` radio's; 0 for a
    /// radio that listens anyway (`Continuous`, or in the windows of a `DutyCycled` one).
    pub wake_j: f64,
    /// Duration and energy of one RX↔TX turnaround.
    pub turn: (SimTime, f64),
    /// It listens all the time (a `Continuous` schedule): a frame's reception is free.
    pub listening: bool,
    /// Bit rate, bit/s.
    pub bit_rate: f64,
    /// Framing bytes around a payload.
    pub overhead: Bytes,
    /// Its link's medium access, if any.
    pub mac: Option<Mac>,
    /// The channel its radio link is on (technology, channel number); `None` on a fixed-loss
    /// link, which shares no air.
    pub channel: Option<(&'static str, u32)>,
}

/// What one forged frame costs the radio: energy in receive and in transmit (turnarounds
/// included), and how long it holds the radio.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameCost {
    /// Energy booked as `radio_rx`, J, without the wake-up.
    pub rx_j: f64,
    /// Energy booked as `radio_tx`, J.
    pub tx_j: f64,
    /// Time the frame holds the radio, s.
    pub busy_s: f64,
}

/// What the attacker's frames cost one of the victim's own frames on a contended link.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Contention {
    /// Extra energy in receive and idle (busy CCAs, backoffs, frozen backoffs), J.
    pub extra_j: f64,
    /// Probability the channel access fails and the frame is lost.
    pub fails: f64,
}

impl ListeningRadio {
    /// `node`'s radio in `model`: the chip, technology and MAC of its first radio link, or the
    /// per-bit figures of its first link; `None` for a node without links.
    pub fn of(model: &Model, node: NodeId) -> Option<ListeningRadio> {
        let topo = &model.topology;
        let mut links: Vec<_> = topo.neighbours(node).map(|(l, _)| l).collect();
        links.sort();
        let radio = links.iter().find_map(|&l| topo.radio(l).map(|r| (l, r)));
        if let Some((link, spec)) = radio {
            let chip = spec.technology.chip;
            let end = usize::from(topo.endpoints(link).0 != node);
            let w = |ma: f64| chip.supply_v * ma * 1e-3;
            let schedule = topo.power(node).listen.resolve(topo.node(node).layer);
            let listening = matches!(schedule, ListenSchedule::Continuous | ListenSchedule::Auto);
            let wake = chip.transition(RadioState::Sleep, RadioState::Rx).1.0
                + chip.transition(RadioState::Rx, RadioState::Sleep).1.0;
            let (turn_t, turn_j) = chip.transition(RadioState::Rx, RadioState::Tx);
            return Some(ListeningRadio {
                link,
                rx_w: w(chip.rx_ma),
                // Validation keeps powers within the chip's levels; outside them the RX
                // current stands in (as the engine's radios do).
                tx_w: w(chip.tx_current_ma(spec.tx_power[end]).unwrap_or(chip.rx_ma)),
                idle_w: w(chip.idle_ma),
                wake_j: if schedule == ListenSchedule::WakeToSend {
                    wake
                } else {
                    0.0
                },
                turn: (turn_t, turn_j.0),
                listening,
                bit_rate: spec.technology.bit_rate,
                overhead: spec.technology.overhead,
                mac: topo.mac(link).copied(),
                channel: Some((spec.technology.name, spec.channel)),
            });
        }
        let &link = links.first()?;
        let s = topo.link(link);
        Some(ListeningRadio {
            link,
            rx_w: s.rx_energy_per_bit.0 * s.rate.0,
            tx_w: s.tx_energy_per_bit.0 * s.rate.0,
            idle_w: 0.0,
            wake_j: 0.0,
            turn: (SimTime::ZERO, 0.0),
            listening: false,
            bit_rate: s.rate.0,
            overhead: Bytes(0),
            mac: None,
            channel: None,
        })
    }

    /// Airtime of a frame carrying `payload`, s.
    pub fn airtime(&self, payload: Bytes) -> f64 {
        f64::from(payload.0 + self.overhead.0) * 8.0 / self.bit_rate
    }

    /// What one frame of `size` costs; `accepted`: the victim takes it for a real wake-up and
    /// answers as its MAC does, then listens for `window`.
    pub fn frame(&self, size: Bytes, accepted: bool, window: SimTime) -> FrameCost {
        let t_f = self.airtime(size);
        let (mut listen, mut send, mut turns) = (t_f, 0.0, 0.0);
        if accepted {
            let (l, s, t) = match self.mac {
                Some(Mac::Ble(p)) => (p.t_ifs.as_secs_f64(), p.empty_pdu.as_secs_f64(), 2.0),
                Some(Mac::CsmaCa(p)) if p.acknowledged => (0.0, self.airtime(p.ack_bytes), 2.0),
                Some(Mac::Dcf(p)) => (p.sifs.as_secs_f64(), p.ack.as_secs_f64(), 2.0),
                _ => (0.0, 0.0, 0.0),
            };
            listen += l + window.as_secs_f64();
            send = s;
            turns = t;
        }
        let rx_j = if self.listening {
            0.0
        } else {
            self.rx_w * listen
        };
        let tx_w = if self.listening {
            (self.tx_w - self.rx_w).max(0.0)
        } else {
            self.tx_w
        };
        FrameCost {
            rx_j,
            tx_j: tx_w * send + turns * self.turn.1,
            busy_s: listen + send + turns * self.turn.0.as_secs_f64(),
        }
    }

    /// The power `(radio_rx, radio_tx)`, W, of `rate` frames per second of [`Self::frame`]:
    /// `rate·(E_wake + E_rx, E_tx)` while `rate·t_busy < 1`, else back-to-back frames at
    /// `1/t_busy` without wake-ups (the radio is kept awake all the time).
    pub fn power(&self, rate: f64, size: Bytes, accepted: bool, window: SimTime) -> (f64, f64) {
        let c = self.frame(size, accepted, window);
        if rate * c.busy_s < 1.0 {
            (rate * (self.wake_j + c.rx_j), rate * c.tx_j)
        } else {
            (c.rx_j / c.busy_s, c.tx_j / c.busy_s)
        }
    }

    /// What `rate` attacker frames of `size` per second on its channel (its own and other
    /// victims' there, [`Aimed::channel`]) cost each frame the victim sends on its link (see
    /// the module's "Contention").
    pub fn contention(&self, rate: f64, size: Bytes) -> Contention {
        let t_f = self.airtime(size);
        let pay = if self.listening { 0.0 } else { 1.0 };
        match self.mac {
            Some(Mac::CsmaCa(p)) => {
                let cca = p.cca.as_secs_f64();
                let rho = (rate * (t_f + cca)).min(1.0);
                let unit = p.unit_backoff.as_secs_f64();
                let mut extra = 0.0;
                let mut busy = 1.0;
                for k in 1..=u32::from(p.max_backoffs) {
                    busy *= rho;
                    let be = (u32::from(p.min_be) + k).min(u32::from(p.max_be));
                    let backoff = ((1u64 << be) - 1) as f64 / 2.0 * unit;
                    extra += busy * (self.idle_w * backoff + self.rx_w * cca);
                }
                Contention {
                    extra_j: pay * extra,
                    fails: busy * rho,
                }
            }
            Some(Mac::Dcf(p)) => {
                let rho = (rate * t_f).min(1.0);
                if rho >= 1.0 {
                    return Contention {
                        extra_j: 0.0,
                        fails: 1.0,
                    };
                }
                let access =
                    p.difs.as_secs_f64() + f64::from(p.cw_min) / 2.0 * p.slot.as_secs_f64();
                Contention {
                    extra_j: pay * self.rx_w * access * rho / (1.0 - rho),
                    fails: 0.0,
                }
            }
            _ => Contention::default(),
        }
    }
}

/// What an attacker sending `r` frames per second at each of its targets puts on one target's
/// air.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aimed {
    /// Frames per second aimed at this target (`r`, or `1/(n·t_f)` when its channel is full).
    pub own: f64,
    /// Frames per second on its channel, its own and the other targets' there (`n·own`).
    pub channel: f64,
}

/// Per node of `radios` (indexed by node), what `rate` frames of `size` per second at each of
/// `targets` (repeats count once) put on its air; `None` for a node not targeted or without
/// links. See the module's "Several victims on one channel".
pub fn aimed(
    radios: &[Option<ListeningRadio>],
    targets: &[NodeId],
    rate: f64,
    size: Bytes,
) -> Vec<Option<Aimed>> {
    let mut out: Vec<Option<Aimed>> = vec![None; radios.len()];
    let mut sharing: std::collections::BTreeMap<(&'static str, u32), u32> = Default::default();
    for &t in targets {
        let Some(Some(radio)) = radios.get(t.index()) else {
            continue;
        };
        if out[t.index()].is_some() {
            continue;
        }
        out[t.index()] = Some(Aimed {
            own: rate,
            channel: rate,
        });
        if let Some(ch) = radio.channel {
            *sharing.entry(ch).or_default() += 1;
        }
    }
    for (slot, radio) in out.iter_mut().zip(radios) {
        let (Some(a), Some(radio)) = (slot.as_mut(), radio) else {
            continue;
        };
        let Some(ch) = radio.channel else {
            continue;
        };
        let n = f64::from(sharing[&ch]);
        let t_f = radio.airtime(size);
        a.own = rate.min(1.0 / (n * t_f));
        a.channel = n * a.own;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::mac::{BleParams, CsmaCaParams, DcfParams, WifiStandard};

    /// An nRF52840 at 0 dBm, 3 V, BLE 1M (10 bytes of framing), waking to take each frame.
    fn nrf52840(mac: Option<Mac>) -> ListeningRadio {
        ListeningRadio {
            link: LinkId(0),
            rx_w: 3.0 * 6.26e-3,
            tx_w: 3.0 * 6.40e-3,
            idle_w: 3.0 * 6.26e-3,
            wake_j: 2.0 * 3.0 * 6.26e-3 * 151e-6,
            turn: (SimTime::from_micros(150), 3.0 * 6.26e-3 * 150e-6),
            listening: false,
            bit_rate: 1e6,
            overhead: Bytes(10),
            mac,
            channel: Some(("ble_1m", 0)),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 + 1e-9 * b.abs()
    }

    #[test]
    fn a_ble_wake_up_costs_its_airtime_the_connection_event_and_the_window() {
        let r = nrf52840(Some(Mac::Ble(BleParams::default())));
        let p = BleParams::default();
        // 20 B + 10 B of framing at 1 Mbit/s = 240 µs.
        let t_f = 240e-6;
        let rejected = r.frame(Bytes(20), false, SimTime::from_millis(5));
        assert!(close(rejected.rx_j, 0.01878 * t_f), "{rejected:?}");
        assert_eq!(rejected.tx_j, 0.0);
        let c = r.frame(Bytes(20), true, SimTime::from_millis(5));
        let listen = t_f + p.t_ifs.as_secs_f64() + 5e-3;
        assert!(close(c.rx_j, 0.01878 * listen), "{c:?}");
        let send = 0.0192 * p.empty_pdu.as_secs_f64() + 2.0 * r.turn.1;
        assert!(close(c.tx_j, send), "{c:?}");
        assert!(close(c.busy_s, listen + p.empty_pdu.as_secs_f64() + 300e-6));
        // 10 frames a second: energy = frames × (wake + RX + TX).
        let (rx, tx) = r.power(10.0, Bytes(20), true, SimTime::from_millis(5));
        assert!(close(rx, 10.0 * (r.wake_j + c.rx_j)) && close(tx, 10.0 * c.tx_j));
        // Authenticated: the reception and the wake-up only, a fraction of it.
        let (rx_a, tx_a) = r.power(10.0, Bytes(20), false, SimTime::from_millis(5));
        assert!(close(rx_a, 10.0 * (r.wake_j + rejected.rx_j)) && tx_a == 0.0);
        assert!(rx_a < 0.1 * rx);
    }

    #[test]
    fn frames_faster_than_the_radio_can_sleep_keep_it_awake_all_the_time() {
        let r = nrf52840(None);
        // 100 ms windows at 20/s: awake 100 %, the RX power itself, no wake-ups.
        let (rx, tx) = r.power(20.0, Bytes(20), true, SimTime::from_millis(100));
        assert!(close(rx, 0.01878) && tx == 0.0, "{rx}");
        // A continuous listener pays nothing to hear them.
        let hub = ListeningRadio {
            listening: true,
            wake_j: 0.0,
            ..r
        };
        assert_eq!(
            hub.power(20.0, Bytes(20), true, SimTime::from_millis(100)),
            (0.0, 0.0)
        );
    }

    #[test]
    fn an_802154_wake_up_is_acknowledged_and_busy_ccas_cost_backoffs() {
        let p = CsmaCaParams::default();
        // 802.15.4 at 250 kbit/s with 6 bytes of PHY framing, nRF52840 currents.
        let r = ListeningRadio {
            bit_rate: 250e3,
            overhead: Bytes(6),
            turn: (SimTime::from_micros(192), 0.0),
            ..nrf52840(Some(Mac::CsmaCa(p)))
        };
        let c = r.frame(Bytes(19), true, SimTime::ZERO);
        // 25 B = 800 µs received; ACK 5 + 6 B = 352 µs sent; two 192 µs turnarounds.
        assert!(close(c.rx_j, 0.01878 * 800e-6) && close(c.tx_j, 0.0192 * 352e-6));
        assert!(close(c.busy_s, 800e-6 + 352e-6 + 384e-6));
        // 500 frames a second: ρ = 500 × (800 + 128) µs = 0.464.
        let rho: f64 = 0.464;
        let k = r.contention(500.0, Bytes(19));
        let mut extra = 0.0;
        for (i, be) in [(1, 4u32), (2, 5), (3, 5), (4, 5)] {
            let backoff = ((1u64 << be) - 1) as f64 / 2.0 * 320e-6;
            extra += rho.powi(i) * 0.01878 * (backoff + 128e-6);
        }
        assert!(close(k.extra_j, extra), "{k:?} {extra}");
        assert!(close(k.fails, rho.powi(5)), "{k:?}");
        // No attack, no contention.
        assert_eq!(r.contention(0.0, Bytes(19)), Contention::default());
    }

    #[test]
    fn victims_on_one_channel_share_its_air_and_its_frames() {
        // Nodes 0 and 1 on 802.15.4 channel 0, node 2 on channel 1, node 3 on a fixed-loss
        // link, node 4 not targeted: 100 frames of 19 B (25 B framed, 800 µs) at each.
        let on = |ch: u32| ListeningRadio {
            bit_rate: 250e3,
            overhead: Bytes(6),
            channel: Some(("ieee802154", ch)),
            ..nrf52840(Some(Mac::CsmaCa(CsmaCaParams::default())))
        };
        let plain = ListeningRadio {
            channel: None,
            ..nrf52840(None)
        };
        let radios = [
            Some(on(0)),
            Some(on(0)),
            Some(on(1)),
            Some(plain),
            Some(on(0)),
        ];
        let targets = [NodeId(0), NodeId(1), NodeId(2), NodeId(3), NodeId(1)];
        let a = aimed(&radios, &targets, 100.0, Bytes(19));
        let pair = Aimed {
            own: 100.0,
            channel: 200.0,
        };
        let alone = Aimed {
            own: 100.0,
            channel: 100.0,
        };
        assert_eq!(
            a,
            vec![Some(pair), Some(pair), Some(alone), Some(alone), None]
        );
        // So each of the pair meets twice the busy CCAs of one victim alone.
        assert_eq!(
            radios[0]
                .unwrap()
                .contention(a[0].unwrap().channel, Bytes(19)),
            radios[0].unwrap().contention(200.0, Bytes(19))
        );
        // 1,000 frames a second at each of two: 1,600 ms of air per second does not fit; each
        // gets 1/(2 × 800 µs) = 625 a second and the channel is full.
        let full = aimed(&radios, &targets[..2], 1000.0, Bytes(19));
        assert!(close(full[0].unwrap().own, 625.0) && close(full[1].unwrap().channel, 1250.0));
        assert_eq!(radios[0].unwrap().contention(1250.0, Bytes(19)).fails, 1.0);
    }

    #[test]
    fn dcf_backoffs_freeze_and_ble_events_are_not_contended() {
        let p: DcfParams = WifiStandard::from_name("11g")
            .unwrap()
            .params(SimTime::from_micros(44));
        let r = ListeningRadio {
            bit_rate: 6e6,
            overhead: Bytes(0),
            ..nrf52840(Some(Mac::Dcf(p)))
        };
        // 750 B at 6 Mbit/s = 1 ms; 250 frames/s: ρ = 0.25, a third more listening.
        let k = r.contention(250.0, Bytes(750));
        let access = p.difs.as_secs_f64() + f64::from(p.cw_min) / 2.0 * p.slot.as_secs_f64();
        assert!(
            close(k.extra_j, 0.01878 * access / 3.0) && k.fails == 0.0,
            "{k:?}"
        );
        assert_eq!(r.contention(1000.0, Bytes(750)).fails, 1.0);
        let ble = nrf52840(Some(Mac::Ble(BleParams::default())));
        assert_eq!(ble.contention(1000.0, Bytes(20)), Contention::default());
    }
}
