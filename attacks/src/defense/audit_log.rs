//! `audit_log`: A blockchain-backed audit log (Hyperledger Fabric) of the targeted EHR groups:
//! tampering with stored records and insider misuse become detectable once the entry is committed.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::AuditLog,
    name: "audit_log",
    targets: Targets::Nodes,
    cost: "a ledger commit per record written to the targeted groups: `write_latency` plus queueing at `throughput`",
    about: "A blockchain-backed audit log (Hyperledger Fabric) of the targeted EHR groups: tampering with stored records and insider misuse become detectable once the entry is committed.",
    params: &[
        param(
            "write_latency",
            Unit::Seconds,
            10.0,
            "10s",
            "commit latency of one write",
            "§E: Fabric, 3 peers: writes at ~10 s latency",
        ),
        param(
            "throughput",
            Unit::PerSecond,
            100.0,
            "100/s",
            "writes committed per second",
            "§E: Fabric, 3 peers: ~100 tps",
        ).positive(),
    ],
    cipher: None,
};

/// A ledger of the targeted groups' writes.
#[derive(Debug)]
pub(crate) struct Model {
    /// Commit latency of one write, seconds.
    write_latency: f64,
    /// Writes committed per second.
    throughput: f64,
    /// When the ledger can take the next write.
    free: SimTime,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            write_latency: p.num("write_latency"),
            throughput: p.num("throughput"),
            free: SimTime::ZERO,
        }
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for n in at.nodes() {
            p.audit[n] = Some(Ledger {
                defense: at.index,
                write_latency: self.write_latency,
            });
        }
    }

    /// One ledger write per delivered record batch: a FIFO at the ledger's throughput, plus
    /// the commit latency.
    fn on_deliver(&mut self, now: SimTime, measured: bool, m: &mut Breach) {
        let service = 1.0 / self.throughput.max(1e-9);
        let start = self.free.max(now);
        self.free = start.saturating_add(SimTime::from_secs_f64(service));
        let latency = self.free.saturating_sub(now).as_secs_f64() + self.write_latency;
        if measured {
            m.audit_latency_sum += latency;
            m.audit_writes += 1;
        }
    }

    /// The entry revealing attack `attack` is committed: it is detected, and its misuse ends
    /// (the account is revoked).
    fn on_timer(
        &mut self,
        l: &mut SecurityLayer,
        k: usize,
        t: DefenseTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
        let DefenseTimer::AuditFound { attack } = t else {
            return;
        };
        let i = attack as usize;
        if i < l.attacks.len() {
            let name = l.defenses[k].spec.name.clone();
            l.detected(i, now, &name);
            if l.attacks[i].stopped.is_none() {
                l.end_episode(i, now, acts);
            }
            l.release_all(i);
        }
    }
}

/// An audit ledger on `node` finds attack `i`'s work once the entry is committed.
pub(crate) fn detects(l: &mut SecurityLayer, i: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
    let Some(ledger) = l.protection.audit[node.index()] else {
        return;
    };
    let a = &mut l.attacks[i];
    if a.audit_pending || a.detected.is_some() {
        return;
    }
    a.audit_pending = true;
    acts.timer(
        now.saturating_add(SimTime::from_secs_f64(ledger.write_latency)),
        Timer::Defense(
            ledger.defense,
            DefenseTimer::AuditFound { attack: i as u32 },
        )
        .token(),
    );
}
