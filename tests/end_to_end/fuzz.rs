//! The fuzz harness: random and mutated inputs to everything a user (or a damaged disk) hands
//! the program — quantities, `--set` overrides, scenario text, sweep manifests, job files, and
//! the files `iomtsim plot` reads — must be accepted or refused with a message, never panic.
//! Fixed case counts keep the cost in `cargo test` bounded (with the scenario crate's
//! `robustness` properties, about 125,000 cases); inputs that once broke
//! something are replayed from `tests/fuzz-corpus/` on every run.

use proptest::prelude::*;
use reports::sweep::{JobExpect, JobResult, Layout, parse_job, write_job};
use std::sync::OnceLock;

const WARD: &str = include_str!("../../examples/ward.yaml");

/// Every quantity parser, on any text: a value or an error, never a panic or a non-finite
/// number.
fn all_quantities(text: &str) {
    use scenarios::quantity::*;
    for x in [
        duration_secs(text),
        bit_rate(text),
        rate_per_s(text),
        joules(text),
        watts(text),
        hertz(text),
    ]
    .into_iter()
    .flatten()
    {
        assert!(x.is_finite(), "{text:?} gave {x}");
    }
    let _ = bytes(text);
    let _ = time_dist(text);
}

/// Strings made of number, unit and distribution pieces, mostly near-valid.
fn quantity_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,4}",
        "[0-9]\\.[0-9]{1,3}",
        "-?[0-9]e-?[0-9]{1,3}",
        Just("1e308".to_string()),
        Just("nan".to_string()),
        prop::sample::select(vec![
            "ns",
            "us",
            "µs",
            "ms",
            "s",
            "min",
            "h",
            "d",
            "w",
            "B",
            "kB",
            "KiB",
            "MB",
            "bit",
            "bit/s",
            "kbit/s",
            "Mbit/s",
            "/s",
            "/h",
            "/ns",
            "J",
            "kJ",
            "mAh@3V",
            "mW",
            "uW",
            "Hz",
            "MHz",
            " ",
            "@",
            "(",
            ")",
            ",",
            "exp(",
            "uniform(",
            "normal(",
            "lognormal(",
            "pareto(",
            "empirical(",
            "const(",
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..7).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn quantities_never_panic(text in quantity_text()) {
        all_quantities(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_as_a_quantity_never_panics(text in "\\PC{0,24}") {
        all_quantities(&text);
    }
}

fn ward_document() -> &'static serde_yaml::Value {
    static DOC: OnceLock<serde_yaml::Value> = OnceLock::new();
    DOC.get_or_init(|| serde_yaml::from_str(WARD).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// `--set PATH=VALUE`: parsing the argument and applying it to the ward's document.
    #[test]
    fn set_arguments_never_panic(
        path in "(sensing|network|cloud|links|attacks|defenses|sweep|name|duration|[a-z]{1,6})([.][a-z_0-9-]{1,8}|\\[[0-9]{1,3}\\]|\\[-1\\]|\\[\\]|[.]){0,4}",
        value in "\\PC{0,20}",
        eq in any::<bool>(),
    ) {
        let text = if eq { format!("{path}={value}") } else { format!("{path}{value}") };
        if let Ok(o) = text.parse::<scenarios::Override>() {
            let mut doc = ward_document().clone();
            let _ = scenarios::overrides::apply(&mut doc, &o);
        }
    }
}

/// A layout as a sweep manifest holds it, from raw JSON pieces.
fn layout_json() -> impl Strategy<Value = serde_json::Value> {
    let number = prop_oneof![
        Just(serde_json::json!(0)),
        Just(serde_json::json!(1)),
        Just(serde_json::json!(2)),
        Just(serde_json::json!(99)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!(null)),
        Just(serde_json::json!("1")),
    ];
    let point = (
        number.clone(),
        prop::collection::vec("[0-9a-z.]{0,3}", 0..3),
    )
        .prop_map(|(v, values)| serde_json::json!([v, values]));
    (
        prop::collection::vec("[a-z]{1,3}", 0..3),
        prop::collection::vec("[a-z]{1,3}", 0..4),
        number.clone(),
        prop::collection::vec(point, 0..9),
        number,
    )
        .prop_map(|(parameters, variants, baseline, points, replications)| {
            serde_json::json!({
                "parameters": parameters,
                "variants": variants,
                "baseline": baseline,
                "points": points,
                "replications": replications,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 15_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// What `merge` does with a manifest's layout: read it, check it, and for a layout that
    /// passes, pair points with their baseline and build the charts' series from rows.
    #[test]
    fn sweep_layouts_never_panic(v in layout_json()) {
        if let Ok(layout) = serde_json::from_value::<Layout>(v)
            && layout.check().is_ok()
        {
            let rows: Vec<reports::sweep::Row> = (0..layout.points.len())
                .map(|p| {
                    let base = layout.baseline_of(p);
                    assert!(base.is_none_or(|b| b < layout.points.len()));
                    reports::sweep::Row {
                        point: p,
                        variant: layout.points[p].0.map(|v| layout.variants[v].clone()),
                        values: layout.points[p].1.clone(),
                        metric: "m".into(),
                        group: String::new(),
                        summary: reports::stats::summarise(&[Some(p as f64), Some(1.0)]),
                        diff_vs_baseline: None,
                    }
                })
                .collect();
            let _ = reports::sweep::sweep_charts(&layout, &["m".into()], &rows);
            let _ = reports::sweep::sweep_csv(&layout, &rows);
        }
    }
}

fn sealed_job() -> &'static (Vec<u8>, JobExpect) {
    static JOB: OnceLock<(Vec<u8>, JobExpect)> = OnceLock::new();
    JOB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let expect = JobExpect {
            scenario_sha256: "ab".repeat(32),
            base_seed: 11,
        };
        let job = JobResult {
            point: 3,
            replication: 2,
            seed: sim_core::rng::replication_seed(11, 2),
            events: 12345,
            metrics: vec![
                ("latency_ms".into(), Some(59.25)),
                ("records_exposed".into(), Some(1024.0)),
                ("first_battery_death_s".into(), None),
            ],
            groups: vec![],
            scenario_sha256: expect.scenario_sha256.clone(),
        };
        write_job(dir.path(), &job).unwrap();
        let bytes = std::fs::read(reports::sweep::job_path(dir.path(), 3, 2)).unwrap();
        (bytes, expect)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 15_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// A job file with bytes changed, cut or inserted is refused (never taken for a valid
    /// job), and never panics.
    #[test]
    fn damaged_job_files_are_refused(
        at in any::<prop::sample::Index>(),
        edit in 0u8..4,
        byte in any::<u8>(),
    ) {
        let (good, expect) = sealed_job();
        assert!(parse_job(good, 3, 2, expect).is_ok());
        let mut bytes = good.clone();
        let i = at.index(bytes.len());
        match edit {
            0 => bytes[i] = byte,
            1 => bytes.truncate(i),
            2 => bytes.insert(i, byte),
            _ => { bytes.remove(i); }
        }
        if bytes != *good {
            // Whitespace JSON ignores leaves the job as it was; any other change is refused.
            let same = serde_json::from_slice::<serde_json::Value>(&bytes).ok()
                == serde_json::from_slice::<serde_json::Value>(good).ok();
            let r = parse_job(&bytes, 3, 2, expect);
            prop_assert!(same || r.is_err(), "a damaged job was accepted: {}", String::from_utf8_lossy(&bytes));
        }
    }
}

/// The bytes of a real run's files, as `plot` reads them: summary.json, latency, hops, groups,
/// series, incidents, attacks.
fn run_files() -> &'static [Vec<u8>; 7] {
    static FILES: OnceLock<[Vec<u8>; 7]> = OnceLock::new();
    FILES.get_or_init(|| {
        let text = WARD
            .replace("duration: 1h", "duration: 2min")
            .replace("warmup: 2min", "warmup: 10s");
        let s = scenarios::parse(&text, "ward.yaml").unwrap();
        let built = s.build();
        let mut stream = reports::output::RunStream::default();
        for i in 0..2 {
            stream.push(&built.replication(i).unwrap().run());
        }
        let g = stream.finish();
        let p = reports::Provenance {
            scenario: "ward".into(),
            scenario_sha256: "0".repeat(64),
            program_version: "0".into(),
            base_seed: 1,
            duration_s: 120.0,
            warmup_s: 10.0,
            deadlines_ms: vec![("alarm".into(), 100.0)],
            resolved_scenario: serde_json::Value::Null,
            command_line: String::new(),
            machine: serde_json::Value::Null,
        };
        let summary =
            serde_json::to_vec_pretty(&reports::output::summary_json(&p, &g.agg)).unwrap();
        [
            summary,
            reports::data::latency_csv(&reports::data::latency_buckets(&g.agg.latency_by_class)),
            reports::data::hops_csv(&reports::data::hop_rows(&g.agg.segments)),
            reports::data::groups_csv(&g.agg.group_rows),
            g.series,
            g.incidents,
            g.attacks,
        ]
    })
}

/// Text that breaks numbers and CSV.
const HOSTILE_CELLS: &[&str] = &[
    "",
    "-1",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "1e-320",
    "0",
    "x",
    "\"",
    ",",
    "\n",
    "99999999999999999999999",
    "null",
    "[]",
    "{}",
    "=1+1",
];

proptest! {
    // Each case parses a whole results folder (about 80 KB): 4,000 cases take about 15 s.
    #![proptest_config(ProptestConfig { cases: 4_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// `iomtsim plot`'s reader on damaged files: lines dropped or repeated, cells replaced by
    /// hostile text, bytes cut; every 50th case also draws the charts (SVG) from what parsed.
    #[test]
    fn plot_inputs_never_panic(
        file in 0usize..7,
        line in any::<prop::sample::Index>(),
        cell in 0usize..12,
        hostile in 0usize..HOSTILE_CELLS.len(),
        op in 0u8..4,
        draw in 0u32..50,
    ) {
        let mut files = run_files().clone();
        let text = String::from_utf8_lossy(&files[file]).into_owned();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        if !lines.is_empty() {
            let i = line.index(lines.len());
            match op {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                2 => {
                    let sep = if file == 0 { ':' } else { ',' };
                    let mut cells: Vec<String> = lines[i].split(sep).map(String::from).collect();
                    let c = cell % cells.len();
                    cells[c] = if file == 0 {
                        format!(" {}", serde_json::to_string(HOSTILE_CELLS[hostile]).unwrap_or_default())
                    } else {
                        HOSTILE_CELLS[hostile].to_string()
                    };
                    lines[i] = cells.join(&sep.to_string());
                }
                _ => { lines.truncate(i); }
            }
        }
        files[file] = lines.join("\n").into_bytes();
        let sources = reports::data::Sources {
            summary_json: &files[0],
            latency: &files[1],
            hops: &files[2],
            groups: &files[3],
            series: &files[4],
            incidents: &files[5],
            attacks: &files[6],
        };
        if let Ok(data) = reports::data::ChartData::parse(std::path::Path::new("fuzz"), &sources)
            && draw == 0
        {
            let _ = reports::plot::draw_all(&data, &[reports::Format::Svg]);
        }
    }
}

/// Inputs that broke an earlier version (a panic, a hang, a file written outside the results
/// folder, an error without a place): each is refused with a located message or accepted.
#[test]
fn the_crash_corpus_is_handled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        n += 1;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = match scenarios::text_of(bytes, &name) {
            Ok(t) => t,
            Err(e) => {
                assert!(e.to_string().contains(&name), "{e}");
                continue;
            }
        };
        match scenarios::parse_with(&text, &name, &[]) {
            Ok(loaded) => assert!(scenarios::is_identifier(&loaded.scenario.name)),
            Err(scenarios::ScenarioError::Invalid { diagnostics, .. }) => {
                assert!(!diagnostics.is_empty(), "{name}");
                for d in diagnostics {
                    assert!(d.line.is_some() && d.column.is_some(), "{name}: {d:?}");
                }
            }
            Err(e) => panic!("{name}: {e}"),
        }
    }
    assert!(n >= 10, "the corpus has {n} files");
}
