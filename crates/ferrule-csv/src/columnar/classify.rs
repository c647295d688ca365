//! One pass over a plain line: the delimiters and the line end found together, 32 bytes at a
//! time, as bit masks.
//!
//! Splitting a line with `memchr` took one search for its end, one for a quote and one per
//! delimiter: each search pays a setup that costs more than a 50-byte line's bytes. Here each
//! 32-byte block is compared with the delimiter, the quote, the escape, `\n` and `\r` at once
//! (SSE2 on x86-64, part of its baseline; a byte loop elsewhere) and the field ends are read
//! from the masks' bits, the way simdcsv and polars classify blocks.

/// The bytes that matter to a plain line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Classes {
    delimiter: u8,
    /// The quote and the escape byte (one repeated when only one is set): any of them sends
    /// the line to the quoted paths.
    special: Option<(u8, u8)>,
    /// What the blocks are compared with for them (`\n` twice when neither is set).
    quote: u8,
    escape: u8,
}

/// A block's bytes that are the delimiter, and those that end the plain part of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Masks {
    delimiters: u32,
    stops: u32,
}

/// Where the first `byte` at or after `from` is: `memchr` for the short stretches inside
/// quoted fields, without its setup (a quoted field is read in a few 32-byte blocks, while
/// `memchr`'s dispatch and alignment cost about as much as 64 bytes of scanning).
#[inline]
pub(crate) fn find_byte(text: &[u8], from: usize, byte: u8) -> Option<usize> {
    let mut base = from;
    while let Some(block) = text.get(base..).and_then(<[u8]>::first_chunk::<32>) {
        let mask = eq_mask(block, byte);
        if mask != 0 {
            return Some(base + mask.trailing_zeros() as usize);
        }
        base += 32;
    }
    let tail = text.get(base..)?;
    tail.iter().position(|&b| b == byte).map(|p| base + p)
}

/// Appends the text of a quoted field to `buf`, each doubled `quote` as one, from `from` (just
/// past its opening quote) to its closing quote, and returns where that quote is; `None` when
/// the input ends first. Each 32-byte block is copied whole and cut back to its first quote
/// (one fixed-size copy, not a search and then a `memcpy` call per run between quotes).
#[inline]
pub(crate) fn unquote_into(
    text: &[u8],
    from: usize,
    quote: u8,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    let mut at = from;
    while let Some(block) = text.get(at..).and_then(<[u8]>::first_chunk::<32>) {
        let mask = eq_mask(block, quote);
        let kept = buf.len();
        buf.extend_from_slice(block);
        if mask == 0 {
            at += 32;
            continue;
        }
        let p = mask.trailing_zeros() as usize;
        at += p;
        if text.get(at + 1) != Some(&quote) {
            buf.truncate(kept + p);
            return Some(at);
        }
        // The first quote of the pair stays.
        buf.truncate(kept + p + 1);
        at += 2;
    }
    while let Some(&b) = text.get(at) {
        if b == quote {
            if text.get(at + 1) != Some(&quote) {
                return Some(at);
            }
            at += 1;
        }
        buf.push(b);
        at += 1;
    }
    None
}

/// Whether `text` holds an odd number of `byte`: the match masks of its 32-byte blocks,
/// combined by exclusive or, keep the parity of their bits, so one count at the end is enough.
pub(crate) fn odd_count(text: &[u8], byte: u8) -> bool {
    let mut blocks = text.chunks_exact(32);
    let mut acc = 0u32;
    for block in &mut blocks {
        if let Some(block) = block.first_chunk::<32>() {
            acc ^= eq_mask(block, byte);
        }
    }
    let tail = blocks
        .remainder()
        .iter()
        .fold(false, |odd, &b| odd ^ (b == byte));
    (acc.count_ones() % 2 == 1) ^ tail
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn eq_mask(block: &[u8; 32], byte: u8) -> u32 {
    // SAFETY: SSE2 is part of the x86-64 baseline (see `Classes::masks`).
    unsafe { eq_mask_sse2(block, byte) }
}

#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "sse2")]
fn eq_mask_sse2(block: &[u8; 32], byte: u8) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let splat = _mm_set1_epi8(i8::from_ne_bytes([byte]));
    #[expect(clippy::cast_ptr_alignment, reason = "read by unaligned loads")]
    let vectors = block.as_ptr().cast::<__m128i>();
    // SAFETY: both 16-byte unaligned loads lie inside the 32-byte array.
    let (lo, hi) = unsafe { (_mm_loadu_si128(vectors), _mm_loadu_si128(vectors.add(1))) };
    let lo = _mm_movemask_epi8(_mm_cmpeq_epi8(lo, splat)).unsigned_abs();
    let hi = _mm_movemask_epi8(_mm_cmpeq_epi8(hi, splat)).unsigned_abs();
    lo | (hi << 16)
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn eq_mask(block: &[u8; 32], byte: u8) -> u32 {
    let mut mask = 0;
    for (i, &b) in block.iter().enumerate() {
        mask |= u32::from(b == byte) << i;
    }
    mask
}

/// The masks of the block [`Classes::next_special_cached`] read last.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BlockCursor {
    base: usize,
    /// Delimiters and stops of `base..base + 32` (no bits past the input's end).
    mask: u32,
    valid: bool,
}

impl Classes {
    pub(crate) fn new(delimiter: u8, special: Option<(u8, u8)>) -> Classes {
        let (quote, escape) = special.unwrap_or((b'\n', b'\n'));
        Classes {
            delimiter,
            special,
            quote,
            escape,
        }
    }

    /// Splits the line starting at `start` if it holds neither the quote nor the escape byte:
    /// `ends` gets each field's end (relative to `start`; the last is the content's length)
    /// and the result is the content's length (without the terminator) and where the next
    /// line starts. `None` (with `ends` in any state) for a line the quoted paths must read.
    #[inline]
    pub(crate) fn split_line(
        self,
        text: &[u8],
        start: usize,
        ends: &mut Vec<usize>,
    ) -> Option<(usize, usize)> {
        ends.clear();
        let mut base = start;
        while base < text.len() {
            let masks = self.block_masks(&text[base..]);
            let before_stop = if masks.stops == 0 {
                u32::MAX
            } else {
                (1u32 << masks.stops.trailing_zeros()) - 1
            };
            let mut delimiters = masks.delimiters & before_stop;
            while delimiters != 0 {
                ends.push(base - start + delimiters.trailing_zeros() as usize);
                delimiters &= delimiters - 1;
            }
            if masks.stops != 0 {
                let at = base + masks.stops.trailing_zeros() as usize;
                let b = text[at];
                // A quote or escape byte (checked first: it may also be `\n` or `\r`).
                if self.special.is_some_and(|(q, e)| b == q || b == e) {
                    return None;
                }
                ends.push(at - start);
                let next = if b == b'\r' && text.get(at + 1) == Some(&b'\n') {
                    at + 2
                } else {
                    at + 1
                };
                return Some((at - start, next));
            }
            base += 32;
        }
        ends.push(text.len() - start);
        Some((text.len() - start, text.len()))
    }

    /// Where the first delimiter, quote, escape, `\n` or `\r` at or after `from` is, or the
    /// input's length: the end of an unquoted field, found without a `memchr` call's setup.
    #[cfg(test)]
    pub(crate) fn next_special(self, text: &[u8], from: usize) -> usize {
        let mut base = from;
        while base < text.len() {
            let masks = self.block_masks(&text[base..]);
            let any = masks.delimiters | masks.stops;
            if any != 0 {
                return base + any.trailing_zeros() as usize;
            }
            base += 32;
        }
        text.len()
    }

    /// [`next_special`](Self::next_special) for several positions in one record: the masks of
    /// a block are computed once and kept in `cursor` for the positions after it in the block
    /// (a record's short fields share one).
    #[inline]
    pub(crate) fn next_special_cached(
        self,
        text: &[u8],
        mut from: usize,
        cursor: &mut BlockCursor,
    ) -> usize {
        loop {
            if from >= text.len() {
                return text.len();
            }
            if !(cursor.valid && from >= cursor.base && from < cursor.base + 32) {
                let masks = self.block_masks(&text[from..]);
                *cursor = BlockCursor {
                    base: from,
                    mask: masks.delimiters | masks.stops,
                    valid: true,
                };
            }
            let ahead = cursor.mask >> (from - cursor.base);
            if ahead != 0 {
                return from + ahead.trailing_zeros() as usize;
            }
            from = cursor.base + 32;
        }
    }

    /// The masks of the first 32 bytes of `block` (of all of it when shorter).
    #[inline]
    fn block_masks(self, block: &[u8]) -> Masks {
        if let Some(full) = block.first_chunk::<32>() {
            self.masks(full)
        } else {
            let mut padded = [0u8; 32];
            padded[..block.len()].copy_from_slice(block);
            // Bits past the input's end would be the padding's.
            let keep = (1u32 << block.len()) - 1;
            let m = self.masks(&padded);
            Masks {
                delimiters: m.delimiters & keep,
                stops: m.stops & keep,
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn masks(self, block: &[u8; 32]) -> Masks {
        // SAFETY: SSE2 is part of the x86-64 baseline, so every x86-64 CPU has it (the
        // intrinsics are `unsafe` only because they are `#[target_feature]` functions).
        unsafe { self.masks_sse2(block) }
    }

    #[cfg(target_arch = "x86_64")]
    #[inline]
    #[target_feature(enable = "sse2")]
    fn masks_sse2(self, block: &[u8; 32]) -> Masks {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        let splat = |b: u8| _mm_set1_epi8(i8::from_ne_bytes([b]));
        let (delimiter, quote, escape, newline, carriage) = (
            splat(self.delimiter),
            splat(self.quote),
            splat(self.escape),
            splat(b'\n'),
            splat(b'\r'),
        );
        // A movemask is 16 bits, never negative: `unsigned_abs` is the same value as `u32`.
        let half = |v: __m128i| -> (u32, u32) {
            let delimiters = _mm_movemask_epi8(_mm_cmpeq_epi8(v, delimiter)).unsigned_abs();
            let stops = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, escape)),
                _mm_or_si128(_mm_cmpeq_epi8(v, newline), _mm_cmpeq_epi8(v, carriage)),
            );
            (delimiters, _mm_movemask_epi8(stops).unsigned_abs())
        };
        #[expect(clippy::cast_ptr_alignment, reason = "read by unaligned loads")]
        let vectors = block.as_ptr().cast::<__m128i>();
        // SAFETY: both 16-byte unaligned loads lie inside the 32-byte array.
        let (lo, hi) = unsafe { (_mm_loadu_si128(vectors), _mm_loadu_si128(vectors.add(1))) };
        let (d0, s0) = half(lo);
        let (d1, s1) = half(hi);
        Masks {
            delimiters: d0 | (d1 << 16),
            stops: s0 | (s1 << 16),
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn masks(self, block: &[u8; 32]) -> Masks {
        self.masks_bytewise(block)
    }

    /// The same masks byte by byte: the portable version, and the reference for the tests.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn masks_bytewise(self, block: &[u8; 32]) -> Masks {
        let mut masks = Masks {
            delimiters: 0,
            stops: 0,
        };
        for (i, &b) in block.iter().enumerate() {
            if b == self.delimiter {
                masks.delimiters |= 1 << i;
            }
            if b == self.quote || b == self.escape || b == b'\n' || b == b'\r' {
                masks.stops |= 1 << i;
            }
        }
        masks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_masks_match_the_byte_loop() {
        let classes = [
            Classes::new(b',', Some((b'"', b'"'))),
            Classes::new(b';', Some((b'"', b'\\'))),
            Classes::new(b'\t', None),
            Classes::new(b',', None),
            Classes::new(0, Some((0x80, b'\n'))),
        ];
        let mut state = 11u64;
        for _ in 0..20_000 {
            let mut block = [0u8; 32];
            for b in &mut block {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let pick = (state >> 40) as u8;
                *b = match pick % 8 {
                    0 => b',',
                    1 => b'"',
                    2 => b'\n',
                    3 => b'\r',
                    4 => b';',
                    5 => b'\\',
                    6 => 0,
                    _ => pick,
                };
            }
            for c in classes {
                assert_eq!(c.masks(&block), c.masks_bytewise(&block), "{block:?}");
            }
        }
    }

    #[test]
    fn odd_count_is_the_parity_of_a_byte_loop() {
        let mut text = Vec::new();
        for i in 0..300u32 {
            text.push(if i % 7 == 0 || i % 11 == 3 {
                b'"'
            } else {
                b'a'
            });
            for start in [0, 1, 5, 31] {
                for end in [text.len(), text.len().saturating_sub(3)] {
                    let span = &text[start.min(end)..end];
                    let count = span.iter().fold(0, |n, &b| n + usize::from(b == b'"'));
                    assert_eq!(odd_count(span, b'"'), count % 2 == 1, "{start}..{end}");
                }
            }
        }
    }

    #[test]
    fn next_special_finds_what_a_byte_loop_finds() {
        // The cached form, from positions in ascending order as a record's fields ask (each
        // from after the last answer, or from an earlier block's masks still held).
        let cached = |text: &[u8], step: usize| {
            let classes = Classes::new(b',', Some((b'"', b'\\')));
            let mut cursor = BlockCursor::default();
            let mut from = 0;
            while from <= text.len() {
                assert_eq!(
                    classes.next_special_cached(text, from, &mut cursor),
                    classes.next_special(text, from),
                    "from {from} step {step}"
                );
                from += step;
            }
        };

        let classes = Classes::new(b',', Some((b'"', b'\\')));
        let mut text = Vec::new();
        for i in 0..200u8 {
            text.push(match i % 37 {
                0 => b',',
                11 => b'"',
                19 => b'\n',
                23 => b'\r',
                31 => b'\\',
                _ => b'a' + i % 26,
            });
        }
        for from in 0..=text.len() {
            let want = text[from..]
                .iter()
                .position(|b| b",\"\n\r\\".contains(b))
                .map_or(text.len(), |p| from + p);
            assert_eq!(classes.next_special(&text, from), want, "from {from}");
            let mut fresh = BlockCursor::default();
            assert_eq!(classes.next_special_cached(&text, from, &mut fresh), want);
            assert_eq!(
                classes.next_special(&text[..from], 0),
                text[..from]
                    .iter()
                    .position(|b| b",\"\n\r\\".contains(b))
                    .unwrap_or(from)
            );
        }
        for from in 0..=text.len() + 1 {
            for byte in [b'"', b',', b'a', b'z', 0] {
                let want = text
                    .get(from..)
                    .and_then(|t| t.iter().position(|&b| b == byte))
                    .map(|p| from + p);
                assert_eq!(
                    find_byte(&text, from, byte),
                    want,
                    "from {from} byte {byte}"
                );
            }
        }
        for step in [1, 3, 17, 31, 32, 33, 70] {
            cached(&text, step);
            cached(&text[..101], step);
        }
    }

    /// `unquote_into` against a byte loop, from every offset of texts with single and doubled
    /// quotes on both sides of the 32-byte block edges, and with the closing quote missing.
    #[test]
    fn unquoting_matches_the_byte_loop() {
        let reference = |text: &[u8], from: usize| -> Option<(usize, Vec<u8>)> {
            let mut out = Vec::new();
            let mut at = from;
            loop {
                match text.get(at) {
                    None => return None,
                    Some(&b'"') if text.get(at + 1) == Some(&b'"') => {
                        out.push(b'"');
                        at += 2;
                    }
                    Some(&b'"') => return Some((at, out)),
                    Some(&b) => {
                        out.push(b);
                        at += 1;
                    }
                }
            }
        };
        let mut state = 7u64;
        for len in [0, 1, 2, 31, 32, 33, 63, 64, 65, 100, 200] {
            for _ in 0..20 {
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        match (state >> 33) % 9 {
                            0 | 1 => b'"',
                            2 => b'\n',
                            _ => b'a' + ((state >> 40) % 26) as u8,
                        }
                    })
                    .collect();
                for from in 0..=text.len() {
                    let mut buf = b"kept".to_vec();
                    let got = unquote_into(&text, from, b'"', &mut buf);
                    match reference(&text, from) {
                        Some((close, want)) => {
                            assert_eq!(got, Some(close), "from {from} in {text:?}");
                            assert_eq!(&buf[..4], b"kept");
                            assert_eq!(buf[4..], want, "from {from} in {text:?}");
                        }
                        None => assert_eq!(got, None, "from {from} in {text:?}"),
                    }
                }
            }
        }
    }

    /// Every split agrees with the `memchr` way it replaces: the line's end, a search for the
    /// quote and escape, and the delimiters of the content.
    #[test]
    fn lines_split_like_memchr() {
        let long = format!("{}\n", ["abc"; 40].join(","));
        let cases: Vec<&[u8]> = vec![
            b"",
            b"\n",
            b"\r\n",
            b"\r",
            b"a,b,c\n",
            b"a,b,c\r\nd",
            b"a,b,c\rd",
            b"a,b,c",
            b",,,\n",
            b"a,\"b\",c\n",
            b"a,b\n\"c\"\n",
            b"a\\,b\n",
            b"0123456789012345678901234567890,\n",
            b"01234567890123456789012345678901,\n",
            b"0123456789012345678901234567890123456789,x",
            long.as_bytes(),
            "é,ü,\u{2028}\n".as_bytes(),
        ];
        let dialects = [
            (Classes::new(b',', Some((b'"', b'\\'))), true),
            (Classes::new(b',', None), false),
        ];
        for (case, (classes, quoted)) in cases
            .iter()
            .flat_map(|c| dialects.iter().map(move |d| (*c, *d)))
        {
            for start in 0..case.len().min(3) {
                let mut ends = Vec::new();
                let got = classes.split_line(case, start, &mut ends);
                let end = super::super::scan::line_end(case, start);
                let line = &case[start..end];
                let expected = if quoted && memchr::memchr2(b'"', b'\\', line).is_some() {
                    None
                } else {
                    let content = line.len()
                        - line
                            .iter()
                            .rev()
                            .take_while(|&&b| b == b'\n' || b == b'\r')
                            .count();
                    let mut want: Vec<usize> =
                        memchr::memchr_iter(b',', &line[..content]).collect();
                    want.push(content);
                    assert_eq!(got.map(|_| &ends), Some(&want), "{case:?} at {start}");
                    Some((content, end))
                };
                assert_eq!(got, expected, "{case:?} at {start}");
            }
        }
    }
}
