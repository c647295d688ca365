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
#[derive(Clone)]
pub(crate) struct StopTable([bool; 256]);

impl StopTable {
    pub(crate) fn new(specials: impl IntoIterator<Item = char>) -> Self {
        let mut table = [false; 256];
        for c in specials {
            let mut utf8 = [0; 4];
            table[usize::from(c.encode_utf8(&mut utf8).as_bytes()[0])] = true;
        }
        StopTable(table)
    }

    /// The index of the first marked byte in `bytes[from..]`, or `bytes.len()`.
    #[inline]
    pub(crate) fn scan(&self, bytes: &[u8], from: usize) -> usize {
        let table = &self.0;
        let mut i = from;
        // Unrolled by four: fields are short and the loop-carried branch dominates otherwise.
        while i + 4 <= bytes.len() {
            if table[usize::from(bytes[i])] {
                return i;
            }
            if table[usize::from(bytes[i + 1])] {
                return i + 1;
            }
            if table[usize::from(bytes[i + 2])] {
                return i + 2;
            }
            if table[usize::from(bytes[i + 3])] {
                return i + 3;
            }
            i += 4;
        }
        while i < bytes.len() && !table[usize::from(bytes[i])] {
            i += 1;
        }
        i
    }
}

impl std::fmt::Debug for StopTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let marked: Vec<u8> = (0..=255u8).filter(|&b| self.0[usize::from(b)]).collect();
        f.debug_tuple("StopTable").field(&marked).finish()
    }
}

/// Decodes the character starting at byte `i` of `s`: `(code point, UTF-8 length)`.
#[inline]
pub(crate) fn char_at(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        (char::from(b), 1)
    } else {
        let c = s[i..].chars().next().expect("index is a char boundary");
        (c, c.len_utf8())
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
    }

    #[test]
    fn char_at_decodes() {
        assert_eq!(char_at("a€b", 0), ('a', 1));
        assert_eq!(char_at("a€b", 1), ('€', 3));
        assert_eq!(char_at("a€b", 4), ('b', 1));
        assert_eq!(char_at("\0", 0), ('\0', 1));
    }
}
