//! `iomtsim catalog`: the built-in profiles as readable tables, each with its source, and the
//! attack and defense kinds with their parameters.

use crate::Catalogue;
use attacks::catalogue::{ATTACKS, DEFENSES, ParamSpec};
use scenarios::catalogue::{CIPHERS, DEVICES, LINKS};
use serde_json::{Value, json};
use sim_core::power_profile::ListenSchedule;
use std::fmt::Write as _;
use std::io::Write as _;

fn si(x: f64, unit: &str) -> String {
    let (v, p) = match x.abs() {
        0.0 => (x, ""),
        a if a >= 1e9 => (x / 1e9, "G"),
        a if a >= 1e6 => (x / 1e6, "M"),
        a if a >= 1e3 => (x / 1e3, "k"),
        a if a >= 1.0 => (x, ""),
        a if a >= 1e-3 => (x * 1e3, "m"),
        a if a >= 1e-6 => (x * 1e6, "µ"),
        _ => (x * 1e9, "n"),
    };
    format!("{v:.3}{p}{unit}")
}

/// `writeln!` into a `String`, which cannot fail.
macro_rules! out {
    ($o:expr, $($arg:tt)*) => {
        let _ = writeln!($o, $($arg)*);
    };
}

/// Prints one catalogue. A closed pipe (`iomtsim catalog attacks | head`) ends the output
/// quietly.
pub fn print(what: Catalogue) {
    let mut text = String::new();
    write(&mut text, what);
    print_text(&text);
}

/// Writes `text` to standard output, ignoring a closed pipe (`| head`).
pub fn print_text(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn write(o: &mut String, what: Catalogue) {
    match what {
        Catalogue::Devices => {
            for d in DEVICES {
                let battery = d.battery_j.map_or("mains".into(), |j| si(j, "J"));
                let station = d.station.map_or("forwards at once".into(), |s| {
                    let buffer = s.buffer.map_or("unbounded".into(), |b| b.to_string());
                    format!(
                        "{} server(s), service {}, buffer {buffer}",
                        s.servers, s.service
                    )
                });
                out!(o, "{:<14} {}", d.name, d.description);
                out!(
                    o,
                    "               battery {battery}, sleep {}, CPU {} at {}/cycle; {station}",
                    si(d.sleep_w, "W"),
                    si(d.cpu_hz, "Hz"),
                    si(d.energy_per_cycle_j, "J")
                );
                let pw = d.power;
                let listen = listen_text(pw.listen);
                out!(
                    o,
                    "               radio listens {listen}; front end {}, {} sampling, MCU {} per sample, {} per packet",
                    si(pw.front_end.0, "W"),
                    si(pw.sample_rate, "Hz"),
                    pw.mcu_per_sample,
                    pw.mcu_per_packet
                );
                out!(o, "               source: {}\n", d.source);
            }
        }
        Catalogue::Links => {
            for l in LINKS {
                out!(o, "{:<14} {}", l.name, l.description);
                out!(
                    o,
                    "               {}, latency {}, loss {}, TX {}/bit, RX {}/bit",
                    si(l.rate_bps, "bit/s"),
                    l.latency,
                    l.loss,
                    si(l.tx_j_per_bit, "J"),
                    si(l.rx_j_per_bit, "J")
                );
                if let Some(m) = l.client_modem {
                    out!(
                        o,
                        "               client modem at the `from` end: idle {}, promotion {} at {}, tail {} at {}",
                        si(m.idle_power.0, "W"),
                        m.promotion,
                        si(m.promotion_power.0, "W"),
                        m.tail,
                        si(m.tail_power.0, "W")
                    );
                }
                out!(o, "               source: {}\n", l.source);
            }
        }
        Catalogue::Radios => {
            out!(
                o,
                "Radio technologies (`radio:` in a link profile, `jammers[].radio`)\n"
            );
            for t in sim_core::phy::technology::TECHNOLOGIES {
                let levels: Vec<String> = t
                    .chip
                    .tx_levels
                    .iter()
                    .map(|(dbm, ma)| format!("{dbm} dBm/{ma} mA"))
                    .collect();
                out!(
                    o,
                    "{:<14} {} channels {}–{} MHz{}, {}, +{} B framing",
                    t.name,
                    t.channels,
                    t.band.0 / 1e6,
                    t.band.1 / 1e6,
                    if t.hopping { " (hopping)" } else { "" },
                    si(t.bit_rate, "bit/s"),
                    t.overhead.0
                );
                out!(
                    o,
                    "               sensitivity {} dBm, noise floor {:.1} dBm (NF {} dB), lock at {} dB SINR; default {} dBm",
                    t.sensitivity.0,
                    t.noise().0,
                    t.noise_figure.0,
                    t.lock_threshold.0,
                    t.tx_power.0
                );
                out!(
                    o,
                    "               chip {} at {} V: TX {}; RX {} mA, idle {} mA, sleep {} mA",
                    t.chip.name,
                    t.chip.supply_v,
                    levels.join(", "),
                    t.chip.rx_ma,
                    t.chip.idle_ma,
                    t.chip.sleep_ma
                );
                let range = t.range_m(t.tx_power);
                let range = if range >= 99_999.0 {
                    "over 100 km (its default model holds at body distances only)".to_string()
                } else {
                    format!("{range:.1} m")
                };
                out!(
                    o,
                    "               range at the default power under its default path loss: {range}"
                );
                out!(
                    o,
                    "               source: {}; chip: {}\n",
                    t.source,
                    t.chip.source
                );
            }
            out!(o, "Path-loss models (`path_loss: {{ model: … }}`)\n");
            for (name, formula, source) in scenarios::radio::PATH_LOSS_MODELS {
                out!(o, "{name:<14} {formula}");
                out!(o, "               source: {source}\n");
            }
            out!(o, "Medium access (`mac: {{ kind: … }}`)\n");
            for (name, what, source) in scenarios::radio::MAC_KINDS {
                out!(o, "{name:<14} {what}");
                out!(o, "               source: {source}\n");
            }
        }
        Catalogue::Ciphers => {
            for c in CIPHERS {
                out!(o, "{:<26} {}", c.name, c.description);
                out!(
                    o,
                    "                           {} cycles/B + {} cycles/message, +{} B per packet",
                    c.cycles_per_byte,
                    c.cycles_per_message,
                    c.overhead_bytes
                );
                out!(o, "                           source: {}\n", c.source);
            }
        }
        Catalogue::Attacks => {
            out!(
                o,
                "{}\n",
                wrap(
                    &format!("Attacks: the `kind:` words of a scenario's `attacks:`. {LEGEND}"),
                    0
                )
            );
            for a in ATTACKS {
                out!(o, "{}  ({})", a.name, a.layer);
                field(o, "STRIDE", a.stride);
                field(o, "ATT&CK", a.attack_id);
                field(o, "needs", a.precondition.name());
                field(
                    o,
                    "grants",
                    &format!(
                        "{} privilege; requires {} on its foothold",
                        a.grants.name(),
                        a.requires.name()
                    ),
                );
                field(o, "keys", a.targets.keys());
                field(o, "moves", a.moves);
                field(o, "model", a.about);
                params(o, a.params);
                out!(o, "");
            }
        }
        Catalogue::Rules => {
            out!(o, "{:<22} {:<24} {:<10} how", "attack", "defense", "effect");
            for r in attacks::rules::RULES {
                out!(
                    o,
                    "{:<22} {:<24} {:<10} {}",
                    attacks::catalogue::attack(r.attack).name,
                    attacks::catalogue::defense(r.defense).name,
                    r.effect.name(),
                    r.how
                );
            }
        }
        Catalogue::Defenses => {
            out!(
                o,
                "{}\n",
                wrap(
                    &format!("Defenses: the `kind:` words of a scenario's `defenses:`. {LEGEND}"),
                    0
                )
            );
            for d in DEFENSES {
                out!(o, "{}", d.name);
                field(o, "keys", d.targets.keys());
                if let Some(c) = d.cipher {
                    field(
                        o,
                        "cipher",
                        &format!(
                            "`cipher:` a cipher profile, default {} (iomtsim catalog ciphers)",
                            c.default
                        ),
                    );
                }
                field(o, "cost", d.cost);
                field(o, "model", d.about);
                params(o, d.params);
                out!(o, "");
            }
        }
    }
}

/// A listen schedule as a scenario writes it.
fn listen_text(listen: ListenSchedule) -> String {
    match listen {
        ListenSchedule::Auto => "auto".to_string(),
        ListenSchedule::Continuous => "continuous".into(),
        ListenSchedule::WakeToSend => "wake_to_send".into(),
        ListenSchedule::DutyCycled { period, window } => format!("duty({period}, {window})"),
    }
}

/// What the attack and defense entries show.
const LEGEND: &str = "Each entry shows the keys that say what it acts on (`links`, `targets`, \
    `from`) and its parameters as `name = default (unit)`, set in a scenario next to `kind:`. \
    Sources: § refers to parameters.md; [U] marks an assumption with no published figure, to sweep.";

/// Width of the printed text, indentation included.
const WIDTH: usize = 100;

/// `text` wrapped to [`WIDTH`] columns for a line whose text starts at column `indent`, every
/// further line indented as much.
fn wrap(text: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut col = indent;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if col > indent {
            if col + 1 + len > WIDTH {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(word);
        col += len;
    }
    out
}

/// One labelled, wrapped line of an attack or defense entry.
fn field(o: &mut String, label: &str, text: &str) {
    let head = format!("    {label:<8}");
    let n = head.chars().count();
    out!(o, "{head}{}", wrap(text, n));
}

/// The parameters of a kind: name, unit and default, then what it means and its source.
fn params(o: &mut String, specs: &[ParamSpec]) {
    if specs.is_empty() {
        field(o, "params", "none");
        return;
    }
    out!(o, "    params");
    for p in specs {
        let head = format!(
            "      {} = {}  ({})",
            p.name,
            p.default_text,
            p.unit.describe()
        );
        out!(o, "{head}");
        out!(o, "          {}", wrap(p.about, 10));
        let source = format!("source: {}", p.source);
        out!(o, "          {}", wrap(&source, 10));
    }
}

/// Prints one catalogue as JSON: an array of entries, each with every field the text shows and
/// its source, for scripts (`iomtsim catalog attacks --format json | jq`).
pub fn print_json(what: Catalogue) {
    let value = json(what);
    let text = serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("\"{e}\""));
    print_text(&format!("{text}\n"));
}

fn json(what: Catalogue) -> Value {
    match what {
        Catalogue::Devices => DEVICES
            .iter()
            .map(|d| {
                json!({
                    "name": d.name,
                    "description": d.description,
                    "battery_j": d.battery_j,
                    "sleep_w": d.sleep_w,
                    "cpu_hz": d.cpu_hz,
                    "energy_per_cycle_j": d.energy_per_cycle_j,
                    "listen": listen_text(d.power.listen),
                    "front_end_w": d.power.front_end.0,
                    "sample_rate_hz": d.power.sample_rate,
                    "mcu_per_sample_s": d.power.mcu_per_sample.as_secs_f64(),
                    "mcu_per_packet_s": d.power.mcu_per_packet.as_secs_f64(),
                    "station": d.station.map(|s| json!({
                        "servers": s.servers,
                        "service": s.service,
                        "buffer": s.buffer,
                    })),
                    "source": d.source,
                })
            })
            .collect(),
        Catalogue::Links => LINKS
            .iter()
            .map(|l| {
                json!({
                    "name": l.name,
                    "description": l.description,
                    "rate_bps": l.rate_bps,
                    "latency": l.latency,
                    "loss": l.loss,
                    "tx_j_per_bit": l.tx_j_per_bit,
                    "rx_j_per_bit": l.rx_j_per_bit,
                    "client_modem": l.client_modem.map(|m| json!({
                        "idle_w": m.idle_power.0,
                        "promotion_s": m.promotion.as_secs_f64(),
                        "promotion_w": m.promotion_power.0,
                        "tail_s": m.tail.as_secs_f64(),
                        "tail_w": m.tail_power.0,
                    })),
                    "source": l.source,
                })
            })
            .collect(),
        Catalogue::Radios => json!({
            "technologies": sim_core::phy::technology::TECHNOLOGIES.iter().map(|t| json!({
                "name": t.name,
                "channels": t.channels,
                "band_hz": [t.band.0, t.band.1],
                "hopping": t.hopping,
                "bit_rate_bps": t.bit_rate,
                "framing_bytes": t.overhead.0,
                "sensitivity_dbm": t.sensitivity.0,
                "noise_floor_dbm": t.noise().0,
                "noise_figure_db": t.noise_figure.0,
                "lock_threshold_db": t.lock_threshold.0,
                "default_tx_power_dbm": t.tx_power.0,
                "range_m_at_default_power": t.range_m(t.tx_power),
                "chip": {
                    "name": t.chip.name,
                    "supply_v": t.chip.supply_v,
                    "tx_levels": t.chip.tx_levels.iter().map(|(dbm, ma)| json!({ "dbm": dbm, "ma": ma })).collect::<Vec<_>>(),
                    "rx_ma": t.chip.rx_ma,
                    "idle_ma": t.chip.idle_ma,
                    "sleep_ma": t.chip.sleep_ma,
                    "source": t.chip.source,
                },
                "source": t.source,
            })).collect::<Vec<_>>(),
            "path_loss_models": scenarios::radio::PATH_LOSS_MODELS.iter().map(|(name, formula, source)| json!({
                "name": name,
                "formula": formula,
                "source": source,
            })).collect::<Vec<_>>(),
            "mac_kinds": scenarios::radio::MAC_KINDS.iter().map(|(name, what, source)| json!({
                "name": name,
                "behaviour": what,
                "source": source,
            })).collect::<Vec<_>>(),
        }),
        Catalogue::Ciphers => CIPHERS
            .iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "kind": c.kind.name(),
                    "description": c.description,
                    "cycles_per_byte": c.cycles_per_byte,
                    "cycles_per_message": c.cycles_per_message,
                    "overhead_bytes": c.overhead_bytes,
                    "source": c.source,
                })
            })
            .collect(),
        Catalogue::Attacks => ATTACKS
            .iter()
            .map(|a| {
                json!({
                    "name": a.name,
                    "layers": a.layer.names().collect::<Vec<_>>(),
                    "stride": a.stride,
                    "attack_id": a.attack_id,
                    "needs": a.precondition.name(),
                    "grants": a.grants.name(),
                    "requires": a.requires.name(),
                    "keys": a.targets.keys(),
                    "moves": a.moves,
                    "model": a.about,
                    "params": params_json(a.params),
                })
            })
            .collect(),
        Catalogue::Defenses => DEFENSES
            .iter()
            .map(|d| {
                json!({
                    "name": d.name,
                    "keys": d.targets.keys(),
                    "cipher_default": d.cipher.map(|c| c.default),
                    "cost": d.cost,
                    "model": d.about,
                    "params": params_json(d.params),
                })
            })
            .collect(),
        Catalogue::Rules => attacks::rules::RULES
            .iter()
            .map(|r| {
                json!({
                    "attack": attacks::catalogue::attack(r.attack).name,
                    "defense": attacks::catalogue::defense(r.defense).name,
                    "effect": r.effect.name(),
                    "how": r.how,
                })
            })
            .collect(),
    }
}

fn params_json(specs: &[ParamSpec]) -> Value {
    specs
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "default": p.default_text,
                "unit": p.unit.describe(),
                "positive": p.positive,
                "about": p.about,
                "source": p.source,
            })
        })
        .collect()
}
