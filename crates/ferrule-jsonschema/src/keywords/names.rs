//! Property-name sets for `properties` and `additionalProperties`: a linear scan for a few
//! names, a hash table with a fast non-cryptographic hash for many.
//!
//! The tables are built from the schema; instance keys are only looked up, so a crafted
//! instance cannot degrade them and `SipHash`'s flooding resistance buys nothing here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Below this many names a linear scan beats hashing.
const INDEX_FROM: usize = 12;

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

/// Names mapped to values (node ids), in schema order.
#[derive(Debug)]
pub(crate) struct Names<T> {
    /// In schema order, as python-jsonschema reports them.
    pub(crate) entries: Vec<(Arc<str>, T)>,
    index: Option<HashMap<Arc<str>, T, BuildHasherDefault<FxHasher>>>,
}

impl<T: Copy> Names<T> {
    pub(crate) fn new(entries: Vec<(Arc<str>, T)>) -> Self {
        let index = (entries.len() >= INDEX_FROM)
            .then(|| entries.iter().map(|(k, v)| (Arc::clone(k), *v)).collect());
        Names { entries, index }
    }

    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<T> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self
                .entries
                .iter()
                .find(|(k, _)| &**k == name)
                .map(|(_, v)| *v),
        }
    }

    /// Changes the value of `name`, if present.
    pub(crate) fn update(&mut self, name: &str, f: impl Fn(&mut T)) -> bool {
        let mut found = false;
        for (k, v) in &mut self.entries {
            if &**k == name {
                f(v);
                found = true;
            }
        }
        if let Some(v) = self.index.as_mut().and_then(|i| i.get_mut(name)) {
            f(v);
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
        for n in [3, 40] {
            let names = Names::new((0..n).map(|i| (Arc::from(format!("p{i}")), i)).collect());
            for i in 0..n {
                assert_eq!(names.get(&format!("p{i}")), Some(i));
            }
            assert_eq!(names.get("missing"), None);
            assert!(!names.contains(""));
        }
    }
}
