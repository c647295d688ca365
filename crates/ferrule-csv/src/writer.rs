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

use crate::dialect::{Dialect, Quoting, StopTable, char_at};
use crate::error::{Error, ErrorKind};

/// An incremental CSV writer with `_csv.writer`'s semantics.
///
/// Push the fields of a record with [`push_field`](Writer::push_field), then append it to an
/// output string with [`end_record`](Writer::end_record). After an error the record being
/// built is dropped and the writer is ready for the next one, as the stdlib's is.
#[derive(Clone, Debug)]
pub struct Writer {
    delimiter: char,
    quotechar: Option<char>,
    escapechar: Option<char>,
    doublequote: bool,
    quote_none: bool,
    lineterminator: String,
    stops: StopTable,
    /// The record being built.
    rec: String,
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
            stops,
            rec: String::new(),
            num_fields: 0,
        }
    }

    /// Appends a field to the record being built. `None` is Python's `None` (written like an
    /// empty string); `quoted` says whether the mode quotes this field regardless of its
    /// content (`QUOTE_ALL`: always; `QUOTE_NONNUMERIC`: non-numbers; otherwise never).
    pub fn push_field(&mut self, field: Option<&str>, quoted: bool) -> Result<(), Error> {
        if self.num_fields > 0 {
            self.rec.push(self.delimiter);
        }
        let text = field.unwrap_or("");
        let start = self.rec.len();
        if quoted {
            self.push_quote();
        }
        let first = self.stops.scan(text.as_bytes(), 0);
        let result = if first == text.len() {
            self.rec.push_str(text);
            Ok(quoted)
        } else {
            self.push_special(text, first, quoted)
        };
        match result {
            Ok(now_quoted) => {
                if now_quoted {
                    if !quoted {
                        if let Some(q) = self.quotechar {
                            self.rec.insert(start, q);
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
    fn push_special(&mut self, text: &str, first: usize, mut quoted: bool) -> Result<bool, Error> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut stop = first;
        loop {
            self.rec.push_str(&text[i..stop]);
            if stop == bytes.len() {
                return Ok(quoted);
            }
            let (c, len) = char_at(text, stop);
            if self.is_special(c) {
                let want_escape = if self.quote_none {
                    true
                } else if Some(c) == self.quotechar {
                    if self.doublequote {
                        self.rec.push(c);
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
                        Some(e) => self.rec.push(e),
                        None => return Err(ErrorKind::NeedEscape.into()),
                    }
                }
            }
            self.rec.push(c);
            i = stop + len;
            stop = self.stops.scan(bytes, i);
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
            self.rec.push(q);
        }
    }

    /// Finishes the record: applies the single-empty-field rule (`[""]` and `[None]` are
    /// written as `""`, an error under `QUOTE_NONE`), appends the record and the line
    /// terminator to `out`, and starts a new record. A record of no fields writes only the
    /// line terminator.
    pub fn end_record(&mut self, out: &mut String) -> Result<(), Error> {
        if self.num_fields > 0 && self.rec.is_empty() {
            if self.quote_none {
                self.clear();
                return Err(ErrorKind::SingleEmptyField.into());
            }
            self.push_quote();
            self.push_quote();
        }
        out.push_str(&self.rec);
        out.push_str(&self.lineterminator);
        self.clear();
        Ok(())
    }

    /// Drops the record being built (for a binding whose field conversion failed midway).
    pub fn clear(&mut self) {
        self.rec.clear();
        self.num_fields = 0;
    }
}
