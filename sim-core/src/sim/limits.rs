//! Running under a resource limit: a caller that must stop a run before it outgrows memory
//! (an overloaded station's queue grows without bound) checks these between events, through
//! [`Simulation::run_until_checked`], whose event loop is [`Simulation::run_until`]'s: a run
//! that stays within its limit processes exactly the same events in the same order.

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
        keep_going: impl FnMut(&Self, SimTime) -> bool,
    ) -> bool {
        self.run_until_checked(self.horizon, every, keep_going)
    }

    /// Events processed so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Packets at stations now, waiting or in service, genuine or injected by an attack. O(1).
    pub fn at_stations(&self) -> u64 {
        self.stations.held()
    }

    /// The station with the most packets waiting (not in service), and how many; `None` if no
    /// node has a station. O(nodes).
    pub fn longest_queue(&self) -> Option<(NodeId, usize)> {
        self.stations.longest_queue()
    }
}
