//! Resolving device, link and cipher profiles: the built-in catalogue, the scenario's own
//! `profiles:` (which may `extend` any other profile of its kind, in any order), and the
//! per-group or per-link overrides on top, into typed models. One resolver serves the three
//! kinds ([`ProfileKind`]).

use crate::catalogue::{self, CipherKind};
use crate::quantity;
use crate::raw::{
    CipherFields, DeviceFields, LinkFields, ProfileHead, RawCipherProfile, RawDeviceProfile,
    RawLinkProfile, RawProfiles,
};
use crate::validate::{Problems, suggest};
use attacks::CipherCost;
use sim_core::phy::lte::ModemParams;
use sim_core::power_profile::{ListenSchedule, PowerProfile};
use sim_core::{Bytes, Dist, SimTime, StationSpec, Watts};
use std::collections::{BTreeMap, BTreeSet};

/// A device profile with every quantity resolved.
#[derive(Clone, Debug)]
pub struct DeviceModel {
    /// Battery capacity in joules; `None` for mains power.
    pub battery_j: Option<f64>,
    /// Baseline power, watts.
    pub sleep_w: f64,
    /// CPU clock, hertz.
    pub cpu_hz: f64,
    /// Energy per CPU cycle, joules.
    pub energy_per_cycle_j: f64,
    /// The processing station, if any.
    pub station: Option<StationSpec>,
    /// Radio listen schedule, front end and MCU work.
    pub power: PowerProfile,
}

/// A link profile with every quantity resolved.
#[derive(Clone, Debug)]
pub struct LinkModel {
    /// Bit rate, bit/s.
    pub rate_bps: f64,
    /// One-way latency, seconds.
    pub latency: Dist,
    /// Loss probability.
    pub loss: f64,
    /// Sender energy per bit, joules.
    pub tx_j_per_bit: f64,
    /// Receiver energy per bit, joules.
    pub rx_j_per_bit: f64,
    /// The client modem of the `from` end, if any.
    pub client_modem: Option<ModemParams>,
}

/// A cipher profile resolved.
#[derive(Clone, Copy, Debug)]
pub struct CipherModel {
    /// What it provides.
    pub kind: CipherKind,
    /// What it costs.
    pub cost: CipherCost,
}

fn builtin_device(d: &catalogue::DeviceProfile) -> DeviceModel {
    DeviceModel {
        battery_j: d.battery_j,
        sleep_w: d.sleep_w,
        cpu_hz: d.cpu_hz,
        energy_per_cycle_j: d.energy_per_cycle_j,
        station: d.station.map(|st| StationSpec {
            servers: st.servers,
            service: quantity::time_dist(st.service).unwrap_or_else(|e| {
                unreachable!("catalogue entries are checked by tests: {}", e.0)
            }),
            buffer: st.buffer,
        }),
        power: d.power,
    }
}

fn builtin_link(l: &catalogue::LinkProfile) -> LinkModel {
    LinkModel {
        rate_bps: l.rate_bps,
        latency: quantity::time_dist(l.latency)
            .unwrap_or_else(|e| unreachable!("catalogue entries are checked by tests: {}", e.0)),
        loss: l.loss,
        tx_j_per_bit: l.tx_j_per_bit,
        rx_j_per_bit: l.rx_j_per_bit,
        client_modem: l.client_modem,
    }
}

fn builtin_cipher(c: &catalogue::CipherProfile) -> CipherModel {
    CipherModel {
        kind: c.kind,
        cost: CipherCost {
            cycles_per_byte: c.cycles_per_byte,
            cycles_per_message: c.cycles_per_message,
            overhead: Bytes(c.overhead_bytes),
        },
    }
}

/// One kind of profile (device, link, cipher): where its scenario definitions and catalogue
/// entries are, and how a definition turns into a model. [`resolve`] does the rest for every
/// kind alike.
trait ProfileKind {
    /// A definition in the scenario's `profiles:`.
    type Raw;
    /// The resolved profile.
    type Model: Clone;
    /// Its key under `profiles:` (`devices`).
    const KEY: &'static str;
    /// What a profile of this kind is called in messages (`device profile`).
    const WHAT: &'static str;
    /// The definition's `extends`, `description` and `source`.
    fn head(raw: &Self::Raw) -> &ProfileHead;
    /// The catalogue entry `name`.
    fn builtin(name: &str) -> Option<Self::Model>;
    /// The catalogue's names, for suggestions.
    fn builtin_names() -> Vec<&'static str>;
    /// The fields a definition without `extends` must give, and whether each is absent.
    fn required(raw: &Self::Raw) -> Vec<(&'static str, bool)>;
    /// What a definition without `extends` starts from (its required fields then replace it).
    fn blank() -> Self::Model;
    /// The definition's fields applied over `base`, problems reported under `path`.
    fn apply(p: &mut Problems, path: &str, base: Self::Model, raw: &Self::Raw) -> Self::Model;
}

struct Devices;
struct Links;
struct Ciphers;

impl ProfileKind for Devices {
    type Raw = RawDeviceProfile;
    type Model = DeviceModel;
    const KEY: &'static str = "devices";
    const WHAT: &'static str = "device profile";
    fn head(raw: &RawDeviceProfile) -> &ProfileHead {
        &raw.head
    }
    fn builtin(name: &str) -> Option<DeviceModel> {
        catalogue::device(name).map(builtin_device)
    }
    fn builtin_names() -> Vec<&'static str> {
        catalogue::DEVICES.iter().map(|d| d.name).collect()
    }
    fn required(raw: &RawDeviceProfile) -> Vec<(&'static str, bool)> {
        let f = &raw.fields;
        vec![
            ("battery", f.battery.is_none()),
            ("sleep_power", f.sleep_power.is_none()),
            ("cpu_clock", f.cpu_clock.is_none()),
            ("energy_per_cycle", f.energy_per_cycle.is_none()),
        ]
    }
    fn blank() -> DeviceModel {
        DeviceModel {
            battery_j: None,
            sleep_w: 0.0,
            cpu_hz: 1e9,
            energy_per_cycle_j: 0.0,
            station: None,
            power: PowerProfile::default(),
        }
    }
    fn apply(
        p: &mut Problems,
        path: &str,
        base: DeviceModel,
        raw: &RawDeviceProfile,
    ) -> DeviceModel {
        apply_device_fields(p, path, base, &raw.fields)
    }
}

impl ProfileKind for Links {
    type Raw = RawLinkProfile;
    type Model = LinkModel;
    const KEY: &'static str = "links";
    const WHAT: &'static str = "link profile";
    fn head(raw: &RawLinkProfile) -> &ProfileHead {
        &raw.head
    }
    fn builtin(name: &str) -> Option<LinkModel> {
        catalogue::link(name).map(builtin_link)
    }
    fn builtin_names() -> Vec<&'static str> {
        catalogue::LINKS.iter().map(|l| l.name).collect()
    }
    fn required(raw: &RawLinkProfile) -> Vec<(&'static str, bool)> {
        let f = &raw.fields;
        vec![
            ("rate", f.rate.is_none()),
            ("latency", f.latency.is_none()),
            ("loss", f.loss.is_none()),
            ("tx_energy_per_bit", f.tx_energy_per_bit.is_none()),
            ("rx_energy_per_bit", f.rx_energy_per_bit.is_none()),
        ]
    }
    fn blank() -> LinkModel {
        LinkModel {
            rate_bps: 1e6,
            latency: Dist::Const(0.0),
            loss: 0.0,
            tx_j_per_bit: 0.0,
            rx_j_per_bit: 0.0,
            client_modem: None,
        }
    }
    fn apply(p: &mut Problems, path: &str, base: LinkModel, raw: &RawLinkProfile) -> LinkModel {
        apply_link_fields(p, path, base, &raw.fields)
    }
}

impl ProfileKind for Ciphers {
    type Raw = RawCipherProfile;
    type Model = CipherModel;
    const KEY: &'static str = "ciphers";
    const WHAT: &'static str = "cipher";
    fn head(raw: &RawCipherProfile) -> &ProfileHead {
        &raw.head
    }
    fn builtin(name: &str) -> Option<CipherModel> {
        catalogue::cipher(name).map(builtin_cipher)
    }
    fn builtin_names() -> Vec<&'static str> {
        catalogue::CIPHERS.iter().map(|c| c.name).collect()
    }
    fn required(raw: &RawCipherProfile) -> Vec<(&'static str, bool)> {
        let f = &raw.fields;
        vec![
            ("kind", f.kind.is_none()),
            ("cycles_per_byte", f.cycles_per_byte.is_none()),
            ("cycles_per_message", f.cycles_per_message.is_none()),
            ("overhead", f.overhead.is_none()),
        ]
    }
    fn blank() -> CipherModel {
        CipherModel {
            kind: CipherKind::Aead,
            cost: CipherCost {
                cycles_per_byte: 0.0,
                cycles_per_message: 0,
                overhead: Bytes(0),
            },
        }
    }
    fn apply(
        p: &mut Problems,
        path: &str,
        base: CipherModel,
        raw: &RawCipherProfile,
    ) -> CipherModel {
        apply_cipher_fields(p, path, base, &raw.fields)
    }
}

/// The profiles a scenario can use: its own, resolved, then the catalogue's.
#[derive(Default)]
pub(crate) struct Profiles {
    devices: BTreeMap<String, DeviceModel>,
    links: BTreeMap<String, LinkModel>,
    ciphers: BTreeMap<String, CipherModel>,
}

impl Profiles {
    /// Resolves the scenario's `profiles:` section.
    pub(crate) fn resolve(raw: &RawProfiles, p: &mut Problems) -> Profiles {
        Profiles {
            devices: resolve::<Devices>(&raw.devices, p),
            links: resolve::<Links>(&raw.links, p),
            ciphers: resolve::<Ciphers>(&raw.ciphers, p),
        }
    }

    /// The device profile `name`, or an error at `path`.
    pub(crate) fn device(&self, name: &str, path: &str, p: &mut Problems) -> Option<DeviceModel> {
        lookup::<Devices>(&self.devices, name, path, p)
    }

    /// The link profile `name`, or an error at `path`.
    pub(crate) fn link(&self, name: &str, path: &str, p: &mut Problems) -> Option<LinkModel> {
        lookup::<Links>(&self.links, name, path, p)
    }

    /// The cipher profile `name`, or an error at `path`.
    pub(crate) fn cipher(&self, name: &str, path: &str, p: &mut Problems) -> Option<CipherModel> {
        lookup::<Ciphers>(&self.ciphers, name, path, p)
    }
}

/// The profile `name` of kind `K`: the scenario's own (resolved), else the catalogue's; else
/// an error at `path` with a suggestion.
fn lookup<K: ProfileKind>(
    own: &BTreeMap<String, K::Model>,
    name: &str,
    path: &str,
    p: &mut Problems,
) -> Option<K::Model> {
    let found = own.get(name).cloned().or_else(|| K::builtin(name));
    if found.is_none() {
        let mut names: Vec<&str> = own.keys().map(String::as_str).collect();
        names.extend(K::builtin_names());
        p.add(
            path,
            format!("no {} `{name}`{}", K::WHAT, suggest(name, &names)),
        );
    }
    found
}

/// Resolves every scenario profile of kind `K`, each after the one it `extends` (whatever the
/// order of their names), which may be another scenario profile or a catalogue entry. A
/// profile whose chain of `extends` goes round in a circle, or reaches a name that is no
/// profile, is reported once and left out.
fn resolve<K: ProfileKind>(
    raw: &BTreeMap<String, K::Raw>,
    p: &mut Problems,
) -> BTreeMap<String, K::Model> {
    let mut r = Resolution::<K> {
        raw,
        done: BTreeMap::new(),
        failed: BTreeSet::new(),
    };
    for name in raw.keys() {
        r.resolve(name, &mut Vec::new(), p);
    }
    r.done
}

/// The state of [`resolve`]: the profiles done, those that failed (reported already).
struct Resolution<'r, K: ProfileKind> {
    raw: &'r BTreeMap<String, K::Raw>,
    done: BTreeMap<String, K::Model>,
    failed: BTreeSet<String>,
}

impl<K: ProfileKind> Resolution<'_, K> {
    /// The profile `name`, its parents first; `chain`: the names being resolved, to report a
    /// cycle.
    fn resolve(
        &mut self,
        name: &str,
        chain: &mut Vec<String>,
        p: &mut Problems,
    ) -> Option<K::Model> {
        if let Some(done) = self.done.get(name) {
            return Some(done.clone());
        }
        if self.failed.contains(name) {
            return None;
        }
        let Some(def) = self.raw.get(name) else {
            return K::builtin(name);
        };
        let path = format!("profiles.{}.{name}", K::KEY);
        if chain.iter().any(|n| n == name) {
            p.add(
                format!("{path}.extends"),
                format!(
                    "`extends` goes round in a circle: {} → {name}",
                    chain.join(" → ")
                ),
            );
            return None;
        }
        let base = match &K::head(def).extends {
            Some(parent) => {
                chain.push(name.to_string());
                let base = self.resolve(parent, chain, p);
                chain.pop();
                if base.is_none() && !self.raw.contains_key(parent) {
                    let mut names: Vec<&str> = self.raw.keys().map(String::as_str).collect();
                    names.extend(K::builtin_names());
                    p.add(
                        format!("{path}.extends"),
                        format!("no {} `{parent}`{}", K::WHAT, suggest(parent, &names)),
                    );
                }
                base
            }
            None => {
                require_without_extends(p, &path, &K::required(def));
                Some(K::blank())
            }
        };
        let Some(base) = base else {
            self.failed.insert(name.to_string());
            return None;
        };
        let model = K::apply(p, &path, base, def);
        self.done.insert(name.to_string(), model.clone());
        Some(model)
    }
}

/// A profile without `extends` must give every field: reports the ones (named, absent) left out.
fn require_without_extends(p: &mut Problems, path: &str, fields: &[(&str, bool)]) {
    let missing: Vec<&str> = fields
        .iter()
        .filter(|(_, absent)| *absent)
        .map(|(f, _)| *f)
        .collect();
    if !missing.is_empty() {
        p.add(
            path,
            format!("a profile without `extends` needs {}", missing.join(", ")),
        );
    }
}

/// Applies cipher fields over `base`.
fn apply_cipher_fields(
    p: &mut Problems,
    path: &str,
    base: CipherModel,
    f: &CipherFields,
) -> CipherModel {
    let mut m = base;
    if let Some(k) = &f.kind {
        match CipherKind::parse(k) {
            Some(kind) => m.kind = kind,
            None => p.add(
                format!("{path}.kind"),
                format!(
                    "no cipher kind `{k}`{}",
                    suggest(k, &["aead", "mac", "key_agreement", "signature"])
                ),
            ),
        }
    }
    if let Some(c) = f.cycles_per_byte {
        if c.is_finite() && c >= 0.0 {
            m.cost.cycles_per_byte = c;
        } else {
            p.add(
                format!("{path}.cycles_per_byte"),
                format!("must be a number ≥ 0, found {c}"),
            );
        }
    }
    if let Some(c) = f.cycles_per_message {
        m.cost.cycles_per_message = c;
    }
    if let Some(o) = &f.overhead {
        let b = p.unit(&format!("{path}.overhead"), quantity::bytes(&o.0));
        match b.map(u32::try_from) {
            Some(Ok(b)) => m.cost.overhead = Bytes(b),
            Some(Err(_)) => p.add(format!("{path}.overhead"), "an overhead must fit in 4 GiB"),
            None => {}
        }
    }
    m
}

/// Applies device fields (a profile's or a group's) over `base`.
pub(crate) fn apply_device_fields(
    p: &mut Problems,
    path: &str,
    base: DeviceModel,
    f: &DeviceFields,
) -> DeviceModel {
    let mut m = base;
    match &f.battery {
        None => {}
        Some(t) if t.0 == "mains" => m.battery_j = None,
        Some(t) => {
            if let Some(j) = p.unit(&format!("{path}.battery"), quantity::joules(&t.0)) {
                if j > 0.0 {
                    m.battery_j = Some(j);
                } else {
                    p.add(
                        format!("{path}.battery"),
                        "a battery holds more than 0 J; write `mains` for none",
                    );
                }
            }
        }
    }
    if let Some(t) = &f.sleep_power
        && let Some(w) = p.unit(&format!("{path}.sleep_power"), quantity::watts(&t.0))
    {
        if w >= 0.0 {
            m.sleep_w = w;
        } else {
            p.add(format!("{path}.sleep_power"), "a power is ≥ 0");
        }
    }
    if let Some(t) = &f.cpu_clock
        && let Some(hz) = p.unit(&format!("{path}.cpu_clock"), quantity::hertz(&t.0))
    {
        if hz > 0.0 {
            m.cpu_hz = hz;
        } else {
            p.add(format!("{path}.cpu_clock"), "a clock is > 0 Hz");
        }
    }
    if let Some(t) = &f.energy_per_cycle
        && let Some(j) = p.unit(&format!("{path}.energy_per_cycle"), quantity::joules(&t.0))
    {
        if j >= 0.0 {
            m.energy_per_cycle_j = j;
        } else {
            p.add(format!("{path}.energy_per_cycle"), "an energy is ≥ 0");
        }
    }
    apply_power_fields(p, path, &mut m.power, f);
    if f.service.is_some() || f.servers.is_some() || f.buffer.is_some() {
        let mut st = m.station.clone();
        if st.is_none() && f.service.is_none() {
            p.add(
                format!("{path}.service"),
                "this device forwards at once and has no station: give a `service` distribution to add one",
            );
        }
        if let Some(t) = &f.service
            && let Some(d) = p.unit(&format!("{path}.service"), quantity::time_dist(&t.0))
        {
            match &mut st {
                Some(s) => s.service = d,
                None => {
                    st = Some(StationSpec {
                        servers: 1,
                        service: d,
                        buffer: None,
                    })
                }
            }
        }
        if let Some(s) = &mut st {
            if let Some(n) = f.servers {
                if n == 0 {
                    p.add(
                        format!("{path}.servers"),
                        "a station needs at least 1 server, found 0",
                    );
                } else {
                    s.servers = n;
                }
            }
            if let Some(t) = &f.buffer {
                if t.0 == "unbounded" {
                    s.buffer = None;
                } else {
                    match t.0.parse::<u32>() {
                        Ok(b) => s.buffer = Some(b),
                        Err(_) => p.add(
                            format!("{path}.buffer"),
                            format!(
                                "a buffer is a whole number of packets or `unbounded`, found `{}`",
                                t.0
                            ),
                        ),
                    }
                }
            }
        }
        m.station = st;
    }
    m
}

/// The longest listen period, MCU time or sample rate a device may give (beyond them the
/// figure is a typo: a day between wake-ups, a second of MCU per sample, 1 MHz sampling).
const MAX_LISTEN_PERIOD_S: f64 = 86_400.0;
const MAX_MCU_TIME_S: f64 = 1.0;
const MAX_SAMPLE_RATE_HZ: f64 = 1e6;
/// The most a sensing front end may draw, W (a Wi-Fi module draws under 1 W).
const MAX_FRONT_END_W: f64 = 1.0;

/// A listen schedule: `auto`, `continuous`, `wake_to_send` or `duty(PERIOD, WINDOW)`.
pub(crate) fn listen_schedule(text: &str) -> Result<ListenSchedule, String> {
    let t = text.trim();
    match t {
        "auto" => return Ok(ListenSchedule::Auto),
        "continuous" => return Ok(ListenSchedule::Continuous),
        "wake_to_send" => return Ok(ListenSchedule::WakeToSend),
        _ => {}
    }
    let expected = "`continuous`, `wake_to_send`, `auto` or `duty(PERIOD, WINDOW)` such as `duty(30ms, 400us)`";
    let inner = t
        .strip_prefix("duty(")
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("expected {expected}, found `{t}`"))?;
    let (a, b) = inner
        .split_once(',')
        .ok_or_else(|| format!("expected {expected}, found `{t}`"))?;
    let secs = |x: &str| quantity::duration_secs(x.trim()).map_err(|e| e.0);
    let (period, window) = (secs(a)?, secs(b)?);
    if !(period > 0.0 && period <= MAX_LISTEN_PERIOD_S) {
        return Err(format!(
            "a listen period lies in (0, {MAX_LISTEN_PERIOD_S} s], found {period} s"
        ));
    }
    if !(window > 0.0 && window <= period) {
        return Err(format!(
            "a listen window lies in (0, period = {period} s], found {window} s"
        ));
    }
    Ok(ListenSchedule::DutyCycled {
        period: SimTime::from_secs_f64(period),
        window: SimTime::from_secs_f64(window),
    })
}

/// Applies the power fields (listen schedule, front end, MCU work) over `power`.
fn apply_power_fields(p: &mut Problems, path: &str, power: &mut PowerProfile, f: &DeviceFields) {
    if let Some(t) = &f.listen {
        match listen_schedule(&t.0) {
            Ok(l) => power.listen = l,
            Err(e) => p.add(format!("{path}.listen"), e),
        }
    }
    if let Some(t) = &f.front_end_power
        && let Some(w) = p.unit(&format!("{path}.front_end_power"), quantity::watts(&t.0))
    {
        if (0.0..=MAX_FRONT_END_W).contains(&w) {
            power.front_end = Watts(w);
        } else {
            p.add(
                format!("{path}.front_end_power"),
                format!("a front end draws 0 to {MAX_FRONT_END_W} W, found {w} W"),
            );
        }
    }
    if let Some(t) = &f.sample_rate
        && let Some(hz) = p.unit(&format!("{path}.sample_rate"), quantity::hertz(&t.0))
    {
        if (0.0..=MAX_SAMPLE_RATE_HZ).contains(&hz) {
            power.sample_rate = hz;
        } else {
            p.add(
                format!("{path}.sample_rate"),
                format!("a sample rate lies in 0 to {MAX_SAMPLE_RATE_HZ} Hz, found {hz} Hz"),
            );
        }
    }
    for (field, value, slot) in [
        (
            "mcu_per_sample",
            &f.mcu_per_sample,
            &mut power.mcu_per_sample,
        ),
        (
            "mcu_per_packet",
            &f.mcu_per_packet,
            &mut power.mcu_per_packet,
        ),
    ] {
        if let Some(t) = value
            && let Some(s) = p.unit(&format!("{path}.{field}"), quantity::duration_secs(&t.0))
        {
            if (0.0..=MAX_MCU_TIME_S).contains(&s) {
                *slot = SimTime::from_secs_f64(s);
            } else {
                p.add(
                    format!("{path}.{field}"),
                    format!("an MCU time lies in 0 to {MAX_MCU_TIME_S} s, found {s} s"),
                );
            }
        }
    }
    let busy = power.sample_rate * power.mcu_per_sample.as_secs_f64();
    if busy > 1.0 {
        p.add(
            format!("{path}.mcu_per_sample"),
            format!(
                "{} samples/s × {} s keep the MCU busy {busy:.2} s per second; at most 1",
                power.sample_rate,
                power.mcu_per_sample.as_secs_f64()
            ),
        );
    }
}

/// A client modem by name: `lte`, `wifi_power_save`, or `none`.
pub(crate) fn client_modem(name: &str) -> Result<Option<ModemParams>, String> {
    match name {
        "lte" => Ok(Some(ModemParams::lte())),
        "wifi_power_save" => Ok(Some(ModemParams::wifi_power_save())),
        "none" => Ok(None),
        other => Err(format!(
            "no client modem `{other}`{}; expected `lte`, `wifi_power_save` or `none`",
            suggest(other, &["lte", "wifi_power_save", "none"])
        )),
    }
}

/// Applies link fields (a profile's or a link group's) over `base`.
pub(crate) fn apply_link_fields(
    p: &mut Problems,
    path: &str,
    base: LinkModel,
    f: &LinkFields,
) -> LinkModel {
    let mut m = base;
    if let Some(t) = &f.rate
        && let Some(r) = p.unit(&format!("{path}.rate"), quantity::bit_rate(&t.0))
    {
        if r > 0.0 {
            m.rate_bps = r;
        } else {
            p.add(format!("{path}.rate"), "a bit rate must be > 0");
        }
    }
    if let Some(t) = &f.latency
        && let Some(d) = p.unit(&format!("{path}.latency"), quantity::time_dist(&t.0))
    {
        m.latency = d;
    }
    if let Some(l) = f.loss {
        if (0.0..=1.0).contains(&l) {
            m.loss = l;
        } else {
            p.add(
                format!("{path}.loss"),
                format!("a probability must lie in [0, 1], found {l}"),
            );
        }
    }
    if let Some(name) = &f.client_modem {
        match client_modem(name) {
            Ok(c) => m.client_modem = c,
            Err(e) => p.add(format!("{path}.client_modem"), e),
        }
    }
    for (field, value, slot) in [
        (
            "tx_energy_per_bit",
            &f.tx_energy_per_bit,
            &mut m.tx_j_per_bit,
        ),
        (
            "rx_energy_per_bit",
            &f.rx_energy_per_bit,
            &mut m.rx_j_per_bit,
        ),
    ] {
        if let Some(t) = value
            && let Some(j) = p.unit(&format!("{path}.{field}"), quantity::joules(&t.0))
        {
            if j >= 0.0 {
                *slot = j;
            } else {
                p.add(format!("{path}.{field}"), "an energy is ≥ 0");
            }
        }
    }
    m
}
