//! Legends and the marks they show: line samples (solid or dashed), swatches and markers, laid
//! out in rows above the plot, and the same line and marker drawing the charts use for data.

use super::*;

/// A legend key: what the entry's sample looks like.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Key {
    /// A line, solid or dashed.
    Line(RGBColor, bool),
    /// A filled square.
    Swatch(RGBAColor),
    /// A marker.
    Marker(Marker, RGBColor),
}

/// Marker shapes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Marker {
    /// ○, white inside.
    Circle,
    /// ●.
    Dot,
    /// ×.
    Cross,
    /// ▲.
    Triangle,
    /// ◆.
    Diamond,
    /// ■.
    Square,
}

/// One legend entry.
pub(crate) struct Entry {
    pub key: Key,
    pub label: String,
}

impl Entry {
    pub(crate) fn new(key: Key, label: impl Into<String>) -> Entry {
        Entry {
            key,
            label: label.into(),
        }
    }
}

/// The width of an entry's sample, points: a line needs length, a swatch or marker does not.
fn key_pt(key: &Key) -> f64 {
    match key {
        Key::Line(..) => 14.0,
        Key::Swatch(_) | Key::Marker(..) => 7.0,
    }
}

/// Lays out legend entries in rows across `width` pixels: returns (rows of entry indices with
/// their x offsets, the height the legend takes).
fn legend_layout(style: &Style, entries: &[Entry], width: i32) -> (Vec<Vec<(usize, i32)>>, i32) {
    let font = style.text();
    let gap = style.px(3.0);
    let space = style.px(10.0);
    let mut rows: Vec<Vec<(usize, i32)>> = vec![Vec::new()];
    let mut x = 0;
    for (i, e) in entries.iter().enumerate() {
        let w = style.px(key_pt(&e.key)) + gap + text_width(style, &font, &e.label);
        if x > 0 && x + w > width {
            rows.push(Vec::new());
            x = 0;
        }
        if let Some(r) = rows.last_mut() {
            r.push((i, x));
        }
        x += w + space;
    }
    if entries.is_empty() {
        rows.clear();
    }
    let h = rows.len() as i32 * style.px(TEXT_PT * 1.35);
    (rows, h)
}

/// The height a legend of `entries` takes across `width` pixels.
pub(crate) fn legend_height(style: &Style, entries: &[Entry], width: i32) -> i32 {
    legend_layout(style, entries, width).1
}

/// Draws a legend whose top-left corner is `(x0, y0)`, entries flowing in rows across `width`.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
    entries: &[Entry],
    (x0, y0): (i32, i32),
    width: i32,
) -> Result<(), String> {
    let (rows, _) = legend_layout(style, entries, width);
    let font = style.text();
    let gap = style.px(3.0);
    let row_h = style.px(TEXT_PT * 1.35);
    for (r, row) in rows.iter().enumerate() {
        let cy = y0 + r as i32 * row_h + row_h / 2;
        for &(i, dx) in row {
            let e = &entries[i];
            let x = x0 + dx;
            let sample = style.px(key_pt(&e.key));
            match e.key {
                Key::Line(c, dashed) => {
                    dashed_line(root, style, &[(x, cy), (x + sample, cy)], c, 1.5, dashed)?;
                }
                Key::Swatch(c) => {
                    let s = style.px(3.5);
                    let mid = x + sample / 2;
                    root.draw(&Rectangle::new(
                        [(mid - s, cy - s), (mid + s, cy + s)],
                        c.filled(),
                    ))
                    .map_err(err)?;
                }
                Key::Marker(m, c) => marker(root, style, m, (x + sample / 2, cy), c)?,
            }
            text(
                root,
                &e.label,
                (x + sample + gap, cy),
                &font,
                HPos::Left,
                VPos::Center,
            )?;
        }
    }
    Ok(())
}

/// Draws a polyline in pixels, dashed (4 pt on, 2.5 pt off) or solid, `pt` points wide.
pub(crate) fn dashed_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
    pts: &[(i32, i32)],
    colour: RGBColor,
    pt: f64,
    dashed: bool,
) -> Result<(), String> {
    let line = style.line(colour, pt);
    if !dashed {
        return root
            .draw(&PathElement::new(pts.to_vec(), line))
            .map_err(err);
    }
    let (on, off) = (style.pxf(4.0), style.pxf(2.5));
    let mut dashes: Vec<Vec<(i32, i32)>> = Vec::new();
    // The pattern runs on across the polyline's vertices: `left` is what remains of the
    // current dash (`drawing`) or gap.
    let (mut drawing, mut left, mut open) = (true, on, false);
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let len = (dx * dx + dy * dy).sqrt();
        let at = |d: f64| {
            (
                a.0 + (dx * d / len).round() as i32,
                a.1 + (dy * d / len).round() as i32,
            )
        };
        let mut d = 0.0;
        while len - d > 1e-6 {
            let take = left.min(len - d);
            if drawing {
                if !open {
                    dashes.push(vec![at(d)]);
                    open = true;
                }
                if let Some(last) = dashes.last_mut() {
                    last.push(at(d + take));
                }
            }
            d += take;
            left -= take;
            if left <= 1e-6 {
                drawing = !drawing;
                left = if drawing { on } else { off };
                open = false;
            }
        }
    }
    for d in dashes {
        root.draw(&PathElement::new(d, line)).map_err(err)?;
    }
    Ok(())
}

/// Draws a marker centred at pixel `c`.
pub(crate) fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
    m: Marker,
    (x, y): (i32, i32),
    colour: RGBColor,
) -> Result<(), String> {
    let r = style.px(2.6);
    let outline = style.line(colour, 0.9);
    match m {
        Marker::Circle => {
            root.draw(&Circle::new((x, y), r, WHITE.filled()))
                .map_err(err)?;
            root.draw(&Circle::new((x, y), r, outline)).map_err(err)
        }
        Marker::Dot => root
            .draw(&Circle::new((x, y), r, colour.filled()))
            .map_err(err),
        Marker::Cross => {
            let line = style.line(colour, 1.2);
            root.draw(&PathElement::new(
                vec![(x - r, y - r), (x + r, y + r)],
                line,
            ))
            .map_err(err)?;
            root.draw(&PathElement::new(
                vec![(x - r, y + r), (x + r, y - r)],
                line,
            ))
            .map_err(err)
        }
        Marker::Triangle => {
            let h = (f64::from(r) * 1.2) as i32;
            root.draw(&Polygon::new(
                vec![(x, y - h), (x + h, y + h * 3 / 4), (x - h, y + h * 3 / 4)],
                colour.filled(),
            ))
            .map_err(err)
        }
        Marker::Diamond => {
            let h = (f64::from(r) * 1.3) as i32;
            root.draw(&Polygon::new(
                vec![(x, y - h), (x + h, y), (x, y + h), (x - h, y)],
                colour.filled(),
            ))
            .map_err(err)
        }
        Marker::Square => root
            .draw(&Rectangle::new(
                [(x - r, y - r), (x + r, y + r)],
                colour.filled(),
            ))
            .map_err(err),
    }
}
