//! The chart standards checker shared by the chart tests: reads an SVG written by plotters back
//! into text boxes measured with the embedded font, and lists every axis title without a unit,
//! every pair of overlapping texts and every axis that repeats a tick label.

use reports::chart::{AXIS_PT, Size, Style, TEXT_PT, text_width};

/// One `<text>` element: its box in layout pixels, its size in points and its content.
#[derive(Debug, Clone)]
struct TextBox {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    pt: f64,
    anchor: String,
    x: f64,
    y: f64,
    rotated: bool,
    content: String,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The text elements of an SVG written by plotters, with boxes measured with the embedded font.
fn texts(svg: &str, size: Size) -> Vec<TextBox> {
    let style = Style::new(size);
    let mut out = Vec::new();
    for chunk in svg.split("<text").skip(1) {
        let Some(end) = chunk.find('>') else { continue };
        let tag = &chunk[..end];
        let content = chunk[end + 1..]
            .split("</text>")
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if content.is_empty() {
            continue;
        }
        let num = |n: &str| {
            attr(tag, n)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let (x, y, font_size) = (num("x"), num("y"), num("font-size"));
        // plotters writes `font-size` = pt · 1.2 · (300/72) / 1.24.
        let pt = font_size * 1.24 / 1.2 / (300.0 / 72.0);
        let pt = if (pt - AXIS_PT).abs() < 0.2 {
            AXIS_PT
        } else {
            pt
        };
        let w = f64::from(text_width(&style, &style.font(pt), &content));
        let h = pt * 300.0 / 72.0 * 0.95;
        let anchor = attr(tag, "text-anchor").unwrap_or("start").to_string();
        let (lx0, lx1) = match anchor.as_str() {
            "middle" => (-w / 2.0, w / 2.0),
            "end" => (-w, 0.0),
            _ => (0.0, w),
        };
        let (ly0, ly1) = match attr(tag, "dy").unwrap_or("") {
            "0.76em" => (0.0, h),
            "0.5ex" => (-h / 2.0, h / 2.0),
            _ => (-h, 0.0),
        };
        let rotation = attr(tag, "transform").map(|t| {
            t.trim_start_matches("rotate(")
                .split(',')
                .next()
                .unwrap_or("0")
                .trim()
                .to_string()
        });
        let (x0, y0, x1, y1, rotated) = match rotation.as_deref() {
            Some("270") => (x + ly0, y - lx1, x + ly1, y - lx0, true),
            Some("90") => (x - ly1, y + lx0, x - ly0, y + lx1, true),
            _ => (x + lx0, y + ly0, x + lx1, y + ly1, false),
        };
        out.push(TextBox {
            x0,
            y0,
            x1,
            y1,
            pt,
            anchor,
            x,
            y,
            rotated,
            content,
        });
    }
    out
}

fn overlap(a: &TextBox, b: &TextBox) -> bool {
    // Two pixels of slack: boxes that merely touch do not collide.
    let dx = a.x1.min(b.x1) - a.x0.max(b.x0);
    let dy = a.y1.min(b.y1) - a.y0.max(b.y0);
    dx > 2.0 && dy > 2.0
}

pub fn check(name: &str, svg: &str, size: Size) -> Vec<String> {
    let boxes = texts(svg, size);
    let mut problems = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if overlap(a, b) {
                problems.push(format!(
                    "{name}: \"{}\" overlaps \"{}\"",
                    a.content, b.content
                ));
            }
        }
        // Axis titles (the 9 pt texts) name their unit, or are fractions (no unit).
        if (a.pt - AXIS_PT).abs() < 1e-9
            && !(a.content.contains('(') && a.content.ends_with(')'))
            && !a.content.starts_with("fraction")
        {
            problems.push(format!(
                "{name}: axis title \"{}\" names no unit",
                a.content
            ));
        }
    }
    // Tick labels: numeric texts at one x (a y axis, right-aligned) or one y (an x axis).
    let numeric: Vec<&TextBox> = boxes
        .iter()
        .filter(|b| {
            (b.pt - TEXT_PT).abs() < 0.2
                && !b.rotated
                && b.content
                    .replace(['e', '-', '.'], "")
                    .parse::<u64>()
                    .is_ok()
        })
        .collect();
    for key in ["end", "middle"] {
        let mut groups: Vec<(f64, Vec<&str>)> = Vec::new();
        for b in numeric.iter().filter(|b| b.anchor == key) {
            let at = if key == "end" { b.x } else { b.y };
            match groups.iter_mut().find(|(k, _)| (*k - at).abs() < 0.5) {
                Some((_, v)) => v.push(&b.content),
                None => groups.push((at, vec![&b.content])),
            }
        }
        for (_, labels) in groups {
            let mut sorted = labels.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() != labels.len() {
                problems.push(format!("{name}: an axis repeats a tick label: {labels:?}"));
            }
        }
    }
    problems
}
