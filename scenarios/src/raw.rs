//! Stage one: the scenario file as written, deserialised by serde with unknown keys refused.
//! Quantities stay text here ([`Text`]) so that stage two can check their units and report a
//! bare number with a helpful message instead of a type error.

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A scalar kept as written: a string, or a number turned back into its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value with its unit, such as `250ms`, `128B` or `2/h`")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One name or a list of names (`from: hub` or `from: [ecg, spo2]`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single name.
    One(String),
    /// Several names.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The names, in order.
    pub fn names(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Simulated time (`1h`).
    pub duration: Text,
    /// Transient excluded from statistics (`2min`); default 0.
    pub warmup: Option<Text>,
    /// Base seed; default 1.
    pub seed: Option<u64>,
    /// Replications; default 1.
    pub replications: Option<u32>,
    /// Time-series spacing (`1min`); default duration / 60.
    pub time_grid: Option<Text>,
    /// Sensing-layer device groups.
    #[serde(default)]
    pub sensing: Vec<RawGroup>,
    /// Network-layer groups (hubs, gateways, fog).
    #[serde(default)]
    pub network: Vec<RawGroup>,
    /// Cloud-layer services.
    #[serde(default)]
    pub cloud: Vec<RawGroup>,
    /// Connection patterns.
    #[serde(default)]
    pub links: Vec<RawLink>,
    /// Attacks.
    #[serde(default)]
    pub attacks: Vec<RawAttack>,
    /// Defenses.
    #[serde(default)]
    pub defenses: Vec<RawDefense>,
}

/// A group of identical devices or services.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    /// Group name; nodes are named `group[i]`.
    pub group: String,
    /// How many; default 1.
    pub count: Option<u64>,
    /// Catalogue device profile.
    pub device: String,
    /// Override: battery capacity (`2.4kJ`, `225mAh@3V`) or `mains`.
    pub battery: Option<Text>,
    /// Override: sleep power (`6uW`).
    pub sleep_power: Option<Text>,
    /// Override: service-time distribution (`exp(2ms)`).
    pub service: Option<Text>,
    /// Override: servers.
    pub servers: Option<u32>,
    /// Override: waiting places, a number or `unbounded`.
    pub buffer: Option<Text>,
    /// Traffic streams of each device in the group.
    #[serde(default)]
    pub streams: Vec<RawStream>,
}

/// One stream of packets from each device of a group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStream {
    /// Stream name.
    pub name: String,
    /// Periodic: the period (`1s`).
    pub every: Option<Text>,
    /// Periodic: a jitter distribution added to each send (`uniform(0ms, 10ms)`).
    pub jitter: Option<Text>,
    /// Poisson: the rate (`2/h`).
    pub poisson: Option<Text>,
    /// Payload size (`400B`).
    pub size: Text,
    /// Records per packet; default 1.
    pub records: Option<u32>,
    /// `routine` (default) or `alarm`.
    pub class: Option<String>,
    /// Deadline from creation to delivery (`100ms`).
    pub deadline: Option<Text>,
    /// Destination group.
    pub to: String,
}

/// A connection pattern between groups.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    /// Link group name (what attacks and defenses target).
    pub name: String,
    /// Group(s) at one end.
    pub from: OneOrMany,
    /// Group at the other end.
    pub to: String,
    /// `pairwise` (i-th to i-th) or `fan_in` (blocks of `from` to each `to`); default `fan_in`.
    pub pattern: Option<String>,
    /// Catalogue link profile.
    pub profile: String,
    /// Override: bit rate (`2Mbit/s`).
    pub rate: Option<Text>,
    /// Override: latency distribution (`uniform(2ms, 8ms)`).
    pub latency: Option<Text>,
    /// Override: loss probability.
    pub loss: Option<f64>,
}

/// An attack.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttack {
    /// Attack name.
    pub name: String,
    /// Attack kind (`eavesdrop`).
    pub kind: String,
    /// Targeted link groups.
    #[serde(default)]
    pub links: Vec<String>,
    /// Start (`0s` default).
    pub start: Option<Text>,
    /// Duration (until the end by default).
    pub duration: Option<Text>,
    /// Eavesdrop: capture probability per packet, default 1.
    pub capture_probability: Option<f64>,
}

/// A defense.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefense {
    /// Defense name.
    pub name: String,
    /// Defense kind (`link_encryption`).
    pub kind: String,
    /// Protected link groups.
    #[serde(default)]
    pub links: Vec<String>,
    /// Link encryption: catalogue cipher.
    pub cipher: Option<String>,
}
