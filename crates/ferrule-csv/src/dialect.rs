//! Dialect options, exactly the eight attributes of `csv.Dialect` in Python 3.11.
//!
//! No validation happens here: the binding validates with the stdlib's rules and messages
//! (`"delimiter" must be a 1-character string`, ...) before building a [`Dialect`]. The reader
//! and writer accept any combination without panicking.

/// How the writer quotes fields, and whether the reader honours quotes or marks numbers.
///
/// The discriminants are the stdlib's `csv.QUOTE_*` integer values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Quoting {
    /// `QUOTE_MINIMAL` (0): quote only fields that contain special characters.
    #[default]
    Minimal = 0,
    /// `QUOTE_ALL` (1): quote every field.
    All = 1,
    /// `QUOTE_NONNUMERIC` (2): the writer quotes non-numbers; the reader marks every field that
    /// began unquoted as numeric (the binding converts those with `float()`).
    NonNumeric = 2,
    /// `QUOTE_NONE` (3): never quote; the reader treats the quote character as ordinary.
    None = 3,
}

impl Quoting {
    /// The mode for a `csv.QUOTE_*` value, or `None` if it is not one of 3.11's four.
    pub fn from_int(value: i64) -> Option<Self> {
        match value {
            0 => Some(Self::Minimal),
            1 => Some(Self::All),
            2 => Some(Self::NonNumeric),
            3 => Some(Self::None),
            _ => None,
        }
    }

    /// The `csv.QUOTE_*` value of this mode.
    pub fn as_int(self) -> i64 {
        i64::from(self as u8)
    }
}

/// A CSV dialect. [`Dialect::default`] is the stdlib's `excel` dialect.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dialect {
    /// The field separator.
    pub delimiter: char,
    /// The character that opens and closes quoted fields; `None` disables quoting.
    pub quotechar: Option<char>,
    /// The character that makes the next character literal; `None` disables escaping.
    pub escapechar: Option<char>,
    /// Whether a quote inside a quoted field is written (and read) as two quotes.
    pub doublequote: bool,
    /// Whether the reader skips spaces right after a delimiter.
    pub skipinitialspace: bool,
    /// What the writer appends after each record (the reader ignores it, as the stdlib does).
    pub lineterminator: String,
    /// The quoting mode.
    pub quoting: Quoting,
    /// Whether the reader raises on a bad quote or an unexpected end of data.
    pub strict: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Self::excel()
    }
}

impl Dialect {
    /// `csv.excel`: comma, double quote, `"\r\n"`, `QUOTE_MINIMAL`.
    pub fn excel() -> Self {
        Dialect {
            delimiter: ',',
            quotechar: Some('"'),
            escapechar: None,
            doublequote: true,
            skipinitialspace: false,
            lineterminator: "\r\n".to_owned(),
            quoting: Quoting::Minimal,
            strict: false,
        }
    }

    /// `csv.excel_tab`: `excel` with a tab delimiter.
    pub fn excel_tab() -> Self {
        Dialect {
            delimiter: '\t',
            ..Self::excel()
        }
    }

    /// `csv.unix_dialect`: `excel` with `"\n"` and `QUOTE_ALL`.
    pub fn unix() -> Self {
        Dialect {
            lineterminator: "\n".to_owned(),
            quoting: Quoting::All,
            ..Self::excel()
        }
    }
}

/// A 256-entry byte class table: `true` marks the first UTF-8 byte of some special character.
///
/// Scanning UTF-8 bytes with it is exact: ASCII bytes and lead bytes only ever start a
/// character, and continuation bytes are never marked. When every special character is
/// ASCII (the common case) no byte of a non-ASCII character stops the scan; otherwise the
/// scan stops on candidate lead bytes and the caller decodes and compares the whole character.
///
/// With at most [`MAX_SWAR`] marked bytes (every dialect's reader states and the writer of
/// any dialect without an escape character and with a two-character line terminator), runs
/// are scanned eight bytes at a time with word-wide compares instead of a lookup per byte.
#[derive(Clone)]
pub(crate) struct StopTable {
    table: [bool; 256],
    /// The marked bytes, each repeated in all eight lanes; `None` when there are too many.
    lanes: Option<([u64; MAX_SWAR], usize)>,
}

const MAX_SWAR: usize = 5;
/// A one in every byte of a word, and every byte's high bit: for finding bytes eight at a time.
pub(crate) const LO: u64 = 0x0101_0101_0101_0101;
pub(crate) const HI: u64 = 0x8080_8080_8080_8080;

impl StopTable {
    pub(crate) fn new(specials: impl IntoIterator<Item = char>) -> Self {
        let mut table = [false; 256];
        for c in specials {
            let mut utf8 = [0; 4];
            table[usize::from(c.encode_utf8(&mut utf8).as_bytes()[0])] = true;
        }
        let marked: Vec<u8> = (0..=255u8).filter(|&b| table[usize::from(b)]).collect();
        let lanes = (marked.len() <= MAX_SWAR).then(|| {
            let mut lanes = [0; MAX_SWAR];
            for (lane, &b) in lanes.iter_mut().zip(&marked) {
                *lane = LO * u64::from(b);
            }
            (lanes, marked.len())
        });
        StopTable { table, lanes }
    }

    /// Whether `byte` is marked.
    #[inline]
    pub(crate) fn stops(&self, byte: u8) -> bool {
        self.table[usize::from(byte)]
    }

    /// The index of the first marked byte in `bytes[from..]`, or `bytes.len()`.
    #[inline]
    pub(crate) fn scan(&self, bytes: &[u8], from: usize) -> usize {
        let mut i = from;
        // The word loop's lanes are loaded only for text that has a word: most fields the
        // writer checks are shorter, and loading them cost more than the bytes' check.
        if bytes.len().saturating_sub(from) < 8 {
            return self.scan_bytes(bytes, i);
        }
        if let Some((lanes, n)) = &self.lanes {
            let lanes = &lanes[..*n];
            while let Some(chunk) = bytes.get(i..i + 8) {
                let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                let mut found = 0;
                for lane in lanes {
                    // The classic "has a zero byte": exact for the lowest zero byte, which is
                    // all we read (bits above it may be spurious after a borrow).
                    let x = word ^ lane;
                    found |= x.wrapping_sub(LO) & !x & HI;
                }
                if found != 0 {
                    return i + (found.trailing_zeros() / 8) as usize;
                }
                i += 8;
            }
        }
        self.scan_bytes(bytes, i)
    }

    /// [`scan`](StopTable::scan) one byte at a time.
    #[inline]
    fn scan_bytes(&self, bytes: &[u8], mut i: usize) -> usize {
        while i < bytes.len() && !self.table[usize::from(bytes[i])] {
            i += 1;
        }
        i
    }
}

impl std::fmt::Debug for StopTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let marked: Vec<u8> = (0..=255u8).filter(|&b| self.stops(b)).collect();
        f.debug_tuple("StopTable").field(&marked).finish()
    }
}

/// Decodes the code point starting at byte `i` of `s`: `(code point, length in bytes)`.
///
/// `s` is WTF-8: UTF-8 that may also hold lone surrogates, encoded like any other code point
/// of three bytes (what Python's `surrogatepass` error handler writes). Such a sequence starts
/// with `0xED`, so it never equals an ASCII byte or another code point's encoding. Bytes that
/// are not WTF-8 decode to some code point without panicking.
#[inline]
pub(crate) fn char_at(s: &[u8], i: usize) -> (u32, usize) {
    let b = s[i];
    if b < 0x80 {
        return (u32::from(b), 1);
    }
    let cont = |k: usize| u32::from(s.get(i + k).map_or(0, |&c| c & 0x3f));
    let (c, len) = if b < 0xe0 {
        ((u32::from(b & 0x1f) << 6) | cont(1), 2)
    } else if b < 0xf0 {
        ((u32::from(b & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        let c = (u32::from(b & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
        (c, 4)
    };
    (c, len.min(s.len() - i))
}

/// Appends the WTF-8 encoding of code point `c` (a `char` or a lone surrogate).
#[inline]
pub(crate) fn push_code_point(buf: &mut Vec<u8>, c: u32) {
    if c < 0x80 {
        buf.push(c as u8);
    } else if c < 0x800 {
        buf.extend_from_slice(&[0xc0 | (c >> 6) as u8, 0x80 | (c & 0x3f) as u8]);
    } else if c < 0x1_0000 {
        buf.extend_from_slice(&[
            0xe0 | (c >> 12) as u8,
            0x80 | ((c >> 6) & 0x3f) as u8,
            0x80 | (c & 0x3f) as u8,
        ]);
    } else {
        buf.extend_from_slice(&[
            0xf0 | (c >> 18) as u8,
            0x80 | ((c >> 12) & 0x3f) as u8,
            0x80 | ((c >> 6) & 0x3f) as u8,
            0x80 | (c & 0x3f) as u8,
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips_through_ints() {
        for (value, mode) in [
            (0, Quoting::Minimal),
            (1, Quoting::All),
            (2, Quoting::NonNumeric),
            (3, Quoting::None),
        ] {
            assert_eq!(Quoting::from_int(value), Some(mode));
            assert_eq!(mode.as_int(), value);
        }
        assert_eq!(Quoting::from_int(4), None);
        assert_eq!(Quoting::from_int(-1), None);
    }

    #[test]
    fn builtin_dialects() {
        let excel = Dialect::default();
        assert_eq!(excel, Dialect::excel());
        assert_eq!(excel.delimiter, ',');
        assert_eq!(excel.quotechar, Some('"'));
        assert_eq!(excel.lineterminator, "\r\n");
        assert_eq!(Dialect::excel_tab().delimiter, '\t');
        let unix = Dialect::unix();
        assert_eq!(
            (unix.quoting, unix.lineterminator.as_str()),
            (Quoting::All, "\n")
        );
    }

    #[test]
    fn stop_table_scans() {
        let ascii = StopTable::new([',', '\n']);
        let cases: &[(&str, usize, usize)] = &[
            ("", 0, 0),
            ("abc", 0, 3),
            ("ab,c", 0, 2),
            ("ab,c", 3, 4),
            ("abcdefgh\n", 0, 8),
            ("é,", 0, 2),
            ("ééééé\n", 0, 10),
        ];
        for &(s, from, want) in cases {
            assert_eq!(ascii.scan(s.as_bytes(), from), want, "{s:?} from {from}");
        }
        // A non-ASCII special stops on its lead byte, and on other characters sharing it.
        let wide = StopTable::new(['é']);
        assert_eq!(wide.scan("abcdeé".as_bytes(), 0), 5);
        assert_eq!(wide.scan("aè".as_bytes(), 0), 1);
        assert_eq!(wide.scan("a€".as_bytes(), 0), 4);
        assert!(format!("{wide:?}").contains("195"));
        // More marked bytes than word-wide lanes: the table scan.
        let many = StopTable::new([',', '"', '\\', '\r', '\n', '!', '#']);
        assert!(many.lanes.is_none());
        assert_eq!(many.scan(b"abcdefghijk#", 0), 11);
    }

    #[test]
    fn word_scan_agrees_with_table_scan() {
        let table_only = |t: &StopTable, bytes: &[u8], from: usize| {
            (from..bytes.len())
                .find(|&i| t.stops(bytes[i]))
                .unwrap_or(bytes.len())
        };
        let tables = [
            StopTable::new([',', '\r', '\n']),
            StopTable::new(['\0', '\u{7f}', 'é']),
            StopTable::new(['"']),
        ];
        // Every position of every stop byte (and neighbours that provoke borrows) in runs
        // longer than a word.
        let alphabet = [
            b'a', 0, 1, 0x7f, 0x80, 0xc3, 0xff, b',', b'"', b'\r', b'\n', b'\x2b',
        ];
        for t in &tables {
            for len in 0..20 {
                for pos in 0..len {
                    for &x in &alphabet {
                        for &y in &alphabet {
                            let mut bytes = vec![b'x'; len];
                            bytes[pos] = x;
                            if pos + 1 < len {
                                bytes[pos + 1] = y;
                            }
                            if pos > 0 {
                                bytes[pos - 1] = y;
                            }
                            for from in [0, pos.min(3)] {
                                assert_eq!(
                                    t.scan(&bytes, from),
                                    table_only(t, &bytes, from),
                                    "{t:?} {bytes:?} from {from}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn char_at_decodes() {
        assert_eq!(char_at("a€b".as_bytes(), 0), (u32::from('a'), 1));
        assert_eq!(char_at("a€b".as_bytes(), 1), (u32::from('€'), 3));
        assert_eq!(char_at("a€b".as_bytes(), 4), (u32::from('b'), 1));
        assert_eq!(char_at("\0😀".as_bytes(), 1), (0x1_f600, 4));
        // A lone surrogate (U+D800) as `surrogatepass` encodes it, and a truncated sequence.
        assert_eq!(char_at(b"\xed\xa0\x80", 0), (0xd800, 3));
        assert_eq!(char_at(b"x\xe2\x82", 1).1, 2);
    }

    #[test]
    fn push_code_point_round_trips() {
        for c in [
            0, 0x7f, 0x80, 0x7ff, 0x800, 0xd800, 0xdfff, 0xffff, 0x1_0000, 0x10_ffff,
        ] {
            let mut buf = vec![b'x'];
            push_code_point(&mut buf, c);
            assert_eq!(char_at(&buf, 1), (c, buf.len() - 1), "{c:#x}");
            if let Some(ch) = char::from_u32(c) {
                assert_eq!(&buf[1..], ch.to_string().as_bytes());
            }
        }
    }
}
