//! Bad input never panics: random text, mutations of every example (lines deleted, duplicated,
//! values swapped, types changed) and hostile YAML (alias bombs, deep nesting) are each either
//! accepted and built, or refused with at least one diagnostic carrying a message.

use crate::*;
use proptest::prelude::*;

const EXAMPLES: &[(&str, &str)] = &[
    ("ward.yaml", include_str!("../../examples/ward.yaml")),
    (
        "hospital.yaml",
        include_str!("../../examples/hospital.yaml"),
    ),
    ("home.yaml", include_str!("../../examples/home.yaml")),
    ("implant.yaml", include_str!("../../examples/implant.yaml")),
    ("insulin.yaml", include_str!("../../examples/insulin.yaml")),
    ("campus.yaml", include_str!("../../examples/campus.yaml")),
    (
        "corridor.yaml",
        include_str!("../../examples/corridor.yaml"),
    ),
];

/// Values that break types, ranges and units.
const HOSTILE: &[&str] = &[
    "-1",
    "0",
    "1e308",
    "-1e308",
    "[]",
    "{}",
    "~",
    "abc",
    "1h",
    "99999999999999999999",
    "0.5",
    "2",
    "nan",
    ".inf",
    "'unterminated",
    "\"\"",
    "[a, b",
    "*undefined",
    "&a 1",
    "exp(-1ms)",
    "uniform(5ms, 1ms)",
    "pareto(0s, 0)",
    "empirical()",
    "1/0s",
    "0mAh@3V",
    "mains",
    "unbounded",
    "4000000000",
    "-5s",
    "1e-300s",
    "lognormal(0ms, 1)",
    "const(1e30d)",
];

fn check(text: &str) {
    match parse(text, "fuzz.yaml") {
        Ok(s) => {
            // Accepted scenarios must build and start without panicking (kept small so the
            // property runs thousands of cases quickly).
            let nodes: u64 = s.nodes_per_layer().iter().sum();
            if nodes <= 2_000 {
                let built = s.build();
                let _ = built.replication(0);
            }
        }
        Err(ScenarioError::Invalid { diagnostics, .. }) => {
            assert!(!diagnostics.is_empty());
            assert!(diagnostics.iter().all(|d| !d.message.trim().is_empty()));
        }
        Err(e) => panic!("unexpected error kind: {e}"),
    }
}

fn mutate(text: &str, op: u8, a: usize, b: usize, hostile: usize) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    if lines.is_empty() {
        return String::new();
    }
    let (i, j) = (a % lines.len(), b % lines.len());
    match op % 5 {
        0 => {
            lines.remove(i);
        }
        1 => {
            let l = lines[i].clone();
            lines.insert(j, l);
        }
        2 => {
            // Swap the values of two `key: value` lines.
            let vi = lines[i]
                .split_once(": ")
                .map(|(k, v)| (k.to_string(), v.to_string()));
            let vj = lines[j]
                .split_once(": ")
                .map(|(k, v)| (k.to_string(), v.to_string()));
            if let (Some((ki, vi)), Some((kj, vj))) = (vi, vj) {
                lines[i] = format!("{ki}: {vj}");
                lines[j] = format!("{kj}: {vi}");
            }
        }
        3 => {
            if let Some((k, _)) = lines[i].split_once(": ") {
                lines[i] = format!("{k}: {}", HOSTILE[hostile % HOSTILE.len()]);
            }
        }
        _ => {
            // Break the indentation of one line.
            let l = lines[i].trim_start().to_string();
            lines[i] = format!("{}{l}", " ".repeat(b % 7));
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples_never_panic(ex in 0..EXAMPLES.len(), ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()), 1..4)) {
        let mut text = EXAMPLES[ex].1.to_string();
        for (op, a, b, h) in ops {
            text = mutate(&text, op, a, b, h);
        }
        check(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "[a-z_:\\[\\]{}\\-, 0-9.\\n#&*!|>'\"]{0,300}") {
        check(&text);
    }

    #[test]
    fn random_overrides_never_panic(path in "[a-z_.\\[\\]0-9]{1,30}", h in 0..HOSTILE.len()) {
        let o = Override { path, value: HOSTILE[h].to_string() };
        let _ = parse_with(EXAMPLES[0].1, "fuzz.yaml", &[o]);
    }
}

#[test]
fn alias_bombs_are_refused() {
    // "Billion laughs": nine levels of nine-fold aliases would expand to 10⁹ strings.
    let mut text = String::from("a0: &a0 [lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("name: bomb\nduration: 1h\nsweep: *a9\n");
    match parse(&text, "bomb.yaml") {
        Err(ScenarioError::Invalid { diagnostics, .. }) => assert!(!diagnostics.is_empty()),
        other => panic!("an alias bomb was accepted: {:?}", other.map(|s| s.name)),
    }
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!(
        "name: deep\nduration: 1h\nsweep: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(matches!(
        parse(&text, "deep.yaml"),
        Err(ScenarioError::Invalid { .. })
    ));
}
