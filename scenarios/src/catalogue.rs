//! Built-in device, link and cipher profiles, each with the source of its numbers.
//!
//! Every figure comes from `../shared/domain/parameters.md` (sections in brackets); tags: **V**
//! read in the cited source, **D** derived by arithmetic from V numbers, **U** an engineering
//! assumption to check before citing. A scenario may override any field of a profile.

/// A queueing station's defaults.
#[derive(Clone, Copy, Debug)]
pub struct StationProfile {
    /// Servers.
    pub servers: u32,
    /// Service-time distribution, in the scenario syntax (`exp(2ms)`).
    pub service: &'static str,
    /// Waiting places; `None` is unbounded.
    pub buffer: Option<u32>,
}

/// A device profile.
#[derive(Clone, Copy, Debug)]
pub struct DeviceProfile {
    /// Catalogue name.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// Battery capacity in joules; `None` for mains power.
    pub battery_j: Option<f64>,
    /// Baseline (sleep) power, watts.
    pub sleep_w: f64,
    /// CPU clock, hertz.
    pub cpu_hz: f64,
    /// Energy per CPU cycle, joules (0 where not metered).
    pub energy_per_cycle_j: f64,
    /// Processing station; `None` forwards at once.
    pub station: Option<StationProfile>,
    /// Where the numbers come from.
    pub source: &'static str,
}

/// A link profile.
#[derive(Clone, Copy, Debug)]
pub struct LinkProfile {
    /// Catalogue name.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// Bit rate, bit/s.
    pub rate_bps: f64,
    /// One-way latency distribution, in the scenario syntax.
    pub latency: &'static str,
    /// Loss probability per hop.
    pub loss: f64,
    /// Sender radio energy per bit, joules.
    pub tx_j_per_bit: f64,
    /// Receiver radio energy per bit, joules.
    pub rx_j_per_bit: f64,
    /// Where the numbers come from.
    pub source: &'static str,
}

/// A cipher profile (see `attacks::link_encryption` for the cost model).
#[derive(Clone, Copy, Debug)]
pub struct CipherProfile {
    /// Catalogue name.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// CPU cycles per payload byte.
    pub cycles_per_byte: f64,
    /// Fixed CPU cycles per message.
    pub cycles_per_message: u64,
    /// Bytes added per packet.
    pub overhead_bytes: u32,
    /// Where the numbers come from.
    pub source: &'static str,
}

/// Energy of one cycle of a low-power Cortex-M sensor MCU: 53 µA/MHz × 3.0 V = 0.16 nJ
/// (TI CC2340R2, parameters.md §C, D; §G default).
const SENSOR_NJ_PER_CYCLE: f64 = 0.16e-9;
/// Sensor sleep: nRF52832 System ON ≈ 2 µA × 3.0 V = 6 µW (§C, V).
const SENSOR_SLEEP_W: f64 = 2e-6 * 3.0;
/// Sensor clock: nRF52840, 64 MHz (Nordic product specification).
const SENSOR_HZ: f64 = 64e6;

/// The device catalogue.
pub const DEVICES: &[DeviceProfile] = &[
    DeviceProfile {
        name: "ecg_patch",
        description: "single-lead wearable ECG patch, nRF52840-class BLE SoC",
        battery_j: Some(450.0 * 3.6 * 3.7),
        sleep_w: SENSOR_SLEEP_W,
        cpu_hz: SENSOR_HZ,
        energy_per_cycle_j: SENSOR_NJ_PER_CYCLE,
        station: None,
        source: "battery 450 mAh Li-ion at 3.7 V = 5994 J (§A/§C, V/D, Huda et al.); sleep 2 µA × 3 V (§C, V); 0.16 nJ/cycle (§C, D)",
    },
    DeviceProfile {
        name: "spo2_clip",
        description: "pulse-oximeter finger clip on a CR2032 coin cell",
        battery_j: Some(225.0 * 3.6 * 3.0),
        sleep_w: SENSOR_SLEEP_W,
        cpu_hz: SENSOR_HZ,
        energy_per_cycle_j: SENSOR_NJ_PER_CYCLE,
        station: None,
        source: "CR2032 225 mAh × 3.0 V = 2430 J (§C, U capacity); sleep 2 µA × 3 V (§C, V); 0.16 nJ/cycle (§C, D)",
    },
    DeviceProfile {
        name: "bedside_hub",
        description: "bedside monitor / phone-class hub aggregating a patient's BAN (mains)",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: 1.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 1,
            service: "exp(2ms)",
            buffer: Some(64),
        }),
        source: "1 GHz application core, 2 ms mean forwarding time, 64-packet buffer (U, engineering assumption); mains power, CPU energy not metered",
    },
    DeviceProfile {
        name: "ward_gateway",
        description: "ward gateway forwarding every hub's traffic to the cloud (mains)",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: 2.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 2,
            service: "exp(500us)",
            buffer: Some(256),
        }),
        source: "2 cores, 0.5 ms mean forwarding time, 256-packet buffer (U, engineering assumption)",
    },
    DeviceProfile {
        name: "cloud_ingest",
        description: "cloud ingestion service (MQTT/HTTPS broker)",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: 3.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 4,
            service: "exp(1ms)",
            buffer: Some(10_000),
        }),
        source: "4 workers, 1 ms mean per message (U, engineering assumption)",
    },
    DeviceProfile {
        name: "cloud_store",
        description: "cloud EHR / time-series store",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: 3.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 8,
            service: "lognormal(3ms, 0.5)",
            buffer: Some(10_000),
        }),
        source: "8 writers, 3 ms median write with log-normal spread σ = 0.5 (U, engineering assumption)",
    },
];

/// The link catalogue.
pub const LINKS: &[LinkProfile] = &[
    LinkProfile {
        name: "ble_1m",
        description: "Bluetooth Low Energy 1M PHY, 30 ms connection interval",
        rate_bps: 1e6,
        latency: "uniform(2ms, 32ms)",
        loss: 0.001,
        tx_j_per_bit: 19.2e-9,
        rx_j_per_bit: 18.8e-9,
        source: "nRF52840 0 dBm: 6.40/6.26 mA × 3 V / 1 Mbit/s = 19.2/18.8 nJ/bit (§B, V/D); 2 ms per hop + a uniform wait for the next event of a 30 ms connection interval (§G, U); 0.1 % residual loss (§B, U)",
    },
    LinkProfile {
        name: "ieee802154",
        description: "IEEE 802.15.4 / Zigbee, modern radio (nRF52840)",
        rate_bps: 250e3,
        latency: "uniform(1ms, 5ms)",
        loss: 0.005,
        tx_j_per_bit: 77e-9,
        rx_j_per_bit: 78e-9,
        source: "250 kbit/s, 77/78 nJ/bit (§B, V/D); access delay 1–5 ms and 0.5 % loss (§B, U)",
    },
    LinkProfile {
        name: "wifi",
        description: "Wi-Fi 802.11n between hubs and the ward gateway",
        rate_bps: 20e6,
        latency: "uniform(1ms, 5ms)",
        loss: 0.001,
        tx_j_per_bit: 0.240 * 3.3 / 20e6,
        rx_j_per_bit: 0.129 * 3.3 / 20e6,
        source: "ESP32 TX ≈ 240 mA (U) and 129 mA average (V) at 3.3 V over an assumed 20 Mbit/s = 39.6/21.3 nJ/bit (§B, D from U); 1–5 ms access and 0.1 % loss (U)",
    },
    LinkProfile {
        name: "wan",
        description: "Internet path from the hospital to the cloud region",
        rate_bps: 100e6,
        latency: "uniform(10ms, 50ms)",
        loss: 0.001,
        tx_j_per_bit: 0.0,
        rx_j_per_bit: 0.0,
        source: "20–100 ms RTT to a cloud region, one-way half of it (§B, U); 100 Mbit/s uplink and 0.1 % loss (U); mains ends, energy not metered",
    },
    LinkProfile {
        name: "ethernet",
        description: "data-centre Ethernet between cloud services",
        rate_bps: 1e9,
        latency: "const(100us)",
        loss: 0.0,
        tx_j_per_bit: 0.0,
        rx_j_per_bit: 0.0,
        source: "1 Gbit/s, 0.1 ms (U, engineering assumption)",
    },
];

/// The cipher catalogue.
pub const CIPHERS: &[CipherProfile] = &[
    CipherProfile {
        name: "aes128_ctr_hmac_sha256",
        description: "AES-128-CTR (assembly) with HMAC-SHA256 truncated to 16 B",
        cycles_per_byte: 33.6 + 93.0,
        cycles_per_message: 2 * 64 * 92,
        overhead_bytes: 28,
        source: "AES-128-CTR 33.6 c/B on Cortex-M4 asm (§C, V, Schwabe & Stoffelen 2016); HMAC-SHA256 93 c/B (§C, D, wolfSSL) plus 2 × 64 B key blocks at 92 c/B; 12 B nonce + 16 B tag (§E, U)",
    },
    CipherProfile {
        name: "aes128_ctr_c_hmac_sha256",
        description: "AES-128 in portable C with HMAC-SHA256 (no assembly)",
        cycles_per_byte: 184.0 + 93.0,
        cycles_per_message: 2 * 64 * 92,
        overhead_bytes: 28,
        source: "AES-128 C 184 c/B on Cortex-M4 (§C/§G, D, wolfSSL); HMAC-SHA256 as above; 28 B (§E, U)",
    },
    CipherProfile {
        name: "chacha20_poly1305",
        description: "ChaCha20-Poly1305 AEAD",
        cycles_per_byte: 43.6,
        cycles_per_message: 0,
        overhead_bytes: 28,
        source: "43.6 c/B on Cortex-M4, C (§C, D, wolfSSL); no per-message figure retrieved; 12 B nonce + 16 B tag",
    },
    CipherProfile {
        name: "ascon128",
        description: "Ascon-128 AEAD (NIST lightweight standard)",
        cycles_per_byte: 56.8,
        cycles_per_message: 1900,
        overhead_bytes: 32,
        source: "56.8 c/B long messages + ≈1.9 k cycles per message on ARMv6 (§C, V, ascon-c); no Cortex-M figure; 16 B nonce + 16 B tag",
    },
];

/// A device profile by name.
pub fn device(name: &str) -> Option<&'static DeviceProfile> {
    DEVICES.iter().find(|d| d.name == name)
}

/// A link profile by name.
pub fn link(name: &str) -> Option<&'static LinkProfile> {
    LINKS.iter().find(|l| l.name == name)
}

/// A cipher profile by name.
pub fn cipher(name: &str) -> Option<&'static CipherProfile> {
    CIPHERS.iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::time_dist;

    #[test]
    fn every_profile_is_valid_and_names_its_source() {
        for d in DEVICES {
            assert!(!d.source.is_empty());
            if let Some(st) = d.station {
                assert!(time_dist(st.service).is_ok(), "{}", d.name);
                assert!(st.servers > 0);
            }
        }
        for l in LINKS {
            assert!(time_dist(l.latency).is_ok(), "{}", l.name);
            assert!((0.0..=1.0).contains(&l.loss));
            assert!(!l.source.is_empty());
        }
        for c in CIPHERS {
            assert!(c.cycles_per_byte > 0.0 && !c.source.is_empty());
        }
    }

    #[test]
    fn radio_energy_per_bit_is_current_times_voltage_over_rate() {
        // BLE 1M on an nRF52840: 6.40 mA × 3.0 V / 1 Mbit/s = 19.2 nJ/bit (§B).
        let ble = link("ble_1m").unwrap();
        assert!((ble.tx_j_per_bit - 6.40e-3 * 3.0 / 1e6).abs() < 1e-15);
        // 6.26 mA gives 18.78 nJ/bit, which §B rounds to 18.8.
        assert!((ble.rx_j_per_bit / (6.26e-3 * 3.0 / 1e6) - 1.0).abs() < 0.002);
        // The ECG patch: one 450 mAh Li-ion cell at 3.7 V ≈ 6.0 kJ (§C).
        assert!((device("ecg_patch").unwrap().battery_j.unwrap() - 5994.0).abs() < 1e-9);
    }
}
