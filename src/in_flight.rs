//! The limit on packets in flight that stops a run before it exhausts memory.
//!
//! An overloaded station with an unbounded buffer (the scenario said `allow_overload`, or an
//! attack floods it) queues packets faster than it serves them; each costs about
//! [`BYTES_PER_PACKET`] of memory (the packet, its event and its queue slot). A run is stopped,
//! with the station and its queue length, once the packets in flight pass the limit. The
//! default gives all concurrent replications together half the memory the system reports
//! available (`MemAvailable`, Linux), and 10⁷ packets per replication where that is unknown.

use sim_core::{RunMetrics, Simulation};

/// Memory per packet in flight, bytes: a 48-byte packet held in a station queue or in an
/// event (payload slot and 24-byte heap key), with the containers' growth slack.
pub const BYTES_PER_PACKET: u64 = 256;

/// The limit when the available memory is unknown.
pub const FALLBACK_LIMIT: u64 = 10_000_000;

/// How often (in events) a run compares its packets in flight with the limit.
const CHECK_EVERY: u64 = 1 << 16;

/// The default limit for `threads` replications running at once.
pub fn default_limit(threads: usize) -> u64 {
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemAvailable:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb * 1024);
    match available {
        Some(bytes) => (bytes / 2 / threads.max(1) as u64 / BYTES_PER_PACKET).max(100_000),
        None => FALLBACK_LIMIT,
    }
}

/// A run stopped by the limit.
#[derive(Debug, thiserror::Error)]
#[error(
    "overloaded: station `{station}`, queue length {queue} ({in_flight} packets in flight at t = {at_s:.6} s, over the limit of {limit}); the offered load exceeds what the stations and links serve: check the stream rates (`iomtsim validate` prints the busiest station's utilisation), bound the buffers, or raise --max-in-flight"
)]
pub struct Overloaded {
    /// The node with the longest queue.
    pub station: String,
    /// Its queue length.
    pub queue: usize,
    /// Packets in flight when the run stopped.
    pub in_flight: u64,
    /// The limit.
    pub limit: u64,
    /// Simulated time reached, seconds.
    pub at_s: f64,
}

/// Packets in the system now: created and not yet delivered or lost, or at stations (which
/// counts an attack's injected packets too).
fn in_flight<H: sim_core::Hooks>(sim: &Simulation<'_, H>) -> u64 {
    let counted = sim
        .generated()
        .saturating_sub(sim.delivered())
        .saturating_sub(sim.lost());
    counted.max(sim.at_stations())
}

/// Runs `sim` to its end unless more than `limit` packets come to be in flight.
pub fn run_limited<H: sim_core::Hooks>(
    mut sim: Simulation<'_, H>,
    model: &sim_core::Model,
    limit: u64,
) -> Result<RunMetrics<H::Report>, Overloaded> {
    let (mut last, mut at) = (0u64, sim_core::SimTime::ZERO);
    let finished = sim.run_to_end_checked(CHECK_EVERY, |s, now| {
        (last, at) = (in_flight(s), now);
        last <= limit
    });
    if finished {
        return Ok(sim.finish());
    }
    let (station, queue) = match sim.longest_queue() {
        Some((node, len)) => (model.topology.node(node).name.to_string(), len),
        None => ("(none: the packets wait on links)".to_string(), 0),
    };
    Err(Overloaded {
        station,
        queue,
        in_flight: last,
        limit,
        at_s: at.as_secs_f64(),
    })
}
