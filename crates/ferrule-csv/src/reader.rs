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

use crate::dialect::{Dialect, Quoting, StopTable, char_at};
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
    field_limit: usize,
    state: State,
    /// All fields of the current record, back to back.
    buf: String,
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
        Parser {
            chars,
            field_stops,
            quoted_stops,
            field_limit,
            state: State::StartRecord,
            buf: String::new(),
            ends: Vec::new(),
            field_start: 0,
            field_chars: 0,
            counted_to: 0,
            numeric: false,
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
        if self.stale {
            self.clear();
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
    pub fn record(&self) -> Record<'_> {
        Record {
            buf: &self.buf,
            ends: &self.ends,
        }
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
        self.stale = false;
    }

    /// Runs every character of `line` through the state machine, skipping runs of ordinary
    /// characters inside fields with a byte scan.
    fn feed_chars(&mut self, line: &str) -> Result<(), Error> {
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let stops = match self.state {
                State::InField => Some(&self.field_stops),
                State::InQuotedField => Some(&self.quoted_stops),
                _ => None,
            };
            if let Some(stops) = stops {
                let end = stops.scan(bytes, i);
                if end > i {
                    self.add_run(&line[i..end])?;
                    i = end;
                    if i == bytes.len() {
                        break;
                    }
                }
            }
            let (c, len) = char_at(line, i);
            self.process(u32::from(c))?;
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
        self.buf.push(to_char(c));
        Ok(())
    }

    /// Appends a run of ordinary characters; fails if any of them would go past the limit,
    /// as adding them one by one would.
    #[inline]
    fn add_run(&mut self, run: &str) -> Result<(), Error> {
        if self.buf.len() - self.field_start + run.len() > self.field_limit
            && self.counted_field_chars() + count_chars(run) > self.field_limit
        {
            return Err(self.limit_error());
        }
        self.buf.push_str(run);
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

/// Characters in `s`: its bytes that are not UTF-8 continuation bytes.
fn count_chars(s: &str) -> usize {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// The fields of one record, borrowed from the [`Parser`].
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    buf: &'a str,
    ends: &'a [(usize, bool)],
}

/// One field of a [`Record`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field's text, quotes and escapes removed.
    pub text: &'a str,
    /// Under `QUOTE_NONNUMERIC`: the field began with an unquoted ordinary character, so the
    /// stdlib converts it with `float()`.
    pub numeric: bool,
}

impl<'a> Record<'a> {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
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
            self.ends[index - 1].0
        };
        Some(Field {
            text: &self.buf[start..end],
            numeric,
        })
    }

    /// The fields in order.
    pub fn iter(&self) -> RecordIter<'a> {
        RecordIter {
            buf: self.buf,
            ends: self.ends.iter(),
            start: 0,
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
    buf: &'a str,
    ends: std::slice::Iter<'a, (usize, bool)>,
    start: usize,
}

impl<'a> Iterator for RecordIter<'a> {
    type Item = Field<'a>;

    #[inline]
    fn next(&mut self) -> Option<Field<'a>> {
        let &(end, numeric) = self.ends.next()?;
        let text = &self.buf[self.start..end];
        self.start = end;
        Some(Field { text, numeric })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl ExactSizeIterator for RecordIter<'_> {}
