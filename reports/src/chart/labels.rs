//! Category labels under bars: wrapped onto a few lines each at spaces and after `_` or `-`,
//! or, when one cannot be, all written vertically.

use super::*;

/// Splits `label` into at most `max_lines` lines that each `fits`: at spaces (dropped) and
/// after `_` or `-` (kept); `None` if it cannot be done.
pub(crate) fn wrap(
    label: &str,
    max_lines: usize,
    fits: impl Fn(&str) -> bool,
) -> Option<Vec<String>> {
    // Pieces, each with whether a space separated it from the previous one.
    let mut pieces: Vec<(bool, String)> = Vec::new();
    for (w, word) in label.split(' ').filter(|w| !w.is_empty()).enumerate() {
        let mut cur = String::new();
        let mut first = true;
        for c in word.chars() {
            cur.push(c);
            if c == '_' || c == '-' {
                pieces.push((w > 0 && first, std::mem::take(&mut cur)));
                first = false;
            }
        }
        if !cur.is_empty() {
            pieces.push((w > 0 && first, cur));
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for (spaced, piece) in pieces {
        let joined = lines
            .last()
            .map(|l| format!("{l}{}{piece}", if spaced { " " } else { "" }));
        match (lines.last_mut(), joined) {
            (Some(line), Some(j)) if fits(&j) => *line = j,
            _ => {
                if !fits(&piece) {
                    return None;
                }
                lines.push(piece);
            }
        }
    }
    (lines.len() <= max_lines).then_some(lines)
}

/// Category labels under bars `slot` pixels apart: wrapped onto up to three lines each, or,
/// when one cannot be, all written vertically.
pub(crate) enum CategoryLabels {
    /// Each label's lines.
    Wrapped(Vec<Vec<String>>),
    /// Vertical, reading upwards.
    Vertical(Vec<String>),
}

impl CategoryLabels {
    pub(crate) fn new(style: &Style, labels: &[&str], slot: i32) -> CategoryLabels {
        let font = style.text();
        let room = slot - style.px(4.0);
        let wrapped: Option<Vec<Vec<String>>> = labels
            .iter()
            .map(|l| wrap(l, 3, |t| text_width(style, &font, t) <= room))
            .collect();
        match wrapped {
            Some(w) => CategoryLabels::Wrapped(w),
            None => CategoryLabels::Vertical(labels.iter().map(|l| l.to_string()).collect()),
        }
    }

    fn line_h(style: &Style) -> i32 {
        style.px(TEXT_PT * 1.25)
    }

    /// The height the labels take below the axis.
    pub(crate) fn height(&self, style: &Style) -> i32 {
        match self {
            CategoryLabels::Wrapped(w) => {
                w.iter().map(Vec::len).max().unwrap_or(1) as i32 * Self::line_h(style)
            }
            CategoryLabels::Vertical(v) => {
                let font = style.text();
                v.iter()
                    .map(|l| text_width(style, &font, l))
                    .max()
                    .unwrap_or(0)
                    + style.px(2.0)
            }
        }
    }

    /// Draws label `i` hanging from pixel `(x, y)`.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
        i: usize,
        (x, y): (i32, i32),
    ) -> Result<(), String> {
        let font = style.text();
        match self {
            CategoryLabels::Wrapped(w) => {
                for (k, l) in w.get(i).into_iter().flatten().enumerate() {
                    let at = (x, y + k as i32 * Self::line_h(style));
                    text(root, l, at, &font, HPos::Center, VPos::Top)?;
                }
                Ok(())
            }
            CategoryLabels::Vertical(v) => {
                let rotated = font.transform(FontTransform::Rotate270);
                match v.get(i) {
                    Some(l) => text(root, l, (x, y), &rotated, HPos::Right, VPos::Center),
                    None => Ok(()),
                }
            }
        }
    }
}
