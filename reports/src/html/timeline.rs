//! Incidents and attacks as one timeline table: from `incidents.csv` (compromises,
//! detections, false alarms, isolations, outages, recoveries, battery deaths) and
//! `attacks.csv` (when each attack first acted, was detected and was stopped), ordered by
//! replication and simulated time.

use super::Csv;
use super::page::{Cell, table};
use crate::chart::sig;

/// The most rows the page shows; the CSV files keep every one.
pub const MAX_ROWS: usize = 500;

struct Entry {
    replication: u64,
    time_s: f64,
    what: String,
    who: String,
    node: String,
    group: String,
}

/// The timeline's markup; `None` when nothing happened and no attack ran.
pub fn timeline(incidents: &Csv, attacks: &Csv) -> Option<String> {
    let mut entries: Vec<Entry> = Vec::new();
    let num = |csv: &Csv, r: &csv::StringRecord, col: &str| -> Option<f64> {
        csv.column(col)
            .and_then(|c| r.get(c))
            .and_then(|t| t.trim().parse::<f64>().ok())
    };
    let text = |csv: &Csv, r: &csv::StringRecord, col: &str| -> String {
        csv.column(col)
            .and_then(|c| r.get(c))
            .unwrap_or("")
            .to_string()
    };
    for r in &attacks.rows {
        let replication = num(attacks, r, "replication").unwrap_or(0.0) as u64;
        let who = format!(
            "{} ({})",
            text(attacks, r, "attack"),
            text(attacks, r, "kind")
        );
        let compromises = num(attacks, r, "compromises").unwrap_or(0.0);
        let injected = num(attacks, r, "packets_injected").unwrap_or(0.0);
        for (col, what) in [
            (
                "first_act_s",
                format!(
                    "attack first acts (over the run: {} compromise(s), {} packet(s) injected)",
                    sig(compromises, 6),
                    sig(injected, 6)
                ),
            ),
            ("detected_s", "attack detected".to_string()),
            ("stopped_s", "attack ended by a response".to_string()),
        ] {
            if let Some(t) = num(attacks, r, col) {
                entries.push(Entry {
                    replication,
                    time_s: t,
                    what: what.clone(),
                    who: who.clone(),
                    node: String::new(),
                    group: String::new(),
                });
            }
        }
    }
    for r in &incidents.rows {
        entries.push(Entry {
            replication: num(incidents, r, "replication").unwrap_or(0.0) as u64,
            time_s: num(incidents, r, "time_s").unwrap_or(f64::NAN),
            what: text(incidents, r, "kind").replace('_', " "),
            who: text(incidents, r, "by"),
            node: text(incidents, r, "node"),
            group: text(incidents, r, "group"),
        });
    }
    if entries.is_empty() {
        return None;
    }
    // A stable sort: entries at one instant keep the order of the files.
    entries.sort_by(|a, b| {
        a.replication
            .cmp(&b.replication)
            .then(a.time_s.total_cmp(&b.time_s))
    });
    let total = entries.len();
    let rows: Vec<Vec<Cell>> = entries
        .iter()
        .take(MAX_ROWS)
        .map(|e| {
            vec![
                Cell::num(e.replication.to_string(), None),
                Cell::num(sig(e.time_s, 6), Some(e.time_s)),
                Cell::text(e.what.as_str()),
                Cell::text(e.who.as_str()),
                Cell::code(e.node.as_str()),
                Cell::code(e.group.as_str()),
            ]
        })
        .collect();
    let caption = if total > MAX_ROWS {
        format!(
            "Incidents and attacks in simulated time: the first {MAX_ROWS} of {total} (incidents.csv and attacks.csv have them all)"
        )
    } else {
        "Incidents and attacks in simulated time, per replication".to_string()
    };
    Some(table(
        &caption,
        &[
            "replication",
            "time (s)",
            "what",
            "attack or defense",
            "node",
            "group",
        ],
        &rows,
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attacks_and_incidents_interleave_in_time_order() {
        let incidents = Csv::parse(
            "incidents.csv",
            b"replication,time_s,kind,node,group,by\n0,120,detection,spo2[0],spo2,ward-ids\n1,5,false_alarm,,,ward-ids\n",
        )
        .unwrap();
        let attacks = Csv::parse(
            "attacks.csv",
            b"replication,attack,kind,first_act_s,detected_s,time_to_detect_s,stopped_s,compromises,packets_injected\n0,spoofer,spoofing,116.5,120,3.5,180,0,1\n",
        )
        .unwrap();
        let t = timeline(&incidents, &attacks).unwrap();
        let first = t.find("attack first acts").unwrap();
        let detected = t.find("attack detected").unwrap();
        let ids = t.find(">detection<").unwrap();
        let ended = t.find("attack ended").unwrap();
        let other = t.find("false alarm").unwrap();
        assert!(
            first < detected && detected < ids && ids < ended && ended < other,
            "{t}"
        );
        assert!(t.contains("spoofer (spoofing)"), "{t}");
        let none = Csv::parse("incidents.csv", b"replication,time_s,kind,node,group,by\n").unwrap();
        let no_attacks = Csv::parse("attacks.csv", b"replication,attack\n").unwrap();
        assert!(timeline(&none, &no_attacks).is_none());
    }
}
