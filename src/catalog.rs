//! `iomtsim catalog`: the built-in profiles as readable tables, each with its source.

use crate::Catalogue;
use scenarios::catalogue::{CIPHERS, DEVICES, LINKS};

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

/// Prints one catalogue.
pub fn print(what: Catalogue) {
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
                println!("{:<14} {}", d.name, d.description);
                println!(
                    "               battery {battery}, sleep {}, CPU {} at {}/cycle; {station}",
                    si(d.sleep_w, "W"),
                    si(d.cpu_hz, "Hz"),
                    si(d.energy_per_cycle_j, "J")
                );
                println!("               source: {}\n", d.source);
            }
        }
        Catalogue::Links => {
            for l in LINKS {
                println!("{:<14} {}", l.name, l.description);
                println!(
                    "               {}, latency {}, loss {}, TX {}/bit, RX {}/bit",
                    si(l.rate_bps, "bit/s"),
                    l.latency,
                    l.loss,
                    si(l.tx_j_per_bit, "J"),
                    si(l.rx_j_per_bit, "J")
                );
                println!("               source: {}\n", l.source);
            }
        }
        Catalogue::Ciphers => {
            for c in CIPHERS {
                println!("{:<26} {}", c.name, c.description);
                println!(
                    "                           {} cycles/B + {} cycles/message, +{} B per packet",
                    c.cycles_per_byte, c.cycles_per_message, c.overhead_bytes
                );
                println!("                           source: {}\n", c.source);
            }
        }
        Catalogue::Attacks | Catalogue::Defenses => {
            println!("{:<12} {:<18} effect", "attack", "defense");
            for r in attacks::rules::RULES {
                println!("{:<12} {:<18} {}", r.attack, r.defense, r.effect);
            }
        }
    }
}
