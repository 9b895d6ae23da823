//! Drawing every chart of a results folder, from its files: what `iomtsim run` does after
//! writing the data, and what `iomtsim plot DIR` does without simulating.

use crate::chart::battery::Battery;
use crate::chart::breach::BreachTimeline;
use crate::chart::energy::EnergyBreakdown;
use crate::chart::hops::HopLatency;
use crate::chart::latency::{LatencyCcdf, LatencyCdf};
use crate::chart::{Chart, Format, SIZES, Size, render};
use crate::data::{ChartData, DataError, files};
use crate::output::{OutputError, write_atomic};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Why `plot` failed.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The folder is not a results folder, or a file in it is damaged.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A chart could not be drawn or written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// The file stems of the charts of a results folder, in drawing order.
pub const CHARTS: [&str; 6] = [
    "latency_cdf",
    "latency_ccdf",
    "hop_latency",
    "energy_breakdown",
    "battery",
    "breach_timeline",
];

/// The charts of a results folder, in drawing order.
enum Which<'a> {
    Latency(LatencyCdf<'a>),
    Tail(LatencyCcdf<'a>),
    Hops(HopLatency<'a>),
    Energy(EnergyBreakdown<'a>),
    Battery(Battery<'a>),
    Breach(BreachTimeline<'a>),
}

impl Which<'_> {
    fn name(&self) -> &'static str {
        match self {
            Which::Latency(c) => c.name(),
            Which::Tail(c) => c.name(),
            Which::Hops(c) => c.name(),
            Which::Energy(c) => c.name(),
            Which::Battery(c) => c.name(),
            Which::Breach(c) => c.name(),
        }
    }

    fn render(&self, size: Size, format: Format) -> Result<Vec<u8>, String> {
        match self {
            Which::Latency(c) => render(c, size, format),
            Which::Tail(c) => render(c, size, format),
            Which::Hops(c) => render(c, size, format),
            Which::Energy(c) => render(c, size, format),
            Which::Battery(c) => render(c, size, format),
            Which::Breach(c) => render(c, size, format),
        }
    }
}

fn charts(data: &ChartData) -> [Which<'_>; 6] {
    [
        Which::Latency(LatencyCdf::new(data)),
        Which::Tail(LatencyCcdf::new(data)),
        Which::Hops(HopLatency::new(data)),
        Which::Energy(EnergyBreakdown::new(data)),
        Which::Battery(Battery::new(data)),
        Which::Breach(BreachTimeline::new(data)),
    ]
}

/// Every chart of `data` as a one-column SVG, for `report.html`: (stem, the SVG's bytes or
/// why it could not be drawn), in [`CHARTS`] order; drawn in parallel.
pub fn draw_svg(data: &ChartData) -> Vec<(&'static str, Result<Vec<u8>, String>)> {
    charts(data)
        .par_iter()
        .map(|c| (c.name(), c.render(SIZES[0], Format::Svg)))
        .collect()
}

/// Every chart of `data` in both sizes and each of `formats`: (path relative to the folder,
/// the file's bytes or why it could not be drawn), in a fixed order. Drawn in parallel; each
/// file depends on its inputs alone, so the bytes do not depend on the thread count.
pub fn draw_all(data: &ChartData, formats: &[Format]) -> Vec<(String, Result<Vec<u8>, String>)> {
    let charts = charts(data);
    let jobs: Vec<(&Which, Size, Format)> = charts
        .iter()
        .flat_map(|c| {
            SIZES
                .into_iter()
                .flat_map(move |s| formats.iter().map(move |&f| (c, s, f)))
        })
        .collect();
    jobs.par_iter()
        .map(|(c, size, f)| {
            (
                format!(
                    "{}/{}{}.{}",
                    files::PLOTS,
                    c.name(),
                    size.suffix,
                    f.extension()
                ),
                c.render(*size, *f),
            )
        })
        .collect()
}

/// The one-column SVG of each chart for `report.html`: taken from `drawn` (relative path,
/// bytes) when the run drew SVG, drawn from `data` otherwise.
pub fn report_svgs(
    data: &ChartData,
    drawn: &[(String, Vec<u8>)],
) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    let found: Option<Vec<(&'static str, Vec<u8>)>> = CHARTS
        .iter()
        .map(|stem| {
            let name = format!("{}/{stem}.svg", files::PLOTS);
            drawn
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| (*stem, b.clone()))
        })
        .collect();
    match found {
        Some(f) => Ok(f),
        None => draw_svg(data)
            .into_iter()
            .map(|(stem, b)| b.map(|b| (stem, b)))
            .collect(),
    }
}

/// Redraws every chart of the results folder `dir` from its files, and rewrites its
/// `report.html` with them; returns the paths written.
pub fn plot_dir(dir: &Path, formats: &[Format]) -> Result<Vec<PathBuf>, PlotError> {
    let data = ChartData::read(dir)?;
    let plots = dir.join(files::PLOTS);
    std::fs::create_dir_all(&plots).map_err(|source| OutputError::Io {
        path: plots.clone(),
        source,
    })?;
    let mut written = Vec::new();
    let mut drawn = Vec::new();
    for (name, bytes) in draw_all(&data, formats) {
        let path = dir.join(&name);
        let bytes = bytes.map_err(|message| OutputError::Chart {
            path: path.clone(),
            message,
        })?;
        write_atomic(&path, &bytes)?;
        written.push(path);
        drawn.push((name, bytes));
    }
    let svgs = report_svgs(&data, &drawn).map_err(|message| OutputError::Chart {
        path: dir.join(crate::html::REPORT_HTML),
        message,
    })?;
    written.push(crate::html::write_run_page(dir, Some(&svgs))?);
    Ok(written)
}
