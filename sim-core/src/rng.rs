//! Independent, reproducible random streams.
//!
//! Every source of randomness in a run (each traffic source, each link, each station, each
//! attack, each defense) draws from its own generator. The generator's seed is a function of the
//! replication's master seed and the stream's stable name only, so adding an attack or a defense
//! (a new stream) never shifts the numbers any other stream draws: variants of a scenario are
//! compared under common random numbers.
//!
//! # Derivation (platform-independent, documented so other tools can reproduce it)
//!
//! 1. `h = FNV-1a-64(name as UTF-8 bytes)` (offset basis `0xcbf29ce484222325`, prime
//!    `0x100000001b3`).
//! 2. `x = master ^ splitmix64(h)`.
//! 3. `hi = splitmix64(x)`, `lo = splitmix64(x + 0x9e3779b97f4a7c15)` (wrapping).
//! 4. The stream is `Pcg64Mcg::new((hi << 64) | lo)` from `rand_pcg` (a 128-bit multiplicative
//!    congruential generator with XSL-RR output, whose algorithm is fixed by its name).
//!
//! `std::collections::hash_map::DefaultHasher` and `SmallRng` are avoided on purpose: their
//! output may change between Rust or `rand` releases.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// The generator every stream uses.
pub type Stream = Pcg64Mcg;

/// FNV-1a, 64-bit: a fixed, tiny, well-specified hash of a stream's name.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The 128-bit state seed of stream `name` under `master` (steps 1–3 above).
pub fn stream_seed(master: u64, name: &str) -> u128 {
    let x = master ^ splitmix64(fnv1a64(name.as_bytes()));
    let hi = splitmix64(x);
    let lo = splitmix64(x.wrapping_add(0x9e37_79b9_7f4a_7c15));
    (u128::from(hi) << 64) | u128::from(lo)
}

/// The generator of stream `name` under the replication seed `master`.
pub fn stream(master: u64, name: &str) -> Stream {
    Pcg64Mcg::new(stream_seed(master, name))
}

/// The master seed of replication `index` of a run whose base seed is `base`: replications are
/// streams of the base seed too, so replication r is the same whatever the replication count.
pub fn replication_seed(base: u64, index: u32) -> u64 {
    splitmix64(base ^ splitmix64(u64::from(index).wrapping_add(0x5851_f42d_4c95_7f2d)))
}

/// Seeds a generator from a plain `u64` the same way `rand` documents for `seed_from_u64`; kept
/// for tests that need an arbitrary generator.
pub fn from_u64(seed: u64) -> Stream {
    Pcg64Mcg::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv).
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // The reference generator seeded with 1234567 outputs 6457827717110365317 first; its
        // state advances by the golden gamma before mixing, which splitmix64(x) does internally.
        assert_eq!(splitmix64(1_234_567), 6_457_827_717_110_365_317);
    }

    /// The first draw of stream "source:ward.bed[0].ecg#0" under master seed 42, recorded when
    /// the derivation was fixed.
    const PINNED_FIRST_DRAW: u64 = 8_860_848_149_701_075_436;

    #[test]
    fn streams_are_stable_across_releases() {
        // Pinned output: a change here changes every published result; bump the major version.
        let mut s = stream(42, "source:ward.bed[0].ecg#0");
        let first = s.next_u64();
        assert_eq!(
            first, PINNED_FIRST_DRAW,
            "the stream derivation or the generator changed"
        );
        let mut again = stream(42, "source:ward.bed[0].ecg#0");
        assert_eq!(again.next_u64(), first);
        assert_eq!(stream_seed(42, "x"), stream_seed(42, "x"));
        assert_ne!(stream_seed(42, "x"), stream_seed(42, "y"));
        assert_ne!(stream_seed(42, "x"), stream_seed(43, "x"));
    }

    #[test]
    fn replication_seeds_differ() {
        let seeds: std::collections::BTreeSet<u64> =
            (0..1000).map(|i| replication_seed(7, i)).collect();
        assert_eq!(seeds.len(), 1000);
    }
}
