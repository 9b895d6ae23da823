//! The metrics the engine reports: per run (`Simulation::finish`, in [`RUN`] order) and per
//! node group ([`GROUP`], the columns of `groups.csv`).

use super::declaration::{Metric, Owner::Engine, Unit, When};

const fn run(id: &'static str, label: &'static str, unit: Unit, doc: &'static str) -> Metric {
    Metric::new(id, label, unit, Engine, doc)
}

/// Packets the sources emitted.
pub const GENERATED: Metric = run(
    "generated",
    "Packets generated",
    Unit::Packets,
    "packets the sources emitted",
);
/// Packets that reached their destination.
pub const DELIVERED: Metric = run(
    "delivered",
    "Packets delivered",
    Unit::Packets,
    "packets that reached their destination",
);
/// Packets lost for any reason.
pub const LOST: Metric = run(
    "lost",
    "Packets lost",
    Unit::Packets,
    "packets lost for any reason (sum of the `lost_*` below)",
);
/// `delivered / (delivered + lost)`.
pub const DELIVERY_RATIO: Metric = run(
    "delivery_ratio",
    "Delivery ratio",
    Unit::Fraction,
    "`delivered / (delivered + lost)`; packets still in flight at the end count in neither",
);
/// Dropped at a full station.
pub const LOST_BUFFER: Metric = run(
    "lost_buffer",
    "Lost: station buffer full",
    Unit::Packets,
    "dropped at a station whose servers and buffer were full",
);
/// Lost on a fixed-loss link.
pub const LOST_LINK: Metric = run(
    "lost_link",
    "Lost on links",
    Unit::Packets,
    "lost on a fixed-loss link (the link's loss probability)",
);
/// Lost on a radio channel.
pub const LOST_RADIO: Metric = run(
    "lost_radio",
    "Lost on radio channels",
    Unit::Packets,
    "lost on a radio link's channel: below sensitivity, no lock, receiver busy or sending, or bit errors at the frame's SINR (interference, jammers)",
);
/// Given up by the MAC for want of a clear channel.
pub const LOST_CHANNEL_ACCESS: Metric = run(
    "lost_channel_access",
    "Lost: MAC found no clear channel",
    Unit::Packets,
    "(scenarios with a `mac:`) given up by CSMA/CA after macMaxCSMABackoffs + 1 busy clear-channel assessments, or by DCF whose last attempt met foreign energy (a jammer)",
)
.when(When::SomeLinkHasMac);
/// Given up after the MAC's retries.
pub const LOST_RETRIES: Metric = run(
    "lost_retries",
    "Lost: MAC retries exhausted",
    Unit::Packets,
    "(scenarios with a `mac:`) given up after the MAC's retries (802.15.4 macMaxFrameRetries, 802.11 retry limit), or dropped with a BLE connection at its supervision timeout",
)
.when(When::SomeLinkHasMac);
/// At, or sent to, a dead node.
pub const LOST_DEAD_NODE: Metric = run(
    "lost_dead_node",
    "Lost: dead node",
    Unit::Packets,
    "at, or sent to, a node whose battery had emptied",
);
/// No route left.
pub const LOST_NO_ROUTE: Metric = run(
    "lost_no_route",
    "Lost: no route",
    Unit::Packets,
    "no route left to the destination",
);
/// Jammed or dropped by a malicious relay.
pub const LOST_ATTACK: Metric = run(
    "lost_attack",
    "Lost: jammed or dropped by an attack",
    Unit::Packets,
    "jammed, or dropped by a malicious relay (selective forwarding, blackhole, sinkhole, wormhole)",
);
/// Discarded by a security check.
pub const LOST_REJECTED: Metric = run(
    "lost_rejected",
    "Lost: rejected by a security check",
    Unit::Packets,
    "discarded by a security check: an altered packet failing its MAC, a rate limit",
);
/// At a node taken out of the network.
pub const LOST_UNAVAILABLE: Metric = run(
    "lost_unavailable",
    "Lost: node isolated or encrypted",
    Unit::Packets,
    "at a node taken out of the network (isolated by a defense, encrypted by ransomware)",
);
/// Mean end-to-end latency.
pub const LATENCY_MS: Metric = run(
    "latency_ms",
    "End-to-end latency, mean",
    Unit::Ms,
    "mean end-to-end latency, creation to delivery (p50/p95/p99/max in `summary.json`)",
);
/// Mean latency of alarm-class packets.
pub const ALARM_LATENCY_MS: Metric = run(
    "alarm_latency_ms",
    "Alarm latency, mean",
    Unit::Ms,
    "the same for alarm-class packets",
);
/// Packets with a deadline delivered late or lost.
pub const DEADLINE_MISSES: Metric = run(
    "deadline_misses",
    "Deadline misses",
    Unit::Packets,
    "packets with a deadline that were delivered late **or lost**",
);
/// Acknowledgements delivered back.
pub const COMMANDS_ACKED: Metric = run(
    "commands_acked",
    "Commands acknowledged",
    Unit::Packets,
    "acknowledgements delivered back to the sender (streams with `ack:`)",
);
/// Acknowledgements lost.
pub const ACKS_LOST: Metric = run(
    "acks_lost",
    "Acknowledgements lost",
    Unit::Packets,
    "acknowledgements lost on the way back",
);
/// Mean round trip of an acknowledged packet.
pub const COMMAND_RTT_MS: Metric = run(
    "command_rtt_ms",
    "Command round trip, mean",
    Unit::Ms,
    "mean round trip of an acknowledged packet: its creation to the delivery of its ack",
);
/// Share of station arrivals that waited.
pub const STATION_WAIT_FRACTION: Metric = run(
    "station_wait_fraction",
    "Station arrivals that waited",
    Unit::Fraction,
    "arrivals at stations that found every server busy (Erlang C's P(wait) for one station)",
);
/// BLE connections lost to their supervision timeout.
pub const BLE_DISCONNECTIONS: Metric = run(
    "ble_disconnections",
    "BLE connections dropped",
    Unit::Count,
    "(scenarios with a `mac:`) BLE connections lost to their supervision timeout, each re-established after `reconnect`",
)
.when(When::SomeLinkHasMac);
/// Roams between access points.
pub const HANDOVERS: Metric = run(
    "handovers",
    "Handovers",
    Unit::Count,
    "(scenarios with `roaming`) roams of a client between access points, started after the warm-up",
)
.when(When::SomeClientRoams);
/// Reassociation time of roaming clients.
pub const DISCONNECTED_S: Metric = run(
    "disconnected_s",
    "Time disconnected by handovers",
    Unit::S,
    "(scenarios with `roaming`) reassociation time in the measured window, summed over clients: their traffic waits meanwhile",
)
.when(When::SomeClientRoams);
/// Time-average packets at stations.
pub const MEAN_PACKETS_IN_STATIONS: Metric = run(
    "mean_packets_in_stations",
    "Packets in stations, time average",
    Unit::Packets,
    "time-average number of packets waiting or in service at stations (L in Little's law)",
);
/// Energy of every metered device.
pub const ENERGY_J: Metric = run(
    "energy_j",
    "Energy, all metered devices",
    Unit::J,
    "energy spent by every metered device",
);
/// Energy of the sensing layer.
pub const SENSOR_ENERGY_J: Metric = run(
    "sensor_energy_j",
    "Energy, sensing layer",
    Unit::J,
    "energy spent by sensing-layer devices",
);
/// When the first battery emptied.
pub const FIRST_BATTERY_DEATH_S: Metric = run(
    "first_battery_death_s",
    "First battery death",
    Unit::S,
    "simulated time at which the first battery emptied; undefined (empty, `n` counts only runs where one did) if none did",
);
/// Batteries that emptied.
pub const BATTERY_DEATHS: Metric = run(
    "battery_deaths",
    "Battery deaths",
    Unit::Nodes,
    "batteries that emptied",
);
/// Sensor-stream hours without data.
pub const MONITORING_HOURS_LOST: Metric = run(
    "monitoring_hours_lost",
    "Monitoring hours lost",
    Unit::H,
    "sensor-stream hours with no data reaching the destination: per periodic sensing stream, every gap between delivered readings beyond two periods (one lost reading and jitter are tolerated), and the silence after the last; compare with the attack-free run to attribute it",
);
/// Sensor-stream hours without data while the device was walking.
pub const MONITORING_HOURS_LOST_MOVING: Metric = run(
    "monitoring_hours_lost_moving",
    "Monitoring hours lost while moving",
    Unit::H,
    "the part of `monitoring_hours_lost` during which the stream's device was walking between waypoints (not standing or pausing; scenarios with `mobility`, else 0)",
);
/// Alarms delivered after their deadline.
pub const ALARMS_LATE: Metric = run(
    "alarms_late",
    "Alarms late",
    Unit::Alarms,
    "alarm-class packets delivered after their source's `deadline`",
);
/// Alarms never delivered.
pub const ALARMS_MISSED: Metric = run(
    "alarms_missed",
    "Alarms missed",
    Unit::Alarms,
    "alarm-class packets lost on the way, never delivered (those still in flight at the end count in neither)",
);
/// Time-average age of information of the vital signs.
pub const AOI_MEAN_MS: Metric = run(
    "aoi_mean_ms",
    "Age of information, time average",
    Unit::Ms,
    "per vital-sign stream (routine sources on sensing nodes), the time average over the measured window of now − creation of the newest genuine reading delivered; mean over streams (Kaul, Yates & Gruteser 2012)",
);
/// Peak age of information of the vital signs.
pub const AOI_PEAK_MS: Metric = run(
    "aoi_peak_ms",
    "Age of information, peak",
    Unit::Ms,
    "the largest age of information of any vital-sign stream in the measured window",
);
/// Attack and cover traffic injected.
pub const EXTRA_PACKETS_INJECTED: Metric = run(
    "extra_packets_injected",
    "Attack and cover packets injected",
    Unit::Packets,
    "attack and cover traffic put into the network (forged, replayed, flood, cover packets); they load the same queues, links and batteries but count in none of the metrics above",
);
/// Injected packets accepted at their destination.
pub const EXTRA_PACKETS_ACCEPTED: Metric = run(
    "extra_packets_accepted",
    "of which accepted at destination",
    Unit::Packets,
    "of those, accepted at the destination",
)
.part_of("extra_packets_injected");
/// Injected packets rejected at their destination.
pub const EXTRA_PACKETS_REJECTED: Metric = run(
    "extra_packets_rejected",
    "of which rejected at destination",
    Unit::Packets,
    "of those, rejected at the destination (end-to-end tag, freshness)",
)
.part_of("extra_packets_injected");
/// Injected packets lost on the way.
pub const EXTRA_PACKETS_LOST: Metric = run(
    "extra_packets_lost",
    "of which lost on the way",
    Unit::Packets,
    "of those, lost on the way",
)
.part_of("extra_packets_injected");
/// The sensing layer's radio transmit energy.
pub const SENSOR_RADIO_TX_J: Metric = run(
    "sensor_radio_tx_j",
    "of which radio TX",
    Unit::J,
    "`sensor_energy_j` spent transmitting",
)
.part_of("sensor_energy_j");
/// The sensing layer's radio receive energy.
pub const SENSOR_RADIO_RX_J: Metric = run(
    "sensor_radio_rx_j",
    "of which radio RX",
    Unit::J,
    "`sensor_energy_j` spent receiving and listening",
)
.part_of("sensor_energy_j");
/// The sensing layer's processor energy.
pub const SENSOR_CPU_J: Metric = run(
    "sensor_cpu_j",
    "of which CPU",
    Unit::J,
    "`sensor_energy_j` spent by the processor (sampling, packet handling)",
)
.part_of("sensor_energy_j");
/// The sensing layer's cryptography energy.
pub const SENSOR_CRYPTO_J: Metric = run(
    "sensor_crypto_j",
    "of which cryptography",
    Unit::J,
    "`sensor_energy_j` spent on cryptography",
)
.part_of("sensor_energy_j");
/// The sensing layer's sleep energy.
pub const SENSOR_SLEEP_J: Metric = run(
    "sensor_sleep_j",
    "of which sleep",
    Unit::J,
    "`sensor_energy_j` spent asleep",
)
.part_of("sensor_energy_j");

/// Every metric the engine reports for a run, in the order of
/// [`RunMetrics::scalars`](crate::RunMetrics::scalars) (the [`When::SomeLinkHasMac`] ones only
/// when some link has a MAC).
pub const RUN: [&Metric; 44] = [
    &GENERATED,
    &DELIVERED,
    &LOST,
    &DELIVERY_RATIO,
    &LOST_BUFFER,
    &LOST_LINK,
    &LOST_RADIO,
    &LOST_CHANNEL_ACCESS,
    &LOST_RETRIES,
    &LOST_DEAD_NODE,
    &LOST_NO_ROUTE,
    &LOST_ATTACK,
    &LOST_REJECTED,
    &LOST_UNAVAILABLE,
    &LATENCY_MS,
    &ALARM_LATENCY_MS,
    &DEADLINE_MISSES,
    &COMMANDS_ACKED,
    &ACKS_LOST,
    &COMMAND_RTT_MS,
    &STATION_WAIT_FRACTION,
    &BLE_DISCONNECTIONS,
    &MEAN_PACKETS_IN_STATIONS,
    &ENERGY_J,
    &SENSOR_ENERGY_J,
    &FIRST_BATTERY_DEATH_S,
    &BATTERY_DEATHS,
    &MONITORING_HOURS_LOST,
    &MONITORING_HOURS_LOST_MOVING,
    &ALARMS_LATE,
    &ALARMS_MISSED,
    &AOI_MEAN_MS,
    &AOI_PEAK_MS,
    &HANDOVERS,
    &DISCONNECTED_S,
    &EXTRA_PACKETS_INJECTED,
    &EXTRA_PACKETS_ACCEPTED,
    &EXTRA_PACKETS_REJECTED,
    &EXTRA_PACKETS_LOST,
    &SENSOR_RADIO_TX_J,
    &SENSOR_RADIO_RX_J,
    &SENSOR_CPU_J,
    &SENSOR_CRYPTO_J,
    &SENSOR_SLEEP_J,
];

/// The sensing layer's energy per component, in [`Component::ALL`](crate::Component::ALL)
/// order.
pub const SENSOR_ENERGY_PARTS: [&Metric; 5] = [
    &SENSOR_RADIO_TX_J,
    &SENSOR_RADIO_RX_J,
    &SENSOR_CPU_J,
    &SENSOR_CRYPTO_J,
    &SENSOR_SLEEP_J,
];

const fn group(id: &'static str, label: &'static str, unit: Unit, doc: &'static str) -> Metric {
    Metric::new(id, label, unit, Engine, doc)
}

/// A group's energy, all its nodes.
pub const GROUP_ENERGY_J: Metric = group(
    "energy_j",
    "Energy, all nodes of the group",
    Unit::J,
    "energy spent by all the group's nodes",
);
/// A group's energy per node.
pub const GROUP_ENERGY_PER_NODE_J: Metric = group(
    "energy_per_node_j",
    "Energy per node",
    Unit::J,
    "`energy_j` / nodes in the group",
);
/// A group's radio transmit energy.
pub const GROUP_RADIO_TX_J: Metric = group(
    "radio_tx_j",
    "Radio TX",
    Unit::J,
    "`energy_j` spent transmitting",
)
.part_of("energy_j");
/// A group's radio receive energy.
pub const GROUP_RADIO_RX_J: Metric = group(
    "radio_rx_j",
    "Radio RX",
    Unit::J,
    "`energy_j` spent receiving and listening",
)
.part_of("energy_j");
/// A group's processor energy.
pub const GROUP_CPU_J: Metric = group(
    "cpu_j",
    "CPU",
    Unit::J,
    "`energy_j` spent by the processors",
)
.part_of("energy_j");
/// A group's cryptography energy.
pub const GROUP_CRYPTO_J: Metric = group(
    "crypto_j",
    "Crypto",
    Unit::J,
    "`energy_j` spent on cryptography",
)
.part_of("energy_j");
/// A group's sleep energy.
pub const GROUP_SLEEP_J: Metric =
    group("sleep_j", "Sleep", Unit::J, "`energy_j` spent asleep").part_of("energy_j");
/// A group's batteries that emptied.
pub const GROUP_BATTERY_DEATHS: Metric = group(
    "battery_deaths",
    "Battery deaths",
    Unit::Nodes,
    "the group's batteries that emptied",
);
/// When a group's first battery emptied.
pub const GROUP_FIRST_BATTERY_DEATH_S: Metric = group(
    "first_battery_death_s",
    "First battery death",
    Unit::S,
    "when the group's first battery emptied; undefined if none did",
);
/// A group's lowest battery left.
pub const GROUP_BATTERY_LEFT_MIN_FRACTION: Metric = group(
    "battery_left_min_fraction",
    "Battery left, lowest",
    Unit::Fraction,
    "at the end of the run, the lowest battery of the group (a dead node counts 0); undefined without batteries",
);
/// A group's mean battery left.
pub const GROUP_BATTERY_LEFT_MEAN_FRACTION: Metric = group(
    "battery_left_mean_fraction",
    "Battery left, mean",
    Unit::Fraction,
    "at the end of the run, the mean over the group's batteries",
);
/// A group's battery lifetime.
pub const GROUP_LIFETIME_DAYS: Metric = group(
    "lifetime_days",
    "Battery lifetime (first death or projected)",
    Unit::Days,
    "when a battery of the group emptied in the run, the time of the first death; else the shortest over its battery nodes of capacity / (mean power after the warm-up): a full battery drained as measured. Undefined without batteries",
);

/// The metrics reported per node group, in `groups.csv` column order
/// ([`GroupMetrics`](crate::GroupMetrics) holds their values).
pub const GROUP: [&Metric; 12] = [
    &GROUP_ENERGY_J,
    &GROUP_ENERGY_PER_NODE_J,
    &GROUP_RADIO_TX_J,
    &GROUP_RADIO_RX_J,
    &GROUP_CPU_J,
    &GROUP_CRYPTO_J,
    &GROUP_SLEEP_J,
    &GROUP_BATTERY_DEATHS,
    &GROUP_FIRST_BATTERY_DEATH_S,
    &GROUP_BATTERY_LEFT_MIN_FRACTION,
    &GROUP_BATTERY_LEFT_MEAN_FRACTION,
    &GROUP_LIFETIME_DAYS,
];

const fn series(id: &'static str, label: &'static str, unit: Unit, doc: &'static str) -> Metric {
    Metric::new(id, label, unit, Engine, doc)
}

/// Lowest battery left.
pub const SERIES_BATTERY_MIN_FRACTION: Metric = series(
    "battery_min_fraction",
    "Battery left, lowest",
    Unit::Fraction,
    "whole system, and each group with batteries: lowest battery left over battery-powered nodes (a dead node counts 0)",
);
/// Mean battery left.
pub const SERIES_BATTERY_MEAN_FRACTION: Metric = series(
    "battery_mean_fraction",
    "Battery left, mean",
    Unit::Fraction,
    "whole system, and each group with batteries: mean battery left over battery-powered nodes (a dead node counts 0)",
);
/// Nodes alive.
pub const SERIES_ALIVE_NODES: Metric = series(
    "alive_nodes",
    "Nodes alive",
    Unit::Nodes,
    "whole system: nodes whose battery has not emptied",
);
/// Packets delivered so far.
pub const SERIES_DELIVERED: Metric = series(
    "delivered",
    "Packets delivered",
    Unit::Packets,
    "whole system: cumulative, every packet delivered (warm-up included)",
);
/// Packets lost so far.
pub const SERIES_LOST: Metric = series(
    "lost",
    "Packets lost",
    Unit::Packets,
    "whole system: cumulative, every packet lost (warm-up included)",
);
/// Packets waiting in station buffers.
pub const SERIES_QUEUED_PACKETS: Metric = series(
    "queued_packets",
    "Packets queued",
    Unit::Packets,
    "whole system, and each station group: packets waiting in station buffers (not in service)",
);
/// Delivery rate over the last grid interval.
pub const SERIES_DELIVERED_PER_S: Metric = series(
    "delivered_per_s",
    "Delivery rate",
    Unit::PacketsPerS,
    "whole system: packets delivered during the grid interval ending at `time_s`, per second",
);
/// Delivery ratio over the last grid interval.
pub const SERIES_DELIVERY_RATIO: Metric = series(
    "delivery_ratio",
    "Delivery ratio",
    Unit::Fraction,
    "whole system: delivered / (delivered + lost) during that interval; undefined if none settled",
);
/// Mean age of information over the last grid interval.
pub const SERIES_AOI_MEAN_MS: Metric = series(
    "aoi_mean_ms",
    "Age of information, mean",
    Unit::Ms,
    "whole system: time-average age of the vital signs' newest delivered reading during the grid interval ending at `time_s`, mean over the streams (warm-up included); undefined without vital signs",
);

/// The engine's series of `timeseries.csv`, in column order for the whole system (then
/// the battery series per group with batteries and `queued_packets` per station group).
pub const SERIES: [&Metric; 9] = [
    &SERIES_BATTERY_MIN_FRACTION,
    &SERIES_BATTERY_MEAN_FRACTION,
    &SERIES_ALIVE_NODES,
    &SERIES_DELIVERED,
    &SERIES_LOST,
    &SERIES_QUEUED_PACKETS,
    &SERIES_DELIVERED_PER_S,
    &SERIES_DELIVERY_RATIO,
    &SERIES_AOI_MEAN_MS,
];
