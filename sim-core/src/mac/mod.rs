//! # mac — medium access: who may transmit when
//!
//! One module per protocol, each a pure state machine the engine drives at event times:
//! - [`csma_ca`] — IEEE 802.15.4 unslotted CSMA/CA: random backoff in unit backoff periods,
//!   clear-channel assessment against an energy threshold, ACK with a timeout, retries;
//! - [`ble_connection`] — BLE connection events: interval, peripheral latency, supervision
//!   timeout, CSA#1 hopping over the 37 data channels with an adaptive channel map;
//! - [`dcf`] — IEEE 802.11 DCF: DIFS/SIFS/slot, binary exponential backoff frozen while the
//!   medium is busy, ACK and retries, per 802.11 variant.
//!
//! A radio link without a MAC keeps the physical layer alone: its transmitter is a FIFO
//! server that starts a frame as soon as it is free. Facts and sources: radio.md §D.

pub mod ble_connection;
pub mod csma_ca;
pub mod dcf;

pub use ble_connection::{BleParams, ChannelSelection, Connection};
pub use csma_ca::{CsmaCa, CsmaCaParams};
pub use dcf::{Contention, DcfParams, WifiStandard};

/// The medium access of one radio link.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mac {
    /// IEEE 802.15.4 unslotted CSMA/CA.
    CsmaCa(CsmaCaParams),
    /// A BLE connection: the link's second endpoint is the central, the first the peripheral.
    Ble(BleParams),
    /// IEEE 802.11 DCF.
    Dcf(DcfParams),
}

impl Mac {
    /// The catalogue name of the access method: `csma_ca`, `ble_connection` or `dcf`.
    pub fn name(&self) -> &'static str {
        match self {
            Mac::CsmaCa(_) => "csma_ca",
            Mac::Ble(_) => "ble_connection",
            Mac::Dcf(_) => "dcf",
        }
    }
}
