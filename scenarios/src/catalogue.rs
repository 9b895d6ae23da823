//! Built-in device, link and cipher profiles, each with the source of its numbers.
//!
//! Every figure comes from `../shared/domain/parameters.md` (sections in brackets); tags: **V**
//! read in the cited source, **D** derived by arithmetic from V numbers, **U** an engineering
//! assumption to check before citing. A scenario may override any field of a profile.

use sim_core::phy::lte::ModemParams;
use sim_core::power_profile::{ListenSchedule, PowerProfile};
use sim_core::{SimTime, Watts};

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
    /// Radio listen schedule, sensing front end and MCU work per sample and per packet.
    pub power: PowerProfile,
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
    /// The client modem of the link's `from` end (LTE RRC, Wi-Fi power save), metered by its
    /// states instead of per bit.
    pub client_modem: Option<ModemParams>,
    /// Where the numbers come from.
    pub source: &'static str,
}

pub use attacks::cipher::CipherKind;

/// A cipher profile (see `attacks::cipher` for the cost model).
#[derive(Clone, Copy, Debug)]
pub struct CipherProfile {
    /// Catalogue name.
    pub name: &'static str,
    /// What it provides.
    pub kind: CipherKind,
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

/// No front end, no MCU work per sample or packet, the default listen schedule.
const NO_SENSING: PowerProfile = PowerProfile {
    listen: ListenSchedule::Auto,
    front_end: Watts(0.0),
    sample_rate: 0.0,
    mcu_per_sample: SimTime::ZERO,
    mcu_per_packet: SimTime::ZERO,
};

/// A BLE peripheral's connection events: every 30 ms (the `ble_1m` profile's connection
/// interval, §G [U]), listening 400 µs: the central's empty PDU (80 µs at 1 Mbit/s), T_IFS
/// (150 µs), the peripheral's reply (80 µs) and ≈ 90 µs of window widening and crystal settling
/// (radio.md §C2, §D2 [D]; the widening is [U]).
const BLE_CONNECTION: ListenSchedule = ListenSchedule::DutyCycled {
    period: SimTime::from_millis(30),
    window: SimTime::from_micros(400),
};

/// MCU active time to read and filter one sample (an SPI transfer and a few dozen
/// multiply-accumulates at 64 MHz), [U]: an assumption, no figure in radio.md.
const MCU_PER_SAMPLE: SimTime = SimTime::from_micros(10);
/// MCU active time to frame and queue one packet, [U]: an assumption.
const MCU_PER_PACKET: SimTime = SimTime::from_millis(1);

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
        power: PowerProfile {
            listen: BLE_CONNECTION,
            front_end: Watts(0.55e-3),
            sample_rate: 250.0,
            mcu_per_sample: MCU_PER_SAMPLE,
            mcu_per_packet: MCU_PER_PACKET,
        },
        source: "battery 450 mAh Li-ion at 3.7 V = 5994 J (§A/§C, V/D, Huda et al.); sleep 2 µA × 3 V (§C, V); 0.16 nJ/cycle (§C, D); ECG front end 0.55 mW, one channel of a TI ADS1198 (radio.md §C3, V; a MAX30003 draws 85 µW, V*); 250 Hz sampling (§A/§G); MCU 10 µs per sample and 1 ms per packet (U); BLE connection event every 30 ms, 400 µs listening (radio.md §C2/§D2, D/U)",
    },
    DeviceProfile {
        name: "spo2_clip",
        description: "pulse-oximeter finger clip on a CR2032 coin cell",
        battery_j: Some(225.0 * 3.6 * 3.0),
        sleep_w: SENSOR_SLEEP_W,
        cpu_hz: SENSOR_HZ,
        energy_per_cycle_j: SENSOR_NJ_PER_CYCLE,
        station: None,
        power: PowerProfile {
            listen: BLE_CONNECTION,
            front_end: Watts(0.28e-3 * 3.0),
            sample_rate: 100.0,
            mcu_per_sample: MCU_PER_SAMPLE,
            mcu_per_packet: MCU_PER_PACKET,
        },
        source: "CR2032 225 mAh × 3.0 V = 2430 J (§C, U capacity); sleep 2 µA × 3 V (§C, V); 0.16 nJ/cycle (§C, D); PPG front end 7 mA LED × 0.4 ms × 100 Hz = 0.28 mA at 3 V = 0.84 mW (radio.md §C3, D from V); MCU 10 µs per sample and 1 ms per packet (U); BLE connection event every 30 ms, 400 µs listening (radio.md §C2/§D2, D/U)",
    },
    DeviceProfile {
        name: "ecg_12lead",
        description: "12-lead bedside ECG (500 Hz × 12 bit × 12 leads = 72 kbit/s), mains",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: SENSOR_HZ,
        energy_per_cycle_j: SENSOR_NJ_PER_CYCLE,
        station: None,
        power: NO_SENSING,
        source: "signal rate 72 kbit/s (§A, D); mains-powered bedside unit (U)",
    },
    DeviceProfile {
        name: "bp_cuff",
        description: "automatic blood-pressure cuff on 4 AA cells",
        battery_j: Some(4.0 * 2000.0 * 3.6 * 1.5),
        sleep_w: SENSOR_SLEEP_W,
        cpu_hz: SENSOR_HZ,
        energy_per_cycle_j: SENSOR_NJ_PER_CYCLE,
        station: None,
        power: NO_SENSING,
        source: "4 × AA 2000 mAh at 1.5 V = 43.2 kJ (U); one 32-bit reading per measurement (§A, V); sensor MCU as ecg_patch",
    },
    DeviceProfile {
        name: "cgm",
        description: "continuous glucose monitor transmitter (Dexcom G6 class), one reading per 5 min",
        battery_j: Some(225.0 * 3.6 * 3.0),
        sleep_w: SENSOR_SLEEP_W,
        cpu_hz: SENSOR_HZ,
        energy_per_cycle_j: SENSOR_NJ_PER_CYCLE,
        station: None,
        power: NO_SENSING,
        source: "reading every 5 min, 3-month transmitter (§A, V); coin-cell capacity 2.43 kJ (§C, U)",
    },
    DeviceProfile {
        name: "insulin_pump",
        description: "insulin pump receiving bolus commands, on one AAA cell",
        battery_j: Some(1000.0 * 3.6 * 1.5),
        sleep_w: SENSOR_SLEEP_W,
        cpu_hz: SENSOR_HZ,
        energy_per_cycle_j: SENSOR_NJ_PER_CYCLE,
        station: Some(StationProfile {
            servers: 1,
            service: "const(5ms)",
            buffer: Some(8),
        }),
        power: NO_SENSING,
        source: "AAA 1000 mAh at 1.5 V = 5.4 kJ (§A, U); 5 ms to act on a command (U)",
    },
    DeviceProfile {
        name: "pacemaker",
        description: "pacemaker / ICD with MICS telemetry, Li/I2 cell",
        battery_j: Some(1000.0 * 3.6 * 2.8),
        sleep_w: 10e-6 * 2.8,
        cpu_hz: 8e6,
        energy_per_cycle_j: 0.3e-9,
        station: Some(StationProfile {
            servers: 1,
            service: "const(2ms)",
            buffer: Some(4),
        }),
        power: NO_SENSING,
        source: "Li/I2 2.8 V, 1 Ah = 10.1 kJ, within the 3–30 kJ that 10 years at 10–100 µW implies (§A/§C, D/U); baseline 10 µA leakage budget × 2.8 V (§A, V); MSP430-class 8 MHz at ≈100 µA/MHz × 3 V = 0.3 nJ/cycle (§C, U)",
    },
    DeviceProfile {
        name: "phone_hub",
        description: "patient's smartphone relaying a BAN to the cloud",
        battery_j: Some(3000.0 * 3.6 * 3.85),
        sleep_w: 20e-3,
        cpu_hz: 2.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 1,
            service: "exp(5ms)",
            buffer: Some(128),
        }),
        power: NO_SENSING,
        source: "3000 mAh at 3.85 V = 41.6 kJ; 20 mW idle baseline; 5 ms mean app forwarding (all U); app CPU energy not metered",
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
        power: NO_SENSING,
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
        power: NO_SENSING,
        source: "2 cores, 0.5 ms mean forwarding time, 256-packet buffer (U, engineering assumption)",
    },
    DeviceProfile {
        name: "home_gateway",
        description: "home Wi-Fi router / monitoring base station (mains)",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: 1.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 1,
            service: "exp(1ms)",
            buffer: Some(128),
        }),
        power: NO_SENSING,
        source: "1 ms mean forwarding, 128-packet buffer (U, engineering assumption)",
    },
    DeviceProfile {
        name: "hospital_gateway",
        description: "hospital core gateway aggregating ward gateways (mains)",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: 3.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 4,
            service: "exp(200us)",
            buffer: Some(1024),
        }),
        power: NO_SENSING,
        source: "4 cores, 0.2 ms mean forwarding, 1024-packet buffer (U, engineering assumption)",
    },
    DeviceProfile {
        name: "fog_server",
        description: "hospital fog node: filtering, alarm triage, local analytics (mains)",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: 3.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 8,
            service: "exp(1ms)",
            buffer: Some(4096),
        }),
        power: NO_SENSING,
        source: "8 workers, 1 ms mean per message (U, engineering assumption)",
    },
    DeviceProfile {
        name: "cloud_vm",
        description: "generic cloud virtual machine running one service",
        battery_j: None,
        sleep_w: 0.0,
        cpu_hz: 3.0e9,
        energy_per_cycle_j: 0.0,
        station: Some(StationProfile {
            servers: 4,
            service: "exp(2ms)",
            buffer: Some(10_000),
        }),
        power: NO_SENSING,
        source: "4 vCPUs, 2 ms mean per request (U, engineering assumption)",
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
        power: NO_SENSING,
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
        power: NO_SENSING,
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
        client_modem: None,
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
        client_modem: None,
        source: "250 kbit/s, 77/78 nJ/bit (§B, V/D); access delay 1–5 ms and 0.5 % loss (§B, U)",
    },
    LinkProfile {
        name: "ieee802154_cc2420",
        description: "IEEE 802.15.4 / Zigbee, legacy radio (TI CC2420)",
        rate_bps: 250e3,
        latency: "uniform(1ms, 5ms)",
        loss: 0.005,
        tx_j_per_bit: 209e-9,
        rx_j_per_bit: 226e-9,
        client_modem: None,
        source: "CC2420: 17.4/18.8 mA × 3 V / 250 kbit/s = 209/226 nJ/bit (§B, V/D); access delay and loss as ieee802154 (U)",
    },
    LinkProfile {
        name: "mics",
        description: "Medical Implant Communication Service, 402–405 MHz (ZL70102)",
        rate_bps: 800e3,
        latency: "uniform(1ms, 5ms)",
        loss: 1e-6,
        tx_j_per_bit: 5e-3 * 3.0 / 800e3,
        rx_j_per_bit: 5e-3 * 3.0 / 800e3,
        client_modem: None,
        source: "800 kbit/s raw, 5 mA average TX/RX at 3 V = 18.75 nJ/bit (§B, V/D); BER < 1.5e-10 (§B, V) gives loss ≈ 0 for short frames; access delay 1–5 ms (U)",
    },
    LinkProfile {
        name: "wifi",
        description: "Wi-Fi 802.11n between hubs and the ward gateway",
        rate_bps: 20e6,
        latency: "uniform(1ms, 5ms)",
        loss: 0.001,
        tx_j_per_bit: 0.240 * 3.3 / 20e6,
        rx_j_per_bit: 0.129 * 3.3 / 20e6,
        client_modem: Some(ModemParams::wifi_power_save()),
        source: "ESP32 TX ≈ 240 mA (U) and 129 mA average (V) at 3.3 V over an assumed 20 Mbit/s = 39.6/21.3 nJ/bit (§B, D from U), kept at the access point's end; the `from` end is a power-saving client: 59.4 mW dozing (ESP32-S2 modem-sleep 18 mA, radio.md §C1, V), 478.5 mW sending, 207.9 mW receiving and for a 100 ms inactivity tail (radio.md §C1, V; tail U); 1–5 ms access and 0.1 % loss (U)",
    },
    LinkProfile {
        name: "lte",
        description: "LTE uplink from a phone or home gateway to the operator's core",
        rate_bps: 10e6,
        latency: "uniform(15ms, 25ms)",
        loss: 0.001,
        tx_j_per_bit: 0.0,
        rx_j_per_bit: 0.0,
        client_modem: Some(ModemParams::lte()),
        source: "30–50 ms typical round trip (§B, V) taken as 15–25 ms one way; 10 Mbit/s uplink and 0.1 % residual loss (U); the `from` end's modem by the LTE RRC model of Huang et al. 2012: promotion 260.1 ms at 1210.7 mW, tail 11.576 s at 1060 mW, idle 11.4 mW, α_u 438.39 mW per Mbit/s, β 1288.04 mW (radio.md §E, U)",
    },
    LinkProfile {
        name: "nr5g",
        description: "5G NR (eMBB) uplink",
        rate_bps: 50e6,
        latency: "uniform(4ms, 8ms)",
        loss: 0.0005,
        tx_j_per_bit: 0.0,
        rx_j_per_bit: 0.0,
        client_modem: None,
        source: "4 ms user-plane latency, eMBB (§B, V, IMT-2020) plus up to 4 ms scheduling (U); 50 Mbit/s uplink (U); radio energy not metered",
    },
    LinkProfile {
        name: "wan",
        description: "Internet path from the hospital to the cloud region",
        rate_bps: 100e6,
        latency: "uniform(10ms, 50ms)",
        loss: 0.001,
        tx_j_per_bit: 0.0,
        rx_j_per_bit: 0.0,
        client_modem: None,
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
        client_modem: None,
        source: "1 Gbit/s, 0.1 ms (U, engineering assumption)",
    },
];

/// The cipher catalogue.
pub const CIPHERS: &[CipherProfile] = &[
    CipherProfile {
        kind: CipherKind::Aead,
        name: "aes128_ctr_hmac_sha256",
        description: "AES-128-CTR (assembly) with HMAC-SHA256 truncated to 16 B",
        cycles_per_byte: 33.6 + 93.0,
        cycles_per_message: 2 * 64 * 92,
        overhead_bytes: 28,
        source: "AES-128-CTR 33.6 c/B on Cortex-M4 asm (§C, V, Schwabe & Stoffelen 2016); HMAC-SHA256 93 c/B (§C, D, wolfSSL) plus 2 × 64 B key blocks at 92 c/B; 12 B nonce + 16 B tag (§E, U)",
    },
    CipherProfile {
        kind: CipherKind::Aead,
        name: "aes128_ctr_c_hmac_sha256",
        description: "AES-128 in portable C with HMAC-SHA256 (no assembly)",
        cycles_per_byte: 184.0 + 93.0,
        cycles_per_message: 2 * 64 * 92,
        overhead_bytes: 28,
        source: "AES-128 C 184 c/B on Cortex-M4 (§C/§G, D, wolfSSL); HMAC-SHA256 as above; 28 B (§E, U)",
    },
    CipherProfile {
        kind: CipherKind::Aead,
        name: "chacha20_poly1305",
        description: "ChaCha20-Poly1305 AEAD",
        cycles_per_byte: 43.6,
        cycles_per_message: 0,
        overhead_bytes: 28,
        source: "43.6 c/B on Cortex-M4, C (§C, D, wolfSSL); no per-message figure retrieved; 12 B nonce + 16 B tag",
    },
    CipherProfile {
        kind: CipherKind::Aead,
        name: "ascon128",
        description: "Ascon-128 AEAD (NIST lightweight standard)",
        cycles_per_byte: 56.8,
        cycles_per_message: 1900,
        overhead_bytes: 32,
        source: "56.8 c/B long messages + ≈1.9 k cycles per message on ARMv6 (§C, V, ascon-c); no Cortex-M figure; 16 B nonce + 16 B tag",
    },
    CipherProfile {
        kind: CipherKind::Aead,
        name: "aes128_gcm_c",
        description: "AES-128-GCM in portable C (wolfSSL)",
        cycles_per_byte: 256.0,
        cycles_per_message: 0,
        overhead_bytes: 28,
        source: "256 c/B on Cortex-M4 80 MHz, C only (§C, D, wolfSSL); 12 B nonce + 16 B tag",
    },
    CipherProfile {
        kind: CipherKind::Mac,
        name: "hmac_sha256",
        description: "HMAC-SHA256 truncated to 16 B: integrity only, no confidentiality",
        cycles_per_byte: 93.0,
        cycles_per_message: 2 * 64 * 92,
        overhead_bytes: 16,
        source: "93 c/B on Cortex-M4, C (§C, D, wolfSSL) plus 2 × 64 B key blocks at 92 c/B; 16 B truncated tag",
    },
    CipherProfile {
        kind: CipherKind::KeyAgreement,
        name: "x25519",
        description: "X25519 key agreement, one scalar multiplication per party",
        cycles_per_byte: 0.0,
        cycles_per_message: 3_589_850,
        overhead_bytes: 32,
        source: "3 589 850 cycles on Cortex-M0 (§C, V/D, Düll et al. 2015); 32 B public key",
    },
    CipherProfile {
        kind: CipherKind::KeyAgreement,
        name: "p256_ecdh",
        description: "ECDH on NIST P-256",
        cycles_per_byte: 0.0,
        cycles_per_message: 16_000_000,
        overhead_bytes: 64,
        source: "16 M cycles on Cortex-M0+ 64 MHz, Thumb asm (§C, V/D, wolfSSL); 64 B public key",
    },
    CipherProfile {
        kind: CipherKind::Signature,
        name: "ecdsa_p256",
        description: "ECDSA P-256 signature (sign cost; verify costs 7.6 M cycles)",
        cycles_per_byte: 0.0,
        cycles_per_message: 3_400_000,
        overhead_bytes: 64,
        source: "sign 42.5 ms and verify 94.4 ms at 80 MHz, Cortex-M4 asm = 3.4 M / 7.6 M cycles (§C, V/D, wolfSSL); 64 B signature",
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
            assert!(!c.source.is_empty(), "{}", c.name);
            // Per-packet primitives cost per byte; handshake primitives per operation.
            match c.kind {
                CipherKind::Aead | CipherKind::Mac => {
                    assert!(c.cycles_per_byte > 0.0, "{}", c.name)
                }
                _ => assert!(c.cycles_per_message > 0, "{}", c.name),
            }
        }
        let names: Vec<&str> = DEVICES
            .iter()
            .map(|d| d.name)
            .chain(LINKS.iter().map(|l| l.name))
            .chain(CIPHERS.iter().map(|c| c.name))
            .collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "profile names are unique");
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
