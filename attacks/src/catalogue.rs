//! The catalogue of attack and defense kinds: what each one is, which layer it strikes or
//! protects, its threat tags, and every parameter with its unit, default and source.
//!
//! This is data, written once: the scenario language checks attacks and defenses against it
//! (unknown parameters, units, ranges), `iomtsim catalog attacks|defenses` prints it, and
//! `docs/attack-defense-matrix.md` is generated from it and from [`crate::rules::RULES`].
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
            Unit::PerSecond => "rate".into(),
            Unit::Count => "count".into(),
            Unit::Bytes => "bytes".into(),
            Unit::Watts => "power".into(),
            Unit::Choice(words) => words.join(" | "),
        }
    }
}

/// One parameter of an attack or defense kind.
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
}

const fn param(
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

/// Every attack the simulator models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // each variant is documented by its catalogue entry
pub enum AttackKind {
    Eavesdrop,
    NodeCapture,
    Spoofing,
    Replay,
    DenialOfSleep,
    Jamming,
    Mitm,
    Flood,
    Sybil,
    Sinkhole,
    SelectiveForwarding,
    Wormhole,
    RoutingManipulation,
    CredentialTheft,
    Phishing,
    Intrusion,
    Insider,
    Ransomware,
    Exfiltration,
    DdosIngestion,
    LateralMovement,
    TherapyManipulation,
    TrafficAnalysis,
    RogueAccessPoint,
}

/// Every defense the simulator models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // each variant is documented by its catalogue entry
pub enum DefenseKind {
    LinkEncryption,
    MessageAuthentication,
    EndToEndEncryption,
    MutualAuthentication,
    Freshness,
    Ids,
    RateLimit,
    AccessControl,
    KeyRotation,
    FrequencyHopping,
    Isolation,
    Padding,
    HomomorphicEncryption,
    FederatedLearning,
    AuditLog,
}

/// A catalogue entry for an attack kind.
#[derive(Clone, Copy, Debug)]
pub struct AttackInfo {
    /// The kind.
    pub kind: AttackKind,
    /// Its `kind:` word in scenarios.
    pub name: &'static str,
    /// Layers it strikes (`sensing`, `network`, `cloud`, `cross-layer`).
    pub layer: &'static str,
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
    /// Whether it takes a `cipher:` from the cipher catalogue, and the default one.
    pub cipher: Option<&'static str>,
}

const U: &str = "[U] assumption, sweepable";

/// Every attack kind, in catalogue order (sensing, network, cloud, across layers).
pub const ATTACKS: &[AttackInfo] = &[
    AttackInfo {
        kind: AttackKind::Eavesdrop,
        name: "eavesdrop",
        layer: "sensing, network",
        stride: "Information disclosure",
        attack_id: "ICS T0887 Wireless Sniffing",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Links,
        moves: "records_exposed, packets_intercepted",
        about: "A passive listener captures each packet crossing a targeted link with a probability; a capture exposes the packet's records unless the payload is encrypted on that link or end to end.",
        params: &[param(
            "capture_probability",
            Unit::Probability,
            1.0,
            "1",
            "probability of capturing one packet (range, antenna, channel folded into one number)",
            "§D: an ICD's cleartext telemetry read with a USRP under $1000 (Halperin 2008); 1 = the attacker is in range",
        )],
    },
    AttackInfo {
        kind: AttackKind::NodeCapture,
        name: "node_capture",
        layer: "sensing",
        stride: "Tampering, Information disclosure",
        attack_id: "Enterprise T1552.004 Private Keys",
        precondition: Precondition::Physical,
        grants: Privilege::Root,
        requires: Privilege::None,
        targets: Targets::Nodes,
        moves: "compromised_nodes_max, time_to_first_compromise_s, records_exposed",
        about: "The attacker takes devices of the targeted groups and extracts their keys after an exponential time; from then on every packet on the captured nodes' links is readable to them, encrypted or not, until the next key rotation.",
        params: &[
            param(
                "time_to_extract",
                Unit::Seconds,
                259_200.0,
                "3d",
                "mean time to extract the keys of one captured device (exponential)",
                "§D: MSP430 BSL password brute-forced 'in a matter of days' (Tellez, WF-IoT 2016)",
            ),
            param(
                "devices",
                Unit::Count,
                1.0,
                "1",
                "devices captured (the first ones of the targeted groups)",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Spoofing,
        name: "spoofing",
        layer: "sensing",
        stride: "Spoofing",
        attack_id: "ICS T0856 Spoof Reporting Message",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Nodes,
        moves: "records_tampered_accepted, unsafe_commands_executed",
        about: "A radio near the targeted devices sends forged packets under their identity to their destinations; the first receiver that checks a MAC rejects them, otherwise they are accepted as readings (or carried out, if addressed to an actuator).",
        params: &[param(
            "rate",
            Unit::PerSecond,
            0.1,
            "0.1/s",
            "forged packets per second, over all targeted devices",
            U,
        )],
    },
    AttackInfo {
        kind: AttackKind::Replay,
        name: "replay",
        layer: "sensing",
        stride: "Spoofing, Tampering",
        attack_id: "ICS T0855 Unauthorized Command Message",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Links,
        moves: "records_tampered_accepted, unsafe_commands_executed",
        about: "The attacker records packets crossing the targeted links and sends each copy again after a delay; a valid MAC does not help, only a freshness check (counter, nonce, or a time window shorter than the delay) rejects it.",
        params: &[
            param(
                "record_probability",
                Unit::Probability,
                0.1,
                "0.1",
                "probability a packet crossing a targeted link is recorded for replay",
                U,
            ),
            param(
                "delay",
                Unit::Seconds,
                60.0,
                "60s",
                "time from recording to replay",
                "§D: replayed ICD commands (Halperin 2008); delay [U]",
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::DenialOfSleep,
        name: "denial_of_sleep",
        layer: "sensing",
        stride: "Denial of service",
        attack_id: "Enterprise T1499 Endpoint Denial of Service",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Nodes,
        moves: "battery_deaths, first_battery_death_s, sensor_energy_j, monitoring_hours_lost",
        about: "Wake-up frames keep the targeted devices' radios in receive for a share of the time: energy = forced_awake × rx_power × time, booked as radio RX; when wake-ups must be authenticated only `authenticated_awake` of that remains (the frame is received, then rejected).",
        params: &[
            param(
                "forced_awake",
                Unit::Probability,
                1.0,
                "1",
                "share of time the victim's radio is kept in receive",
                "§D: on S-MAC an attacker keeps victims awake 100 % (Raymond et al., IEEE TVT 2009)",
            ),
            param(
                "rx_power",
                Unit::Watts,
                0.018_78,
                "18.78mW",
                "power of the victim's radio in receive",
                "§C: 6.26 mA in RX at 3 V (drains a 225 mAh cell in about 36 h)",
            ),
            param(
                "authenticated_awake",
                Unit::Probability,
                0.1,
                "0.1",
                "share of the forced awake time left when wake-ups are authenticated",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Jamming,
        name: "jamming",
        layer: "sensing, network",
        stride: "Denial of service",
        attack_id: "Mobile T1464 Network Denial of Service",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Links,
        moves: "lost_attack, deadline_misses, monitoring_hours_lost",
        about: "Each frame on a targeted link is destroyed with probability duty_cycle × success_probability (constant: duty 1; random: duty < 1; reactive: jams what it hears). Frequency hopping divides a constant or random jammer's reach by the channel count; a reactive jammer follows the hops.",
        params: &[
            param(
                "mode",
                Unit::Choice(&["constant", "random", "reactive"]),
                0.0,
                "constant",
                "constant, random (on for duty_cycle of the time) or reactive (jams frames it senses)",
                "§D: power, duty cycle, reactive or constant (Del-Valle-Soto, Sensors 2025)",
            ),
            param(
                "duty_cycle",
                Unit::Probability,
                1.0,
                "1",
                "share of frames the jammer overlaps",
                U,
            ),
            param(
                "success_probability",
                Unit::Probability,
                1.0,
                "1",
                "probability an overlapped frame is destroyed (jamming power against signal)",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Mitm,
        name: "mitm",
        layer: "network",
        stride: "Tampering, Information disclosure",
        attack_id: "Enterprise T1557 Adversary-in-the-Middle",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::Admin,
        targets: Targets::Links,
        moves: "records_tampered_accepted, records_exposed, unsafe_commands_executed",
        about: "An attacker on the targeted links (or, with `after:`, on the nodes it compromised) intercepts packets and alters some: a link MAC rejects alterations made on the link, only end-to-end protection rejects those made on a compromised node.",
        params: &[
            param(
                "interception_probability",
                Unit::Probability,
                1.0,
                "1",
                "probability a packet passes through the attacker",
                "§D: WUSTL-EHMS-2020 MITM spoofing and alteration testbed (Hady 2020)",
            ),
            param(
                "modification_probability",
                Unit::Probability,
                0.1,
                "0.1",
                "probability an intercepted packet is altered",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Flood,
        name: "flood",
        layer: "network",
        stride: "Denial of service",
        attack_id: "Enterprise T1498 Network Denial of Service",
        precondition: Precondition::Network,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::NodesFrom,
        moves: "lost_buffer, latency_ms, deadline_misses, monitoring_hours_lost",
        about: "Bots at the `from` group send Poisson attack traffic to the targeted nodes through the same links and queues as real traffic; rate limiting at the target drops what exceeds its per-sender rate.",
        params: &[
            param(
                "rate",
                Unit::PerSecond,
                1000.0,
                "1000/s",
                "attack packets per second, over all bots",
                "§D: CICIoMT2024 DoS/DDoS classes (Dadkhah 2024); rate [U]",
            ),
            param(
                "size",
                Unit::Bytes,
                512.0,
                "512B",
                "size of one attack packet",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Sybil,
        name: "sybil",
        layer: "network",
        stride: "Spoofing",
        attack_id: "Enterprise T1036 Masquerading",
        precondition: Precondition::Foothold,
        grants: Privilege::None,
        requires: Privilege::Admin,
        targets: Targets::NodesFrom,
        moves: "records_tampered_accepted",
        about: "A compromised node (`from`, or `after:`) claims many identities of the targeted groups and sends readings under each; it holds valid link keys, so only per-device authentication (mutual authentication, end-to-end MAC) rejects them.",
        params: &[
            param(
                "identities",
                Unit::Count,
                10.0,
                "10",
                "forged identities",
                "§D: Sybil named as a BAN routing threat, no figures; [U]",
            ),
            param(
                "rate",
                Unit::PerSecond,
                0.1,
                "0.1/s",
                "readings per second per identity",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Sinkhole,
        name: "sinkhole",
        layer: "network",
        stride: "Tampering, Denial of service",
        attack_id: "ICS T0830 Adversary-in-the-Middle",
        precondition: Precondition::Foothold,
        grants: Privilege::None,
        requires: Privilege::Admin,
        targets: Targets::Nodes,
        moves: "lost_attack, records_exposed, monitoring_hours_lost",
        about: "A compromised node advertises a false low cost on its links, attracting routes, then drops transit packets with a probability and reads the rest unless end-to-end encrypted. Authenticated routing (mutual authentication) refuses the false advertisement.",
        params: &[param(
            "drop_probability",
            Unit::Probability,
            1.0,
            "1",
            "probability an attracted packet is dropped",
            "§D: no figures; use 0.5–1.0 as a sweep range [U]",
        )],
    },
    AttackInfo {
        kind: AttackKind::SelectiveForwarding,
        name: "selective_forwarding",
        layer: "network",
        stride: "Denial of service",
        attack_id: "ICS T0803 Block Command Message",
        precondition: Precondition::Foothold,
        grants: Privilege::None,
        requires: Privilege::Admin,
        targets: Targets::Nodes,
        moves: "lost_attack, deadline_misses, monitoring_hours_lost",
        about: "A compromised relay silently drops packets it should forward, each with a probability (packets it originates itself pass).",
        params: &[param(
            "drop_probability",
            Unit::Probability,
            0.5,
            "0.5",
            "probability a transit packet is dropped",
            "§D: no figures; use 0.5–1.0 as a sweep range [U]",
        )],
    },
    AttackInfo {
        kind: AttackKind::Wormhole,
        name: "wormhole",
        layer: "network",
        stride: "Tampering, Information disclosure",
        attack_id: "ICS T0830 Adversary-in-the-Middle",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::NodePair,
        moves: "records_exposed, lost_attack, latency_ms",
        about: "Two colluding radios near the first nodes of two groups tunnel packets between them, a shortcut routing takes while the attack lasts; tunnelled packets are read unless encrypted and dropped with a probability.",
        params: &[
            param(
                "tunnel_latency",
                Unit::Seconds,
                0.001,
                "1ms",
                "one-way latency of the tunnel",
                "§D: tunnel latency named as a parameter; value [U]",
            ),
            param(
                "drop_probability",
                Unit::Probability,
                0.0,
                "0",
                "probability a tunnelled packet is dropped",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::RoutingManipulation,
        name: "routing_manipulation",
        layer: "network",
        stride: "Tampering, Denial of service",
        attack_id: "ICS T0856 Spoof Reporting Message",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Links,
        moves: "latency_ms, lost_no_route, monitoring_hours_lost",
        about: "Forged routing messages declare the targeted links broken: routes avoid them while the attack lasts (longer paths, or none). Authenticated routing (mutual authentication) refuses the forged messages.",
        params: &[],
    },
    AttackInfo {
        kind: AttackKind::CredentialTheft,
        name: "credential_theft",
        layer: "cloud",
        stride: "Spoofing, Elevation of privilege",
        attack_id: "Enterprise T1078 Valid Accounts",
        precondition: Precondition::Network,
        grants: Privilege::User,
        requires: Privilege::None,
        targets: Targets::Nodes,
        moves: "compromised_nodes_max, time_to_first_compromise_s",
        about: "Login attempts on the targeted services at a rate, each succeeding with a probability (multiplied by the MFA factor under access control with MFA); a success is a user-level foothold on one targeted node.",
        params: &[
            param(
                "attempt_rate",
                Unit::PerSecond,
                1.0 / 3600.0,
                "1/h",
                "login attempts per second",
                U,
            ),
            param(
                "success_probability",
                Unit::Probability,
                0.05,
                "0.05",
                "probability one attempt succeeds (reused or weak passwords)",
                "§D: credential theft, success probability named; value [U]",
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Phishing,
        name: "phishing",
        layer: "cloud",
        stride: "Spoofing",
        attack_id: "Enterprise T1566 Phishing",
        precondition: Precondition::Network,
        grants: Privilege::User,
        requires: Privilege::None,
        targets: Targets::Nodes,
        moves: "compromised_nodes_max, time_to_first_compromise_s",
        about: "Phishing e-mails reach staff at a rate; each is clicked with a probability and yields credentials (times the MFA factor) to the targeted services: a user-level foothold.",
        params: &[
            param(
                "email_rate",
                Unit::PerSecond,
                1.0 / 86_400.0,
                "1/d",
                "phishing e-mails reaching staff per second",
                U,
            ),
            param(
                "click_probability",
                Unit::Probability,
                0.1,
                "0.1",
                "probability an e-mail yields credentials",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Intrusion,
        name: "intrusion",
        layer: "cloud",
        stride: "Tampering, Elevation of privilege",
        attack_id: "Enterprise T1190 Exploit Public-Facing Application",
        precondition: Precondition::Network,
        grants: Privilege::Admin,
        requires: Privilege::None,
        targets: Targets::Nodes,
        moves: "compromised_nodes_max, time_to_first_compromise_s, records_tampered_accepted",
        about: "Injection attempts against the targeted services at a rate, each finding a vulnerability with a probability; a success is an admin-level foothold from which stored records are altered at a rate until detected.",
        params: &[
            param(
                "attempt_rate",
                Unit::PerSecond,
                1.0 / 3600.0,
                "1/h",
                "injection attempts per second",
                U,
            ),
            param(
                "vulnerability_probability",
                Unit::Probability,
                0.01,
                "0.01",
                "probability one attempt finds an exploitable flaw",
                "§D: web/SQL injection; basic web attacks, errors and intrusion = 76 % of healthcare breaches (DBIR 2022); value [U]",
            ),
            param(
                "tamper_rate",
                Unit::PerSecond,
                1.0 / 60.0,
                "1/min",
                "stored records altered per second once in",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Insider,
        name: "insider",
        layer: "cloud",
        stride: "Information disclosure",
        attack_id: "Enterprise T1078 Valid Accounts (misuse)",
        precondition: Precondition::Account,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Nodes,
        moves: "records_exposed, breach_cost_usd",
        about: "A member of staff with a legitimate account misuses it in incidents at a rate, each exposing a number of records (scaled by access control's least-privilege scope); an audit log reveals each incident after its commit latency and ends the misuse.",
        params: &[
            param(
                "incident_rate",
                Unit::PerSecond,
                1.0 / 604_800.0,
                "1/w",
                "misuse incidents per second",
                "§D: internal actors caused 70 % of healthcare breaches (DBIR 2024); rate [U]",
            ),
            param(
                "records_per_incident",
                Unit::Count,
                4209.0,
                "4209",
                "records exposed by one incident",
                "§F: median US healthcare breach, 4,209 records (HIPAA Journal, Jan–Jul 2023)",
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Ransomware,
        name: "ransomware",
        layer: "cloud",
        stride: "Denial of service, Tampering",
        attack_id: "Enterprise T1486 Data Encrypted for Impact",
        precondition: Precondition::Network,
        grants: Privilege::Admin,
        requires: Privilege::User,
        targets: Targets::Nodes,
        moves: "compromised_nodes_max, infected_hosts, lost_unavailable, monitoring_hours_lost",
        about: "SI propagation over the targeted hosts, all in contact: each infected host infects each susceptible (unpatched) one at rate β, so I(t) = N / (1 + (N/I₀ − 1)·e^(−βNt)) over the N unpatched; an infected host is encrypted, and unavailable, after a delay. Segmentation confines contacts to a group; an IDS isolates what it detects.",
        params: &[
            param(
                "infection_rate",
                Unit::PerSecond,
                1e-4,
                "0.0001/s",
                "β: infections per second per infected–susceptible pair",
                U,
            ),
            param(
                "unpatched_fraction",
                Unit::Probability,
                0.34,
                "0.34",
                "share of hosts that can be infected",
                "§D: WannaCry 2017, 81 of 236 NHS trusts affected (34 %), NAO report",
            ),
            param(
                "initial_infected",
                Unit::Count,
                1.0,
                "1",
                "hosts infected at the start (with `after:`, the foothold instead)",
                U,
            ),
            param(
                "encrypt_delay",
                Unit::Seconds,
                600.0,
                "10min",
                "time from infection to encryption (the host becomes unavailable)",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::Exfiltration,
        name: "exfiltration",
        layer: "cloud",
        stride: "Information disclosure",
        attack_id: "Enterprise T1041 Exfiltration Over C2 Channel",
        precondition: Precondition::Foothold,
        grants: Privilege::None,
        requires: Privilege::User,
        targets: Targets::Nodes,
        moves: "records_exposed, breach_cost_usd",
        about: "From each foothold on a targeted node, records leave at a rate until an IDS detects it or the node is isolated. Homomorphic encryption leaves only ciphertext to take; federated learning leaves no raw records in the cloud.",
        params: &[param(
            "records_rate",
            Unit::PerSecond,
            1.0,
            "1/s",
            "records taken per second from one foothold",
            "§F: breaches of 2,100–113,000 records (2024); rate [U]",
        )],
    },
    AttackInfo {
        kind: AttackKind::DdosIngestion,
        name: "ddos_ingestion",
        layer: "cloud",
        stride: "Denial of service",
        attack_id: "Enterprise T1498 Network Denial of Service",
        precondition: Precondition::Network,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::NodesFrom,
        moves: "lost_buffer, latency_ms, deadline_misses, monitoring_hours_lost",
        about: "A flood aimed at the cloud's ingestion service: the flood model with a botnet's default rate.",
        params: &[
            param(
                "rate",
                Unit::PerSecond,
                10_000.0,
                "10000/s",
                "attack packets per second, over all bots",
                "§D: CICIoMT2024 DDoS classes (Dadkhah 2024); rate [U]",
            ),
            param(
                "size",
                Unit::Bytes,
                512.0,
                "512B",
                "size of one attack packet",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::LateralMovement,
        name: "lateral_movement",
        layer: "cross-layer",
        stride: "Elevation of privilege",
        attack_id: "Enterprise T1210 Exploitation of Remote Services",
        precondition: Precondition::Foothold,
        grants: Privilege::User,
        requires: Privilege::User,
        targets: Targets::Nodes,
        moves: "compromised_nodes_max, time_to_first_compromise_s",
        about: "From the foothold, the attacker tries each neighbour in the topology after an exponential time and takes it with a probability, moving towards the targeted groups; segmentation stops it at a segment's edge.",
        params: &[
            param(
                "hop_time",
                Unit::Seconds,
                3600.0,
                "1h",
                "mean time to try one neighbour",
                U,
            ),
            param(
                "hop_success_probability",
                Unit::Probability,
                0.5,
                "0.5",
                "probability one try succeeds",
                U,
            ),
        ],
    },
    AttackInfo {
        kind: AttackKind::TherapyManipulation,
        name: "therapy_manipulation",
        layer: "cross-layer",
        stride: "Tampering, Elevation of privilege",
        attack_id: "ICS T0831 Manipulation of Control",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Nodes,
        moves: "unsafe_commands_executed",
        about: "Forged commands reach the targeted actuators (pumps, implants) at a rate; an actuator carries one out unless it authenticates its commands (a MAC on its link, end-to-end protection, or mutual authentication).",
        params: &[param(
            "rate",
            Unit::PerSecond,
            1.0 / 3600.0,
            "1/h",
            "forged commands per second, over all targeted actuators",
            "§D: replayed ICD commands changed therapies (Halperin 2008); insulin pump (Radcliffe 2011); rate [U]",
        )],
    },
    AttackInfo {
        kind: AttackKind::TrafficAnalysis,
        name: "traffic_analysis",
        layer: "cross-layer",
        stride: "Information disclosure",
        attack_id: "Enterprise T1040 Network Sniffing",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Links,
        moves: "events_inferred",
        about: "An observer of the targeted links learns clinical events (alarms, commands to actuators) from packet sizes and timing with an accuracy, whatever the encryption; padding with cover traffic leaves it nothing.",
        params: &[param(
            "accuracy",
            Unit::Probability,
            0.9,
            "0.9",
            "probability an observed alarm or command is recognised",
            U,
        )],
    },
    AttackInfo {
        kind: AttackKind::RogueAccessPoint,
        name: "rogue_access_point",
        layer: "cross-layer",
        stride: "Spoofing, Information disclosure",
        attack_id: "Mobile T1465 Rogue Wi-Fi Access Points",
        precondition: Precondition::Proximity,
        grants: Privilege::None,
        requires: Privilege::None,
        targets: Targets::Links,
        moves: "records_exposed, records_tampered_accepted",
        about: "Each targeted link's sender associates with the attacker's access point with a probability; the rogue AP ends the link's encryption, so it reads everything and alters some, unless protection is end to end. Mutual authentication refuses the association.",
        params: &[
            param(
                "association_probability",
                Unit::Probability,
                0.3,
                "0.3",
                "probability a device associates with the rogue AP",
                U,
            ),
            param(
                "modification_probability",
                Unit::Probability,
                0.0,
                "0",
                "probability a relayed packet is altered",
                U,
            ),
        ],
    },
];

/// Every defense kind, in catalogue order.
pub const DEFENSES: &[DefenseInfo] = &[
    DefenseInfo {
        kind: DefenseKind::LinkEncryption,
        name: "link_encryption",
        targets: Targets::Links,
        cost: "cipher cycles per byte at both ends (crypto energy, delay) + nonce and tag bytes",
        about: "Authenticated encryption on each targeted link (802.15.6 level 2, BLE Secure Connections, WPA2/3). With a MAC-only cipher it authenticates without hiding.",
        params: &[],
        cipher: Some("aes128_ctr_hmac_sha256"),
    },
    DefenseInfo {
        kind: DefenseKind::MessageAuthentication,
        name: "message_authentication",
        targets: Targets::Links,
        cost: "MAC cycles per byte at both ends + tag bytes",
        about: "A MAC on every packet of the targeted links: altered and forged frames fail the receiver's check; the payload stays readable.",
        params: &[],
        cipher: Some("hmac_sha256"),
    },
    DefenseInfo {
        kind: DefenseKind::EndToEndEncryption,
        name: "end_to_end_encryption",
        targets: Targets::Nodes,
        cost: "cipher cycles at the source and the destination only; nonce and tag bytes on every hop",
        about: "Authenticated encryption from the targeted groups' devices to their destinations: compromised relays, rogue access points and cloud-side interception see ciphertext and cannot alter undetected.",
        params: &[],
        cipher: Some("aes128_ctr_hmac_sha256"),
    },
    DefenseInfo {
        kind: DefenseKind::MutualAuthentication,
        name: "mutual_authentication",
        targets: Targets::Nodes,
        cost: "one key agreement per device at start and per key rotation (cycles and handshake bytes at the device and its neighbour); ECG keys wait beats × heart period",
        about: "Devices and their network authenticate each other and agree keys (ECDH, or a biometric key from ECG inter-pulse intervals): forged identities, rogue access points, false routing advertisements and unauthenticated wake-ups are refused once the key exists.",
        params: &[
            param(
                "method",
                Unit::Choice(&["ecdh", "ecg_ipi"]),
                0.0,
                "ecdh",
                "ECDH key agreement (priced with `cipher`) or ECG inter-pulse-interval keys",
                "§E",
            ),
            param(
                "handshake_bytes",
                Unit::Bytes,
                193.0,
                "193B",
                "bytes exchanged per handshake",
                "§E: NAHAP, 193 B of messages (IEEE CE Mag. 2023)",
            ),
            param(
                "beats",
                Unit::Count,
                32.0,
                "32",
                "ECG beats needed for a 128-bit key (4 entropic bits per IPI)",
                "§E: 32 beats at 4 bits/IPI (Ortiz-Martin 2018); 8 in the fast variant",
            ),
            param(
                "heart_rate",
                Unit::PerSecond,
                1.25,
                "75/min",
                "the wearer's heart rate",
                "§E: 75 bpm (60–100)",
            ),
            param(
                "ipi_time",
                Unit::Seconds,
                0.023,
                "23ms",
                "CPU time to encode an ECG key on the device",
                "§E: 23 ms (Zhang, Poon & Zhang, IEEE TITB 2012)",
            ),
        ],
        cipher: Some("x25519"),
    },
    DefenseInfo {
        kind: DefenseKind::Freshness,
        name: "freshness",
        targets: Targets::Nodes,
        cost: "bytes per packet on every hop (counter 4 B, nonce 8 B, timestamp 8 B)",
        about: "Destinations of the targeted groups' traffic check a counter, a nonce or a timestamp: a replayed copy is rejected (with a timestamp, only if older than the window).",
        params: &[
            param(
                "scheme",
                Unit::Choice(&["counter", "nonce", "timestamp"]),
                0.0,
                "counter",
                "what the receiver checks",
                "§D: freshness window named as the replay parameter",
            ),
            param(
                "window",
                Unit::Seconds,
                30.0,
                "30s",
                "accepted age of a timestamp",
                U,
            ),
        ],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::Ids,
        name: "ids",
        targets: Targets::Nodes,
        cost: "false alarms; detection delay during which the attack acts",
        about: "An intrusion detection system on the targeted groups watches the attacks of its layers (on a network-layer group: sensing and network attacks; on a cloud group: cloud attacks; cross-layer attacks from either). Each window of an active attack it detects with a probability (mean time to detect = window / p); each window each watched node raises a false alarm with the false-positive rate. After a delay it responds.",
        params: &[
            param(
                "detection_probability",
                Unit::Probability,
                0.95,
                "0.95",
                "probability of detecting an active attack in one window",
                "§E: detection 0.95–0.99 [U, recommended defaults]",
            ),
            param(
                "false_positive_rate",
                Unit::Probability,
                0.001,
                "0.001",
                "probability a watched node raises a false alarm in one window",
                "§E: FPR 0.1–1 % [U]",
            ),
            param(
                "window",
                Unit::Seconds,
                10.0,
                "10s",
                "flow window: detection delay granularity",
                "§E: one flow window (seconds) [U]",
            ),
            param(
                "response",
                Unit::Choice(&["none", "isolate", "block", "rotate_keys", "reimage"]),
                1.0,
                "isolate",
                "what follows a detection",
                "§E",
            ),
            param(
                "response_delay",
                Unit::Seconds,
                60.0,
                "60s",
                "time from detection to response",
                U,
            ),
            param(
                "reimage_time",
                Unit::Seconds,
                14_400.0,
                "4h",
                "time to bring a reimaged host back",
                U,
            ),
        ],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::RateLimit,
        name: "rate_limit",
        targets: Targets::Nodes,
        cost: "own packets above the limit are dropped too",
        about: "A token bucket per sending node at the targeted nodes' ingress (firewall): packets beyond `rate` (burst `burst`) are rejected before they reach the queue.",
        params: &[
            param(
                "rate",
                Unit::PerSecond,
                100.0,
                "100/s",
                "packets per second allowed per sender",
                U,
            ),
            param("burst", Unit::Count, 200.0, "200", "bucket depth", U),
        ],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::AccessControl,
        name: "access_control",
        targets: Targets::Nodes,
        cost: "none in the engine (login friction is not modelled)",
        about: "Passwords alone (mfa: 0) are the weak baseline; multi-factor authentication multiplies credential theft's and phishing's success by `mfa_factor`; least privilege scales an insider's records per incident by `scope`.",
        params: &[
            param(
                "mfa",
                Unit::Choice(&["no", "yes"]),
                1.0,
                "yes",
                "whether a second factor is required",
                "§E: no quantitative effect in the reviews; modelled as a multiplier",
            ),
            param(
                "mfa_factor",
                Unit::Probability,
                0.001,
                "0.001",
                "factor on a stolen credential's success when MFA is on",
                "[U] Microsoft Security (2019): MFA blocks 99.9 % of automated account attacks",
            ),
            param(
                "scope",
                Unit::Probability,
                1.0,
                "1",
                "share of records an insider can reach (least privilege)",
                U,
            ),
        ],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::KeyRotation,
        name: "key_rotation",
        targets: Targets::Nodes,
        cost: "a new key agreement per device per period where mutual authentication runs",
        about: "Keys of the targeted groups are replaced every period: what a key extracted by node capture exposes ends at the next rotation.",
        params: &[param(
            "period",
            Unit::Seconds,
            86_400.0,
            "1d",
            "time between rotations",
            U,
        )],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::FrequencyHopping,
        name: "frequency_hopping",
        targets: Targets::Links,
        cost: "bytes per packet for hop synchronisation",
        about: "The targeted links hop over `channels`: a constant or random jammer on one channel reaches 1/channels of the frames; a reactive jammer follows.",
        params: &[
            param(
                "channels",
                Unit::Count,
                37.0,
                "37",
                "channels hopped over",
                "Bluetooth Core spec: 37 BLE data channels",
            ),
            param(
                "overhead",
                Unit::Bytes,
                2.0,
                "2B",
                "bytes per packet for hop synchronisation",
                U,
            ),
        ],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::Isolation,
        name: "isolation",
        targets: Targets::Nodes,
        cost: "none in the engine (traffic still flows through the segment's firewall)",
        about: "Each targeted group is its own network segment: lateral movement and ransomware contacts do not cross its edge.",
        params: &[],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::Padding,
        name: "padding",
        targets: Targets::Nodes,
        cost: "bytes: every packet padded to `pad_to`; cover packets at `cover_rate` per device",
        about: "The targeted groups' packets are padded to one size and, with cover_rate > 0, mixed with cover packets: an observer cannot tell an alarm or a command from routine traffic. Padding alone hides sizes but not an alarm's timing.",
        params: &[
            param(
                "pad_to",
                Unit::Bytes,
                256.0,
                "256B",
                "size every packet is padded to",
                U,
            ),
            param(
                "cover_rate",
                Unit::PerSecond,
                0.1,
                "0.1/s",
                "cover packets per second per device",
                U,
            ),
        ],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::HomomorphicEncryption,
        name: "homomorphic_encryption",
        targets: Targets::Nodes,
        cost: "service time at the targeted groups multiplied by `compute_factor`",
        about: "Cloud analytics on the targeted groups run on ciphertext: a breach there (exfiltration, intrusion, insider, ransomware) exposes no records, at a compute cost.",
        params: &[param(
            "compute_factor",
            Unit::Factor,
            100.0,
            "100",
            "multiplier on the service time",
            U,
        )],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::FederatedLearning,
        name: "federated_learning",
        targets: Targets::Nodes,
        cost: "model updates from each targeted (fog) node to the cloud: `update_size` every `update_interval`",
        about: "Raw records stay at the targeted fog groups (streams bound for the cloud end there); only model updates cross the WAN, so a cloud breach or a WAN eavesdropper exposes no records.",
        params: &[
            param(
                "update_interval",
                Unit::Seconds,
                3600.0,
                "1h",
                "time between model updates of one fog node",
                U,
            ),
            param(
                "update_size",
                Unit::Bytes,
                100_000.0,
                "100kB",
                "size of one model update",
                U,
            ),
        ],
        cipher: None,
    },
    DefenseInfo {
        kind: DefenseKind::AuditLog,
        name: "audit_log",
        targets: Targets::Nodes,
        cost: "a ledger commit per record written to the targeted groups: `write_latency` plus queueing at `throughput`",
        about: "A blockchain-backed audit log (Hyperledger Fabric) of the targeted EHR groups: tampering with stored records and insider misuse become detectable once the entry is committed.",
        params: &[
            param(
                "write_latency",
                Unit::Seconds,
                10.0,
                "10s",
                "commit latency of one write",
                "§E: Fabric, 3 peers: writes at ~10 s latency",
            ),
            param(
                "throughput",
                Unit::PerSecond,
                100.0,
                "100/s",
                "writes committed per second",
                "§E: Fabric, 3 peers: ~100 tps",
            ),
        ],
        cipher: None,
    },
];

/// The catalogue entry of an attack kind.
pub fn attack(kind: AttackKind) -> &'static AttackInfo {
    ATTACKS
        .iter()
        .find(|a| a.kind == kind)
        .expect("every attack kind has a catalogue entry (tested)")
}

/// The catalogue entry of a defense kind.
pub fn defense(kind: DefenseKind) -> &'static DefenseInfo {
    DEFENSES
        .iter()
        .find(|d| d.kind == kind)
        .expect("every defense kind has a catalogue entry (tested)")
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

    /// A parameter's value. Models ask only for their own parameters, which the catalogue test
    /// checks exist; an unknown name yields NaN (never a panic at run time).
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
        assert_eq!(ATTACKS.len(), 24);
        assert_eq!(DEFENSES.len(), 15);
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
                    _ => p.default >= 0.0 && p.default.is_finite(),
                };
                assert!(ok, "{owner}.{} default {} out of range", p.name, p.default);
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
