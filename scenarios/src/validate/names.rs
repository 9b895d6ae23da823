//! Names: the identifiers a scenario may give its parts.

use super::Problems;

/// The longest name a scenario, group, stream, link, attack, defense or variant may have.
pub const MAX_NAME_LEN: usize = 64;

/// Whether `name` is a safe identifier: 1 to [`MAX_NAME_LEN`] ASCII letters, digits, `_` and
/// `-`, beginning with a letter or a digit.
///
/// Names become folder names (`results/<scenario>`), CSV cells, LaTeX captions and Slurm job
/// names: this alphabet cannot leave a folder (`/`, `..`), break a line, start a spreadsheet
/// formula (`=`, `+`, `-`, `@`) or need quoting in a shell, and is still enough for every name
/// the examples use (`ward-sniffer`, `arrhythmia_alarm`).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= MAX_NAME_LEN
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The identifier closest to `name`: every other character becomes `_`, leading `_` and `-`
/// are dropped, and the result is cut to [`MAX_NAME_LEN`] (`x` when nothing is left).
pub fn identifier_like(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut out: String = mapped
        .trim_start_matches(['_', '-'])
        .chars()
        .take(MAX_NAME_LEN)
        .collect();
    while out.ends_with('_') && out.len() > 1 {
        out.pop();
    }
    if out.is_empty() { "x".into() } else { out }
}

/// Records a problem at `path` unless `name` is an identifier ([`is_identifier`]).
pub(crate) fn check_identifier(p: &mut Problems, path: &str, what: &str, name: &str) {
    if is_identifier(name) {
        return;
    }
    let shown: String = name
        .chars()
        .take(MAX_NAME_LEN + 16)
        .flat_map(char::escape_debug)
        .collect();
    p.add(
        path,
        format!(
            "the {what} name `{shown}` is not allowed: a name is 1 to {MAX_NAME_LEN} ASCII letters, digits, `_` or `-`, beginning with a letter or digit; did you mean `{}`?",
            identifier_like(name)
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::RawScenario;
    use crate::validate::check;

    const WARD: &str = include_str!("../../../examples/ward.yaml");

    /// The ward with `from` replaced by `to` once, and the problems its check reports.
    fn problems(from: &str, to: &str) -> Vec<(String, String)> {
        assert!(WARD.contains(from), "{from}");
        let text = WARD.replacen(from, to, 1);
        let raw: RawScenario = serde_yaml::from_str(&text).unwrap();
        let mut found = match check(&raw) {
            Ok(_) => Vec::new(),
            Err(p) => p.0,
        };
        if let Some(sw) = &raw.sweep
            && let Err(p) = crate::sweep::check(
                sw,
                1,
                &raw.sensing
                    .iter()
                    .chain(&raw.network)
                    .chain(&raw.cloud)
                    .map(|g| g.group.as_str())
                    .collect::<Vec<_>>(),
            )
        {
            found.extend(p.0);
        }
        found
    }

    #[test]
    fn names_are_identifiers() {
        for ok in ["ward", "ward-sniffer", "arrhythmia_alarm", "0day", "a"] {
            assert!(is_identifier(ok), "{ok}");
        }
        let long = "x".repeat(MAX_NAME_LEN + 1);
        for bad in [
            "",
            "..",
            ".",
            "/etc",
            "../../x",
            "ward\ntouch pwned\n#",
            "=cmd()",
            "+1",
            "-x",
            "@x",
            "a b",
            "é",
            "_x",
            "a.b",
            "a/b",
            "a\\b",
            &long,
        ] {
            assert!(!is_identifier(bad), "{bad:?}");
            assert!(is_identifier(&identifier_like(bad)), "{bad:?}");
        }
        assert_eq!(identifier_like("ward\ntouch pwned\n#"), "ward_touch_pwned");
        assert_eq!(identifier_like("../../x"), "x");
        assert_eq!(identifier_like("/etc"), "etc");
    }

    #[test]
    fn every_kind_of_name_is_checked_with_a_suggestion() {
        for (from, to, path) in [
            ("name: ward\n", "name: \"../../x\"\n", "name"),
            ("name: ward\n", "name: /etc\n", "name"),
            ("name: ward\n", "name: \"\"\n", "name"),
            ("name: ward\n", "name: \"ward\\ntouch pwned\\n#\"\n", "name"),
            ("group: ecg", "group: \"=ecg\"", "sensing[0].group"),
            (
                "name: waveform",
                "name: \"wave form\"",
                "sensing[0].streams[0].name",
            ),
            ("- name: ble ", "- name: \"@ble\" ", "links[0].name"),
            (
                "name: ward-sniffer",
                "name: \"-sniffer\"",
                "attacks[0].name",
            ),
            ("name: wpa2", "name: \"+wpa2\"", "defenses[0].name"),
            (
                "name: plaintext-ble",
                "name: \"plain text\"",
                "sweep.variants[0].name",
            ),
        ] {
            let found = problems(from, to);
            let hit = found
                .iter()
                .find(|(p, m)| p == path && m.contains("is not allowed"));
            let (_, message) = hit.unwrap_or_else(|| panic!("{to}: {found:?}"));
            assert!(message.contains("did you mean `"), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }
}
