//! The jobs of a sweep on disk: one small sealed file per finished job (point ×
//! replication), written atomically, read back and checked against the sweep it belongs to.

use super::*;

/// What one job leaves on disk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    /// The point's number.
    pub point: usize,
    /// The replication's number.
    pub replication: u32,
    /// Its master seed.
    pub seed: u64,
    /// Events processed.
    pub events: u64,
    /// Metric values, in the engine's order (`null` where undefined), then the derived ones
    /// (latency percentiles, worst patient).
    pub metrics: Vec<(String, Option<f64>)>,
    /// Per node group, its metrics (`energy_per_node_j`, `battery_left_min_fraction`, ...), in
    /// the topology's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupValues>,
    /// SHA-256 of the scenario and its overrides (the sweep manifest's `sha256_with_overrides`),
    /// so a job file from another sweep is never taken for one of this sweep's.
    #[serde(default)]
    pub scenario_sha256: String,
}

/// One node group's metrics in one job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupValues {
    /// The group's name.
    pub group: String,
    /// Its metrics, in [`crate::data::GROUP_METRICS`] order (`null` where undefined).
    pub metrics: Vec<(String, Option<f64>)>,
}

/// A job file as written: the job and the SHA-256 of the job's own JSON text, so an edited,
/// truncated or corrupted file is found.
#[derive(Serialize, Deserialize)]
struct SealedJob {
    job: JobResult,
    sha256: String,
}

/// The file of job (point, replication) under `dir`.
pub fn job_path(dir: &Path, point: usize, replication: u32) -> PathBuf {
    dir.join("jobs")
        .join(format!("p{point:06}-r{replication:05}.json"))
}

/// Writes one job's result atomically, sealed with the SHA-256 of its JSON text.
pub fn write_job(dir: &Path, job: &JobResult) -> Result<(), OutputError> {
    let path = job_path(dir, job.point, job.replication);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| OutputError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let sealed = SealedJob {
        job: job.clone(),
        sha256: sha256_hex(&serde_json::to_vec(job).unwrap_or_default()),
    };
    let text = serde_json::to_vec(&sealed).unwrap_or_default();
    write_atomic(&path, &text)
}

/// What a job must be to count: this sweep's scenario hash and base seed.
#[derive(Clone, Debug)]
pub struct JobExpect {
    /// The sweep's `sha256_with_overrides`.
    pub scenario_sha256: String,
    /// The sweep's base seed (replication r's seed is `replication_seed(base, r)`).
    pub base_seed: u64,
}

/// Why a job file does not count.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum JobProblem {
    /// No file.
    #[error("missing")]
    Missing,
    /// A file that is not this job's valid result: why.
    #[error("{0}")]
    Invalid(String),
}

/// Reads and checks job (point, replication): the seal, the point, replication and seed it
/// names, the scenario hash.
pub fn read_job(
    dir: &Path,
    point: usize,
    replication: u32,
    expect: &JobExpect,
) -> Result<JobResult, JobProblem> {
    let path = job_path(dir, point, replication);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(JobProblem::Missing),
        Err(e) => return Err(JobProblem::Invalid(format!("unreadable: {e}"))),
    };
    parse_job(&bytes, point, replication, expect)
}

/// Checks the bytes of job (point, replication)'s file; see [`read_job`].
pub fn parse_job(
    bytes: &[u8],
    point: usize,
    replication: u32,
    expect: &JobExpect,
) -> Result<JobResult, JobProblem> {
    let invalid = |why: String| Err(JobProblem::Invalid(why));
    let sealed: SealedJob = match serde_json::from_slice(bytes) {
        Ok(s) => s,
        Err(e) => return invalid(format!("not a job file (truncated or edited?): {e}")),
    };
    let job = sealed.job;
    if sha256_hex(&serde_json::to_vec(&job).unwrap_or_default()) != sealed.sha256 {
        return invalid("its checksum does not match its content (edited or corrupted)".into());
    }
    if (job.point, job.replication) != (point, replication) {
        return invalid(format!(
            "it holds point {}, replication {} (copied from another job's file?)",
            job.point, job.replication
        ));
    }
    if job.scenario_sha256 != expect.scenario_sha256 {
        return invalid("it belongs to a sweep of another scenario or other overrides".into());
    }
    let seed = sim_core::rng::replication_seed(expect.base_seed, replication);
    if job.seed != seed {
        return invalid(format!(
            "its seed is {}, not replication {replication}'s seed {seed}",
            job.seed
        ));
    }
    Ok(job)
}

/// The names a job reports: its metrics, then each group's name and metrics. Every job of a
/// sweep must report the same, so the table's rows line up.
fn shape(job: &JobResult) -> Vec<String> {
    let mut names: Vec<String> = job.metrics.iter().map(|(n, _)| n.clone()).collect();
    for g in &job.groups {
        names.extend(g.metrics.iter().map(|(n, _)| format!("{}/{n}", g.group)));
    }
    names
}

/// Every job of the layout that does not count, with the reason, in job order. Reads each
/// job once and keeps none: only the first job's metric names are held.
pub fn check_jobs(
    dir: &Path,
    layout: &Layout,
    expect: &JobExpect,
) -> Vec<(usize, u32, JobProblem)> {
    let mut bad = Vec::new();
    let mut names: Option<Vec<String>> = None;
    for p in 0..layout.points.len() {
        for r in 0..layout.replications {
            match read_job(dir, p, r, expect) {
                Ok(job) => {
                    let these = shape(&job);
                    match &names {
                        None => names = Some(these),
                        Some(n) if *n != these => bad.push((
                            p,
                            r,
                            JobProblem::Invalid(format!(
                                "it has {} metrics where the sweep's first job has {}",
                                these.len(),
                                n.len()
                            )),
                        )),
                        Some(_) => {}
                    }
                }
                Err(e) => bad.push((p, r, e)),
            }
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::fixtures::*;
    #[test]
    fn missing_jobs_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let l = layout();
        write_job(dir.path(), &job(0, 0, vec![])).unwrap();
        let missing = table(dir.path(), &l, &expect()).unwrap_err();
        assert_eq!(missing.len(), 11);
        assert_eq!(missing[0], (0, 1, JobProblem::Missing));
    }

    #[test]
    fn edited_truncated_copied_foreign_and_short_jobs_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let l = Layout {
            replications: 2,
            points: vec![(None, vec!["1".into()]), (None, vec!["2".into()])],
            variants: vec![],
            ..layout()
        };
        let metrics = || vec![("a".into(), Some(1.0)), ("b".into(), Some(2.0))];
        for p in 0..2 {
            for r in 0..2 {
                write_job(dir.path(), &job(p, r, metrics())).unwrap();
            }
        }
        assert!(table(dir.path(), &l, &expect()).is_ok());
        let path = |p, r| job_path(dir.path(), p, r);
        // An edited value.
        let text = std::fs::read_to_string(path(0, 0)).unwrap();
        std::fs::write(path(0, 0), text.replace("1.0", "1000.0")).unwrap();
        // A truncated file.
        let text = std::fs::read(path(0, 1)).unwrap();
        std::fs::write(path(0, 1), &text[..text.len() / 2]).unwrap();
        // A file copied over another.
        std::fs::copy(path(1, 0), path(1, 1)).unwrap();
        let bad = table(dir.path(), &l, &expect()).unwrap_err();
        let why = |p: usize, r: u32| {
            bad.iter()
                .find(|(bp, br, _)| (*bp, *br) == (p, r))
                .map(|(_, _, e)| e.to_string())
                .unwrap_or_default()
        };
        assert!(why(0, 0).contains("checksum"), "{bad:?}");
        assert!(why(0, 1).contains("truncated"), "{bad:?}");
        assert!(why(1, 1).contains("point 1, replication 0"), "{bad:?}");
        assert!(why(1, 0).is_empty());
        // Another sweep's job, a wrong seed, and a job with fewer metrics.
        let mut foreign = job(0, 0, metrics());
        foreign.scenario_sha256 = "other".into();
        write_job(dir.path(), &foreign).unwrap();
        let mut reseeded = job(0, 1, metrics());
        reseeded.seed += 1;
        write_job(dir.path(), &reseeded).unwrap();
        write_job(dir.path(), &job(1, 1, vec![("a".into(), Some(1.0))])).unwrap();
        let bad = table(dir.path(), &l, &expect()).unwrap_err();
        let why = |p: usize, r: u32| {
            bad.iter()
                .find(|(bp, br, _)| (*bp, *br) == (p, r))
                .map(|(_, _, e)| e.to_string())
                .unwrap_or_default()
        };
        assert!(why(0, 0).contains("another scenario"), "{bad:?}");
        assert!(why(0, 1).contains("seed"), "{bad:?}");
        assert!(why(1, 1).contains("1 metrics"), "{bad:?}");
    }
}
