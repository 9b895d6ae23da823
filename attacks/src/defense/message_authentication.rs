//! `message_authentication`: A MAC on every packet of the targeted links: altered and forged frames
//! fail the receiver's check; the payload stays readable.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::MessageAuthentication,
    name: "message_authentication",
    targets: Targets::Links,
    cost: "MAC cycles per byte at both ends + tag bytes",
    about: "A MAC on every packet of the targeted links: altered and forged frames fail the receiver's check; the payload stays readable.",
    params: &[],
    cipher: Some(CipherUse::mac("hmac_sha256")),
};

/// A MAC on the targeted links: deployed as a link cipher that authenticates without
/// encrypting, the same model as [`super::link_encryption`].
pub(crate) type Model = super::link_encryption::Model;
