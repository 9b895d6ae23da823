//! What a cipher costs: link-layer or end-to-end authenticated encryption (IEEE 802.15.6
//! security level 2, BLE LE Secure Connections, WPA2/3), a MAC, or a key agreement.
//!
//! # Cost model
//!
//! For a payload of `b` bytes, each end runs `cycles = per_message + per_byte · b` CPU cycles
//! (symmetric AEAD costs about the same both ways), and `overhead` bytes (nonce + tag) go on the
//! wire. The engine turns cycles into delay (`cycles / f_cpu`) and energy
//! (`cycles · energy per cycle`, booked as `crypto`), and the overhead into serialisation delay
//! and radio energy. Figures for each cipher come from the catalogue (`iomtsim catalog ciphers`)
//! with their sources in `../shared/domain/parameters.md` §C.

use sim_core::{Bytes, Cycles, LinkCost};

/// What a cryptographic primitive provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CipherKind {
    /// Authenticated encryption: confidentiality and integrity.
    Aead,
    /// Message authentication only: integrity, no confidentiality.
    Mac,
    /// Key agreement (one operation per handshake; `cycles_per_message` is per operation).
    KeyAgreement,
    /// Digital signature (sign cost in `cycles_per_message`).
    Signature,
}

impl CipherKind {
    /// The scenario name of the kind.
    pub fn name(self) -> &'static str {
        match self {
            CipherKind::Aead => "aead",
            CipherKind::Mac => "mac",
            CipherKind::KeyAgreement => "key_agreement",
            CipherKind::Signature => "signature",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<CipherKind> {
        [
            CipherKind::Aead,
            CipherKind::Mac,
            CipherKind::KeyAgreement,
            CipherKind::Signature,
        ]
        .into_iter()
        .find(|k| k.name() == s)
    }

    /// Whether packets it protects are unreadable to an eavesdropper.
    pub fn encrypts(self) -> bool {
        self == CipherKind::Aead
    }
}

/// How a defense uses a cipher profile (its `cipher:` key): the profile it takes by default and
/// the kinds of primitive it can run, which validation checks a scenario's choice against.
#[derive(Clone, Copy, Debug)]
pub struct CipherUse {
    /// The catalogue cipher taken when the scenario names none.
    pub default: &'static str,
    /// The kinds of primitive it accepts.
    pub kinds: &'static [CipherKind],
    /// The requirement in words, for the error when another kind is named.
    pub needs: &'static str,
}

impl CipherUse {
    /// A cipher run on every packet: authenticated encryption, or a MAC that authenticates
    /// without hiding.
    pub const fn per_packet(default: &'static str) -> CipherUse {
        CipherUse {
            default,
            kinds: &[CipherKind::Aead, CipherKind::Mac],
            needs: "an `aead` or `mac` cipher, priced per packet",
        }
    }

    /// A MAC on every packet.
    pub const fn mac(default: &'static str) -> CipherUse {
        CipherUse {
            default,
            kinds: &[CipherKind::Mac],
            needs: "a `mac` cipher",
        }
    }

    /// A key agreement, priced per handshake.
    pub const fn handshake(default: &'static str) -> CipherUse {
        CipherUse {
            default,
            kinds: &[CipherKind::KeyAgreement],
            needs: "a `key_agreement` cipher, priced per handshake",
        }
    }

    /// Whether a primitive of `kind` will do.
    pub fn admits(&self, kind: CipherKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// What one cipher costs on the devices it runs on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CipherCost {
    /// Bulk cost, CPU cycles per payload byte.
    pub cycles_per_byte: f64,
    /// Fixed cost per message (finalisation, MAC key blocks), CPU cycles.
    pub cycles_per_message: u64,
    /// Bytes added to each packet (nonce or counter, authentication tag).
    pub overhead: Bytes,
}

impl CipherCost {
    /// Cycles to protect (or check) one payload of `size`: `per_message + ⌈per_byte · size⌉`.
    #[inline]
    pub fn cycles(&self, size: Bytes) -> Cycles {
        let bulk = (self.cycles_per_byte * f64::from(size.0)).ceil() as u64;
        Cycles(self.cycles_per_message + bulk)
    }

    /// Two ciphers applied to the same packet (a MAC defense and link encryption on one
    /// link): each runs on every packet and adds its bytes, so cycles and overhead add up.
    #[inline]
    pub fn and(self, other: CipherCost) -> CipherCost {
        CipherCost {
            cycles_per_byte: self.cycles_per_byte + other.cycles_per_byte,
            cycles_per_message: self.cycles_per_message + other.cycles_per_message,
            overhead: Bytes(self.overhead.0.saturating_add(other.overhead.0)),
        }
    }

    /// The engine-facing cost of one protected transmission of `size`.
    #[inline]
    pub fn link_cost(&self, size: Bytes) -> LinkCost {
        let cycles = self.cycles(size);
        LinkCost {
            overhead: self.overhead,
            sender_cycles: cycles,
            receiver_cycles: cycles,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_is_fixed_plus_per_byte() {
        // AES-128-CTR (33.6 c/B, Cortex-M4 asm) + HMAC-SHA256 (93 c/B, 11 776 cycles of key
        // blocks): 400 B cost 11 776 + 400 × 126.6 = 62 416 cycles at each end.
        let c = CipherCost {
            cycles_per_byte: 126.6,
            cycles_per_message: 11_776,
            overhead: Bytes(28),
        };
        assert_eq!(c.cycles(Bytes(400)), Cycles(62_416));
        let lc = c.link_cost(Bytes(400));
        assert_eq!(lc.overhead, Bytes(28));
        assert_eq!(lc.sender_cycles, lc.receiver_cycles);
    }
}
