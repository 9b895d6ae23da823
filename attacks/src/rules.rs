//! The rule table: how each attack meets each defense, written once.
//!
//! The models do not hard-code which defense stops which attack: they ask
//! [`RuleMasks::prevents`], [`RuleMasks::reduces`] and [`RuleMasks::detects`] about the defenses present where the attack
//! strikes, and those read [`RULES`]. The same rows are printed by `iomtsim catalog rules` and
//! generated into `docs/attack-defense-matrix.md` ([`matrix_markdown`]; a test fails when the
//! file and this table differ). A pair with no row has no effect.

use crate::catalogue::{self, AttackKind, DefenseKind};

mod masks;
pub use masks::{DefenseSet, RuleMasks};

/// What a defense does to an attack where both meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The attack achieves nothing there.
    Prevents,
    /// The attack achieves less (by a parameter of the defense or the attack).
    Reduces,
    /// The defense detects the attack, after a delay, and its response may end it.
    Detects,
    /// Listed because one might expect an effect: there is none.
    NoEffect,
}

impl Effect {
    /// The word used in the table.
    pub fn name(self) -> &'static str {
        match self {
            Effect::Prevents => "prevents",
            Effect::Reduces => "reduces",
            Effect::Detects => "detects",
            Effect::NoEffect => "no effect",
        }
    }
}

/// One row: an attack, a defense, the effect and how.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The attack.
    pub attack: AttackKind,
    /// The defense.
    pub defense: DefenseKind,
    /// The effect.
    pub effect: Effect,
    /// The metric the effect shows in (`detections` for a detection: the attack is
    /// detected); the conformance test checks its direction for every row that prevents,
    /// reduces or detects.
    pub metric: &'static str,
    /// How, in words.
    pub how: &'static str,
}

const fn rule(
    attack: AttackKind,
    defense: DefenseKind,
    effect: Effect,
    metric: &'static str,
    how: &'static str,
) -> Rule {
    Rule {
        attack,
        defense,
        effect,
        metric,
        how,
    }
}

use AttackKind as A;
use DefenseKind as D;
use Effect::*;

const IDS_BLOCK: &str = "detected window/p after it starts acting on average; the response (block, isolate, rotate keys, reimage) ends it response_delay later";

/// The table, in catalogue order of attacks.
pub const RULES: &[Rule] = &[
    rule(
        A::Eavesdrop,
        D::LinkEncryption,
        Prevents,
        "records_exposed",
        "captured ciphertext exposes nothing; the capture still counts in packets_intercepted",
    ),
    rule(
        A::Eavesdrop,
        D::EndToEndEncryption,
        Prevents,
        "records_exposed",
        "the payload is encrypted from the device to its destination on every hop",
    ),
    rule(
        A::Eavesdrop,
        D::MessageAuthentication,
        NoEffect,
        "records_exposed",
        "a MAC authenticates but leaves the records readable",
    ),
    rule(
        A::Eavesdrop,
        D::Ids,
        NoEffect,
        "detections",
        "a passive listener sends nothing to detect",
    ),
    rule(
        A::NodeCapture,
        D::KeyRotation,
        Reduces,
        "records_exposed",
        "what the extracted key exposes ends at the next rotation",
    ),
    rule(
        A::NodeCapture,
        D::Ids,
        Detects,
        "detections",
        "an IDS on the captured device sees it tampered with; rotating keys then ends what the extracted key reads until the attacker extracts again",
    ),
    rule(
        A::NodeCapture,
        D::LinkEncryption,
        NoEffect,
        "records_exposed",
        "the extracted key decrypts the captured device's links",
    ),
    rule(
        A::NodeCapture,
        D::EndToEndEncryption,
        NoEffect,
        "records_exposed",
        "the device holds its end-to-end key too",
    ),
    rule(
        A::Spoofing,
        D::LinkEncryption,
        Prevents,
        "records_tampered_accepted",
        "the first receiver rejects frames without a valid tag",
    ),
    rule(
        A::Spoofing,
        D::MessageAuthentication,
        Prevents,
        "records_tampered_accepted",
        "the first receiver rejects frames without a valid tag",
    ),
    rule(
        A::Spoofing,
        D::EndToEndEncryption,
        Prevents,
        "records_tampered_accepted",
        "the destination rejects packets without the device's tag",
    ),
    rule(
        A::Spoofing,
        D::MutualAuthentication,
        Prevents,
        "records_tampered_accepted",
        "the forged identity cannot authenticate (once the key exists)",
    ),
    rule(A::Spoofing, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::Replay,
        D::Freshness,
        Prevents,
        "records_tampered_accepted",
        "counter or nonce: every copy is rejected; timestamp: copies older than the window are",
    ),
    rule(
        A::Replay,
        D::LinkEncryption,
        NoEffect,
        "records_tampered_accepted",
        "the copy carries a valid tag",
    ),
    rule(
        A::Replay,
        D::MessageAuthentication,
        NoEffect,
        "records_tampered_accepted",
        "the copy carries a valid tag",
    ),
    rule(
        A::Replay,
        D::EndToEndEncryption,
        NoEffect,
        "records_tampered_accepted",
        "the copy carries a valid tag",
    ),
    rule(A::Replay, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::DenialOfSleep,
        D::MutualAuthentication,
        Reduces,
        "sensor_radio_rx_j",
        "wake-ups must authenticate: a forged one is rejected after its reception, without the MAC's answer or the awake window",
    ),
    rule(A::DenialOfSleep, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::Jamming,
        D::FrequencyHopping,
        Reduces,
        "lost_attack",
        "a constant or random jammer covering channels_jammed of the c channels destroys min(channels_jammed, c)/c as many frames; a reactive jammer follows the hops",
    ),
    rule(
        A::Jamming,
        D::AdaptiveFrequencyHopping,
        Reduces,
        "lost_attack",
        "a covered channel leaves the channel map after `failures` jammed frames in a row: a constant or random jammer destroys at most channels_jammed × failures frames per link, then none; a reactive jammer follows the hops",
    ),
    rule(
        A::Jamming,
        D::Ids,
        Detects,
        "detections",
        "detected, but no response removes a radio jammer",
    ),
    rule(
        A::Mitm,
        D::LinkEncryption,
        Prevents,
        "records_exposed",
        "on the link: alterations fail the receiver's check and captures expose nothing; on a compromised node (after:): no effect, the node holds the keys",
    ),
    rule(
        A::Mitm,
        D::MessageAuthentication,
        Reduces,
        "records_tampered_accepted",
        "on the link: alterations fail the receiver's check, records stay readable; on a compromised node: no effect",
    ),
    rule(
        A::Mitm,
        D::EndToEndEncryption,
        Prevents,
        "records_exposed",
        "altered packets are rejected at the destination and captures expose nothing, on links and compromised nodes alike",
    ),
    rule(A::Mitm, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::Flood,
        D::RateLimit,
        Reduces,
        "latency_ms",
        "packets beyond the per-sender rate are rejected at the target's ingress, before its queue",
    ),
    rule(A::Flood, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::Sybil,
        D::MutualAuthentication,
        Prevents,
        "records_tampered_accepted",
        "identities without a device key cannot authenticate",
    ),
    rule(
        A::Sybil,
        D::EndToEndEncryption,
        Prevents,
        "records_tampered_accepted",
        "the destination rejects readings without the claimed device's tag",
    ),
    rule(
        A::Sybil,
        D::LinkEncryption,
        NoEffect,
        "records_tampered_accepted",
        "the compromised node holds valid link keys",
    ),
    rule(A::Sybil, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::Sinkhole,
        D::MutualAuthentication,
        Prevents,
        "lost_attack",
        "authenticated routing refuses the false low-cost advertisement",
    ),
    rule(
        A::Sinkhole,
        D::EndToEndEncryption,
        Reduces,
        "records_exposed",
        "attracted packets are not readable; the drops continue",
    ),
    rule(
        A::Sinkhole,
        D::Ids,
        Detects,
        "detections",
        "isolating the node makes routes avoid it",
    ),
    rule(
        A::SelectiveForwarding,
        D::Ids,
        Detects,
        "detections",
        "isolating the relay makes routes avoid it",
    ),
    rule(
        A::SelectiveForwarding,
        D::EndToEndEncryption,
        NoEffect,
        "lost_attack",
        "a dropped packet is lost, encrypted or not",
    ),
    rule(
        A::Wormhole,
        D::EndToEndEncryption,
        Reduces,
        "records_exposed",
        "tunnelled packets are not readable; drops continue",
    ),
    rule(
        A::Wormhole,
        D::MutualAuthentication,
        NoEffect,
        "records_exposed",
        "the tunnel relays authenticated frames unchanged",
    ),
    rule(
        A::Wormhole,
        D::LinkEncryption,
        NoEffect,
        "records_exposed",
        "the tunnel is the attackers' own link: only end-to-end encryption hides what crosses it",
    ),
    rule(
        A::Wormhole,
        D::Ids,
        Detects,
        "detections",
        "the tunnel is closed at the response",
    ),
    rule(
        A::RoutingManipulation,
        D::MutualAuthentication,
        Prevents,
        "latency_ms",
        "authenticated routing refuses the forged messages",
    ),
    rule(
        A::RoutingManipulation,
        D::Ids,
        Detects,
        "detections",
        "the links are restored at the response",
    ),
    rule(
        A::CredentialTheft,
        D::AccessControl,
        Reduces,
        "compromised_nodes_max",
        "with MFA each attempt succeeds with success_probability × mfa_factor",
    ),
    rule(
        A::CredentialTheft,
        D::Ids,
        Detects,
        "detections",
        "the stolen account is revoked at the response; footholds taken with it end",
    ),
    rule(
        A::Phishing,
        D::AccessControl,
        Reduces,
        "compromised_nodes_max",
        "with MFA a clicked e-mail yields a usable credential with probability mfa_factor",
    ),
    rule(
        A::Phishing,
        D::Ids,
        Detects,
        "detections",
        "the stolen account is revoked at the response; footholds taken with it end",
    ),
    rule(
        A::Intrusion,
        D::AuditLog,
        Detects,
        "detections",
        "the first altered record is found when its ledger entry is committed (write_latency); the intrusion ends",
    ),
    rule(A::Intrusion, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::Insider,
        D::AccessControl,
        Reduces,
        "records_exposed",
        "least privilege: records per incident × scope",
    ),
    rule(
        A::Insider,
        D::AuditLog,
        Detects,
        "detections",
        "the first incident is found when committed (write_latency); the insider's access ends",
    ),
    rule(
        A::Insider,
        D::HomomorphicEncryption,
        Prevents,
        "records_exposed",
        "records held as ciphertext expose nothing",
    ),
    rule(
        A::Insider,
        D::FederatedLearning,
        Prevents,
        "records_exposed",
        "the cloud holds no raw records",
    ),
    rule(
        A::Ransomware,
        D::Isolation,
        Reduces,
        "infected_hosts_max",
        "contacts do not cross a segment's edge",
    ),
    rule(
        A::Ransomware,
        D::Ids,
        Detects,
        "detections",
        "isolate: detected hosts stop spreading and are cut off; reimage: they come back after reimage_time",
    ),
    rule(
        A::Ransomware,
        D::HomomorphicEncryption,
        NoEffect,
        "infected_hosts_max",
        "ciphertext can be encrypted again: availability is lost all the same",
    ),
    rule(
        A::Exfiltration,
        D::HomomorphicEncryption,
        Prevents,
        "records_exposed",
        "only ciphertext leaves",
    ),
    rule(
        A::Exfiltration,
        D::FederatedLearning,
        Prevents,
        "records_exposed",
        "the cloud holds no raw records",
    ),
    rule(
        A::Exfiltration,
        D::EndToEndEncryption,
        NoEffect,
        "records_exposed",
        "data at rest at the destination is decrypted",
    ),
    rule(A::Exfiltration, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::DdosIngestion,
        D::RateLimit,
        Reduces,
        "latency_ms",
        "packets beyond the per-sender rate are rejected at the target's ingress, before its queue",
    ),
    rule(A::DdosIngestion, D::Ids, Detects, "detections", IDS_BLOCK),
    rule(
        A::LateralMovement,
        D::Isolation,
        Prevents,
        "compromised_nodes_max",
        "no move crosses a segment's edge",
    ),
    rule(
        A::LateralMovement,
        D::Ids,
        Detects,
        "detections",
        "isolate: the footholds are cut off and the movement ends",
    ),
    rule(
        A::TherapyManipulation,
        D::LinkEncryption,
        Prevents,
        "unsafe_commands_executed",
        "the actuator rejects commands without a valid tag on its link",
    ),
    rule(
        A::TherapyManipulation,
        D::MessageAuthentication,
        Prevents,
        "unsafe_commands_executed",
        "the actuator rejects commands without a valid tag on its link",
    ),
    rule(
        A::TherapyManipulation,
        D::EndToEndEncryption,
        Prevents,
        "unsafe_commands_executed",
        "the actuator rejects commands without the sender's tag",
    ),
    rule(
        A::TherapyManipulation,
        D::MutualAuthentication,
        Prevents,
        "unsafe_commands_executed",
        "the forged controller cannot authenticate",
    ),
    rule(
        A::TherapyManipulation,
        D::Ids,
        Detects,
        "detections",
        IDS_BLOCK,
    ),
    rule(
        A::TrafficAnalysis,
        D::Padding,
        Prevents,
        "events_inferred",
        "padding with cover traffic (cover_rate > 0) leaves nothing to infer; padding alone hides sizes, not an alarm's timing",
    ),
    rule(
        A::TrafficAnalysis,
        D::LinkEncryption,
        NoEffect,
        "events_inferred",
        "sizes and timing stay visible",
    ),
    rule(
        A::TrafficAnalysis,
        D::EndToEndEncryption,
        NoEffect,
        "events_inferred",
        "sizes and timing stay visible",
    ),
    rule(
        A::TrafficAnalysis,
        D::Ids,
        NoEffect,
        "detections",
        "a passive observer sends nothing to detect",
    ),
    rule(
        A::RogueAccessPoint,
        D::MutualAuthentication,
        Prevents,
        "records_exposed",
        "the device authenticates the network before associating",
    ),
    rule(
        A::RogueAccessPoint,
        D::EndToEndEncryption,
        Prevents,
        "records_exposed",
        "the rogue AP relays ciphertext and cannot alter it undetected",
    ),
    rule(
        A::RogueAccessPoint,
        D::LinkEncryption,
        NoEffect,
        "records_exposed",
        "the rogue AP is the link's other end",
    ),
    rule(
        A::RogueAccessPoint,
        D::Ids,
        Detects,
        "detections",
        IDS_BLOCK,
    ),
    rule(
        A::Blackhole,
        D::Ids,
        Detects,
        "detections",
        "isolating the relay makes routes avoid it",
    ),
    rule(
        A::Blackhole,
        D::EndToEndEncryption,
        NoEffect,
        "lost_attack",
        "a dropped packet is lost, encrypted or not",
    ),
    rule(
        A::Blackhole,
        D::MutualAuthentication,
        NoEffect,
        "lost_attack",
        "the relay is a member of the network: it authenticates",
    ),
];

/// The effect of `defense` on `attack` (`None`: no row, no effect).
pub fn effect(attack: AttackKind, defense: DefenseKind) -> Option<Effect> {
    RULES
        .iter()
        .find(|r| r.attack == attack && r.defense == defense)
        .map(|r| r.effect)
}

/// The attack × defense matrix and the rule table as Markdown: what
/// `docs/attack-defense-matrix.md` holds.
pub fn matrix_markdown() -> String {
    let mut s = String::new();
    s.push_str("# Attack × defense matrix\n\n");
    s.push_str("Generated from `attacks/src/rules.rs` and the catalogue entries in `attacks/src/attack/` and `attacks/src/defense/` (a test fails when this file and the code differ; regenerate with `iomtsim catalog rules --markdown > docs/attack-defense-matrix.md`).\n\n");
    s.push_str("Legend: **P** prevents, **R** reduces, **D** detects, **–** listed as no effect; blank: the defense does not meet the attack.\n\n");
    let defenses: Vec<_> = catalogue::DEFENSES
        .iter()
        .filter(|d| RULES.iter().any(|r| r.defense == d.kind))
        .collect();
    s.push_str("| attack |");
    for d in &defenses {
        s.push_str(&format!(" {} |", d.name));
    }
    s.push_str("\n|---|");
    for _ in &defenses {
        s.push_str(":-:|");
    }
    s.push('\n');
    for a in catalogue::ATTACKS {
        s.push_str(&format!("| {} |", a.name));
        for d in &defenses {
            let cell = match effect(a.kind, d.kind) {
                Some(Prevents) => "P",
                Some(Reduces) => "R",
                Some(Detects) => "D",
                Some(NoEffect) => "–",
                None => "",
            };
            s.push_str(&format!(" {cell} |"));
        }
        s.push('\n');
    }
    s.push_str("\n## Attacks\n\nA compromise grants a privilege on the node; an attack chained after another (`after:`) acts from its footholds only if they carry at least the privilege it requires.\n\n| attack | layer | STRIDE | MITRE ATT&CK | needs | grants | requires | moves |\n|---|---|---|---|---|---|---|---|\n");
    for a in catalogue::ATTACKS {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            a.name,
            a.layer,
            a.stride,
            a.attack_id,
            a.precondition.name(),
            a.grants.name(),
            a.requires.name(),
            a.moves
        ));
    }
    s.push_str(
        "\n## Rules\n\n| attack | defense | effect | metric | how |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            catalogue::attack(r.attack).name,
            catalogue::defense(r.defense).name,
            r.effect.name(),
            r.metric,
            r.how
        ));
    }
    s.push_str("\n## Parameters\n\n| kind | parameter | unit | default | meaning | source |\n|---|---|---|---|---|---|\n");
    let rows = catalogue::ATTACKS
        .iter()
        .map(|a| (a.name, a.params))
        .chain(catalogue::DEFENSES.iter().map(|d| (d.name, d.params)));
    for (kind, params) in rows {
        for p in params {
            s.push_str(&format!(
                "| {kind} | {} | {} | {} | {} | {} |\n",
                p.name,
                p.unit.describe(),
                p.default_text,
                p.about,
                p.source
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::Origin;

    #[test]
    fn each_pair_has_at_most_one_row_and_every_attack_meets_a_defense() {
        assert!(
            catalogue::DEFENSES.len() <= 32,
            "a DefenseSet holds 32 kinds"
        );
        for (i, a) in RULES.iter().enumerate() {
            assert!(
                RULES[i + 1..]
                    .iter()
                    .all(|b| (b.attack, b.defense) != (a.attack, a.defense)),
                "{a:?} twice"
            );
        }
        for a in catalogue::ATTACKS {
            let stopped = RULES
                .iter()
                .any(|r| r.attack == a.kind && r.effect != NoEffect);
            assert!(
                stopped,
                "no defense prevents, reduces or detects {}",
                a.name
            );
        }
    }

    #[test]
    fn masks_answer_as_the_table_says() {
        let m = RuleMasks::default();
        let mut aead = DefenseSet::EMPTY;
        aead.insert(DefenseKind::LinkEncryption);
        let mut mac = DefenseSet::EMPTY;
        mac.insert(DefenseKind::MessageAuthentication);
        assert!(m.prevents(AttackKind::Eavesdrop, aead));
        assert!(!m.prevents(AttackKind::Eavesdrop, mac));
        assert!(m.prevents(AttackKind::Spoofing, mac));
        assert!(!m.prevents(AttackKind::Replay, aead.union(mac)));
        assert!(m.reduces(AttackKind::Flood, {
            let mut s = DefenseSet::EMPTY;
            s.insert(DefenseKind::RateLimit);
            s
        }));
        assert!(m.detects(AttackKind::Spoofing, DefenseKind::Ids));
        assert!(!m.detects(AttackKind::Eavesdrop, DefenseKind::Ids));
        for r in RULES {
            let mut s = DefenseSet::EMPTY;
            s.insert(r.defense);
            assert_eq!(m.prevents(r.attack, s), r.effect == Prevents, "{r:?}");
            assert_eq!(m.reduces(r.attack, s), r.effect == Reduces, "{r:?}");
            assert_eq!(m.detects(r.attack, r.defense), r.effect == Detects, "{r:?}");
        }
    }

    #[test]
    fn a_destination_rejects_what_a_defense_stops_for_every_kind_making_it() {
        let m = RuleMasks::default();
        let only = |kind| {
            let mut s = DefenseSet::EMPTY;
            s.insert(kind);
            s
        };
        let (e2e, fresh) = (
            only(DefenseKind::EndToEndEncryption),
            only(DefenseKind::Freshness),
        );
        // A replayed copy carries a valid tag: only freshness rejects it.
        assert!(m.rejects_at_destination(Origin::Replayed, fresh));
        assert!(!m.rejects_at_destination(Origin::Replayed, e2e));
        // Altered (MITM, rogue AP) and forged (spoofing, Sybil, forged commands) packets fail
        // the end-to-end tag; freshness says nothing about them.
        for origin in [Origin::Tampered, Origin::Forged] {
            assert!(m.rejects_at_destination(origin, e2e), "{origin:?}");
            assert!(!m.rejects_at_destination(origin, fresh), "{origin:?}");
        }
        // Link encryption stops spoofing but not Sybil (which holds link keys): not enough to
        // reject a forged packet whoever made it.
        assert!(!m.rejects_at_destination(Origin::Forged, only(DefenseKind::LinkEncryption)));
        assert!(!m.rejects_at_destination(Origin::Genuine, e2e.union(fresh)));
    }

    #[test]
    fn the_generated_matrix_is_the_committed_one() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/attack-defense-matrix.md"
        );
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == matrix_markdown(),
            "docs/attack-defense-matrix.md is out of date: run `cargo run -- catalog rules --markdown > docs/attack-defense-matrix.md`"
        );
    }
}
