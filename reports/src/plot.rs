//! Drawing every chart of a results folder, from its files: what `iomtsim run` does after
//! writing the data, and what `iomtsim plot DIR` does without simulating.

use crate::chart::battery::Battery;
use crate::chart::breach::BreachTimeline;
use crate::chart::energy::EnergyBreakdown;
use crate::chart::hops::HopLatency;
use crate::chart::latency::{LatencyCcdf, LatencyCdf};
use crate::chart::{Chart, Format, SIZES, Size, render};
use crate::data::{ChartData, DataError, files};
use crate::output::{OutputError, write_all};
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

/// A chart of [`CHARTS`] that a results folder has no data for, so no file of it is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Absent {
    /// The chart's file stem (one of [`CHARTS`]).
    pub chart: &'static str,
    /// Why: what the run lacks (`No battery-powered device in this scenario.`).
    pub reason: String,
}

/// What a run's page shows of its charts: the one-column SVG of each chart drawn, by stem in
/// [`CHARTS`] order, and the charts left out for want of data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageCharts {
    /// (stem, SVG bytes) of each chart drawn.
    pub drawn: Vec<(&'static str, Vec<u8>)>,
    /// The charts not drawn, in [`CHARTS`] order.
    pub absent: Vec<Absent>,
}

impl Which<'_> {
    /// Why the chart has nothing to show for its data, as the two lines of its note; `None`
    /// when it has.
    fn absent(&self) -> Option<[&'static str; 2]> {
        match self {
            Which::Latency(c) => c.absent(),
            Which::Tail(c) => c.absent(),
            Which::Hops(c) => c.absent(),
            Which::Energy(c) => c.absent(),
            Which::Battery(c) => c.absent(),
            Which::Breach(c) => c.absent(),
        }
    }

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

/// The charts of `data` that have nothing to show, and why, in [`CHARTS`] order: a run draws
/// no file of them, and its page and `manifest.json` list them.
pub fn absent(data: &ChartData) -> Vec<Absent> {
    charts(data)
        .iter()
        .filter_map(|c| {
            c.absent().map(|lines| Absent {
                chart: c.name(),
                reason: lines.join(" "),
            })
        })
        .collect()
}

/// Every chart of `data` that has something to show, as a one-column SVG, for `report.html`:
/// (stem, the SVG's bytes or why it could not be drawn), in [`CHARTS`] order; drawn in
/// parallel.
pub fn draw_svg(data: &ChartData) -> Vec<(&'static str, Result<Vec<u8>, String>)> {
    charts(data)
        .par_iter()
        .filter(|c| c.absent().is_none())
        .map(|c| (c.name(), c.render(SIZES[0], Format::Svg)))
        .collect()
}

/// Every chart of `data` that has something to show, in both sizes and each of `formats`:
/// (path relative to the folder, the file's bytes or why it could not be drawn), in a fixed
/// order. A chart with nothing to show ([`absent`]) has no file. Drawn in parallel; each file
/// depends on its inputs alone, so the bytes do not depend on the thread count.
pub fn draw_all(data: &ChartData, formats: &[Format]) -> Vec<(String, Result<Vec<u8>, String>)> {
    let charts = charts(data);
    let jobs: Vec<(&Which, Size, Format)> = charts
        .iter()
        .filter(|c| c.absent().is_none())
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

/// The charts of `data` for `report.html`: the one-column SVG of each chart drawn, taken from
/// `drawn` (relative path, bytes) when the run drew SVG, drawn from `data` otherwise; and the
/// charts with nothing to show.
pub fn report_svgs(data: &ChartData, drawn: &[(String, Vec<u8>)]) -> Result<PageCharts, String> {
    let absent = absent(data);
    let found: Option<Vec<(&'static str, Vec<u8>)>> = CHARTS
        .iter()
        .filter(|stem| !absent.iter().any(|a| a.chart == **stem))
        .map(|stem| {
            let name = format!("{}/{stem}.svg", files::PLOTS);
            drawn
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| (*stem, b.clone()))
        })
        .collect();
    let drawn = match found {
        Some(f) => f,
        None => draw_svg(data)
            .into_iter()
            .map(|(stem, b)| b.map(|b| (stem, b)))
            .collect::<Result<_, _>>()?,
    };
    Ok(PageCharts { drawn, absent })
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
    let mut drawn = Vec::new();
    for (name, bytes) in draw_all(&data, formats) {
        let bytes = bytes.map_err(|message| OutputError::Chart {
            path: dir.join(&name),
            message,
        })?;
        drawn.push((name, bytes));
    }
    let mut written = write_all(dir, &drawn)?;
    let svgs = report_svgs(&data, &drawn).map_err(|message| OutputError::Chart {
        path: dir.join(crate::html::REPORT_HTML),
        message,
    })?;
    written.push(crate::html::write_run_page(dir, Some(&svgs))?);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{HopRow, IncidentRow, LatencyBucket, RunFacts, SeriesRow};

    /// A tandem's data: packets delivered through two stations, mains power and no energy
    /// spent, no attack; a time grid with zero exposure and no battery.
    fn tandem() -> ChartData {
        let row = |t: f64, series: &str| SeriesRow {
            replication: 0,
            time_s: t,
            series: series.into(),
            group: String::new(),
            value: Some(0.0),
        };
        let hop = |position, hop: &str| HopRow {
            position,
            hop: hop.into(),
            kind: "station".into(),
            layer: "sensing".into(),
            observations: 100,
            mean_ms: Some(5.0),
            quantiles_ms: [
                Some(1.0),
                Some(2.0),
                Some(4.0),
                Some(7.0),
                Some(14.0),
                Some(20.0),
            ],
            max_ms: Some(30.0),
        };
        ChartData {
            facts: RunFacts {
                scenario: "tandem".into(),
                replications: 1,
                duration_s: 100.0,
                warmup_s: 10.0,
                deadlines_ms: vec![],
            },
            latency: [1.0, 5.0, 20.0]
                .into_iter()
                .map(|ms| LatencyBucket {
                    class: "routine".into(),
                    latency_ms: ms,
                    count: 30,
                })
                .collect(),
            hops: vec![hop(0, "A"), hop(2, "B")],
            groups: vec![],
            series: [0.0, 50.0, 100.0]
                .into_iter()
                .flat_map(|t| [row(t, "records_exposed"), row(t, "compromised_nodes")])
                .collect(),
            incidents: vec![],
            attacks: vec![],
        }
    }

    #[test]
    fn charts_with_nothing_to_show_are_named_with_why_and_not_drawn() {
        let data = tandem();
        let absent = absent(&data);
        let stems: Vec<&str> = absent.iter().map(|a| a.chart).collect();
        assert_eq!(stems, ["energy_breakdown", "battery", "breach_timeline"]);
        assert_eq!(
            absent[1].reason,
            "No battery-powered device in this scenario."
        );
        assert_eq!(
            absent[2].reason,
            "No attack in this scenario and no security incident in this run."
        );
        let files: Vec<String> = draw_all(&data, &[Format::Svg])
            .into_iter()
            .map(|(name, bytes)| {
                assert!(bytes.is_ok(), "{name}");
                name
            })
            .collect();
        assert_eq!(
            files,
            [
                "plots/latency_cdf.svg",
                "plots/latency_cdf_wide.svg",
                "plots/latency_ccdf.svg",
                "plots/latency_ccdf_wide.svg",
                "plots/hop_latency.svg",
                "plots/hop_latency_wide.svg",
            ]
        );
        let page = report_svgs(&data, &[]).unwrap();
        let drawn: Vec<&str> = page.drawn.iter().map(|(s, _)| *s).collect();
        assert_eq!(drawn, ["latency_cdf", "latency_ccdf", "hop_latency"]);
        assert_eq!(page.absent, absent);
    }

    #[test]
    fn one_incident_or_one_exposed_record_brings_the_breach_timeline_back() {
        let mut data = tandem();
        data.incidents.push(IncidentRow {
            replication: 0,
            time_s: 40.0,
            kind: "false_alarm".into(),
            node: "A[0]".into(),
            group: "A".into(),
            by: "ids".into(),
        });
        assert!(!absent(&data).iter().any(|a| a.chart == "breach_timeline"));
        // A battery death is the battery chart's, not a security incident.
        data.incidents[0].kind = "battery_death".into();
        assert!(absent(&data).iter().any(|a| a.chart == "breach_timeline"));
        data.series[2].value = Some(3.0);
        assert!(!absent(&data).iter().any(|a| a.chart == "breach_timeline"));
        // An attack that exposed nothing: its flat line at zero is drawn, a result.
        data.series[2].value = Some(0.0);
        data.attacks.push("sniffer".into());
        assert!(!absent(&data).iter().any(|a| a.chart == "breach_timeline"));
        data.attacks.clear();
        // No packet delivered: the latency and hop charts have nothing to show either.
        data.latency.clear();
        data.hops.iter_mut().for_each(|h| h.observations = 0);
        let stems: Vec<&str> = absent(&data).iter().map(|a| a.chart).collect();
        assert_eq!(
            stems,
            [
                "latency_cdf",
                "latency_ccdf",
                "hop_latency",
                "energy_breakdown",
                "battery",
                "breach_timeline"
            ]
        );
    }
}
