//! The per-group and per-patient tables of a run's page.

use super::headline::summary_cell;
use super::page::{Cell, table};
use crate::chart::sig;
use crate::data::DataError;
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

/// Per patient: the mean over replications of each column of `patients.csv` (the file
/// `name`'s `bytes`) after the patient and device, for the first [`MAX_PATIENTS`] patients
/// and a count of them all. `None` in a scenario without patients.
///
/// The file is read one record at a time: only the listed patients' sums and the distinct
/// patients' ids are kept, so a million-patient file costs a few megabytes, not a parsed
/// copy of every row (about 0.7 KB per patient).
pub fn patients(name: &str, bytes: &[u8]) -> Result<Option<String>, DataError> {
    let bad = |e: csv::Error| DataError::Malformed {
        path: name.into(),
        message: e.to_string(),
    };
    let mut reader = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(String::from)
        .collect();
    let column = |n: &str| headers.iter().position(|h| h == n);
    let columns = column("patient").zip(column("device"));
    let values: Vec<usize> = (0..headers.len())
        .filter(|c| !["replication", "patient", "device"].contains(&headers[*c].as_str()))
        .collect();
    // The listed patients in order of first appearance, with the sums of their values and
    // counts; every patient's id, to count them.
    let mut order: Vec<(String, String, Vec<f64>, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut distinct = DistinctIds::default();
    let mut r = csv::StringRecord::new();
    while reader.read_record(&mut r).map_err(bad)? {
        let Some((patient, device)) = columns else {
            continue;
        };
        let id = r.get(patient).unwrap_or("");
        let first = distinct.insert(id);
        let at = match index.get(id) {
            Some(&at) => at,
            None if first && order.len() < MAX_PATIENTS => {
                let dev = r.get(device).unwrap_or("").to_string();
                order.push((
                    id.to_string(),
                    dev,
                    vec![0.0; values.len()],
                    vec![0; values.len()],
                ));
                index.insert(id.to_string(), order.len() - 1);
                order.len() - 1
            }
            None => continue,
        };
        for (k, c) in values.iter().enumerate() {
            if let Some(v) = r.get(*c).and_then(|t| t.trim().parse::<f64>().ok()) {
                order[at].2[k] += v;
                order[at].3[k] += 1;
            }
        }
    }
    if order.is_empty() {
        return Ok(None);
    }
    let labels: Vec<String> = values
        .iter()
        .map(|c| {
            let (label, unit) = metric_label(&headers[*c]);
            format!("{} ({unit})", label.trim())
        })
        .collect();
    let mut header: Vec<&str> = vec!["patient", "device"];
    header.extend(labels.iter().map(String::as_str));
    let rows: Vec<Vec<Cell>> = order
        .iter()
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
    let caption = if distinct.len() > MAX_PATIENTS {
        format!(
            "Per patient: mean over replications, the first {MAX_PATIENTS} of {} patients (patients.csv has every patient and replication)",
            distinct.len()
        )
    } else {
        "Per patient: mean over replications (patients.csv has every replication)".into()
    };
    Ok(Some(table(&caption, &header, &rows, true)))
}

/// The distinct patient ids of `patients.csv`: a `u64` each as the run writes them (about
/// 9–18 bytes an id in the hash set) or, for any other text, the text.
#[derive(Default)]
struct DistinctIds {
    numbers: std::collections::HashSet<u64>,
    texts: std::collections::HashSet<String>,
}

impl DistinctIds {
    /// Adds `id`; whether it is new. A number is kept as one only when it reads back as the
    /// same text (`7`, not `07` or `+7`), so two texts are one id exactly when they are equal.
    fn insert(&mut self, id: &str) -> bool {
        let canonical =
            id.bytes().all(|b| b.is_ascii_digit()) && !(id.len() > 1 && id.starts_with('0'));
        match id.parse::<u64>() {
            Ok(n) if canonical => self.numbers.insert(n),
            _ => !self.texts.contains(id) && self.texts.insert(id.to_string()),
        }
    }

    /// The ids added.
    fn len(&self) -> usize {
        self.numbers.len() + self.texts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patients_are_averaged_over_replications() {
        let t = patients(
            "patients.csv",
            b"replication,patient,device,records_exposed,monitoring_hours_lost\n0,0,ecg[0],4,0.5\n1,0,ecg[0],6,\n0,1,ecg[1],1,0\n",
        )
        .unwrap()
        .unwrap();
        assert!(t.contains("<td class=\"n\" data-v=\"5\">5</td>"), "{t}");
        // Hours lost defined in one replication of patient 0: its mean is that value.
        assert!(t.contains("data-v=\"0.5\">0.5</td>"), "{t}");
        assert!(t.contains("Records exposed (distinct) (records)"), "{t}");
        assert!(t.contains("(patients.csv has every replication)"), "{t}");
        let empty = patients(
            "patients.csv",
            b"replication,patient,device,records_exposed\n",
        );
        assert!(empty.unwrap().is_none());
    }

    #[test]
    fn past_the_listed_patients_only_the_count_is_kept() {
        // Two replications of MAX_PATIENTS + 2 patients, ids as the run writes them, then
        // one id written in another form: `007` is a patient of its own, as the text differs.
        let mut csv = String::from("replication,patient,device,alarms_late\n");
        for rep in 0..2 {
            for p in 0..MAX_PATIENTS + 2 {
                csv.push_str(&format!("{rep},{p},ecg[{p}],{}\n", p + rep));
            }
        }
        csv.push_str("1,007,ecg[7],3\n");
        let t = patients("patients.csv", csv.as_bytes()).unwrap().unwrap();
        let listed = format!("the first {MAX_PATIENTS} of {} patients", MAX_PATIENTS + 3);
        assert!(t.contains(&listed), "{t}");
        // The last listed patient's mean over its two replications; the next ones are not listed.
        let last = MAX_PATIENTS - 1;
        assert!(t.contains(&format!("<code>ecg[{last}]</code>")), "{t}");
        assert!(
            !t.contains(&format!("<code>ecg[{MAX_PATIENTS}]</code>")),
            "{t}"
        );
        assert!(t.contains(&format!("data-v=\"{}.5\"", last)), "{t}");
        // Patient 7 is averaged over its own two rows only: (7 + 8) / 2.
        assert!(t.contains("data-v=\"7.5\">7.5</td>"), "{t}");
    }

    #[test]
    fn a_malformed_patients_file_is_an_error_naming_it() {
        let e = patients(
            "patients.csv",
            b"replication,patient,device\n0,0,ecg[0]\n0,1\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("patients.csv"), "{e}");
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
