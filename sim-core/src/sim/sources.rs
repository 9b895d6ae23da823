//! The traffic sources' emission schedules (their specifications: [`crate::traffic`]).
//!
//! A periodic source sends at `phase + k·period + jitter_k`, with the phase drawn once,
//! uniform on `[0, period)`, and the jitter drawn per send, so that jitter never accumulates
//! into drift; a Poisson source sends after exponential gaps of mean `1/λ`. Each source draws
//! from its own stream (`source:<name>`), so what the rest of the run does (attacks, defenses,
//! losses) never moves its sends: variants are compared under common random numbers.
//!
//! Each source's next send is one pending `Generate` event: in a large model kept in its key
//! in the event list alone, without a slot (`Simulation::schedule_emission`).
//!
//! Invariant: a periodic source's `next_base` is `phase + k·period` of its next send.

use super::{Event, Model, NODE_HINT, SimError, Simulation};
use crate::event_list::{INLINE_MAX, PREFETCH_FROM, ScheduleError};
use crate::hooks::Hooks;
use crate::ids::{NodeId, SourceId};
use crate::rng::Stream;
use crate::time::SimTime;
use crate::traffic::{self, Arrivals, SourceSpec};
use rand_distr::{Distribution, Exp};

/// A source's own state in a replication (32 bytes); what its stream shares (the period or
/// rate) is read from the specification.
#[derive(Debug)]
struct SourceState {
    rng: Stream,
    /// Periodic: `phase + k·period` of the next send. Poisson: unused.
    next_base: SimTime,
    /// The sequence number of its next packet.
    next_seq: u32,
}

/// Every source's schedule, in the model's order.
#[derive(Debug)]
pub(super) struct Sources {
    states: Vec<SourceState>,
}

impl Sources {
    /// The schedules of `model`'s sources for replication `seed`; refuses a source on a node
    /// that does not exist and a rate or period that is not positive.
    pub(super) fn new(model: &Model, seed: u64) -> Result<Sources, SimError> {
        let n = model.topology.node_count();
        let mut states = Vec::with_capacity(model.sources.len());
        for s in &model.sources {
            if s.node.index() >= n || s.dst.index() >= n {
                return Err(SimError::BadSource(s.name.to_string()));
            }
            let mut rng = traffic::source_stream(seed, &s.name);
            let next_base = match &s.stream.arrivals {
                Arrivals::Periodic { period, .. } => {
                    if *period == SimTime::ZERO {
                        return Err(SimError::BadRate(s.name.to_string()));
                    }
                    traffic::first_phase(&mut rng, *period)
                }
                Arrivals::Poisson { rate_per_s } => {
                    if Exp::new(*rate_per_s).is_err()
                        || *rate_per_s <= 0.0
                        || !rate_per_s.is_finite()
                    {
                        return Err(SimError::BadRate(s.name.to_string()));
                    }
                    SimTime::ZERO
                }
            };
            states.push(SourceState {
                rng,
                next_base,
                next_seq: 0,
            });
        }
        Ok(Sources { states })
    }

    /// Asks the memory for source `id`'s schedule (`crate::prefetch`); changes nothing.
    #[inline]
    pub(super) fn prefetch(&self, id: SourceId) {
        crate::prefetch::prefetch(&self.states[id.index()]);
    }

    /// The sequence number of source `id`'s next packet, 0 for its first; each call takes
    /// one. With the source, it is the packet's identity ([`crate::packet::ReadingId`]).
    #[inline]
    pub(super) fn take_seq(&mut self, id: SourceId) -> u32 {
        let st = &mut self.states[id.index()];
        let seq = st.next_seq;
        st.next_seq = seq.wrapping_add(1);
        seq
    }

    /// The instant of the first emission (`first`) of source `id` of specification `spec`, or
    /// of the next one after an emission at `now`.
    #[inline]
    pub(super) fn next_emission(
        &mut self,
        id: SourceId,
        spec: &SourceSpec,
        now: SimTime,
        first: bool,
    ) -> SimTime {
        let st = &mut self.states[id.index()];
        match &spec.stream.arrivals {
            Arrivals::Periodic { period, jitter } => {
                if !first {
                    st.next_base = st.next_base.saturating_add(*period);
                }
                st.next_base
                    .saturating_add(jitter.sample_time(&mut st.rng))
                    .max(now)
            }
            Arrivals::Poisson { rate_per_s } => {
                // The rate was checked when the schedule was made; `Exp::new` is one division.
                let gap = Exp::new(*rate_per_s).map_or(0.0, |e| e.sample(&mut st.rng));
                now.saturating_add(SimTime::from_secs_f64(gap))
            }
        }
    }
}

/// Sources from which their timers are kept in their keys alone
/// ([`Simulation::schedule_emission`]): as many as the pending events from which the event
/// list prefetches ([`PREFETCH_FROM`]), past which slots are no longer in a core's cache.
pub(super) const INLINE_EMISSIONS_FROM: usize = PREFETCH_FROM;

impl<H: Hooks> Simulation<'_, H> {
    /// Schedules source `source`'s next emission, at `node`. In a model of
    /// [`INLINE_EMISSIONS_FROM`] sources or more it is kept in its key alone
    /// ([`crate::event_list::EventList::schedule_inline`]: its node, and its source as the
    /// event's hint), so that a million pending sensor timers hold no slot (56 bytes each)
    /// and their pops read none. It pops where the same `Generate` event in a slot would. A
    /// smaller model keeps its timers in slots, which are in the cache, and pays nothing for
    /// rebuilding events.
    #[inline(always)]
    pub(super) fn schedule_emission(
        &mut self,
        at: SimTime,
        source: SourceId,
        node: NodeId,
    ) -> Result<(), ScheduleError> {
        if self.inline_emissions && node.0 <= INLINE_MAX && source.0 < NODE_HINT {
            self.events
                .schedule_inline(at, node.0, source.0, |node, source| Event::Generate {
                    source: SourceId(source),
                    node: NodeId(node),
                })
        } else {
            let event = Event::Generate { source, node };
            self.events
                .schedule_hinted(at, event, event.hint())
                .map(|_| ())
        }
    }
}
