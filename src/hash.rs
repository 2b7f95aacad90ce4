//! Fixed, fully specified hashes, for what must come out the same on every
//! machine and release (std's hasher promises neither): the lexicon's
//! fingerprint in reports, kwic's sample seeds and discover's sketches.

/// The FNV-1a 64 offset basis: the hash of no bytes.
pub const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;

/// Continues an FNV-1a 64 hash `h` over `bytes`.
pub fn fnv1a(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// splitmix64's output function (Steele, Lea, Flood 2014): mixes every bit
/// of `z` into every bit of the result.
pub fn splitmix64_mix(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// splitmix64's step: the state advances by the golden gamma.
pub const SPLITMIX64_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_test_vectors() {
        // FNV-1a 64 of "a" and "foobar" (Fowler, Noll, Vo).
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(FNV_OFFSET, b"foobar"), 0x8594_4171_f739_67e8);
        // splitmix64 seeded with 0: its first output.
        assert_eq!(splitmix64_mix(SPLITMIX64_GAMMA), 0xE220_A839_7B1D_CDAF);
    }
}
