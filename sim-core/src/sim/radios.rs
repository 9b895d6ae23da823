//! The nodes' radios on radio links and their client modems on carrier and Wi-Fi links: what
//! each node draws to listen, and what each frame costs in radio states.
//!
//! # Radios on radio links
//!
//! A node has one radio per technology it uses on radio links (a hub's BLE radio serves every
//! body sensor's link), with the technology's chip and the node's [`ListenSchedule`] (see
//! [`crate::power_profile`] for the listening draw, booked as the node's `radio_rx` baseline).
//! A frame sent over `[start, end)` of airtime `t` at TX current `I_tx` (the chip's, at the
//! link end's transmit power) costs, at `V` volts:
//! - the sender: `V · I_tx · t` (`radio_tx`); a `Continuous` listener keeps drawing its RX
//!   current under the frame, so it pays only `V · max(I_tx − I_rx, 0) · t` plus two RX↔TX
//!   turnarounds; a `WakeToSend` radio pays a wake-up and a fall-asleep
//!   ([`ChipProfile::transition`]) unless the frame starts before the previous one it sent or
//!   took ended (a burst); a `DutyCycled` radio sends within its listen windows, whose
//!   transitions its baseline already pays;
//! - the receiver: nothing for a `Continuous` listener (it was listening at `I_rx` anyway);
//!   `V · I_rx · t` (`radio_rx`) for a `DutyCycled` one; that plus a wake-up and a
//!   fall-asleep (unless in a burst) for a `WakeToSend` one, as if it had polled for the frame.
//!
//! Links with fixed loss keep today's per-bit energy and never reach this stage.
//!
//! # Client modems
//!
//! A link whose profile gives its first endpoint a client modem ([`ModemParams`]: LTE RRC,
//! Wi-Fi power save) meters that end by the modem's states instead of per bit: its idle power
//! is part of the node's `radio_rx` baseline, every transfer (the packet's serialisation time,
//! either direction) books the promotion and transfer energy above idle (`radio_tx`), and the
//! tail above idle (`radio_rx`) is booked as it elapses: at the next transfer, at the end of
//! the warm-up and at the horizon. One modem per node and parameter set.
//!
//! Invariants: `ends[l][d]` is the radio at link `l`'s end `d` (`NONE` for fixed-loss links);
//! `clients[l]` the modem of link `l`'s first endpoint (`NONE` if it has none); each modem's
//! `booked` is the part of its above-idle energy already charged to the node's meter.
//! Allocation-free after construction.

use crate::battery::Component;
use crate::ids::{LinkId, NodeId};
use crate::phy::lte::{AboveIdle, Modem};
use crate::phy::radio::{ChipProfile, RadioState};
use crate::power_profile::ListenSchedule;
use crate::time::SimTime;
use crate::topology::Topology;
use crate::units::Watts;

const NONE: u32 = u32::MAX;

/// No energy on either radio component.
const NOTHING: EndCharges = [(Component::RadioTx, 0.0), (Component::RadioRx, 0.0)];

/// One node's radio for one technology.
#[derive(Clone, Debug)]
struct Radio {
    node: NodeId,
    chip: ChipProfile,
    listen: ListenSchedule,
    /// The end of the last frame it sent or took (a frame starting before it is in a burst).
    awake_until: SimTime,
}

/// One node's client modem.
#[derive(Clone, Debug)]
struct ClientModem {
    node: NodeId,
    modem: Modem,
    booked: AboveIdle,
}

/// Up to two charges for one end of a hop.
pub(super) type EndCharges = [(Component, f64); 2];

/// What one end of a hop costs: per bit (fixed-loss links without a modem), or these charges.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum EndEnergy {
    /// The link's energy per bit, as for any fixed-loss link.
    PerBit,
    /// Booked by the radio or modem states.
    Charges(EndCharges),
}

/// The radios and client modems of every node.
#[derive(Debug, Default)]
pub(super) struct Radios {
    /// Per link, its first endpoint (empty when no link has a radio or a modem).
    first: Vec<NodeId>,
    ends: Vec<[u32; 2]>,
    tx_ma: Vec<[f64; 2]>,
    radios: Vec<Radio>,
    clients: Vec<u32>,
    modems: Vec<ClientModem>,
    /// The draw of BLE connection events, per node end of each connection.
    connection_events: Vec<(NodeId, Watts)>,
}

/// An advertising PDU with 31 bytes of data at 1 Mbit/s: (1 + 4 + 2 + 6 + 31 + 3) bytes × 8 µs
/// = 376 µs ([D] from the PDU layout, radio.md §D2 [U]).
const ADV_PDU: SimTime = SimTime::from_micros(376);

/// What one connection event costs a radio that sends and receives an empty PDU (`pdu` each,
/// radio.md §D2: 80 µs) across T_IFS (`ifs`, 150 µs), J: a `Continuous` listener only the TX
/// current above RX and two turnarounds; any other wakes up for it (two transitions), listens
/// for the PDU and the interframe space and sends its own.
fn event_energy(
    chip: &ChipProfile,
    listen: ListenSchedule,
    tx_ma: f64,
    pdu: SimTime,
    ifs: SimTime,
) -> f64 {
    let v_a = chip.supply_v * 1e-3;
    let turn = chip.transition(RadioState::Rx, RadioState::Tx).1.0;
    match listen {
        ListenSchedule::Continuous | ListenSchedule::Auto => {
            v_a * (tx_ma - chip.rx_ma).max(0.0) * pdu.as_secs_f64() + 2.0 * turn
        }
        _ => {
            let wake = chip.transition(RadioState::Sleep, RadioState::Rx).1.0
                + chip.transition(RadioState::Rx, RadioState::Sleep).1.0;
            wake + turn
                + v_a * chip.rx_ma * (pdu.saturating_add(ifs)).as_secs_f64()
                + v_a * tx_ma * pdu.as_secs_f64()
        }
    }
}

/// The listening draw of `listen` on `chip`, W (see [`crate::power_profile`]).
pub fn listen_power(chip: &ChipProfile, listen: ListenSchedule) -> Watts {
    match listen {
        ListenSchedule::Continuous | ListenSchedule::Auto => {
            Watts(chip.supply_v * chip.rx_ma * 1e-3)
        }
        ListenSchedule::DutyCycled { period, window } => {
            if period == SimTime::ZERO {
                return Watts(0.0);
            }
            let window = window.min(period);
            let e_listen = chip.energy(RadioState::Rx, 0.0, window).0;
            let e_wake = chip.transition(RadioState::Sleep, RadioState::Rx).1.0
                + chip.transition(RadioState::Rx, RadioState::Sleep).1.0;
            Watts((e_listen + e_wake) / period.as_secs_f64())
        }
        ListenSchedule::WakeToSend => Watts(0.0),
    }
}

impl Radios {
    /// The radios of `topo`'s radio links (one per node and technology) and the modems of its
    /// client links (one per node and parameter set).
    pub(super) fn new(topo: &Topology) -> Radios {
        let mut r = Radios::default();
        let links = topo.link_count();
        if topo
            .link_ids()
            .all(|l| topo.radio(l).is_none() && topo.client_modem(l).is_none())
        {
            return r;
        }
        r.first = topo.link_ids().map(|l| topo.endpoints(l).0).collect();
        r.ends = vec![[NONE; 2]; links];
        r.tx_ma = vec![[0.0; 2]; links];
        r.clients = vec![NONE; links];
        let mut keys: Vec<(NodeId, &'static str)> = Vec::new();
        for l in topo.link_ids() {
            let (a, b) = topo.endpoints(l);
            if let Some(spec) = topo.radio(l) {
                let chip = spec.technology.chip;
                for (d, node) in [a, b].into_iter().enumerate() {
                    let key = (node, spec.technology.name);
                    let k = keys.iter().position(|x| *x == key).unwrap_or_else(|| {
                        keys.push(key);
                        r.radios.push(Radio {
                            node,
                            chip,
                            listen: topo.power(node).listen.resolve(topo.node(node).layer),
                            awake_until: SimTime::ZERO,
                        });
                        keys.len() - 1
                    });
                    r.ends[l.index()][d] = k as u32;
                    // Validation keeps powers within the chip's levels; outside them the RX
                    // current stands in.
                    r.tx_ma[l.index()][d] =
                        chip.tx_current_ma(spec.tx_power[d]).unwrap_or(chip.rx_ma);
                }
            }
            if let Some(params) = topo.client_modem(l) {
                let k = r
                    .modems
                    .iter()
                    .position(|m| m.node == a && m.modem.params() == params)
                    .unwrap_or_else(|| {
                        r.modems.push(ClientModem {
                            node: a,
                            modem: Modem::new(*params),
                            booked: AboveIdle::default(),
                        });
                        r.modems.len() - 1
                    });
                r.clients[l.index()] = k as u32;
            }
            if let Some(crate::mac::Mac::Ble(p)) = topo.mac(l) {
                // The peripheral (first endpoint) attends every (1 + latency)-th event, the
                // central every one.
                for (d, every) in [(0usize, 1 + u64::from(p.latency)), (1, 1)] {
                    let radio = r.ends[l.index()][d];
                    if radio == NONE {
                        continue;
                    }
                    let rd = &r.radios[radio as usize];
                    let e = event_energy(
                        &rd.chip,
                        rd.listen,
                        r.tx_ma[l.index()][d],
                        p.empty_pdu,
                        p.t_ifs,
                    );
                    let period = p.interval.as_secs_f64() * every as f64;
                    r.connection_events.push((rd.node, Watts(e / period)));
                }
            }
        }
        r
    }

    /// `node`'s end of `link`: its direction (0 for the link's `from`) and the index of its
    /// radio; `None` when the link has no radio at that end.
    fn end(&self, link: LinkId, node: NodeId) -> Option<(usize, usize)> {
        let l = link.index();
        let dir = usize::from(self.first.get(l).is_some_and(|&f| f != node));
        let radio = *self.ends.get(l)?.get(dir)?;
        (radio != NONE).then_some((dir, radio as usize))
    }

    /// What `node`'s radio on `link` pays for `duration` in `state` (a backoff in idle, a CCA
    /// or an ACK wait in RX): nothing for a `Continuous` listener (its baseline already
    /// listens), else the chip's current in that state.
    pub(super) fn hold(
        &mut self,
        link: LinkId,
        node: NodeId,
        state: RadioState,
        duration: SimTime,
    ) -> EndCharges {
        let Some((_, radio)) = self.end(link, node) else {
            return NOTHING;
        };
        let r = &self.radios[radio];
        let e = match r.listen {
            ListenSchedule::Continuous | ListenSchedule::Auto => 0.0,
            _ => r.chip.energy(state, 0.0, duration).0,
        };
        [(Component::RadioTx, 0.0), (Component::RadioRx, e)]
    }

    /// What `node`'s BLE radio on `link` pays to advertise for `duration` while its
    /// connection is re-established: one advertising event per 100 ms ([U]), each an
    /// advertising PDU (376 µs) on the three advertising channels, each followed by T_IFS and
    /// an empty PDU's worth of listening (230 µs), plus a wake-up.
    pub(super) fn advertise(
        &mut self,
        link: LinkId,
        node: NodeId,
        duration: SimTime,
    ) -> EndCharges {
        let Some((dir, radio)) = self.end(link, node) else {
            return NOTHING;
        };
        let tx_ma = self.tx_ma[link.index()][dir];
        let r = &self.radios[radio];
        let events = (duration.as_nanos() / SimTime::from_millis(100).as_nanos()).max(1) as f64;
        let v_a = r.chip.supply_v * 1e-3;
        let listen = SimTime::from_micros(230).as_secs_f64();
        let (tx, rx) = match r.listen {
            ListenSchedule::Continuous | ListenSchedule::Auto => (
                v_a * (tx_ma - r.chip.rx_ma).max(0.0) * ADV_PDU.as_secs_f64(),
                0.0,
            ),
            _ => {
                let wake = r.chip.transition(RadioState::Sleep, RadioState::Tx).1.0
                    + r.chip.transition(RadioState::Rx, RadioState::Sleep).1.0;
                (
                    v_a * tx_ma * ADV_PDU.as_secs_f64() + wake / 3.0,
                    v_a * r.chip.rx_ma * listen,
                )
            }
        };
        [
            (Component::RadioTx, events * 3.0 * tx),
            (Component::RadioRx, events * 3.0 * rx),
        ]
    }

    /// Every node's listening and modem-idle draw: `(node, watts)` pairs, for the `radio_rx`
    /// baseline.
    pub(super) fn baselines(&self) -> impl Iterator<Item = (NodeId, Watts)> + '_ {
        self.radios
            .iter()
            .map(|r| (r.node, listen_power(&r.chip, r.listen)))
            .chain(
                self.modems
                    .iter()
                    .map(|m| (m.node, m.modem.params().idle_power)),
            )
            .chain(self.connection_events.iter().copied())
    }

    /// What the two ends of `link` pay for a packet sent by `from` over `[start, end)`, `bps`
    /// being the link's rate: `(sender, receiver)`. Per bit at once when no link has a radio
    /// or a modem.
    #[inline]
    pub(super) fn hop(
        &mut self,
        link: LinkId,
        from: NodeId,
        start: SimTime,
        end: SimTime,
        bps: f64,
    ) -> (EndEnergy, EndEnergy) {
        if self.ends.is_empty() {
            return (EndEnergy::PerBit, EndEnergy::PerBit);
        }
        let l = link.index();
        let dir = usize::from(self.first[l] != from);
        let mut out = [EndEnergy::PerBit; 2];
        let radio = self.ends[l];
        if radio[0] != NONE {
            out[dir] = EndEnergy::Charges(self.send(radio[dir], self.tx_ma[l][dir], start, end));
            out[1 - dir] = EndEnergy::Charges(self.take(radio[1 - dir], start, end));
        }
        let client = self.clients[l];
        if client != NONE {
            let m = &mut self.modems[client as usize];
            let mbps = bps * 1e-6;
            let (up, down) = if dir == 0 { (mbps, 0.0) } else { (0.0, mbps) };
            m.modem.transfer(start, end.saturating_sub(start), up, down);
            out[0] = EndEnergy::Charges(m.book());
        }
        (out[dir], out[1 - dir])
    }

    fn send(&mut self, radio: u32, tx_ma: f64, start: SimTime, end: SimTime) -> EndCharges {
        let r = &mut self.radios[radio as usize];
        let airtime = end.saturating_sub(start);
        let v_a = r.chip.supply_v * 1e-3;
        let e = match r.listen {
            ListenSchedule::Continuous | ListenSchedule::Auto => {
                let turn = r.chip.transition(RadioState::Rx, RadioState::Tx).1.0
                    + r.chip.transition(RadioState::Tx, RadioState::Rx).1.0;
                v_a * (tx_ma - r.chip.rx_ma).max(0.0) * airtime.as_secs_f64() + turn
            }
            ListenSchedule::DutyCycled { .. } => v_a * tx_ma * airtime.as_secs_f64(),
            ListenSchedule::WakeToSend => {
                let wake = if start < r.awake_until {
                    0.0
                } else {
                    r.chip.transition(RadioState::Sleep, RadioState::Tx).1.0
                        + r.chip.transition(RadioState::Tx, RadioState::Sleep).1.0
                };
                v_a * tx_ma * airtime.as_secs_f64() + wake
            }
        };
        r.awake_until = r.awake_until.max(end);
        [(Component::RadioTx, e), (Component::RadioRx, 0.0)]
    }

    fn take(&mut self, radio: u32, start: SimTime, end: SimTime) -> EndCharges {
        let r = &mut self.radios[radio as usize];
        let rx = r
            .chip
            .energy(RadioState::Rx, 0.0, end.saturating_sub(start))
            .0;
        let e = match r.listen {
            ListenSchedule::Continuous | ListenSchedule::Auto => 0.0,
            ListenSchedule::DutyCycled { .. } => rx,
            ListenSchedule::WakeToSend => {
                let wake = if start < r.awake_until {
                    0.0
                } else {
                    r.chip.transition(RadioState::Sleep, RadioState::Rx).1.0
                        + r.chip.transition(RadioState::Rx, RadioState::Sleep).1.0
                };
                rx + wake
            }
        };
        r.awake_until = r.awake_until.max(end);
        [(Component::RadioTx, 0.0), (Component::RadioRx, e)]
    }

    /// Settles every modem's tail up to `now`: the charges still to book, per node, in
    /// modem order (live or dead: the caller skips dead nodes).
    pub(super) fn settle(
        &mut self,
        now: SimTime,
    ) -> impl Iterator<Item = (NodeId, EndCharges)> + '_ {
        self.modems.iter_mut().map(move |m| {
            m.modem.settle(now);
            (m.node, m.book())
        })
    }
}

impl ClientModem {
    /// The above-idle energy not yet booked, marked booked.
    fn book(&mut self) -> EndCharges {
        let now = self.modem.above_idle();
        let charges = [
            (
                Component::RadioTx,
                (now.active - self.booked.active).max(0.0),
            ),
            (Component::RadioRx, (now.tail - self.booked.tail).max(0.0)),
        ];
        self.booked = now;
        charges
    }
}
