//! # phy — the physical layer of radio links
//!
//! The stages a frame goes through between two radios, one module each, in order:
//! - [`position`] — where each radio is, in metres;
//! - [`path_loss`] — mean loss over distance (Friis, log-distance, IEEE 802.15.6 on-body and
//!   implant) and the per-link log-normal shadowing;
//! - [`power`] — dBm and dB for link budgets, milliwatts for sums of interference;
//! - [`noise`] — the thermal noise floor `kTB·F`;
//! - [`jammer`] — jammers as interference power on a timeline: constant, random, reactive,
//!   deceptive; hopping victims;
//! - [`medium`] — the frames on the air per channel, and what a receiver met during one;
//! - [`reception`] — the SINR of each constant-interference chunk of a frame, the receiver's
//!   sensitivity and preamble lock, and the frame's success probability;
//! - [`error_model`] — bit and chunk success per modulation (802.15.4 O-QPSK, BLE GFSK, Wi-Fi
//!   DSSS and OFDM);
//! - [`radio`] — radio states (sleep, idle, RX, TX) and the energy of real chips in each;
//! - [`lte`] — the cellular modem's RRC states (promotion, connected, tail, idle);
//! - [`technology`] — radio technologies (802.15.4, BLE, MICS, Wi-Fi) tying the above together.
//!
//! Every formula is validated in its module's tests against an independent figure: the ns-3
//! unit-test values and the closed forms collected in the project's radio facts (radio.md §V).
//! Pure and allocation-free on the per-frame path except where a caller passes a buffer.

pub mod error_model;
pub mod jammer;
pub mod lte;
pub mod medium;
pub mod noise;
pub mod path_loss;
pub mod position;
pub mod power;
pub mod radio;
pub mod reception;
pub mod technology;

pub use error_model::Modulation;
pub use path_loss::PathLoss;
pub use position::Position;
pub use power::{Db, Dbm, MilliWatts};
