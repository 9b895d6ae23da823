//! The medium access of a radio link profile (`mac:`): 802.15.4 CSMA/CA, BLE connection
//! events or 802.11 DCF, each with the standard's defaults (radio.md §D, named in
//! `sim_core::mac`) and checked against the standard's ranges.

use super::*;
use sim_core::mac::ble_connection::{MAX_INTERVAL, MIN_INTERVAL};
use sim_core::mac::{BleParams, ChannelSelection, CsmaCaParams, DcfParams, Mac, WifiStandard};

/// A radio link's medium access; unset fields take the standard's defaults.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RawMac {
    /// `csma_ca` (IEEE 802.15.4 unslotted, for `ieee802154` and `mics`), `ble_connection`
    /// (for `ble_1m`) or `dcf` (IEEE 802.11, for `wifi_g6`).
    pub kind: String,
    /// CSMA/CA: macMinBE, 0–8 (default 3).
    pub min_be: Option<u8>,
    /// CSMA/CA: macMaxBE, 3–8, ≥ min_be (default 5).
    pub max_be: Option<u8>,
    /// CSMA/CA: macMaxCSMABackoffs, 0–5 (default 4).
    pub max_backoffs: Option<u8>,
    /// CSMA/CA: macMaxFrameRetries, 0–7 (default 3).
    pub max_frame_retries: Option<u8>,
    /// CSMA/CA: whether frames are acknowledged and retried (default true).
    pub acknowledged: Option<bool>,
    /// BLE: connection interval, 7.5 ms – 4 s (default 50 ms).
    pub interval: Option<Text>,
    /// BLE: peripheral latency, 0–499 events (default 0).
    pub peripheral_latency: Option<u16>,
    /// BLE: supervision timeout, 100 ms – 32 s, above 2·(1 + latency)·interval (default 4 s).
    pub supervision_timeout: Option<Text>,
    /// BLE: channel selection algorithm, `csa2` (Bluetooth 5, default) or `csa1`.
    pub channel_selection: Option<String>,
    /// BLE: CSA#1 hop increment, 5–16 (default 7).
    pub hop_increment: Option<u8>,
    /// BLE: adaptive frequency hopping — drop channels that keep failing (default true).
    pub afh: Option<bool>,
    /// BLE: time to re-establish a lost connection (default 1 s, an assumption).
    pub reconnect: Option<Text>,
    /// DCF: the 802.11 variant, `11b`, `11a`, `11g` or `11g_mixed` (default `11g`).
    pub standard: Option<String>,
    /// DCF: CWmin (default the variant's: 31 for 11b, 15 otherwise).
    pub cw_min: Option<u32>,
    /// DCF: CWmax, ≥ cw_min (default 1023).
    pub cw_max: Option<u32>,
    /// DCF: transmissions before a frame is dropped, 1–15 (default 7).
    pub retry_limit: Option<u8>,
}

/// The access method names, with what each is and its source, for the catalogue.
pub const MAC_KINDS: [(&str, &str, &str); 3] = [
    (
        "csma_ca",
        "IEEE 802.15.4 unslotted CSMA/CA: backoff U{0…2^BE−1}×320 µs, CCA 128 µs at sensitivity + 10 dB, ACK wait 864 µs, retries",
        "ns-3 lr-wpan-csmaca.cc, lr-wpan-mac.cc (radio.md §D1)",
    ),
    (
        "ble_connection",
        "BLE connection events every interval, peripheral latency, supervision timeout, CSA#2 (or CSA#1) hopping with AFH; a central spaces its connections' events; other connections interfere on the same hop channel only",
        "Zephyr hci_core.c, lll_chan.c (radio.md §D2, §F)",
    ),
    (
        "dcf",
        "IEEE 802.11 DCF: DIFS/SIFS/slot, binary exponential backoff CWmin…CWmax, ACK, retry limit",
        "ns-3 wifi-standard-constants.h, wifi-mac.cc (radio.md §D3)",
    ),
];

/// Checks `raw` (at `path`) for a link of technology `t`.
pub(crate) fn check_mac(p: &mut Problems, path: &str, t: &Technology, raw: &RawMac) -> Option<Mac> {
    let fields_of = |kind: &str| -> &'static [&'static str] {
        match kind {
            "csma_ca" => &[
                "min_be",
                "max_be",
                "max_backoffs",
                "max_frame_retries",
                "acknowledged",
            ],
            "ble_connection" => &[
                "interval",
                "peripheral_latency",
                "supervision_timeout",
                "channel_selection",
                "hop_increment",
                "afh",
                "reconnect",
            ],
            _ => &["standard", "cw_min", "cw_max", "retry_limit"],
        }
    };
    let set: [(&str, bool); 16] = [
        ("min_be", raw.min_be.is_some()),
        ("max_be", raw.max_be.is_some()),
        ("max_backoffs", raw.max_backoffs.is_some()),
        ("max_frame_retries", raw.max_frame_retries.is_some()),
        ("acknowledged", raw.acknowledged.is_some()),
        ("interval", raw.interval.is_some()),
        ("peripheral_latency", raw.peripheral_latency.is_some()),
        ("supervision_timeout", raw.supervision_timeout.is_some()),
        ("channel_selection", raw.channel_selection.is_some()),
        ("hop_increment", raw.hop_increment.is_some()),
        ("afh", raw.afh.is_some()),
        ("reconnect", raw.reconnect.is_some()),
        ("standard", raw.standard.is_some()),
        ("cw_min", raw.cw_min.is_some()),
        ("cw_max", raw.cw_max.is_some()),
        ("retry_limit", raw.retry_limit.is_some()),
    ];
    let kinds: Vec<&str> = MAC_KINDS.iter().map(|k| k.0).collect();
    if !kinds.contains(&raw.kind.as_str()) {
        p.add(
            format!("{path}.kind"),
            format!(
                "no medium access `{}`{}",
                raw.kind,
                suggest(&raw.kind, &kinds)
            ),
        );
        return None;
    }
    let suits = match raw.kind.as_str() {
        "csma_ca" => !t.hopping && t.name != "wifi_g6",
        "ble_connection" => t.name == "ble_1m",
        _ => t.name == "wifi_g6",
    };
    if !suits {
        p.add(
            format!("{path}.kind"),
            format!(
                "`{}` does not fit a `{}` radio: csma_ca goes with ieee802154 or mics, ble_connection with ble_1m, dcf with wifi_g6",
                raw.kind, t.name
            ),
        );
        return None;
    }
    let own = fields_of(&raw.kind);
    let mut ok = true;
    for (field, given) in set {
        if given && !own.contains(&field) {
            p.add(
                format!("{path}.{field}"),
                format!(
                    "`{field}` is not a field of `{}` (its fields: {})",
                    raw.kind,
                    own.join(", ")
                ),
            );
            ok = false;
        }
    }
    let mut range = |p: &mut Problems, field: &str, v: Option<u64>, lo: u64, hi: u64| {
        if let Some(x) = v.filter(|x| !(lo..=hi).contains(x)) {
            p.add(
                format!("{path}.{field}"),
                format!("`{field}` lies in {lo}–{hi}; found {x}"),
            );
            ok = false;
        }
    };
    let time = |p: &mut Problems, field: &str, v: &Option<Text>| -> Option<Option<SimTime>> {
        match v {
            None => Some(None),
            Some(t) => match quantity::duration_secs(&t.0) {
                Ok(s) if s.is_finite() && s >= 0.0 => Some(Some(SimTime::from_secs_f64(s))),
                Ok(s) => {
                    p.add(
                        format!("{path}.{field}"),
                        format!("a duration ≥ 0, found {s} s"),
                    );
                    None
                }
                Err(e) => {
                    p.add(format!("{path}.{field}"), e.0);
                    None
                }
            },
        }
    };
    match raw.kind.as_str() {
        "csma_ca" => {
            let d = CsmaCaParams::default();
            range(p, "min_be", raw.min_be.map(u64::from), 0, 8);
            range(p, "max_be", raw.max_be.map(u64::from), 3, 8);
            range(p, "max_backoffs", raw.max_backoffs.map(u64::from), 0, 5);
            range(
                p,
                "max_frame_retries",
                raw.max_frame_retries.map(u64::from),
                0,
                7,
            );
            let c = CsmaCaParams {
                min_be: raw.min_be.unwrap_or(d.min_be),
                max_be: raw.max_be.unwrap_or(d.max_be),
                max_backoffs: raw.max_backoffs.unwrap_or(d.max_backoffs),
                max_frame_retries: raw.max_frame_retries.unwrap_or(d.max_frame_retries),
                acknowledged: raw.acknowledged.unwrap_or(true),
                ..d
            };
            if c.min_be > c.max_be {
                p.add(
                    format!("{path}.min_be"),
                    format!(
                        "macMinBE must not exceed macMaxBE: found min_be {} > max_be {}",
                        c.min_be, c.max_be
                    ),
                );
                ok = false;
            }
            ok.then_some(Mac::CsmaCa(c))
        }
        "ble_connection" => {
            let d = BleParams::default();
            let interval = time(p, "interval", &raw.interval)?;
            let timeout = time(p, "supervision_timeout", &raw.supervision_timeout)?;
            let reconnect = time(p, "reconnect", &raw.reconnect)?;
            let selection = match raw.channel_selection.as_deref() {
                None => d.selection,
                Some(name) => match ChannelSelection::from_name(name) {
                    Some(s) => s,
                    None => {
                        p.add(
                            format!("{path}.channel_selection"),
                            format!(
                                "no channel selection algorithm `{name}`; expected one of {}",
                                ChannelSelection::NAMES.join(", ")
                            ),
                        );
                        return None;
                    }
                },
            };
            let b = BleParams {
                selection,
                interval: interval.unwrap_or(d.interval),
                latency: raw.peripheral_latency.unwrap_or(d.latency),
                supervision_timeout: timeout.unwrap_or(d.supervision_timeout),
                hop: raw.hop_increment.unwrap_or(d.hop),
                afh: raw.afh.unwrap_or(d.afh),
                reconnect: reconnect.unwrap_or(d.reconnect),
                ..d
            };
            if let Err(e) = b.check() {
                use sim_core::mac::ble_connection::BleParamError as E;
                let field = match e {
                    E::Interval(_) => "interval",
                    E::Latency(_) => "peripheral_latency",
                    E::Timeout(_) | E::TimeoutTooShort { .. } => "supervision_timeout",
                    E::Hop(_) => "hop_increment",
                };
                let mut msg = e.to_string();
                if field == "interval" {
                    msg = format!(
                        "the connection interval lies in 7.5 ms – 4 s ({MIN_INTERVAL} to {MAX_INTERVAL}); found {}",
                        b.interval
                    );
                }
                p.add(format!("{path}.{field}"), msg);
                ok = false;
            }
            ok.then_some(Mac::Ble(b))
        }
        _ => {
            let names = WifiStandard::NAMES;
            let standard = match raw.standard.as_deref() {
                None => WifiStandard::G,
                Some(s) => match WifiStandard::from_name(s) {
                    Some(w) => w,
                    None => {
                        p.add(
                            format!("{path}.standard"),
                            format!("no 802.11 variant `{s}`{}", suggest(s, &names)),
                        );
                        return None;
                    }
                },
            };
            // The ACK (14 bytes) at the technology's rate behind its framing.
            let ack = SimTime::from_secs_f64(t.airtime_secs(sim_core::Bytes(14)));
            let d: DcfParams = standard.params(ack);
            range(p, "retry_limit", raw.retry_limit.map(u64::from), 1, 15);
            range(p, "cw_min", raw.cw_min.map(u64::from), 1, 1023);
            range(p, "cw_max", raw.cw_max.map(u64::from), 1, 1023);
            let c = DcfParams {
                cw_min: raw.cw_min.unwrap_or(d.cw_min),
                cw_max: raw.cw_max.unwrap_or(d.cw_max),
                retry_limit: raw.retry_limit.unwrap_or(d.retry_limit),
                ..d
            };
            if c.cw_min > c.cw_max {
                p.add(
                    format!("{path}.cw_min"),
                    format!(
                        "CWmin must not exceed CWmax: found cw_min {} > cw_max {}",
                        c.cw_min, c.cw_max
                    ),
                );
                ok = false;
            }
            ok.then_some(Mac::Dcf(c))
        }
    }
}
