//! Turning the input's bytes into UTF-8 once, before any splitting, so that every later step
//! works on one representation and a bad byte is reported where it is, never guessed around.

use std::borrow::Cow;
use std::ops::Range;

use super::classify::odd_count;
use super::error::{ColumnarError, ColumnarErrorKind, Position};
use super::options::{DecodeErrors, Encoding};
use super::scan::line_and_column;

/// The input as UTF-8, and how many bytes of the original input precede it (a dropped byte
/// order mark), so that UTF-8 positions map back to the caller's bytes.
pub(crate) struct Decoded<'a> {
    pub(crate) text: Cow<'a, [u8]>,
    pub(crate) skipped: usize,
    /// How the input's bytes map to the text's characters.
    pub(crate) width: Width,
}

/// The input's bytes per character of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Width {
    /// The text is the input (UTF-8; after a replaced bad sequence, offsets are the text's).
    Same,
    /// One byte per character (latin-1, cp1252).
    Byte,
    /// Two bytes per UTF-16 code unit: characters beyond U+FFFF take four.
    Utf16,
}

impl Decoded<'_> {
    /// The input offsets of ascending text offsets: errors and bad lines name the byte of
    /// the caller's input, not of the UTF-8 text it was decoded to. One pass over the text.
    pub(crate) fn original_offsets(&self, offsets: &[usize]) -> Vec<u64> {
        let mut out = Vec::with_capacity(offsets.len());
        let (mut pos, mut units) = (0usize, 0usize);
        for &offset in offsets {
            let offset = offset.min(self.text.len());
            if offset < pos {
                (pos, units) = (0, 0);
            }
            let between = &self.text[pos..offset];
            units += match self.width {
                Width::Same => between.len(),
                // Every byte that is not a UTF-8 continuation byte starts a character.
                Width::Byte => between.iter().filter(|&&b| (b as i8) >= -0x40).count(),
                Width::Utf16 => {
                    let chars = between.iter().filter(|&&b| (b as i8) >= -0x40).count();
                    let astral = between.iter().filter(|&&b| b >= 0xf0).count();
                    2 * (chars + astral)
                }
            };
            pos = offset;
            out.push((units + self.skipped) as u64);
        }
        out
    }

    /// The input offset of one text offset.
    pub(crate) fn original_offset(&self, offset: usize) -> u64 {
        self.original_offsets(&[offset])[0]
    }
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";
/// The bytes cp1252 leaves undefined, which Python's codec rejects.
const CP1252_UNDEFINED: [u8; 5] = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

pub(crate) fn decode(
    input: &[u8],
    encoding: Encoding,
    errors: DecodeErrors,
) -> Result<Decoded<'_>, ColumnarError> {
    decode_other(input, encoding, errors)
}

/// [`decode`], UTF-8 checked on `threads` threads; for UTF-8 input and a `quote` byte, also
/// where the quotes stand (counted in the same pass: see [`QuoteParity`]).
pub(crate) fn decode_on(
    input: &[u8],
    encoding: Encoding,
    errors: DecodeErrors,
    threads: usize,
    quote: Option<u8>,
) -> Result<(Decoded<'_>, Option<QuoteParity>), ColumnarError> {
    let (skipped, name) = match encoding {
        Encoding::Utf8 => (0, "utf-8"),
        Encoding::Utf8Sig => (if input.starts_with(UTF8_BOM) { 3 } else { 0 }, "utf-8-sig"),
        _ => return decode_other(input, encoding, errors).map(|d| (d, None)),
    };
    let text = &input[skipped..];
    let (valid, odd_before) = check_utf8(text, quote, threads);
    if valid {
        let parity = quote
            .zip(odd_before)
            .map(|(quote, odd_before)| QuoteParity { quote, odd_before });
        let decoded = Decoded {
            text: Cow::Borrowed(text),
            skipped,
            width: Width::Same,
        };
        return Ok((decoded, parity));
    }
    utf8(text, skipped, errors, name).map(|d| (d, None))
}

fn decode_other(
    input: &[u8],
    encoding: Encoding,
    errors: DecodeErrors,
) -> Result<Decoded<'_>, ColumnarError> {
    match encoding {
        Encoding::Utf8 => utf8(input, 0, errors, "utf-8"),
        Encoding::Utf8Sig => {
            let skipped = if input.starts_with(UTF8_BOM) { 3 } else { 0 };
            utf8(&input[skipped..], skipped, errors, "utf-8-sig")
        }
        Encoding::Latin1 => Ok(Decoded {
            text: Cow::Owned(latin1(input)),
            skipped: 0,
            width: Width::Byte,
        }),
        Encoding::Cp1252 => {
            if errors == DecodeErrors::Strict
                && let Some(bad) = input.iter().position(|b| CP1252_UNDEFINED.contains(b))
            {
                let prefix = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&input[..bad]);
                return Err(decode_error("cp1252", prefix.0.as_bytes(), bad));
            }
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(input);
            Ok(Decoded {
                text: Cow::Owned(text.into_owned().into_bytes()),
                skipped: 0,
                width: Width::Byte,
            })
        }
        Encoding::Utf16 => utf16(input, errors),
    }
}

fn utf8<'a>(
    input: &'a [u8],
    skipped: usize,
    errors: DecodeErrors,
    name: &'static str,
) -> Result<Decoded<'a>, ColumnarError> {
    match std::str::from_utf8(input) {
        Ok(_) => Ok(Decoded {
            text: Cow::Borrowed(input),
            skipped,
            width: Width::Same,
        }),
        Err(e) if errors == DecodeErrors::Strict => {
            let bad = e.valid_up_to();
            let mut error = decode_error(name, &input[..bad], bad);
            if let ColumnarErrorKind::Decode { at, .. } = &mut *error.0 {
                at.byte += skipped as u64;
            }
            Err(error)
        }
        Err(_) => Ok(Decoded {
            text: Cow::Owned(String::from_utf8_lossy(input).into_owned().into_bytes()),
            skipped,
            width: Width::Same,
        }),
    }
}

/// Below this the threads cost more than the check.
const PARALLEL_CHECK: usize = 1 << 22;

/// Bytes per block of a [`QuoteParity`] (blocks are checked and counted while in cache).
const PARITY_BLOCK: usize = 1 << 16;

/// The parity of the quote characters before each block of the text, counted in the pass
/// that checks its UTF-8 (the slices' starts need it; a pass of its own read the whole input
/// once more).
pub(crate) struct QuoteParity {
    pub(crate) quote: u8,
    /// Whether `text[..k * PARITY_BLOCK]` holds an odd number of quotes, for every `k`.
    odd_before: Vec<bool>,
}

impl QuoteParity {
    /// Whether `text[..at]` (the text this was counted on) holds an odd number of quotes.
    pub(crate) fn odd_before(&self, text: &[u8], at: usize) -> bool {
        let block = at / PARITY_BLOCK;
        self.odd_before[block] ^ odd_count(&text[block * PARITY_BLOCK..at], self.quote)
    }
}

/// The first character start at or after `at` among the three bytes a character may carry
/// on (a fourth continuation byte is bad UTF-8, which the check of the next piece finds).
/// The input's first byte has no piece before it to be checked with: it stays.
fn char_start(input: &[u8], mut at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    for _ in 0..3 {
        if input.get(at).is_some_and(|&b| (b as i8) < -0x40) {
            at += 1;
        }
    }
    at
}

/// Whether `input` is UTF-8 and, given a quote byte, the parity of the quotes before each
/// [`PARITY_BLOCK`]; on `threads` threads for a large input (on one thread, the check held
/// back the whole read for about 4% of its CPU time). Each block is checked from the
/// character start at or after its first byte to the one at or after its end: valid input
/// gives valid pieces, and pieces that are all valid join into valid input.
fn check_utf8(input: &[u8], quote: Option<u8>, threads: usize) -> (bool, Option<Vec<bool>>) {
    let blocks = input.len().div_ceil(PARITY_BLOCK);
    let run = |range: Range<usize>| {
        let mut odd = Vec::with_capacity(range.len());
        for k in range {
            let (lo, hi) = (k * PARITY_BLOCK, ((k + 1) * PARITY_BLOCK).min(input.len()));
            if std::str::from_utf8(&input[char_start(input, lo)..char_start(input, hi)]).is_err() {
                return (false, odd);
            }
            if let Some(q) = quote {
                odd.push(odd_count(&input[lo..hi], q));
            }
        }
        (true, odd)
    };
    let workers = if input.len() < PARALLEL_CHECK {
        1
    } else {
        threads.clamp(1, blocks.max(1))
    };
    let results = if workers == 1 {
        vec![run(0..blocks)]
    } else {
        let per = blocks.div_ceil(workers);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let range = (w * per).min(blocks)..((w + 1) * per).min(blocks);
                    scope.spawn(move || run(range))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a checking thread panicked"))
                .collect()
        })
    };
    if results.iter().any(|(valid, _)| !valid) {
        return (false, None);
    }
    let odd_before = quote.map(|_| {
        let mut before = vec![false];
        for odd in results.iter().flat_map(|(_, odd)| odd) {
            let last = *before.last().unwrap_or(&false);
            before.push(last ^ odd);
        }
        before
    });
    (true, odd_before)
}

fn latin1(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 8);
    for &b in input {
        if b.is_ascii() {
            out.push(b);
        } else {
            out.extend_from_slice(char::from(b).encode_utf8(&mut [0; 2]).as_bytes());
        }
    }
    out
}

fn utf16(input: &[u8], errors: DecodeErrors) -> Result<Decoded<'_>, ColumnarError> {
    let (big_endian, skipped) = match input {
        [0xfe, 0xff, ..] => (true, 2),
        [0xff, 0xfe, ..] => (false, 2),
        _ => (false, 0),
    };
    let body = &input[skipped..];
    let units = body.chunks_exact(2).map(|pair| {
        if big_endian {
            u16::from_be_bytes([pair[0], pair[1]])
        } else {
            u16::from_le_bytes([pair[0], pair[1]])
        }
    });
    let mut out = String::with_capacity(body.len() / 2);
    let mut unit_index = 0usize;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => {
                unit_index += c.len_utf16();
                out.push(c);
            }
            Err(_) if errors == DecodeErrors::Replace => {
                unit_index += 1;
                out.push(char::REPLACEMENT_CHARACTER);
            }
            Err(_) => {
                let bad = skipped + unit_index * 2;
                return Err(decode_error("utf-16", out.as_bytes(), bad));
            }
        }
    }
    if body.len() % 2 == 1 {
        if errors == DecodeErrors::Strict {
            return Err(decode_error("utf-16", out.as_bytes(), input.len() - 1));
        }
        out.push(char::REPLACEMENT_CHARACTER);
    }
    Ok(Decoded {
        text: Cow::Owned(out.into_bytes()),
        skipped,
        width: Width::Utf16,
    })
}

/// The error for a bad sequence at `byte` of the input, `before` being the decoded text up to it.
#[cold]
pub(crate) fn decode_error(encoding: &'static str, before: &[u8], byte: usize) -> ColumnarError {
    let (line, column) = line_and_column(before, before.len());
    ColumnarErrorKind::Decode {
        encoding,
        at: Position {
            line,
            column,
            byte: byte as u64,
        },
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &[u8], encoding: Encoding) -> String {
        let decoded = decode(input, encoding, DecodeErrors::Strict).unwrap();
        String::from_utf8(decoded.text.into_owned()).unwrap()
    }

    fn error_at(input: &[u8], encoding: Encoding) -> Position {
        decode(input, encoding, DecodeErrors::Strict)
            .err()
            .unwrap()
            .position()
            .unwrap()
    }

    #[test]
    fn every_encoding_decodes() {
        assert_eq!(text("é,x".as_bytes(), Encoding::Utf8), "é,x");
        assert_eq!(text(b"\xef\xbb\xbfa", Encoding::Utf8), "\u{feff}a");
        assert_eq!(text(b"\xef\xbb\xbfa", Encoding::Utf8Sig), "a");
        assert_eq!(text(b"a", Encoding::Utf8Sig), "a");
        assert_eq!(text(b"\xe9\x80", Encoding::Latin1), "é\u{80}");
        assert_eq!(text(b"\xe9\x80", Encoding::Cp1252), "é€");
        assert_eq!(text(b"\xff\xfea\x00\xe9\x00", Encoding::Utf16), "aé");
        assert_eq!(text(b"\xfe\xff\x00a\x00\xe9", Encoding::Utf16), "aé");
        assert_eq!(text(b"a\x00", Encoding::Utf16), "a");
    }

    #[test]
    fn bad_bytes_are_errors_with_their_position() {
        let at = error_at(b"a,b\nc,\xff", Encoding::Utf8);
        assert_eq!((at.line, at.column, at.byte), (2, 3, 6));
        let at = error_at(b"\xef\xbb\xbfa\n\xff", Encoding::Utf8Sig);
        assert_eq!((at.line, at.column, at.byte), (2, 1, 5));
        let at = error_at(b"ab\x81", Encoding::Cp1252);
        assert_eq!((at.line, at.column, at.byte), (1, 3, 2));
        let at = error_at(b"a\x00\x00\xd8b\x00", Encoding::Utf16);
        assert_eq!((at.line, at.column, at.byte), (1, 2, 2));
        let at = error_at(b"a\x00b", Encoding::Utf16);
        assert_eq!(at.byte, 2);
    }

    #[test]
    fn text_offsets_map_back_to_input_bytes() {
        let cases: &[(&[u8], Encoding, &[u64])] = &[
            (b"\xef\xbb\xbfab", Encoding::Utf8Sig, &[3, 4]),
            (b"\xe9a\x80b", Encoding::Latin1, &[0, 1, 2, 3]),
            (b"\x80a\xe9", Encoding::Cp1252, &[0, 1, 2]),
            (
                b"\xff\xfea\x00\xe9\x00\x3d\xd8\x00\xdeb\x00",
                Encoding::Utf16,
                &[2, 4, 6, 10],
            ),
        ];
        for (input, encoding, expected) in cases {
            let decoded = decode(input, *encoding, DecodeErrors::Strict).unwrap();
            let text = std::str::from_utf8(&decoded.text).unwrap();
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            assert_eq!(decoded.original_offsets(&starts), *expected, "{encoding:?}");
            assert_eq!(decoded.original_offset(starts[1]), expected[1]);
        }
    }

    #[test]
    fn the_threaded_check_agrees_with_one_thread() {
        // Multi-byte characters, and bad bytes at and around every block and piece boundary.
        let base: Vec<u8> = "aé€😀\""
            .bytes()
            .cycle()
            .take(PARALLEL_CHECK / 11 * 11 + 77)
            .collect();
        for threads in [1, 2, 3, 7] {
            assert!(check_utf8(&base, None, threads).0);
            let step = base.len() / threads;
            let edges = [0, PARITY_BLOCK, step, 2 * PARITY_BLOCK, base.len() - 1];
            for bad in [0x80u8, 0xff, 0xe2, 0xf0] {
                for at in edges
                    .iter()
                    .flat_map(|&e| e.saturating_sub(5)..(e + 5).min(base.len()))
                {
                    let mut input = base.clone();
                    input[at] = bad;
                    let expected = std::str::from_utf8(&input).is_ok();
                    let found =
                        decode_on(&input, Encoding::Utf8, DecodeErrors::Strict, threads, None);
                    assert_eq!(found.is_ok(), expected, "{threads} {bad:x} {at}");
                    // The position of the error is the one-thread check's.
                    if let Err(error) = found {
                        let valid = std::str::from_utf8(&input).unwrap_err().valid_up_to();
                        assert_eq!(error.position().unwrap().byte, valid as u64);
                    }
                }
            }
        }
    }

    #[test]
    fn quote_parity_is_the_count_before_each_offset() {
        let text: Vec<u8> = (0..PARALLEL_CHECK + 3 * PARITY_BLOCK + 5)
            .map(|i| {
                if i % 7 == 0 || i % 11 == 3 {
                    b'"'
                } else {
                    b'a'
                }
            })
            .collect();
        for threads in [1, 2, 3] {
            let (_, parity) = decode_on(
                &text,
                Encoding::Utf8,
                DecodeErrors::Strict,
                threads,
                Some(b'"'),
            )
            .unwrap();
            let parity = parity.unwrap();
            for at in [
                0,
                1,
                PARITY_BLOCK - 1,
                PARITY_BLOCK,
                PARITY_BLOCK + 7,
                text.len() / 2,
                text.len(),
            ] {
                let expected = memchr::memchr_iter(b'"', &text[..at]).count() % 2 == 1;
                assert_eq!(parity.odd_before(&text, at), expected, "{threads} {at}");
            }
        }
    }

    #[test]
    fn replace_never_fails() {
        let decoded = decode(b"a\xffb", Encoding::Utf8, DecodeErrors::Replace).unwrap();
        assert_eq!(&*decoded.text, "a\u{fffd}b".as_bytes());
        let decoded = decode(b"a\x00\x00\xd8", Encoding::Utf16, DecodeErrors::Replace).unwrap();
        assert_eq!(&*decoded.text, "a\u{fffd}".as_bytes());
    }
}
