//! The writer: `_csv.writer`'s quoting and escaping of each field, then the record rules.
//!
//! A character is special if it is the delimiter, the quote character, the escape character
//! or any character of the line terminator (CR and LF are not special by themselves in 3.11).
//! What a special character does depends on the mode:
//!
//! | character | `QUOTE_NONE` | other modes |
//! |---|---|---|
//! | quote character, `doublequote` | escaped | doubled, field quoted |
//! | quote character, no `doublequote` | escaped | escaped |
//! | escape character | escaped | escaped |
//! | delimiter, line terminator character | escaped | field quoted |
//!
//! Escaping without an escape character fails with `need to escape, but no escapechar set`.
//! Fields are scanned with a [`StopTable`] and copied in runs; only special characters (and,
//! for a dialect with non-ASCII special characters, characters sharing their lead byte) are
//! handled one by one.

use crate::dialect::{Dialect, Quoting, StopTable, char_at, push_code_point};
use crate::error::{Error, ErrorKind};

/// An incremental CSV writer with `_csv.writer`'s semantics.
///
/// Push the fields of a record with [`push_field`](Writer::push_field), then append it to an
/// output buffer with [`end_record`](Writer::end_record). After an error the record being
/// built is dropped and the writer is ready for the next one, as the stdlib's is.
///
/// The output is UTF-8, or WTF-8 if fields with lone surrogates were pushed with
/// [`push_field_bytes`](Writer::push_field_bytes).
#[derive(Clone, Debug)]
pub struct Writer {
    delimiter: char,
    quotechar: Option<char>,
    escapechar: Option<char>,
    doublequote: bool,
    quote_none: bool,
    lineterminator: String,
    /// The delimiter as its one byte when it is ASCII, the usual case, pushed without encoding.
    delimiter_byte: Option<u8>,
    stops: StopTable,
    /// The record being built.
    rec: Vec<u8>,
    num_fields: usize,
}

impl Writer {
    /// A writer for `dialect`.
    pub fn new(dialect: &Dialect) -> Writer {
        let stops = StopTable::new(
            [dialect.delimiter]
                .into_iter()
                .chain(dialect.quotechar)
                .chain(dialect.escapechar)
                .chain(dialect.lineterminator.chars()),
        );
        Writer {
            delimiter: dialect.delimiter,
            quotechar: dialect.quotechar,
            escapechar: dialect.escapechar,
            doublequote: dialect.doublequote,
            quote_none: dialect.quoting == Quoting::None,
            lineterminator: dialect.lineterminator.clone(),
            delimiter_byte: u8::try_from(dialect.delimiter).ok().filter(u8::is_ascii),
            stops,
            rec: Vec::new(),
            num_fields: 0,
        }
    }

    /// Appends a field to the record being built. `None` is Python's `None` (written like an
    /// empty string); `quoted` says whether the mode quotes this field regardless of its
    /// content (`QUOTE_ALL`: always; `QUOTE_NONNUMERIC`: non-numbers; otherwise never).
    pub fn push_field(&mut self, field: Option<&str>, quoted: bool) -> Result<(), Error> {
        self.push_field_bytes(field.map(str::as_bytes), quoted)
    }

    /// [`push_field`](Writer::push_field) for a field in WTF-8: UTF-8 that may also hold lone
    /// surrogates encoded as three bytes each (Python's `surrogatepass`).
    #[inline(always)]
    #[expect(
        clippy::inline_always,
        reason = "a plain hint left a call per field that cost as much as the field's copy"
    )]
    pub fn push_field_bytes(&mut self, field: Option<&[u8]>, quoted: bool) -> Result<(), Error> {
        // The common case, small enough to inline into the caller's loop: a field with nothing
        // to quote or escape, after an ASCII delimiter.
        if let (Some(text), false, Some(delimiter)) = (field, quoted, self.delimiter_byte) {
            if self.stops.scan(text, 0) == text.len() {
                if self.num_fields > 0 {
                    self.rec.push(delimiter);
                }
                self.rec.extend_from_slice(text);
                self.num_fields += 1;
                return Ok(());
            }
        }
        self.push_any_field(field, quoted)
    }

    /// [`push_field_bytes`](Writer::push_field_bytes) for any field.
    #[inline(never)]
    fn push_any_field(&mut self, field: Option<&[u8]>, quoted: bool) -> Result<(), Error> {
        if self.num_fields > 0 {
            match self.delimiter_byte {
                Some(b) => self.rec.push(b),
                None => push_char(&mut self.rec, self.delimiter),
            }
        }
        let text = field.unwrap_or(b"");
        let start = self.rec.len();
        if quoted {
            self.push_quote();
        }
        let first = self.stops.scan(text, 0);
        let result = if first == text.len() {
            self.rec.extend_from_slice(text);
            Ok(quoted)
        } else {
            self.push_special(text, first, quoted)
        };
        match result {
            Ok(now_quoted) => {
                if now_quoted {
                    if !quoted {
                        if let Some(q) = self.quotechar {
                            let mut utf8 = [0; 4];
                            let q = q.encode_utf8(&mut utf8).as_bytes();
                            self.rec.splice(start..start, q.iter().copied());
                        }
                    }
                    self.push_quote();
                }
                self.num_fields += 1;
                Ok(())
            }
            Err(error) => {
                self.clear();
                Err(error)
            }
        }
    }

    /// Copies `text`, whose first possibly special character is at byte `first`, handling each
    /// special character. Returns whether the field must be quoted.
    fn push_special(&mut self, text: &[u8], first: usize, mut quoted: bool) -> Result<bool, Error> {
        let mut i = 0;
        let mut stop = first;
        loop {
            self.rec.extend_from_slice(&text[i..stop]);
            if stop == text.len() {
                return Ok(quoted);
            }
            let (c, len) = char_at(text, stop);
            if let Some(c) = char::from_u32(c).filter(|&c| self.is_special(c)) {
                let want_escape = if self.quote_none {
                    true
                } else if Some(c) == self.quotechar {
                    if self.doublequote {
                        push_char(&mut self.rec, c);
                        quoted = true;
                        false
                    } else {
                        true
                    }
                } else if Some(c) == self.escapechar {
                    true
                } else {
                    quoted = true;
                    false
                };
                if want_escape {
                    match self.escapechar {
                        Some(e) => push_char(&mut self.rec, e),
                        None => return Err(ErrorKind::NeedEscape.into()),
                    }
                }
            }
            // The character as it came, a lone surrogate included.
            self.rec.extend_from_slice(&text[stop..stop + len]);
            i = stop + len;
            stop = self.stops.scan(text, i);
        }
    }

    #[inline]
    fn is_special(&self, c: char) -> bool {
        c == self.delimiter
            || Some(c) == self.escapechar
            || Some(c) == self.quotechar
            || self.lineterminator.contains(c)
    }

    #[inline]
    fn push_quote(&mut self) {
        // Without a quote character (only valid with QUOTE_NONE) quoting writes nothing.
        if let Some(q) = self.quotechar {
            push_char(&mut self.rec, q);
        }
    }

    /// Finishes the record: applies the single-empty-field rule (`[""]` and `[None]` are
    /// written as `""`, an error under `QUOTE_NONE`), appends the record and the line
    /// terminator to `out`, and starts a new record. A record of no fields writes only the
    /// line terminator.
    pub fn end_record(&mut self, out: &mut Vec<u8>) -> Result<(), Error> {
        if self.num_fields > 0 && self.rec.is_empty() {
            if self.quote_none {
                self.clear();
                return Err(ErrorKind::SingleEmptyField.into());
            }
            self.push_quote();
            self.push_quote();
        }
        out.extend_from_slice(&self.rec);
        out.extend_from_slice(self.lineterminator.as_bytes());
        self.clear();
        Ok(())
    }

    /// Drops the record being built (for a binding whose field conversion failed midway).
    pub fn clear(&mut self) {
        self.rec.clear();
        self.num_fields = 0;
    }
}

#[inline]
fn push_char(buf: &mut Vec<u8>, c: char) {
    push_code_point(buf, u32::from(c));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `writer.writerow` gives for each row, as the binding drives the core: `None` is
    /// Python's `None`, a field starting with `#` is a number (written without the `#`).
    /// Returns the output and the error that stopped it.
    fn write(dialect: &Dialect, rows: &[&[Option<&str>]]) -> (String, Option<String>) {
        let mut writer = Writer::new(dialect);
        let mut out = Vec::new();
        for row in rows {
            let mut result = Ok(());
            for field in *row {
                let number = field.and_then(|f| f.strip_prefix('#'));
                let quoted = match dialect.quoting {
                    Quoting::All => true,
                    Quoting::NonNumeric => number.is_none(),
                    Quoting::Minimal | Quoting::None => false,
                };
                result = writer.push_field(number.or(*field), quoted);
                if result.is_err() {
                    break;
                }
            }
            if let Err(e) = result.and_then(|()| writer.end_record(&mut out)) {
                return (String::from_utf8(out).unwrap(), Some(e.to_string()));
            }
        }
        (String::from_utf8(out).unwrap(), None)
    }

    const ESCAPE: &str = "need to escape, but no escapechar set";
    const EMPTY: &str = "single empty field record must be quoted";

    /// `writes!(name { dialect.field = value, .. }: [[fields], ..] => "output" [, error];)`.
    /// Expected values come from Python 3.11.7's `csv.writer`.
    macro_rules! writes {
        ($($name:ident $({ $($field:ident = $value:expr),+ $(,)? })?:
            [$([$($cell:expr),* $(,)?]),* $(,)?] => $out:expr $(, $err:expr)?;)+) => {$(
            #[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut dialect = Dialect::default();
                $($(dialect.$field = $value;)+)?
                let rows: &[&[Option<&str>]] = &[$(&[$(Option::<&str>::from($cell)),*]),*];
                let want_err: Option<&str> = None $(.or(Some($err)))?;
                let want_out: &str = $out;
                let (out, err) = write(&dialect, rows);
                assert_eq!((out.as_str(), err.as_deref()), (want_out, want_err), "{rows:?}");
            }
        )+};
    }

    const N: Option<&str> = None;

    // test_csv.py, Test_Csv.test_write_* and the dialect classes.
    writes! {
        arg_empty_row: [[]] => "\r\n";
        arg_none: [[N]] => "\"\"\r\n";
        arg_none_quote_none { quoting = Quoting::None }: [[N]] => "", EMPTY;
        quoting_default: [["a", "#1", "p,q"]] => "a,1,\"p,q\"\r\n";
        quoting_none_error { quoting = Quoting::None }: [["a", "#1", "p,q"]] => "", ESCAPE;
        quoting_nonnumeric { quoting = Quoting::NonNumeric }: [["a", "#1", "p,q"]]
            => "\"a\",1,\"p,q\"\r\n";
        quoting_all { quoting = Quoting::All }: [["a", "#1", "p,q"]] => "\"a\",\"1\",\"p,q\"\r\n";
        quoting_all_newline { quoting = Quoting::All }: [["a\nb", "#1"]] => "\"a\nb\",\"1\"\r\n";
        escape_quoted { escapechar = Some('\\') }: [["a", "#1", "p,q"]] => "a,1,\"p,q\"\r\n";
        escape_missing { doublequote = false }: [["a", "#1", "p,\"q\""]] => "", ESCAPE;
        escape_no_doublequote { escapechar = Some('\\'), doublequote = false }:
            [["a", "#1", "p,\"q\""]] => "a,1,\"p,\\\"q\\\"\"\r\n";
        escape_lone_quote_doubled { escapechar = Some('\\') }: [["\""]] => "\"\"\"\"\r\n";
        escape_lone_quote_escaped { escapechar = Some('\\'), doublequote = false }: [["\""]]
            => "\\\"\r\n";
        escape_lone_quote_none { escapechar = Some('\\'), quoting = Quoting::None }: [["\""]]
            => "\\\"\r\n";
        escape_delimiter_none { escapechar = Some('\\'), quoting = Quoting::None }:
            [["a", "#1", "p,q"]] => "a,1,p\\,q\r\n";
        escape_escapechar_none { escapechar = Some('\\'), quoting = Quoting::None }:
            [["\\", "a"]] => "\\\\,a\r\n";
        escape_escapechar_minimal { escapechar = Some('\\') }: [["\\", "a"]] => "\\\\,a\r\n";
        escape_escapechar_all { escapechar = Some('\\'), quoting = Quoting::All }:
            [["\\", "a"]] => "\"\\\\\",\"a\"\r\n";
        escape_escapechar_space { escapechar = Some('\\') }: [["\\ ", "a"]] => "\\\\ ,a\r\n";
        escape_both_none { escapechar = Some('\\'), quoting = Quoting::None }:
            [["\\,", "a"]] => "\\\\\\,,a\r\n";
        escape_both_minimal { escapechar = Some('\\') }: [[",\\", "a"]] => "\",\\\\\",a\r\n";
        escape_mixed { escapechar = Some('\\') }: [["C\\", "6", "7", "X\""]]
            => "C\\\\,6,7,\"X\"\"\"\r\n";
        iterable_trailing_none: [["a", "#1", N]] => "a,1,\r\n";
        iterable_two_none: [[N, N]] => ",\r\n";
        writerows: [["a", "b"], ["c", "d"]] => "a,b\r\nc,d\r\n";
        writerows_none: [["a", N], [N, "d"]] => "a,\r\n,d\r\n";
        writerows_single_none_first: [[N], ["a"]] => "\"\"\r\na\r\n";
        writerows_single_none_last: [["a"], [N]] => "a\r\n\"\"\r\n";
        excel_quotes: [["#1", "#2", "a\"bc\"", "#3", "#4"]] => "1,2,\"a\"\"bc\"\"\",3,4\r\n";
        excel_quote_fieldsep: [["abc,def"]] => "\"abc,def\"\r\n";
        excel_newlines: [["#1", "#2", "a\nbc", "#3", "#4"]] => "1,2,\"a\nbc\",3,4\r\n";
        escaped_excel_fieldsep { quoting = Quoting::None, escapechar = Some('\\') }:
            [["abc,def"]] => "abc\\,def\r\n";
        unix_writer { quoting = Quoting::All, lineterminator = "\n".into() }:
            [["#1", "abc def", "abc"]] => "\"1\",\"abc def\",\"abc\"\n";
        quoted_escaped_fieldsep { quoting = Quoting::NonNumeric, escapechar = Some('\\') }:
            [["abc,def"]] => "\"abc,def\"\r\n";
        lineterminator_lf { lineterminator = "\n".into() }: [["a", "b"], ["#1", "#2"]]
            => "a,b\n1,2\n";
        lineterminator_cr { lineterminator = "\r".into() }: [["a", "b"]] => "a,b\r";
        lineterminator_many { lineterminator = "!@#".into() }: [["a", "b"], ["#1", "#2"]]
            => "a,b!@#1,2!@#";
        lineterminator_nul { lineterminator = "\0".into() }: [["a", "b"], ["#1", "#2"]]
            => "a,b\x001,2\x00";
    }

    // Which characters are special; expectations checked against python3.
    writes! {
        crlf_special_only_in_lineterminator { lineterminator = "!".into() }:
            [["a\nb"], ["a\rb"], ["a!b"]] => "a\nb!a\rb!\"a!b\"!";
        lineterminator_chars_each { lineterminator = "!#".into() }: [["!x", "a#b"]]
            => "\"!x\",\"a#b\"!#";
        cr_when_lf_terminates { lineterminator = "\n".into() }: [["a\r\nb"]] => "\"a\r\nb\"\n";
        escape_both_specials { escapechar = Some('\\'), doublequote = false }: [["a\"b", "c\\d"]]
            => "a\\\"b,c\\\\d\r\n";
        space_delimiter { delimiter = ' ' }: [["a b", " "]] => "\"a b\" \" \"\r\n";
        wide_delimiter { delimiter = '€' }: [["a€b", "x€", "₤"]] => "\"a€b\"€\"x€\"€₤\r\n";
        wide_quote { quotechar = Some('é'), escapechar = Some('\\'), doublequote = false }:
            [["é\"x"]] => "\\é\"x\r\n";
        wide_quote_doubled { quotechar = Some('é') }: [["aéb"]] => "éaéébé\r\n";
        quote_none_no_quotechar { quoting = Quoting::None, quotechar = None, escapechar = Some('\\') }:
            [["a\"b", "c,d"]] => "a\"b,c\\,d\r\n";
        quote_none_quotechar_escaped { quoting = Quoting::None, escapechar = Some('\\') }:
            [["a\"b"]] => "a\\\"b\r\n";
        quote_none_single_after_good_row { quoting = Quoting::None }: [["x"], [N]] => "x\r\n", EMPTY;
        all_empty { quoting = Quoting::All }: [[""]] => "\"\"\r\n";
        nonnumeric_nones { quoting = Quoting::NonNumeric }: [[N, N]] => "\"\",\"\"\r\n";
        nonnumeric_empty_number { quoting = Quoting::NonNumeric }: [["#"]] => "\"\"\r\n";
        error_drops_the_row { doublequote = false }: [["a"], ["b", "\"", "c"]] => "a\r\n", ESCAPE;
    }

    #[test]
    fn lone_surrogates_are_ordinary_characters() {
        // '\u{d800}' as `surrogatepass` writes it; it shares its lead byte with U+D55C.
        const D800: &[u8] = b"\xed\xa0\x80";
        let dialect = Dialect {
            delimiter: '\u{d55c}',
            ..Dialect::default()
        };
        let mut writer = Writer::new(&dialect);
        let mut out = Vec::new();
        writer.push_field_bytes(Some(D800), false).unwrap();
        writer
            .push_field_bytes(Some(&[D800, "\u{d55c}".as_bytes()].concat()), false)
            .unwrap();
        writer.push_field_bytes(None, false).unwrap();
        writer.end_record(&mut out).unwrap();
        let want = [
            D800,
            "\u{d55c}\"".as_bytes(),
            D800,
            "\u{d55c}\"\u{d55c}\r\n".as_bytes(),
        ];
        assert_eq!(out, want.concat());
    }

    #[test]
    fn bigfield() {
        let big = "X".repeat(50_000);
        let (out, err) = write(&Dialect::default(), &[&[Some(&big), Some(&big)]]);
        assert_eq!((out, err), (format!("{big},{big}\r\n"), None));
    }

    #[test]
    fn writer_recovers_after_errors() {
        let dialect = Dialect {
            quoting: Quoting::None,
            ..Dialect::default()
        };
        let mut writer = Writer::new(&dialect);
        let mut out = Vec::new();
        writer.push_field(Some("a"), false).unwrap();
        let err = writer.push_field(Some("b,c"), false).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::NeedEscape);
        writer.push_field(Some("d"), false).unwrap();
        writer.end_record(&mut out).unwrap();
        writer.push_field(Some(""), false).unwrap();
        assert_eq!(
            writer.end_record(&mut out).unwrap_err().kind(),
            &ErrorKind::SingleEmptyField
        );
        writer.push_field(Some("half"), false).unwrap();
        writer.clear();
        writer.end_record(&mut out).unwrap();
        assert_eq!(out, b"d\r\n\r\n");
    }
}
