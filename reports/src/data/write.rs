//! The writers of the data files: each CSV from the rows or straight from the runs, with
//! numbers in shortest round-trip text.

use super::*;

fn csv_bytes(f: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only on encoding bugs; an empty file would then show it.
    let _ = f(&mut w);
    w.into_inner().unwrap_or_default()
}

/// `latency_distribution.csv`.
pub fn latency_csv(rows: &[LatencyBucket]) -> Vec<u8> {
    csv_bytes(|w| {
        w.write_record(headers::LATENCY)?;
        for r in rows {
            w.write_record([
                r.class.clone(),
                r.latency_ms.to_string(),
                r.count.to_string(),
            ])?;
        }
        Ok(())
    })
}

/// `hop_latency.csv`.
pub fn hops_csv(rows: &[HopRow]) -> Vec<u8> {
    csv_bytes(|w| {
        w.write_record(headers::HOPS)?;
        for r in rows {
            let mut rec = vec![
                r.position.to_string(),
                r.hop.clone(),
                r.kind.clone(),
                r.layer.clone(),
                r.observations.to_string(),
                cell(r.mean_ms),
            ];
            rec.extend(r.quantiles_ms.iter().map(|q| cell(*q)));
            rec.push(cell(r.max_ms));
            w.write_record(&rec)?;
        }
        Ok(())
    })
}

/// `groups.csv`.
pub fn groups_csv(rows: &[GroupRow]) -> Vec<u8> {
    csv_bytes(|w| {
        let mut h: Vec<&str> = headers::GROUPS.to_vec();
        h.extend(GROUP_METRICS);
        h.push(headers::FIRST_TO_DIE);
        w.write_record(&h)?;
        for r in rows {
            let mut rec = vec![
                r.replication.to_string(),
                r.group.clone(),
                r.layer.clone(),
                r.nodes.to_string(),
                r.battery_nodes.to_string(),
            ];
            rec.extend(r.values.iter().map(|v| cell(*v)));
            rec.push(r.first_to_die.clone());
            w.write_record(&rec)?;
        }
        Ok(())
    })
}

/// `timeseries.csv`, tidy long format, straight from the runs (replication order).
pub fn timeseries_csv<R>(runs: &[RunMetrics<R>]) -> Vec<u8> {
    csv_bytes(|w| {
        w.write_record(headers::SERIES)?;
        for (i, r) in runs.iter().enumerate() {
            timeseries_rows(w, i, r)?;
        }
        Ok(())
    })
}

/// The rows of `timeseries.csv` for replication `i`.
pub fn timeseries_rows<R>(
    w: &mut csv::Writer<Vec<u8>>,
    i: usize,
    r: &RunMetrics<R>,
) -> csv::Result<()> {
    let ts = &r.timeseries;
    let rep = i.to_string();
    for c in &ts.columns {
        let group = c.group.as_deref().unwrap_or("");
        for (t, v) in ts.times_s.iter().zip(&c.values) {
            w.write_record([&rep, &t.to_string(), c.series, group, &cell(*v)])?;
        }
    }
    Ok(())
}

/// `attacks.csv`, straight from the runs: per replication and attack, when it first acted,
/// was detected and was ended (empty if it was not), the nodes it compromised and the packets
/// it injected.
pub fn attacks_csv(runs: &[RunMetrics<SecurityReport>]) -> Vec<u8> {
    csv_bytes(|w| {
        w.write_record(headers::ATTACKS)?;
        for (i, r) in runs.iter().enumerate() {
            attacks_rows(w, i, r)?;
        }
        Ok(())
    })
}

/// The rows of `attacks.csv` for replication `i`.
pub fn attacks_rows(
    w: &mut csv::Writer<Vec<u8>>,
    i: usize,
    r: &RunMetrics<SecurityReport>,
) -> csv::Result<()> {
    let secs =
        |t: Option<sim_core::SimTime>| t.map_or(String::new(), |t| t.as_secs_f64().to_string());
    for a in &r.hooks.attacks {
        let delay = a
            .first_act
            .zip(a.detected)
            .map(|(f, d)| d.saturating_sub(f));
        w.write_record([
            &i.to_string(),
            &a.name,
            a.kind,
            &secs(a.first_act),
            &secs(a.detected),
            &secs(delay),
            &secs(a.stopped),
            &a.compromises.to_string(),
            &a.injected.to_string(),
        ])?;
    }
    Ok(())
}

/// The rows of `patients.csv` for replication `i`: per patient (numbered from 0, named by the
/// node of their first stream), the distinct readings and records of theirs an attacker read,
/// those accepted altered, forged or replayed, and the hours their monitoring streams went
/// without data. The engine's figures ([`RunMetrics::patients`]) and the security layer's
/// ([`SecurityReport::patients`]) are joined by patient; a patient the security layer did not
/// count has zeros there.
pub fn patients_rows(
    w: &mut csv::Writer<Vec<u8>>,
    i: usize,
    r: &RunMetrics<SecurityReport>,
) -> csv::Result<()> {
    let none = attacks::PatientExposure::default();
    for (k, p) in r.patients.iter().enumerate() {
        let s = r.hooks.patients.get(k).unwrap_or(&none);
        w.write_record([
            &i.to_string(),
            &k.to_string(),
            &p.device,
            &s.readings_exposed.to_string(),
            &s.records_exposed.to_string(),
            &s.readings_tampered_accepted.to_string(),
            &s.records_tampered_accepted.to_string(),
            &p.alarms_late.to_string(),
            &p.alarms_missed.to_string(),
            &p.monitoring_hours_lost.to_string(),
            &p.monitoring_hours_lost_moving.to_string(),
            &super::cell(p.aoi_mean_ms),
            &super::cell(p.aoi_peak_ms),
        ])?;
    }
    Ok(())
}

/// `incidents.csv`, straight from the runs.
pub fn incidents_csv(runs: &[RunMetrics<SecurityReport>]) -> Vec<u8> {
    csv_bytes(|w| {
        w.write_record(headers::INCIDENTS)?;
        for (i, r) in runs.iter().enumerate() {
            incidents_rows(w, i, r)?;
        }
        Ok(())
    })
}

/// The rows of `incidents.csv` for replication `i`: the engine's incidents and the security
/// layer's on one timeline ([`SecurityReport::timeline`]).
pub fn incidents_rows(
    w: &mut csv::Writer<Vec<u8>>,
    i: usize,
    r: &RunMetrics<SecurityReport>,
) -> csv::Result<()> {
    for (time_s, kind, node, group, by) in r.hooks.timeline(&r.incidents) {
        w.write_record([&i.to_string(), &time_s.to_string(), kind, node, group, by])?;
    }
    Ok(())
}
