//! BLE connections: where each connection's events sit in its central's schedule, and which
//! event a waiting packet goes out at. Part of [`super`]'s medium access.

use super::*;

/// Where BLE connection `link` (parameters `p`) sits in its central's schedule, and its access
/// address, for replication `seed`; `place`: its index among its central's `n` BLE
/// connections, and `n`.
///
/// A central schedules its connections' events apart (radio.md §D2: the link layer of one
/// radio serves one connection at a time; Nordic's SoftDevice and Zephyr place each new
/// connection's anchor after the events already scheduled): the `i`-th of the `n` BLE
/// connections of a central (the link's second endpoint) is anchored at
/// `phase + i·interval/n`, so connections of one central do not overlap while their frames
/// fit in `interval/n`. The central's phase and each connection's access address (random in
/// a real link layer; it seeds CSA#2) are hashes of the replication seed and the central's or
/// the link's index, never draws from a stream, so they are the same in every variant of a
/// scenario (common random numbers) and leave the links' streams where they were.
pub(super) fn connection_placement(
    topo: &Topology,
    link: LinkId,
    p: &crate::mac::BleParams,
    place: (u32, u32),
    seed: u64,
) -> (SimTime, u32) {
    use crate::rng::splitmix64;
    let central = topo.endpoints(link).1;
    let (i, n) = (u64::from(place.0), u64::from(place.1));
    let t = p.interval.as_nanos().max(1);
    let phase = splitmix64(seed ^ 0x6365_6e74_7261_6c00 ^ u64::from(central.0)) % t;
    let offset = (phase + i * t / n.max(1)) % t;
    let aa = splitmix64(seed ^ 0x6163_6365_7373_0000 ^ u64::from(link.0)) as u32;
    (SimTime::from_nanos(offset), aa)
}

impl Links<'_> {
    /// BLE: schedules `port`'s head packet at its next connection event, or at `more` within
    /// the current one (the previous frame set its more-data bit) if it ends before the next
    /// anchor.
    pub(super) fn schedule_ble(&mut self, now: SimTime, port: u32, more: Option<SimTime>) {
        let q = &self.access.ports[port as usize];
        let Mac::Ble(p) = q.mac else { return };
        let Some(head) = q.queue.front() else { return };
        let (link, dir, conn, retry) = (q.link, q.dir, q.group as usize, head.attempts > 0);
        let b = &mut self.access.conns[conn];
        let t0 = now.max(head.ready);
        // Direction 0 leaves the peripheral (the link's first endpoint): any event, after the
        // central's empty PDU; direction 1 leaves the central: an event the peripheral
        // listens to, at the anchor.
        let (every, offset) = if dir == 0 {
            (1, p.peripheral_offset())
        } else {
            (1 + u64::from(p.latency), SimTime::ZERO)
        };
        let (mut k, mut anchor) = b.conn.next_event(t0, every);
        if retry && let Some(lost) = b.conn.lost_before(anchor) {
            // The supervision timeout expired: the connection is lost with what waits, and
            // is re-established `reconnect` later while the peripheral advertises.
            self.access.disconnections += 1;
            let back = lost.saturating_add(p.reconnect);
            b.conn.reconnect(back);
            b.free = back;
            let peripheral = self.ends[link.index()].0;
            self.access.effects.push(Effect::Advertise {
                link,
                node: peripheral,
                duration: p.reconnect,
            });
            while !self.access.ports[port as usize].queue.is_empty() {
                self.give_up_head(port, MacLoss::Retries);
            }
            self.access.ports[port as usize].phase = Phase::Idle;
            return;
        }
        let b = &mut self.access.conns[conn];
        let mut start = anchor.saturating_add(offset);
        let air = self.access.ports[port as usize]
            .queue
            .front()
            .expect("head")
            .airtime;
        if let Some(at) = more.filter(|&at| at.saturating_add(air) < anchor && at >= t0) {
            // Same event, same channel.
            let channel = self.access.ports[port as usize].event.1;
            b.free = at.saturating_add(air);
            self.transmit_head(now, port, at, Some(channel));
            return;
        }
        let earliest = b.free.saturating_add(p.t_ifs);
        if start < earliest {
            // The other direction's frame holds this event: the next one.
            (k, anchor) = b.conn.next_event(earliest.saturating_sub(offset), every);
            start = anchor.saturating_add(offset);
        }
        let channel = b.conn.channel(k);
        b.free = start.saturating_add(air);
        self.access.ports[port as usize].event = (anchor, channel);
        self.access.ports[port as usize].phase = Phase::Busy;
        self.transmit_head(now, port, start, Some(channel));
    }
}
