//! What a replication plays: the topology, the traffic and the clock, shared read-only by all
//! replications; and why one cannot run.

use crate::event_list::ScheduleError;
use crate::ids::NodeId;
use crate::time::SimTime;
use crate::topology::Topology;
use crate::traffic::SourceSpec;

/// The run's clock settings.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Simulated time to run; events after it do not run.
    pub duration: SimTime,
    /// Initial span excluded from the statistics (transient removal); `< duration`.
    pub warmup: SimTime,
    /// Spacing of the time-series samples; `None` records no time series.
    pub time_grid: Option<SimTime>,
}

/// Everything needed to run: the topology, the traffic and the clock. Shared read-only by all
/// replications.
#[derive(Clone, Debug)]
pub struct Model {
    /// The network.
    pub topology: Topology,
    /// The traffic sources.
    pub sources: Vec<SourceSpec>,
    /// The clock settings.
    pub config: RunConfig,
}

impl Model {
    /// The nodes packets of the model's own traffic are routed to: every source's destination
    /// and, for a source whose packets are acknowledged, the source's node (where the acks go
    /// back), in source order. The engine adds the hooks' destinations
    /// ([`crate::hooks::Hooks::destinations`]).
    pub fn route_destinations(&self) -> Vec<NodeId> {
        self.sources
            .iter()
            .flat_map(|s| std::iter::once(s.dst).chain(s.stream.ack.map(|_| s.node)))
            .collect()
    }
}

/// Why a model cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// The warm-up is not shorter than the run.
    #[error("the warm-up ({warmup}) must be shorter than the duration ({duration})")]
    WarmupTooLong {
        /// The warm-up.
        warmup: SimTime,
        /// The duration.
        duration: SimTime,
    },
    /// A source refers to a node that does not exist.
    #[error("source {0} refers to a node that does not exist")]
    BadSource(String),
    /// A source has a non-positive rate or period.
    #[error("source {0} has a rate or period that is not positive")]
    BadRate(String),
    /// A station has no server.
    #[error("node {0} has a station with zero servers")]
    NoServer(String),
    /// The event list refused an event.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}
