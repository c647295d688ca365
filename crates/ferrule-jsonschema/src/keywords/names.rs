//! Property-name sets for `properties` and `additionalProperties`: an open-addressing table
//! whose hash reads four bytes of a name (its length, first, middle and last bytes) instead of
//! hashing every byte, with a full hash when a schema's names collide on those.
//!
//! The tables are built from the schema; instance keys are only looked up, so a crafted
//! instance cannot degrade them and `SipHash`'s flooding resistance buys nothing here.

use std::hash::Hasher;
use std::sync::Arc;

/// `FxHash` (rustc's hasher): a rotate, xor and multiply per 8 bytes.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The longest run of probes a table built with the sampled hash may need before the full hash
/// is used instead: long names that differ only in their middle bytes would otherwise turn
/// lookups into scans.
const MAX_PROBES: usize = 4;

/// Up to this many names are scanned (no slots): a length compare per name rules out most.
const SCAN_UP_TO: usize = 8;

/// Names mapped to values (node ids), in schema order.
#[derive(Debug)]
pub(crate) struct Names<T> {
    /// In schema order, as python-jsonschema reports them.
    pub(crate) entries: Vec<(Arc<str>, T)>,
    /// Open addressing, linear probing: the index of an entry plus one, 0 for an empty slot;
    /// empty for [`SCAN_UP_TO`] names or fewer.
    /// The first entry of a name repeated in the schema wins, as in a scan in schema order.
    slots: Box<[u32]>,
    /// `64 - log2(slots.len())`: a hash's top bits pick the slot.
    shift: u32,
    /// Whether the table hashes whole names ([`MAX_PROBES`] exceeded by the sampled hash).
    full: bool,
}

/// The sampled hash: a name's length and its first and last eight bytes (fewer for a short
/// name), mixed by one multiplication; names that differ only in the middle of 16 bytes share
/// it. (Also the string hash of [`super::unique_items`].)
#[inline]
pub(crate) fn sampled(name: &[u8]) -> u64 {
    let n = name.len();
    let (head, tail) = match n {
        0 => (0, 0),
        1..=3 => (
            u64::from(name[0]) | u64::from(name[n / 2]) << 8,
            u64::from(name[n - 1]),
        ),
        4..=7 => (u64::from(half(name, 0)), u64::from(half(name, n - 4))),
        _ => (word(name, 0), word(name, n - 8)),
    };
    (head ^ tail.rotate_left(23) ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[inline]
fn word(s: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&s[at..at + 8]);
    u64::from_le_bytes(w)
}

#[inline]
fn half(s: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&s[at..at + 4]);
    u32::from_le_bytes(w)
}

fn full_hash(name: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(name);
    h.write_u8(0xff);
    // FxHash's low bits are weak and the slot comes from the top bits: mix once more.
    h.finish().wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Byte equality without a call to `memcmp` for names up to 16 bytes (most property names):
/// two overlapping loads per side. (Public for the binding's dict lookups, which compare
/// the same names.)
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

impl<T: Copy> Names<T> {
    pub(crate) fn new(entries: Vec<(Arc<str>, T)>) -> Self {
        let size = (entries.len() * 2).next_power_of_two().max(4);
        let mut names = Names {
            entries,
            slots: Box::default(),
            shift: 64 - size.trailing_zeros(),
            full: false,
        };
        if names.entries.len() <= SCAN_UP_TO {
            return names;
        }
        // A long probe run is more often bad luck in the slots' bits (Swagger's `schema` of 30
        // names took the full hash, a loop per byte, on every lookup) than names the sampled
        // hash cannot tell apart: sparser tables are tried first.
        for larger in [size, size * 2, size * 4] {
            names.shift = 64 - larger.trailing_zeros();
            if names.fill(larger) <= MAX_PROBES {
                return names;
            }
        }
        names.shift = 64 - size.trailing_zeros();
        names.full = true;
        names.fill(size);
        names
    }

    /// Builds the slots with the hash `self.full` selects; returns the longest probe run.
    fn fill(&mut self, size: usize) -> usize {
        let mut slots = vec![0u32; size];
        let mut longest = 0;
        for (i, (name, _)) in self.entries.iter().enumerate() {
            let mut slot = self.slot_of(name.as_bytes());
            let mut probes = 1;
            loop {
                match slots[slot] {
                    0 => {
                        slots[slot] = u32::try_from(i + 1).expect("fewer than 2^32 names");
                        break;
                    }
                    taken if *self.entries[taken as usize - 1].0 == **name => break,
                    _ => {
                        slot = (slot + 1) & (size - 1);
                        probes += 1;
                    }
                }
            }
            longest = longest.max(probes);
        }
        self.slots = slots.into_boxed_slice();
        longest
    }

    #[inline]
    fn slot_of(&self, name: &[u8]) -> usize {
        let hash = if self.full {
            full_hash(name)
        } else {
            sampled(name)
        };
        (hash >> self.shift) as usize
    }

    #[expect(
        clippy::inline_always,
        reason = "out of line, the prologue and the returned Option cost as much as the lookup"
    )]
    #[inline(always)]
    pub(crate) fn get(&self, name: &str) -> Option<T> {
        let name = name.as_bytes();
        if self.slots.is_empty() {
            // A few names: their lengths (in the fat pointers) rule out most without a load.
            return self
                .entries
                .iter()
                .find(|(k, _)| same(k.as_bytes(), name))
                .map(|(_, v)| *v);
        }
        let mask = self.slots.len() - 1;
        let mut slot = self.slot_of(name);
        loop {
            let taken = self.slots[slot];
            if taken == 0 {
                return None;
            }
            let (k, v) = &self.entries[taken as usize - 1];
            if same(k.as_bytes(), name) {
                return Some(*v);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Changes the value of every entry named `name`.
    pub(crate) fn update(&mut self, name: &str, f: impl Fn(&mut T)) -> bool {
        let mut found = false;
        for (k, v) in &mut self.entries {
            if &**k == name {
                f(v);
                found = true;
            }
        }
        found
    }

    #[inline]
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_sets() {
        for n in [0, 1, 3, 8, 9, 40, 700] {
            let names = Names::new((0..n).map(|i| (Arc::from(format!("p{i}")), i)).collect());
            for i in 0..n {
                assert_eq!(names.get(&format!("p{i}")), Some(i));
            }
            assert_eq!(names.get("missing"), None);
            assert_eq!(names.get("p"), None);
            assert!(!names.contains(""));
        }
    }

    /// Names that the sampled hash cannot tell apart (same length, first and last eight
    /// bytes) switch the table to the full hash, and every name is still found.
    #[test]
    fn colliding_names_use_the_full_hash() {
        let list: Vec<String> = (0..50).map(|i| format!("abcdefgh{i:02}stuvwxyz")).collect();
        let names = Names::new(list.iter().map(|n| (Arc::from(n.as_str()), 1)).collect());
        assert!(names.full);
        for n in &list {
            assert!(names.contains(n), "{n}");
        }
        assert!(!names.contains("abcdefgh99stuvwxyz"));
        assert!(!names.contains("abcdefgh00stuvwxyy"));
        let kubernetes = [
            "maximum",
            "minimum",
            "description",
            "definitions",
            "$ref",
            "x-a",
            "a",
            "ab",
            "abc",
            "abcd",
        ];
        let names = Names::new(kubernetes.iter().map(|n| (Arc::from(*n), 1)).collect());
        assert!(!names.full);
    }

    /// Swagger 2.0's property tables (API documents look up every member of every
    /// parameter and schema in them) keep the sampled hash: a long probe run that a sparser
    /// table avoids does not switch a table to the full hash.
    #[test]
    fn swagger_tables_keep_the_sampled_hash() {
        let parameter = "required in description name allowEmptyValue type format items \
                         collectionFormat default maximum exclusiveMaximum minimum \
                         exclusiveMinimum maxLength minLength pattern maxItems minItems \
                         uniqueItems enum multipleOf";
        let schema = "$ref format title description default multipleOf maximum \
                      exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern \
                      maxItems minItems uniqueItems maxProperties minProperties required enum \
                      additionalProperties type items allOf properties discriminator readOnly \
                      xml externalDocs example";
        let header = "type format items collectionFormat default maximum exclusiveMaximum \
                      minimum exclusiveMinimum maxLength minLength pattern maxItems minItems \
                      uniqueItems enum multipleOf description";
        for table in [parameter, schema, header] {
            let list: Vec<&str> = table.split_whitespace().collect();
            let names = Names::new(list.iter().map(|n| (Arc::from(*n), 1)).collect());
            assert!(!names.full, "{table}");
            for n in &list {
                assert!(names.contains(n), "{n}");
            }
            assert!(!names.contains("exclusiveMaximun"));
        }
    }

    /// Lookups of every length around the word loads of `same`, with names that differ in
    /// one byte at each position, the empty name, non-ASCII names and a repeated name (the
    /// first entry wins).
    #[test]
    fn exact_matches_only() {
        let mut list: Vec<String> = vec![String::new(), "é".into(), "ü-x".into()];
        for len in 1..=40 {
            list.push("k".repeat(len));
        }
        let mut entries: Vec<(Arc<str>, usize)> = list
            .iter()
            .enumerate()
            .map(|(i, n)| (Arc::from(n.as_str()), i))
            .collect();
        entries.push((Arc::from("kk"), 999));
        let names = Names::new(entries);
        for (i, n) in list.iter().enumerate() {
            assert_eq!(names.get(n), Some(i), "{n:?}");
            for at in 0..n.len() {
                if n.is_char_boundary(at) && n.is_char_boundary(at + 1) {
                    let mut other = n.clone();
                    other.replace_range(at..=at, "j");
                    assert_eq!(names.get(&other), None, "{other:?}");
                }
            }
            let longer = format!("{n}k");
            assert_eq!(
                names.get(&longer).is_some(),
                list.contains(&longer),
                "{longer:?}"
            );
        }
        assert_eq!(names.get("kk"), Some(4));
        assert_eq!(names.get("e"), None);
    }
}
