//! End-to-end tests of the `iomtsim` command: the results folder, determinism across thread
//! counts, `plot` redrawing a folder byte for byte, and exit status 2 with a located message for
//! wrong input.

use crate::plot::chart_files;
use crate::support;
use support::{WARD, iomtsim, json, run_quietly, run_short_ward, short_ward, stderr_of, tree};

/// Lower-case hex SHA-256, computed here independently of the program (FIPS 180-4).
fn sha256(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes(chunk[4 * i..4 * i + 4].try_into().unwrap());
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// The data files and chart stems every results folder holds.
const DATA_FILES: [&str; 13] = [
    "summary.json",
    "runs.csv",
    "timeseries.csv",
    "latency_distribution.csv",
    "hop_latency.csv",
    "groups.csv",
    "incidents.csv",
    "attacks.csv",
    "patients.csv",
    "summary.md",
    "summary.tex",
    "report.html",
    "manifest.json",
];

#[test]
fn run_writes_the_results_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, out) = run_short_ward(dir.path(), "10min", &["--replications", "3"]);
    for f in DATA_FILES
        .iter()
        .map(|f| f.to_string())
        .chain(chart_files())
    {
        assert!(out.join(&f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replications"], 3);
    assert_eq!(summary["seeds"].as_array().unwrap().len(), 3);
    let m = &summary["metrics"];
    for name in [
        "latency_ms",
        "alarm_latency_ms",
        "deadline_misses",
        "delivered",
        "lost",
        "delivery_ratio",
        "energy_j",
        "sensor_energy_j",
        "first_battery_death_s",
        "records_exposed",
    ] {
        assert!(m.get(name).is_some(), "{name} missing from summary.json");
    }
    let lat = &m["latency_ms"];
    let (p50, p95, p99) = (
        lat["p50"].as_f64().unwrap(),
        lat["p95"].as_f64().unwrap(),
        lat["p99"].as_f64().unwrap(),
    );
    assert!(p50 < p95 && p95 <= p99, "{p50} {p95} {p99}");
    let (lo, mean, hi) = (
        lat["ci95_low"].as_f64().unwrap(),
        lat["mean"].as_f64().unwrap(),
        lat["ci95_high"].as_f64().unwrap(),
    );
    assert!(lo < mean && mean < hi);
    // No battery empties in ten minutes: undefined in every replication, reported as such.
    assert_eq!(m["first_battery_death_s"]["n"], 0);
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 4);
    assert!(runs.lines().next().unwrap().contains("records_exposed"));
    let svg = std::fs::read_to_string(out.join("plots/latency_cdf.svg")).unwrap();
    assert!(svg.starts_with("<svg width=\"3.5in\""), "{}", &svg[..80]);
    assert!(svg.contains("alarm deadline (100 ms)"));
    for f in chart_files().iter().filter(|f| f.ends_with(".png")) {
        let png = std::fs::read(out.join(f)).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{f}");
    }

    // The tidy time series: one row per replication × instant × series (× group).
    let ts = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert!(ts.starts_with("replication,time_s,series,group,value\n"));
    for needle in [
        ",battery_mean_fraction,ecg,",
        ",battery_min_fraction,spo2,",
        ",records_exposed,,",
        ",queued_packets,hub,",
        ",delivery_ratio,,",
        ",delivered_per_s,,",
    ] {
        assert!(ts.contains(needle), "{needle} missing from timeseries.csv");
    }
    let hops = std::fs::read_to_string(out.join("hop_latency.csv")).unwrap();
    let order: Vec<&str> = hops
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "ble", "hub", "wifi", "gateway", "wan", "ingest", "dc", "ehr"
        ]
    );

    // manifest.json: how the folder was made, and a hash of every other file.
    let manifest = json(&out.join("manifest.json"));
    assert_eq!(
        manifest["scenario"]["sha256"],
        sha256(&std::fs::read(&scenario).unwrap())
    );
    assert_eq!(
        manifest["scenario"]["sha256"],
        summary["scenario"]["sha256"]
    );
    assert_eq!(manifest["scenario"]["resolved"]["name"], "ward");
    assert_eq!(manifest["scenario"]["resolved"]["duration"], "10min");
    assert_eq!(manifest["replications"], 3);
    assert_eq!(manifest["seeds"], summary["seeds"]);
    assert_eq!(manifest["program"]["version"], env!("CARGO_PKG_VERSION"));
    let cmd = manifest["command_line"].as_str().unwrap();
    assert!(
        cmd.contains(" run ") && cmd.contains("--replications 3"),
        "{cmd}"
    );
    let listed = manifest["files"].as_array().unwrap();
    let on_disk = tree(&out);
    assert_eq!(
        listed.len(),
        on_disk.len() - 1,
        "every file but the manifest"
    );
    for entry in listed {
        let path = entry["path"].as_str().unwrap();
        let bytes = std::fs::read(out.join(path)).unwrap();
        assert_eq!(entry["sha256"], sha256(&bytes), "{path}");
        assert_eq!(entry["bytes"], bytes.len());
    }
    for text in ["summary.json", "summary.md", "summary.tex", "manifest.json"] {
        let t = std::fs::read_to_string(out.join(text)).unwrap();
        // No non-finite number, as a word (`infected_hosts_max` is a name, not a value).
        let bad = t
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| matches!(w.to_ascii_lowercase().as_str(), "nan" | "inf" | "infinity"));
        assert!(!bad, "{text}");
    }
    let tex = std::fs::read_to_string(out.join("summary.tex")).unwrap();
    assert!(tex.contains("\\toprule") && tex.contains("\\pm"));
}

#[test]
fn the_confidence_interval_is_the_student_t_interval_of_the_replications() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = run_short_ward(dir.path(), "4min", &["--replications", "3"]);
    // Recompute from runs.csv: x̄, s (n − 1) and x̄ ± t₀.₉₇₅,₂ · s/√3 with t₀.₉₇₅,₂ = 4.302653
    // (Student-t table), independently of the program's statistics.
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let summary = json(&out.join("summary.json"));
    for metric in [
        "latency_ms",
        "records_exposed",
        "sensor_energy_j",
        "delivered",
    ] {
        let col = header.iter().position(|h| *h == metric).unwrap();
        let xs: Vec<f64> = rows.iter().map(|r| r[col].parse().unwrap()).collect();
        let mean = xs.iter().sum::<f64>() / 3.0;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
        let half = 4.302_652_729_7 * sd / 3f64.sqrt();
        let m = &summary["metrics"][metric];
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1e-9);
        assert!(close(m["mean"].as_f64().unwrap(), mean), "{metric} mean");
        assert!(close(m["sd"].as_f64().unwrap(), sd), "{metric} sd");
        assert!(
            close(m["ci95_half_width"].as_f64().unwrap(), half),
            "{metric} half"
        );
        assert!(
            close(m["ci95_low"].as_f64().unwrap(), mean - half),
            "{metric} low"
        );
        assert!(
            close(m["ci95_high"].as_f64().unwrap(), mean + half),
            "{metric} high"
        );
        assert_eq!(m["n"], 3);
    }
}

#[test]
fn one_replication_reports_no_interval_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, out) = run_short_ward(dir.path(), "3min", &["--replications", "1"]);
    let summary = json(&out.join("summary.json"));
    let lat = &summary["metrics"]["latency_ms"];
    assert_eq!(lat["n"], 1);
    assert!(lat["mean"].as_f64().unwrap() > 0.0);
    for k in ["sd", "ci95_low", "ci95_high", "ci95_half_width"] {
        assert!(lat[k].is_null(), "{k}: {}", lat[k]);
    }
    assert!(
        lat["note"]
            .as_str()
            .unwrap()
            .contains("no confidence interval")
    );
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("one replication: no confidence interval"));
    assert!(md.contains("| End-to-end latency, mean | `latency_ms` | ms | 1 | "));
    let tex = std::fs::read_to_string(out.join("summary.tex")).unwrap();
    assert!(tex.contains("One replication: no confidence interval."));
    assert!(!tex.contains("\\pm"), "no ± anywhere with one replication");
    for f in [
        "summary.json",
        "summary.md",
        "summary.tex",
        "runs.csv",
        "groups.csv",
    ] {
        let t = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(!t.contains("NaN") && !t.contains("nan"), "{f}");
    }
    // The headline prints the mean alone too.
    let o = iomtsim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .args(["--replications", "1", "--charts", "none"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("latency_ms"), "{text}");
    assert!(!text.contains('±') && !text.contains("NaN"), "{text}");
}

#[test]
fn outputs_are_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "5min");
    // The same command each time (manifest.json records it), so every file must match.
    let out = dir.path().join("res");
    let mut outputs = Vec::new();
    for threads in ["1", "2", "2"] {
        if out.exists() {
            std::fs::remove_dir_all(&out).unwrap();
        }
        iomtsim()
            .env("RAYON_NUM_THREADS", threads)
            .arg("run")
            .arg(&scenario)
            .arg("--out")
            .arg(&out)
            .args(["--replications", "4", "--quiet"])
            .assert()
            .success();
        outputs.push(tree(&out));
    }
    let names: Vec<&str> = outputs[0].iter().map(|(p, _)| p.as_str()).collect();
    for f in DATA_FILES
        .iter()
        .map(|f| f.to_string())
        .chain(chart_files())
    {
        assert!(names.contains(&f.as_str()), "{f} not covered");
    }
    for other in &outputs[1..] {
        assert_eq!(outputs[0].len(), other.len());
        for ((a, x), (b, y)) in outputs[0].iter().zip(other) {
            assert_eq!(a, b);
            assert!(x == y, "{a} differs between runs");
        }
    }
}

#[test]
fn seed_flag_changes_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "3min");
    let run = |seed: &str| {
        let out = dir.path().join(format!("s{seed}"));
        run_quietly(&scenario, &out, &["--seed", seed]);
        std::fs::read_to_string(out.join("runs.csv")).unwrap()
    };
    assert_ne!(run("1"), run("2"));
}

#[test]
fn a_wrong_scenario_exits_2_naming_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        WARD.replace("cipher: aes128_ctr_hmac_sha256", "cipher: aes128_gcn"),
    )
    .unwrap();
    let out = iomtsim()
        .args(["run", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    let line = WARD
        .lines()
        .position(|l| l.contains("cipher: aes128"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("bad.yaml:{line}:")), "{err}");
    assert!(err.contains("defenses[0].cipher"), "{err}");
    assert!(err.contains("no cipher `aes128_gcn`"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn garbage_missing_files_and_bad_arguments_exit_2_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.yaml");
    std::fs::write(&garbage, "name: [unclosed\n  - : :\n").unwrap();
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("binary.yaml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    for args in [
        vec!["run".to_string(), garbage.display().to_string()],
        vec!["run".into(), empty.display().to_string()],
        vec!["run".into(), binary.display().to_string()],
        vec![
            "run".into(),
            dir.path().join("absent.yaml").display().to_string(),
        ],
        vec!["validate".into(), garbage.display().to_string()],
        vec![
            "run".into(),
            "examples/ward.yaml".into(),
            "--replications".into(),
            "0".into(),
        ],
        vec![
            "run".into(),
            "examples/ward.yaml".into(),
            "--seed".into(),
            "minus-one".into(),
        ],
        vec!["frobnicate".into()],
    ] {
        let out = iomtsim().args(&args).output().unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.trim().is_empty(), "{args:?}: no message");
    }
}

#[test]
fn validate_summarises_a_good_scenario() {
    let out = iomtsim()
        .args(["validate", "examples/ward.yaml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("24 sensing, 13 network, 2 cloud nodes; 38 links"),
        "{text}"
    );
}

#[test]
fn catalog_prints_profiles_with_their_sources() {
    for what in ["devices", "links", "ciphers", "attacks", "defenses"] {
        let out = iomtsim().args(["catalog", what]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.matches("source:").count() >= 4, "{what}: {text}");
        match what {
            "attacks" => assert!(
                text.contains("capture_probability = 1  (probability)")
                    && text.contains("ICS T0887")
                    && text.contains("foothold (after:)"),
                "{text}"
            ),
            "defenses" => assert!(
                text.contains("link_encryption") && text.contains("default x25519"),
                "{text}"
            ),
            _ => {}
        }
    }
}

#[test]
fn catalog_rules_prints_the_table_and_the_committed_matrix() {
    let out = iomtsim().args(["catalog", "rules"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("replay") && text.contains("freshness") && text.contains("prevents"));
    let md = iomtsim()
        .args(["catalog", "rules", "--markdown"])
        .output()
        .unwrap();
    assert!(md.status.success());
    let committed = std::fs::read_to_string("docs/attack-defense-matrix.md").unwrap();
    assert_eq!(String::from_utf8(md.stdout).unwrap(), committed);
    let wrong = iomtsim()
        .args(["catalog", "devices", "--markdown"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
}

#[test]
fn every_example_runs() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        // examples/paper.yaml is a paper file, not a scenario: tests/end_to_end/paper.rs builds it.
        if path.extension().and_then(|e| e.to_str()) != Some("yaml")
            || path.file_name().is_some_and(|n| n == "paper.yaml")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Shorten to keep the test quick; the full runs are the README's first command.
        let short = dir.path().join(path.file_name().unwrap());
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        for l in &mut lines {
            if l.starts_with("duration:") {
                *l = "duration: 5min".into();
            } else if l.starts_with("warmup:") {
                *l = "warmup: 30s".into();
            } else if l.starts_with("time_grid:") {
                *l = "time_grid: 30s".into();
            }
        }
        std::fs::write(&short, lines.join("\n")).unwrap();
        let out = dir.path().join(path.file_stem().unwrap());
        let o = iomtsim()
            .args([
                "run",
                short.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--replications",
                "2",
                "--quiet",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}: {}", path.display(), stderr_of(&o));
        // Every chart is drawn, or listed in the manifest with why it has nothing to show.
        let absent: Vec<String> = json(&out.join("manifest.json"))["charts_absent"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                assert!(a["reason"].as_str().unwrap().len() > 10, "{a}");
                format!("plots/{}", a["chart"].as_str().unwrap())
            })
            .collect();
        let drawn = chart_files().into_iter().filter(|f| {
            !absent
                .iter()
                .any(|a| f.starts_with(&format!("{a}.")) || f.starts_with(&format!("{a}_wide.")))
        });
        for f in DATA_FILES.iter().map(|f| f.to_string()).chain(drawn) {
            let bytes = std::fs::read(out.join(&f))
                .unwrap_or_else(|_| panic!("{}: {f} missing", path.display()));
            // incidents.csv may hold its header alone: nothing died, nothing was compromised.
            assert!(bytes.len() > 30, "{}: {f} is nearly empty", path.display());
        }
    }
}

#[test]
fn set_overrides_reach_the_run_and_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "3min");
    let out = dir.path().join("set");
    run_quietly(
        &scenario,
        &out,
        &[
            "--set",
            "attacks.ward-sniffer.capture_probability=0",
            "--set",
            "replications=2",
        ],
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["metrics"]["records_exposed"]["max"], 0.0);
    assert_eq!(summary["replications"], 2);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"capture_probability\": 0"),
        "{manifest}"
    );
    // A bad override is refused like a bad file, naming the override.
    let o = iomtsim()
        .args([
            "validate",
            scenario.to_str().unwrap(),
            "--set",
            "sensing.nosuch.count=3",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--set sensing.nosuch.count=3"));
}

#[test]
fn schema_is_json_naming_every_top_level_field() {
    let o = iomtsim().arg("schema").output().unwrap();
    assert!(o.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for field in [
        "duration", "sensing", "links", "attacks", "defenses", "profiles", "sweep",
    ] {
        assert!(schema["properties"].get(field).is_some(), "{field}");
    }
}

#[test]
fn the_readme_scenario_is_valid() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let block = readme
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or(""))
        .find(|b| b.contains("attacks:"))
        .expect("the README shows a scenario with attacks");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readme.yaml");
    std::fs::write(&path, block).unwrap();
    let out = iomtsim()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn attacks_csv_reports_each_attack_of_each_replication() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = run_short_ward(dir.path(), "10min", &["--replications", "3"]);
    let text = std::fs::read_to_string(out.join("attacks.csv")).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // Six attacks in the ward, three replications, in scenario order.
    assert_eq!(rows.len(), 18);
    assert_eq!(rows[1][1..3], ["spo2-spoofer", "spoofing"]);
    // The gateway IDS catches the spoofer: detection after its first act, the delay is the
    // difference. Blocking drops its forgeries at the gateway and does not stop the attacker,
    // which goes on sending.
    for r in rows.iter().filter(|r| r[1] == "spo2-spoofer") {
        let f = |k: usize| r[k].parse::<f64>().unwrap();
        assert!(f(4) > f(3));
        assert!((f(5) - (f(4) - f(3))).abs() < 1e-6, "{r:?}");
        assert!(r[6].is_empty(), "{r:?}");
    }
    // A passive sniffer is never detected.
    assert!(
        rows.iter()
            .filter(|r| r[1] == "ward-sniffer")
            .all(|r| r[4].is_empty())
    );
}

#[test]
fn patients_csv_has_each_patient_of_each_replication_and_adds_up_to_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = run_short_ward(dir.path(), "10min", &["--replications", "2"]);
    let text = std::fs::read_to_string(out.join("patients.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "replication,patient,device,readings_exposed,records_exposed,\
         readings_tampered_accepted,records_tampered_accepted,alarms_late,alarms_missed,\
         monitoring_hours_lost,monitoring_hours_lost_moving,aoi_mean_ms,aoi_peak_ms"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // Twelve beds, each one patient (ecg[i], spo2[i] and hub[i]), in two replications.
    assert_eq!(rows.len(), 24);
    assert_eq!(rows[3][1..3], ["3", "ecg[3]"]);
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for (rep, line) in runs.lines().skip(1).enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        let run = |name: &str| cells[col(name)].parse::<f64>().unwrap();
        let mine: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == rep.to_string()).collect();
        let sum = |k: usize| {
            mine.iter()
                .map(|r| r[k].parse::<f64>().unwrap())
                .sum::<f64>()
        };
        // Every reading belongs to a patient in the ward: the patients' figures add up.
        assert_eq!(sum(3), run("readings_exposed"));
        assert_eq!(sum(5), run("readings_tampered_accepted"));
        assert_eq!(sum(7), run("alarms_late"));
        assert_eq!(sum(8), run("alarms_missed"));
        assert!((sum(9) - run("monitoring_hours_lost")).abs() < 1e-9);
        assert!((sum(10) - run("monitoring_hours_lost_moving")).abs() < 1e-9);
        // Each bed's vital signs have an age; the run's peak is the largest patient's.
        let peak = mine
            .iter()
            .map(|r| r[12].parse::<f64>().unwrap())
            .fold(0.0, f64::max);
        assert_eq!(peak, run("aoi_peak_ms"));
        let exposed = mine
            .iter()
            .filter(|r| r[4].parse::<f64>().unwrap() > 0.0)
            .count();
        assert_eq!(exposed as f64, run("patients_exposed"));
        assert!(run("breach_cost_usd") >= 408.0 * run("patients_exposed"));
    }
}

#[test]
fn validate_of_a_scenario_without_traffic_prints_no_negative_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quiet.yaml");
    std::fs::write(
        &path,
        "name: quiet\nduration: 1min\nsensing:\n  - group: ecg\n    device: ecg_patch\n\
         cloud:\n  - group: ehr\n    device: cloud_store\n\
         links:\n  - {name: up, from: ecg, to: ehr, profile: wan}\n",
    )
    .unwrap();
    let out = iomtsim()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("0.0 packets and about 0 events"), "{text}");
    assert!(!text.contains("-0"), "{text}");
}
