//! The attack × defense rules that applied in a scenario: the rows of the rule table
//! ([`attacks::rules::RULES`]) whose attack kind and defense kind the scenario (as run) both
//! has, with the scenario's own names for them.

use super::page::{Cell, table};
use attacks::catalogue::{attack, defense};
use attacks::rules::RULES;
use serde_json::Value;

/// `(name, kind)` of each entry of a scenario list (`attacks:` or `defenses:`).
fn entries(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let kind = e["kind"].as_str()?.to_string();
            let name = e["name"].as_str().unwrap_or(&kind).to_string();
            Some((name, kind))
        })
        .collect()
}

fn named(list: &[(String, String)], kind: &str) -> String {
    list.iter()
        .filter(|(_, k)| k == kind)
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rules table for the scenario as run (`resolved`: its `attacks` and `defenses`);
/// `None` when no attack meets a defense of the scenario.
pub fn rules(resolved: &Value) -> Option<String> {
    let attacks = entries(&resolved["attacks"]);
    let defenses = entries(&resolved["defenses"]);
    let rows: Vec<Vec<Cell>> = RULES
        .iter()
        .filter_map(|r| {
            let a = attack(r.attack).name;
            let d = defense(r.defense).name;
            let (an, dn) = (named(&attacks, a), named(&defenses, d));
            (!an.is_empty() && !dn.is_empty()).then(|| {
                vec![
                    Cell::text(format!("{an} ({a})")),
                    Cell::text(format!("{dn} ({d})")),
                    Cell::text(r.effect.name()),
                    Cell::code(r.metric),
                    Cell::text(r.how),
                ]
            })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(table(
        "Rules of the attack × defense table that met in this scenario (docs/attack-defense-matrix.md has them all)",
        &["attack", "defense", "effect", "seen in", "how"],
        &rows,
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_pairs_the_scenario_has_are_listed() {
        let resolved = json!({
            "attacks": [{"name": "sniffer", "kind": "eavesdrop"}],
            "defenses": [{"name": "wpa2", "kind": "link_encryption"}, {"name": "fw", "kind": "rate_limit"}]
        });
        let t = rules(&resolved).unwrap();
        assert!(
            t.contains("sniffer (eavesdrop)") && t.contains("wpa2 (link_encryption)"),
            "{t}"
        );
        assert!(t.contains(">prevents<"), "{t}");
        // Eavesdropping does not meet rate limiting in the table.
        assert!(!t.contains("rate_limit"), "{t}");
        assert!(rules(&json!({"attacks": [], "defenses": []})).is_none());
    }
}
