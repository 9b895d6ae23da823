//! The rule table: how each attack meets each defense, written once.
//!
//! Models consult the functions below; [`RULES`] states the same rules as data, so that the
//! catalogue (`iomtsim catalog attacks`) and the documentation print exactly what the code does.
//! A test checks every row against its function.

/// What protects a packet on the hop being attacked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HopProtection {
    /// Nothing: the payload crosses in plaintext.
    None,
    /// Link-layer authenticated encryption on this hop.
    LinkEncryption,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The attack.
    pub attack: &'static str,
    /// The defense (or `none`).
    pub defense: &'static str,
    /// The outcome, in words.
    pub effect: &'static str,
}

/// The table, in the order `iomtsim catalog attacks` prints it.
pub const RULES: &[Rule] = &[
    Rule {
        attack: "eavesdrop",
        defense: "none",
        effect: "each captured packet exposes its records (records_exposed)",
    },
    Rule {
        attack: "eavesdrop",
        defense: "link_encryption",
        effect: "captured ciphertext exposes nothing; the capture still counts in packets_intercepted",
    },
];

/// Whether a captured packet exposes its records, given the hop's protection.
#[inline]
pub fn eavesdrop_exposes(protection: HopProtection) -> bool {
    match protection {
        HopProtection::None => true,
        HopProtection::LinkEncryption => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_states_what_the_code_does() {
        for rule in RULES.iter().filter(|r| r.attack == "eavesdrop") {
            let protection = match rule.defense {
                "none" => HopProtection::None,
                "link_encryption" => HopProtection::LinkEncryption,
                other => panic!("unknown defense {other} in the rule table"),
            };
            let says_exposed = rule.effect.contains("exposes its records");
            assert_eq!(eavesdrop_exposes(protection), says_exposed, "{rule:?}");
        }
    }
}
