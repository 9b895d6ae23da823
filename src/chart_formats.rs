//! The chart formats a command writes: `--charts svg,png`, `--charts pdf`, `--charts none`.

use reports::Format;
use std::str::FromStr;

/// A list of chart formats, each at most once, in the order given; empty for `none`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartFormats(pub Vec<Format>);

impl FromStr for ChartFormats {
    type Err = String;

    /// `svg`, `png`, `pdf`, a comma-separated list of them, or `none` (no charts at all).
    fn from_str(s: &str) -> Result<ChartFormats, String> {
        if s.trim().eq_ignore_ascii_case("none") {
            return Ok(ChartFormats(Vec::new()));
        }
        let mut chosen: Vec<Format> = Vec::new();
        for f in s.split(',').filter(|f| !f.trim().is_empty()) {
            match Format::parse(f) {
                Some(f) if !chosen.contains(&f) => chosen.push(f),
                Some(_) => {}
                None => {
                    return Err(format!(
                        "`{}` is not a chart format; write svg, png, pdf, a list such as svg,pdf, or none",
                        f.trim()
                    ));
                }
            }
        }
        if chosen.is_empty() {
            return Err(
                "no format given; write svg, png, pdf, a list such as svg,pdf, or none".into(),
            );
        }
        Ok(ChartFormats(chosen))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keep_their_order_and_drop_repeats() {
        let f: ChartFormats = "pdf, svg,pdf".parse().unwrap();
        assert_eq!(f.0, vec![Format::Pdf, Format::Svg]);
    }

    #[test]
    fn none_means_no_charts_and_nonsense_is_refused() {
        assert!("None".parse::<ChartFormats>().unwrap().0.is_empty());
        let e = "svg,jpeg".parse::<ChartFormats>().unwrap_err();
        assert!(e.contains("`jpeg` is not a chart format"), "{e}");
        assert!(",".parse::<ChartFormats>().is_err());
    }
}
