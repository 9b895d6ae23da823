//! Jammers standing in the scenario (the top-level `jammers:` section), checked and turned into
//! the engine's jammer sites.

use super::*;

/// A jammer standing in the scenario (see `sim_core::topology::JammerSite`).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RawJammer {
    /// Name, unique among the jammers (names its random stream).
    pub name: String,
    /// The radio technology whose channels it covers (`ieee802154`, `ble_1m`, …).
    pub radio: String,
    /// Where it stands, `[x, y]` or `[x, y, z]`, m.
    pub position: Vec<f64>,
    /// Transmit power, dBm (−60 to +40).
    pub power_dbm: f64,
    /// Channels it covers (default `[0]`).
    pub channels: Option<Vec<u32>>,
    /// `constant` (default), `random`, `reactive` or `deceptive`.
    pub kind: Option<String>,
    /// Random: jamming periods (`200ms`, a distribution); default 200 ms.
    pub on: Option<Text>,
    /// Random: silent periods; default `uniform(0ms, 1ms)`.
    pub off: Option<Text>,
    /// Reactive: sensing-to-jamming delay; default 0.
    pub delay: Option<Text>,
    /// Reactive: burst length; default 500 µs.
    pub burst: Option<Text>,
    /// Reactive: probability of reacting to a frame; default 1.
    pub probability: Option<f64>,
    /// Path loss from the jammer to receivers (default the technology's).
    pub path_loss: Option<RawPathLoss>,
}

/// The scenario's jammers, checked.
pub(crate) fn check_jammers(p: &mut Problems, raw: &RawScenario) -> Vec<JammerSite> {
    let tech_names: Vec<&str> = TECHNOLOGIES.iter().map(|t| t.name).collect();
    let mut out = Vec::new();
    for (i, j) in raw.jammers.iter().enumerate() {
        let path = format!("jammers[{i}]");
        if raw.jammers[..i].iter().any(|o| o.name == j.name) {
            p.add(
                format!("{path}.name"),
                format!("the jammer name `{}` is used twice", j.name),
            );
        }
        let Some(t) = technology::technology(&j.radio) else {
            p.add(
                format!("{path}.radio"),
                format!(
                    "no radio technology `{}`{}",
                    j.radio,
                    suggest(&j.radio, &tech_names)
                ),
            );
            continue;
        };
        let position = point(p, &format!("{path}.position"), &j.position);
        if !(j.power_dbm.is_finite() && (-60.0..=40.0).contains(&j.power_dbm)) {
            p.add(
                format!("{path}.power_dbm"),
                format!(
                    "a jammer transmits at −60 to +40 dBm (1 nW to 10 W), found {}",
                    j.power_dbm
                ),
            );
        }
        let mut channels = 0u64;
        for (k, &c) in j.channels.as_deref().unwrap_or(&[0]).iter().enumerate() {
            if c >= t.channels || c >= 64 {
                p.add(
                    format!("{path}.channels[{k}]"),
                    format!(
                        "`{}` has channels 0 to {}; found {c}",
                        t.name,
                        t.channels - 1
                    ),
                );
            } else {
                channels |= 1 << c;
            }
        }
        let time = |p: &mut Problems, field: &str, v: &Option<Text>, default: &str| {
            let text = v.as_ref().map_or(default, |t| t.0.as_str());
            p.unit(&format!("{path}.{field}"), quantity::time_dist(text))
        };
        let kind = match j.kind.as_deref().unwrap_or("constant") {
            "constant" => Some(JammerKind::Constant),
            "deceptive" => Some(JammerKind::Deceptive),
            "random" => match (
                time(p, "on", &j.on, "200ms"),
                time(p, "off", &j.off, "uniform(0ms, 1ms)"),
            ) {
                (Some(on), Some(off)) => Some(JammerKind::Random { on, off }),
                _ => None,
            },
            "reactive" => {
                let probability = j.probability.unwrap_or(1.0);
                if !(0.0..=1.0).contains(&probability) {
                    p.add(
                        format!("{path}.probability"),
                        format!("a probability must lie in [0, 1], found {probability}"),
                    );
                }
                let fixed = |p: &mut Problems, field: &str, v: &Option<Text>, d: &str| {
                    time(p, field, v, d).map(|d: Dist| SimTime::from_secs_f64(d.mean()))
                };
                match (
                    fixed(p, "delay", &j.delay, "0ms"),
                    fixed(p, "burst", &j.burst, "500us"),
                ) {
                    (Some(delay), Some(burst)) => Some(JammerKind::Reactive {
                        delay,
                        burst,
                        probability,
                    }),
                    _ => None,
                }
            }
            other => {
                p.add(
                    format!("{path}.kind"),
                    format!(
                        "no jammer kind `{other}`{}",
                        suggest(other, &["constant", "random", "reactive", "deceptive"])
                    ),
                );
                None
            }
        };
        let path_loss = match &j.path_loss {
            Some(r) => check_path_loss(p, &format!("{path}.path_loss"), t, 0, r),
            None => Some(t.path_loss),
        };
        if let (Some(position), Some(kind), Some(path_loss)) = (position, kind, path_loss) {
            out.push(JammerSite {
                name: j.name.clone(),
                technology: t,
                jammer: Jammer {
                    position,
                    power: Dbm(j.power_dbm),
                    channels,
                    kind,
                },
                path_loss,
            });
        }
    }
    out
}
