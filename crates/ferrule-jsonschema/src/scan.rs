//! Sixteen-byte scans of JSON text for the parser's hot loops: the end of a plain string run,
//! the end of whitespace, the end of ASCII. On x86-64 they use SSE2, which every x86-64 CPU
//! has (no runtime detection); elsewhere the callers keep their eight-byte SWAR loops and
//! these return `None`.
//!
//! Each function answers for one 16-byte block with a bit mask, bit `i` for byte `i`, exact
//! (no bits above a hit, unlike the SWAR borrow tricks), so a caller can also walk every hit of
//! a block.

/// Bits of the bytes of `block` that stop a plain string run: `"`, `\\`, or a control
/// character (below 0x20).
#[inline]
#[cfg_attr(
    target_arch = "x86_64",
    expect(clippy::unnecessary_wraps, reason = "None on other targets")
)]
pub(crate) fn string_stops(block: &[u8; 16]) -> Option<u32> {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        Some(unsafe { sse2::string_stops(block) })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = block;
        None
    }
}

/// Bits of the bytes of `block` that are not JSON whitespace (space, `\t`, `\n`, `\r`).
#[inline]
#[cfg_attr(
    target_arch = "x86_64",
    expect(clippy::unnecessary_wraps, reason = "None on other targets")
)]
pub(crate) fn not_whitespace(block: &[u8; 16]) -> Option<u32> {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        Some(unsafe { sse2::not_whitespace(block) })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = block;
        None
    }
}

/// The length of the ASCII prefix of `bytes`, to a multiple of 32 bytes at most (the caller
/// checks the rest): `std::str::from_utf8` then starts where the text stops being ASCII.
#[inline]
pub(crate) fn ascii_prefix(bytes: &[u8]) -> usize {
    let mut n = 0;
    #[cfg(target_arch = "x86_64")]
    while let Some(block) = bytes[n..].first_chunk::<32>() {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        if unsafe { sse2::any_high_bit(block) } {
            break;
        }
        n += 32;
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bytes;
    n
}

/// The length of a prefix of `bytes` whose bytes are all in `low..=high` (`high` below 0x80):
/// whole 16-byte blocks, then whole 8-byte words; the caller checks the rest one byte at a
/// time. For a `pattern` of one repeated class, whose members include most of ASCII.
#[inline]
pub(crate) fn ascii_range_prefix(bytes: &[u8], low: u8, high: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    debug_assert!(high < 0x80 && low <= high);
    let mut n = 0;
    #[cfg(target_arch = "x86_64")]
    while let Some(block) = bytes[n..].first_chunk::<16>() {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        if !unsafe { sse2::all_in_range(block, low, high) } {
            break;
        }
        n += 16;
    }
    while let Some(word) = bytes[n..].first_chunk::<8>() {
        let w = u64::from_le_bytes(*word);
        // Exact as zero tests: a byte below `low` borrows (the high bit of an ASCII byte is
        // clear, so `!w` keeps the borrow's); a byte above `high` carries into its high bit,
        // which non-ASCII bytes have already.
        let below = w.wrapping_sub(ONES * u64::from(low)) & !w;
        let above = w.wrapping_add(ONES * u64::from(0x7f - high)) | w;
        if (below | above) & HIGH != 0 {
            break;
        }
        n += 8;
    }
    n
}

/// `bytes` as `str`: all-ASCII 32-byte blocks are passed over ([`ascii_prefix`]) and only the
/// stretches between them are checked by `std::str::from_utf8`; the error is the offset
/// `from_utf8` gives for the whole.
pub(crate) fn to_str(bytes: &[u8]) -> Result<&str, usize> {
    let mut n = ascii_prefix(bytes);
    // The tail of an ASCII text shorter than a block (all of a small document's): a word at a
    // time, where `from_utf8` goes a byte at a time up to an aligned word.
    if bytes[n..].is_ascii() {
        // SAFETY: ASCII blocks, then ASCII bytes: ASCII is UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    while n < bytes.len() {
        // A stretch ends where an all-ASCII block starts: no UTF-8 sequence continues into an
        // ASCII byte, so the stretch is valid on its own exactly when it is within the whole,
        // and a sequence cut at its end is an error at the same offset in both. The ASCII
        // blocks found are passed over, not scanned again (a document with a non-ASCII
        // character near its start was read twice).
        let mut end = (n + 32).min(bytes.len());
        let mut ascii = 0;
        while end < bytes.len() {
            ascii = ascii_prefix(&bytes[end..]);
            if ascii > 0 {
                break;
            }
            end = (end + 32).min(bytes.len());
        }
        if let Err(e) = std::str::from_utf8(&bytes[n..end]) {
            return Err(n + e.valid_up_to());
        }
        n = end + ascii;
    }
    // SAFETY: every byte is in an ASCII block or in a stretch just checked, and the
    // stretches start and end on ASCII bytes (char boundaries).
    Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_min_epu8,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(block: &[u8; 16]) -> __m128i {
        #[expect(clippy::cast_ptr_alignment, reason = "an unaligned load")]
        let ptr = block.as_ptr().cast::<__m128i>();
        // SAFETY: the 16 bytes read are the array's.
        unsafe { _mm_loadu_si128(ptr) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn splat(byte: u8) -> __m128i {
        _mm_set1_epi8(i8::from_ne_bytes([byte]))
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn string_stops(block: &[u8; 16]) -> u32 {
        let v = load(block);
        // An unsigned byte is below 0x20 when max(byte, 0x1f) is 0x1f.
        let control = _mm_cmpeq_epi8(_mm_max_epu8(v, splat(0x1f)), splat(0x1f));
        let quote = _mm_cmpeq_epi8(v, splat(b'"'));
        let backslash = _mm_cmpeq_epi8(v, splat(b'\\'));
        let stops = _mm_or_si128(control, _mm_or_si128(quote, backslash));
        _mm_movemask_epi8(stops).unsigned_abs()
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn not_whitespace(block: &[u8; 16]) -> u32 {
        let v = load(block);
        let space = _mm_or_si128(
            _mm_cmpeq_epi8(v, splat(b' ')),
            _mm_cmpeq_epi8(v, splat(b'\n')),
        );
        let other = _mm_or_si128(
            _mm_cmpeq_epi8(v, splat(b'\t')),
            _mm_cmpeq_epi8(v, splat(b'\r')),
        );
        !_mm_movemask_epi8(_mm_or_si128(space, other)).unsigned_abs() & 0xffff
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn all_in_range(block: &[u8; 16], low: u8, high: u8) -> bool {
        let v = load(block);
        let at_least = _mm_cmpeq_epi8(_mm_max_epu8(v, splat(low)), v);
        let at_most = _mm_cmpeq_epi8(_mm_min_epu8(v, splat(high)), v);
        _mm_movemask_epi8(_mm_and_si128(at_least, at_most)) == 0xffff
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn any_high_bit(block: &[u8; 32]) -> bool {
        let (lo, hi) = block.split_at(16);
        let (Ok(lo), Ok(hi)) = (<&[u8; 16]>::try_from(lo), <&[u8; 16]>::try_from(hi)) else {
            return true;
        };
        _mm_movemask_epi8(_mm_or_si128(load(lo), load(hi))) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(bytes: &[u8]) -> [u8; 16] {
        bytes.try_into().expect("16 bytes")
    }

    #[test]
    fn masks_are_exact_for_every_byte_at_every_offset() {
        for byte in 0..=255u8 {
            for at in 0..16 {
                let mut bytes = [b'a'; 16];
                bytes[at] = byte;
                let stop = byte < 0x20 || byte == b'"' || byte == b'\\';
                let space = matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
                if let Some(mask) = string_stops(&block(&bytes)) {
                    assert_eq!(mask, u32::from(stop) << at, "{byte:#x} at {at}");
                }
                if let Some(mask) = not_whitespace(&block(&bytes)) {
                    let others = 0xffff & !(1 << at);
                    assert_eq!(mask, others | u32::from(!space) << at, "{byte:#x} at {at}");
                }
            }
        }
    }

    #[test]
    fn every_hit_of_a_block_is_flagged() {
        let bytes = block(b"\"a\\b\x01 \t\n\r\x7f\x80\xff\x1f  x");
        if let Some(stops) = string_stops(&bytes) {
            let expected: u32 = (0..16)
                .filter(|&i| bytes[i] < 0x20 || bytes[i] == b'"' || bytes[i] == b'\\')
                .map(|i| 1 << i)
                .sum();
            assert_eq!(stops, expected);
            assert_eq!(stops.count_ones(), 7);
        }
        if let Some(other) = not_whitespace(&bytes) {
            let expected: u32 = (0..16)
                .filter(|&i| !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r'))
                .map(|i| 1 << i)
                .sum();
            assert_eq!(other, expected);
        }
    }

    #[test]
    fn range_prefixes_stop_at_the_first_byte_out_of_range() {
        for (low, high) in [
            (0x20, 0x7f),
            (0x21, 0x7e),
            (0x21, 0x7f),
            (0x20, 0x7e),
            (b'0', b'9'),
        ] {
            for len in 0..40 {
                for at in 0..=len {
                    for byte in [0u8, 0x1f, 0x20, 0x21, b'5', 0x7e, 0x7f, 0x80, 0xc3, 0xff] {
                        let mut bytes = vec![low; len];
                        if at < len {
                            bytes[at] = byte;
                        }
                        let first_out = bytes
                            .iter()
                            .position(|&b| !(low..=high).contains(&b))
                            .unwrap_or(len);
                        // Whole words up to the first byte out of range.
                        assert_eq!(
                            ascii_range_prefix(&bytes, low, high),
                            first_out / 8 * 8,
                            "{low:#x}..={high:#x} {bytes:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn utf8_errors_are_at_the_stdlib_offset() {
        for len in 0..80 {
            for at in 0..len {
                for bad in [
                    &b"\xff"[..],
                    b"\xc3",
                    b"\xe2\x82",
                    b"\xed\xa0\x80",
                    b"\xc3\xa9\xff",
                ] {
                    let mut bytes = vec![b'a'; len];
                    bytes.splice(at..at, bad.iter().copied());
                    let expected = std::str::from_utf8(&bytes).map_err(|e| e.valid_up_to());
                    assert_eq!(to_str(&bytes), expected, "{bytes:?}");
                    assert!(ascii_prefix(&bytes) <= at);
                }
                let mut good = vec![b'a'; len];
                good.splice(at..at, "\u{e9}\u{20ac}\u{1f600}".bytes());
                assert_eq!(to_str(&good), std::str::from_utf8(&good).map_err(|_| 0));
                // Non-ASCII early, ASCII blocks, then an error: one stretch per side.
                let mut late = "\u{e9}".repeat(3).into_bytes();
                late.extend(std::iter::repeat_n(b'a', len));
                late.splice(late.len() - at..late.len() - at, *b"\xe2\x82");
                let expected = std::str::from_utf8(&late).map_err(|e| e.valid_up_to());
                assert_eq!(to_str(&late), expected, "{late:?}");
            }
        }
    }
}
