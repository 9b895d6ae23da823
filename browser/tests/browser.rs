//! `report.html` in a real browser (issue 17): the reports of a ward run, a ward sweep and a
//! comparison, opened from `file://` in headless Chromium with the network switched off.
//! Each must log no console error or exception, give every chart a non-zero size (for the
//! sweep, under each choice of its select box), make no request beyond the file itself, fit
//! a 320 px wide screen without scrolling sideways, sort a table when a header is clicked, and
//! render to a PNG screenshot of the expected size.
//!
//! Behind the `browser` feature of this package, so that `cargo test --workspace` needs no
//! browser: `cargo build --bin iomtsim && cargo test -p iomtsim-browser-test --features browser`
//! (`.ci/run` runs it after `cargo test --workspace`, which has built the binary already).
//! Needs Chromium (`apt-get install chromium`, as `.ci/run` does); `CHROME` names another binary.
//! The program under test is the `iomtsim` binary of the same target folder (built first), or
//! the one `CARGO_BIN_EXE_iomtsim` names.

#[path = "../../tests/end_to_end/support/mod.rs"]
mod support;

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Network, Page, Runtime};
use headless_chrome::{Browser, LaunchOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{iomtsim, short_ward, small_ward_sweep};

/// The browser binary: `CHROME`, else the first of Debian's and others' names on the PATH.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROME") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!("no Chromium found: install it (apt-get install chromium) or set CHROME");
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

/// The ward run, ward sweep and comparison whose reports the browser opens.
fn folders(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let scenario = short_ward(dir, "3min");
    let s = scenario.to_str().unwrap();
    let run = |out: &Path, set: Option<&str>| {
        let mut c = iomtsim();
        c.args(["run", s, "--out"]).arg(out).args([
            "--replications",
            "2",
            "--quiet",
            "--charts",
            "svg",
        ]);
        if let Some(set) = set {
            c.args(["--set", set]);
        }
        c.assert().success();
    };
    let (a, b) = (dir.join("ward"), dir.join("ward-ascon"));
    run(&a, None);
    run(&b, Some("defenses[0].cipher=ascon128"));
    let sweep = dir.join("ward-sweep");
    small_ward_sweep(&scenario, &sweep);
    let cmp = dir.join("compare");
    iomtsim()
        .arg("compare")
        .args([&a, &b])
        .arg("--out")
        .arg(&cmp)
        .arg("--quiet")
        .assert()
        .success();
    vec![("run", a), ("sweep", sweep), ("compare", cmp)]
}

/// Sets the page's viewport to `width` × `height` CSS pixels at one device pixel each (a
/// phone's, with its meta viewport honoured, below 400 px).
fn viewport(tab: &headless_chrome::Tab, width: u32, height: u32) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: width < 400,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

/// Runs in the page: for each choice of the sweep's select box (or once), the rendered size of
/// every chart the choice shows and how many it hides; then the page's width, and whether
/// clicking the first sortable table's numeric header sorts its rows.
const PROBE: &str = r#"(function () {
  var select = document.querySelector("select[data-shows]");
  var choices = select ? Array.prototype.map.call(select.options, function (o) { return o.value; }) : [null];
  var shown = [];
  choices.forEach(function (v) {
    if (v !== null) { select.value = v; select.dispatchEvent(new Event("change")); }
    document.querySelectorAll("figure").forEach(function (f) {
      if (v === null || f.getAttribute("data-metric") === v) {
        var r = f.querySelector("svg").getBoundingClientRect();
        shown.push({ id: f.id, choice: v, width: r.width, height: r.height, hidden: f.hidden });
      } else if (!f.hidden) {
        shown.push({ id: f.id, choice: v, width: -1, height: -1, hidden: false });
      }
    });
  });
  if (select) { select.value = choices[0]; select.dispatchEvent(new Event("change")); }
  // The numeric column of the first sortable table with the most distinct values.
  var table = document.querySelector("table.sortable");
  var heads = table.querySelectorAll("thead th");
  function values(c) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
      var cell = r.cells[c];
      var t = cell.getAttribute("data-v");
      return Number(t === null ? cell.textContent : t);
    }).filter(function (x) { return !isNaN(x); });
  }
  var best = -1, distinct = 0;
  for (var c = 0; c < heads.length; c++) {
    if (!heads[c].classList.contains("n")) { continue; }
    var d = new Set(values(c)).size;
    if (d > distinct) { best = c; distinct = d; }
  }
  var sorted = null;
  if (best >= 0) {
    heads[best].querySelector("button").click();
    var v = values(best);
    sorted = distinct > 1 && v.every(function (x, i) { return i === 0 || v[i - 1] <= x; });
  }
  return JSON.stringify({
    charts: shown,
    svgs: document.querySelectorAll("svg").length,
    choices: choices.length,
    scrollWidth: document.documentElement.scrollWidth,
    sorted: sorted
  });
})()"#;

#[test]
fn reports_open_in_chromium_with_no_error_no_request_and_every_chart_drawn() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let folders = folders(dir.path());
    let made = started.elapsed();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&shots).unwrap();

    let (width, height) = (1000u32, 800u32);
    let options = LaunchOptions::default_builder()
        .path(Some(chromium()))
        .headless(true)
        // CI runs as root, where Chromium refuses its sandbox.
        .sandbox(false)
        .window_size(Some((width, height)))
        .idle_browser_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let browser = Browser::new(options).expect("Chromium starts");

    for (name, folder) in &folders {
        let page = std::fs::canonicalize(folder.join("report.html")).unwrap();
        let url = format!("file://{}", page.display());
        let tab = browser.new_tab().unwrap();
        let errors: Arc<Mutex<Vec<String>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        {
            let (errors, requests) = (errors.clone(), requests.clone());
            tab.add_event_listener(Arc::new(move |e: &Event| match e {
                Event::RuntimeConsoleAPICalled(c)
                    if matches!(
                        c.params.Type,
                        Runtime::ConsoleAPICalledEventTypeOption::Error
                            | Runtime::ConsoleAPICalledEventTypeOption::Assert
                    ) =>
                {
                    errors
                        .lock()
                        .unwrap()
                        .push(format!("console: {:?}", c.params.args));
                }
                Event::RuntimeExceptionThrown(x) => {
                    errors
                        .lock()
                        .unwrap()
                        .push(format!("exception: {:?}", x.params.exception_details));
                }
                Event::LogEntryAdded(l)
                    if matches!(l.params.entry.level, Log::LogEntryLevel::Error) =>
                {
                    errors
                        .lock()
                        .unwrap()
                        .push(format!("log: {}", l.params.entry.text));
                }
                Event::NetworkRequestWillBeSent(r) => {
                    requests.lock().unwrap().push(r.params.request.url.clone());
                }
                _ => {}
            }))
            .unwrap();
        }
        tab.enable_runtime().unwrap();
        tab.enable_log().unwrap();
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .unwrap();
        // The network off: anything the page tried to fetch from elsewhere would fail (and
        // show as an error) as well as be counted.
        tab.call_method(Network::EmulateNetworkConditions {
            offline: true,
            latency: 0.0,
            download_throughput: -1.0,
            upload_throughput: -1.0,
            connection_Type: None,
            packet_loss: None,
            packet_queue_length: None,
            packet_reordering: None,
        })
        .unwrap();
        viewport(&tab, width, height);
        tab.navigate_to(&url)
            .unwrap()
            .wait_until_navigated()
            .unwrap();

        let probe = |tab: &headless_chrome::Tab| -> serde_json::Value {
            let v = tab.evaluate(PROBE, false).unwrap().value.unwrap();
            serde_json::from_str(v.as_str().unwrap()).unwrap()
        };
        let p = probe(&tab);
        let charts = p["charts"].as_array().unwrap();
        assert!(!charts.is_empty(), "{name}: no chart");
        for c in charts {
            assert!(
                c["width"].as_f64().unwrap() > 100.0 && c["height"].as_f64().unwrap() > 50.0,
                "{name}: chart {c} is not drawn at a readable size"
            );
            assert_eq!(c["hidden"], false, "{name}: {c}");
        }
        // Every chart is shown under some choice, and each once.
        let mut ids: Vec<&str> = charts.iter().map(|c| c["id"].as_str().unwrap()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len() as u64, p["svgs"].as_u64().unwrap(), "{name}: {p}");
        assert_eq!(
            ids.len(),
            charts.len(),
            "{name}: a choice showed another's chart"
        );
        if *name == "sweep" {
            assert!(p["choices"].as_u64().unwrap() >= 5, "{name}: {p}");
        }
        assert_eq!(p["sorted"], true, "{name}: sorting a table failed: {p}");

        let png = tab
            .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap();
        assert_eq!(png_size(&png), (width, height), "{name}");
        assert!(
            png.len() > 20_000,
            "{name}: a {} byte screenshot is blank",
            png.len()
        );
        std::fs::write(shots.join(format!("{name}.png")), &png).unwrap();

        // A 320 px wide phone: nothing wider than the screen (wide tables scroll in their box).
        viewport(&tab, 320, 640);
        let narrow = probe(&tab);
        assert!(
            narrow["scrollWidth"].as_u64().unwrap() <= 320,
            "{name}: the page is {} px wide on a 320 px screen",
            narrow["scrollWidth"]
        );
        for c in narrow["charts"].as_array().unwrap() {
            let w = c["width"].as_f64().unwrap();
            assert!(w > 200.0 && w <= 320.0, "{name}: chart {c} at 320 px");
        }
        let png = tab
            .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap();
        assert_eq!(png_size(&png), (320, 640), "{name}");
        std::fs::write(shots.join(format!("{name}-320px.png")), &png).unwrap();

        let errors = errors.lock().unwrap();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let requests = requests.lock().unwrap();
        assert!(
            requests.iter().all(|u| u.starts_with("file://")),
            "{name}: a request left the file: {requests:?}"
        );
        assert!(
            requests.len() <= 1,
            "{name}: {} requests: {requests:?}",
            requests.len()
        );
    }
    eprintln!(
        "browser test: folders made in {:.1} s, three reports checked in {:.1} s; screenshots in {}",
        made.as_secs_f64(),
        (started.elapsed() - made).as_secs_f64(),
        shots.display()
    );
}
