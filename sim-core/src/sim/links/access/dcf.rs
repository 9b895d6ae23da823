//! DCF's contention cells: counters that expire together, stations that defer while they sense
//! a frame (carrier sense by received power, so hidden terminals count on), and a frame given
//! up after its last attempt. Part of [`super`]'s medium access.

use super::*;

impl Links<'_> {
    /// DCF: the smallest counters of `cell` expire at `now`.
    pub(super) fn cell_expires(&mut self, now: SimTime, cell: u32) {
        let mut winners = std::mem::take(&mut self.access.winners);
        let c = &mut self.access.cells[cell as usize];
        c.contention.expire(c.params.slot, &mut winners);
        let params = c.params;
        let mut sent = 0u32;
        let mut busy_end = now;
        // Every winner senses before any transmits: counters that expire together do not
        // hear each other (that is the collision).
        let mut clear = std::mem::take(&mut self.access.clear);
        clear.clear();
        let slot_end = now.saturating_add(params.slot);
        for &port in &winners {
            let q = &self.access.ports[port as usize];
            let (link, dir, from) = (q.link, q.dir, q.from);
            clear.push(!self.channel_busy(link, dir, from, now, slot_end, WIFI_CCA_ED));
        }
        let mut ends = std::mem::take(&mut self.access.busy_ends);
        ends.clear();
        for (&port, &idle) in winners.iter().zip(&clear) {
            if !idle {
                // Foreign energy: a failed attempt; the medium counts as busy for that slot.
                self.dcf_failed(now, port, MacLoss::ChannelAccess);
                ends.push(slot_end.saturating_sub(params.difs));
                continue;
            }
            let air = self.access.ports[port as usize]
                .queue
                .front()
                .expect("a contending port has a head")
                .airtime;
            sent += 1;
            ends.push(now.saturating_add(air));
            self.transmit_head(now, port, now, None);
        }
        if self.access.cells[cell as usize].complete {
            busy_end = ends.iter().copied().fold(busy_end, SimTime::max);
            if sent == 1 {
                busy_end = busy_end
                    .saturating_add(params.sifs)
                    .saturating_add(params.ack);
            }
            let c = &mut self.access.cells[cell as usize];
            c.contention.busy_until(busy_end, params.difs, params.slot);
        } else {
            self.defer_sensing(now, cell, &winners, &clear, &ends);
        }
        self.access.clear = clear;
        self.access.busy_ends = ends;
        self.access.winners = winners;
        self.reschedule_cell(cell);
    }

    /// DCF, a cell whose stations do not all sense each other: at `now` `winners` (whose
    /// CCA found the channel `clear` or not) made the medium busy until `ends`; each
    /// station of `cell` that senses some of them (a winner senses itself) freezes its
    /// counter until the last of those ends, plus SIFS and the ACK when it sensed exactly
    /// one frame sent, plus DIFS; the others count on.
    pub(super) fn defer_sensing(
        &mut self,
        now: SimTime,
        cell: u32,
        winners: &[u32],
        clear: &[bool],
        ends: &[SimTime],
    ) {
        let params = self.access.cells[cell as usize].params;
        for k in 0..self.access.cells[cell as usize].ports.len() {
            let i = self.access.cells[cell as usize].ports[k];
            let mut end: Option<SimTime> = None;
            let mut sent = 0u32;
            for (w, &winner) in winners.iter().enumerate() {
                if winner == i || self.senses(cell, i, winner, now) {
                    end = Some(end.map_or(ends[w], |e| e.max(ends[w])));
                    sent += u32::from(clear[w]);
                }
            }
            let Some(mut end) = end else { continue };
            if sent == 1 {
                end = end.saturating_add(params.sifs).saturating_add(params.ack);
            }
            self.defer_port(now, cell, i, end.saturating_add(params.difs));
        }
    }

    /// DCF: `port`'s station senses the medium busy from `now`, idle again (past DIFS) at
    /// `until`.
    pub(super) fn defer_port(&mut self, now: SimTime, cell: u32, port: u32, until: SimTime) {
        let q = &mut self.access.ports[port as usize];
        q.idle_from = q.idle_from.max(until);
        let c = &mut self.access.cells[cell as usize];
        c.contention.defer(port, now, until, c.params.slot);
    }

    /// DCF: whether the station of `listener` senses the frames of `talker`'s station at
    /// `now` (both ports of `cell`): from the map made at the start while no station of the
    /// cell moves, else from where they are.
    pub(super) fn senses(&mut self, cell: u32, listener: u32, talker: u32, now: SimTime) -> bool {
        let c = &self.access.cells[cell as usize];
        if !c.moving {
            let (i, j) = (
                self.access.ports[listener as usize].local as usize,
                self.access.ports[talker as usize].local as usize,
            );
            return c.hears[i * c.ports.len() + j];
        }
        self.senses_at(listener, talker, now)
    }

    /// Whether the station of port `listener` senses the frames of port `talker`'s station
    /// when both stand where they are at `t`: the talker's mean power there,
    /// `P_tx − PL(d)` over its link's interference path, at or above
    /// [`WIFI_CARRIER_SENSE`]. A station senses itself.
    pub(super) fn senses_at(&mut self, listener: u32, talker: u32, t: SimTime) -> bool {
        let (li, lt) = (
            &self.access.ports[listener as usize],
            &self.access.ports[talker as usize],
        );
        if li.from == lt.from {
            return true;
        }
        let ((link_i, dir_i), (link_t, dir_t)) = ((li.link, li.dir), (lt.link, lt.dir));
        let at = self.end_at(link_i, dir_i, t);
        let from = self.end_at(link_t, dir_t, t);
        let air = self.air[link_t.index()].expect("a MAC link is a radio link");
        let spec = self.spec(link_t);
        spec.tx_power[dir_t].minus(air.path(spec, &self.rooms).loss(at.distance(from)))
            >= WIFI_CARRIER_SENSE
    }

    /// Maps who senses whom in each DCF cell from the placements, and marks the cells that
    /// are one collision domain. Called once when the run starts.
    pub(in crate::sim) fn map_carrier_sense(&mut self) {
        for cell in 0..self.access.cells.len() {
            let ports = std::mem::take(&mut self.access.cells[cell].ports);
            let moving = ports
                .iter()
                .any(|&p| self.motion.moves(self.access.ports[p as usize].from));
            let mut hears = Vec::with_capacity(ports.len() * ports.len());
            if !moving {
                for &i in &ports {
                    for &j in &ports {
                        hears.push(self.senses_at(i, j, SimTime::ZERO));
                    }
                }
            }
            let c = &mut self.access.cells[cell];
            c.complete = !moving && hears.iter().all(|&h| h);
            c.moving = moving;
            c.hears = hears;
            c.ports = ports;
        }
    }

    /// DCF: an attempt of `port`'s head failed at `now`: a wider window and another
    /// contention, or the frame is lost for `cause` once the retry limit is reached.
    pub(super) fn dcf_failed(&mut self, now: SimTime, port: u32, cause: MacLoss) {
        let q = &mut self.access.ports[port as usize];
        let Mac::Dcf(p) = q.mac else { return };
        let b = q.backoff.get_or_insert_with(|| Backoff::start(&p));
        if !b.failed(&p) {
            q.backoff = None;
            self.give_up_head(port, cause);
        }
        self.start_access(now, port);
    }
}
