//! Running a replication: to its horizon, paused and resumed at any instant, or checked every
//! so many events; and what can be inspected of it on the way (the hooks, the packet books,
//! the packets in flight, the batteries).

use super::{Event, Simulation};
use crate::battery::EnergyMeter;
use crate::hooks::Hooks;
use crate::ids::NodeId;
use crate::metrics::RunMetrics;
use crate::time::SimTime;

impl<H: Hooks> Simulation<'_, H> {
    /// Runs to the end of the horizon and returns the metrics.
    pub fn run(mut self) -> RunMetrics<H::Report> {
        self.run_to_end();
        self.finish()
    }

    /// Processes every event up to and including the horizon, leaving the simulation
    /// inspectable (see [`Simulation::in_flight`]); [`Simulation::finish`] then reports.
    pub fn run_to_end(&mut self) {
        self.run_until(self.horizon);
    }

    /// Processes every event up to and including `until` (capped at the horizon). A run paused
    /// and resumed this way processes the same events in the same order as one call to the
    /// end: the first event past `until` is only looked at, never taken out and put back (which
    /// would give it a new sequence number and run it after later-scheduled events of its
    /// instant).
    pub fn run_until(&mut self, until: SimTime) {
        self.run_until_checked(until, u64::MAX, |_, _| true);
    }

    /// Processes events as [`Simulation::run_until`] does, asking `keep_going(self, now)`
    /// after every `every` events; returns `false` as soon as it answers no (the simulation
    /// left where it stopped, resumable), `true` once `until` is reached. A run that is never
    /// stopped processes exactly the events of an unchecked one, in the same order.
    pub fn run_until_checked(
        &mut self,
        until: SimTime,
        every: u64,
        mut keep_going: impl FnMut(&Self, SimTime) -> bool,
    ) -> bool {
        let until = until.min(self.horizon);
        let every = every.max(1);
        let mut next_check = self.processed.saturating_add(every);
        while let Some((now, event)) = self.events.pop_until(until) {
            self.processed += 1;
            self.prefetch_hinted();
            #[cfg(test)]
            if let Some(trace) = &mut self.trace {
                trace.push((now, event));
            }
            self.handle(now, event);
            if !self.actions.is_empty() {
                self.apply_actions(now);
            }
            self.prefetch_next();
            if self.processed >= next_check {
                next_check = self.processed.saturating_add(every);
                if !keep_going(self, now) {
                    return false;
                }
            }
        }
        true
    }

    /// The hooks, for inspection.
    pub fn hooks(&self) -> &H {
        &self.hooks
    }

    /// Packets generated so far (all, warm-up included).
    pub fn generated(&self) -> u64 {
        self.accounting.all().generated
    }

    /// Packets delivered so far (all, warm-up included).
    pub fn delivered(&self) -> u64 {
        self.accounting.all().delivered
    }

    /// Packets lost so far (all, warm-up included).
    pub fn lost(&self) -> u64 {
        self.accounting.all().lost
    }

    /// Packets still in the system, counted from where they are: in a station (waiting or in
    /// service) or on a link. Independent of the counters, so a conservation check means
    /// something.
    pub fn in_flight(&self) -> u64 {
        let mut n = 0u64;
        self.events.for_each_pending(|e| {
            if matches!(e, Event::Arrive { .. } | Event::ServiceDone { .. }) {
                n += 1;
            }
        });
        n + self.stations.waiting_at(self.network.alive()) + self.links.frames_on_air()
    }

    /// The instant the first battery emptied, if one did.
    pub fn first_battery_death(&self) -> Option<SimTime> {
        self.energy.first_death()
    }

    /// The energy meter of a node.
    pub fn meter(&self, node: NodeId) -> &EnergyMeter {
        self.energy.meter(node)
    }

    /// Whether a node is alive.
    pub fn is_alive(&self, node: NodeId) -> bool {
        self.network.is_alive(node)
    }
}
