//! Quantities written with their units, as researchers write them: `250ms`, `5min`, `2d`, `1w`,
//! `128B`, `4KiB`, `250kbit/s`, `2.4kJ`, `225mAh@3V`, `3.1mW`, `6uW`, `2/h`, `64MHz`,
//! `0.16nJ`. A bare number where a unit is needed is an error: `3600` could mean seconds or
//! milliseconds, and the scenario file is where a paper's numbers come from.
//!
//! Distributions of durations are written as calls: `const(2ms)`, `exp(2ms)` (the mean),
//! `uniform(2ms, 32ms)`, `normal(5ms, 1ms)`, `lognormal(1ms, 0.5)` (the median and the shape σ),
//! `pareto(1ms, 2.5)` (the minimum and the tail index α), `empirical(1ms, 2ms, 5ms)` (one of
//! the listed values, equally likely).

use sim_core::Dist;

/// A parse failure: what was expected, in words a user can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitError(pub String);

fn split_number(text: &str) -> Result<(f64, &str), UnitError> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || c == '_'
                || ((c == 'e' || c == 'E')
                    && t[i + 1..].starts_with(|d: char| d.is_ascii_digit() || d == '-'))
                || ((c == '-' || c == '+') && (i == 0 || matches!(&t[i - 1..i], "e" | "E"))))
        })
        .map_or(t.len(), |(i, _)| i);
    let (num, unit) = t.split_at(end);
    let num = num.replace('_', "");
    let value: f64 = num
        .parse()
        .map_err(|_| UnitError(format!("`{text}` does not start with a number")))?;
    if !value.is_finite() {
        return Err(UnitError(format!("`{text}` is not a finite number")));
    }
    // Untrimmed: `scaled` refuses a space between a number and a unit it knows.
    Ok((value, unit))
}

fn scaled(text: &str, what: &str, units: &[(&str, f64)], example: &str) -> Result<f64, UnitError> {
    let (value, spaced) = split_number(text)?;
    let unit = spaced.trim();
    if unit.is_empty() {
        return Err(UnitError(format!(
            "`{text}` has no unit; write {what} with its unit, e.g. `{example}`"
        )));
    }
    let known = units.iter().find(|(u, _)| *u == unit);
    // The documented form is `10min`; `10 min` is refused rather than silently read, so a
    // scenario means one thing in every tool that reads it.
    if known.is_some() && spaced.starts_with(char::is_whitespace) {
        return Err(UnitError(format!(
            "`{}` has a space between the number and its unit; write `{}{unit}`",
            text.trim(),
            text.trim()[..text.trim().len() - spaced.len()].trim_end()
        )));
    }
    let x = known.map(|(_, k)| value * k).ok_or_else(|| {
        let list: Vec<&str> = units.iter().map(|(u, _)| *u).collect();
        UnitError(format!(
            "`{unit}` is not a unit of {what}; use one of {}",
            list.join(", ")
        ))
    })?;
    finite(text, x)
}

/// `x` if it is a finite number: `1e308kbit/s` overflows to infinity once scaled.
fn finite(text: &str, x: f64) -> Result<f64, UnitError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(UnitError(format!(
            "`{}` is too large to compute with",
            text.trim()
        )))
    }
}

const TIME_UNITS: &[(&str, f64)] = &[
    ("ns", 1e-9),
    ("us", 1e-6),
    ("µs", 1e-6),
    ("ms", 1e-3),
    ("s", 1.0),
    ("min", 60.0),
    ("h", 3600.0),
    ("d", 86400.0),
    ("w", 604_800.0),
];

/// The longest duration simulated time holds: 2⁶⁴ − 1 ns, about 584.5 years
/// (`SimTime` counts nanoseconds in a `u64`).
pub const MAX_DURATION_SECS: f64 = u64::MAX as f64 * 1e-9;

/// A duration in seconds (`250ms`, `5min`, `2d`); must be ≥ 0 and at most
/// [`MAX_DURATION_SECS`].
pub fn duration_secs(text: &str) -> Result<f64, UnitError> {
    let s = scaled(text, "time", TIME_UNITS, "250ms")?;
    if s < 0.0 {
        return Err(UnitError(format!(
            "`{text}` is negative; a duration is ≥ 0"
        )));
    }
    if s >= MAX_DURATION_SECS {
        return Err(UnitError(format!(
            "`{text}` is longer than simulated time can count: at most {:.0} s (2^64 ns, about 584 years)",
            MAX_DURATION_SECS.floor() - 1.0
        )));
    }
    Ok(s)
}

/// A size in bytes (`128B`, `4KiB`, `1.5kB`, `2MB`), rounded to a whole byte.
pub fn bytes(text: &str) -> Result<u64, UnitError> {
    let b = scaled(
        text,
        "size",
        &[
            ("B", 1.0),
            ("kB", 1e3),
            ("KiB", 1024.0),
            ("MB", 1e6),
            ("MiB", 1_048_576.0),
            ("bit", 0.125),
        ],
        "128B",
    )?;
    if b < 0.0 {
        return Err(UnitError(format!("`{text}` is negative; a size is ≥ 0")));
    }
    Ok(b.round() as u64)
}

/// A data rate in bit/s (`250kbit/s`, `1Mbit/s`, `54Mbps`).
pub fn bit_rate(text: &str) -> Result<f64, UnitError> {
    scaled(
        text,
        "data rate",
        &[
            ("bit/s", 1.0),
            ("kbit/s", 1e3),
            ("Mbit/s", 1e6),
            ("Gbit/s", 1e9),
            ("bps", 1.0),
            ("kbps", 1e3),
            ("Mbps", 1e6),
            ("Gbps", 1e9),
        ],
        "1Mbit/s",
    )
}

/// Events per second from `2/h`, `1/s`, `0.5/min`, `30/d`, `1/w`.
pub fn rate_per_s(text: &str) -> Result<f64, UnitError> {
    let (value, unit) = split_number(text)?;
    if unit.starts_with(char::is_whitespace) && unit.trim().starts_with('/') {
        return Err(UnitError(format!(
            "`{text}` has a space between the number and its unit; write `{}`",
            text.split_whitespace().collect::<String>()
        )));
    }
    let Some(per) = unit.trim().strip_prefix('/') else {
        return Err(UnitError(format!(
            "`{text}` is not a rate; write events per unit of time, e.g. `2/h` or `10/s`"
        )));
    };
    let secs = TIME_UNITS
        .iter()
        .find(|(u, _)| *u == per.trim())
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            UnitError(format!(
                "`{per}` is not a unit of time (ms, s, min, h, d, w)"
            ))
        })?;
    finite(text, value / secs)
}

/// Energy in joules: `2.4kJ`, `6J`, `0.16nJ`, or a battery rating `225mAh@3V` (mAh × 3.6 × V).
pub fn joules(text: &str) -> Result<f64, UnitError> {
    if let Some((charge, volts)) = text.split_once('@') {
        let mah = scaled(
            charge,
            "charge",
            &[("mAh", 1.0), ("Ah", 1000.0)],
            "225mAh@3V",
        )?;
        let v = scaled(volts, "voltage", &[("V", 1.0), ("mV", 1e-3)], "3V")?;
        return finite(text, mah * 3.6 * v);
    }
    scaled(
        text,
        "energy",
        &[
            ("pJ", 1e-12),
            ("nJ", 1e-9),
            ("uJ", 1e-6),
            ("µJ", 1e-6),
            ("mJ", 1e-3),
            ("J", 1.0),
            ("kJ", 1e3),
            ("Wh", 3600.0),
            ("mWh", 3.6),
        ],
        "2.4kJ or 225mAh@3V",
    )
}

/// Power in watts: `3.1mW`, `6uW`, `1W`.
pub fn watts(text: &str) -> Result<f64, UnitError> {
    scaled(
        text,
        "power",
        &[
            ("nW", 1e-9),
            ("uW", 1e-6),
            ("µW", 1e-6),
            ("mW", 1e-3),
            ("W", 1.0),
        ],
        "3.1mW",
    )
}

/// A clock frequency in hertz: `64MHz`, `1.2GHz`.
pub fn hertz(text: &str) -> Result<f64, UnitError> {
    scaled(
        text,
        "frequency",
        &[("Hz", 1.0), ("kHz", 1e3), ("MHz", 1e6), ("GHz", 1e9)],
        "64MHz",
    )
}

/// A distribution of durations: `const(2ms)`, `exp(2ms)`, `uniform(2ms, 32ms)`,
/// `normal(5ms, 1ms)`, `lognormal(1ms, 0.5)`; a plain duration (`2ms`) is a constant.
pub fn time_dist(text: &str) -> Result<Dist, UnitError> {
    let t = text.trim();
    let Some(open) = t.find('(') else {
        return Dist::constant(duration_secs(t)?).map_err(|e| UnitError(e.to_string()));
    };
    let name = t[..open].trim();
    let Some(inner) = t[open + 1..].strip_suffix(')') else {
        return Err(UnitError(format!("`{text}` lacks its closing parenthesis")));
    };
    let args: Vec<&str> = inner.split(',').map(str::trim).collect();
    let want = |n: usize, form: &str| {
        if args.len() == n {
            Ok(())
        } else {
            Err(UnitError(format!(
                "`{name}` takes {n} argument(s): `{form}`, found {}",
                args.len()
            )))
        }
    };
    let d = match name {
        "const" => {
            want(1, "const(2ms)")?;
            Dist::constant(duration_secs(args[0])?)
        }
        "exp" => {
            want(1, "exp(2ms), the mean")?;
            Dist::exp(duration_secs(args[0])?)
        }
        "uniform" => {
            want(2, "uniform(2ms, 32ms)")?;
            Dist::uniform(duration_secs(args[0])?, duration_secs(args[1])?)
        }
        "normal" => {
            want(2, "normal(5ms, 1ms), mean and standard deviation")?;
            Dist::normal(duration_secs(args[0])?, duration_secs(args[1])?)
        }
        "lognormal" => {
            want(2, "lognormal(1ms, 0.5), the median and the shape σ")?;
            let median = duration_secs(args[0])?;
            let sigma: f64 = args[1].parse().map_err(|_| {
                UnitError(format!(
                    "the shape σ of lognormal is a plain number, found `{}`",
                    args[1]
                ))
            })?;
            if median <= 0.0 {
                return Err(UnitError("the median of lognormal must be > 0".into()));
            }
            Dist::lognormal(median.ln(), sigma)
        }
        "pareto" => {
            want(2, "pareto(1ms, 2.5), the minimum and the tail index α")?;
            let shape: f64 = args[1].parse().map_err(|_| {
                UnitError(format!(
                    "the tail index α of pareto is a plain number, found `{}`",
                    args[1]
                ))
            })?;
            Dist::pareto(duration_secs(args[0])?, shape)
        }
        "empirical" => {
            let values = args
                .iter()
                .map(|a| duration_secs(a))
                .collect::<Result<Vec<f64>, _>>()?;
            Dist::empirical(values)
        }
        other => {
            return Err(UnitError(format!(
                "`{other}` is not a distribution; use const, exp, uniform, normal, lognormal, pareto or empirical"
            )));
        }
    };
    d.map_err(|e| UnitError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_convert_to_seconds() {
        assert_eq!(duration_secs("250ms").unwrap(), 0.25);
        assert_eq!(duration_secs("5min").unwrap(), 300.0);
        assert_eq!(duration_secs("2d").unwrap(), 172_800.0);
        assert_eq!(duration_secs("1w").unwrap(), 604_800.0);
        assert_eq!(duration_secs("1e-3s").unwrap(), 1e-3);
    }

    #[test]
    fn a_space_before_the_unit_and_times_past_2_to_the_64_ns_are_refused() {
        assert!(bit_rate("1e308kbit/s").is_err());
        assert!(rate_per_s("1e308/ns").is_err());
        assert!(joules("1e308Ah@1e308V").is_err());
        let e = duration_secs("10 min").unwrap_err();
        assert!(e.0.contains("write `10min`"), "{e:?}");
        assert!(bytes("4 KiB").is_err());
        assert!(duration_secs(" 10min ").is_ok());
        let e = duration_secs("1e15s").unwrap_err();
        assert!(e.0.contains("18446744072 s"), "{e:?}");
        assert!(duration_secs("584y").is_err());
        assert!(duration_secs("30000w").is_ok());
        assert!(duration_secs("31000w").is_err());
    }

    #[test]
    fn bare_numbers_and_wrong_units_are_refused_with_advice() {
        let e = duration_secs("3600").unwrap_err().0;
        assert!(e.contains("no unit") && e.contains("250ms"), "{e}");
        let e = duration_secs("3 parsecs").unwrap_err().0;
        assert!(e.contains("not a unit of time"), "{e}");
        assert!(duration_secs("-1s").is_err());
        assert!(bytes("12").is_err());
    }

    #[test]
    fn sizes_rates_energy_power() {
        assert_eq!(bytes("4KiB").unwrap(), 4096);
        assert_eq!(bytes("1.5kB").unwrap(), 1500);
        assert_eq!(bit_rate("250kbit/s").unwrap(), 250e3);
        assert!((rate_per_s("2/h").unwrap() - 2.0 / 3600.0).abs() < 1e-15);
        assert!((rate_per_s("75/min").unwrap() - 1.25).abs() < 1e-15);
        assert!((rate_per_s("1/d").unwrap() - 1.0 / 86_400.0).abs() < 1e-20);
        assert!((rate_per_s("1/w").unwrap() - 1.0 / 604_800.0).abs() < 1e-20);
        // 225 mAh at 3 V = 2430 J (parameters.md §C); 450 mAh at 3.7 V = 5994 J.
        assert!((joules("225mAh@3V").unwrap() - 2430.0).abs() < 1e-9);
        assert!((joules("450mAh@3.7V").unwrap() - 5994.0).abs() < 1e-9);
        assert!((joules("2.4kJ").unwrap() - 2400.0).abs() < 1e-9);
        assert!((watts("3.1mW").unwrap() - 3.1e-3).abs() < 1e-15);
        assert_eq!(hertz("64MHz").unwrap(), 64e6);
    }

    #[test]
    fn distributions_parse_with_their_parameters() {
        assert!((time_dist("exp(2ms)").unwrap().mean() - 2e-3).abs() < 1e-15);
        assert!((time_dist("uniform(2ms, 32ms)").unwrap().mean() - 17e-3).abs() < 1e-15);
        assert!(time_dist("3ms").unwrap().is_const());
        // Pareto mean α·x_m/(α−1) = 2.5 × 1 ms / 1.5; empirical mean of the values.
        assert!((time_dist("pareto(1ms, 2.5)").unwrap().mean() - 2.5e-3 / 1.5).abs() < 1e-15);
        assert!((time_dist("empirical(1ms, 2ms, 6ms)").unwrap().mean() - 3e-3).abs() < 1e-15);
        let e = time_dist("gamma(1ms)").unwrap_err().0;
        assert!(e.contains("not a distribution"), "{e}");
        assert!(time_dist("uniform(2ms)").is_err());
        assert!(time_dist("uniform(5ms, 1ms)").is_err());
    }
}
