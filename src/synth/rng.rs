//! The random streams: one SplitMix64 generator for each entry and one for the demand figures, so
//! that no stream depends on how many numbers another one drew.

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast and good enough for invented content.
pub(super) struct Rng(u64);

impl Rng {
    /// The stream of entry `i`: independent of every other entry, so entries can be made in
    /// parallel.
    pub(super) fn for_entry(seed: u64, i: usize) -> Rng {
        Rng(mix(seed ^ mix(i as u64 ^ 0x5EED_0000_0000_0001)))
    }

    /// The stream of `content/demand.toml`.
    pub(super) fn for_demand(seed: u64) -> Rng {
        Rng(mix(seed ^ 0xDE3A_4D00_0000_0002))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`), by multiply-shift.
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub(super) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// True with probability `permille / 1000`.
    pub(super) fn chance(&mut self, permille: u32) -> bool {
        self.below(1000) < permille as usize
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, each chosen in proportion to its weight.
    pub(super) fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u32 = weights.clone().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        unreachable!("x < total")
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_stable() {
        let mut r = Rng(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut r = Rng::for_entry(42, 0);
        let xs: Vec<usize> = (0..1000).map(|_| r.below(10)).collect();
        assert!((0..10).all(|d| xs.contains(&d)));
    }
}
