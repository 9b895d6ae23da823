//! The PNG files of the charts: the pixel buffer a chart is rasterised into, and its encoding.
//!
//! # Cost
//!
//! A run draws each chart at 300 dpi in two sizes: 1050 × 780 and 2148 × 900 pixels, 2.5 MB
//! and 5.8 MB of RGB. Two things dominated the CPU a chart's PNG took (`perf`, the tandem's
//! 12 chart files):
//!
//! - **Fresh pixel buffers.** A new buffer of that size is mapped by the allocator on its
//!   first write, one page fault per 4 KiB page (≈ 2,000 per chart pair): filling it white cost
//!   more than drawing the chart. Each thread now keeps one buffer ([`with_white_canvas`]) and
//!   repaints it white for the next chart.
//! - **The Paeth filter.** The `png` crate filters every byte of every row. A chart is mostly
//!   white space, grid lines and axes, so most of a row equals the row above, where the Paeth
//!   residual is zero: [`paeth_row`] writes those zeros without computing the predictor, and
//!   computes it where the rows differ.
//!
//! The bytes are those the `png` crate writes with `Compression::Fast` and
//! `FilterType::Paeth` (its `fdeflate` fast path): the same filter on every row, the same
//! compressor, the same fallback to stored blocks and the same chunks. A test compares them
//! with the crate's for charts and for random images, so a chart's file is byte-for-byte what it
//! was before this encoder.

use std::cell::RefCell;
use std::io::Cursor;

/// Bytes per pixel: 8-bit RGB.
const BPP: usize = 3;

/// The PNG filter type byte of Paeth (PNG specification, 9.2).
const PAETH: u8 = 4;

/// Bytes compared at once when looking for the parts of a row equal to the row above.
const RUN: usize = 32;

/// The bytes of the largest chart drawn: [`FULL_WIDTH`](super::FULL_WIDTH), 2148 × 900 pixels.
const LARGEST: usize = 2148 * 900 * BPP;

thread_local! {
    /// This thread's pixel buffer, kept between charts.
    static CANVAS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Calls `draw` with a white RGB buffer of `w` × `h` pixels, this thread's own, reused from
/// one chart to the next (its pages stay mapped); returns what `draw` returns.
pub fn with_white_canvas<R>(w: u32, h: u32, draw: impl FnOnce(&mut [u8]) -> R) -> R {
    let len = w as usize * h as usize * BPP;
    CANVAS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            // Room for the largest chart at once: growing from a smaller one would copy the
            // buffer into fresh pages.
            buf.reserve_exact(len.max(LARGEST));
            buf.resize(len, 0xFF);
            draw(&mut buf[..len])
        }
        // Drawing within a drawing on the same thread: a buffer of its own.
        Err(_) => draw(&mut vec![0xFF; len]),
    })
}

/// The Paeth predictor of the PNG specification (9.4): of the left `a`, upper `b` and
/// upper-left `c` bytes, the one closest to `p = a + b − c`, ties going to `a`, then `b`.
///
/// Written on bytes alone (Versari's formulation for FPNGE), so a run of them vectorises:
/// `|p − a| = |b − c|`, `|p − b| = |a − c|`, and `|p − c| = ||b − c| − |a − c||` when `c` lies
/// between `a` and `b` (otherwise it is larger than both others and never chosen).
#[inline(always)]
fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let pa = b.max(c) - b.min(c);
    let pb = a.max(c) - a.min(c);
    let pc = if (a < c) == (c < b) {
        pa.max(pb) - pa.min(pb)
    } else {
        u8::MAX
    };
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Whether two stretches of [`RUN`] + [`BPP`] bytes are equal, compared as five overlapping
/// 8-byte words, without a call.
#[inline(always)]
fn same(a: &[u8; RUN + BPP], b: &[u8; RUN + BPP]) -> bool {
    let word = |x: &[u8; RUN + BPP], k: usize| {
        u64::from_ne_bytes(x[k..k + 8].try_into().expect("8 bytes"))
    };
    [0, 8, 16, 24, RUN + BPP - 8]
        .into_iter()
        .fold(0, |diff, k| diff | (word(a, k) ^ word(b, k)))
        == 0
}

/// Paeth-filters the RGB row `cur` under `prev` (all zeros above the first row) into `out`.
///
/// Where a stretch of `cur` and the pixel before it equal the same bytes of `prev`, the
/// residual is zero: the byte is its upper neighbour `b`, and its left `a` equals its upper
/// left `c`, so `a + b − c = b` and the predictor is `b` (or `a`, equal to `b`, when
/// `|b − a| = 0`). Such stretches, most of a chart, are written as zeros without computing the
/// predictor, [`RUN`] bytes at a time.
pub fn paeth_row(prev: &[u8], cur: &[u8], out: &mut [u8]) {
    let len = cur.len();
    assert!(prev.len() == len && out.len() == len, "rows of one image");
    if cur == prev {
        out.fill(0);
        return;
    }
    // The first pixel: no left neighbour, so a = c = 0 and the predictor is the byte above.
    let head = BPP.min(len);
    for i in 0..head {
        out[i] = cur[i].wrapping_sub(prev[i]);
    }
    let mut i = head;
    while i + RUN <= len {
        let c: &[u8; RUN + BPP] = cur[i - BPP..i + RUN].try_into().expect("RUN + BPP bytes");
        let p: &[u8; RUN + BPP] = prev[i - BPP..i + RUN].try_into().expect("RUN + BPP bytes");
        let o: &mut [u8; RUN] = (&mut out[i..i + RUN]).try_into().expect("RUN bytes");
        if same(c, p) {
            *o = [0; RUN];
        } else {
            for k in 0..RUN {
                o[k] = c[k + BPP].wrapping_sub(paeth(c[k], p[k + BPP], p[k]));
            }
        }
        i += RUN;
    }
    for j in i..len {
        out[j] = cur[j].wrapping_sub(paeth(cur[j - BPP], prev[j], prev[j - BPP]));
    }
}

/// The zlib stream of the image data of an RGB image `w` pixels wide, each row Paeth-filtered,
/// compressed as the `png` crate's `Compression::Fast` does (fdeflate; stored blocks if those
/// are smaller).
pub fn image_data(rgb: &[u8], w: u32) -> std::io::Result<Vec<u8>> {
    let stride = w as usize * BPP;
    if stride == 0 {
        return Ok(Vec::new());
    }
    let rows = rgb.len() / stride;
    let zeros = vec![0u8; stride];
    let mut line = vec![0u8; stride + 1];
    line[0] = PAETH;
    let mut compressor = fdeflate::Compressor::new(Cursor::new(Vec::with_capacity(rgb.len() / 8)))?;
    let mut prev = &zeros[..];
    for row in rgb.chunks_exact(stride) {
        paeth_row(prev, row, &mut line[1..]);
        compressor.write_data(&line)?;
        prev = row;
    }
    let compressed = compressor.finish()?.into_inner();
    if compressed.len()
        <= fdeflate::StoredOnlyCompressor::<()>::compressed_size((stride + 1) * rows)
    {
        return Ok(compressed);
    }
    // Incompressible: stored blocks of the unfiltered rows, as the `png` crate falls back to.
    let mut stored = fdeflate::StoredOnlyCompressor::new(Cursor::new(Vec::new()))?;
    for row in rgb.chunks_exact(stride) {
        stored.write_data(&[0])?;
        stored.write_data(row)?;
    }
    Ok(stored.finish()?.into_inner())
}

/// Encodes an RGB buffer of `w` × `h` pixels as PNG, with its resolution (`pixels_per_metre`)
/// and nothing else: no time, no software name, so the bytes depend on the pixels alone.
pub fn encode(rgb: &[u8], w: u32, h: u32, pixels_per_metre: u32) -> Result<Vec<u8>, String> {
    if w == 0 || h == 0 {
        return Err(format!("a PNG image has pixels: {w} × {h} has none"));
    }
    if rgb.len() != w as usize * h as usize * BPP {
        return Err(format!(
            "a {w} × {h} RGB image has {} bytes, not {}",
            w as usize * h as usize * BPP,
            rgb.len()
        ));
    }
    let idat = image_data(rgb, w).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(idat.len() + 128);
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: pixels_per_metre,
            yppu: pixels_per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer
            .write_chunk(png::chunk::IDAT, &idat)
            .map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `png` crate's encoding with the settings this module reproduces.
    fn by_the_png_crate(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            enc.set_compression(png::Compression::Fast);
            enc.set_filter(png::FilterType::Paeth);
            enc.set_pixel_dims(Some(png::PixelDimensions {
                xppu: 11811,
                yppu: 11811,
                unit: png::Unit::Meter,
            }));
            let mut writer = enc.write_header().unwrap();
            writer.write_image_data(rgb).unwrap();
            writer.finish().unwrap();
        }
        out
    }

    /// A deterministic stream of bytes (xorshift64).
    fn noise(n: usize, mut state: u64) -> Vec<u8> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect()
    }

    /// A white image with what charts hold: grid lines, a frame, a diagonal curve of two
    /// colours with grey anti-aliasing, text-like speckles, and a few identical rows.
    fn chart_like(w: u32, h: u32) -> Vec<u8> {
        let (w, h) = (w as usize, h as usize);
        let mut rgb = vec![0xFF; w * h * BPP];
        let specks = noise(w * h, 7);
        let mut put = |x: usize, y: usize, c: [u8; 3]| {
            let i = (y * w + x) * BPP;
            rgb[i..i + BPP].copy_from_slice(&c);
        };
        for y in 0..h {
            for x in 0..w {
                if x % 97 == 0 || y % 61 == 0 {
                    put(x, y, [0xE3, 0xE3, 0xE3]);
                }
                if x == 40 || y + 30 == h {
                    put(x, y, [0, 0, 0]);
                }
                if y < 20 && specks[y * w + x] < 40 {
                    put(x, y, [specks[y * w + x], 0x72, 0xB2]);
                }
            }
            let x = (y * 7 / 3) % w;
            put(x, y, [0x00, 0x72, 0xB2]);
            put((x + 1) % w, y, [0x80, 0xB8, 0xD8]);
            put((w - 1 - x) % w, y, [0xD5, 0x5E, 0x00]);
        }
        rgb
    }

    #[test]
    fn files_are_byte_for_byte_the_png_crates() {
        // Chart-like images in both chart sizes' widths and odd widths that end a row in the
        // middle of a compared stretch; random noise, which fdeflate cannot compress, takes
        // the stored-block fallback; one pixel; one row; one column.
        let cases: Vec<(u32, u32, Vec<u8>)> = vec![
            (1050, 78, chart_like(1050, 78)),
            (2148, 90, chart_like(2148, 90)),
            (37, 50, chart_like(37, 50)),
            (11, 11, chart_like(11, 11)),
            (64, 40, noise(64 * 40 * BPP, 3)),
            (1, 1, vec![12, 200, 7]),
            (300, 1, chart_like(300, 1)),
            (1, 300, noise(300 * BPP, 5)),
        ];
        for (w, h, rgb) in &cases {
            let ours = encode(rgb, *w, *h, 11811).unwrap();
            assert!(
                ours == by_the_png_crate(rgb, *w, *h),
                "{w} × {h}: bytes differ from the png crate's"
            );
            // And it decodes to the same pixels.
            let mut dec = png::Decoder::new(&ours[..]).read_info().unwrap();
            let mut buf = vec![0; dec.output_buffer_size()];
            dec.next_frame(&mut buf).unwrap();
            assert_eq!(&buf, rgb, "{w} × {h}");
        }
        assert!(encode(&[], 0, 0, 11811).is_err());
        assert!(encode(&[0; 5], 1, 2, 11811).is_err());
    }

    #[test]
    fn the_predictor_is_the_specifications_for_every_triple() {
        // PNG specification 9.4, as written there.
        let spec = |a: u8, b: u8, c: u8| {
            let p = i16::from(a) + i16::from(b) - i16::from(c);
            let (pa, pb, pc) = (
                (p - i16::from(a)).abs(),
                (p - i16::from(b)).abs(),
                (p - i16::from(c)).abs(),
            );
            if pa <= pb && pa <= pc {
                a
            } else if pb <= pc {
                b
            } else {
                c
            }
        };
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for c in 0..=255u8 {
                    assert_eq!(paeth(a, b, c), spec(a, b, c), "a {a} b {b} c {c}");
                }
            }
        }
    }

    #[test]
    fn stretches_equal_to_the_row_above_filter_to_zero_and_others_do_not() {
        let w = 100;
        let prev = chart_like(w, 2)[..w as usize * BPP].to_vec();
        let mut cur = prev.clone();
        let mut out = vec![0xAA; cur.len()];
        paeth_row(&prev, &cur, &mut out);
        assert!(out.iter().all(|&b| b == 0));
        // One byte changed: its residual is the change, the bytes after it within a pixel's
        // reach see a changed left neighbour; nothing else moves.
        cur[150] = cur[150].wrapping_add(9);
        paeth_row(&prev, &cur, &mut out);
        assert_eq!(out[150], 9);
        assert!(out[..150].iter().all(|&b| b == 0));
        assert!(out[154..].iter().all(|&b| b == 0));
    }

    #[test]
    fn the_canvas_holds_the_largest_chart() {
        let (w, h) = super::super::FULL_WIDTH.pixels();
        assert_eq!(LARGEST, w as usize * h as usize * BPP);
        let (w, h) = super::super::ONE_COLUMN.pixels();
        assert!(LARGEST > w as usize * h as usize * BPP);
    }

    #[test]
    fn a_threads_canvas_is_white_again_for_the_next_chart_and_nests() {
        with_white_canvas(4, 3, |buf| {
            assert_eq!(buf.len(), 36);
            buf.fill(0);
        });
        with_white_canvas(2, 2, |buf| {
            assert!(buf.iter().all(|&b| b == 0xFF));
            buf[0] = 0;
            // A drawing within a drawing gets a white buffer of its own.
            with_white_canvas(3, 1, |inner| assert_eq!(inner, &[0xFF; 9][..]));
            assert_eq!(buf[0], 0);
        });
        with_white_canvas(5, 5, |buf| assert!(buf.iter().all(|&b| b == 0xFF)));
    }
}
