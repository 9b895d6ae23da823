//! Per-patient outcomes in the engine: the age of information of a vital sign against its
//! closed forms (Kaul, Yates & Gruteser 2012), readings that do not refresh it, alarms late
//! and missed, and the monitoring lost while the patient walks.

use super::*;
use crate::mobility::{Movement, ScriptedPath};
use crate::phy::Position;

/// A sensor sending a reading every second over one link of loss `loss` to a sink, for
/// `secs` seconds.
fn vital_sign(loss: f64, secs: u64) -> Model {
    let mut model = sensor_to_sink(
        100,
        SimTime::from_secs(1),
        link("ble", 1e6, Dist::constant(0.05).unwrap(), loss, 0.0),
        None,
    );
    model.config = config(secs, 10);
    model.sources[0].patient = Some(crate::PatientId(0));
    model
}

/// No loss: every reading arrives after the same delay d, so the age is a sawtooth between d
/// and d + T: mean d + T/2, peak d + T.
#[test]
fn a_lossless_periodic_vital_sign_has_mean_age_d_plus_half_a_period() {
    let m = Simulation::new(&vital_sign(0.0, 2000), 4, ())
        .unwrap()
        .run();
    let d = m.scalar("latency_ms").unwrap();
    // 0.8 ms on the air (100 B at 1 Mb/s) and 50 ms of propagation.
    assert!((d - 50.8).abs() < 0.01, "{d}");
    let mean = m.scalar("aoi_mean_ms").unwrap();
    let peak = m.scalar("aoi_peak_ms").unwrap();
    assert!((mean - (d + 500.0)).abs() < 0.5, "{mean}");
    assert!((peak - (d + 1000.0)).abs() < 0.01, "{peak}");
    assert_eq!(m.patients[0].aoi_mean_ms, Some(mean));
    assert_eq!(m.patients[0].aoi_peak_ms, Some(peak));
    // The sensor's group carries the same figures.
    let g = &m.information_age[0];
    assert_eq!((g.group.as_str(), g.streams), ("sensor", 1));
    assert_eq!((g.mean_ms, g.peak_ms), (mean, peak));
}

/// The time series' `aoi_mean_ms`: over a 10 s grid interval a 1 s sawtooth between d and
/// d + T has exactly ten teeth, so every interval after the first delivery averages d + T/2
/// whatever the source's phase. The first interval holds the age from time zero up to the
/// first delivery; at t = 0 there is no interval.
#[test]
fn the_time_series_shows_the_mean_age_over_each_grid_interval() {
    let mut model = vital_sign(0.0, 200);
    model.config.time_grid = Some(SimTime::from_secs(10));
    let m = Simulation::new(&model, 4, ()).unwrap().run();
    let d = m.scalar("latency_ms").unwrap();
    let ts = &m.timeseries;
    let age = ts.column("aoi_mean_ms", None).unwrap();
    assert_eq!(ts.times_s.len(), 21);
    assert_eq!(age.values[0], None);
    assert!(age.values[1].is_some());
    for (t, v) in ts.times_s.iter().zip(&age.values).skip(2) {
        let v = v.unwrap();
        assert!(
            (v - (d + 500.0)).abs() < 1e-6,
            "at {t} s: {v} vs {}",
            d + 500.0
        );
    }
}

/// Altered readings never refresh the age: Δ(t) = t, so the grid interval [a, b] averages
/// (a + b) / 2 exactly.
#[test]
fn the_time_series_age_grows_without_genuine_readings() {
    let mut model = vital_sign(0.0, 100);
    model.config.time_grid = Some(SimTime::from_secs(20));
    let m = Simulation::new(&model, 4, TamperAll).unwrap().run();
    let ts = &m.timeseries;
    let age = ts.column("aoi_mean_ms", None).unwrap();
    for (k, v) in age.values.iter().enumerate().skip(1) {
        let (a, b) = (ts.times_s[k - 1], ts.times_s[k]);
        assert!(
            (v.unwrap() - (a + b) / 2.0 * 1e3).abs() < 1e-6,
            "{k}: {v:?}"
        );
    }
}

/// The worst patient's age of information is the largest patient's mean age; a patient
/// without a vital sign (alarms only) has none and is left out.
#[test]
fn the_worst_patient_age_is_the_stalest_patients_mean() {
    let mut model = vital_sign(0.0, 400);
    let sink = model.sources[0].dst;
    // Patient 1 sends its vital sign over a link that loses half the readings.
    let other = node(&mut model.topology, "other", Layer::Sensing, device(None));
    model.topology.add_link(
        other,
        sink,
        link("lossy", 1e6, Dist::constant(0.05).unwrap(), 0.5, 0.0),
    );
    let mut vital = model.sources[0].clone();
    vital.node = other;
    vital.name = "other-vital".into();
    vital.patient = Some(crate::PatientId(1));
    model.sources.push(vital);
    // Patient 2 has an alarm stream alone.
    let mut alarm = poisson("alarm", other, sink, 0.05);
    alarm.stream_mut().class = TrafficClass::Alarm;
    alarm.patient = Some(crate::PatientId(2));
    model.sources.push(alarm);
    let m = Simulation::new(&model, 4, ()).unwrap().run();
    let [p0, p1, p2] = [&m.patients[0], &m.patients[1], &m.patients[2]];
    let (a0, a1) = (p0.aoi_mean_ms.unwrap(), p1.aoi_mean_ms.unwrap());
    assert_eq!(p2.aoi_mean_ms, None);
    // Half the readings lost: about d + T/2 + T against d + T/2.
    assert!(a1 > a0 + 500.0, "{a0} {a1}");
    let worst = m
        .derived()
        .find(|(id, _)| *id == "worst_patient_aoi_ms")
        .unwrap()
        .1;
    assert_eq!(worst, Some(a1));
}

/// Readings lost independently with probability p: geometric gaps between deliveries, mean
/// age d + T/2 + T·p/(1 − p).
#[test]
fn a_lossy_vital_sign_ages_by_the_geometric_gap_formula() {
    let p = 0.3;
    let m = Simulation::new(&vital_sign(p, 20_000), 4, ())
        .unwrap()
        .run();
    let d = m.scalar("latency_ms").unwrap();
    let expected = d + 500.0 + 1000.0 * p / (1.0 - p);
    let mean = m.scalar("aoi_mean_ms").unwrap();
    assert!(
        (mean - expected).abs() < 0.03 * expected,
        "{mean} vs {expected}"
    );
    // The loss term is there: without it the mean would be about 551 ms.
    assert!(mean > d + 500.0 + 300.0, "{mean}");
}

/// Hooks that alter every reading on the way and accept it at the destination.
struct TamperAll;

impl Hooks for TamperAll {
    type Report = ();
    fn on_transmit(&mut self, _tx: &Transmission, _actions: &mut Actions) -> Verdict {
        Verdict {
            cost: LinkCost::default(),
            fate: crate::hooks::Fate::Tamper,
        }
    }
}

/// An altered reading still arrives (no monitoring hour is lost), but it does not show the
/// patient's state: the age grows as if nothing came, from time zero.
#[test]
fn tampered_readings_arrive_but_do_not_refresh_the_age() {
    let model = vital_sign(0.0, 1000);
    let m = Simulation::new(&model, 4, TamperAll).unwrap().run();
    assert_eq!(m.scalar("lost"), Some(0.0));
    assert!(m.scalar("monitoring_hours_lost").unwrap() < 1e-9);
    // Δ(t) = t over [10 s, 1000 s]: mean 505 s, peak 1000 s.
    assert!((m.scalar("aoi_mean_ms").unwrap() - 505_000.0).abs() < 1e-6);
    assert!((m.scalar("aoi_peak_ms").unwrap() - 1_000_000.0).abs() < 1e-6);
}

/// Patient 0's alarms take 50.8 ms against a 10 ms deadline: all late. Patient 1's cross a
/// link that loses everything: all missed. The run's figures are the patients' sums.
#[test]
fn alarms_late_and_missed_are_counted_per_patient() {
    let mut model = vital_sign(0.0, 2000);
    let sensor = model.sources[0].node;
    let sink = model.sources[0].dst;
    let cut = node(&mut model.topology, "cut", Layer::Sensing, device(None));
    model.topology.add_link(
        cut,
        sink,
        link("lossy", 1e6, Dist::constant(0.05).unwrap(), 1.0, 0.0),
    );
    for (k, node) in [sensor, cut].into_iter().enumerate() {
        let mut alarm = poisson(&format!("alarm{k}"), node, sink, 0.05);
        alarm.stream_mut().class = TrafficClass::Alarm;
        alarm.stream_mut().deadline = Some(SimTime::from_millis(10));
        alarm.patient = Some(crate::PatientId(k as u32));
        model.sources.push(alarm);
    }
    let m = Simulation::new(&model, 2, ()).unwrap().run();
    let [p0, p1] = [&m.patients[0], &m.patients[1]];
    assert!(p0.alarms_late > 40, "{p0:?}");
    assert_eq!((p0.alarms_missed, p1.alarms_late), (0, 0));
    assert!(p1.alarms_missed > 40, "{p1:?}");
    assert_eq!(
        m.scalar("alarms_late"),
        Some(p0.alarms_late as f64),
        "routine readings are never alarms"
    );
    assert_eq!(m.scalar("alarms_missed"), Some(p1.alarms_missed as f64));
    // Patient 1 has no vital sign: no age of information.
    assert_eq!(p1.aoi_mean_ms, None);
}

/// A sensor whose link loses everything walks twice for 10 s (to the bathroom and back):
/// of its dark hour, those 20 s were lost while moving.
#[test]
fn the_monitoring_lost_while_walking_is_the_walks_inside_the_silence() {
    let mut model = vital_sign(1.0, 3600);
    let sensor = model.sources[0].node;
    let s = SimTime::from_secs;
    let path = ScriptedPath::new(vec![
        (s(1200), Position::new(0.0, 0.0)),
        (s(1210), Position::new(12.0, 0.0)),
        (s(1800), Position::new(12.0, 0.0)),
        (s(1810), Position::new(0.0, 0.0)),
    ])
    .unwrap();
    model.topology.set_movement(sensor, Movement::Path(path));
    let m = Simulation::new(&model, 2, ()).unwrap().run();
    let lost = m.scalar("monitoring_hours_lost").unwrap();
    // From the warm-up, all but the two-period grace.
    assert!((lost - (3590.0 - 2.0) / 3600.0).abs() < 1e-9, "{lost}");
    let moving = m.scalar("monitoring_hours_lost_moving").unwrap();
    assert!((moving - 20.0 / 3600.0).abs() < 1e-9, "{moving}");
    assert_eq!(m.patients[0].monitoring_hours_lost_moving, moving);
    // Standing still, nothing is lost while moving.
    let still = Simulation::new(&vital_sign(1.0, 3600), 2, ())
        .unwrap()
        .run();
    assert_eq!(still.scalar("monitoring_hours_lost_moving"), Some(0.0));
}
