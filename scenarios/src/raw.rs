//! Stage one: the scenario file as written, deserialised by serde. Each field is declared once:
//! the device, link and cipher fields ([`DeviceFields`], [`LinkFields`], [`CipherFields`]) are
//! flattened into the profiles, groups and links that set them. Unknown keys are not refused
//! here (serde cannot refuse them through `flatten`) but found against the schema of these
//! types ([`crate::shape`]), all of them, with the rest of the problems (attacks and defenses
//! collect their other keys as the kind's parameters, which stage two checks against the
//! catalogue).
//! Quantities stay text here ([`Text`]) so that stage two can check their units and report a
//! bare number with a helpful message instead of a type error.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
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

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number"],
            "description": "a value with its unit (250ms, 5min, 400B, 1Mbit/s, 2/h, 2.4kJ, 225mAh@3V, 6uW, 64MHz) or a distribution (exp(2ms), uniform(2ms, 32ms), normal(5ms, 1ms), lognormal(3ms, 0.5), pareto(1ms, 2.5), empirical(1ms, 2ms, 5ms))"
        })
    }
}

/// One name or a list of names (`from: hub` or `from: [ecg, spo2]`).
#[derive(Clone, Debug, Deserialize, PartialEq, JsonSchema)]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(title = "iomtsim scenario")]
pub struct RawScenario {
    /// Scenario name.
    pub name: String,
    /// Free text: the question the scenario answers; it heads `report.html`.
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
    /// Cost of one exposed patient record, USD (for `breach_cost_usd`); default 408.
    pub cost_per_record: Option<f64>,
    /// Run even where the declared stream rates offer a station or link with an unbounded
    /// queue a utilisation ρ ≥ 1; default false.
    pub allow_overload: Option<bool>,
    /// Fixed cost of a breach, USD, charged once per replication with any record exposed;
    /// default 0.
    pub cost_per_breach: Option<f64>,
    /// Add replications until the named metrics are known to a relative precision (the
    /// `--precision` flag overrides it).
    pub precision: Option<RawPrecision>,
    /// The scenario's own device, link and cipher profiles (new, or extending the catalogue).
    #[serde(default)]
    pub profiles: RawProfiles,
    /// Files of shared profiles (paths relative to the scenario), each holding only a
    /// `profiles:` section; the scenario's own profiles win over theirs.
    #[serde(default)]
    pub include: Vec<String>,
    /// The parameter sweep `iomtsim sweep` runs.
    pub sweep: Option<RawSweep>,
    /// Named rectangles (rooms, wards, homes) that `random` placements may refer to.
    #[serde(default)]
    pub areas: BTreeMap<String, crate::radio::RawArea>,
    /// Jammers by physics: position, power, channels and type.
    #[serde(default)]
    pub jammers: Vec<crate::radio::RawJammer>,
}

/// An included file: profiles only.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawIncluded {
    /// The shared profiles.
    #[serde(default)]
    pub profiles: RawProfiles,
}

/// Profiles defined by the scenario, by name.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct RawProfiles {
    /// Device profiles.
    #[serde(default)]
    pub devices: BTreeMap<String, RawDeviceProfile>,
    /// Link profiles.
    #[serde(default)]
    pub links: BTreeMap<String, RawLinkProfile>,
    /// Cipher profiles.
    #[serde(default)]
    pub ciphers: BTreeMap<String, RawCipherProfile>,
}

/// The device fields, declared once: a device profile sets them (every one, or some on top of
/// the profile it `extends`), and a group sets some of them to override its profile.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
pub struct DeviceFields {
    /// Battery capacity (`2.4kJ`, `225mAh@3V`) or `mains`.
    pub battery: Option<Text>,
    /// Baseline (sleep) power (`6uW`).
    pub sleep_power: Option<Text>,
    /// CPU clock (`64MHz`).
    pub cpu_clock: Option<Text>,
    /// Energy per CPU cycle (`0.16nJ`).
    pub energy_per_cycle: Option<Text>,
    /// Service-time distribution (`exp(2ms)`); gives the device a station.
    pub service: Option<Text>,
    /// Servers of the station.
    pub servers: Option<u32>,
    /// Waiting places, a number or `unbounded`.
    pub buffer: Option<Text>,
    /// When its radio listens on radio links: `continuous`, `wake_to_send`,
    /// `duty(30ms, 400us)` (period, listen window) or `auto`.
    pub listen: Option<Text>,
    /// Sensing front-end power while sampling (`0.55mW`).
    pub front_end_power: Option<Text>,
    /// Samples per second its MCU handles (`250Hz`).
    pub sample_rate: Option<Text>,
    /// MCU active time per sample (`10us`).
    pub mcu_per_sample: Option<Text>,
    /// MCU active time per packet emitted (`1ms`).
    pub mcu_per_packet: Option<Text>,
}

/// What every profile of the scenario's own (device, link, cipher) has besides its fields.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
pub struct ProfileHead {
    /// A profile (catalogue or scenario) to start from; without it every field is required.
    pub extends: Option<String>,
    /// What it is.
    pub description: Option<String>,
    /// Where its numbers come from.
    pub source: Option<String>,
}

/// A device profile of the scenario's own.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawDeviceProfile {
    /// Its parent, description and source.
    #[serde(flatten)]
    pub head: ProfileHead,
    /// The device fields it sets.
    #[serde(flatten)]
    pub fields: DeviceFields,
}

/// The link fields, declared once: a link profile sets them, a link group overrides some.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
pub struct LinkFields {
    /// Bit rate (`2Mbit/s`).
    pub rate: Option<Text>,
    /// Latency distribution (`uniform(2ms, 8ms)`).
    pub latency: Option<Text>,
    /// Loss probability.
    pub loss: Option<f64>,
    /// Sender energy per bit (`19.2nJ`).
    pub tx_energy_per_bit: Option<Text>,
    /// Receiver energy per bit.
    pub rx_energy_per_bit: Option<Text>,
    /// The client modem of the link's first endpoint (`from`): `lte`, `wifi_power_save` or
    /// `none`.
    pub client_modem: Option<String>,
}

/// A link profile of the scenario's own.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawLinkProfile {
    /// Its parent, description and source.
    #[serde(flatten)]
    pub head: ProfileHead,
    /// The link fields it sets.
    #[serde(flatten)]
    pub fields: LinkFields,
    /// A radio technology (`ieee802154`, `ble_1m`, `mics`, `wifi_g6`): the link's loss then
    /// comes from the physical layer, its rate and energy per bit from the technology's chip.
    pub radio: Option<String>,
    /// Radio: transmit power, dBm (within the chip's range; default the technology's).
    pub tx_power_dbm: Option<f64>,
    /// Radio: channel number, from 0 (default 0).
    pub channel: Option<u32>,
    /// Radio: path-loss model (default the technology's).
    pub path_loss: Option<crate::radio::RawPathLoss>,
    /// Radio: medium access (`csma_ca`, `ble_connection`, `dcf`); without it the radio
    /// sends as soon as its transmitter is free.
    pub mac: Option<crate::radio::RawMac>,
}

/// The cipher fields a cipher profile sets.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
pub struct CipherFields {
    /// `aead`, `mac`, `key_agreement` or `signature`.
    pub kind: Option<String>,
    /// CPU cycles per byte.
    pub cycles_per_byte: Option<f64>,
    /// Fixed CPU cycles per message or operation.
    pub cycles_per_message: Option<u64>,
    /// Bytes added per packet (`28B`).
    pub overhead: Option<Text>,
}

/// A cipher profile of the scenario's own.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawCipherProfile {
    /// Its parent, description and source.
    #[serde(flatten)]
    pub head: ProfileHead,
    /// The cipher fields it sets.
    #[serde(flatten)]
    pub fields: CipherFields,
}

/// A group of identical devices or services: its own keys, and any device field
/// ([`DeviceFields`]) to override its profile's.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawGroup {
    /// Group name; nodes are named `group[i]`.
    pub group: String,
    /// How many; default 1.
    pub count: Option<u64>,
    /// Device profile (catalogue or scenario).
    pub device: String,
    /// Traffic streams of each device in the group.
    #[serde(default)]
    pub streams: Vec<RawStream>,
    /// Where the group's nodes stand (needed at both ends of radio links).
    pub placement: Option<crate::radio::RawPlacement>,
    /// How its nodes move and roam (default: they stand); see docs/scenario.md.
    pub mobility: Option<crate::radio::RawMobility>,
    /// Whom its nodes belong to: `each` (node i is patient i of its pairwise chain), `one`
    /// (the group is one patient) or `none` (shared infrastructure); see docs/scenario.md.
    pub patient: Option<String>,
    /// The device fields it overrides.
    #[serde(flatten)]
    pub fields: DeviceFields,
}

/// One stream of packets from each device of a group.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawStream {
    /// Stream name.
    pub name: String,
    /// Periodic: the period (`1s`).
    pub every: Option<Text>,
    /// Periodic: a jitter distribution added to each send (`uniform(0ms, 10ms)`).
    pub jitter: Option<Text>,
    /// Poisson: the rate (`2/h`).
    pub poisson: Option<Text>,
    /// Payload size (`400B`); computed for a `waveform`.
    pub size: Option<Text>,
    /// A continuous signal sent in batches (instead of `every` and `size`).
    pub waveform: Option<RawWaveform>,
    /// Records per packet; default 1.
    pub records: Option<u32>,
    /// `routine` (default) or `alarm`.
    pub class: Option<String>,
    /// Deadline from creation to delivery (`100ms`).
    pub deadline: Option<Text>,
    /// Destination group.
    pub to: String,
    /// Size of the acknowledgement the destination sends back for each packet (`16B`).
    pub ack: Option<Text>,
    /// One stream per destination node instead of one per source node: node j of `to` is
    /// served by node `j mod count` of this group (a clinician commanding every pump).
    #[serde(default)]
    pub per_destination: bool,
}

/// `precision:`: the sequential stopping rule (README, "Replications, intervals and when not
/// to trust a mean").
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawPrecision {
    /// The target 95 % half-width as a fraction of the mean, strictly between 0 and 1.
    pub relative: f64,
    /// The metrics that must reach it (columns of runs.csv); default latency_ms,
    /// delivery_ratio, sensor_energy_j.
    pub metrics: Option<Vec<String>>,
    /// The most replications to run; default 1000.
    pub max_replications: Option<u32>,
}

/// A sweep plan: parameters (named by `--set` paths) and their values, combined as a product
/// or zipped, crossed with named variants.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawSweep {
    /// Replications per point; default: the scenario's `replications`.
    pub replications: Option<u32>,
    /// `product` (every combination, the default) or `zip` (the i-th value of each together).
    pub combine: Option<String>,
    /// The swept parameters, in order.
    #[serde(default)]
    pub parameters: Vec<RawParameter>,
    /// Named variants (a categorical dimension), each a set of overrides.
    #[serde(default)]
    pub variants: Vec<RawVariant>,
    /// Named dimensions whose product makes variants: each factor maps to its levels, each
    /// level a name (no overrides) or `{ name, set }` like a variant. `{e2e: [off, on], ids:
    /// [off, on]}` gives four variants, `e2e-off_ids-off` … `e2e-on_ids-on`, crossed with
    /// `variants:` if both are given.
    #[schemars(with = "Option<std::collections::BTreeMap<String, Vec<RawLevel>>>")]
    pub factors: Option<serde_yaml::Mapping>,
    /// The variant others are compared with, pairwise; default the first.
    pub baseline: Option<String>,
    /// The metrics to chart and tabulate: run metrics (`latency_p99_ms`) or a node group's
    /// (`sensors/energy_per_node_j`). Default: the headline metrics.
    pub metrics: Option<Vec<String>>,
}

/// One level of a factor: a bare name, or a name and its overrides.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawLevel {
    /// A level without overrides (`off`).
    Name(String),
    /// A level with its overrides.
    Set(RawVariant),
}

/// One swept parameter; exactly one of `values`, `range`, `linspace`, `logspace`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawParameter {
    /// The field, as a `--set` path (`attacks.sniffer.capture_probability`).
    pub path: String,
    /// An explicit list of values (any YAML: numbers, quantities with units, lists).
    #[schemars(with = "Option<Vec<serde_json::Value>>")]
    pub values: Option<Vec<serde_yaml::Value>>,
    /// `from`, `to` (inclusive) and `step`.
    pub range: Option<RawRange>,
    /// `from`, `to` and `count` evenly spaced values.
    pub linspace: Option<RawSpace>,
    /// `from`, `to` (both > 0) and `count` values evenly spaced on a log scale.
    pub logspace: Option<RawSpace>,
    /// A unit appended to every generated number (`min` makes 5 into `5min`).
    pub unit: Option<String>,
}

/// An arithmetic range.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawRange {
    /// First value.
    pub from: f64,
    /// Last value (included when the steps land on it).
    pub to: f64,
    /// Increment (> 0).
    pub step: f64,
}

/// Evenly spaced values.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawSpace {
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// How many values (≥ 2).
    pub count: u32,
}

/// A named variant: the overrides that define it.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawVariant {
    /// The variant's name (`none`, `link-aead`).
    pub name: String,
    /// `--set` paths and their values.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, serde_json::Value>")]
    pub set: serde_yaml::Mapping,
}

/// A sampled signal (ECG, respiration) sent in batches: one packet per `batch` carrying
/// `header + ⌈sample_rate × bits_per_sample × channels × batch / 8⌉` bytes.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawWaveform {
    /// Samples per second per channel (`250Hz`).
    pub sample_rate: Text,
    /// Bits per sample (12 for a typical ECG front end).
    pub bits_per_sample: u32,
    /// Channels (leads); default 1.
    pub channels: Option<u32>,
    /// Time covered by one packet (`1s`).
    pub batch: Text,
    /// Framing bytes added to each packet (`25B`); default 0.
    pub header: Option<Text>,
}

/// A connection pattern between groups: its own keys, and any link field ([`LinkFields`]) to
/// override its profile's.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawLink {
    /// Link group name (what attacks and defenses target).
    pub name: String,
    /// Group(s) at one end.
    pub from: OneOrMany,
    /// Group at the other end.
    pub to: String,
    /// `pairwise` (i-th to i-th) or `fan_in` (blocks of `from` to each `to`); default `fan_in`.
    pub pattern: Option<String>,
    /// Link profile (catalogue or scenario).
    pub profile: String,
    /// The link fields it overrides.
    #[serde(flatten)]
    pub fields: LinkFields,
}

/// An attack. Besides the keys below, every other key is a parameter of its `kind`
/// (`capture_probability: 0.9`, `rate: 10/s`): the catalogue (`iomtsim catalog attacks`) lists
/// them with their units and defaults; validation refuses any other key.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawAttack {
    /// Attack name, unique among the attacks.
    pub name: String,
    /// Attack kind (`eavesdrop`, `flood`, `ransomware`...).
    pub kind: String,
    /// Targeted link groups (kinds that act on links).
    #[serde(default)]
    pub links: Vec<String>,
    /// Targeted node groups (kinds that act on nodes).
    #[serde(default)]
    pub targets: Vec<String>,
    /// The node group where the attack traffic enters (floods, Sybil).
    pub from: Option<String>,
    /// Start (`0s` default).
    pub start: Option<Text>,
    /// Duration (until the end by default).
    pub duration: Option<Text>,
    /// The name of an earlier attack whose compromised nodes are this one's foothold.
    pub after: Option<String>,
    /// The kind's parameters, each with its unit (`rate: 10/s`); defaults from the catalogue.
    #[serde(flatten)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub params: BTreeMap<String, serde_yaml::Value>,
}

/// A defense. Besides the keys below, every other key is a parameter of its `kind`
/// (`iomtsim catalog defenses` lists them); validation refuses any other key.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RawDefense {
    /// Defense name, unique among the defenses.
    pub name: String,
    /// Defense kind (`link_encryption`, `ids`, `rate_limit`...).
    pub kind: String,
    /// Protected link groups (kinds that act on links).
    #[serde(default)]
    pub links: Vec<String>,
    /// Protected or hosting node groups (kinds that act on nodes).
    #[serde(default)]
    pub targets: Vec<String>,
    /// A cipher profile, for kinds that take one; default the catalogue's.
    pub cipher: Option<String>,
    /// The kind's parameters, each with its unit; defaults from the catalogue.
    #[serde(flatten)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub params: BTreeMap<String, serde_yaml::Value>,
}
