//! Reading scenario files: what is refused before parsing (devices, FIFOs, oversized files,
//! deep nesting), includes kept inside the scenario's folder, the byte-order mark, and a place
//! for every error.

use super::*;

const WARD: &str = include_str!("../../examples/ward.yaml");

fn message(r: Result<Loaded, ScenarioError>) -> String {
    match r {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn includes_stay_inside_the_scenario_folder_and_never_echo_a_foreign_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("scenarios");
    std::fs::create_dir(&dir).unwrap();
    let secret = tmp.path().join("shadow");
    std::fs::write(&secret, "root:$6$SECRETHASH:19000:0:99999:7:::\n").unwrap();
    // Inside the tree but not a profiles file: its text must not appear either.
    std::fs::write(dir.join("notes.txt"), "SECRETNOTE: do not print\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, dir.join("link.yaml")).unwrap();
    let scenario = dir.join("ward.yaml");
    let mut cases = vec![
        (secret.display().to_string(), "relative to the scenario"),
        ("../shadow".to_string(), "relative to the scenario"),
        ("notes.txt".to_string(), "not a profiles file"),
        (".".to_string(), "not a regular file"),
    ];
    if cfg!(unix) {
        cases.push(("link.yaml".into(), "outside the scenario's folder"));
    }
    for (include, expected) in cases {
        let text = format!("include: [\"{include}\"]\n{WARD}");
        std::fs::write(&scenario, &text).unwrap();
        let e = message(load_with(&scenario, &[]));
        assert!(e.contains(expected), "{include}: {e}");
        assert!(e.contains("include[0]"), "{e}");
        assert!(!e.contains("SECRET"), "{include} leaked: {e}");
    }
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_without_reading_or_waiting() {
    let tmp = tempfile::tempdir().unwrap();
    let e = message(load_with(std::path::Path::new("/dev/zero"), &[]));
    assert!(e.contains("not a regular file"), "{e}");
    let fifo = tmp.path().join("pipe.yaml");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        let e = message(load_with(&fifo, &[]));
        assert!(e.contains("not a regular file"), "{e}");
        let scenario = tmp.path().join("ward.yaml");
        std::fs::write(&scenario, format!("include: [pipe.yaml]\n{WARD}")).unwrap();
        let e = message(load_with(&scenario, &[]));
        assert!(e.contains("not a regular file"), "{e}");
    }
    // /dev/zero reached through an include inside the tree (a link) is refused as well.
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join("zero.yaml")).unwrap();
    let scenario = tmp.path().join("ward.yaml");
    std::fs::write(&scenario, format!("include: [zero.yaml]\n{WARD}")).unwrap();
    let e = message(load_with(&scenario, &[]));
    assert!(e.contains("include[0]"), "{e}");
}

#[test]
fn oversized_files_are_refused_before_they_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.yaml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: costs no disk
    let e = message(load_with(&big, &[]));
    assert!(e.contains("at most"), "{e}");
}

#[test]
fn deep_nesting_is_refused_at_once_with_its_place() {
    let depth = 100_000;
    let text = format!(
        "{WARD}\ncost_per_record: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let started = std::time::Instant::now();
    let e = message(parse_with(&text, "deep.yaml", &[]));
    assert!(started.elapsed().as_secs_f64() < 1.0);
    let line = WARD.lines().count() + 2;
    assert!(
        e.contains(&format!("deep.yaml:{line}:{}:", 17 + MAX_NESTING + 1)),
        "{e}"
    );
    // Brackets in quotes and comments do not count; real flow collections within the limit
    // parse as before.
    let quoted = WARD.replacen(
        "\ndescription: ",
        &format!(
            "\ndescription: \"{}\" # {}\n# ",
            "[".repeat(200),
            "{".repeat(200)
        ),
        1,
    );
    if let Err(e) = parse_with(&quoted, "q.yaml", &[]) {
        panic!("{e}");
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bom.yaml");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(WARD.as_bytes());
    std::fs::write(&path, bytes).unwrap();
    let loaded = load_with(&path, &[]).unwrap();
    assert_eq!(loaded.scenario.name, "ward");
    assert!(parse(&format!("\u{feff}{WARD}"), "bom.yaml").is_ok());
}

#[test]
fn every_error_has_a_line_and_column() {
    for text in [
        "name: \"x\"# c\nduration: 6q\n".to_string(),
        WARD.replacen("duration: 1h", "duration: 6q", 1),
        WARD.replacen("duration: 1h", "duration: 1e15s", 1),
        WARD.replacen("duration: 1h", "duration: 10 min", 1),
        "name: x\n".to_string(),
        "".to_string(),
        "[".to_string(),
    ] {
        if let Err(ScenarioError::Invalid { diagnostics, .. }) = parse_with(&text, "t.yaml", &[]) {
            for d in &diagnostics {
                assert!(d.line.is_some() && d.column.is_some(), "{text:?}: {d:?}");
            }
        } else {
            panic!("{text:?} accepted");
        }
    }
    let e = message(parse_with(
        &WARD.replacen("duration: 1h", "duration: 1e15s", 1),
        "t.yaml",
        &[],
    ));
    assert!(e.contains("t.yaml:15:") && e.contains("584 years"), "{e}");
}
