//! The reader: Python 3.11 `_csv`'s per-character state machine, fed one input line at a time.
//!
//! The stdlib reads one `str` per line from its iterator, feeds every character through the
//! state machine, then feeds an end-of-line pseudo-character (EOL) that is not a character at
//! all; a record is complete when the machine is back at the start of a record after EOL.
//! Everything here follows that shape so that odd inputs (strings holding several line ends,
//! lines without any, escaped line ends, NUL, `'\0'` as a special character) behave the same.
//!
//! Why not `csv-core`: it has no EOL pseudo-character (an escape before EOL yields `'\n'`
//! here, a line end after an escaped CR/LF is swallowed, a quoted field spans lines only by
//! way of EOL), no `QUOTE_NONNUMERIC` marking, no character-counted field limit, and it
//! resolves a quote after a closed quoted field differently in non-strict mode. Bending it
//! would cost more than these few hundred lines.
//!
//! Speed comes from two things. Characters are compared as `u32` with the absent quote and
//! escape characters mapped to a value no character has. And in the two states where runs
//! of ordinary characters occur (inside an unquoted or a quoted field) a [`StopTable`] skips
//! the run on UTF-8 bytes and appends it with one copy; only the character that stopped the
//! scan goes through the state machine. Fields of a record share one `String`.

use crate::dialect::{Dialect, HI, LO, Quoting, StopTable, char_at, push_code_point};
use crate::error::{Error, ErrorKind};

/// The end-of-line pseudo-character; no `char` converts to it.
const EOL: u32 = u32::MAX;
/// An absent quote or escape character; equal to no character and not to [`EOL`].
const NOT_SET: u32 = u32::MAX - 1;
const LF: u32 = '\n' as u32;
const CR: u32 = '\r' as u32;
const SPACE: u32 = ' ' as u32;

/// The states of `_csv.c`'s reader, under the same names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    EscapedChar,
    AfterEscapedCrnl,
    InField,
    InQuotedField,
    EscapeInQuotedField,
    QuoteInQuotedField,
    EatCrnl,
}

/// The dialect reduced to what the state machine compares.
#[derive(Clone, Copy, Debug)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "mirrors the dialect's independent flags; copied whole into each step"
)]
struct Chars {
    delimiter: u32,
    /// `NOT_SET` when absent or under `QUOTE_NONE`: every reader test of the quote character
    /// in `_csv` is guarded by `quoting != QUOTE_NONE`.
    quotechar: u32,
    escapechar: u32,
    doublequote: bool,
    skipinitialspace: bool,
    nonnumeric: bool,
    strict: bool,
}

/// The bytes [`Parser::feed_plain_line`] looks for.
#[derive(Clone, Copy, Debug)]
struct PlainLine {
    delimiter: u8,
    quote: u8,
    escape: u8,
}

/// An incremental CSV reader with `_csv.reader`'s semantics.
///
/// Feed lines with [`feed_line`](Parser::feed_line) until it returns `Ok(true)`, read the
/// record with [`record`](Parser::record), and call [`finish`](Parser::finish) when the input
/// is exhausted. The parser starts a new record by itself on the next `feed_line` or `finish`
/// after a completed record or an error (the stdlib resets at the start of every `next()`);
/// [`clear`](Parser::clear) does the same explicitly.
#[derive(Clone, Debug)]
pub struct Parser {
    chars: Chars,
    /// The first byte of: LF, CR, the delimiter, the escape character.
    field_stops: StopTable,
    /// The first byte of: the escape character, the quote character.
    quoted_stops: StopTable,
    /// The first byte of any character `start_field` does not simply add.
    start_stops: StopTable,
    /// The delimiter as a byte, when it is ASCII and `in_field` tests nothing before it
    /// that it could also be (LF, CR, the escape character).
    plain_delimiter: Option<u8>,
    /// For [`feed_plain_line`](Parser::feed_plain_line): the delimiter, quote and escape
    /// bytes when all are ASCII (or absent) and `skipinitialspace` is off; `None` otherwise.
    plain_line: Option<PlainLine>,
    field_limit: usize,
    state: State,
    /// All fields of the current record, back to back, in WTF-8 (valid UTF-8 unless lines
    /// with lone surrogates were fed).
    buf: Vec<u8>,
    /// For each saved field: its end offset in `buf` and whether it is numeric.
    ends: Vec<(usize, bool)>,
    /// Where the field being built starts in `buf`.
    field_start: usize,
    /// Characters of the field being built in `buf[field_start..counted_to]`; counted lazily,
    /// only when the field's byte length could exceed the limit.
    field_chars: usize,
    counted_to: usize,
    /// Whether the field being built began as an unquoted ordinary character under
    /// `QUOTE_NONNUMERIC`.
    numeric: bool,
    /// Bytes between one field and the next in `buf`: 1 for a record read by
    /// [`feed_plain_line`](Parser::feed_plain_line), whose line is copied whole, delimiters
    /// and all; 0 otherwise.
    gap: usize,
    /// `buf` is known to be ASCII (found on the way by `feed_plain_line`).
    ascii: bool,
    /// A record was completed or an error raised: reset before using the parser again.
    stale: bool,
}

impl Parser {
    /// A parser for `dialect` with the given field size limit (in characters).
    pub fn new(dialect: &Dialect, field_limit: usize) -> Parser {
        let quote = match (dialect.quoting, dialect.quotechar) {
            (Quoting::None, _) | (_, None) => None,
            (_, Some(q)) => Some(q),
        };
        let chars = Chars {
            delimiter: u32::from(dialect.delimiter),
            quotechar: quote.map_or(NOT_SET, u32::from),
            escapechar: dialect.escapechar.map_or(NOT_SET, u32::from),
            doublequote: dialect.doublequote,
            skipinitialspace: dialect.skipinitialspace,
            nonnumeric: dialect.quoting == Quoting::NonNumeric,
            strict: dialect.strict,
        };
        let field_stops = StopTable::new(
            ['\n', '\r', dialect.delimiter]
                .into_iter()
                .chain(dialect.escapechar),
        );
        let quoted_stops = StopTable::new(dialect.escapechar.into_iter().chain(quote));
        let start_stops = StopTable::new(
            ['\n', '\r', dialect.delimiter]
                .into_iter()
                .chain(dialect.escapechar)
                .chain(quote)
                .chain(dialect.skipinitialspace.then_some(' ')),
        );
        let plain_delimiter = u8::try_from(dialect.delimiter).ok().filter(|&b| {
            b.is_ascii() && b != b'\n' && b != b'\r' && Some(char::from(b)) != dialect.escapechar
        });
        let plain_line = plain_delimiter
            .filter(|_| !dialect.skipinitialspace)
            .and_then(|delimiter| {
                // An absent character stands as CR, which is looked for anyway.
                let ascii = |c: Option<char>| match c {
                    None => Some(b'\r'),
                    Some(c) => u8::try_from(c).ok().filter(u8::is_ascii),
                };
                Some(PlainLine {
                    delimiter,
                    quote: ascii(quote)?,
                    escape: ascii(dialect.escapechar)?,
                })
            });
        Parser {
            chars,
            field_stops,
            quoted_stops,
            start_stops,
            plain_delimiter,
            plain_line,
            field_limit,
            state: State::StartRecord,
            buf: Vec::new(),
            ends: Vec::new(),
            field_start: 0,
            field_chars: 0,
            counted_to: 0,
            numeric: false,
            gap: 0,
            ascii: false,
            stale: false,
        }
    }

    /// Changes the field size limit; it applies from the next character added.
    ///
    /// `csv.field_size_limit()` is global and read on every character, so the binding may
    /// call this before each record to follow changes made during iteration.
    pub fn set_field_limit(&mut self, field_limit: usize) {
        self.field_limit = field_limit;
    }

    /// The field size limit in force.
    pub fn field_limit(&self) -> usize {
        self.field_limit
    }

    /// Feeds one input line (one `str` from the iterator, usually ending in its line
    /// terminator), then the end-of-line event.
    ///
    /// Returns `Ok(true)` when a record is complete; its fields are then readable through
    /// [`record`](Parser::record). `Ok(false)` means the record goes on (an open quoted field,
    /// an escaped line end) or the line was empty and yields no record.
    pub fn feed_line(&mut self, line: &str) -> Result<bool, Error> {
        self.feed_line_bytes(line.as_bytes())
    }

    /// [`feed_line`](Parser::feed_line) for a line in WTF-8: UTF-8 that may also hold lone
    /// surrogates (U+D800 to U+DFFF) encoded as three bytes each, which is what Python's
    /// `str.encode('utf-8', 'surrogatepass')` gives for a `str` that is not valid Unicode.
    /// Surrogates are ordinary characters to the reader; fields holding them are WTF-8 too
    /// ([`Field::text`] is `None` for them).
    pub fn feed_line_bytes(&mut self, line: &[u8]) -> Result<bool, Error> {
        if self.stale {
            self.clear();
        }
        if self.state == State::StartRecord && self.feed_plain_line(line) {
            self.stale = true;
            return Ok(true);
        }
        match self.feed_chars(line).and_then(|()| self.process(EOL)) {
            Ok(()) => {
                let done = self.state == State::StartRecord;
                self.stale = done;
                Ok(done)
            }
            Err(error) => {
                self.stale = true;
                Err(error)
            }
        }
    }

    /// Ends the input.
    ///
    /// Returns `Ok(true)` if a final partial record (an unclosed quoted field, an escaped line
    /// end on the last line) was saved and is readable through [`record`](Parser::record),
    /// `Ok(false)` if nothing was pending, and `unexpected end of data` instead of `Ok(true)`
    /// in strict mode.
    pub fn finish(&mut self) -> Result<bool, Error> {
        if self.stale {
            self.clear();
        }
        self.stale = true;
        if self.buf.len() == self.field_start && self.state != State::InQuotedField {
            // Like the stdlib, fields saved before this point are dropped: they cannot exist
            // here, as every line ends with EOL, which closes any record not inside a field.
            return Ok(false);
        }
        if self.chars.strict {
            return Err(ErrorKind::UnexpectedEndOfData.into());
        }
        self.save_field();
        Ok(true)
    }

    /// The current record: complete after `feed_line` returned `Ok(true)` or `finish`
    /// returned `Ok(true)`, partial otherwise.
    ///
    /// After an error it holds the fields saved before the error. The stdlib converts a
    /// `QUOTE_NONNUMERIC` field with `float()` the moment it is saved, so its `ValueError`
    /// wins over a later `csv.Error` in the same record: a binding that converts after the
    /// record is complete should, on an error, first convert the numeric fields found here.
    pub fn record(&self) -> Record<'_> {
        Record {
            buf: &self.buf,
            ends: &self.ends,
            gap: self.gap,
            ascii: self.ascii,
        }
    }

    /// The record of `line` if it is a plain line (see `feed_plain_line`), split as
    /// [`feed_line`](Parser::feed_line) would at the start of a record with no field limit;
    /// `None` for any other line. For splitting ahead of the parser that uses the records
    /// ([`crate::ahead`]), which checks the limit itself.
    pub(crate) fn split_plain(&mut self, line: &[u8]) -> Option<Record<'_>> {
        self.clear();
        self.stale = true;
        let limit = std::mem::replace(&mut self.field_limit, usize::MAX);
        let plain = self.feed_plain_line(line);
        self.field_limit = limit;
        plain.then(|| self.record())
    }

    /// Starts the next record, keeping the buffers' allocations (the stdlib's `parse_reset`).
    pub fn clear(&mut self) {
        self.state = State::StartRecord;
        self.buf.clear();
        self.ends.clear();
        self.field_start = 0;
        self.field_chars = 0;
        self.counted_to = 0;
        self.numeric = false;
        self.gap = 0;
        self.ascii = false;
        self.stale = false;
    }

    /// Reads a whole record from a line that needs no state machine, if it is one: a line
    /// started at the start of a record, whose text before its one line ending (`\r\n`,
    /// `\n`, `\r` or none) is not empty and holds no CR, LF, quote or escape character, and
    /// whose fields are within the field limit in bytes (so in characters). Its fields are the
    /// pieces between delimiters, exactly what the state machine would save; returns `false`,
    /// having changed nothing, for any other line.
    ///
    /// Most lines of most files are like this, and splitting them at the delimiter costs a
    /// fraction of stepping through the states (a `memchr` per field instead of a scan and a
    /// state change per run and per delimiter).
    fn feed_plain_line(&mut self, line: &[u8]) -> bool {
        let Some(plain) = self.plain_line else {
            return false;
        };
        let body = match line {
            [rest @ .., b'\r', b'\n'] | [rest @ .., b'\n' | b'\r'] => rest,
            _ => line,
        };
        if body.is_empty()
            || memchr::memchr3(b'\r', b'\n', plain.quote, body).is_some()
            || (plain.escape != b'\r' && memchr::memchr(plain.escape, body).is_some())
        {
            return false;
        }
        debug_assert!(self.buf.is_empty() && self.ends.is_empty());
        // The delimiters are found eight bytes at a time: a bit per delimiter byte of a word,
        // taken lowest first. Fields are short, so this beats a `memchr` call per field. The
        // words are also ORed together, to know whether the line is ASCII.
        let pattern = LO * u64::from(plain.delimiter);
        let mut start = 0;
        let mut seen = 0;
        let words = body.chunks_exact(8);
        let tail = body.len() - words.remainder().len();
        for (k, word) in words.enumerate() {
            let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            seen |= word;
            let x = word ^ pattern;
            // Exactly the zero bytes of `x` (no borrow between bytes): their high bit.
            let mut found = !(((x & !HI).wrapping_add(!HI)) | x) & HI;
            while found != 0 {
                let end = k * 8 + (found.trailing_zeros() / 8) as usize;
                if !self.push_plain_field(start, end) {
                    return false;
                }
                start = end + 1;
                found &= found - 1;
            }
        }
        for (j, &b) in body[tail..].iter().enumerate() {
            seen |= u64::from(b);
            if b == plain.delimiter {
                if !self.push_plain_field(start, tail + j) {
                    return false;
                }
                start = tail + j + 1;
            }
        }
        if !self.push_plain_field(start, body.len()) {
            return false;
        }
        // The fields are where they stand in the line: one copy, the delimiters kept as gaps.
        self.buf.extend_from_slice(body);
        self.gap = 1;
        self.ascii = seen & HI == 0;
        self.field_start = self.buf.len();
        self.counted_to = self.buf.len();
        true
    }

    /// Saves the end of one field of a plain line, `body[start..end]`; `false`, with the
    /// record dropped, if it is longer than the field limit in bytes (in characters it may
    /// still fit: the state machine decides).
    #[inline]
    fn push_plain_field(&mut self, start: usize, end: usize) -> bool {
        if end - start > self.field_limit {
            self.ends.clear();
            return false;
        }
        self.ends.push((end, self.chars.nonnumeric && end > start));
        true
    }

    /// Runs every character of `line` through the state machine.
    ///
    /// The common steps are taken here without a call per character: an ordinary character
    /// opening an unquoted field starts a run, runs of ordinary characters inside fields are
    /// found with a byte scan and copied at once, and an ASCII delimiter ending an unquoted
    /// field saves it. Everything else goes through [`process`](Parser::process).
    fn feed_chars(&mut self, line: &[u8]) -> Result<(), Error> {
        let bytes = line;
        // Fields are never longer than their text (an escaped EOL adds one character, which
        // `add_char` makes room for), so runs are copied without growing the buffer.
        self.buf.reserve(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match self.state {
                State::StartField if !self.start_stops.stops(bytes[i]) => {
                    // `start_field`'s last branch, with the rest of the run. The scan may
                    // start inside a multi-byte character: continuation bytes never stop it.
                    self.numeric = self.chars.nonnumeric;
                    let end = self.field_stops.scan(bytes, i + 1);
                    self.add_run(&line[i..end])?;
                    i = end;
                    // Most unquoted fields end at the delimiter: save them here rather than
                    // scanning again in `InField` first.
                    if i < bytes.len() && Some(bytes[i]) == self.plain_delimiter {
                        self.save_field();
                        i += 1;
                    } else {
                        self.state = State::InField;
                    }
                    continue;
                }
                State::InField => {
                    let end = self.field_stops.scan(bytes, i);
                    if end > i {
                        self.add_run(&line[i..end])?;
                        i = end;
                        if i == bytes.len() {
                            break;
                        }
                    }
                    if Some(bytes[i]) == self.plain_delimiter {
                        self.save_field();
                        self.state = State::StartField;
                        i += 1;
                        continue;
                    }
                }
                State::InQuotedField => {
                    let end = self.quoted_stops.scan(bytes, i);
                    if end > i {
                        self.add_run(&line[i..end])?;
                        i = end;
                        if i == bytes.len() {
                            break;
                        }
                    }
                }
                _ => {}
            }
            let (c, len) = char_at(line, i);
            self.process(c)?;
            i += len;
        }
        Ok(())
    }

    /// One step of the state machine; `c` is a code point or [`EOL`].
    fn process(&mut self, c: u32) -> Result<(), Error> {
        let d = self.chars;
        match self.state {
            State::StartRecord => {
                if c == EOL {
                    // An empty line: the record is `[]`.
                } else if c == LF || c == CR {
                    self.state = State::EatCrnl;
                } else {
                    self.state = State::StartField;
                    self.start_field(c)?;
                }
            }
            State::StartField => self.start_field(c)?,
            State::EscapedChar => {
                if c == LF || c == CR {
                    self.add_char(c)?;
                    self.state = State::AfterEscapedCrnl;
                } else {
                    self.add_char(if c == EOL { LF } else { c })?;
                    self.state = State::InField;
                }
            }
            State::AfterEscapedCrnl => {
                if c != EOL {
                    self.in_field(c)?;
                }
            }
            State::InField => self.in_field(c)?,
            State::InQuotedField => {
                if c == EOL {
                    // The line end inside quotes is part of the line text already.
                } else if c == d.escapechar {
                    self.state = State::EscapeInQuotedField;
                } else if c == d.quotechar {
                    self.state = if d.doublequote {
                        State::QuoteInQuotedField
                    } else {
                        State::InField
                    };
                } else {
                    self.add_char(c)?;
                }
            }
            State::EscapeInQuotedField => {
                self.add_char(if c == EOL { LF } else { c })?;
                self.state = State::InQuotedField;
            }
            State::QuoteInQuotedField => {
                if c == d.quotechar {
                    self.add_char(c)?;
                    self.state = State::InQuotedField;
                } else if c == d.delimiter {
                    self.save_field();
                    self.state = State::StartField;
                } else if c == LF || c == CR || c == EOL {
                    self.end_of_line(c);
                } else if !d.strict {
                    self.add_char(c)?;
                    self.state = State::InField;
                } else {
                    return Err(ErrorKind::QuoteExpected {
                        delimiter: to_char(d.delimiter),
                        quotechar: to_char(d.quotechar),
                    }
                    .into());
                }
            }
            State::EatCrnl => {
                if c == LF || c == CR {
                    // More line-end characters.
                } else if c == EOL {
                    self.state = State::StartRecord;
                } else {
                    return Err(ErrorKind::NewlineInUnquotedField.into());
                }
            }
        }
        Ok(())
    }

    #[inline]
    fn start_field(&mut self, c: u32) -> Result<(), Error> {
        let d = self.chars;
        if c == LF || c == CR || c == EOL {
            self.end_of_line(c);
        } else if c == d.quotechar {
            self.state = State::InQuotedField;
        } else if c == d.escapechar {
            self.state = State::EscapedChar;
        } else if c == SPACE && d.skipinitialspace {
            // Skipped, even when the delimiter is a space.
        } else if c == d.delimiter {
            self.save_field();
        } else {
            self.numeric = d.nonnumeric;
            self.add_char(c)?;
            self.state = State::InField;
        }
        Ok(())
    }

    #[inline]
    fn in_field(&mut self, c: u32) -> Result<(), Error> {
        let d = self.chars;
        if c == LF || c == CR || c == EOL {
            self.end_of_line(c);
        } else if c == d.escapechar {
            self.state = State::EscapedChar;
        } else if c == d.delimiter {
            self.save_field();
            self.state = State::StartField;
        } else {
            self.add_char(c)?;
        }
        Ok(())
    }

    /// Saves the field; EOL completes the record, CR or LF waits for EOL.
    #[inline]
    fn end_of_line(&mut self, c: u32) {
        self.save_field();
        self.state = if c == EOL {
            State::StartRecord
        } else {
            State::EatCrnl
        };
    }

    #[inline]
    fn save_field(&mut self) {
        self.ends.push((self.buf.len(), self.numeric));
        self.numeric = false;
        self.field_start = self.buf.len();
        self.field_chars = 0;
        self.counted_to = self.buf.len();
    }

    #[inline]
    fn add_char(&mut self, c: u32) -> Result<(), Error> {
        // Characters never outnumber bytes, so below the limit in bytes nothing is counted.
        if self.buf.len() - self.field_start >= self.field_limit
            && self.counted_field_chars() >= self.field_limit
        {
            return Err(self.limit_error());
        }
        push_code_point(&mut self.buf, c);
        Ok(())
    }

    /// Appends a run of ordinary characters; fails if any of them would go past the limit,
    /// as adding them one by one would.
    #[inline]
    fn add_run(&mut self, run: &[u8]) -> Result<(), Error> {
        if self.buf.len() - self.field_start + run.len() > self.field_limit
            && self.counted_field_chars() + count_chars(run) > self.field_limit
        {
            return Err(self.limit_error());
        }
        self.buf.extend_from_slice(run);
        Ok(())
    }

    /// The number of characters in the field being built, counting only what was added since
    /// the last count, so a long field costs linear time overall.
    fn counted_field_chars(&mut self) -> usize {
        self.field_chars += count_chars(&self.buf[self.counted_to..]);
        self.counted_to = self.buf.len();
        self.field_chars
    }

    #[cold]
    fn limit_error(&self) -> Error {
        ErrorKind::FieldLimit {
            limit: self.field_limit,
        }
        .into()
    }
}

/// Converts a code point that came from a `char` (never [`EOL`] or [`NOT_SET`]) back.
#[inline]
fn to_char(c: u32) -> char {
    char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Characters in `s`: its bytes that are not UTF-8 continuation bytes (a lone surrogate in
/// WTF-8 counts as one, as it does in Python).
fn count_chars(s: &[u8]) -> usize {
    s.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The fields of one record, borrowed from the [`Parser`].
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    buf: &'a [u8],
    ends: &'a [(usize, bool)],
    gap: usize,
    ascii: bool,
}

/// One field of a [`Record`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field's text, quotes and escapes removed, in UTF-8, or WTF-8 if the lines fed
    /// held lone surrogates (see [`Parser::feed_line_bytes`]).
    pub bytes: &'a [u8],
    /// Under `QUOTE_NONNUMERIC`: the field began with an unquoted ordinary character, so the
    /// stdlib converts it with `float()`.
    pub numeric: bool,
}

impl<'a> Field<'a> {
    /// The field's text, or `None` if it holds a lone surrogate (no `str` can).
    #[inline]
    pub fn text(&self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes).ok()
    }
}

impl<'a> Record<'a> {
    /// A record parsed ahead ([`crate::ahead`]): its text, the field ends in it, the bytes
    /// between fields, and whether the text is known to be ASCII.
    pub(crate) fn ahead(
        buf: &'a [u8],
        ends: &'a [(usize, bool)],
        gap: usize,
        ascii: bool,
    ) -> Record<'a> {
        Record {
            buf,
            ends,
            gap,
            ascii,
        }
    }

    /// Each field's end in [`bytes`](Record::bytes), and whether it is numeric.
    pub(crate) fn ends(&self) -> &'a [(usize, bool)] {
        self.ends
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The text of the record: its fields in order, each but the last followed by
    /// [`gap`](Record::gap) bytes that belong to no field.
    pub fn bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The bytes between one field and the next in [`bytes`](Record::bytes): 0, or 1 (the
    /// delimiter) for a line read without the state machine.
    pub fn gap(&self) -> usize {
        self.gap
    }

    /// Whether the record's text is ASCII (found while reading a plain line, else checked).
    pub fn is_ascii(&self) -> bool {
        self.ascii || self.buf.is_ascii()
    }

    /// Whether the record has no fields (an empty input line).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The field at `index`.
    pub fn get(&self, index: usize) -> Option<Field<'a>> {
        let &(end, numeric) = self.ends.get(index)?;
        let start = if index == 0 {
            0
        } else {
            self.ends[index - 1].0 + self.gap
        };
        Some(Field {
            bytes: &self.buf[start..end],
            numeric,
        })
    }

    /// The fields in order.
    pub fn iter(&self) -> RecordIter<'a> {
        RecordIter {
            buf: self.buf,
            ends: self.ends.iter(),
            start: 0,
            gap: self.gap,
        }
    }
}

impl<'a> IntoIterator for Record<'a> {
    type Item = Field<'a>;
    type IntoIter = RecordIter<'a>;

    fn into_iter(self) -> RecordIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Record<'a> {
    type Item = Field<'a>;
    type IntoIter = RecordIter<'a>;

    fn into_iter(self) -> RecordIter<'a> {
        self.iter()
    }
}

/// Iterator over the fields of a [`Record`].
#[derive(Clone, Debug)]
pub struct RecordIter<'a> {
    buf: &'a [u8],
    ends: std::slice::Iter<'a, (usize, bool)>,
    start: usize,
    gap: usize,
}

impl<'a> Iterator for RecordIter<'a> {
    type Item = Field<'a>;

    #[inline]
    fn next(&mut self) -> Option<Field<'a>> {
        let &(end, numeric) = self.ends.next()?;
        let bytes = &self.buf[self.start..end];
        self.start = end + self.gap;
        Some(Field { bytes, numeric })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl ExactSizeIterator for RecordIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 131_072;

    /// What `list(csv.reader(lines, **dialect))` gives: the rows, then the error that stopped
    /// it. Under `QUOTE_NONNUMERIC` numeric fields are shown as `#text`.
    fn read(dialect: &Dialect, limit: usize, lines: &[&str]) -> (Vec<Vec<String>>, Option<String>) {
        read_with(Parser::new(dialect, limit), lines)
    }

    fn read_with(mut parser: Parser, lines: &[&str]) -> (Vec<Vec<String>>, Option<String>) {
        let mut rows = Vec::new();
        let show = |parser: &Parser| -> Vec<String> {
            parser
                .record()
                .iter()
                .map(|f| {
                    if f.numeric {
                        format!("#{}", String::from_utf8_lossy(f.bytes))
                    } else {
                        String::from_utf8_lossy(f.bytes).into_owned()
                    }
                })
                .collect()
        };
        for line in lines {
            match parser.feed_line(line) {
                Ok(true) => rows.push(show(&parser)),
                Ok(false) => {}
                Err(e) => return (rows, Some(e.to_string())),
            }
        }
        match parser.finish() {
            Ok(true) => rows.push(show(&parser)),
            Ok(false) => {}
            Err(e) => return (rows, Some(e.to_string())),
        }
        (rows, None)
    }

    macro_rules! rows {
        ($([$($field:expr),* $(,)?]),* $(,)?) => {
            vec![$(vec![$(String::from($field)),*] as Vec<String>),*] as Vec<Vec<String>>
        };
    }

    const NEWLINE: &str = "new-line character seen in unquoted field - \
                           do you need to open the file in universal-newline mode?";
    const EOD: &str = "unexpected end of data";

    /// `reads!(name { dialect.field = value, .. }: [lines] => rows [, error];)`: one test per row
    /// of the table. Expected values come from Python 3.11.7's `csv.reader`.
    macro_rules! reads {
        ($($name:ident $({ $($field:ident = $value:expr),+ $(,)? })?:
            [$($line:expr),* $(,)?] => $rows:expr $(, $err:expr)?;)+) => {$(
            #[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut dialect = Dialect::default();
                $($(dialect.$field = $value;)+)?
                let lines: &[&str] = &[$($line),*];
                let want_err: Option<&str> = None $(.or(Some($err)))?;
                let (rows, err) = read(&dialect, LIMIT, lines);
                assert_eq!(rows, $rows, "{lines:?}");
                assert_eq!(err.as_deref(), want_err, "{lines:?}");
            }
        )+};
    }

    // test_csv.py, Test_Csv.test_read_*.
    reads! {
        oddinputs_none: [] => rows![];
        oddinputs_empty: [""] => rows![[]];
        oddinputs_strict { strict = true }: ["\"ab\"c"] => rows![], "',' expected after '\"'";
        oddinputs_no_doublequote { doublequote = false }: ["\"ab\"c"] => rows![["abc"]];
        eol_none: ["a,b"] => rows![["a", "b"]];
        eol_lf: ["a,b\n"] => rows![["a", "b"]];
        eol_crlf: ["a,b\r\n"] => rows![["a", "b"]];
        eol_cr: ["a,b\r"] => rows![["a", "b"]];
        eol_cr_inside: ["a,b\rc,d"] => rows![], NEWLINE;
        eol_lf_inside: ["a,b\nc,d"] => rows![], NEWLINE;
        eol_crlf_inside: ["a,b\r\nc,d"] => rows![], NEWLINE;
        eof_open_quote_empty: ["a,\""] => rows![["a", ""]];
        eof_open_quote: ["\"a"] => rows![["a"]];
        eof_escape { escapechar = Some('^') }: ["^"] => rows![["\n"]];
        eof_open_quote_empty_strict { strict = true }: ["a,\""] => rows![], EOD;
        eof_open_quote_strict { strict = true }: ["\"a"] => rows![], EOD;
        eof_escape_strict { escapechar = Some('^'), strict = true }: ["^"] => rows![], EOD;
        nul_alone: ["\0"] => rows![["\0"]];
        nul_start: ["a,\0b,c"] => rows![["a", "\0b", "c"]];
        nul_end: ["a,b\0,c"] => rows![["a", "b\0", "c"]];
        nul_escaped { escapechar = Some('\\') }: ["a,b\\\0,c"] => rows![["a", "b\0", "c"]];
        nul_quoted: ["a,\"\0b\",c"] => rows![["a", "\0b", "c"]];
        delimiter_comma: ["a,b,c"] => rows![["a", "b", "c"]];
        delimiter_semicolon { delimiter = ';' }: ["a;b;c"] => rows![["a", "b", "c"]];
        delimiter_nul { delimiter = '\0' }: ["a\0b\0c"] => rows![["a", "b", "c"]];
        escape_start { escapechar = Some('\\') }: ["a,\\b,c"] => rows![["a", "b", "c"]];
        escape_delimiter { escapechar = Some('\\') }: ["a,b\\,c"] => rows![["a", "b,c"]];
        escape_delimiter_quoted { escapechar = Some('\\') }: ["a,\"b\\,c\""] => rows![["a", "b,c"]];
        escape_letter_quoted { escapechar = Some('\\') }: ["a,\"b,\\c\""] => rows![["a", "b,c"]];
        escape_quote_quoted { escapechar = Some('\\') }: ["a,\"b,c\\\"\""] => rows![["a", "b,c\""]];
        escape_after_quoted { escapechar = Some('\\') }: ["a,\"b,c\"\\"] => rows![["a", "b,c\\"]];
        escape_caret { escapechar = Some('^') }: ["a,^b,c"] => rows![["a", "b", "c"]];
        escape_nul { escapechar = Some('\0') }: ["a,\0b,c"] => rows![["a", "b", "c"]];
        escape_none { escapechar = None }: ["a,\\b,c"] => rows![["a", "\\b", "c"]];
        escape_default: ["a,\\b,c"] => rows![["a", "\\b", "c"]];
        quoting_minimal: ["1,\",3,\",5"] => rows![["1", ",3,", "5"]];
        quoting_no_quotechar { quotechar = None, escapechar = Some('\\') }: ["1,\",3,\",5"] => rows![["1", "\"", "3", "\"", "5"]];
        quoting_none { quoting = Quoting::None, escapechar = Some('\\') }: ["1,\",3,\",5"] => rows![["1", "\"", "3", "\"", "5"]];
        quoting_nonnumeric { quoting = Quoting::NonNumeric }: [",3,\"5\",7.3, 9"] => rows![["", "#3", "5", "#7.3", "# 9"]];
        quoting_newline_in_quotes: ["\"a\nb\", 7"] => rows![["a\nb", " 7"]];
        quoting_nonnumeric_text { quoting = Quoting::NonNumeric }: ["abc,3"] => rows![["#abc", "#3"]];
        quoting_at { quotechar = Some('@') }: ["1,@,3,@,5"] => rows![["1", ",3,", "5"]];
        quoting_nul { quotechar = Some('\0') }: ["1,\0,3,\0,5"] => rows![["1", ",3,", "5"]];
        skipinitialspace { skipinitialspace = true }: ["no space, space,  spaces,\ttab"]
            => rows![["no space", "space", "spaces", "\ttab"]];
    }

    // test_csv.py, TestDialectExcel and friends (each input is one file, split into lines).
    reads! {
        excel_single: ["abc"] => rows![["abc"]];
        excel_simple: ["1,2,3,4,5"] => rows![["1", "2", "3", "4", "5"]];
        excel_empty_fields: [","] => rows![["", ""]];
        excel_singlequoted: ["\"\""] => rows![[""]];
        excel_singlequoted_left_empty: ["\"\","] => rows![["", ""]];
        excel_singlequoted_right_empty: [",\"\""] => rows![["", ""]];
        excel_single_quoted_quote: ["\"\"\"\""] => rows![["\""]];
        excel_quoted_quotes: ["\"\"\"\"\"\""] => rows![["\"\""]];
        excel_inline_quote: ["a\"\"b"] => rows![["a\"\"b"]];
        excel_inline_quotes: ["a\"b\"c"] => rows![["a\"b\"c"]];
        excel_quotes_and_more: ["\"a\"b"] => rows![["ab"]];
        excel_lone_quote: ["a\"b"] => rows![["a\"b"]];
        excel_quote_and_quote: ["\"a\" \"b\""] => rows![["a \"b\""]];
        excel_space_and_quote: [" \"a\""] => rows![[" \"a\""]];
        excel_quoted: ["1,2,3,\"I think, therefore I am\",5,6"]
            => rows![["1", "2", "3", "I think, therefore I am", "5", "6"]];
        excel_quoted_quote: [
            "1,2,3,\"\"\"I see,\"\" said the blind man\",\"as he picked up his hammer and saw\""
        ] => rows![[
            "1", "2", "3", "\"I see,\" said the blind man", "as he picked up his hammer and saw"
        ]];
        excel_quoted_nl: [
            "1,2,3,\"\"\"I see,\"\"\n",
            "said the blind man\",\"as he picked up his\n",
            "hammer and saw\"\n",
            "9,8,7,6"
        ] => rows![
            ["1", "2", "3", "\"I see,\"\nsaid the blind man", "as he picked up his\nhammer and saw"],
            ["9", "8", "7", "6"]
        ];
        excel_dubious_quote: ["12,12,1\","] => rows![["12", "12", "1\"", ""]];
        escaped_excel_fieldsep { quoting = Quoting::None, escapechar = Some('\\') }: ["abc\\,def\r\n"] => rows![["abc,def"]];
        unix_reader { quoting = Quoting::All, lineterminator = "\n".into() }: ["\"1\",\"abc def\",\"abc\"\n"] => rows![["1", "abc def", "abc"]];
        quoted_escaped_excel_fieldsep { quoting = Quoting::NonNumeric, escapechar = Some('\\') }: ["\"abc\\,def\"\r\n"] => rows![["abc,def"]];
        roundtrip_quoted_newlines: ["\"a\n", "b\",b\r\n", "c,\"x\r\n", "d\"\r\n"]
            => rows![["a\nb", "b"], ["c", "x\r\nd"]];
        roundtrip_escaped_newlines { quoting = Quoting::None, escapechar = Some('\\') }: ["a\\\n", "b,b\r\n", "c,x\\\r\\\n", "d\r\n"]
            => rows![["a\nb", "b"], ["c", "x\r\nd"]];
    }

    // Every transition of the state machine; expectations checked against python3.
    reads! {
        start_record_eol: ["", ""] => rows![[], []];
        start_record_lf: ["\n"] => rows![[]];
        start_record_crcrlf: ["\r\r\n"] => rows![[]];
        start_field_cr: ["a,\r"] => rows![["a", ""]];
        start_field_skip_space_before_quote { skipinitialspace = true }: [" \"a\", b"] => rows![["a", "b"]];
        start_field_skip_lone_space { skipinitialspace = true }: ["a, ,b"] => rows![["a", "", "b"]];
        start_field_space_delimiter_skipped { delimiter = ' ', skipinitialspace = true }: [" ,a"] => rows![[",a"]];
        start_field_space_delimiter { delimiter = ' ' }: ["a  b"] => rows![["a", "", "b"]];
        escaped_crlf { escapechar = Some('\\') }: ["a\\\r\n"] => rows![["a\r"]];
        escaped_cr_mid_line { escapechar = Some('\\') }: ["a\\\rb"] => rows![["a\rb"]];
        after_escaped_crnl_eol { escapechar = Some('\\') }: ["a\\\n", "b"] => rows![["a\nb"]];
        after_escaped_crnl_then_lf { escapechar = Some('\\') }: ["a\\\r", "\n"] => rows![["a\r"]];
        after_escaped_crnl_blank { escapechar = Some('\\') }: ["a\\\n", "\n"] => rows![["a\n"]];
        after_escaped_crnl_eof { escapechar = Some('\\') }: ["a\\\n"] => rows![["a\n"]];
        after_escaped_crnl_eof_strict { escapechar = Some('\\'), strict = true }: ["a\\\n"] => rows![], EOD;
        escape_in_quoted_eol { escapechar = Some('\\') }: ["\"a\\", "b\""] => rows![["a\nb"]];
        escape_in_quoted_quote { escapechar = Some('\\'), doublequote = false }: ["\"a\\\"b\""] => rows![["a\"b"]];
        quoted_spans_lines: ["\"a\r\n", "\r\n", "b\"\r\n"] => rows![["a\r\n\r\nb"]];
        quote_in_quoted_space: ["\"a\" ,b"] => rows![["a ", "b"]];
        quote_in_quoted_letter: ["\"a\"x"] => rows![["ax"]];
        quote_in_quoted_crlf: ["\"a\"\r\n"] => rows![["a"]];
        quote_in_quoted_strict { strict = true }: ["a,b,\"c\"x"] => rows![], "',' expected after '\"'";
        quote_in_quoted_strict_other_chars { strict = true, delimiter = ';', quotechar = Some('\'') }: ["'c'x"] => rows![], "';' expected after '''";
        quote_in_quoted_strict_ok { strict = true }: ["\"a\",\"b\"\"c\"\r\n"] => rows![["a", "b\"c"]];
        eat_crnl_then_text: ["a\rb"] => rows![], NEWLINE;
        eat_crnl_empty_then_text: ["\nb"] => rows![], NEWLINE;
        rows_before_error: ["a\n", "b\nc"] => rows![["a"]], NEWLINE;
        quote_none_ignores_quotes { quoting = Quoting::None }: ["a\"b\",c"] => rows![["a\"b\"", "c"]];
        quote_none_mid_quote { quoting = Quoting::None }: ["\"a,b\""] => rows![["\"a", "b\""]];
        nonnumeric_escape_start { quoting = Quoting::NonNumeric, escapechar = Some('^') }: ["^1,1"] => rows![["1", "#1"]];
        nonnumeric_quote_then_text { quoting = Quoting::NonNumeric }: ["\"5\"x,\"\""] => rows![["5x", ""]];
        nonnumeric_skipped_space { quoting = Quoting::NonNumeric, skipinitialspace = true }: [" 1,  ,2"] => rows![["#1", "", "#2"]];
        wide_delimiter { delimiter = '€' }: ["a€b€€\"c€\"\r\n"] => rows![["a", "b", "", "c€"]];
        wide_delimiter_shares_lead_byte { delimiter = '€' }: ["a₤b€c"] => rows![["a₤b", "c"]];
        wide_quote { quotechar = Some('é') }: ["éa,bé,e,éé€é"] => rows![["a,b", "e", "€é"]];
        wide_escape { escapechar = Some('😀') }: ["a😀,b,\"😀\"\"\""] => rows![["a,b", "\"\""]];
        wide_text_ascii_dialect: ["ü,\"é\"\"€\",😀x\n"] => rows![["ü", "é\"€", "😀x"]];
        nul_quote_and_delimiter { quotechar = Some('\0') }: ["\0a\0\0b\0"] => rows![["a\0b"]];
    }

    #[test]
    fn plain_lines_read_as_the_state_machine_does() {
        let lines = [
            "alpha,beta,gamma,delta,epsilon,zeta\r\n",
            "12345678,,123456789012345678,x\n",
            ",,,,,,,,,,,,,,,,,",
            "abcdefgh,",
            "abcdefg,h",
            "€€€€€€€€€€,😀😀😀😀😀,\0\0\0\0\0\0\0\0\0;\r\n",
            "a,b,c\r\n",
            "a,b,c",
            "a,,c\n",
            ",\r",
            ",",
            "a,b,c,\r\n",
            "1,2\r\r\n",
            "a\rb",
            "a,b\n\r",
            "\n",
            "\r\n",
            "",
            "\"a\",b\r\n",
            "a\"b,c\n",
            "a\\,b\n",
            "a\\\n",
            " a, b\n",
            "x\0y,z\n",
            "é,ü€;x\n",
            "a;b;c\r\n",
            "'a';b\n",
            "abc,abcd,ab\r\n",
            "1.5,-2,\n",
            "😀,\u{d7ff}\r",
            "\0,\0\n",
            "a\0b\0c\n",
        ];
        let dialects = [
            Dialect::default(),
            Dialect {
                escapechar: Some('\\'),
                ..Dialect::default()
            },
            Dialect {
                quoting: Quoting::None,
                escapechar: Some('\\'),
                ..Dialect::default()
            },
            Dialect {
                quoting: Quoting::NonNumeric,
                ..Dialect::default()
            },
            Dialect {
                delimiter: ';',
                quotechar: Some('\''),
                ..Dialect::default()
            },
            Dialect {
                delimiter: '\0',
                ..Dialect::default()
            },
            Dialect {
                quotechar: Some('\0'),
                escapechar: Some('\0'),
                ..Dialect::default()
            },
            Dialect {
                quotechar: Some('\r'),
                ..Dialect::default()
            },
            Dialect {
                quotechar: Some(','),
                ..Dialect::default()
            },
            Dialect {
                strict: true,
                ..Dialect::default()
            },
        ];
        for dialect in &dialects {
            for limit in [LIMIT, 3, 2, 0] {
                let mut slow = Parser::new(dialect, limit);
                assert!(
                    Parser::new(dialect, limit).plain_line.is_some(),
                    "{dialect:?}"
                );
                slow.plain_line = None;
                // Every line alone, and all of them in a row (state carried across lines).
                for line in lines.iter().map(std::slice::from_ref).chain([&lines[..]]) {
                    assert_eq!(
                        read(dialect, limit, line),
                        read_with(slow.clone(), line),
                        "{dialect:?} {limit} {line:?}"
                    );
                }
            }
        }
        let spaces = Dialect {
            skipinitialspace: true,
            ..Dialect::default()
        };
        assert!(Parser::new(&spaces, LIMIT).plain_line.is_none());
    }

    /// `'\u{d800}'` and `'\u{dcff}'` as `str.encode('utf-8', 'surrogatepass')` writes them.
    const D800: &[u8] = b"\xed\xa0\x80";
    const DCFF: &[u8] = b"\xed\xb3\xbf";

    #[test]
    fn lone_surrogates_are_ordinary_characters() {
        let wtf8 = |parts: &[&[u8]]| parts.concat();
        let dialect = Dialect {
            escapechar: Some('\\'),
            ..Dialect::default()
        };
        // (line, expected fields)
        let cases: Vec<(Vec<u8>, Vec<Vec<u8>>)> = vec![
            (
                wtf8(&[b"a", D800, b",b\r\n"]),
                vec![wtf8(&[b"a", D800]), b"b".to_vec()],
            ),
            (
                wtf8(&[b"\"", DCFF, b",x\"\r\n"]),
                vec![wtf8(&[DCFF, b",x"])],
            ),
            (
                wtf8(&[D800, b",", DCFF]),
                vec![D800.to_vec(), DCFF.to_vec()],
            ),
            (wtf8(&[b"\\", D800, b"\\,"]), vec![wtf8(&[D800, b","])]),
        ];
        for (line, want) in cases {
            let mut parser = Parser::new(&dialect, LIMIT);
            assert_eq!(parser.feed_line_bytes(&line), Ok(true), "{line:?}");
            let got: Vec<Vec<u8>> = parser.record().iter().map(|f| f.bytes.to_vec()).collect();
            assert_eq!(got, want, "{line:?}");
            assert!(parser.record().iter().any(|f| f.text().is_none()));
        }
        // A surrogate counts as one character against the field limit.
        let mut parser = Parser::new(&dialect, 2);
        assert_eq!(parser.feed_line_bytes(&wtf8(&[D800, DCFF])), Ok(true));
        assert!(parser.feed_line_bytes(&wtf8(&[D800, DCFF, b"x"])).is_err());
    }

    #[test]
    fn field_limit_counts_characters() {
        // (limit, line, expected first field or None for the limit error)
        let cases: &[(usize, &str, Option<&str>)] = &[
            (3, "abc", Some("abc")),
            (3, "abcd", None),
            (3, "abc,abcd", None),
            (3, "ééé", Some("ééé")),
            (3, "éééé", None),
            (3, "😀😀😀,x", Some("😀😀😀")),
            (3, "\"ab\"\"\"", Some("ab\"")),
            (3, "\"ab\"\"c\"", None),
            (2, "\\a\\b", Some("ab")),
            (2, "a\\bc", None),
            (0, "\"\"", Some("")),
            (0, ",", Some("")),
            (0, "a", None),
            (50_000, &"X".repeat(50_000), Some(&"X".repeat(50_000))),
            (49_999, &"X".repeat(50_000), None),
        ];
        let dialect = Dialect {
            escapechar: Some('\\'),
            ..Dialect::default()
        };
        for &(limit, line, want) in cases {
            let (rows, err) = read(&dialect, limit, &[line]);
            match want {
                Some(text) => assert_eq!((rows[0][0].as_str(), err), (text, None), "{line:?}"),
                None => assert_eq!(
                    err.as_deref(),
                    Some(format!("field larger than field limit ({limit})").as_str()),
                    "{line:?}"
                ),
            }
        }
    }

    #[test]
    fn field_limit_spans_lines_and_can_change() {
        let dialect = Dialect::default();
        let (rows, err) = read(&dialect, 4, &["\"ab\n", "c\""]);
        assert_eq!((rows, err), (rows![["ab\nc"]], None));
        let (_, err) = read(&dialect, 3, &["\"ab\n", "c\""]);
        assert_eq!(err.as_deref(), Some("field larger than field limit (3)"));

        let mut parser = Parser::new(&dialect, 1);
        assert!(parser.feed_line("ab").is_err());
        parser.set_field_limit(2);
        assert_eq!(parser.field_limit(), 2);
        assert_eq!(parser.feed_line("ab"), Ok(true));
    }

    #[test]
    fn partial_record_is_readable_after_an_error() {
        // The binding converts numeric fields saved before an error first, as the stdlib
        // would have raised their ValueError before reaching the error.
        let dialect = Dialect {
            strict: true,
            quoting: Quoting::NonNumeric,
            ..Dialect::default()
        };
        let mut parser = Parser::new(&dialect, LIMIT);
        let err = parser.feed_line("x,\"y\"z").unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::QuoteExpected {
                delimiter: ',',
                quotechar: '"'
            }
        );
        let partial: Vec<Field<'_>> = parser.record().iter().collect();
        assert_eq!(
            partial,
            [Field {
                bytes: b"x",
                numeric: true
            }]
        );
        // The next line starts afresh, as the stdlib's next() does.
        assert_eq!(parser.feed_line("\"1\",2"), Ok(true));
        let record = parser.record();
        assert_eq!(record.len(), 2);
        assert_eq!(
            record.get(0),
            Some(Field {
                bytes: b"1",
                numeric: false
            })
        );
        assert_eq!(
            record.get(1),
            Some(Field {
                bytes: b"2",
                numeric: true
            })
        );
        assert_eq!(record.get(2), None);
        assert_eq!(parser.finish(), Ok(false));
    }

    #[test]
    fn clear_keeps_working_between_records() {
        let mut parser = Parser::new(&Dialect::default(), LIMIT);
        assert_eq!(parser.feed_line("\"a\n"), Ok(false));
        assert!(
            parser.record().is_empty(),
            "no field is saved inside open quotes"
        );
        parser.clear();
        assert_eq!(parser.feed_line("b,c\n"), Ok(true));
        let texts: Vec<&[u8]> = parser.record().into_iter().map(|f| f.bytes).collect();
        assert_eq!(texts, [b"b", b"c"]);
        // A plain line is kept whole: the delimiter is the gap between fields.
        assert_eq!(parser.record().bytes(), b"b,c");
        assert_eq!(parser.record().gap(), 1);
        assert!(parser.record().is_ascii());
        assert_eq!(parser.record().iter().len(), 2);
        // Through the state machine the fields are back to back.
        assert_eq!(parser.feed_line("\"b\",\u{e9}\n"), Ok(true));
        assert_eq!(parser.record().bytes(), "b\u{e9}".as_bytes());
        assert_eq!(parser.record().gap(), 0);
        assert!(!parser.record().is_ascii());
        assert_eq!(parser.feed_line("x,\u{e9},\n"), Ok(true));
        assert!(!parser.record().is_ascii());
        let texts: Vec<&[u8]> = parser.record().into_iter().map(|f| f.bytes).collect();
        assert_eq!(texts, [b"x".as_slice(), "\u{e9}".as_bytes(), b""]);
        assert_eq!(
            parser.record().get(1).and_then(|f| f.text()),
            Some("\u{e9}")
        );
        assert_eq!(parser.record().get(2).and_then(|f| f.text()), Some(""));
        parser.clear();
        assert_eq!(parser.feed_line(""), Ok(true));
        assert!(parser.record().is_empty());
        assert_eq!(parser.finish(), Ok(false));
        // finish after finish, and after a saved partial record.
        assert_eq!(parser.feed_line("\"x"), Ok(false));
        assert_eq!(parser.finish(), Ok(true));
        assert_eq!(parser.record().get(0).and_then(|f| f.text()), Some("x"));
        assert_eq!(parser.finish(), Ok(false));
    }
}
