//! The security layer: a scenario's attacks and defenses, plugged into the engine as its hooks.

use crate::eavesdrop::{EavesdropState, Eavesdropper};
use crate::link_encryption::{CipherCost, LinkEncryption};
use crate::rules::{HopProtection, eavesdrop_exposes};
use sim_core::{Hooks, LinkCost, Scalar, SimTime, Transmission};

/// The attacks and defenses of a scenario, independent of any replication.
#[derive(Clone, Debug, Default)]
pub struct SecuritySpec {
    /// Eavesdroppers.
    pub eavesdroppers: Vec<Eavesdropper>,
    /// Link-encryption deployments.
    pub link_encryption: Vec<LinkEncryption>,
}

impl SecuritySpec {
    /// The hooks for one replication: per-link protection resolved, random streams seeded.
    pub fn instantiate(&self, link_count: usize, seed: u64) -> SecurityLayer {
        let mut cipher = vec![None; link_count];
        for d in &self.link_encryption {
            for l in &d.links {
                if let Some(slot) = cipher.get_mut(l.index()) {
                    *slot = Some((d.cipher, d.encrypts));
                }
            }
        }
        SecurityLayer {
            cipher,
            eavesdroppers: self
                .eavesdroppers
                .iter()
                .map(|e| EavesdropState::new(e.clone(), link_count, seed))
                .collect(),
            records_exposed: 0,
            packets_intercepted: 0,
        }
    }
}

/// A replication's security state; implements [`Hooks`].
#[derive(Debug)]
pub struct SecurityLayer {
    /// `cipher[link]`: the cipher protecting that link, if any, and whether it encrypts.
    cipher: Vec<Option<(CipherCost, bool)>>,
    eavesdroppers: Vec<EavesdropState>,
    records_exposed: u64,
    packets_intercepted: u64,
}

impl SecurityLayer {
    /// Records exposed so far (measured window).
    pub fn records_exposed(&self) -> u64 {
        self.records_exposed
    }
}

impl Hooks for SecurityLayer {
    #[inline]
    fn on_transmit(&mut self, tx: &Transmission) -> LinkCost {
        let cipher = self.cipher.get(tx.link.index()).copied().flatten();
        let protection = match cipher {
            Some((_, true)) => HopProtection::LinkEncryption,
            _ => HopProtection::None,
        };
        for e in &mut self.eavesdroppers {
            if e.captures(tx.link, tx.now) && tx.measured {
                self.packets_intercepted += 1;
                if eavesdrop_exposes(protection) {
                    self.records_exposed += u64::from(tx.packet.records);
                }
            }
        }
        cipher.map_or(LinkCost::default(), |(c, _)| c.link_cost(tx.packet.size))
    }

    fn report(&self, out: &mut Vec<Scalar>) {
        out.push(("records_exposed", Some(self.records_exposed as f64)));
        out.push(("packets_intercepted", Some(self.packets_intercepted as f64)));
    }

    /// The breach timeline's series: records exposed and packets intercepted so far (measured
    /// window, cumulative). Compromises, detections and the `compromised_nodes` series come
    /// with the attacks and defenses that cause them, through `sample` and `incidents`.
    fn sample(&self, _now: SimTime, out: &mut Vec<Scalar>) {
        out.push(("records_exposed", Some(self.records_exposed as f64)));
        out.push(("packets_intercepted", Some(self.packets_intercepted as f64)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ActiveWindow;
    use sim_core::{Bytes, LinkId, NodeId, Packet, PacketKind, SourceId, TrafficClass};

    fn tx(link: u32, at_s: u64) -> Transmission {
        Transmission {
            now: SimTime::from_secs(at_s),
            link: LinkId(link),
            from: NodeId(0),
            to: NodeId(1),
            packet: Packet {
                created: SimTime::from_secs(at_s),
                source: SourceId(0),
                dst: NodeId(1),
                size: Bytes(100),
                records: 3,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
            },
            measured: true,
        }
    }

    fn spec(encrypt: bool) -> SecuritySpec {
        SecuritySpec {
            eavesdroppers: vec![Eavesdropper {
                name: "sniffer".into(),
                links: vec![LinkId(0)],
                window: ActiveWindow {
                    start: SimTime::from_secs(10),
                    duration: Some(SimTime::from_secs(10)),
                },
                capture_probability: 1.0,
            }],
            link_encryption: if encrypt {
                vec![LinkEncryption {
                    name: "aead".into(),
                    cipher: CipherCost {
                        cycles_per_byte: 43.6,
                        cycles_per_message: 0,
                        overhead: Bytes(28),
                    },
                    encrypts: true,
                    links: vec![LinkId(0)],
                }]
            } else {
                vec![]
            },
        }
    }

    #[test]
    fn plaintext_captures_expose_records_only_on_targeted_links_while_active() {
        let mut s = spec(false).instantiate(2, 1);
        assert_eq!(s.on_transmit(&tx(0, 5)), LinkCost::default()); // before start
        s.on_transmit(&tx(1, 12)); // other link
        s.on_transmit(&tx(0, 12));
        s.on_transmit(&tx(0, 19));
        s.on_transmit(&tx(0, 20)); // window is [10 s, 20 s)
        assert_eq!(s.records_exposed(), 6);
        let mut series = Vec::new();
        s.sample(SimTime::from_secs(30), &mut series);
        assert_eq!(
            series,
            [
                ("records_exposed", Some(6.0)),
                ("packets_intercepted", Some(2.0))
            ]
        );
    }

    #[test]
    fn encryption_stops_exposure_and_costs_bytes_and_cycles() {
        let mut s = spec(true).instantiate(2, 1);
        let cost = s.on_transmit(&tx(0, 12));
        assert_eq!(cost.overhead, Bytes(28));
        assert_eq!(cost.sender_cycles.0, 4360);
        assert_eq!(s.records_exposed(), 0);
        assert_eq!(s.packets_intercepted, 1);
        assert_eq!(s.on_transmit(&tx(1, 12)), LinkCost::default());
    }
}
