//! `read_csv`: decode, read the header, parse slices in parallel, infer, convert.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arrow_array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{Field, Schema};

use crate::{Dialect, Parser, Quoting};

use super::builders::{NullValues, build};
use super::chunk::{Layout, RawChunk, parse_parallel, parse_slice};
use super::convert::infer_and_convert;
use super::decode::decode;
use super::error::{ColumnarError, ColumnarErrorKind, Position};
use super::infer::ColumnGuess;
use super::options::{BadLines, ColumnRef, DType, ReadOptions};
use super::scan::{line_and_column, line_end, line_numbers};
use super::table::{Table, arrow_type};

/// Reads CSV `input` into a [`Table`] of typed columns.
#[expect(
    clippy::too_many_lines,
    reason = "one straight pipeline; its steps are the functions below"
)]
pub fn read_csv(input: &[u8], options: &ReadOptions) -> Result<Table, ColumnarError> {
    let decoded = decode(input, options.encoding, options.decode_errors)?;
    let text: &[u8] = &decoded.text;
    let shift = decoded.skipped as u64;
    let locate = |byte: usize, column: u64| {
        let (line, _) = line_and_column(text, byte);
        Position {
            line,
            column,
            byte: byte as u64 + shift,
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
        columns: selected.len(),
        ragged: options.ragged,
        bad_lines: options.on_bad_lines,
    };
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let chunk_size = options.chunk_size.clamp(1, 1 << 30);
    let never = AtomicBool::new(false);
    let cancel = options.cancel.as_deref().unwrap_or(&never);
    let chunks = if options.n_rows.is_some() {
        vec![parse_slice(
            text,
            &dialect,
            &layout,
            body,
            text.len(),
            options.n_rows,
        )]
    } else {
        parse_parallel(text, &dialect, &layout, body, chunk_size, threads, cancel)
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(ColumnarErrorKind::Cancelled.into());
    }

    let mut bad_lines = Vec::new();
    for chunk in &chunks {
        if let Some((bad, cause)) = &chunk.error {
            let mut bad = bad.clone();
            bad.at = locate(bad.at.byte as usize, bad.at.column);
            return Err(ColumnarError::from_bad_line(bad, *cause));
        }
        bad_lines.extend(chunk.bad.iter().cloned());
    }
    let offsets: Vec<usize> = bad_lines.iter().map(|b| b.at.byte as usize).collect();
    for (bad, line) in bad_lines.iter_mut().zip(line_numbers(text, &offsets)) {
        bad.at.line = line;
        bad.at.byte += shift;
    }

    let nulls = NullValues::new(&options.null_values);
    let (dtypes, locals) = decide_types(&chunks, &given, &nulls, options.infer_types, threads);
    let schema = Arc::new(Schema::new(
        out_names
            .iter()
            .zip(&dtypes)
            .map(|(name, &dtype)| Field::new(name, arrow_type(dtype), true))
            .collect::<Vec<_>>(),
    ));
    let built = convert(chunks, locals, &dtypes, &nulls, &schema, threads, cancel);
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

/// Each chunk's guess per column, with the column already converted to that guess's type.
type Local = Vec<(ColumnGuess, Option<ArrayRef>)>;

fn decide_types(
    chunks: &[RawChunk],
    given: &[Option<DType>],
    nulls: &NullValues,
    infer: bool,
    threads: usize,
) -> (Vec<DType>, Vec<Local>) {
    let locals = par_map(chunks.iter().collect(), threads, |chunk: &RawChunk| {
        chunk
            .columns
            .iter()
            .zip(given)
            .map(|(column, given)| {
                if given.is_none() && infer {
                    infer_and_convert(column, nulls)
                } else {
                    (ColumnGuess::default(), None)
                }
            })
            .collect::<Vec<_>>()
    });
    let dtypes = given
        .iter()
        .enumerate()
        .map(|(c, given)| {
            given.unwrap_or_else(|| {
                if infer {
                    locals
                        .iter()
                        .fold(ColumnGuess::default(), |acc, local| acc.merge(local[c].0))
                        .dtype()
                } else {
                    DType::String
                }
            })
        })
        .collect();
    (dtypes, locals)
}

/// A cell that failed its given type: its record's byte offset, output column and text.
type Failure = (usize, usize, String);

fn convert(
    chunks: Vec<RawChunk>,
    locals: Vec<Local>,
    dtypes: &[DType],
    nulls: &NullValues,
    schema: &Arc<Schema>,
    threads: usize,
    cancel: &AtomicBool,
) -> Vec<Result<Option<RecordBatch>, Failure>> {
    let work: Vec<(RawChunk, Local)> = chunks.into_iter().zip(locals).collect();
    par_map(work, threads, |(chunk, local): (RawChunk, Local)| {
        if chunk.rows == 0 || cancel.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(dtypes.len());
        let mut first_failure: Option<Failure> = None;
        let columns = chunk.columns.into_iter().zip(local);
        for (out, ((column, (guess, done)), &dtype)) in columns.zip(dtypes).enumerate() {
            if let Some(array) = done
                && guess.dtype() == dtype
            {
                arrays.push(array);
                continue;
            }
            match build(column, dtype, nulls) {
                Ok(array) => arrays.push(array),
                Err(failure) => {
                    let byte = chunk.row_starts[failure.row];
                    if first_failure.as_ref().is_none_or(|f| byte < f.0) {
                        first_failure = Some((byte, out, failure.value));
                    }
                }
            }
        }
        if let Some(failure) = first_failure {
            return Err(failure);
        }
        let options = RecordBatchOptions::new().with_row_count(Some(chunk.rows));
        Ok(Some(
            RecordBatch::try_new_with_options(schema.clone(), arrays, &options)
                .expect("every column has the chunk's row count and the schema's type"),
        ))
    })
}
