//! `read_csv`: decode, read the header, parse slices in parallel, infer, convert.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arrow_array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{Field, Schema};

use crate::{Dialect, Parser, Quoting};

use super::builders::{NullValues, build};
use super::chunk::{
    BadLine, ErrorCause, Layout, RawChunk, RawColumn, Slice, parity_quote, parse_parallel,
    parse_slice,
};
use super::convert::infer_and_convert;
use super::decode::decode_on;
use super::error::{ColumnarError, ColumnarErrorKind, Position};
use super::infer::ColumnGuess;
use super::mapped::trim_free_memory;
use super::options::{BadLines, ColumnRef, DType, ReadOptions};
use super::scan::{line_and_column, line_end, line_numbers};
use super::table::{Table, arrow_type};

/// Reads CSV `input` into a [`Table`] of typed columns.
pub fn read_csv(input: &[u8], options: &ReadOptions) -> Result<Table, ColumnarError> {
    read_csv_releasing(input, options, &|_| {})
}

/// [`read_csv`], calling `release` with each range of `input` that the read no longer needs
/// (it may still read it again, for an error's line number or a slice parsed twice): a
/// memory-mapped file drops those pages, so that the input is never resident all at once.
#[expect(
    clippy::too_many_lines,
    reason = "one straight pipeline; its steps are the functions below"
)]
pub(crate) fn read_csv_releasing(
    input: &[u8],
    options: &ReadOptions,
    release: &(dyn Fn(Range<usize>) + Sync),
) -> Result<Table, ColumnarError> {
    trim_free_memory(input.len());
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let (decoded, parity) = decode_on(
        input,
        options.encoding,
        options.decode_errors,
        threads,
        parity_quote(&options.dialect),
    )?;
    // Offsets in `text` are offsets in `input` only when the text is borrowed from it.
    let release_text = |range: Range<usize>| {
        if let Cow::Borrowed(_) = decoded.text {
            release(range.start + decoded.skipped..range.end + decoded.skipped);
        }
    };
    if let Cow::Owned(_) = decoded.text {
        release(0..input.len());
    }
    let text: &[u8] = &decoded.text;
    let locate = |byte: usize, column: u64| {
        let (line, _) = line_and_column(text, byte);
        Position {
            line,
            column,
            byte: decoded.original_offset(byte),
        }
    };
    let dialect = Dialect {
        strict: false,
        quoting: Quoting::Minimal,
        ..options.dialect.clone()
    };
    let Some(first) = first_record(text, &dialect, options.skip_rows)? else {
        return Ok(empty_table(Vec::new(), options));
    };
    let first = match (first, &options.schema) {
        (First::Record { fields, start, .. }, Some(schema)) if fields.len() != schema.len() => {
            return Err(ColumnarErrorKind::Option(format!(
                "the schema names {} columns but the first record (line {}) has {}",
                schema.len(),
                line_and_column(text, start).0,
                fields.len()
            ))
            .into());
        }
        (first, _) => first,
    };
    let (names, body) = match first {
        First::Record { fields, start, end } => {
            if options.has_header {
                (unique_names(fields), end)
            } else {
                let names = (1..=fields.len()).map(|i| format!("column_{i}")).collect();
                (names, start)
            }
        }
        First::Unclosed { start } => {
            if options.on_bad_lines == BadLines::Error {
                return Err(ColumnarErrorKind::UnclosedQuote {
                    at: locate(start, 1),
                }
                .into());
            }
            return Ok(empty_table(Vec::new(), options));
        }
    };
    let names = match &options.schema {
        Some(schema) => schema.iter().map(|(name, _)| name.clone()).collect(),
        None => names,
    };
    let width = names.len();
    let selected = select(&names, options.columns.as_deref())?;
    let mut projection = vec![None; width];
    for (out, &field) in selected.iter().enumerate() {
        projection[field] = Some(out);
    }
    let mut given: Vec<Option<DType>> = match &options.schema {
        Some(schema) => selected.iter().map(|&f| Some(schema[f].1)).collect(),
        None => vec![None; selected.len()],
    };
    for (column, dtype) in &options.dtypes {
        let field = resolve(&names, column)?;
        if let Some(out) = projection[field] {
            given[out] = Some(*dtype);
        }
    }
    let out_names: Vec<String> = selected.iter().map(|&f| names[f].clone()).collect();
    let layout = Layout {
        width,
        projection,
        in_order: selected.len() == width && selected.iter().enumerate().all(|(i, &f)| i == f),
        columns: selected.len(),
        ragged: options.ragged,
        bad_lines: options.on_bad_lines,
    };
    let chunk_size = options.chunk_size.clamp(1, 1 << 30);
    let never = AtomicBool::new(false);
    let cancel = options.cancel.as_deref().unwrap_or(&never);
    let nulls = NullValues::new(&options.null_values);
    let finish = |chunk: RawChunk| {
        let slice = finish_slice(chunk, text, &given, &nulls, options.infer_types, cancel);
        release_text(slice.start..slice.end);
        slice
    };
    let slices = if options.n_rows.is_some() {
        vec![finish(parse_slice(
            text,
            &dialect,
            &layout,
            body,
            text.len(),
            options.n_rows,
        ))]
    } else {
        parse_parallel(
            text,
            &dialect,
            &layout,
            body,
            chunk_size,
            threads,
            cancel,
            parity.as_ref(),
            &finish,
        )
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(ColumnarErrorKind::Cancelled.into());
    }

    let mut bad_lines = Vec::new();
    for slice in &slices {
        if let Some((bad, cause)) = &slice.error {
            let mut bad = bad.clone();
            bad.at = locate(bad.at.byte as usize, bad.at.column);
            return Err(ColumnarError::from_bad_line(bad, *cause));
        }
        bad_lines.extend(slice.bad.iter().cloned());
    }
    let offsets: Vec<usize> = bad_lines.iter().map(|b| b.at.byte as usize).collect();
    let lines = line_numbers(text, &offsets);
    for ((bad, line), byte) in bad_lines
        .iter_mut()
        .zip(lines)
        .zip(decoded.original_offsets(&offsets))
    {
        bad.at.line = line;
        bad.at.byte = byte;
    }

    let dtypes = decide_types(&slices, &given, options.infer_types);
    let schema = Arc::new(Schema::new(
        out_names
            .iter()
            .zip(&dtypes)
            .map(|(name, &dtype)| Field::new(name, arrow_type(dtype), true))
            .collect::<Vec<_>>(),
    ));
    let reparse = |slice: &Finished| {
        let columns = parse_slice(
            text,
            &dialect,
            &layout,
            slice.start,
            slice.end,
            options.n_rows,
        )
        .to_raw(text);
        release_text(slice.start..slice.end);
        columns
    };
    let built = convert(slices, &dtypes, &nulls, &schema, threads, cancel, &reparse);
    if cancel.load(Ordering::Relaxed) {
        return Err(ColumnarErrorKind::Cancelled.into());
    }
    let mut batches = Vec::with_capacity(built.len());
    for result in built {
        match result {
            Ok(Some(batch)) => batches.push(batch),
            Ok(None) => {}
            Err((byte, out, value)) => {
                let field = selected[out];
                return Err(ColumnarErrorKind::Cast {
                    value,
                    column_name: out_names[out].clone(),
                    dtype: dtypes[out].name(),
                    at: locate(byte, field as u64 + 1),
                }
                .into());
            }
        }
    }
    Ok(Table {
        schema,
        dtypes,
        batches,
        bad_lines,
    })
}

/// The first record after the skipped ones.
enum First {
    Record {
        fields: Vec<String>,
        start: usize,
        end: usize,
    },
    /// The input ends inside it.
    Unclosed { start: usize },
}

fn first_record(
    text: &[u8],
    dialect: &Dialect,
    skip: usize,
) -> Result<Option<First>, ColumnarError> {
    let mut parser = Parser::new(dialect, usize::MAX);
    let mut pos = 0;
    let mut start = 0;
    let mut skipped = 0;
    while pos < text.len() {
        let end = line_end(text, pos);
        let done = parser
            .feed_line_bytes(&text[pos..end])
            .map_err(|e| ColumnarErrorKind::Option(e.to_string()))?;
        pos = end;
        if !done {
            continue;
        }
        let record = parser.record();
        if record.is_empty() || skipped < skip {
            skipped += usize::from(!record.is_empty());
            start = pos;
            continue;
        }
        let fields = record
            .iter()
            .map(|f| String::from_utf8_lossy(f.bytes).into_owned())
            .collect();
        return Ok(Some(First::Record {
            fields,
            start,
            end: pos,
        }));
    }
    Ok((start < text.len()).then_some(First::Unclosed { start }))
}

fn empty_table(names: Vec<String>, options: &ReadOptions) -> Table {
    // An empty input has the columns of a given schema (a header-only one already does).
    let (names, dtypes) = if let (Some(schema), true) = (&options.schema, names.is_empty()) {
        schema.iter().cloned().unzip()
    } else {
        let dtypes = vec![DType::Null; names.len()];
        (names, dtypes)
    };
    let schema = Arc::new(Schema::new(
        names
            .iter()
            .zip(&dtypes)
            .map(|(n, d)| Field::new(n, arrow_type(*d), true))
            .collect::<Vec<_>>(),
    ));
    Table {
        schema,
        dtypes,
        batches: Vec::new(),
        bad_lines: Vec::new(),
    }
}

/// Header names made usable: an empty name becomes `column_<n>`, a repeated one gets `_1`,
/// `_2`... until it is unique.
fn unique_names(raw: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(raw.len());
    let mut out = Vec::with_capacity(raw.len());
    for (i, name) in raw.into_iter().enumerate() {
        let base = if name.is_empty() {
            format!("column_{}", i + 1)
        } else {
            name
        };
        let mut candidate = base.clone();
        let mut n = 0;
        while seen.contains(&candidate) {
            n += 1;
            candidate = format!("{base}_{n}");
        }
        seen.insert(candidate.clone());
        out.push(candidate);
    }
    out
}

fn resolve(names: &[String], column: &ColumnRef) -> Result<usize, ColumnarError> {
    match column {
        ColumnRef::Index(i) if *i < names.len() => Ok(*i),
        ColumnRef::Index(i) => Err(ColumnarErrorKind::UnknownColumn {
            column: i.to_string(),
        }
        .into()),
        ColumnRef::Name(name) => names.iter().position(|n| n == name).ok_or_else(|| {
            ColumnarErrorKind::UnknownColumn {
                column: format!("{name:?}"),
            }
            .into()
        }),
    }
}

fn select(names: &[String], columns: Option<&[ColumnRef]>) -> Result<Vec<usize>, ColumnarError> {
    let Some(columns) = columns else {
        return Ok((0..names.len()).collect());
    };
    let mut selected = Vec::with_capacity(columns.len());
    for column in columns {
        let field = resolve(names, column)?;
        if selected.contains(&field) {
            return Err(ColumnarErrorKind::Option(format!(
                "column {:?} selected twice",
                names[field]
            ))
            .into());
        }
        selected.push(field);
    }
    Ok(selected)
}

/// Runs `f` over every item on up to `threads` threads, keeping the order.
fn par_map<T: Send, R: Send>(items: Vec<T>, threads: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 {
        return items.into_iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut groups: Vec<Vec<T>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        groups.push(items.by_ref().take(per).collect());
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .into_iter()
            .map(|group| scope.spawn(move || group.into_iter().map(f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a conversion thread panicked"))
            .collect()
    })
}

/// A slice's column once its worker is done with it.
enum Column {
    /// Converted to the type its cells suggested (their text freed).
    Typed(ColumnGuess, ArrayRef),
    /// Kept as text: string or all-null cells, or no inference.
    Raw(ColumnGuess, RawColumn),
    /// Built to its given type.
    Built(ArrayRef),
}

/// A slice's records with its columns converted as far as its own cells allow.
struct Finished {
    start: usize,
    end: usize,
    rows: usize,
    columns: Vec<Column>,
    bad: Vec<BadLine>,
    error: Option<(BadLine, ErrorCause)>,
    /// The first cell that failed its given type.
    failure: Option<Failure>,
}

impl Slice for Finished {
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

/// A cell that failed its given type: its record's byte offset, output column and text.
type Failure = (usize, usize, String);

/// Converts a freshly parsed slice: given types are built, the others inferred from the slice's
/// own cells and converted in the same pass. Only string columns keep their text (it becomes
/// the string array as it is), so the raw cells of all slices never exist at once.
fn finish_slice(
    mut chunk: RawChunk,
    text: &[u8],
    given: &[Option<DType>],
    nulls: &NullValues,
    infer: bool,
    cancel: &AtomicBool,
) -> Finished {
    let (start, end, rows) = (chunk.start, chunk.end, chunk.rows);
    let bad = std::mem::take(&mut chunk.bad);
    let error = chunk.error.take();
    let mut failure: Option<Failure> = None;
    let mut columns = Vec::with_capacity(chunk.columns.len());
    let skip = error.is_some() || rows == 0 || cancel.load(Ordering::Relaxed);
    // Each column's spans are freed once it is converted, so that a slice never holds all
    // of its spans and all of its arrays at once (on a wide file, each is about the size of
    // the slice's text).
    let span_columns = std::mem::take(&mut chunk.columns);
    // A string column whose text is the side buffer as it is (taken once the others are done).
    let mut side_column = None;
    for ((out, given), column) in given.iter().enumerate().zip(span_columns) {
        let cells = chunk.cells_of(text, &column);
        if skip {
            columns.push(Column::Raw(ColumnGuess::default(), cells.to_raw()));
            continue;
        }
        columns.push(match given {
            Some(dtype) => match build(cells.to_raw(), *dtype, nulls) {
                Ok(array) => Column::Built(array),
                Err(cast) => {
                    let byte = chunk.row_starts[cast.row];
                    if failure.as_ref().is_none_or(|f| byte < f.0) {
                        failure = Some((byte, out, cast.value));
                    }
                    Column::Raw(ColumnGuess::default(), RawColumn::default())
                }
            },
            None if infer => match infer_and_convert(&cells, nulls) {
                (guess, Some(array)) => Column::Typed(guess, array),
                (guess, None) if side_column.is_none() && chunk.side_is(&column) => {
                    side_column = Some((out, column));
                    Column::Raw(guess, RawColumn::default())
                }
                (guess, None) => Column::Raw(guess, cells.to_raw()),
            },
            None => Column::Raw(ColumnGuess::default(), cells.to_raw()),
        });
    }
    if let Some((out, column)) = side_column
        && let Column::Raw(_, raw) = &mut columns[out]
    {
        *raw = chunk.take_side(&column);
    }
    Finished {
        start,
        end,
        rows,
        columns,
        bad,
        error,
        failure,
    }
}

fn decide_types(slices: &[Finished], given: &[Option<DType>], infer: bool) -> Vec<DType> {
    given
        .iter()
        .enumerate()
        .map(|(c, given)| {
            given.unwrap_or_else(|| {
                if infer {
                    slices
                        .iter()
                        .fold(ColumnGuess::default(), |acc, slice| {
                            match &slice.columns[c] {
                                Column::Typed(guess, _) | Column::Raw(guess, _) => {
                                    acc.merge(*guess)
                                }
                                Column::Built(_) => acc,
                            }
                        })
                        .dtype()
                } else {
                    DType::String
                }
            })
        })
        .collect()
}

fn convert(
    slices: Vec<Finished>,
    dtypes: &[DType],
    nulls: &NullValues,
    schema: &Arc<Schema>,
    threads: usize,
    cancel: &AtomicBool,
    reparse: &(dyn Fn(&Finished) -> Vec<RawColumn> + Sync),
) -> Vec<Result<Option<RecordBatch>, Failure>> {
    par_map(slices, threads, |mut slice: Finished| {
        if let Some(failure) = slice.failure.take() {
            return Err(failure);
        }
        if slice.rows == 0 || cancel.load(Ordering::Relaxed) {
            return Ok(None);
        }
        // A column converted to a narrower type than the whole file's needs its text again:
        // rare (a column whose slices disagree), so the slice is parsed again rather than
        // every slice keeping its text.
        let stale = slice.columns.iter().zip(dtypes).any(
            |(column, &dtype)| matches!(column, Column::Typed(guess, _) if guess.dtype() != dtype),
        );
        let mut again = stale.then(|| reparse(&slice).into_iter().map(Some).collect::<Vec<_>>());
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(dtypes.len());
        let mut first_failure: Option<Failure> = None;
        for (out, (column, &dtype)) in slice.columns.into_iter().zip(dtypes).enumerate() {
            let raw = match column {
                Column::Built(array) => {
                    arrays.push(array);
                    continue;
                }
                Column::Typed(guess, array) if guess.dtype() == dtype => {
                    arrays.push(array);
                    continue;
                }
                Column::Typed(..) => again
                    .as_mut()
                    .and_then(|columns| columns[out].take())
                    .expect("a stale column's slice was parsed again"),
                Column::Raw(_, raw) => raw,
            };
            match build(raw, dtype, nulls) {
                Ok(array) => arrays.push(array),
                Err(failure) => {
                    // Not expected: every cell here fits the merged type (a wider one than
                    // the slice's own, or any type for all-null cells); an error, not a panic.
                    if first_failure.is_none() {
                        first_failure = Some((slice.start, out, failure.value));
                    }
                }
            }
        }
        if let Some(failure) = first_failure {
            return Err(failure);
        }
        let options = RecordBatchOptions::new().with_row_count(Some(slice.rows));
        Ok(Some(
            RecordBatch::try_new_with_options(schema.clone(), arrays, &options)
                .expect("every column has the slice's row count and the schema's type"),
        ))
    })
}
