//! Charts for papers, drawn with plotters as SVG and PNG from the same drawing code.
//!
//! # Paper-ready by construction
//!
//! - **Physical sizes.** Every chart comes in two sizes: [`ONE_COLUMN`] (3.5 in wide, the
//!   column of a two-column IEEE or ACM paper) and [`FULL_WIDTH`] (7.16 in, across both
//!   columns). Both formats are laid out on the same 300-dpi pixel grid: the PNG is that grid
//!   (with its resolution recorded in the file), the SVG declares its width and height in
//!   inches over a viewBox of the same grid, so `\includegraphics` without a width places either
//!   at its true size, and fonts measured in points stay those points.
//! - **Text** is 8 pt (ticks, legends) and 9 pt (axis titles): the size of a caption, readable
//!   at one column. Every axis title names the quantity and its unit.
//! - **Colour** is the Okabe–Ito palette ([`OKABE_ITO`]), distinguishable under every common
//!   colour-vision deficiency; series also differ by line style or marker where they can.
//! - **Fonts.** PNG text is rasterised from DejaVu Sans, embedded in the binary (Bitstream Vera
//!   licence, `reports/assets/`), so it renders the same on a machine with no font installed;
//!   the SVG names the generic `sans-serif` family, laid out with the same font's metrics.
//! - **Determinism.** No chart holds a date, a random identifier or a hash-map order: the same
//!   data give the same bytes.
//!
//! No chart has a title: a paper's caption says what a figure shows. The file name says it too.

pub mod battery;
pub mod bitmap;
pub mod breach;
pub mod compare;
pub mod difference;
pub mod energy;
pub mod frame;
pub mod hops;
mod labels;
pub mod latency;
mod legend;
pub mod sweep;
pub mod title;

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

pub use frame::{Axis, Scale};
pub(crate) use frame::{Frame, Plot, legend_above, legend_room, plot};
pub(crate) use labels::CategoryLabels;
pub(crate) use legend::{Entry, Key, Marker, dashed_line, draw_legend, legend_height, marker};

/// Okabe–Ito colours: black, orange, sky blue, bluish green, yellow, blue, vermillion,
/// reddish purple (Okabe & Ito 2008, *Color Universal Design*).
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
];

/// The Okabe–Ito colours in the order series take them: the yellow, too light for lines on
/// white, comes last.
pub const SERIES_COLOURS: [RGBColor; 8] = [
    OKABE_ITO[5],
    OKABE_ITO[6],
    OKABE_ITO[3],
    OKABE_ITO[7],
    OKABE_ITO[1],
    OKABE_ITO[2],
    OKABE_ITO[0],
    OKABE_ITO[4],
];

/// The colour of the `i`-th series (cycling through [`SERIES_COLOURS`]).
pub fn series_colour(i: usize) -> RGBColor {
    SERIES_COLOURS[i % SERIES_COLOURS.len()]
}

/// Pixels per inch of the layout grid (and of the PNG files).
pub const DPI: f64 = 300.0;

/// A chart's physical size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Size {
    /// Width, inches.
    pub width_in: f64,
    /// Height, inches.
    pub height_in: f64,
    /// Suffix of the file name (`""` for the one-column size, `"_wide"` for full width).
    pub suffix: &'static str,
}

impl Size {
    /// The layout grid, in pixels.
    pub fn pixels(&self) -> (u32, u32) {
        (
            (self.width_in * DPI).round() as u32,
            (self.height_in * DPI).round() as u32,
        )
    }
}

/// One column of a two-column paper: 3.5 in × 2.6 in.
pub const ONE_COLUMN: Size = Size {
    width_in: 3.5,
    height_in: 2.6,
    suffix: "",
};

/// The full text width of a two-column paper: 7.16 in × 3.0 in.
pub const FULL_WIDTH: Size = Size {
    width_in: 7.16,
    height_in: 3.0,
    suffix: "_wide",
};

/// Both sizes every chart is drawn in.
pub const SIZES: [Size; 2] = [ONE_COLUMN, FULL_WIDTH];

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Scalable vector graphics, sized in inches.
    Svg,
    /// Portable network graphics at [`DPI`].
    Png,
    /// Portable document format: the SVG converted to vector PDF (svg2pdf), its text in the
    /// embedded DejaVu Sans (a subset embedded in the file), the page the figure's size.
    Pdf,
}

impl Format {
    /// The formats a run draws unless told otherwise.
    pub const ALL: [Format; 2] = [Format::Svg, Format::Png];

    /// Every format there is.
    pub const EVERY: [Format; 3] = [Format::Svg, Format::Png, Format::Pdf];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
        }
    }

    /// Parses `svg`, `png` or `pdf` (any case).
    pub fn parse(s: &str) -> Option<Format> {
        Format::EVERY
            .into_iter()
            .find(|f| f.extension() == s.trim().to_ascii_lowercase())
    }
}

/// Sizes of lines and text, in points, converted to layout pixels.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Layout pixels per point (1/72 in).
    pub px_per_pt: f64,
    /// The figure's size.
    pub size: Size,
}

/// Text size, points: tick labels, legends, notes.
pub const TEXT_PT: f64 = 8.0;
/// Text size, points: axis titles.
pub const AXIS_PT: f64 = 9.0;

impl Style {
    /// The style of a figure of `size`.
    pub fn new(size: Size) -> Style {
        Style {
            px_per_pt: DPI / 72.0,
            size,
        }
    }

    /// `pt` points in layout pixels.
    pub fn px(&self, pt: f64) -> i32 {
        (pt * self.px_per_pt).round() as i32
    }

    /// `pt` points in layout pixels, unrounded.
    pub fn pxf(&self, pt: f64) -> f64 {
        pt * self.px_per_pt
    }

    /// A text style of `pt` points. plotters sizes text by line height, about 1.2 em for DejaVu
    /// Sans (ab_glyph's ascent − descent is 1.16 em; the SVG backend divides by 1.24).
    pub fn font(&self, pt: f64) -> TextStyle<'static> {
        ensure_font();
        ("sans-serif", self.pxf(pt * 1.2)).into_font().color(&BLACK)
    }

    /// Tick labels, legends and notes.
    pub fn text(&self) -> TextStyle<'static> {
        self.font(TEXT_PT)
    }

    /// Axis titles.
    pub fn axis(&self) -> TextStyle<'static> {
        self.font(AXIS_PT)
    }

    /// A line of `pt` points in `colour`.
    pub fn line(&self, colour: impl Into<RGBAColor>, pt: f64) -> ShapeStyle {
        ShapeStyle {
            color: colour.into(),
            filled: false,
            stroke_width: self.px(pt).max(1) as u32,
        }
    }

    /// Whether this is the narrow (one-column) size.
    pub fn narrow(&self) -> bool {
        self.size.width_in < 5.0
    }
}

static FONT: Once = Once::new();

/// The embedded font: DejaVu Sans (Bitstream Vera licence, see `reports/assets/`).
pub static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Registers the embedded font as plotters' `sans-serif` (once per process).
pub fn ensure_font() {
    FONT.call_once(|| {
        // The bytes are a valid TrueType font, checked by a test; should registration fail,
        // text would fail to draw and say so, never panic.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// The file name's stem (`latency_cdf`).
    fn name(&self) -> &'static str;
    /// Draws on `root`, already filled white.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String>;
}

/// Converts a plotters error into text.
pub(crate) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Draws `chart` at `size` in `format`; returns the file's bytes.
pub fn render(chart: &impl Chart, size: Size, format: Format) -> Result<Vec<u8>, String> {
    ensure_font();
    let style = Style::new(size);
    let (w, h) = size.pixels();
    match format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                root.fill(&WHITE).map_err(err)?;
                chart.draw(&root, &style)?;
                root.present().map_err(err)?;
            }
            // Physical size: the viewBox stays the pixel grid, the size becomes inches.
            let from = format!("<svg width=\"{w}\" height=\"{h}\" ");
            let to = format!(
                "<svg width=\"{}in\" height=\"{}in\" ",
                size.width_in, size.height_in
            );
            Ok(svg.replacen(&from, &to, 1).into_bytes())
        }
        Format::Pdf => svg_to_pdf(&render(chart, size, Format::Svg)?),
        // This thread's pixel buffer, white already (`bitmap`): no fresh pages to map.
        Format::Png => bitmap::with_white_canvas(w, h, |buf| {
            {
                let root = BitMapBackend::with_buffer(buf, (w, h)).into_drawing_area();
                chart.draw(&root, &style)?;
                root.present().map_err(err)?;
            }
            encode_png(buf, w, h)
        }),
    }
}

/// The fonts PDF text is set in: the embedded DejaVu Sans, standing for `sans-serif` (the
/// family the SVG names), so a PDF looks the same on every machine and embeds its own subset.
fn pdf_fonts() -> std::sync::Arc<svg2pdf::usvg::fontdb::Database> {
    static FONTS: std::sync::OnceLock<std::sync::Arc<svg2pdf::usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = svg2pdf::usvg::fontdb::Database::new();
            db.load_font_data(DEJAVU_SANS.to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            std::sync::Arc::new(db)
        })
        .clone()
}

/// Converts a chart's SVG into a one-page vector PDF of the same physical size.
pub fn svg_to_pdf(svg: &[u8]) -> Result<Vec<u8>, String> {
    let options = svg2pdf::usvg::Options {
        fontdb: pdf_fonts(),
        ..Default::default()
    };
    let tree = svg2pdf::usvg::Tree::from_data(svg, &options).map_err(err)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        // usvg reads the SVG's inches at CSS's 96 px per inch: tell the page so, and 3.5 in
        // stays 252 pt.
        svg2pdf::PageOptions { dpi: 96.0 },
    )
    .map_err(|e| format!("{e:?}"))
}

/// Encodes an RGB buffer as PNG with its resolution ([`DPI`]) and nothing else: no time, no
/// software name, so the bytes depend on the pixels alone. Each row is Paeth-filtered and the
/// data compressed by fdeflate's PNG-tuned fast path (about a ninth of the time of zlib's
/// default level on the ward's charts, for files 1.8× larger; the Sub filter's were 2.7×
/// larger), byte for byte as the `png` crate's `Compression::Fast` writes them, in less time
/// ([`bitmap`]).
pub fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    bitmap::encode(rgb, w, h, (DPI / 0.0254).round() as u32)
}

/// Draws a text at pixel `(x, y)` with the given anchor.
pub(crate) fn text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    (x, y): (i32, i32),
    style: &TextStyle,
    h: HPos,
    v: VPos,
) -> Result<(), String> {
    root.draw(&Text::new(s.to_string(), (x, y), style.pos(Pos::new(h, v))))
        .map_err(err)
}

/// Writes "nothing to show" and why, centred on `root`.
pub(crate) fn empty_note<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
    lines: &[&str],
) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    let step = style.px(TEXT_PT * 1.4);
    let top = h as i32 / 2 - step * lines.len() as i32 / 2;
    for (i, l) in lines.iter().enumerate() {
        text(
            root,
            l,
            (w as i32 / 2, top + step * i as i32),
            &style.text(),
            HPos::Center,
            VPos::Center,
        )?;
    }
    Ok(())
}

/// Formats a tick value: at most `sig` significant digits, no trailing zeros, no `-0`.
pub fn tick(v: f64, step: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    // Enough decimals to tell ticks `step` apart.
    let decimals = if step > 0.0 && step.is_finite() {
        (-(step.log10().floor())).max(0.0) as usize + 1
    } else {
        3
    };
    let mut s = format!("{:.*}", decimals.min(12), v);
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" { "0".into() } else { s }
}

/// Formats a value for a label or a table: `sig` significant digits, trailing zeros dropped.
pub fn sig(v: f64, sig: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v.is_finite() {
            "0".into()
        } else {
            String::new()
        };
    }
    let mag = v.abs().log10().floor() as i32;
    let decimals = (sig as i32 - 1 - mag).clamp(0, 12) as usize;
    let scale = 10f64.powi(mag - sig as i32 + 1);
    let rounded = if decimals == 0 {
        (v / scale).round() * scale
    } else {
        v
    };
    tick(rounded, 10f64.powi(-(decimals as i32)) * 10.0)
}

/// A pleasant axis upper bound at or above `x`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ᵏ.
pub fn nice_ceil(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(x.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * mag >= x * (1.0 - 1e-12) {
            return m * mag;
        }
    }
    10.0 * mag
}

/// The unit to show simulated time in, for a run of `duration_s`: (divisor, unit name).
pub fn time_unit(duration_s: f64) -> (f64, &'static str) {
    if duration_s <= 180.0 {
        (1.0, "s")
    } else if duration_s <= 3.0 * 3600.0 {
        (60.0, "min")
    } else if duration_s <= 3.0 * 86400.0 {
        (3600.0, "h")
    } else {
        (86400.0, "d")
    }
}

#[cfg(test)]
mod tests {
    use super::labels::wrap;
    use super::*;

    #[test]
    fn the_embedded_font_parses_and_registers() {
        assert!(DEJAVU_SANS.len() > 100_000);
        // A TrueType font begins with version 1.0 (0x00010000).
        assert_eq!(&DEJAVU_SANS[..4], &[0, 1, 0, 0]);
        ensure_font();
        let style = Style::new(ONE_COLUMN);
        let ((x0, _), (x1, _)) = style.text().font.layout_box("latency (ms)").unwrap();
        // 12 characters of an 8 pt font: a few hundredths of an inch each, so roughly
        // 0.4–0.8 in at 300 dpi.
        assert!((120..240).contains(&(x1 - x0)), "{}", x1 - x0);
    }

    #[test]
    fn ticks_and_significant_digits_read_well() {
        assert_eq!(tick(0.30000000000000004, 0.1), "0.3");
        assert_eq!(tick(-0.0, 0.5), "0");
        assert_eq!(tick(100.0, 20.0), "100");
        assert_eq!(tick(99.996, 0.001), "99.996");
        assert_eq!(sig(56387.2, 3), "56400");
        assert_eq!(sig(0.0012345, 2), "0.0012");
        assert_eq!(sig(59.4538, 4), "59.45");
        assert_eq!(nice_ceil(113.0), 120.0);
        assert_eq!(nice_ceil(0.07), 0.08);
        assert_eq!(nice_ceil(1.0), 1.0);
    }

    /// A chart holding one line of text and nothing else.
    struct Note;

    impl Chart for Note {
        fn name(&self) -> &'static str {
            "note"
        }
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            style: &Style,
        ) -> Result<(), String> {
            empty_note(root, style, &["Text, drawn with no system font"])
        }
    }

    #[test]
    fn png_text_renders_from_the_embedded_font_and_the_file_says_300_dpi() {
        let png = render(&Note, ONE_COLUMN, Format::Png).unwrap();
        let dec = png::Decoder::new(&png[..]).read_info().unwrap();
        let info = dec.info();
        assert_eq!((info.width, info.height), (1050, 780));
        let dims = info.pixel_dims.unwrap();
        assert_eq!((dims.xppu, dims.unit), (11811, png::Unit::Meter));
        // Nothing but the text is drawn: some ink, and grey levels from anti-aliasing.
        let ink = testing::ink(&png);
        assert!(ink > 0.002 && ink < 0.05, "{ink}");
        let svg = String::from_utf8(render(&Note, ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        assert!(svg.starts_with("<svg width=\"3.5in\" height=\"2.6in\" viewBox=\"0 0 1050 780\""));
        assert!(svg.contains("Text, drawn with no system font\n</text>"));
        assert_eq!(
            render(&Note, ONE_COLUMN, Format::Png).unwrap(),
            png,
            "deterministic"
        );
    }

    #[test]
    fn pdf_keeps_the_physical_size_embeds_the_font_and_is_deterministic() {
        let pdf = render(&Note, ONE_COLUMN, Format::Pdf).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        // 3.5 in × 2.6 in = 252 pt × 187.2 pt.
        assert!(text.contains("/MediaBox [0 0 252 187.2]"));
        assert!(text.contains("DejaVuSans"), "the font is embedded");
        assert_eq!(
            render(&Note, ONE_COLUMN, Format::Pdf).unwrap(),
            pdf,
            "deterministic"
        );
        assert_eq!(Format::parse(" PDF "), Some(Format::Pdf));
        assert_eq!(Format::parse("jpeg"), None);
    }

    #[test]
    fn pdf_bytes_do_not_depend_on_the_process_hash_seed() {
        // Several opacities and a group make several entries in one resource dictionary, which
        // the converter used to write in HashMap order (vendor/README.md): the bytes varied
        // from one conversion to the next.
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="1in" viewBox="0 0 200 100">
            <rect x="0" y="0" width="50" height="50" fill="#0072b2" fill-opacity="0.2"/>
            <rect x="50" y="0" width="50" height="50" fill="#e69f00" fill-opacity="0.4"/>
            <rect x="100" y="0" width="50" height="50" fill="#009e73" fill-opacity="0.6"/>
            <rect x="150" y="0" width="50" height="50" fill="#cc79a7" stroke="#000" stroke-opacity="0.8"/>
            <g opacity="0.5"><text x="10" y="90" font-family="sans-serif" font-size="12">x</text></g>
        </svg>"##;
        let first = svg_to_pdf(svg).unwrap();
        for _ in 0..12 {
            assert_eq!(
                svg_to_pdf(svg).unwrap(),
                first,
                "the same SVG gave other PDF bytes"
            );
        }
    }

    #[test]
    fn labels_wrap_at_spaces_and_after_underscores_within_the_room_given() {
        let fits = |t: &str| t.chars().count() <= 8;
        assert_eq!(
            wrap("wpa2 + ble-aead", 3, fits),
            Some(vec!["wpa2 +".into(), "ble-aead".into()])
        );
        assert_eq!(
            wrap("ward_gateway", 3, fits),
            Some(vec!["ward_".into(), "gateway".into()])
        );
        assert_eq!(wrap("a b c d e f g h i j k l m n o p q r", 3, fits), None);
        assert_eq!(wrap("incomprehensible", 3, fits), None);
        assert_eq!(wrap("ecg", 3, fits), Some(vec!["ecg".into()]));
    }

    #[test]
    fn sizes_are_the_paper_column_and_text_widths_at_300_dpi() {
        assert_eq!(ONE_COLUMN.pixels(), (1050, 780));
        assert_eq!(FULL_WIDTH.pixels(), (2148, 900));
        assert_eq!(Style::new(ONE_COLUMN).px(TEXT_PT), 33);
    }
}

/// Width of `s` in the style's text font, pixels.
pub fn text_width(style: &Style, font: &TextStyle, s: &str) -> i32 {
    let _ = style;
    font.font
        .layout_box(s)
        .map(|((x0, _), (x1, _))| x1 - x0)
        .unwrap_or(0)
}

/// At most this many labelled ticks on a y axis.
pub(crate) const Y_TICKS: usize = 7;

/// At most this many labelled ticks on an x axis: more across the full width.
pub(crate) fn x_ticks(style: &Style) -> usize {
    if style.narrow() { 8 } else { 16 }
}

/// The shade of the warm-up span on time axes.
pub(crate) const WARMUP: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);

/// Shades the warm-up span `[0, warmup]` between the pixel corners `top_left` (of time 0 at
/// the top of the plot) and `bottom_right` (the warm-up's end at its bottom).
pub(crate) fn warmup_band<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    top_left: (i32, i32),
    bottom_right: (i32, i32),
) -> Result<(), String> {
    if bottom_right.0 <= top_left.0 {
        return Ok(());
    }
    root.draw(&Rectangle::new(
        [top_left, bottom_right],
        WARMUP.mix(0.3).filled(),
    ))
    .map_err(err)
}

/// The light grey of grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);

/// Helpers for the charts' tests.
#[cfg(test)]
pub(crate) mod testing {
    /// Writes a chart to `$IOMTSIM_CHART_DIR/<name>.png` when that variable is set, to look at.
    pub(crate) fn dump(name: &str, png: &[u8]) {
        if let Some(dir) = std::env::var_os("IOMTSIM_CHART_DIR") {
            let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png);
        }
    }

    /// The fraction of a PNG's pixels that are not white.
    pub(crate) fn ink(png: &[u8]) -> f64 {
        let mut dec = png::Decoder::new(png).read_info().unwrap();
        let mut buf = vec![0; dec.output_buffer_size()];
        let info = dec.next_frame(&mut buf).unwrap();
        let px = &buf[..info.buffer_size()];
        let inked = px.chunks(3).filter(|p| p != &[255, 255, 255]).count();
        inked as f64 / (px.len() / 3) as f64
    }

    /// The number of polylines in an SVG.
    pub(crate) fn polylines(svg: &str) -> usize {
        svg.matches("<polyline").count()
    }
}
