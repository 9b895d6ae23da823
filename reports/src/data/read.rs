//! The readers of the data files: each CSV checked against its header, every cell parsed
//! with an error naming the file, line and column; and the run's facts from `summary.json`.

use super::*;

/// Reads a CSV file written by this module: checks the header, returns the records with
/// their line numbers.
fn records(
    path: &Path,
    bytes: &[u8],
    header: &[&str],
) -> Result<Vec<(u64, csv::StringRecord)>, DataError> {
    let bad = |message: String| DataError::Malformed {
        path: path.to_path_buf(),
        message,
    };
    let mut r = csv::Reader::from_reader(bytes);
    let h = r
        .headers()
        .map_err(|e| bad(format!("not CSV: {e}")))?
        .clone();
    if h.iter().collect::<Vec<_>>() != header {
        return Err(bad(format!(
            "the header is `{}`, expected `{}`",
            h.iter().collect::<Vec<_>>().join(","),
            header.join(",")
        )));
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(format!("not CSV: {e}")))?;
        let line = rec.position().map_or(0, |p| p.line());
        out.push((line, rec));
    }
    Ok(out)
}

/// A typed view of one record, for parse errors that name the line and column.
struct Fields<'a> {
    path: &'a Path,
    line: u64,
    rec: &'a csv::StringRecord,
    header: &'a [&'a str],
}

impl Fields<'_> {
    fn bad(&self, col: usize, what: &str) -> DataError {
        DataError::Malformed {
            path: self.path.to_path_buf(),
            message: format!(
                "line {}: `{}` is not {what} (column {})",
                self.line,
                self.rec.get(col).unwrap_or(""),
                self.header.get(col).unwrap_or(&"?")
            ),
        }
    }
    fn str(&self, col: usize) -> String {
        self.rec.get(col).unwrap_or("").to_string()
    }
    fn f64(&self, col: usize) -> Result<f64, DataError> {
        self.rec
            .get(col)
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.bad(col, "a number"))
    }
    fn opt(&self, col: usize) -> Result<Option<f64>, DataError> {
        match self.rec.get(col) {
            Some("") => Ok(None),
            _ => self.f64(col).map(Some),
        }
    }
    fn int<T: std::str::FromStr>(&self, col: usize) -> Result<T, DataError> {
        self.rec
            .get(col)
            .and_then(|s| s.parse::<T>().ok())
            .ok_or_else(|| self.bad(col, "a whole number"))
    }
}

fn parse_rows<T>(
    path: &Path,
    bytes: &[u8],
    header: &[&str],
    f: impl Fn(&Fields) -> Result<T, DataError>,
) -> Result<Vec<T>, DataError> {
    records(path, bytes, header)?
        .iter()
        .map(|(line, rec)| {
            f(&Fields {
                path,
                line: *line,
                rec,
                header,
            })
        })
        .collect()
}

/// Parses `latency_distribution.csv`.
pub fn parse_latency(path: &Path, bytes: &[u8]) -> Result<Vec<LatencyBucket>, DataError> {
    parse_rows(path, bytes, &headers::LATENCY, |f| {
        Ok(LatencyBucket {
            class: f.str(0),
            latency_ms: f.f64(1)?,
            count: f.int(2)?,
        })
    })
}

/// Parses `hop_latency.csv`.
pub fn parse_hops(path: &Path, bytes: &[u8]) -> Result<Vec<HopRow>, DataError> {
    parse_rows(path, bytes, &headers::HOPS, |f| {
        let mut quantiles_ms = [None; 6];
        for (i, q) in quantiles_ms.iter_mut().enumerate() {
            *q = f.opt(6 + i)?;
        }
        Ok(HopRow {
            position: f.int(0)?,
            hop: f.str(1),
            kind: f.str(2),
            layer: f.str(3),
            observations: f.int(4)?,
            mean_ms: f.opt(5)?,
            quantiles_ms,
            max_ms: f.opt(12)?,
        })
    })
}

/// Parses `groups.csv`.
pub fn parse_groups(path: &Path, bytes: &[u8]) -> Result<Vec<GroupRow>, DataError> {
    let mut header: Vec<&str> = headers::GROUPS.to_vec();
    header.extend(GROUP_METRICS);
    header.push(headers::FIRST_TO_DIE);
    parse_rows(path, bytes, &header, |f| {
        let mut values = [None; 12];
        for (i, v) in values.iter_mut().enumerate() {
            *v = f.opt(5 + i)?;
        }
        Ok(GroupRow {
            replication: f.int(0)?,
            group: f.str(1),
            layer: f.str(2),
            nodes: f.int(3)?,
            battery_nodes: f.int(4)?,
            values,
            first_to_die: f.str(5 + GROUP_METRICS.len()),
        })
    })
}

/// Parses `timeseries.csv`.
pub fn parse_series(path: &Path, bytes: &[u8]) -> Result<Vec<SeriesRow>, DataError> {
    parse_rows(path, bytes, &headers::SERIES, |f| {
        Ok(SeriesRow {
            replication: f.int(0)?,
            time_s: f.f64(1)?,
            series: f.str(2),
            group: f.str(3),
            value: f.opt(4)?,
        })
    })
}

/// Parses `incidents.csv`.
pub fn parse_incidents(path: &Path, bytes: &[u8]) -> Result<Vec<IncidentRow>, DataError> {
    parse_rows(path, bytes, &headers::INCIDENTS, |f| {
        Ok(IncidentRow {
            replication: f.int(0)?,
            time_s: f.f64(1)?,
            kind: f.str(2),
            node: f.str(3),
            group: f.str(4),
            by: f.str(5),
        })
    })
}

/// Parses `attacks.csv` down to the names of the attacks, in order of first appearance.
pub fn parse_attack_names(path: &Path, bytes: &[u8]) -> Result<Vec<String>, DataError> {
    let mut names: Vec<String> = Vec::new();
    for (_, rec) in records(path, bytes, &headers::ATTACKS)? {
        let name = rec.get(1).unwrap_or("");
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

/// Reads the run's facts from `summary.json`'s text.
pub fn parse_facts(path: &Path, text: &str) -> Result<RunFacts, DataError> {
    let bad = |message: &str| DataError::Malformed {
        path: path.to_path_buf(),
        message: message.to_string(),
    };
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(&format!("not JSON: {e}")))?;
    let scenario = v["scenario"]["name"]
        .as_str()
        .ok_or_else(|| bad("no scenario.name"))?
        .to_string();
    let replications = v["replications"]
        .as_u64()
        .ok_or_else(|| bad("no replications"))? as usize;
    let duration_s = v["duration_s"]
        .as_f64()
        .ok_or_else(|| bad("no duration_s"))?;
    let warmup_s = v["warmup_s"].as_f64().ok_or_else(|| bad("no warmup_s"))?;
    let deadlines_ms = match v.get("deadlines_ms").and_then(|d| d.as_object()) {
        Some(o) => o
            .iter()
            .map(|(k, d)| {
                d.as_f64()
                    .map(|d| (k.clone(), d))
                    .ok_or_else(|| bad("deadlines_ms: a deadline is not a number"))
            })
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(RunFacts {
        scenario,
        replications,
        duration_s,
        warmup_s,
        deadlines_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_file_is_refused_with_its_name_and_line() {
        let e = parse_series(Path::new("x/timeseries.csv"), b"a,b\n1,2\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("x/timeseries.csv: the header is `a,b`"),
            "{e}"
        );
        let text = b"replication,time_s,series,group,value\n0,0,delivered,,1\n0,zero,lost,,2\n";
        let e = parse_series(Path::new("t.csv"), text).unwrap_err();
        assert!(
            e.to_string()
                .contains("line 3: `zero` is not a number (column time_s)"),
            "{e}"
        );
    }
}
