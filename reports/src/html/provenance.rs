//! Where the results came from: program version, scenario hash, seeds and command, as the
//! folder's manifest records them (never the machine, the paths or the time, which would
//! make two identical runs' pages differ).

use super::page::esc;
use std::fmt::Write;

/// A definition list of `(term, value, as code)` rows.
pub fn list(rows: &[(&str, String, bool)]) -> String {
    let mut s = String::from("<dl>\n");
    for (term, value, code) in rows {
        let value = if *code {
            format!("<code>{}</code>", esc(value))
        } else {
            esc(value)
        };
        let _ = writeln!(s, "<dt>{}</dt><dd>{value}</dd>", esc(term));
    }
    s.push_str("</dl>\n");
    s
}

/// Seeds as a list: every one when there are few, else the first and last few and how many.
pub fn seeds(seeds: &[u64]) -> String {
    let text = |s: &[u64]| s.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
    if seeds.len() <= 12 {
        text(seeds)
    } else {
        format!(
            "{}, … {} ({} seeds)",
            text(&seeds[..5]),
            text(&seeds[seeds.len() - 2..]),
            seeds.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_seed_lists_are_shortened_and_short_ones_kept() {
        assert_eq!(seeds(&[1, 2, 3]), "1, 2, 3");
        let many: Vec<u64> = (0..20).collect();
        assert_eq!(seeds(&many), "0, 1, 2, 3, 4, … 18, 19 (20 seeds)");
        assert!(list(&[("command", "a<b".into(), true)]).contains("<code>a&lt;b</code>"));
    }
}
