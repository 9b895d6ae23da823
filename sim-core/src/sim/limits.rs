//! Running under a resource limit: a caller that must stop a run before it outgrows memory
//! (an overloaded station's queue grows without bound) asks these between events. The event
//! loop is the one of [`Simulation::run_until`], so a run that stays within its limit processes
//! exactly the same events in the same order.

use super::Simulation;
use crate::hooks::Hooks;
use crate::ids::NodeId;
use crate::time::SimTime;

impl<H: Hooks> Simulation<'_, H> {
    /// Runs to the end of the horizon like [`Simulation::run_to_end`], asking
    /// `keep_going(self, now)` after every `every` events; returns `false` (the simulation
    /// left where it stopped) as soon as it answers no, `true` at the end.
    pub fn run_to_end_checked(
        &mut self,
        every: u64,
        mut keep_going: impl FnMut(&Self, SimTime) -> bool,
    ) -> bool {
        let until = self.horizon;
        let every = every.max(1);
        let mut next_check = self.processed + every;
        while let Some((now, event)) = self.events.pop() {
            if now > until {
                let _ = self.events.schedule(now, event);
                break;
            }
            self.processed += 1;
            self.handle(now, event);
            if !self.actions.is_empty() {
                self.apply_actions(now);
            }
            if self.processed >= next_check {
                next_check = self.processed + every;
                if !keep_going(self, now) {
                    return false;
                }
            }
        }
        true
    }

    /// Events processed so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Packets at stations now, waiting or in service, genuine or injected by an attack. O(1).
    pub fn at_stations(&self) -> u64 {
        self.in_stations
    }

    /// The station with the most packets waiting (not in service), and how many; `None` if no
    /// node has a station. O(nodes).
    pub fn longest_queue(&self) -> Option<(NodeId, usize)> {
        self.stations
            .iter()
            .enumerate()
            .filter_map(|(i, st)| st.as_ref().map(|st| (NodeId(i as u32), st.queue.len())))
            .max_by_key(|&(n, len)| (len, std::cmp::Reverse(n.0)))
    }
}
