//! `FieldCache`: the `str`s of short ASCII fields that repeat down a column, made once.
//!
//! Making a field's `str` and freeing it again is most of a `DictReader` row after the dict
//! itself (callgrind, wide file: about 160 of 530 instructions per field). Columns of codes,
//! categories, flags or small numbers repeat the same few values, and a `str` is immutable,
//! so a row can hold the `str` an earlier row got for the same text: the values are equal,
//! only `is` could tell, as it does between equal strings anywhere in Python.
//!
//! The cache is a table of recent strings indexed by a hash of the text, shared by the
//! columns (they often share values, as `yes`/`no` columns do). A column whose values rarely
//! repeat (prices, identifiers, timestamps) would only pay the lookup: each column keeps a
//! score of its hits and misses, stops using the cache when misses win, and tries again
//! some thousand rows later; rows where no column uses it are made as without it.

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::strings::AsciiStrings;

/// log2 of the number of slots: 4,096 strings of at most [`MAX_LEN`] bytes (under 300 KB).
const SLOTS_LOG2: u32 = 12;

/// The longest field cached: two 8-byte words of text as the key. Longer text rarely
/// repeats, and copying it costs more than the rest of making its `str`.
const MAX_LEN: usize = 16;

/// A hit is worth this many misses: making a `str` and freeing it costs about five times a
/// missed lookup (hash, compare, store), so a column keeps the cache above about 20% hits.
const HIT: i16 = 4;

/// The score at which a column stops using the cache, and the most it keeps from hits (so a
/// column whose values stop repeating is dropped after `MAX_SCORE - MIN_SCORE` misses).
const MIN_SCORE: i16 = -32;
const MAX_SCORE: i16 = 256;

/// Rows a dropped column is made without the cache before it tries again.
const RETRY_ROWS: u64 = 4096;

struct Slot {
    /// The text's first and last (at most) 8 bytes, and its length: together the whole text.
    key: (u64, u64, usize),
    string: Option<Py<PyString>>,
}

#[derive(Clone, Copy)]
struct Column {
    enabled: bool,
    score: i16,
    /// The row at which a dropped column tries the cache again.
    retry_at: u64,
}

/// Recent `str`s of short ASCII fields, for the columns of one reader's rows.
pub(crate) struct FieldCache {
    slots: Box<[Slot]>,
    columns: Vec<Column>,
    /// Rows started.
    rows: u64,
    /// Columns using the cache: none, and a row is made without looking at it.
    enabled: usize,
    /// The first row at which a dropped column tries again.
    retry_at: u64,
}

impl FieldCache {
    /// An empty cache for rows of `columns` fields (more are made without it).
    pub(crate) fn new(columns: usize) -> FieldCache {
        FieldCache {
            slots: (0..1 << SLOTS_LOG2)
                .map(|_| Slot {
                    key: (0, 0, 0),
                    string: None,
                })
                .collect(),
            columns: vec![
                Column {
                    enabled: true,
                    score: 0,
                    retry_at: 0,
                };
                columns
            ],
            rows: 0,
            enabled: columns,
            retry_at: u64::MAX,
        }
    }

    /// Starts a row: whether any of its columns uses the cache (else [`make`](Self::make)
    /// would only make each field).
    #[inline]
    pub(crate) fn start_row(&mut self) -> bool {
        self.rows += 1;
        if self.rows >= self.retry_at {
            self.retry_at = u64::MAX;
            for col in &mut self.columns {
                if col.enabled {
                    continue;
                }
                if col.retry_at <= self.rows {
                    *col = Column {
                        enabled: true,
                        score: 0,
                        retry_at: 0,
                    };
                    self.enabled += 1;
                } else {
                    self.retry_at = self.retry_at.min(col.retry_at);
                }
            }
        }
        self.enabled > 0
    }

    /// The `str` of `text`, ASCII, the value of column `column`: from the cache, or made by
    /// `ascii` (and kept, while the column's values repeat).
    #[inline]
    pub(crate) fn make<'py>(
        &mut self,
        py: Python<'py>,
        column: usize,
        text: &[u8],
        ascii: AsciiStrings,
    ) -> PyResult<Bound<'py, PyString>> {
        // Empty and one-character strings are CPython's singletons already.
        let Some(col) = self
            .columns
            .get_mut(column)
            .filter(|c| c.enabled && (2..=MAX_LEN).contains(&text.len()))
        else {
            return ascii.make(py, text);
        };
        let key = key(text);
        let slot = &mut self.slots[index(key)];
        if slot.key == key {
            if let Some(string) = &slot.string {
                col.score = (col.score + HIT).min(MAX_SCORE);
                return Ok(string.bind(py).clone());
            }
        }
        let string = ascii.make(py, text)?;
        col.score -= 1;
        if col.score < MIN_SCORE {
            col.enabled = false;
            col.retry_at = self.rows + RETRY_ROWS;
            self.retry_at = self.retry_at.min(col.retry_at);
            self.enabled -= 1;
        }
        slot.key = key;
        // The string replaced is released here: a `str`'s deallocation runs no Python code.
        slot.string = Some(string.clone().unbind());
        Ok(string)
    }
}

/// The text of 2 to 16 bytes as its first and last pieces of 2, 4 or 8 bytes (which cover it,
/// overlapping), and its length.
#[inline]
fn key(text: &[u8]) -> (u64, u64, usize) {
    // Fixed-size reads: a copy of a variable size is a `memcpy` call, as dear as the lookup.
    fn word<const N: usize>(text: &[u8], at: usize) -> [u8; N] {
        text[at..at + N].try_into().unwrap_or([0; N])
    }
    let n = text.len();
    let (head, tail) = match n {
        2..=3 => (
            u64::from(u16::from_le_bytes(word(text, 0))),
            u64::from(u16::from_le_bytes(word(text, n - 2))),
        ),
        4..=7 => (
            u64::from(u32::from_le_bytes(word(text, 0))),
            u64::from(u32::from_le_bytes(word(text, n - 4))),
        ),
        _ => (
            u64::from_le_bytes(word(text, 0)),
            u64::from_le_bytes(word(text, n - 8)),
        ),
    };
    (head, tail, n)
}

/// The slot of `key`: a multiplicative hash of its words.
#[inline]
fn index((head, tail, len): (u64, u64, usize)) -> usize {
    let mixed = (head ^ tail.rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - SLOTS_LOG2)) as usize
}
