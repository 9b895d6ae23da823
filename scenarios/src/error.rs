//! Scenario errors: every problem found, each with its file, line, column, field path, what was
//! found and what would be right.

use std::fmt;

/// One problem in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field path (`links[2].profile`), empty for the whole file.
    pub path: String,
    /// What is wrong and what would be right.
    pub message: String,
}

/// Why a scenario was refused.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{file}: cannot read the scenario: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The scenario has one or more problems.
    #[error("{}", render(file, diagnostics))]
    Invalid {
        /// The file.
        file: String,
        /// Every problem found.
        diagnostics: Vec<Diagnostic>,
    },
}

fn render(file: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.display_in(file).to_string());
    }
    out
}

impl Diagnostic {
    /// Formats as `file:line:column: path: message`.
    pub fn display_in<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        struct D<'a>(&'a Diagnostic, &'a str);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let d = self.0;
                write!(f, "{}", self.1)?;
                if let Some(line) = d.line {
                    write!(f, ":{line}")?;
                    if let Some(col) = d.column {
                        write!(f, ":{col}")?;
                    }
                }
                if !d.path.is_empty() {
                    write!(f, ": {}", d.path)?;
                }
                write!(f, ": {}", d.message)
            }
        }
        D(self, file)
    }
}

/// The closest of `candidates` to `word`, if close enough to be a likely misspelling.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|&(d, c)| d <= 2.max(c.len() / 3))
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_not_strangers() {
        let names = ["ble_1m", "wifi", "wan", "ethernet"];
        assert_eq!(did_you_mean("ble_2m", names), Some("ble_1m"));
        assert_eq!(did_you_mean("wfi", names), Some("wifi"));
        assert_eq!(did_you_mean("lorawan_sf12", names), None);
    }

    #[test]
    fn diagnostics_render_file_line_column_path_message() {
        let d = Diagnostic {
            line: Some(4),
            column: Some(5),
            path: "links[0].profile".into(),
            message: "no link profile `ble_2m`".into(),
        };
        assert_eq!(
            d.display_in("ward.yaml").to_string(),
            "ward.yaml:4:5: links[0].profile: no link profile `ble_2m`"
        );
    }
}
