//! The one source of randomness in the engine: a small, seedable, platform-independent generator.
//!
//! Determinism is a product promise (same manifests + scenario + seed = same timeline everywhere), so
//! nothing in `core` may use OS randomness, hash-map iteration order or the wall clock. SplitMix64 is
//! tiny, fast and has the same output on every target, including wasm32.

/// SplitMix64's output function: scrambles a 64-bit value so that neighbouring inputs give
/// unrelated outputs.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64 (Steele, Lea, Flood 2014). Not cryptographic; it only has to be reproducible.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// A value in `0..bound` (bound > 0). Uses rejection-free multiply-shift; the tiny bias is
    /// irrelevant for a simulator.
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            return 0;
        }
        ((self.next_u64() as u128 * bound as u128) >> 64) as u64
    }

    /// True with probability `p` (clamped to 0..=1).
    pub fn chance(&mut self, p: f64) -> bool {
        let p = p.clamp(0.0, 1.0);
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p && p > 0.0
    }

    /// A derived generator, so that independent parts of a simulation (pod names, workloads) draw
    /// from separate streams and adding a draw in one does not shift the other.
    pub fn fork(&mut self, salt: u64) -> Rng {
        Rng::new(self.next_u64() ^ salt.wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }
}

/// The alphabet the API server uses for `generateName` suffixes (no vowels, no look-alikes):
/// `k8s.io/apimachinery/pkg/util/rand/rand.go` (`alphanums`).
pub const NAME_SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl Rng {
    /// Five characters as the API server appends to a `generateName` prefix.
    pub fn name_suffix(&mut self) -> String {
        let mut suffix = String::with_capacity(5);
        self.push_name_suffix(&mut suffix);
        suffix
    }

    /// The same five characters appended to `name` (no allocation of their own).
    pub fn push_name_suffix(&mut self, name: &mut String) {
        for _ in 0..5 {
            let i = self.below(NAME_SUFFIX_ALPHABET.len() as u64) as usize;
            name.push(char::from(NAME_SUFFIX_ALPHABET[i]));
        }
    }
}

/// Pod-name suffixes that never repeat within a run: the `n`th pod gets a keyed permutation of
/// `n` over all five-character suffixes, written in the API server's alphabet.
///
/// The API server appends five random characters (`names.SimpleNameGenerator`,
/// `k8s.io/apiserver/pkg/storage/names/generate.go`) and, should the name be taken, generates
/// another (`RetryGenerateName`, KEP-4420: on by default since 1.31, GA in 1.32), so a client
/// never sees a clash. The simulator used to do the same, keeping every name it had handed out
/// in a set to look clashes up; at a hundred thousand pods that set outgrew the processor's
/// caches, and each pod's lookup and insert went to main memory (a fifth of a big Job's time).
/// Drawn without replacement, the suffixes look as random and cannot clash: two equal names end
/// in the same five characters, and no suffix is handed out twice. No memory is kept per pod.
///
/// The permutation is a four-round Feistel network on 24-bit numbers, keyed from the seed, with
/// cycle-walking (a result past the last suffix is permuted again until it falls inside, which
/// keeps it a permutation of the smaller set).
#[derive(Debug, Clone)]
pub struct UniqueSuffixes {
    keys: [u64; 4],
    next: u32,
}

impl UniqueSuffixes {
    /// How many different suffixes there are (27⁵ = 14 348 907).
    pub const COUNT: u32 = (NAME_SUFFIX_ALPHABET.len() as u32).pow(5);

    pub fn new(rng: &mut Rng) -> UniqueSuffixes {
        UniqueSuffixes {
            keys: [
                rng.next_u64(),
                rng.next_u64(),
                rng.next_u64(),
                rng.next_u64(),
            ],
            next: 0,
        }
    }

    /// Appends the next suffix to `name`, or returns false (appending nothing) once all
    /// [`COUNT`](Self::COUNT) are used.
    pub fn push_next(&mut self, name: &mut String) -> bool {
        if self.next >= Self::COUNT {
            return false;
        }
        let mut n = self.permute(self.next);
        self.next += 1;
        let base = NAME_SUFFIX_ALPHABET.len() as u32;
        for _ in 0..5 {
            name.push(char::from(NAME_SUFFIX_ALPHABET[(n % base) as usize]));
            n /= base;
        }
        true
    }

    /// The Feistel permutation of `0..2²⁴`, walked until it lands in `0..COUNT` (`n` is in it, so
    /// the walk ends: following the permutation's cycle from `n` comes back to `n` at the latest).
    fn permute(&self, n: u32) -> u32 {
        const HALF: u32 = 12;
        const MASK: u32 = (1 << HALF) - 1;
        let mut x = n;
        loop {
            let (mut left, mut right) = (x >> HALF, x & MASK);
            for key in self.keys {
                let round = mix(key ^ u64::from(right)) as u32 & MASK;
                (left, right) = (right, left ^ round);
            }
            x = left << HALF | right;
            if x < Self::COUNT {
                return x;
            }
        }
    }

    /// Suffixes as if `used` had been handed out already (to test the end of the range).
    #[cfg(test)]
    fn after(mut self, used: u32) -> UniqueSuffixes {
        self.next = used;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_known_first_value() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        // Reference value of SplitMix64 seeded with 0.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    /// Pinned random name suffixes (drawn as `kubectl describe pod`'s API token volume names
    /// are; pods' own names come from `UniqueSuffixes`): the wasm test (`core/tests/wasm.rs`)
    /// checks the same values in the browser, so a platform difference in the generator would
    /// show up as a failing test.
    pub const GOLDEN_SUFFIXES_SEED_2026: [&str; 2] = ["6qxn4", "z84mj"];

    #[test]
    fn random_name_suffixes_are_pinned() {
        let mut r = Rng::new(2026);
        assert_eq!(
            [r.name_suffix(), r.name_suffix()],
            GOLDEN_SUFFIXES_SEED_2026
        );
    }

    #[test]
    fn name_suffix_uses_the_api_server_alphabet() {
        let mut r = Rng::new(7);
        for _ in 0..50 {
            let s = r.name_suffix();
            assert_eq!(s.len(), 5);
            assert!(s.bytes().all(|c| NAME_SUFFIX_ALPHABET.contains(&c)), "{s}");
        }
    }

    /// The first unique suffixes for seed 2026, pinned as `GOLDEN_SUFFIXES_SEED_2026` is (the wasm
    /// test checks the same values in the browser).
    pub const GOLDEN_UNIQUE_SUFFIXES_SEED_2026: [&str; 3] = ["r5fjq", "qzs55", "kpw9v"];

    fn unique_suffixes(seed: u64, count: usize) -> Vec<String> {
        let mut suffixes = UniqueSuffixes::new(&mut Rng::new(seed));
        (0..count)
            .map(|_| {
                let mut s = String::new();
                assert!(suffixes.push_next(&mut s));
                s
            })
            .collect()
    }

    #[test]
    fn unique_suffixes_are_pinned_and_follow_the_seed() {
        assert_eq!(unique_suffixes(2026, 3), GOLDEN_UNIQUE_SUFFIXES_SEED_2026);
        assert_eq!(unique_suffixes(7, 50), unique_suffixes(7, 50));
        assert_ne!(unique_suffixes(7, 50), unique_suffixes(8, 50));
    }

    #[test]
    fn unique_suffixes_never_repeat_and_use_the_api_server_alphabet() {
        let suffixes = unique_suffixes(1, 300_000);
        let distinct: std::collections::HashSet<&String> = suffixes.iter().collect();
        assert_eq!(distinct.len(), suffixes.len());
        assert!(suffixes
            .iter()
            .all(|s| s.len() == 5 && s.bytes().all(|c| NAME_SUFFIX_ALPHABET.contains(&c))));
        // Spread over the whole range, as random draws would be: every first character occurs.
        let firsts: std::collections::HashSet<u8> =
            suffixes.iter().map(|s| s.as_bytes()[0]).collect();
        assert_eq!(firsts.len(), NAME_SUFFIX_ALPHABET.len());
    }

    #[test]
    fn unique_suffixes_run_out_after_the_last_one() {
        let mut suffixes = UniqueSuffixes::new(&mut Rng::new(3)).after(UniqueSuffixes::COUNT - 2);
        let mut name = String::from("job-");
        assert!(suffixes.push_next(&mut name));
        assert!(suffixes.push_next(&mut name));
        assert_eq!(name.len(), 4 + 10);
        assert!(!suffixes.push_next(&mut name));
        assert_eq!(name.len(), 4 + 10, "nothing appended once all are used");
    }
}
