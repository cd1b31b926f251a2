//! A tiny deterministic hash, used for stable ids (Anki guids, calendar UIDs) and for seeded
//! tie-breaking. Not cryptographic; stable across platforms and releases, unlike `std`'s hasher.

/// FNV-1a over the bytes, then a SplitMix64 finaliser for good bit mixing.
pub(crate) fn hash64(parts: &[&[u8]], seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separator so ("ab", "c") and ("a", "bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

/// SplitMix64 finaliser.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A number in `[0, 1)` derived from the hash.
pub(crate) fn unit(parts: &[&[u8]], seed: u64) -> f64 {
    (hash64(parts, seed) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_separates_parts() {
        assert_eq!(hash64(&[b"dns"], 0), hash64(&[b"dns"], 0));
        assert_ne!(hash64(&[b"ab", b"c"], 0), hash64(&[b"a", b"bc"], 0));
        assert_ne!(hash64(&[b"dns"], 1), hash64(&[b"dns"], 2));
        let u = unit(&[b"x"], 7);
        assert!((0.0..1.0).contains(&u));
    }
}
