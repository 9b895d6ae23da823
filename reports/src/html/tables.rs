//! The per-group and per-patient tables of a run's page.

use super::Csv;
use super::headline::summary_cell;
use super::page::{Cell, table};
use crate::chart::sig;
use crate::data::GROUP_METRICS;
use crate::tables::metric_label;
use serde_json::Value;

/// Per node group: its layer, nodes and batteries, each metric of [`GROUP_METRICS`] (mean ±
/// 95 % CI over replications, from `summary.json`'s `groups`) and the node(s) first to die.
/// `None` without groups.
pub fn groups(summary: &Value) -> Option<String> {
    let groups = summary["groups"].as_object().filter(|g| !g.is_empty())?;
    let labels: Vec<String> = sim_core::metrics::engine::GROUP
        .iter()
        .map(|m| format!("{} ({})", m.label, m.unit.symbol()))
        .collect();
    let mut header: Vec<&str> = vec!["group", "layer", "nodes", "battery nodes"];
    header.extend(labels.iter().map(String::as_str));
    header.push("first to die");
    let rows: Vec<Vec<Cell>> = groups
        .iter()
        .map(|(name, g)| {
            let mut row = vec![
                Cell::code(name.as_str()),
                Cell::text(g["layer"].as_str().unwrap_or("")),
                Cell::num(g["nodes"].as_u64().unwrap_or(0).to_string(), None),
                Cell::num(g["battery_nodes"].as_u64().unwrap_or(0).to_string(), None),
            ];
            row.extend(
                GROUP_METRICS
                    .iter()
                    .map(|m| summary_cell(&g["metrics"][*m])),
            );
            row.push(Cell::text(g["first_to_die"].as_str().unwrap_or("")));
            row
        })
        .collect();
    Some(table(
        "Per node group: mean ± 95 % CI over replications (groups.csv has every replication)",
        &header,
        &rows,
        true,
    ))
}

/// Per node group with vital-sign streams: its streams and their age of information, time
/// average and peak (mean ± 95 % CI over replications, from `summary.json`'s
/// `age_of_information`). `None` without such a group.
pub fn information_age(summary: &Value) -> Option<String> {
    let ages = summary["age_of_information"]
        .as_object()
        .filter(|g| !g.is_empty())?;
    use sim_core::metrics::engine::{AOI_MEAN_MS, AOI_PEAK_MS};
    let labels: Vec<String> = [AOI_MEAN_MS, AOI_PEAK_MS]
        .iter()
        .map(|m| format!("{} ({})", m.label, m.unit.symbol()))
        .collect();
    let mut header: Vec<&str> = vec!["group", "streams"];
    header.extend(labels.iter().map(String::as_str));
    let rows: Vec<Vec<Cell>> = ages
        .iter()
        .map(|(name, a)| {
            vec![
                Cell::code(name.as_str()),
                Cell::num(a["streams"].as_u64().unwrap_or(0).to_string(), None),
                summary_cell(&a[AOI_MEAN_MS.id]),
                summary_cell(&a[AOI_PEAK_MS.id]),
            ]
        })
        .collect();
    Some(table(
        "Age of information of the vital signs per node group: mean ± 95 % CI over replications",
        &header,
        &rows,
        true,
    ))
}

/// The most patients the page lists; `patients.csv` keeps every one.
pub const MAX_PATIENTS: usize = 500;

/// Per patient: the mean over replications of each column of `patients.csv` after the
/// patient and device. `None` in a scenario without patients.
pub fn patients(csv: &Csv) -> Option<String> {
    let patient = csv.column("patient")?;
    let device = csv.column("device")?;
    let values: Vec<usize> = (0..csv.headers.len())
        .filter(|c| !["replication", "patient", "device"].contains(&csv.headers[*c].as_str()))
        .collect();
    // Patients in order of first appearance, with the sums of their values and counts.
    let mut order: Vec<(String, String, Vec<f64>, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for r in &csv.rows {
        let id = r.get(patient).unwrap_or("").to_string();
        let at = *index.entry(id.clone()).or_insert_with(|| {
            let dev = r.get(device).unwrap_or("").to_string();
            order.push((id, dev, vec![0.0; values.len()], vec![0; values.len()]));
            order.len() - 1
        });
        for (k, c) in values.iter().enumerate() {
            if let Some(v) = r.get(*c).and_then(|t| t.trim().parse::<f64>().ok()) {
                order[at].2[k] += v;
                order[at].3[k] += 1;
            }
        }
    }
    if order.is_empty() {
        return None;
    }
    let labels: Vec<String> = values
        .iter()
        .map(|c| {
            let (label, unit) = metric_label(&csv.headers[*c]);
            format!("{} ({unit})", label.trim())
        })
        .collect();
    let mut header: Vec<&str> = vec!["patient", "device"];
    header.extend(labels.iter().map(String::as_str));
    let rows: Vec<Vec<Cell>> = order
        .iter()
        .take(MAX_PATIENTS)
        .map(|(p, d, sums, counts)| {
            let mut row = vec![
                Cell::num(p.clone(), p.parse::<f64>().ok()),
                Cell::code(d.as_str()),
            ];
            row.extend(sums.iter().zip(counts).map(|(s, n)| match n {
                0 => Cell::num("—", None),
                n => {
                    let mean = s / *n as f64;
                    Cell::num(sig(mean, 4), Some(mean))
                }
            }));
            row
        })
        .collect();
    let caption = if order.len() > MAX_PATIENTS {
        format!(
            "Per patient: mean over replications, the first {MAX_PATIENTS} of {} patients (patients.csv has every patient and replication)",
            order.len()
        )
    } else {
        "Per patient: mean over replications (patients.csv has every replication)".into()
    };
    Some(table(&caption, &header, &rows, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patients_are_averaged_over_replications() {
        let csv = Csv::parse(
            "patients.csv",
            b"replication,patient,device,records_exposed,monitoring_hours_lost\n0,0,ecg[0],4,0.5\n1,0,ecg[0],6,\n0,1,ecg[1],1,0\n",
        )
        .unwrap();
        let t = patients(&csv).unwrap();
        assert!(t.contains("<td class=\"n\" data-v=\"5\">5</td>"), "{t}");
        // Hours lost defined in one replication of patient 0: its mean is that value.
        assert!(t.contains("data-v=\"0.5\">0.5</td>"), "{t}");
        assert!(t.contains("Records exposed (distinct) (records)"), "{t}");
        let empty = Csv::parse(
            "patients.csv",
            b"replication,patient,device,records_exposed\n",
        )
        .unwrap();
        assert!(patients(&empty).is_none());
    }

    #[test]
    fn the_age_of_information_is_shown_per_group() {
        let summary = serde_json::json!({"age_of_information": {"ecg": {"streams": 12, "aoi_mean_ms": {"n": 3, "mean": 520.0, "ci95_half_width": 4.0}, "aoi_peak_ms": {"n": 3, "mean": 1020.0, "ci95_half_width": 9.0}}}});
        let t = information_age(&summary).unwrap();
        assert!(t.contains("<code>ecg</code>") && t.contains(">12<"), "{t}");
        assert!(t.contains("Age of information, time average (ms)"), "{t}");
        assert!(
            t.contains(">520 ± 4.0<") || t.contains(">520.0 ± 4.0<"),
            "{t}"
        );
        assert!(information_age(&serde_json::json!({})).is_none());
    }

    #[test]
    fn groups_show_every_group_metric() {
        let summary = serde_json::json!({"groups": {"ecg": {"layer": "sensing", "nodes": 12, "battery_nodes": 12, "first_to_die": "ecg[3]", "metrics": {"energy_per_node_j": {"n": 2, "mean": 0.25, "ci95_half_width": 0.01}}}}});
        let t = groups(&summary).unwrap();
        assert!(
            t.contains("<code>ecg</code>") && t.contains("ecg[3]"),
            "{t}"
        );
        assert!(t.contains("Energy per node (J)"), "{t}");
        assert!(t.contains(">0.250 ± 0.010<"), "{t}");
        assert!(groups(&serde_json::json!({"groups": {}})).is_none());
    }
}
