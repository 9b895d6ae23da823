//! Streams: when each device sends, how much, to whom, and with what deadline.

use super::*;

/// A waveform's period (the batch) and packet size.
fn check_waveform(p: &mut Problems, path: &str, w: &RawWaveform) -> Option<(SimTime, u64)> {
    let rate = p.unit(
        &format!("{path}.sample_rate"),
        quantity::hertz(&w.sample_rate.0),
    );
    let batch = time(p, &format!("{path}.batch"), &w.batch);
    let header = match &w.header {
        None => Some(0),
        Some(h) => p.unit(&format!("{path}.header"), quantity::bytes(&h.0)),
    };
    if batch == Some(SimTime::ZERO) {
        p.add(format!("{path}.batch"), "a batch must be longer than 0s");
        return None;
    }
    let (rate, batch, header) = (rate?, batch?, header?);
    let bits = rate
        * f64::from(w.bits_per_sample)
        * f64::from(w.channels.unwrap_or(1))
        * batch.as_secs_f64();
    Some((batch, header + (bits / 8.0).ceil() as u64))
}

pub(super) fn check_stream(
    p: &mut Problems,
    path: &str,
    s: &RawStream,
    to: usize,
) -> Option<Stream> {
    if let Some(w) = &s.waveform {
        for (field, set) in [
            ("every", s.every.is_some()),
            ("poisson", s.poisson.is_some()),
            ("size", s.size.is_some()),
        ] {
            if set {
                p.add(
                    format!("{path}.{field}"),
                    "a waveform stream sets its own period (`batch`) and size; remove this field",
                );
            }
        }
        let (batch, size) = check_waveform(p, &format!("{path}.waveform"), w)?;
        let jitter = match &s.jitter {
            None => Some(Dist::Const(0.0)),
            Some(j) => p.unit(&format!("{path}.jitter"), quantity::time_dist(&j.0)),
        };
        return finish_stream(
            p,
            path,
            s,
            to,
            Arrivals::Periodic {
                period: batch,
                jitter: jitter?,
            },
            Some(size),
        );
    }
    let arrivals = match (&s.every, &s.poisson) {
        (Some(every), None) => {
            let period = time(p, &format!("{path}.every"), every);
            if period == Some(SimTime::ZERO) {
                p.add(format!("{path}.every"), "the period must be longer than 0s");
            }
            let jitter = match &s.jitter {
                None => Some(Dist::Const(0.0)),
                Some(j) => p.unit(&format!("{path}.jitter"), quantity::time_dist(&j.0)),
            };
            Some(Arrivals::Periodic {
                period: period?,
                jitter: jitter?,
            })
        }
        (None, Some(rate)) => {
            if s.jitter.is_some() {
                p.add(
                    format!("{path}.jitter"),
                    "jitter applies to periodic streams (`every`) only",
                );
            }
            let r = p.unit(&format!("{path}.poisson"), quantity::rate_per_s(&rate.0))?;
            if r <= 0.0 {
                p.add(
                    format!("{path}.poisson"),
                    format!("a rate must be > 0, found `{}`", rate.0),
                );
                return None;
            }
            Some(Arrivals::Poisson { rate_per_s: r })
        }
        (Some(_), Some(_)) => {
            p.add(
                path,
                "give either `every` (periodic) or `poisson` (random), not both",
            );
            None
        }
        (None, None) => {
            p.add(
                path,
                "say when packets are sent: `every: 1s` (periodic) or `poisson: 2/h` (random)",
            );
            None
        }
    };
    let size = match &s.size {
        Some(t) => p.unit(&format!("{path}.size"), quantity::bytes(&t.0)),
        None => {
            p.add(
                path,
                "give the packet `size` (`400B`), or describe a `waveform`",
            );
            None
        }
    };
    finish_stream(p, path, s, to, arrivals?, size)
}

/// The fields every stream shares, checked once the arrivals and the size are known.
fn finish_stream(
    p: &mut Problems,
    path: &str,
    s: &RawStream,
    to: usize,
    arrivals: Arrivals,
    size: Option<u64>,
) -> Option<Stream> {
    let size = size.and_then(|b| {
        u32::try_from(b).ok().filter(|&b| b > 0).or_else(|| {
            p.add(
                format!("{path}.size"),
                format!("a packet holds 1 B to 4 GiB, found {b} B"),
            );
            None
        })
    });
    let class = match s.class.as_deref() {
        None | Some("routine") => Some(TrafficClass::Routine),
        Some("alarm") => Some(TrafficClass::Alarm),
        Some(other) => {
            p.add(
                format!("{path}.class"),
                format!(
                    "no traffic class `{other}`{}",
                    suggest(other, &["routine", "alarm"])
                ),
            );
            None
        }
    };
    let ack = match &s.ack {
        None => Some(None),
        Some(t) => p
            .unit(&format!("{path}.ack"), quantity::bytes(&t.0))
            .and_then(|b| match u32::try_from(b) {
                Ok(b) if b > 0 => Some(Some(Bytes(b))),
                _ => {
                    p.add(
                        format!("{path}.ack"),
                        format!("an acknowledgement holds 1 B to 4 GiB, found {b} B"),
                    );
                    None
                }
            }),
    };
    let deadline = match &s.deadline {
        None => Some(None),
        Some(t) => time(p, &format!("{path}.deadline"), t).map(Some),
    };
    Some(Stream {
        name: s.name.clone(),
        arrivals,
        size: Bytes(size?),
        records: s.records.unwrap_or(1),
        class: class?,
        deadline: deadline?,
        to,
        per_destination: s.per_destination,
        ack: ack?,
    })
}
