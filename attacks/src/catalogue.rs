//! The catalogue of attack and defense kinds: what each one is, which layer it strikes or
//! protects, its threat tags, and every parameter with its unit, default and source.
//!
//! The entries themselves live with their models (`INFO` in each module of [`crate::attack`]
//! and [`crate::defense`]); the registries there are the only lists of kinds. This module holds
//! what an entry is made of. The scenario language checks attacks and defenses against the
//! entries (unknown parameters, units, ranges, constraints), `iomtsim catalog
//! attacks|defenses` prints them, and `docs/attack-defense-matrix.md` is generated from them and
//! from [`crate::rules::RULES`].
//! Sources in brackets refer to `parameters.md` (the project's domain facts): §D attacks,
//! §E defenses, §F breach costs; `[U]` marks an engineering assumption with no published
//! figure, exposed as a parameter so that it can be swept.

/// What a parameter measures, and so how its value is written in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A probability in [0, 1], written as a bare number.
    Probability,
    /// A non-negative factor (multiplier), written as a bare number.
    Factor,
    /// A duration, written with its unit (`30s`, `3d`); stored in seconds.
    Seconds,
    /// A duration as [`Unit::Seconds`], or the word `never`; `never` is stored as infinity.
    SecondsOrNever,
    /// A rate, written per unit of time (`10/s`, `2/h`); stored per second.
    PerSecond,
    /// A whole count, written as a bare number.
    Count,
    /// A size, written with its unit (`512B`, `100kB`); stored in bytes.
    Bytes,
    /// A power, written with its unit (`18.8mW`); stored in watts.
    Watts,
    /// One of a fixed set of words; stored as the word's index.
    Choice(&'static [&'static str]),
}

impl Unit {
    /// How the unit is shown in the catalogue.
    pub fn describe(self) -> String {
        match self {
            Unit::Probability => "probability".into(),
            Unit::Factor => "factor".into(),
            Unit::Seconds => "duration".into(),
            Unit::SecondsOrNever => "duration or never".into(),
            Unit::PerSecond => "rate".into(),
            Unit::Count => "count".into(),
            Unit::Bytes => "bytes".into(),
            Unit::Watts => "power".into(),
            Unit::Choice(words) => words.join(" | "),
        }
    }
}

/// One parameter of an attack or defense kind. Its unit bounds it already (a probability in
/// [0, 1], a count a whole number ≥ 0, anything else ≥ 0); [`ParamSpec::positive`] adds > 0
/// and [`ParamSpec::at_most`] an upper bound.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// Its key in the scenario.
    pub name: &'static str,
    /// What it measures.
    pub unit: Unit,
    /// Its default, in the stored unit (seconds, per second, bytes, watts, choice index).
    pub default: f64,
    /// The default as a scenario would write it.
    pub default_text: &'static str,
    /// What it means.
    pub about: &'static str,
    /// Where the default comes from.
    pub source: &'static str,
    /// Whether 0 is refused: a period or rate a model divides by or schedules with (0 would
    /// mean an endless burst of events).
    pub positive: bool,
    /// The largest value allowed, with what the bound is (`None`: the unit's range alone).
    pub at_most: Option<(f64, &'static str)>,
}

impl ParamSpec {
    /// The same parameter, required to be > 0.
    pub const fn positive(self) -> ParamSpec {
        ParamSpec {
            positive: true,
            ..self
        }
    }

    /// The same parameter, required to be at most `max`; `why` completes the message "must be
    /// at most …" (e.g. `"37 (the BLE data channels)"`).
    pub const fn at_most(self, max: f64, why: &'static str) -> ParamSpec {
        ParamSpec {
            at_most: Some((max, why)),
            ..self
        }
    }

    /// Whether `value` (in the stored unit) is allowed by the constraints beyond the unit's own
    /// range; `Err` says what would be right.
    pub fn admits(&self, value: f64) -> Result<(), String> {
        if self.positive && value <= 0.0 {
            return Err("must be > 0".into());
        }
        match self.at_most {
            Some((max, why)) if value > max => Err(format!("must be at most {why}")),
            _ => Ok(()),
        }
    }
}

/// A parameter declaration: its key, unit, default (stored unit, then as written), meaning and
/// the default's source.
pub const fn param(
    name: &'static str,
    unit: Unit,
    default: f64,
    default_text: &'static str,
    about: &'static str,
    source: &'static str,
) -> ParamSpec {
    ParamSpec {
        name,
        unit,
        default,
        default_text,
        about,
        source,
        positive: false,
        at_most: None,
    }
}

/// What an attack or defense is pointed at, beyond its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Targets {
    /// Link groups (`links:`).
    Links,
    /// Node groups (`targets:`).
    Nodes,
    /// Node groups (`targets:`), with the attack traffic entering at a group (`from:`).
    NodesFrom,
    /// Exactly two node groups (`targets: [a, b]`): the first node of each.
    NodePair,
}

impl Targets {
    /// The scenario keys this selector uses.
    pub fn keys(self) -> &'static str {
        match self {
            Targets::Links => "links",
            Targets::Nodes => "targets",
            Targets::NodesFrom => "targets, from",
            Targets::NodePair => "targets (two groups)",
        }
    }
}

/// What an attack needs before it can act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precondition {
    /// Radio proximity to the targeted links or nodes.
    Proximity,
    /// Reach over the network (the Internet, a LAN).
    Network,
    /// Physical access to a device.
    Physical,
    /// A compromised node to act from: given by `after:` (the attack whose compromises it
    /// uses) or, without `after:`, the `targets` themselves are taken as already held.
    Foothold,
    /// A legitimate account (an insider).
    Account,
}

impl Precondition {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Precondition::Proximity => "radio proximity",
            Precondition::Network => "network reach",
            Precondition::Physical => "physical access",
            Precondition::Foothold => "foothold (after:)",
            Precondition::Account => "legitimate account",
        }
    }
}

/// What an attacker holds on a compromised node, in increasing order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Privilege {
    /// Nothing (the attack compromises no node, or needs none).
    None,
    /// A user account: read what the account reads (stolen credentials, phishing).
    User,
    /// Administrative control of a host or service: change its software and routing
    /// (an exploited service, ransomware).
    Admin,
    /// The device itself in hand: its keys and firmware (node capture).
    Root,
}

impl Privilege {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Privilege::None => "none",
            Privilege::User => "user",
            Privilege::Admin => "admin",
            Privilege::Root => "root",
        }
    }
}

/// A set of the layers of an IoMT deployment an attack strikes: a typed set, one bit per
/// layer. Cross-layer attacks are seen by every intrusion detection system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layers(u8);

impl Layers {
    /// No layer.
    pub const NONE: Layers = Layers(0);
    /// Body-area sensors and actuators.
    pub const SENSING: Layers = Layers(1);
    /// Hubs, gateways, relays.
    pub const NETWORK: Layers = Layers(2);
    /// Cloud services.
    pub const CLOUD: Layers = Layers(4);
    /// Across layers.
    pub const CROSS: Layers = Layers(8);

    const NAMES: [(Layers, &'static str); 4] = [
        (Layers::SENSING, "sensing"),
        (Layers::NETWORK, "network"),
        (Layers::CLOUD, "cloud"),
        (Layers::CROSS, "cross-layer"),
    ];

    /// The union of two sets.
    pub const fn union(self, other: Layers) -> Layers {
        Layers(self.0 | other.0)
    }

    /// Whether every layer of `other` is in the set.
    pub const fn contains(self, other: Layers) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the two sets share a layer.
    pub const fn meets(self, other: Layers) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The names of the layers in the set, in layer order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Layers::NAMES
            .into_iter()
            .filter(move |&(l, _)| self.contains(l))
            .map(|(_, name)| name)
    }

    /// The layer of a node of the engine's topology.
    pub fn of(layer: sim_core::Layer) -> Layers {
        match layer {
            sim_core::Layer::Sensing => Layers::SENSING,
            sim_core::Layer::Network => Layers::NETWORK,
            sim_core::Layer::Cloud => Layers::CLOUD,
        }
    }
}

impl std::fmt::Display for Layers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, name) in self.names().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

/// A catalogue entry for an attack kind.
#[derive(Clone, Copy, Debug)]
pub struct AttackInfo {
    /// The kind.
    pub kind: AttackKind,
    /// Its `kind:` word in scenarios.
    pub name: &'static str,
    /// Layers it strikes.
    pub layer: Layers,
    /// STRIDE class.
    pub stride: &'static str,
    /// Matching MITRE ATT&CK technique (ICS, Enterprise or Mobile matrix).
    pub attack_id: &'static str,
    /// What it needs before it can act.
    pub precondition: Precondition,
    /// The privilege its compromises give the attacker on a node (a foothold for the attacks
    /// chained after it).
    pub grants: Privilege,
    /// The privilege it needs on a foothold: chained after an attack granting less, it cannot
    /// use that attack's footholds.
    pub requires: Privilege,
    /// What it is pointed at.
    pub targets: Targets,
    /// The packets it puts on the network besides the deployment's own (forged, replayed,
    /// flood) or makes of them (tampered): which defenses reject them at their destination
    /// follows from the rule table, and flood traffic needs routes to its targets.
    pub makes: Option<Origin>,
    /// The metrics it moves.
    pub moves: &'static str,
    /// The model in one or two sentences.
    pub about: &'static str,
    /// Its parameters.
    pub params: &'static [ParamSpec],
}

/// A catalogue entry for a defense kind.
#[derive(Clone, Copy, Debug)]
pub struct DefenseInfo {
    /// The kind.
    pub kind: DefenseKind,
    /// Its `kind:` word in scenarios.
    pub name: &'static str,
    /// What it is deployed on.
    pub targets: Targets,
    /// What it costs, in the engine's units.
    pub cost: &'static str,
    /// The model in one or two sentences.
    pub about: &'static str,
    /// Its parameters (a cipher, where it takes one, is the `cipher:` key, not listed here).
    pub params: &'static [ParamSpec],
    /// Whether it takes a `cipher:` from the cipher catalogue: the default one and the kinds
    /// of primitive it accepts.
    pub cipher: Option<crate::cipher::CipherUse>,
}

pub use crate::attack::{ATTACKS, AttackKind};
pub use crate::defense::{DEFENSES, DefenseKind};
use crate::origin::Origin;
use std::cell::Cell;

/// Marks a default with no published figure.
pub const U: &str = "[U] assumption, sweepable";

/// The parameter every attack has: the mean time, after a defense's response ended one
/// instance of it (its footholds cut off, its traffic blocked, its keys replaced), before the
/// attacker acts again, drawn exponential from the attack's own stream; `never` (infinity)
/// keeps the attacker away for the rest of the run. No source in parameters.md gives a
/// return time, so the default is `never` [U], which leaves every scenario as it was.
pub const RETRY_AFTER: ParamSpec = param(
    "retry_after",
    Unit::SecondsOrNever,
    f64::INFINITY,
    "never",
    "mean time after a response ends it before the attacker acts again (exponential)",
    U,
)
.positive();

/// The catalogue entry of an attack kind (the registry puts each entry at its kind's index).
pub fn attack(kind: AttackKind) -> &'static AttackInfo {
    &ATTACKS[kind as usize]
}

/// The catalogue entry of a defense kind (the registry puts each entry at its kind's index).
pub fn defense(kind: DefenseKind) -> &'static DefenseInfo {
    &DEFENSES[kind as usize]
}

/// The attack kind with this scenario word.
pub fn attack_named(name: &str) -> Option<&'static AttackInfo> {
    ATTACKS.iter().find(|a| a.name == name)
}

/// The defense kind with this scenario word.
pub fn defense_named(name: &str) -> Option<&'static DefenseInfo> {
    DEFENSES.iter().find(|d| d.name == name)
}

/// Parameter values of one attack or defense, in its catalogue order, in stored units.
#[derive(Clone, Debug)]
pub struct Params {
    specs: &'static [ParamSpec],
    values: Vec<f64>,
}

impl Params {
    /// Every parameter at its default.
    pub fn defaults(specs: &'static [ParamSpec]) -> Params {
        Params {
            specs,
            values: specs.iter().map(|p| p.default).collect(),
        }
    }

    /// Sets a parameter; `false` if the kind has no parameter of that name.
    pub fn set(&mut self, name: &str, value: f64) -> bool {
        match self.specs.iter().position(|p| p.name == name) {
            Some(i) => {
                self.values[i] = value;
                true
            }
            None => false,
        }
    }

    /// A parameter's value; an unknown name yields NaN. Models do not read this: they read
    /// their typed parameters, parsed once through a [`ParamReader`].
    pub fn get(&self, name: &str) -> f64 {
        self.specs
            .iter()
            .position(|p| p.name == name)
            .map_or(f64::NAN, |i| self.values[i])
    }

    /// A choice parameter's word.
    pub fn word(&self, name: &str) -> &'static str {
        self.specs
            .iter()
            .position(|p| p.name == name)
            .and_then(|i| match self.specs[i].unit {
                Unit::Choice(words) => words.get(self.values[i] as usize).copied(),
                _ => None,
            })
            .unwrap_or("")
    }

    /// The parameter specifications.
    pub fn specs(&self) -> &'static [ParamSpec] {
        self.specs
    }
}

/// Reads a kind's [`Params`] into its model's typed parameters, once, when a replication is
/// set up; remembers what was read so that a test can check that every declared parameter is
/// read by its model and that the model asks for no undeclared one.
#[derive(Debug)]
pub struct ParamReader<'a> {
    params: &'a Params,
    read: Cell<u64>,
    unknown: Cell<Option<&'static str>>,
}

impl<'a> ParamReader<'a> {
    /// A reader over `params`.
    pub fn new(params: &'a Params) -> Self {
        ParamReader {
            params,
            read: Cell::new(0),
            unknown: Cell::new(None),
        }
    }

    fn index(&self, name: &'static str) -> Option<usize> {
        let i = self.params.specs.iter().position(|p| p.name == name);
        match i {
            Some(i) => self.read.set(self.read.get() | 1 << i),
            None => self.unknown.set(Some(name)),
        }
        i
    }

    /// A number, in the stored unit (NaN, and noted, for an undeclared name).
    pub fn num(&self, name: &'static str) -> f64 {
        self.index(name).map_or(f64::NAN, |i| self.params.values[i])
    }

    /// A duration parameter as a [`sim_core::SimTime`].
    pub fn time(&self, name: &'static str) -> sim_core::SimTime {
        sim_core::SimTime::from_secs_f64(self.num(name))
    }

    /// A choice parameter's word (empty for an undeclared name).
    pub fn word(&self, name: &'static str) -> &'static str {
        self.index(name);
        self.params.word(name)
    }

    /// Declared parameters nobody read.
    pub fn unread(&self) -> Vec<&'static str> {
        let read = self.read.get();
        let specs = self.params.specs;
        (0..specs.len())
            .filter(|&i| read & (1 << i) == 0)
            .map(|i| specs[i].name)
            .collect()
    }

    /// A name read that the kind does not declare.
    pub fn unknown(&self) -> Option<&'static str> {
        self.unknown.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_entry_and_names_are_unique() {
        let mut names: Vec<&str> = ATTACKS.iter().map(|a| a.name).collect();
        names.extend(DEFENSES.iter().map(|d| d.name));
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "a kind word is used twice");
        assert_eq!(names.len(), ATTACKS.len() + DEFENSES.len());
    }

    #[test]
    fn defaults_are_in_range_and_every_parameter_has_a_source() {
        for (owner, specs) in ATTACKS
            .iter()
            .map(|a| (a.name, a.params))
            .chain(DEFENSES.iter().map(|d| (d.name, d.params)))
        {
            for p in specs {
                assert!(!p.source.is_empty(), "{owner}.{} has no source", p.name);
                let ok = match p.unit {
                    Unit::Probability => (0.0..=1.0).contains(&p.default),
                    Unit::Choice(words) => (p.default as usize) < words.len(),
                    Unit::SecondsOrNever => p.default >= 0.0,
                    _ => p.default >= 0.0 && p.default.is_finite(),
                };
                assert!(ok, "{owner}.{} default {} out of range", p.name, p.default);
                assert!(
                    p.admits(p.default).is_ok(),
                    "{owner}.{} default refused",
                    p.name
                );
            }
        }
    }

    #[test]
    fn params_read_back_what_was_set_and_words_resolve() {
        let info = defense(DefenseKind::Ids);
        let mut p = Params::defaults(info.params);
        assert_eq!(p.word("response"), "isolate");
        assert!(p.set("response", 3.0));
        assert_eq!(p.word("response"), "rotate_keys");
        assert!(!p.set("respnse", 1.0));
        assert_eq!(p.get("window"), 10.0);
        assert!(p.get("nothing").is_nan());
    }
}

#[cfg(test)]
mod layer_tests {
    use super::*;

    #[test]
    fn layer_sets_print_in_layer_order_and_answer_membership() {
        let l = Layers::NETWORK.union(Layers::SENSING);
        assert_eq!(l.to_string(), "sensing, network");
        assert!(l.contains(Layers::SENSING) && !l.contains(Layers::CLOUD));
        assert!(l.meets(Layers::NETWORK.union(Layers::CLOUD)));
        assert!(!l.meets(Layers::CLOUD));
        assert_eq!(Layers::CROSS.to_string(), "cross-layer");
        assert!(Layers::NONE.is_empty());
    }

    #[test]
    fn a_positive_parameter_refuses_zero_and_others_do_not() {
        let window = crate::catalogue::defense(DefenseKind::Ids)
            .params
            .iter()
            .find(|p| p.name == "window")
            .copied();
        let window = window.expect("the IDS declares a window");
        assert!(window.positive);
        assert_eq!(window.admits(0.0), Err("must be > 0".to_string()));
        assert_eq!(window.admits(10.0), Ok(()));
        let plain = param("x", Unit::Seconds, 1.0, "1s", "a duration", U);
        assert_eq!(plain.admits(0.0), Ok(()));
        assert!(plain.positive().admits(0.0).is_err());
    }

    #[test]
    fn a_bounded_parameter_refuses_what_exceeds_its_bound() {
        let channels = crate::catalogue::defense(DefenseKind::AdaptiveFrequencyHopping)
            .params
            .iter()
            .find(|p| p.name == "channels")
            .copied()
            .expect("adaptive hopping declares its channels");
        assert_eq!(channels.admits(37.0), Ok(()));
        assert_eq!(
            channels.admits(38.0),
            Err("must be at most 37 (the BLE data channels)".to_string())
        );
        assert_eq!(channels.admits(0.0), Err("must be > 0".to_string()));
    }

    #[test]
    fn a_reader_notes_what_was_read_and_what_was_not_declared() {
        let p = Params::defaults(crate::catalogue::defense(DefenseKind::Ids).params);
        let r = ParamReader::new(&p);
        assert_eq!(r.num("window"), 10.0);
        assert_eq!(r.word("response"), "isolate");
        assert!(r.unread().contains(&"detection_probability"));
        assert!(!r.unread().contains(&"window"));
        assert_eq!(r.unknown(), None);
        assert!(r.num("windw").is_nan());
        assert_eq!(r.unknown(), Some("windw"));
    }
}
