//! The fast path for lines the state machine would split trivially.
//!
//! At the start of a record, a line holding neither the quote nor the escape character (with an
//! ASCII delimiter and no `skipinitialspace`) is exactly its delimiter-separated pieces: every
//! character is ordinary except the delimiter, and the line end closes the record. Such lines
//! are split here in one pass of byte-class masks (`classify.rs`), without copying through the
//! state machine; records with RFC 4180 quotes are split here too, any other line goes to the
//! [`Parser`](crate::Parser), so every path gives the row reader's records.

use crate::Dialect;

use super::classify::{BlockCursor, Classes, find_byte, unquote_into};

/// What makes a line need the state machine.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PlainLines {
    delimiter: u8,
    /// The quote and escape bytes (a repeated byte when only one is set).
    special: Option<(u8, u8)>,
    /// The quote byte, when records holding quotes can be split here too: no escape
    /// character and `doublequote`, the RFC 4180 rules.
    rfc_quote: Option<u8>,
    classes: Classes,
}

impl PlainLines {
    /// `None` when the dialect needs the state machine for every line.
    pub(crate) fn new(dialect: &Dialect) -> Option<PlainLines> {
        if dialect.skipinitialspace {
            return None;
        }
        let ascii = |c: char| u8::try_from(c).ok().filter(u8::is_ascii);
        let delimiter = ascii(dialect.delimiter).filter(|&d| d != b'\n' && d != b'\r')?;
        let quote = match dialect.quotechar {
            Some(q) => Some(ascii(q)?),
            None => None,
        };
        let escape = match dialect.escapechar {
            Some(e) => Some(ascii(e)?),
            None => None,
        };
        let special = match (quote, escape) {
            (Some(q), Some(e)) => Some((q, e)),
            (Some(b), None) | (None, Some(b)) => Some((b, b)),
            (None, None) => None,
        };
        let rfc_quote = quote.filter(|_| escape.is_none() && dialect.doublequote);
        Some(PlainLines {
            delimiter,
            special,
            rfc_quote,
            classes: Classes::new(delimiter, special),
        })
    }

    /// The line's content (without its terminator) if the fast path can split it.
    #[inline]
    pub(crate) fn plain(self, line: &[u8]) -> Option<&[u8]> {
        if let Some((a, b)) = self.special
            && memchr::memchr2(a, b, line).is_some()
        {
            return None;
        }
        let mut content = line;
        while let [rest @ .., b'\n' | b'\r'] = content {
            content = rest;
        }
        Some(content)
    }

    /// The fields of the line starting at `start` if it is plain, and where the next line
    /// starts: [`plain`](Self::plain) and [`split`](Self::split) in one pass over the line.
    #[inline]
    pub(crate) fn split_line<'a>(
        self,
        text: &'a [u8],
        start: usize,
        ends: &'a mut Vec<usize>,
    ) -> Option<(LineFields<'a>, usize)> {
        let (content, next) = self.classes.split_line(text, start, ends)?;
        let fields = LineFields {
            line: &text[start..start + content],
            ends: ends.iter(),
            start: 0,
        };
        Some((fields, next))
    }

    #[cfg(test)]
    /// The fields of a plain line's content, their ends found in one pass into `ends` (one
    /// search per line instead of a count and then one search per field).
    #[inline]
    pub(crate) fn split<'a>(self, content: &'a [u8], ends: &'a mut Vec<usize>) -> LineFields<'a> {
        ends.clear();
        ends.extend(memchr::memchr_iter(self.delimiter, content));
        ends.push(content.len());
        LineFields {
            line: content,
            ends: ends.iter(),
            start: 0,
        }
    }

    /// The fields of a plain line's content.
    #[cfg(test)]
    #[inline]
    pub(crate) fn fields(self, content: &[u8]) -> Fields<'_> {
        Fields {
            rest: Some(content),
            delimiter: self.delimiter,
            remaining: memchr::memchr_iter(self.delimiter, content).count() + 1,
        }
    }
}

impl PlainLines {
    /// Splits the record starting at `start` (a line start) into `fields` when it follows the
    /// RFC 4180 rules: quoted fields open at a field start, hold anything (line ends included)
    /// with quotes doubled, and close right before a delimiter or a line end. A field is a
    /// stretch of `text` unless it held a doubled quote, which is undone in a copy appended to
    /// `buf` (its piece's offsets are `buf`'s; on `None`, `buf` may hold such copies). Returns
    /// where the record ends (just past its line terminator, as the row reader's lines do) and
    /// whether a field of it was quoted, or `None` for anything else (a quote closed then
    /// followed by text, a quote left open, no RFC quote rules), which the state machine then
    /// reads.
    pub(crate) fn quoted_record(
        self,
        text: &[u8],
        start: usize,
        buf: &mut Vec<u8>,
        fields: &mut Vec<Piece>,
    ) -> Option<(usize, bool)> {
        let quote = self.rfc_quote?;
        let delimiter = self.delimiter;
        fields.clear();
        let mut cursor = BlockCursor::default();
        let mut i = start;
        let mut quoted = false;
        loop {
            let piece = if text.get(i) == Some(&quote) {
                quoted = true;
                let open = i + 1;
                let close = find_byte(text, open, quote)?;
                if text.get(close + 1) == Some(&quote) {
                    // Each doubled quote keeps one of its two, in a copy; the text up to the
                    // first pair was searched already.
                    let from = buf.len();
                    buf.extend_from_slice(&text[open..=close]);
                    i = unquote_into(text, close + 2, quote, buf)? + 1;
                    Piece {
                        start: from,
                        end: buf.len(),
                        copied: true,
                    }
                } else {
                    i = close + 1;
                    Piece {
                        start: open,
                        end: close,
                        copied: false,
                    }
                }
            } else {
                // A quote inside an unquoted field is an ordinary character (RFC rules, as the
                // state machine reads them): the field goes on to a delimiter or a line end.
                let mut stop = self.classes.next_special_cached(text, i, &mut cursor);
                while text.get(stop) == Some(&quote) {
                    stop = self
                        .classes
                        .next_special_cached(text, stop + 1, &mut cursor);
                }
                let piece = Piece {
                    start: i,
                    end: stop,
                    copied: false,
                };
                i = stop;
                piece
            };
            fields.push(piece);
            match text.get(i) {
                None => return Some((i, quoted)),
                Some(&b) if b == delimiter => i += 1,
                // The terminator is here: no search for it (`line_end`'s `memchr2` setup
                // cost more than the rest of a short record's split).
                Some(b'\n') => return Some((i + 1, quoted)),
                Some(b'\r') => {
                    return Some((i + 1 + usize::from(text.get(i + 1) == Some(&b'\n')), quoted));
                }
                Some(_) => return None,
            }
        }
    }
}

/// A field of a record split by [`PlainLines::quoted_record`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// In the buffer of undone quotes rather than in the input.
    pub(crate) copied: bool,
}

/// The fields of a record split by [`PlainLines::quoted_record`], in order.
#[derive(Clone, Debug)]
pub(crate) struct QuotedFields<'a> {
    pub(crate) text: &'a [u8],
    /// The buffer of undone quotes from offset `base` on.
    pub(crate) buf: &'a [u8],
    pub(crate) base: usize,
    pub(crate) pieces: std::slice::Iter<'a, Piece>,
}

impl<'a> Iterator for QuotedFields<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        let piece = self.pieces.next()?;
        Some(if piece.copied {
            &self.buf[piece.start - self.base..piece.end - self.base]
        } else {
            &self.text[piece.start..piece.end]
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.pieces.size_hint()
    }
}

impl ExactSizeIterator for QuotedFields<'_> {}

/// The fields of a plain line, given the offsets of its delimiters and its end.
#[derive(Clone, Debug)]
pub(crate) struct LineFields<'a> {
    line: &'a [u8],
    ends: std::slice::Iter<'a, usize>,
    start: usize,
}

impl<'a> Iterator for LineFields<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        let end = *self.ends.next()?;
        let field = &self.line[self.start..end];
        self.start = end + 1;
        Some(field)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl ExactSizeIterator for LineFields<'_> {}

impl LineFields<'_> {
    /// Each field's end, relative to the line's start (the last is the content's length).
    pub(crate) fn ends(&self) -> &[usize] {
        self.ends.as_slice()
    }

    /// Whether the line has no content: a record of no fields, which readers skip.
    pub(crate) fn blank(&self) -> bool {
        self.line.is_empty()
    }
}

/// The fields of a plain line, in order.
#[cfg(test)]
#[derive(Clone, Debug)]
pub(crate) struct Fields<'a> {
    rest: Option<&'a [u8]>,
    delimiter: u8,
    remaining: usize,
}

#[cfg(test)]
impl<'a> Iterator for Fields<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest?;
        self.remaining -= 1;
        if let Some(i) = memchr::memchr(self.delimiter, rest) {
            self.rest = Some(&rest[i + 1..]);
            Some(&rest[..i])
        } else {
            self.rest = None;
            Some(rest)
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

#[cfg(test)]
impl ExactSizeIterator for Fields<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dialect, Parser};

    /// The fast path must give what the state machine gives, whenever it accepts a line.
    #[test]
    fn plain_lines_split_like_the_state_machine() {
        let dialects = [
            Dialect::default(),
            Dialect {
                delimiter: ';',
                escapechar: Some('\\'),
                ..Dialect::default()
            },
            Dialect {
                quotechar: None,
                ..Dialect::default()
            },
        ];
        let lines: &[&[u8]] = &[
            b"a,b,c\n",
            b"a,b,c\r\n",
            b"a;b;c\r",
            b",,\n",
            b"\n",
            b"x",
            b"a\0b,c\n",
            b"\"q\",b\n",
            b"a\\;b;c\n",
            b"  a, b \n",
            "é,ü\n".as_bytes(),
        ];
        for dialect in &dialects {
            let plain = PlainLines::new(dialect).unwrap();
            for line in lines {
                let Some(content) = plain.plain(line) else {
                    continue;
                };
                let mut parser = Parser::new(dialect, usize::MAX);
                assert!(parser.feed_line_bytes(line).unwrap());
                let expected: Vec<&[u8]> = parser.record().iter().map(|f| f.bytes).collect();
                let got: Vec<&[u8]> = if content.is_empty() && expected.is_empty() {
                    Vec::new()
                } else {
                    plain.fields(content).collect()
                };
                assert_eq!(got, expected, "{dialect:?} {line:?}");
                let mut ends = Vec::new();
                let split: Vec<&[u8]> = plain.split(content, &mut ends).collect();
                assert_eq!(split, plain.fields(content).collect::<Vec<_>>());
                assert_eq!(plain.fields(content).len(), got.len().max(1));
            }
        }
        assert!(
            PlainLines::new(&Dialect {
                skipinitialspace: true,
                ..Dialect::default()
            })
            .is_none()
        );
        assert!(
            PlainLines::new(&Dialect {
                quotechar: Some('é'),
                ..Dialect::default()
            })
            .is_none()
        );
    }
}
