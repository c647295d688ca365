//! Splitting the text into records with the row reader's state machine, into one
//! column-major chunk per slice of input, and parsing the slices on several threads.
//!
//! A slice boundary picked by byte offset may fall inside a quoted field that spans lines, so
//! slices are parsed speculatively: each worker starts at the first line start after its
//! nominal offset and parses up to the first record end at or after the next slice's start.
//! A slice is only kept if it started where the previous slice really ended (the state machine
//! is deterministic from a record start, so the same start means the same records); otherwise
//! it is parsed again from the right place. Quoted newlines thus cost speed, never correctness.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::{Dialect, Parser};

use super::decode::QuoteParity;
use super::error::{ColumnarError, ColumnarErrorKind, Position};
use super::options::{BadLines, Ragged};
use super::plain::{LineFields, Piece, PlainLines, QuotedFields};
use super::scan::{line_end, next_line_start};

/// One column of a chunk: the cells' text back to back, with Arrow-style offsets.
#[derive(Clone, Debug)]
pub(crate) struct RawColumn {
    pub(crate) data: Vec<u8>,
    /// `offsets[i]..offsets[i + 1]` is row `i`; starts with 0.
    pub(crate) offsets: Vec<i32>,
    /// Rows (ascending) whose record was too short to have this column.
    pub(crate) missing: Vec<usize>,
    /// `false` when no cell is known to be empty (nor missing): a string column then needs no
    /// null bitmap and is not scanned for one.
    pub(crate) maybe_empty: bool,
}

impl Default for RawColumn {
    fn default() -> Self {
        RawColumn::new()
    }
}

impl RawColumn {
    fn new() -> RawColumn {
        RawColumn {
            data: Vec::new(),
            offsets: vec![0],
            missing: Vec::new(),
            maybe_empty: true,
        }
    }

    #[inline]
    pub(crate) fn cell(&self, row: usize) -> &[u8] {
        &self.data[self.offsets[row] as usize..self.offsets[row + 1] as usize]
    }

    /// A column of `cells`, with the rows in `missing` marked as absent from short records.
    #[cfg(test)]
    pub(crate) fn of(cells: &[&str], missing: &[usize]) -> RawColumn {
        let mut column = RawColumn {
            missing: missing.to_vec(),
            ..RawColumn::new()
        };
        for cell in cells {
            column.data.extend_from_slice(cell.as_bytes());
            column
                .offsets
                .push(i32::try_from(column.data.len()).expect("test cells fit in i32 offsets"));
        }
        column
    }
}

/// A record dropped under [`BadLines::Report`], or the one that stopped the read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// Where the record starts (line and byte; column is the first offending field).
    pub at: Position,
    /// Why it is bad.
    pub message: String,
    /// Its fields, as read.
    pub fields: Vec<String>,
}

/// Marks a span as one into [`RawChunk::side`] rather than into the slice's text.
const SIDE: u32 = 1 << 31;

/// A side buffer with less room than this left is given room for the rest of its slice...
const SIDE_SLACK: usize = 1 << 10;
/// ... once it holds this much (fewer quoted cells grow it the usual way: reserving a whole
/// slice for a few of them could cost memory that earlier slices had touched).
const SIDE_RESERVE_FROM: usize = 1 << 14;

/// One column of a chunk before conversion: where each cell's text is, without copying it.
#[derive(Clone, Debug, Default)]
pub(crate) struct SpanColumn {
    /// `start..end` of each row's cell: offsets from the slice's start into the input, or
    /// (both with [`SIDE`] set) into the chunk's side buffer.
    spans: Vec<[u32; 2]>,
    /// Rows (ascending) whose record was too short to have this column.
    missing: Vec<usize>,
}

/// The records of one slice of the input.
///
/// Cells are not copied while splitting: most of them are stretches of the input (fields of
/// plain lines, and every field is plain in most files), kept as offsets, which the typed
/// conversion reads in place; only string columns copy their cells, once, into the Arrow
/// buffer. Cells that differ from the input's bytes (quoted fields, escapes) are copied into
/// `side`.
#[derive(Debug)]
pub(crate) struct RawChunk {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) columns: Vec<SpanColumn>,
    /// The cells that are not stretches of the input, back to back.
    pub(crate) side: Vec<u8>,
    pub(crate) rows: usize,
    /// Byte offset where each row's record starts.
    pub(crate) row_starts: Vec<usize>,
    /// Dropped records, positions holding byte offsets only (lines are filled in later).
    pub(crate) bad: Vec<BadLine>,
    /// The error that stopped this chunk, as a bad line to be turned into an error.
    pub(crate) error: Option<(BadLine, ErrorCause)>,
}

/// A column's cells, read where they are: what inference and conversion take.
pub(crate) trait CellColumn {
    fn rows(&self) -> usize;
    fn cell(&self, row: usize) -> &[u8];
    /// Rows (ascending) whose record was too short to have this column.
    fn missing(&self) -> &[usize];
    /// Whether the row's cell is empty (or missing).
    fn is_empty_cell(&self, row: usize) -> bool;
}

impl CellColumn for RawColumn {
    #[inline]
    fn rows(&self) -> usize {
        self.offsets.len() - 1
    }

    #[inline]
    fn cell(&self, row: usize) -> &[u8] {
        RawColumn::cell(self, row)
    }

    fn missing(&self) -> &[usize] {
        &self.missing
    }

    #[inline]
    fn is_empty_cell(&self, row: usize) -> bool {
        self.offsets[row] == self.offsets[row + 1]
    }
}

/// One column of a [`RawChunk`] with the text its spans point into.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cells<'a> {
    /// The input from the slice's start on.
    text: &'a [u8],
    side: &'a [u8],
    spans: &'a [[u32; 2]],
    missing: &'a [usize],
}

impl CellColumn for Cells<'_> {
    #[inline]
    fn rows(&self) -> usize {
        self.spans.len()
    }

    #[inline]
    fn cell(&self, row: usize) -> &[u8] {
        let [start, end] = self.spans[row];
        if start & SIDE == 0 {
            &self.text[start as usize..end as usize]
        } else {
            &self.side[(start & !SIDE) as usize..(end & !SIDE) as usize]
        }
    }

    fn missing(&self) -> &[usize] {
        self.missing
    }

    #[inline]
    fn is_empty_cell(&self, row: usize) -> bool {
        let [start, end] = self.spans[row];
        start == end
    }
}

impl Cells<'_> {
    /// The cells copied back to back, for a string column (whose buffer this becomes) or a
    /// column kept as text until its type is known.
    pub(crate) fn to_raw(self) -> RawColumn {
        let rows = self.spans.len();
        let total: usize = self.spans.iter().map(|[s, e]| (e - s) as usize).sum();
        // Short cells are copied as one 16-byte word (bytes past the cell are overwritten
        // by the next one, or cut off at the end), not by a call to `memcpy` each.
        let mut data = vec![0u8; total + 16];
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        let mut at = 0;
        let mut any_empty = false;
        for &[start, end] in self.spans {
            any_empty |= start == end;
            let (source, start, end) = if start & SIDE == 0 {
                (self.text, start as usize, end as usize)
            } else {
                (self.side, (start & !SIDE) as usize, (end & !SIDE) as usize)
            };
            let len = end - start;
            match source.get(start..start + 16) {
                Some(word) if len <= 16 => data[at..at + 16].copy_from_slice(word),
                _ => data[at..at + len].copy_from_slice(&source[start..end]),
            }
            at += len;
            // The chunk refused columns over 2 GiB (`parse_slice`).
            offsets.push(at as i32);
        }
        data.truncate(total);
        RawColumn {
            data,
            offsets,
            missing: self.missing.to_vec(),
            maybe_empty: any_empty || !self.missing.is_empty(),
        }
    }
}

impl RawChunk {
    /// Column `c`, its spans resolved against `text` (the whole input the chunk was parsed
    /// from).
    pub(crate) fn cells<'a>(&'a self, text: &'a [u8], c: usize) -> Cells<'a> {
        let column = &self.columns[c];
        Cells {
            text: &text[self.start..],
            side: &self.side,
            spans: &column.spans,
            missing: &column.missing,
        }
    }

    /// The cells of `column`, one of this chunk's columns taken out of it (so that a caller
    /// converting them one by one frees each column's spans as soon as it is done with it).
    pub(crate) fn cells_of<'a>(&'a self, text: &'a [u8], column: &'a SpanColumn) -> Cells<'a> {
        Cells {
            text: &text[self.start..],
            side: &self.side,
            spans: &column.spans,
            missing: &column.missing,
        }
    }

    /// Whether the side buffer is exactly `column`'s cells back to back (the one quoted
    /// column of a file whose every quoted field held a doubled quote or an escape): then it
    /// can become that column's text as it is, with no copy. Empty cells may point anywhere.
    pub(crate) fn side_is(&self, column: &SpanColumn) -> bool {
        if self.side.is_empty() {
            return false;
        }
        let mut at = SIDE;
        for &[start, end] in &column.spans {
            if start == end {
                continue;
            }
            if start != at {
                return false;
            }
            at = end;
        }
        at == SIDE | self.side.len() as u32
    }

    /// The side buffer as `column`'s text, when [`side_is`](Self::side_is) said so: the
    /// chunk's other columns must have been converted (their empty cells may still point
    /// into it).
    pub(crate) fn take_side(&mut self, column: &SpanColumn) -> RawColumn {
        let mut data = std::mem::take(&mut self.side);
        // Reserved for the rest of the slice while splitting; an Arrow buffer would keep it.
        data.shrink_to_fit();
        let mut offsets = Vec::with_capacity(column.spans.len() + 1);
        offsets.push(0);
        let mut at = 0;
        let mut any_empty = false;
        for &[start, end] in &column.spans {
            any_empty |= start == end;
            if start != end {
                // Below 2^31: the chunk refused larger side buffers (`oversized`).
                at = (end & !SIDE) as i32;
            }
            offsets.push(at);
        }
        RawColumn {
            data,
            offsets,
            missing: column.missing.clone(),
            maybe_empty: any_empty || !column.missing.is_empty(),
        }
    }

    /// Every column copied (the rare path that parses a slice again).
    pub(crate) fn to_raw(&self, text: &[u8]) -> Vec<RawColumn> {
        (0..self.columns.len())
            .map(|c| self.cells(text, c).to_raw())
            .collect()
    }
}

/// The kind of record that stopped a read under [`BadLines::Error`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum ErrorCause {
    Ragged { expected: usize, found: usize },
    UnclosedQuote,
    Parse,
}

/// How records map to columns.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// Fields a record should have.
    pub(crate) width: usize,
    /// For each field of the file, the output column it goes to.
    pub(crate) projection: Vec<Option<usize>>,
    /// Whether every field goes to the column of its own index (no projection): records of
    /// the layout's width then fill the columns in order, with no lookup per field.
    pub(crate) in_order: bool,
    pub(crate) columns: usize,
    pub(crate) ragged: Ragged,
    pub(crate) bad_lines: BadLines,
}

pub(crate) fn parse_slice(
    text: &[u8],
    dialect: &Dialect,
    layout: &Layout,
    start: usize,
    stop_at: usize,
    limit: Option<usize>,
) -> RawChunk {
    let mut parser = Parser::new(dialect, usize::MAX);
    // Rows of four bytes per cell, so that most columns never grow by copying (not for
    // `n_rows`, which may read a few records of a large input).
    let reserve = if limit.is_none() {
        (stop_at.min(text.len()).saturating_sub(start)) / (4 * layout.width.max(1))
    } else {
        0
    };
    let mut chunk = RawChunk::new(start, layout.columns, reserve);
    let base = &text[start..];
    let plain = PlainLines::new(dialect);
    let (mut ends, mut line_ends) = (Vec::new(), Vec::new());
    let mut pos = start;
    let mut record_start = start;
    let mut in_record = false;
    let mut quoted_before = false;
    while pos < text.len() {
        if !in_record && (pos >= stop_at || limit.is_some_and(|n| chunk.rows >= n)) {
            break;
        }
        if !in_record && let Some(plain) = plain {
            // After a record with a quoted field the next one most likely has one too (a
            // file whose every record holds a quoted field), so the plain split, which would
            // only fail at its first quote, comes second. A blank line is no record for the
            // quoted split: it always goes the plain way.
            let plain_first = !quoted_before || matches!(text[pos], b'\n' | b'\r');
            if plain_first && let Some((fields, next)) = plain.split_line(text, pos, &mut line_ends)
            {
                // A blank line is a record of no fields: skipped, as below.
                if !fields.blank() && !chunk.take_line(fields, pos, layout, base) {
                    break;
                }
                pos = next;
                record_start = pos;
                continue;
            }
            // Undone quoted fields go straight into the chunk's side buffer. Once it holds
            // a fair amount, it is given room for the rest of the slice (its cells are never
            // longer than their text), so it stops growing by copying.
            if chunk.side.capacity() - chunk.side.len() < SIDE_SLACK
                && chunk.side.len() >= SIDE_RESERVE_FROM
            {
                let rest = stop_at.min(text.len()).saturating_sub(pos);
                chunk.side.reserve_exact(rest + SIDE_SLACK);
                super::mapped::advise_huge_pages(&mut chunk.side);
            }
            let mark = chunk.side.len();
            if let Some((record_end, quoted)) =
                plain.quoted_record(text, pos, &mut chunk.side, &mut ends)
            {
                if !chunk.take_pieces(text, &ends, pos..record_end, mark, layout, base) {
                    break;
                }
                pos = record_end;
                record_start = pos;
                quoted_before = quoted;
                continue;
            }
            chunk.side.truncate(mark);
            if !plain_first {
                quoted_before = false;
                continue;
            }
        }
        let end = line_end(text, pos);
        let fed = parser.feed_line_bytes(&text[pos..end]);
        pos = end;
        match fed {
            Ok(false) => in_record = true,
            Ok(true) => {
                in_record = false;
                let record = parser.record();
                let fields = record.iter().map(|f| f.bytes);
                if !record.is_empty() && !chunk.take(fields, record_start, layout, base) {
                    break;
                }
                record_start = pos;
            }
            Err(e) => {
                let fields = parser.record().iter().map(|f| f.bytes);
                let bad = bad_line(record_start, 1, e.to_string(), fields);
                chunk.error = Some((bad, ErrorCause::Parse));
                break;
            }
        }
    }
    if in_record && pos >= text.len() && chunk.error.is_none() {
        // The input ended inside a quoted field (or after an escaped line end).
        let _ = parser.finish();
        let record = parser.record();
        let bad = bad_line(
            record_start,
            record.len() as u64,
            "the input ends inside a quoted field".to_owned(),
            record.iter().map(|f| f.bytes),
        );
        match layout.bad_lines {
            BadLines::Error => chunk.error = Some((bad, ErrorCause::UnclosedQuote)),
            BadLines::Skip => {}
            BadLines::Report => chunk.bad.push(bad),
        }
    }
    if chunk.error.is_none() {
        chunk.error = oversized(&chunk, text, start, pos);
    }
    chunk.end = pos;
    chunk
}

/// The error for a slice whose text Arrow's 32-bit offsets (or the spans' 31 bits) cannot
/// hold: only a record of gigabytes, in a slice of a few MB, gets here.
fn oversized(
    chunk: &RawChunk,
    text: &[u8],
    start: usize,
    pos: usize,
) -> Option<(BadLine, ErrorCause)> {
    if chunk.side.len() >= SIDE as usize {
        // Spans into the side buffer hold 31 bits.
        let bad = BadLine {
            at: Position {
                line: 0,
                column: 1,
                byte: start as u64,
            },
            message: "more than 2 GiB of quoted text in one slice".to_owned(),
            fields: Vec::new(),
        };
        return Some((bad, ErrorCause::Parse));
    }
    if pos - start + chunk.side.len() > i32::MAX as usize
        && let Some(column) = (0..chunk.columns.len()).find(|&c| {
            let cells = chunk.cells(text, c);
            cells
                .spans
                .iter()
                .map(|[s, e]| (e - s) as usize)
                .sum::<usize>()
                > i32::MAX as usize
        })
    {
        // Arrow's 32-bit offsets: only one record over 2 GiB, in a slice of a few MB, gets here.
        let bad = BadLine {
            at: Position {
                line: 0,
                column: column as u64 + 1,
                byte: start as u64,
            },
            message: "a column holds more than 2 GiB of text in one slice".to_owned(),
            fields: Vec::new(),
        };
        return Some((bad, ErrorCause::Parse));
    }
    None
}

fn bad_line<'a>(
    start: usize,
    column: u64,
    message: String,
    fields: impl Iterator<Item = &'a [u8]>,
) -> BadLine {
    BadLine {
        at: Position {
            line: 0,
            column,
            byte: start as u64,
        },
        message,
        fields: fields
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect(),
    }
}

impl RawChunk {
    fn new(start: usize, columns: usize, reserve: usize) -> RawChunk {
        let mut chunk = RawChunk {
            start,
            end: start,
            columns: (0..columns).map(|_| SpanColumn::default()).collect(),
            side: Vec::new(),
            rows: 0,
            row_starts: Vec::new(),
            bad: Vec::new(),
            error: None,
        };
        for column in &mut chunk.columns {
            column.spans.reserve(reserve);
        }
        chunk
    }

    /// [`take`](Self::take) for a plain line starting at `line` (an offset in the input):
    /// its fields' spans come straight from the field ends the splitter found.
    #[inline]
    fn take_line(
        &mut self,
        fields: LineFields<'_>,
        line: usize,
        layout: &Layout,
        base: &[u8],
    ) -> bool {
        let ends = fields.ends();
        let rel = line - self.start;
        let fits =
            ends.len() == layout.width && ends.last().is_some_and(|&len| rel + len < SIDE as usize);
        if !fits {
            return self.take(fields, line, layout, base);
        }
        // Below 2^31: `rel + len` is (checked above).
        let mut from = rel as u32;
        if layout.in_order {
            for (&end, column) in ends.iter().zip(&mut self.columns) {
                let to = (rel + end) as u32;
                column.spans.push([from, to]);
                from = to + 1;
            }
            self.rows += 1;
            self.row_starts.push(line);
            return true;
        }
        for (&end, target) in ends.iter().zip(&layout.projection) {
            let to = (rel + end) as u32;
            if let Some(c) = *target {
                self.columns[c].spans.push([from, to]);
            }
            from = to + 1;
        }
        self.rows += 1;
        self.row_starts.push(line);
        true
    }

    /// [`take`](Self::take) for the record `record` split by [`PlainLines::quoted_record`],
    /// whose undone quoted fields it appended to the side buffer from `mark` on: spans are made
    /// from the pieces, with no field copied again.
    #[inline]
    fn take_pieces(
        &mut self,
        text: &[u8],
        pieces: &[Piece],
        record: Range<usize>,
        mark: usize,
        layout: &Layout,
        base: &[u8],
    ) -> bool {
        if pieces.len() == layout.width && record.end - self.start < SIDE as usize {
            // Side offsets past 31 bits make the chunk refused (`oversized`); input offsets
            // are below the record's end, checked above.
            let span = |piece: &Piece| {
                if piece.copied {
                    [piece.start as u32 | SIDE, piece.end as u32 | SIDE]
                } else {
                    [
                        (piece.start - self.start) as u32,
                        (piece.end - self.start) as u32,
                    ]
                }
            };
            if layout.in_order {
                for (piece, column) in pieces.iter().zip(&mut self.columns) {
                    column.spans.push(span(piece));
                }
            } else {
                for (piece, target) in pieces.iter().zip(&layout.projection) {
                    if let Some(c) = *target {
                        self.columns[c].spans.push(span(piece));
                    }
                }
            }
            self.rows += 1;
            self.row_starts.push(record.start);
            return true;
        }
        // Ragged, or too far into the slice for a span: the general path, which copies again
        // what it keeps.
        let copied = self.side.split_off(mark);
        let fields = QuotedFields {
            text,
            buf: &copied,
            base: mark,
            pieces: pieces.iter(),
        };
        self.take(fields, record.start, layout, base)
    }

    /// Adds a record; `false` stops the chunk (an error under [`BadLines::Error`]).
    /// `base` is the input from the slice's start on: fields that lie in it are kept as spans.
    #[inline]
    fn take<'a, I>(&mut self, fields: I, start: usize, layout: &Layout, base: &[u8]) -> bool
    where
        I: ExactSizeIterator<Item = &'a [u8]> + Clone,
    {
        let found = fields.len();
        let width = layout.width;
        if found != width {
            let fits = match layout.ragged {
                Ragged::Error => false,
                Ragged::Pad => found < width,
                Ragged::Truncate => true,
            };
            if !fits {
                let message = format!("expected {width} fields, found {found}");
                let bad = bad_line(start, (found.min(width) + 1) as u64, message, fields);
                match layout.bad_lines {
                    BadLines::Error => {
                        self.error = Some((
                            bad,
                            ErrorCause::Ragged {
                                expected: width,
                                found,
                            },
                        ));
                        return false;
                    }
                    BadLines::Skip => {}
                    BadLines::Report => self.bad.push(bad),
                }
                return true;
            }
        }
        let row = self.rows;
        let base_addr = base.as_ptr().addr();
        for (field, target) in fields.zip(&layout.projection) {
            if let Some(c) = *target {
                // A field is a stretch of the input exactly when its address lies in it
                // (a buffer the quotes were taken out in is another allocation).
                let at = field.as_ptr().addr().wrapping_sub(base_addr);
                let end = at.wrapping_add(field.len());
                let span = if at < base.len() && end < SIDE as usize {
                    [at as u32, end as u32]
                } else {
                    let from = self.side.len();
                    self.side.extend_from_slice(field);
                    // Past 2 GiB of side text the chunk is refused (`parse_slice`).
                    let to = self.side.len();
                    [from as u32 | SIDE, to as u32 | SIDE]
                };
                self.columns[c].spans.push(span);
            }
        }
        for target in layout.projection.iter().skip(found) {
            if let Some(c) = *target {
                let column = &mut self.columns[c];
                column.spans.push([0, 0]);
                column.missing.push(row);
            }
        }
        self.rows += 1;
        self.row_starts.push(start);
        true
    }
}

/// What the speculative check needs of a slice once its worker has finished it.
pub(crate) trait Slice {
    /// Where its first record starts.
    fn start(&self) -> usize;
    /// Just past its last record.
    fn end(&self) -> usize;
    /// Whether an error stopped it.
    fn stopped(&self) -> bool;
}

impl Slice for RawChunk {
    fn start(&self) -> usize {
        self.start
    }

    fn end(&self) -> usize {
        self.end
    }

    fn stopped(&self) -> bool {
        self.error.is_some()
    }
}

/// Where the slices start: the first line start after each multiple of `chunk_size`.
///
/// With a quote character and no escape character, the line start picked is one outside
/// quotes as told by the parity of the quote characters before it (a doubled quote counts
/// twice, so the parity is even between well-formed fields): a guessed start inside a quoted
/// field with line breaks would make its slice be parsed a second time, alone, after the
/// others. A stray quote in an unquoted field makes the parity wrong from there on; that only
/// costs those re-parses, as the guesses are checked the same way.
fn slice_starts(
    text: &[u8],
    dialect: &Dialect,
    body: usize,
    chunk_size: usize,
    threads: usize,
    parity: Option<&QuoteParity>,
) -> Vec<usize> {
    let len = text.len();
    // Every `body + k * chunk_size` below `len`.
    let chunk_size = chunk_size.max(1);
    let nominal: Vec<usize> = (1..=len.saturating_sub(body).saturating_sub(1) / chunk_size)
        .map(|k| body + k * chunk_size)
        .collect();
    let guesses: Vec<usize> = match (parity_quote(dialect), parity) {
        (None, _) => nominal.iter().map(|&n| next_line_start(text, n)).collect(),
        // Counted while the text was checked.
        (Some(q), Some(parity)) if parity.quote == q => {
            let before_body = parity.odd_before(text, body);
            nominal
                .iter()
                .map(|&n| {
                    let inside = parity.odd_before(text, n) ^ before_body;
                    outside_quotes_line_start(text, n, q, inside)
                })
                .collect()
        }
        (Some(q), _) => {
            // The parity of the quotes of each span between offsets, on all threads: this
            // pass reads the whole input once more.
            let bounds: Vec<usize> = [body].into_iter().chain(nominal.iter().copied()).collect();
            let odd = count_parities(text, &bounds, q, threads);
            let mut inside = false;
            nominal
                .iter()
                .zip(odd)
                .map(|(&n, odd)| {
                    inside ^= odd;
                    outside_quotes_line_start(text, n, q, inside)
                })
                .collect()
        }
    };
    let mut starts = vec![body];
    for s in guesses {
        if s >= len {
            break;
        }
        if s > *starts.last().unwrap_or(&body) {
            starts.push(s);
        }
    }
    starts
}

/// The quote character whose parity tells a line start outside quotes: one with no escape
/// character (an escaped quote would not count).
pub(crate) fn parity_quote(dialect: &Dialect) -> Option<u8> {
    match (dialect.quotechar, dialect.escapechar) {
        (Some(q), None) => u8::try_from(q).ok().filter(u8::is_ascii),
        _ => None,
    }
}

/// For each span `bounds[i]..bounds[i + 1]`, whether it holds an odd number of `q`.
fn count_parities(text: &[u8], bounds: &[usize], q: u8, threads: usize) -> Vec<bool> {
    let spans: Vec<&[u8]> = bounds.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    let odd = |span: &[u8]| super::classify::odd_count(span, q);
    let per = spans.len().div_ceil(threads.max(1)).max(1);
    if threads <= 1 || spans.len() <= 1 {
        return spans.iter().map(|s| odd(s)).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = spans
            .chunks(per)
            .map(|group| scope.spawn(move || group.iter().map(|s| odd(s)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a counting thread panicked"))
            .collect()
    })
}

/// The first line start at or after `from` that is outside quotes, given whether `from` is
/// inside them; the input's length if there is none.
fn outside_quotes_line_start(text: &[u8], from: usize, q: u8, mut inside: bool) -> usize {
    if !inside && next_line_start(text, from) == from {
        return from;
    }
    for at in memchr::memchr3_iter(q, b'\n', b'\r', &text[from..]).map(|i| from + i) {
        if text[at] == q {
            inside = !inside;
        } else if !inside {
            return if text[at] == b'\r' && text.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
        }
    }
    text.len()
}

/// Parses `text[body..]` into chunks of about `chunk_size` bytes on `threads` threads, each
/// handed to `finish` by the thread that parsed it (so that its cells can be converted and
/// freed while the other slices are still being parsed).
#[expect(
    clippy::too_many_arguments,
    reason = "the input, its layout and how to run; grouping them would only rename them"
)]
pub(crate) fn parse_parallel<T: Slice + Send>(
    text: &[u8],
    dialect: &Dialect,
    layout: &Layout,
    body: usize,
    chunk_size: usize,
    threads: usize,
    cancel: &AtomicBool,
    parity: Option<&QuoteParity>,
    finish: &(dyn Fn(RawChunk) -> T + Sync),
) -> Vec<T> {
    let len = text.len();
    let starts = slice_starts(text, dialect, body, chunk_size, threads, parity);
    let stops: Vec<usize> = starts.iter().skip(1).copied().chain([len]).collect();
    let count = starts.len();
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<T>> = (0..count).map(|_| None).collect();
    let workers = threads.clamp(1, count);
    if workers == 1 {
        for (i, slot) in slots.iter_mut().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Vec::new();
            }
            *slot = Some(finish(parse_slice(
                text, dialect, layout, starts[i], stops[i], None,
            )));
        }
    } else {
        let results = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= count || cancel.load(Ordering::Relaxed) {
                                break mine;
                            }
                            let chunk =
                                parse_slice(text, dialect, layout, starts[i], stops[i], None);
                            mine.push((i, finish(chunk)));
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a parsing thread panicked"))
                .collect::<Vec<_>>()
        });
        for (i, chunk) in results {
            slots[i] = Some(chunk);
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Vec::new();
    }
    // Keep each chunk only if it starts where the previous one ended.
    let mut chunks: Vec<T> = Vec::with_capacity(count);
    for (i, slot) in slots.into_iter().enumerate() {
        let Some(chunk) = slot else { continue };
        let Some(prev) = chunks.last() else {
            chunks.push(chunk);
            continue;
        };
        if prev.stopped() {
            break;
        }
        let real_start = prev.end();
        if chunk.start() == real_start {
            chunks.push(chunk);
        } else if real_start < stops[i] {
            drop(chunk);
            chunks.push(finish(parse_slice(
                text, dialect, layout, real_start, stops[i], None,
            )));
        }
        // Otherwise the previous chunk swallowed this one's whole slice.
    }
    chunks
}

impl ColumnarError {
    /// The error for a bad line that stopped the read, its line number filled in.
    pub(crate) fn from_bad_line(bad: BadLine, cause: ErrorCause) -> ColumnarError {
        let at = bad.at;
        match cause {
            ErrorCause::Ragged { expected, found } => ColumnarErrorKind::Ragged {
                expected,
                found,
                at,
            },
            ErrorCause::UnclosedQuote => ColumnarErrorKind::UnclosedQuote { at },
            ErrorCause::Parse => ColumnarErrorKind::Parse {
                message: bad.message,
                at,
            },
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_start_outside_quoted_line_breaks() {
        // Every record is `n,"line\nline\nline"` + a line end: a line start picked by offset
        // alone falls inside the quoted field two times in three.
        let mut text = Vec::new();
        let mut records = vec![0];
        for n in 0..400 {
            let end = ["\n", "\r\n", "\r"][n % 3];
            text.extend_from_slice(format!("{n},\"a\"\"b{end}c{end}d\"{end}").as_bytes());
            records.push(text.len());
        }
        // A header of its own, so that the parity before the body counts too.
        let header = b"h,\"x\ny\"\n";
        let text = [header.as_slice(), &text].concat();
        let records: Vec<usize> = records.iter().map(|r| r + header.len()).collect();
        let (decoded, parity) = super::super::decode::decode_on(
            &text,
            super::super::options::Encoding::Utf8,
            super::super::options::DecodeErrors::Strict,
            1,
            Some(b'"'),
        )
        .unwrap();
        assert!(parity.is_some() && decoded.text.len() == text.len());
        for threads in [1, 2] {
            let starts = slice_starts(&text, &Dialect::excel(), header.len(), 37, threads, None);
            assert!(starts.len() > 100);
            for s in &starts {
                assert!(records.contains(s), "{s} is not a record start");
            }
            // The parity counted while decoding picks the same starts.
            let counted = slice_starts(
                &text,
                &Dialect::excel(),
                header.len(),
                37,
                threads,
                parity.as_ref(),
            );
            assert_eq!(counted, starts);
        }
        // Without quote parity (an escape character), starts are plain line starts.
        let escaped = Dialect {
            escapechar: Some('\\'),
            ..Dialect::excel()
        };
        let starts = slice_starts(&text, &escaped, header.len(), 37, 2, None);
        assert!(starts.iter().any(|s| !records.contains(s)));
    }

    #[test]
    fn a_stray_quote_only_misplaces_guesses() {
        let text = b"a,b\"c\nd,e\n\"x\ny\",z\nf,g\n".repeat(50);
        let starts = slice_starts(&text, &Dialect::excel(), 0, 10, 2, None);
        assert!(starts.windows(2).all(|w| w[0] < w[1]));
        assert!(starts.iter().all(|&s| s <= text.len()));
    }
}
