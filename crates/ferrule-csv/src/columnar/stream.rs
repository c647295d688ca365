//! Reading input larger than memory, block by block: each block's complete records become one
//! table, the cut-off record at its end waits for the next block.
//!
//! The first table's column types are kept for the rest (they are given to the later blocks
//! as `dtypes`), so a value that does not fit them later is an error naming it. A stream made
//! with [`CsvStream::typing`] keeps no types: each block is inferred on its own, and
//! [`CsvStream::widened`] joins them, so that a first pass over the whole input gives a second,
//! fixed-type pass types that every later cell fits (inference never fails late).

use crate::{Dialect, Parser, Quoting};

use super::decode::decode_error;
use super::error::ColumnarError;
use super::options::{ColumnRef, DType, Encoding, ReadOptions};
use super::plain::PlainLines;
use super::read::read_csv;
use super::scan::line_end;
use super::table::Table;
use super::utf16_blocks::Utf16Blocks;

/// Where each complete record of `text` ends (records of no fields included), up to `limit`
/// non-empty records; a record cut off by the end of `text` is left out.
fn record_ends(text: &[u8], dialect: &Dialect, limit: usize) -> Vec<(usize, bool)> {
    let mut parser = Parser::new(dialect, usize::MAX);
    let plain = PlainLines::new(dialect);
    let (mut buf, mut ends) = (Vec::new(), Vec::new());
    let mut out = Vec::new();
    let mut pos = 0;
    let mut in_record = false;
    let mut found = 0;
    while pos < text.len() && found < limit {
        let end = line_end(text, pos);
        if end == text.len() && text.last() != Some(&b'\n') {
            // The line may go on in the next block (a `\r` may be half of `\r\n`).
            break;
        }
        if !in_record && let Some(plain) = plain {
            if let Some(content) = plain.plain(&text[pos..end]) {
                out.push((end, !content.is_empty()));
                found += usize::from(!content.is_empty());
                pos = end;
                continue;
            }
            buf.clear();
            if let Some((record_end, _)) = plain.quoted_record(text, pos, &mut buf, &mut ends)
                && (record_end < text.len() || text.last().is_some_and(|b| *b == b'\n'))
            {
                out.push((record_end, true));
                found += 1;
                pos = record_end;
                continue;
            }
        }
        let done = parser.feed_line_bytes(&text[pos..end]).unwrap_or(true);
        pos = end;
        in_record = !done;
        if done {
            let fields = !parser.record().is_empty();
            out.push((pos, fields));
            found += usize::from(fields);
        }
    }
    out
}

/// A reader of blocks: [`push`](CsvStream::push) each block, `last` on the final one.
#[derive(Debug)]
pub struct CsvStream {
    options: ReadOptions,
    dialect: Dialect,
    carry: Vec<u8>,
    /// The header record's bytes, put before each later block.
    header: Option<Vec<u8>>,
    started: bool,
    rows_left: Option<usize>,
    /// UTF-16 input, decoded to UTF-8 block by block before the rest sees it.
    utf16: Option<Utf16Blocks>,
    /// Later blocks keep the first block's types (off for a typing pass).
    keep_types: bool,
    /// The join of every block's types so far, by column name (typing pass).
    seen: Vec<(String, DType)>,
    /// Bytes and lines of the input before `carry`, and those the header prefix adds.
    bytes_before: u64,
    lines_before: u64,
}

impl CsvStream {
    /// A stream reading with `options`. UTF-16 is decoded to UTF-8 block by block first, so
    /// byte offsets in errors count the decoded UTF-8 (plus the byte order mark), as
    /// [`read_csv`]'s do.
    pub fn new(mut options: ReadOptions) -> Result<CsvStream, ColumnarError> {
        let utf16 = (options.encoding == Encoding::Utf16).then(|| {
            options.encoding = Encoding::Utf8;
            Utf16Blocks::new(options.decode_errors)
        });
        let dialect = Dialect {
            strict: false,
            quoting: Quoting::Minimal,
            ..options.dialect.clone()
        };
        Ok(CsvStream {
            utf16,
            keep_types: true,
            seen: Vec::new(),
            rows_left: options.n_rows,
            options,
            dialect,
            carry: Vec::new(),
            header: None,
            started: false,
            bytes_before: 0,
            lines_before: 0,
        })
    }

    /// A stream for a typing pass: blocks keep their own inferred types, collected by
    /// [`widened`](CsvStream::widened).
    pub fn typing(options: ReadOptions) -> Result<CsvStream, ColumnarError> {
        let mut stream = CsvStream::new(options)?;
        stream.keep_types = false;
        Ok(stream)
    }

    /// The types every block pushed so far fits, as `dtypes` for a fixed-type stream: the
    /// join of the blocks' types, a column empty everywhere read as text.
    pub fn widened(&self) -> Vec<(ColumnRef, DType)> {
        self.seen
            .iter()
            .map(|(name, dtype)| {
                let dtype = if *dtype == DType::Null {
                    DType::String
                } else {
                    *dtype
                };
                (ColumnRef::Name(name.clone()), dtype)
            })
            .collect()
    }

    /// Whether `n_rows` records were read: later blocks would add nothing.
    pub fn is_done(&self) -> bool {
        self.rows_left == Some(0)
    }

    /// Adds a block; returns the table of the records it completes, if any.
    pub fn push(&mut self, block: &[u8], last: bool) -> Result<Option<Table>, ColumnarError> {
        let Some(utf16) = &mut self.utf16 else {
            return self.push_text(block, last);
        };
        match utf16.decode(block, last) {
            Ok(decoded) => {
                self.bytes_before += decoded.bom as u64;
                self.push_text(decoded.text.as_bytes(), last)
            }
            Err(bad) => {
                // Placed in the whole input: the lines before, then the text not yet read.
                let mut before = self.carry.clone();
                before.extend_from_slice(bad.before.as_bytes());
                let mut err = decode_error("utf-16", &before, bad.byte);
                err.shift(self.lines_before as i64, 0);
                Err(err)
            }
        }
    }

    fn push_text(&mut self, block: &[u8], last: bool) -> Result<Option<Table>, ColumnarError> {
        self.carry.extend_from_slice(block);
        if self.rows_left == Some(0) {
            self.carry.clear();
            return Ok(None);
        }
        let mut start = 0;
        if !self.started {
            let wanted = self.options.skip_rows + usize::from(self.options.has_header);
            let ends = record_ends(&self.carry, &self.dialect, wanted);
            let found = ends.iter().filter(|e| e.1).count();
            if found < wanted && !last {
                return Ok(None);
            }
            if self.options.has_header && found == wanted {
                let header_end = ends.last().map_or(0, |e| e.0);
                let before = ends.iter().rev().nth(1).map_or(0, |e| e.0);
                self.header = Some(self.carry[before..header_end].to_vec());
                start = header_end;
            } else {
                start = ends.last().map_or(0, |e| e.0);
            }
        }
        let cut = if last {
            self.carry.len()
        } else {
            let ends = record_ends(&self.carry[start..], &self.dialect, usize::MAX);
            start + ends.last().map_or(0, |e| e.0)
        };
        // Nothing new: no table, except the (empty) first one of a header-only input.
        if cut == start && (!last || self.started) {
            return Ok(None);
        }
        let mut text = Vec::with_capacity(cut + 64);
        let prefix = if self.started {
            self.header.as_deref().unwrap_or_default()
        } else {
            &[]
        };
        text.extend_from_slice(prefix);
        text.extend_from_slice(&self.carry[..cut]);
        let mut options = self.options.clone();
        options.n_rows = self.rows_left;
        if self.started {
            options.skip_rows = 0;
            if options.encoding == Encoding::Utf8Sig {
                options.encoding = Encoding::Utf8;
            }
        }
        let prefix_lines = line_count(prefix);
        let mut result = read_csv(&text, &options);
        if !self.started
            && self.keep_types
            && let Ok(table) = &result
            && table.dtypes().contains(&DType::Null)
        {
            // A column empty in the whole first block could hold anything later: read it as
            // text, so later blocks never fail on it and every table has one schema.
            options.dtypes = table
                .column_names()
                .into_iter()
                .zip(table.dtypes())
                .filter(|(_, dtype)| **dtype == DType::Null)
                .map(|(name, _)| (ColumnRef::Name(name.to_owned()), DType::String))
                .chain(options.dtypes.iter().cloned())
                .collect();
            result = read_csv(&text, &options);
        }
        let shift_bytes = self.bytes_before as i64 - prefix.len() as i64;
        let shift_lines = self.lines_before as i64 - prefix_lines as i64;
        let mut table = result.map_err(|mut e| {
            e.shift(shift_lines, shift_bytes);
            e
        })?;
        table.shift_bad_lines(shift_lines, shift_bytes);
        if !self.keep_types {
            self.join_types(&table);
            self.started = true;
        } else if !self.started {
            // Later blocks keep the first block's types.
            self.options.dtypes = table
                .column_names()
                .into_iter()
                .zip(table.dtypes())
                .map(|(name, dtype)| (ColumnRef::Name(name.to_owned()), *dtype))
                .collect();
            self.started = true;
        }
        if let Some(left) = &mut self.rows_left {
            *left -= table.num_rows().min(*left);
        }
        self.lines_before += line_count(&self.carry[..cut]);
        self.bytes_before += cut as u64;
        self.carry.drain(..cut);
        Ok(Some(table))
    }
}

impl CsvStream {
    fn join_types(&mut self, table: &Table) {
        let pairs = table.column_names().into_iter().zip(table.dtypes());
        if self.seen.is_empty() {
            self.seen = pairs.map(|(n, d)| (n.to_owned(), *d)).collect();
            return;
        }
        for ((_, seen), (_, dtype)) in self.seen.iter_mut().zip(pairs) {
            *seen = widen(*seen, *dtype);
        }
    }
}

/// The narrowest type that values of both `a` and `b` fit, as inference over both would give.
pub fn widen(a: DType, b: DType) -> DType {
    match (a, b) {
        _ if a == b => a,
        (DType::Null, other) | (other, DType::Null) => other,
        (DType::Int64, DType::Float64) | (DType::Float64, DType::Int64) => DType::Float64,
        (DType::Date, DType::Datetime) | (DType::Datetime, DType::Date) => DType::Datetime,
        _ => DType::String,
    }
}

/// Line ends in `text` (`\r\n` counted once).
fn line_count(text: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', text)
        .filter(|&i| !(text[i] == b'\r' && text.get(i + 1) == Some(&b'\n')))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columnar::ReadOptions;

    fn batches(text: &[u8], block: usize, options: ReadOptions) -> Vec<Table> {
        let mut stream = CsvStream::new(options).unwrap();
        let mut out = Vec::new();
        for piece in text.chunks(block) {
            out.extend(stream.push(piece, false).unwrap());
        }
        out.extend(stream.push(&[], true).unwrap());
        out
    }

    #[test]
    fn blocks_give_the_rows_of_one_read() {
        let mut text = String::from("skip\nid,note,x\n");
        for i in 0..500 {
            let x = if i < 300 { "" } else { "1.5" };
            text.push_str(&i.to_string());
            text.push_str(",\"a\nb,");
            text.push_str(&i.to_string());
            text.push_str("\",");
            text.push_str(x);
            text.push_str("\r\n");
        }
        let options = ReadOptions {
            skip_rows: 1,
            ..ReadOptions::default()
        };
        let whole = read_csv(text.as_bytes(), &options).unwrap();
        for block in [1, 7, 100, 5000, 100_000] {
            let tables = batches(text.as_bytes(), block, options.clone());
            let rows: usize = tables.iter().map(Table::num_rows).sum();
            assert_eq!(rows, 500, "block {block}");
            // An empty first block column becomes text for every table.
            let first = &tables[0];
            assert_eq!(first.dtypes()[0], DType::Int64);
            for table in &tables {
                assert_eq!(table.dtypes(), first.dtypes(), "block {block}");
                assert_eq!(table.column_names(), ["id", "note", "x"]);
            }
            let ids: Vec<i64> = tables
                .iter()
                .flat_map(|t| t.batches().iter())
                .flat_map(|b| {
                    arrow_array::cast::AsArray::as_primitive::<arrow_array::types::Int64Type>(
                        b.column(0),
                    )
                    .values()
                    .to_vec()
                })
                .collect();
            assert_eq!(ids, (0..500).collect::<Vec<_>>());
        }
        assert_eq!(whole.num_rows(), 500);
    }

    #[test]
    fn errors_name_their_place_in_the_whole_input() {
        let text = b"a,b\n1,2\n3,4\n5\n";
        let mut stream = CsvStream::new(ReadOptions::default()).unwrap();
        assert!(stream.push(&text[..9], false).unwrap().is_some());
        let err = stream.push(&text[9..], true).unwrap_err();
        let at = err.position().unwrap();
        assert_eq!((at.line, at.byte), (4, 12), "{err}");
    }

    #[test]
    fn a_typing_pass_gives_types_no_later_block_breaks() {
        let mut text = String::from("n,when,empty,flag\n");
        for i in 0..400 {
            let n = if i == 350 {
                "1.5".to_owned()
            } else {
                i.to_string()
            };
            let when = if i == 390 {
                "2024-01-02T03:04:05"
            } else {
                "2024-01-02"
            };
            let flag = if i == 399 { "maybe" } else { "true" };
            text += &[n.as_str(), when, "", flag].join(",");
            text.push('\n');
        }
        let mut typing = CsvStream::typing(ReadOptions::default()).unwrap();
        for piece in text.as_bytes().chunks(500) {
            typing.push(piece, false).unwrap();
        }
        typing.push(&[], true).unwrap();
        let dtypes = typing.widened();
        let kinds: Vec<DType> = dtypes.iter().map(|d| d.1).collect();
        assert_eq!(
            kinds,
            [
                DType::Float64,
                DType::Datetime,
                DType::String,
                DType::String
            ]
        );
        // The fixed-type pass no longer fails on row 350's 1.5.
        let fixed = ReadOptions {
            dtypes,
            ..ReadOptions::default()
        };
        let mut first_block_only = CsvStream::new(ReadOptions::default()).unwrap();
        let failed = text
            .as_bytes()
            .chunks(500)
            .any(|piece| first_block_only.push(piece, false).is_err());
        assert!(failed, "first-block types fail late");
        let tables = batches(text.as_bytes(), 500, fixed);
        assert!(tables.len() > 2);
        assert_eq!(tables.iter().map(Table::num_rows).sum::<usize>(), 400);
        for table in &tables {
            assert_eq!(table.dtypes(), kinds.as_slice());
        }
    }

    #[test]
    fn widen_is_inference_over_both() {
        use DType::{Bool, Date, Datetime, DatetimeTz, Float64, Int64, Null, String};
        assert_eq!(widen(Null, Int64), Int64);
        assert_eq!(widen(Int64, Float64), Float64);
        assert_eq!(widen(Datetime, Date), Datetime);
        assert_eq!(widen(Bool, Int64), String);
        assert_eq!(widen(DatetimeTz, Datetime), String);
        assert_eq!(widen(Date, Date), Date);
    }

    #[test]
    fn n_rows_stops_and_utf16_reads_like_one_read() {
        let options = ReadOptions {
            n_rows: Some(3),
            ..ReadOptions::default()
        };
        let tables = batches(b"a\n1\n2\n3\n4\n5\n", 4, options);
        assert_eq!(tables.iter().map(Table::num_rows).sum::<usize>(), 3);
        let utf16 = ReadOptions {
            encoding: Encoding::Utf16,
            ..ReadOptions::default()
        };
        let text = "n,s\n1,é\n2,\"𝄞\r\nx\"\n3,z\n";
        let mut input = vec![0xff, 0xfe];
        input.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let whole = read_csv(&input, &utf16).unwrap();
        for block in [1, 3, 8, 1000] {
            let tables = batches(&input, block, utf16.clone());
            assert_eq!(tables.iter().map(Table::num_rows).sum::<usize>(), 3);
            assert!(tables.iter().all(|t| t.dtypes() == whole.dtypes()));
        }
        // A bad unit is an error at its byte and line in the whole input.
        let mut bad = input.clone();
        bad.extend_from_slice(&[0x00, 0xdc]);
        let mut stream = CsvStream::new(utf16).unwrap();
        let err = bad
            .chunks(7)
            .find_map(|piece| stream.push(piece, false).err())
            .unwrap();
        let at = err.position().unwrap();
        assert_eq!((at.line, at.byte), (6, input.len() as u64), "{err}");
    }
}
