//! `mutual_authentication`: Devices and their network authenticate each other and agree keys (ECDH,
//! or a biometric key from ECG inter-pulse intervals): forged identities, rogue access points,
//! false routing advertisements and unauthenticated wake-ups are refused once the key exists.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::MutualAuthentication,
    name: "mutual_authentication",
    targets: Targets::Nodes,
    cost: "one key agreement per device at start and per key rotation (cycles and handshake bytes at the device and its neighbour); ECG keys wait beats × heart period",
    about: "Devices and their network authenticate each other and agree keys (ECDH, or a biometric key from ECG inter-pulse intervals): forged identities, rogue access points, false routing advertisements and unauthenticated wake-ups are refused once the key exists.",
    params: &[
        param(
            "method",
            Unit::Choice(&["ecdh", "ecg_ipi"]),
            0.0,
            "ecdh",
            "ECDH key agreement (priced with `cipher`) or ECG inter-pulse-interval keys",
            "§E",
        ),
        param(
            "handshake_bytes",
            Unit::Bytes,
            193.0,
            "193B",
            "bytes exchanged per handshake",
            "§E: NAHAP, 193 B of messages (IEEE CE Mag. 2023)",
        ),
        param(
            "beats",
            Unit::Count,
            32.0,
            "32",
            "ECG beats needed for a 128-bit key (4 entropic bits per IPI)",
            "§E: 32 beats at 4 bits/IPI (Ortiz-Martin 2018); 8 in the fast variant",
        ),
        param(
            "heart_rate",
            Unit::PerSecond,
            1.25,
            "75/min",
            "the wearer's heart rate",
            "§E: 75 bpm (60–100)",
        ).positive(),
        param(
            "ipi_time",
            Unit::Seconds,
            0.023,
            "23ms",
            "CPU time to encode an ECG key on the device",
            "§E: 23 ms (Zhang, Poon & Zhang, IEEE TITB 2012)",
        ),
    ],
    cipher: Some(CipherUse::handshake("x25519")),
};

/// A key agreement between each targeted device and its peer, or keys from the ECG.
#[derive(Debug)]
pub(crate) struct Model {
    /// Keys from the ECG inter-pulse interval rather than a key agreement.
    ecg: bool,
    /// Bytes exchanged per handshake.
    handshake_bytes: f64,
    /// Beats the ECG method needs before a key exists.
    beats: f64,
    /// Heart rate, beats per second.
    heart_rate: f64,
    /// CPU time of the ECG encoding, seconds.
    ipi_time: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            ecg: p.word("method") == "ecg_ipi",
            handshake_bytes: p.num("handshake_bytes"),
            beats: p.num("beats"),
            heart_rate: p.num("heart_rate"),
            ipi_time: p.num("ipi_time"),
        }
    }
}

impl DefenseModel for Model {
    /// Each device's key exists from the start, or with the ECG after `beats / heart_rate`.
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        let cycles = at.spec.cipher.map_or(0.0, |c| c.cycles(Bytes(0)).0 as f64);
        for n in at.nodes() {
            p.key_ready[n] = SimTime::ZERO;
            if self.ecg && self.heart_rate > 0.0 {
                p.key_ready[n] = SimTime::from_secs_f64(self.beats / self.heart_rate);
            }
            p.handshake[n].get_or_insert(Handshake {
                ecg: self.ecg,
                bytes: self.handshake_bytes,
                ipi_time: self.ipi_time,
                cycles,
            });
        }
    }

    fn start(&mut self, l: &mut SecurityLayer, k: usize, acts: &mut Actions) {
        for &n in &l.defenses[k].spec.targets {
            handshake(l, n, acts);
        }
    }
}

/// Charges one mutual-authentication handshake at `node` and at the other end of its first
/// link: the key agreement's cycles (or, on the device, the ECG encoding time × its clock) and
/// the handshake bytes, half sent and half received by each.
pub(crate) fn handshake(l: &SecurityLayer, node: NodeId, acts: &mut Actions) {
    let Some(h) = l.protection.handshake[node.index()] else {
        return;
    };
    let peer = l.net.first_link(node);
    let ends = std::iter::once(node).chain(peer.map(|(_, n)| n));
    for (e, n) in ends.enumerate() {
        let (hz, j_per_cycle) = l.net.cpu(n);
        let c = if h.ecg && e == 0 {
            h.ipi_time * hz
        } else {
            h.cycles
        };
        acts.push(Action::Charge {
            node: n,
            component: Component::Crypto,
            energy: Joules(c * j_per_cycle),
        });
        if let Some((link, _)) = peer {
            let (tx, rx) = l.net.link_energy(link);
            let bits = h.bytes * 8.0 / 2.0;
            acts.push(Action::Charge {
                node: n,
                component: Component::RadioTx,
                energy: Joules(bits * tx),
            });
            acts.push(Action::Charge {
                node: n,
                component: Component::RadioRx,
                energy: Joules(bits * rx),
            });
        }
    }
}
