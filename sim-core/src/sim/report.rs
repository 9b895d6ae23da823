//! Closing the books at the horizon: the run's scalars (the engine's, in a fixed order, then
//! the hooks'), the energy and batteries per node group, the engine's incidents, the
//! latency histograms, the segments in route order and the time series, with the hooks' own
//! report, as one [`RunMetrics`].

use super::Simulation;
use super::accounting::Accounting;
use super::groups::NodeGroups;
use super::information_age::{self, InformationAge};
use super::model::Model;
use super::monitoring::Monitoring;
use crate::battery::Component;
use crate::hooks::{Hooks, Scalar};
use crate::metrics::{GroupAge, IncidentRecord, PatientMetrics, RunMetrics, engine};
use crate::time::SimTime;

/// Names of the sensing layer's energy per component, in [`Component::ALL`] order.
pub const SENSOR_ENERGY_SCALARS: [&str; 5] = crate::metrics::ids(engine::SENSOR_ENERGY_PARTS);

impl<H: Hooks> Simulation<'_, H> {
    /// Closes the books at the horizon and reports.
    pub fn finish(mut self) -> RunMetrics<H::Report> {
        let end = self.horizon;
        let window = end.saturating_sub(self.warmup).as_secs_f64();
        self.settle_modems(end);
        self.monitoring.close(end);
        let (aoi_mean_ms, aoi_peak_ms) =
            information_age::combine(self.information_age.streams(end).map(|(_, a)| a)).unzip();
        self.energy.close(end, self.network.alive());
        let topo = &self.model.topology;
        let (energy, sensor_energy) = self.energy.totals(topo);
        let mut scalars: Vec<Scalar> = self.accounting.traffic_scalars().to_vec();
        if self.links.any_mac() {
            // After `lost_radio`, the other losses on radio links; only when some link has a
            // MAC, so that scenarios without one report exactly what they did.
            let at = scalars
                .iter()
                .position(|s| s.0 == "lost_radio")
                .map_or(scalars.len(), |k| k + 1);
            let mac = self.accounting.mac_scalars();
            scalars.splice(at..at, mac);
            scalars.push((
                "ble_disconnections",
                Some(self.links.disconnections() as f64),
            ));
        }
        scalars.extend([
            (
                "mean_packets_in_stations",
                Some(self.stations.mean_occupancy(end, window)),
            ),
            ("energy_j", Some(energy)),
            ("sensor_energy_j", Some(sensor_energy.iter().sum())),
            (
                "first_battery_death_s",
                self.energy.first_death().map(SimTime::as_secs_f64),
            ),
            ("battery_deaths", Some(self.energy.deaths() as f64)),
            (
                "monitoring_hours_lost",
                Some(self.monitoring.hours_lost(end)),
            ),
            (
                "monitoring_hours_lost_moving",
                Some(self.monitoring.moving_hours_lost()),
            ),
        ]);
        scalars.extend(self.accounting.alarm_scalars());
        scalars.extend([("aoi_mean_ms", aoi_mean_ms), ("aoi_peak_ms", aoi_peak_ms)]);
        if self.roamers.any() {
            // Only with roaming clients, so that other scenarios report what they did.
            scalars.extend(self.roamers.scalars());
        }
        scalars.extend(self.accounting.extra_scalars());
        for (c, name) in Component::ALL.iter().zip(SENSOR_ENERGY_SCALARS) {
            scalars.push((name, Some(sensor_energy[*c as usize])));
        }
        self.hooks.report(&mut scalars);
        let groups = self
            .energy
            .group_metrics(topo, &self.groups, self.network.alive(), end);
        // Recorded as they happen, so in time order.
        let incidents = self
            .energy
            .take_incidents()
            .into_iter()
            .map(|i| {
                let spec = topo.node(i.node);
                let (node, group) = (spec.name.to_string(), spec.group.to_string());
                IncidentRecord {
                    time_s: i.at.as_secs_f64(),
                    kind: i.kind,
                    node,
                    group,
                    by: String::new(),
                }
            })
            .collect();
        // What only the run needed goes before the per-patient results are built, so that
        // they take its place instead of adding to the peak: the event list, the links, the
        // sources' and stations' state, the energy meters, and the security layer's state
        // once its report is made (most of a large replication's memory).
        let Simulation {
            model,
            seed,
            hooks,
            events,
            actions,
            applying,
            sources,
            stations,
            links,
            radios,
            network,
            roamers,
            energy,
            accounting,
            segments,
            monitoring,
            information_age,
            groups: node_groups,
            sampler,
            processed,
            ..
        } = self;
        drop((events, actions, applying, sources, stations, links, radios));
        drop((network, roamers, energy));
        let hooks = hooks.finish(&model.topology);
        let close = Close {
            model,
            accounting: &accounting,
            monitoring: &monitoring,
            information_age: &information_age,
            groups: &node_groups,
        };
        let patients = close.patients(end);
        let information_age = close.group_ages(end);
        let (latency, alarm_latency, latency_by_class) = accounting.into_latencies();
        RunMetrics {
            seed,
            scalars,
            latency,
            alarm_latency,
            latency_by_class,
            segments: segments.into_ordered(),
            groups,
            incidents,
            timeseries: sampler.into_series(),
            events: processed,
            patients,
            information_age,
            hooks,
        }
    }
}

/// What the per-patient and per-group results at the close are made of, once the rest of the
/// run's state is gone.
struct Close<'a> {
    model: &'a Model,
    accounting: &'a Accounting<'a>,
    monitoring: &'a Monitoring,
    information_age: &'a InformationAge,
    groups: &'a NodeGroups,
}

impl Close<'_> {
    /// The age of information of each node group with vital-sign streams, in the
    /// topology's order. One pass over the streams, each added to its node's group.
    fn group_ages(&self, end: SimTime) -> Vec<GroupAge> {
        let sources = &self.model.sources;
        let list = self.groups.list();
        let mut sums = vec![information_age::AgeSum::default(); list.len()];
        for (k, age) in self.information_age.streams(end) {
            sums[self.groups.of(sources[k].node)].add(age);
        }
        list.iter()
            .zip(&sums)
            .filter_map(|((name, _), sum)| {
                let (mean_ms, peak_ms) = sum.combined()?;
                Some(GroupAge {
                    group: name.clone(),
                    streams: sum.streams(),
                    mean_ms,
                    peak_ms,
                })
            })
            .collect()
    }

    /// Each patient's device, alarms, monitoring hours lost and age of information, in
    /// [`crate::PatientId`] order: as many patients as the highest id a source names, plus
    /// one.
    fn patients(&self, end: SimTime) -> Vec<PatientMetrics> {
        let sources = &self.model.sources;
        let count = sources
            .iter()
            .filter_map(|s| s.patient)
            .map(|p| p.index() + 1)
            .max()
            .unwrap_or(0);
        let mut out = vec![PatientMetrics::default(); count];
        for (k, s) in sources.iter().enumerate() {
            let Some(p) = s.patient else { continue };
            let row = &mut out[p.index()];
            if row.device.is_empty() {
                row.device = self.model.topology.node(s.node).name.to_string();
            }
            row.monitoring_hours_lost += self.monitoring.source_hours_lost(k, end);
            row.monitoring_hours_lost_moving += self.monitoring.source_moving_hours_lost(k);
            let alarms = self.accounting.alarms_of(k);
            row.alarms_late += alarms.late;
            row.alarms_missed += alarms.missed;
        }
        // One pass over the streams, each added to its patient's sum in source order (the
        // order, and so the rounding, of one `combine` per patient).
        let mut ages = vec![information_age::AgeSum::default(); count];
        for (k, age) in self.information_age.streams(end) {
            if let Some(p) = sources[k].patient {
                ages[p.index()].add(age);
            }
        }
        for (row, sum) in out.iter_mut().zip(&ages) {
            (row.aoi_mean_ms, row.aoi_peak_ms) = sum.combined().unzip();
        }
        out
    }
}
