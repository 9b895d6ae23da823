//! What the attacks achieved in one replication: the breach accounting behind the security
//! metrics of `summary.json`, `patients.csv` and the breach timeline.
//!
//! Breach outcomes count what the breach literature counts. A reading is a packet's identity
//! (its source and sequence number, [`ReadingId`]): read on two hops, or by two attackers, it
//! is one reading, and its records are exposed once. A patient is exposed when at least one of
//! their records is read. The breach cost follows IBM/Ponemon, whose per-record cost counts one
//! record per affected individual (parameters.md §F):
//!
//! `breach_cost_usd = cost_per_record × patients_exposed + cost_per_breach × [records_exposed > 0]`

use crate::origin::Origin;
use crate::report::PatientExposure;
use sim_core::{Arrivals, Model, NodeId, Packet, PatientId, ReadingId, Scalar, SimTime};

/// The readings a tally has seen: one bit per sequence number of each source, sized at build
/// from each source's expected emissions, so that marking a reading allocates nothing in a
/// run (a reading of a Poisson source beyond its 6-σ bound goes to a spill set).
///
/// The rows sit end to end in one zeroed array: a large zeroed allocation is mapped lazily, so
/// rows no attack ever marks cost address space, not memory, where a vector per source cost
/// its header, its allocation and its zeroing (about 50 bytes per source for a 10-minute run).
/// A row's length depends only on its stream's arrivals, so the rows are described by runs of
/// consecutive sources with rows of one length ([`Rows`]), where an offset per source cost
/// 8 bytes.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReadingSet {
    rows: Vec<Rows>,
    bits: Vec<u64>,
    /// Readings past their source's row.
    spill: std::collections::HashSet<ReadingId>,
}

/// Consecutive sources from `first` on (up to the next run's first), each with a row of
/// `words` words, the first row at `at`: source `s`'s row is
/// `bits[at + (s − first)·words..][..words]`.
#[derive(Clone, Copy, Debug)]
struct Rows {
    first: u32,
    words: u32,
    at: usize,
}

impl ReadingSet {
    /// `rows` sources with `words` words each.
    #[cfg(test)]
    fn with_rows(rows: usize, words: usize) -> ReadingSet {
        ReadingSet::of_rows(std::iter::repeat_n(words, rows))
    }

    /// Sources with rows of the given lengths, in source order.
    fn of_rows(words: impl IntoIterator<Item = usize>) -> ReadingSet {
        let mut rows: Vec<Rows> = Vec::new();
        let mut total = 0usize;
        let mut sources = 0u32;
        for w in words {
            if rows.last().is_none_or(|r| r.words as usize != w) {
                rows.push(Rows {
                    first: sources,
                    words: w as u32,
                    at: total,
                });
            }
            total += w;
            sources += 1;
        }
        // A sentinel: the end of the last source's row, past which no source has a row.
        rows.push(Rows {
            first: sources,
            words: 0,
            at: total,
        });
        ReadingSet {
            rows,
            bits: vec![0; total],
            spill: std::collections::HashSet::new(),
        }
    }

    /// Source `i`'s row, `from..to` in `bits`; `None` past the last source.
    #[inline]
    fn row(&self, i: usize) -> Option<(usize, usize)> {
        let k = self.rows.partition_point(|r| r.first as usize <= i);
        let r = self.rows.get(k.checked_sub(1)?)?;
        if k == self.rows.len() {
            return None;
        }
        let from = r.at + (i - r.first as usize) * r.words as usize;
        Some((from, from + r.words as usize))
    }

    /// A set sized for the emissions of `model`'s sources over its run.
    pub fn sized(model: &Model) -> ReadingSet {
        let run = model.config.duration.as_secs_f64();
        ReadingSet::of_rows(model.sources.iter().map(|s| {
            let expected = match &s.stream.arrivals {
                Arrivals::Periodic { period, .. } => run / period.as_secs_f64().max(1e-9),
                Arrivals::Poisson { rate_per_s } => {
                    let mean = rate_per_s * run;
                    mean + 6.0 * mean.sqrt()
                }
            };
            (expected.min(u32::MAX as f64) as usize + 2).div_ceil(64)
        }))
    }

    /// Marks `r`; whether it was not marked yet.
    #[inline]
    pub fn insert(&mut self, r: ReadingId) -> bool {
        let Some((from, to)) = self.row(r.source.index()) else {
            return false;
        };
        let (word, bit) = (from + (r.seq / 64) as usize, r.seq % 64);
        if word >= to {
            return self.spill.insert(r);
        }
        let was = self.bits[word] & (1 << bit) != 0;
        self.bits[word] |= 1 << bit;
        !was
    }
}

/// Who owns the data the attacks reach: each source's patient, and the patients whose readings
/// each node stores (those of the streams ending there).
#[derive(Clone, Debug, Default)]
pub(crate) struct Owners {
    pub of_source: Vec<Option<PatientId>>,
    pub stored_at: StoredAt,
    pub count: usize,
}

/// The patients whose readings each node stores, in order of their streams: one array for
/// all nodes (node `i`'s are `patients[start[i]..start[i + 1]]`), 4 bytes per node where an
/// empty vector per node cost 24.
#[derive(Clone, Debug, Default)]
pub(crate) struct StoredAt {
    start: Vec<u32>,
    patients: Vec<PatientId>,
}

impl StoredAt {
    /// From one list per node.
    #[cfg(test)]
    pub fn from_lists(lists: &[Vec<PatientId>]) -> StoredAt {
        let mut start = Vec::with_capacity(lists.len() + 1);
        start.push(0);
        let mut patients = Vec::new();
        for l in lists {
            patients.extend_from_slice(l);
            start.push(patients.len() as u32);
        }
        StoredAt { start, patients }
    }

    /// Node `i`'s patients, `None` past the last node.
    pub fn get(&self, i: usize) -> Option<&[PatientId]> {
        let from = *self.start.get(i)? as usize;
        let to = *self.start.get(i + 1)? as usize;
        Some(&self.patients[from..to])
    }
}

impl Owners {
    /// The owners of `model`'s data.
    pub fn of(model: &Model) -> Owners {
        let of_source: Vec<Option<PatientId>> = model.sources.iter().map(|s| s.patient).collect();
        let n = model.topology.node_count();
        // (node, patient) pairs already listed: a store serving a whole campus lists 10⁵–10⁶
        // patients, which a linear `contains` would make quadratic. Each node's patients in
        // order of their first stream: counted, then placed.
        let mut listed = std::collections::HashSet::new();
        let pairs: Vec<(usize, PatientId)> = model
            .sources
            .iter()
            .filter_map(|s| Some((s.dst.index(), s.patient?)))
            .filter(|&(at, p)| at < n && listed.insert((at, p)))
            .collect();
        drop(listed);
        let mut start = vec![0u32; n + 1];
        for &(at, _) in &pairs {
            start[at + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut patients = vec![PatientId(0); pairs.len()];
        for (at, p) in pairs {
            patients[next[at] as usize] = p;
            next[at] += 1;
        }
        let stored_at = StoredAt { start, patients };
        let count = of_source
            .iter()
            .flatten()
            .map(|p| p.index() + 1)
            .max()
            .unwrap_or(0);
        Owners {
            of_source,
            stored_at,
            count,
        }
    }
}

/// Counters of the measured window.
#[derive(Clone, Debug, Default)]
pub(crate) struct Breach {
    pub readings_exposed: u64,
    pub records_exposed: f64,
    pub packets_intercepted: u64,
    pub readings_tampered_accepted: u64,
    pub records_tampered_accepted: u64,
    pub unsafe_commands_executed: u64,
    pub forged_rejected: u64,
    pub rate_limited: u64,
    pub events_inferred: u64,
    pub compromised_max: u64,
    pub infected_max: u64,
    pub first_compromise: Option<SimTime>,
    pub detections: u64,
    pub detect_delay_sum: f64,
    pub false_alarms: u64,
    pub audit_latency_sum: f64,
    pub audit_writes: u64,
    /// Readings read, and readings accepted altered, so far.
    pub read: ReadingSet,
    pub altered: ReadingSet,
    pub owners: Owners,
    pub patients: Vec<PatientExposure>,
    /// Patients with a record read, and with a tampered record accepted, so far.
    pub patients_exposed: u64,
    pub patients_tampered: u64,
}

/// What a scenario charges for a breach.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreachCost {
    /// USD per exposed patient record (one record per affected individual).
    pub per_record: f64,
    /// USD charged once per replication with any record exposed.
    pub per_breach: f64,
}

impl Breach {
    /// Empty counters for `model`'s sources and patients.
    pub fn for_model(model: &Model) -> Breach {
        let owners = Owners::of(model);
        Breach {
            read: ReadingSet::sized(model),
            altered: ReadingSet::sized(model),
            patients: vec![PatientExposure::default(); owners.count],
            owners,
            ..Breach::default()
        }
    }

    /// An attacker read the content of the deployment's packet `p` (measured window): counted
    /// once per reading, however many hops or attackers read it.
    #[inline]
    pub fn read(&mut self, p: &Packet) {
        if !p.reading().is_some_and(|r| self.read.insert(r)) {
            return;
        }
        self.readings_exposed += 1;
        self.records_exposed += f64::from(p.records);
        if let Some(t) = tally(&self.owners, &mut self.patients, p) {
            let first = t.records_exposed == 0.0;
            t.readings_exposed += 1;
            t.records_exposed += f64::from(p.records);
            if first && p.records > 0 {
                self.patients_exposed += 1;
            }
        }
    }

    /// `records` stored at `node` were taken (an insider, exfiltration): every patient whose
    /// readings the node stores is exposed, the records shared among them.
    pub fn stored_read(&mut self, node: NodeId, records: f64) {
        if records <= 0.0 {
            return;
        }
        self.records_exposed += records;
        let Some(owners) = self.owners.stored_at.get(node.index()) else {
            return;
        };
        let share = records / owners.len().max(1) as f64;
        for p in owners {
            let t = &mut self.patients[p.index()];
            if t.records_exposed == 0.0 {
                self.patients_exposed += 1;
            }
            t.records_exposed += share;
        }
    }

    /// A destination accepted packet `p`, altered, forged or replayed (measured window). A
    /// tampered or replayed reading counts once however many copies are accepted; each forged
    /// packet is a reading of its own.
    #[inline]
    pub fn accepted_altered(&mut self, p: &Packet) {
        if Origin::of(p) != Origin::Forged && !p.reading().is_some_and(|r| self.altered.insert(r)) {
            return;
        }
        self.readings_tampered_accepted += 1;
        self.records_tampered_accepted += u64::from(p.records);
        if let Some(t) = tally(&self.owners, &mut self.patients, p) {
            if t.readings_tampered_accepted == 0 && t.records_tampered_accepted == 0 {
                self.patients_tampered += 1;
            }
            t.readings_tampered_accepted += 1;
            t.records_tampered_accepted += u64::from(p.records);
        }
    }

    /// One stored record at `node` was altered (an intruder): the node's first patient, if it
    /// stores any, counts it.
    pub fn stored_altered(&mut self, node: NodeId) {
        self.records_tampered_accepted += 1;
        if let Some(&p) = self
            .owners
            .stored_at
            .get(node.index())
            .and_then(|o| o.first())
        {
            let t = &mut self.patients[p.index()];
            if t.records_tampered_accepted == 0 && t.readings_tampered_accepted == 0 {
                self.patients_tampered += 1;
            }
            t.records_tampered_accepted += 1;
        }
    }

    /// The breach cost under `cost`: per exposed patient, plus once per breach.
    pub fn cost_usd(&self, cost: BreachCost) -> f64 {
        let breach = if self.records_exposed > 0.0 {
            cost.per_breach
        } else {
            0.0
        };
        cost.per_record * self.patients_exposed as f64 + breach
    }

    /// The run's security metrics.
    pub fn report(&self, cost: BreachCost, out: &mut Vec<Scalar>) {
        out.push(("readings_exposed", Some(self.readings_exposed as f64)));
        out.push(("records_exposed", Some(self.records_exposed)));
        out.push(("patients_exposed", Some(self.patients_exposed as f64)));
        out.push(("packets_intercepted", Some(self.packets_intercepted as f64)));
        out.push((
            "readings_tampered_accepted",
            Some(self.readings_tampered_accepted as f64),
        ));
        out.push((
            "records_tampered_accepted",
            Some(self.records_tampered_accepted as f64),
        ));
        out.push(("patients_tampered", Some(self.patients_tampered as f64)));
        out.push((
            "unsafe_commands_executed",
            Some(self.unsafe_commands_executed as f64),
        ));
        out.push(("forged_rejected", Some(self.forged_rejected as f64)));
        out.push(("rate_limited", Some(self.rate_limited as f64)));
        out.push(("events_inferred", Some(self.events_inferred as f64)));
        out.push(("compromised_nodes_max", Some(self.compromised_max as f64)));
        out.push(("infected_hosts_max", Some(self.infected_max as f64)));
        out.push((
            "time_to_first_compromise_s",
            self.first_compromise.map(SimTime::as_secs_f64),
        ));
        out.push((
            "time_to_detect_s",
            (self.detections > 0).then(|| self.detect_delay_sum / self.detections as f64),
        ));
        out.push(("detections", Some(self.detections as f64)));
        out.push(("false_alarms", Some(self.false_alarms as f64)));
        out.push((
            "audit_commit_latency_s",
            (self.audit_writes > 0).then(|| self.audit_latency_sum / self.audit_writes as f64),
        ));
        out.push(("breach_cost_usd", Some(self.cost_usd(cost))));
    }

    /// The breach timeline's series so far, with `held` nodes held now and `infected` hosts
    /// ever infected.
    pub fn sample(&self, held: u64, infected: u32, out: &mut Vec<Scalar>) {
        out.push(("records_exposed", Some(self.records_exposed)));
        out.push(("patients_exposed", Some(self.patients_exposed as f64)));
        out.push(("packets_intercepted", Some(self.packets_intercepted as f64)));
        out.push((
            "records_tampered_accepted",
            Some(self.records_tampered_accepted as f64),
        ));
        out.push(("compromised_nodes", Some(held as f64)));
        out.push(("infected_hosts", Some(f64::from(infected))));
    }
}

/// The tally of the patient whose reading `p` claims to be.
#[inline]
fn tally<'a>(
    owners: &Owners,
    patients: &'a mut [PatientExposure],
    p: &Packet,
) -> Option<&'a mut PatientExposure> {
    let owner = (*owners.of_source.get(p.source.source()?.index())?)?;
    patients.get_mut(owner.index())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::{Bytes, PacketKind, SourceId, TrafficClass};

    fn reading(source: u32, seq: u32, records: u32) -> Packet {
        Packet {
            created: SimTime::ZERO,
            source: SourceId(source).into(),
            dst: NodeId(9),
            size: Bytes(10),
            records,
            class: TrafficClass::Routine,
            kind: PacketKind::Data,
            origin: Origin::Genuine.mark(),
            seq,
        }
    }

    /// Two sources of patient 0 and one of patient 1, all stored at node 9.
    fn breach() -> Breach {
        Breach {
            read: ReadingSet::with_rows(3, 1),
            altered: ReadingSet::with_rows(3, 1),
            owners: Owners {
                of_source: vec![Some(PatientId(0)), Some(PatientId(0)), Some(PatientId(1))],
                stored_at: StoredAt::from_lists(&{
                    let mut lists = vec![Vec::new(); 10];
                    lists[9] = vec![PatientId(0), PatientId(1)];
                    lists
                }),
                count: 2,
            },
            patients: vec![PatientExposure::default(); 2],
            ..Breach::default()
        }
    }

    #[test]
    fn a_packet_read_on_two_hops_is_one_reading() {
        let mut b = breach();
        let p = reading(0, 5, 3);
        b.read(&p);
        b.read(&p); // the next hop, or a second attacker
        assert_eq!(b.readings_exposed, 1);
        assert_eq!(b.records_exposed, 3.0);
        b.read(&reading(0, 6, 3));
        assert_eq!(b.readings_exposed, 2);
        assert_eq!(b.records_exposed, 6.0);
    }

    #[test]
    fn patients_are_counted_once_whatever_their_number_of_devices_and_readings() {
        let mut b = breach();
        for seq in 0..100 {
            b.read(&reading(0, seq, 1));
            b.read(&reading(1, seq, 1));
        }
        assert_eq!(b.patients_exposed, 1);
        assert_eq!(b.patients[0].readings_exposed, 200);
        let cost = BreachCost {
            per_record: 408.0,
            per_breach: 0.0,
        };
        // One affected individual: one record in the cost literature's sense.
        assert_eq!(b.cost_usd(cost), 408.0);
        b.read(&reading(2, 0, 1));
        assert_eq!(b.patients_exposed, 2);
        let with_breach = BreachCost {
            per_record: 408.0,
            per_breach: 1000.0,
        };
        assert_eq!(b.cost_usd(with_breach), 2.0 * 408.0 + 1000.0);
        assert_eq!(breach().cost_usd(with_breach), 0.0);
    }

    #[test]
    fn a_replayed_reading_counts_once_and_forgeries_each() {
        let mut b = breach();
        let copy = Packet {
            origin: Origin::Replayed.mark(),
            ..reading(2, 4, 1)
        };
        b.accepted_altered(&copy);
        b.accepted_altered(&copy);
        assert_eq!(b.readings_tampered_accepted, 1);
        let forged = Packet {
            origin: Origin::Forged.mark(),
            ..reading(2, 0, 1)
        };
        b.accepted_altered(&forged);
        b.accepted_altered(&forged);
        assert_eq!(b.readings_tampered_accepted, 3);
        assert_eq!(b.records_tampered_accepted, 3);
        assert_eq!(b.patients_tampered, 1);
        assert_eq!(b.patients[1].readings_tampered_accepted, 3);
        // What was read is a separate tally.
        assert_eq!(b.readings_exposed, 0);
    }

    #[test]
    fn a_store_breach_exposes_the_patients_it_stores() {
        let mut b = breach();
        b.stored_read(NodeId(9), 4209.0);
        assert_eq!(b.patients_exposed, 2);
        assert_eq!(b.records_exposed, 4209.0);
        b.stored_read(NodeId(3), 10.0); // stores nobody's readings
        assert_eq!(b.patients_exposed, 2);
        assert_eq!(b.records_exposed, 4219.0);
    }

    #[test]
    fn the_reading_set_grows_past_its_size_and_never_forgets() {
        let mut s = ReadingSet::with_rows(2, 1);
        let r = |source, seq| ReadingId {
            source: SourceId(source),
            seq,
        };
        assert!(s.insert(r(0, 1000)));
        assert!(!s.insert(r(0, 1000)));
        assert!(s.insert(r(0, 0)));
        assert!(!s.insert(r(0, 0)));
        // Source 0's row holds seq 0–63: seq 64 spills rather than landing in source 1's row.
        assert!(s.insert(r(0, 64)));
        assert!(s.insert(r(1, 0)));
        assert!(!s.insert(r(1, 0)));
        assert!(s.insert(r(1, 63)));
        assert!(!s.insert(r(0, 64)));
        assert!(!s.insert(r(7, 0)));
    }

    /// Rows of different lengths, described by runs: each source's row follows the one
    /// before it, and no source past the last has one.
    #[test]
    fn rows_of_several_lengths_lie_end_to_end() {
        let s = ReadingSet::of_rows([1, 1, 3, 3, 1]);
        assert_eq!(s.rows.len(), 4);
        assert_eq!(s.bits.len(), 9);
        let rows: Vec<Option<(usize, usize)>> = (0..7).map(|i| s.row(i)).collect();
        assert_eq!(
            rows,
            [
                Some((0, 1)),
                Some((1, 2)),
                Some((2, 5)),
                Some((5, 8)),
                Some((8, 9)),
                None,
                None
            ]
        );
        assert_eq!(ReadingSet::of_rows([]).row(0), None);
    }
}
