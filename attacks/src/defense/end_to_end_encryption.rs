//! `end_to_end_encryption`: Authenticated encryption from the targeted groups' devices to their
//! destinations: compromised relays, rogue access points and cloud-side interception see ciphertext
//! and cannot alter undetected.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::EndToEndEncryption,
    name: "end_to_end_encryption",
    targets: Targets::Nodes,
    cost: "cipher cycles at the source and the destination only; nonce and tag bytes on every hop",
    about: "Authenticated encryption from the targeted groups' devices to their destinations: compromised relays, rogue access points and cloud-side interception see ciphertext and cannot alter undetected.",
    params: &[],
    cipher: Some(CipherUse::per_packet("aes128_ctr_hmac_sha256")),
};

/// A cipher from the targeted devices to their destinations.
#[derive(Debug)]
pub(crate) struct Model;

impl Model {
    pub(crate) fn new(_p: &ParamReader<'_>) -> Self {
        Model
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for n in at.nodes() {
            p.e2e[n] = at.spec.cipher;
        }
    }
}
