//! Every chart of a run meets the house standards, read back from its SVG: every axis title
//! names its unit, no two pieces of text overlap, and no axis repeats a tick label.

use assert_cmd::Command;
use reports::chart::{AXIS_PT, FULL_WIDTH, ONE_COLUMN, Size, Style, TEXT_PT, text_width};
use std::path::Path;

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

fn check(name: &str, svg: &str, size: Size) -> Vec<String> {
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

fn run(example: &str, out: &Path, sets: &[&str]) {
    let mut cmd = Command::cargo_bin("iomtsim").unwrap();
    cmd.args([
        "run",
        &format!("examples/{example}.yaml"),
        "--quiet",
        "--replications",
        "2",
        "--out",
    ])
    .arg(out);
    for s in sets {
        cmd.args(["--set", s]);
    }
    cmd.assert().success();
}

#[test]
fn every_chart_of_a_run_names_its_units_and_no_text_collides() {
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut seen = 0;
    // The ward (linear latency axis, attacks, batteries) and the implant (second-long
    // deadlines: logarithmic latency axis), short runs.
    for (example, sets) in [
        ("ward", &["duration=10min"][..]),
        ("implant", &["duration=2h"][..]),
    ] {
        let out = tmp.path().join(example);
        run(example, &out, sets);
        for chart in reports::plot::CHARTS {
            for size in [ONE_COLUMN, FULL_WIDTH] {
                let file = out.join(format!("plots/{chart}{}.svg", size.suffix));
                let svg = std::fs::read_to_string(&file).unwrap();
                problems.extend(check(
                    &format!("{example}/{chart}{}", size.suffix),
                    &svg,
                    size,
                ));
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 2 * reports::plot::CHARTS.len() * 2);
    // `plot --format pdf` adds a vector PDF of every chart, in both sizes.
    let ward = tmp.path().join("ward");
    Command::cargo_bin("iomtsim")
        .unwrap()
        .args(["plot", "--quiet", "--format", "pdf"])
        .arg(&ward)
        .assert()
        .success();
    for chart in reports::plot::CHARTS {
        for suffix in ["", "_wide"] {
            let pdf = std::fs::read(ward.join(format!("plots/{chart}{suffix}.pdf"))).unwrap();
            assert!(pdf.starts_with(b"%PDF-"), "{chart}{suffix}.pdf");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_finds_what_it_looks_for() {
    // The checks above must be able to fail: a title without a unit, two texts on top of each
    // other, an axis with "0" twice.
    let svg = concat!(
        r#"<svg><text x="100" y="100" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="36.29032258064516">latency</text>"#,
        r#"<text x="100" y="100" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="32.25806451612903">on top</text>"#,
        r#"<text x="50" y="300" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="32.25806451612903">0</text>"#,
        r#"<text x="50" y="400" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="32.25806451612903">0</text></svg>"#,
    );
    let problems = check("fixture", svg, ONE_COLUMN);
    assert!(
        problems.iter().any(|p| p.contains("names no unit")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("overlaps")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("repeats a tick label")),
        "{problems:?}"
    );
}
