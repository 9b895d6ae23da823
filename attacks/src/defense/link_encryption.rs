//! `link_encryption`: Authenticated encryption on each targeted link (802.15.6 level 2, BLE Secure
//! Connections, WPA2/3). With a MAC-only cipher it authenticates without hiding.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::LinkEncryption,
    name: "link_encryption",
    targets: Targets::Links,
    cost: "cipher cycles per byte at both ends (crypto energy, delay) + nonce and tag bytes",
    about: "Authenticated encryption on each targeted link (802.15.6 level 2, BLE Secure Connections, WPA2/3). With a MAC-only cipher it authenticates without hiding.",
    params: &[],
    cipher: Some(CipherUse::per_packet("aes128_ctr_hmac_sha256")),
};

/// A cipher on the targeted links (per-packet cost in [`Protection::hop_cost`]).
#[derive(Debug)]
pub(crate) struct Model;

impl Model {
    pub(crate) fn new(_p: &ParamReader<'_>) -> Self {
        Model
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        p.protect_links(at);
    }
}
