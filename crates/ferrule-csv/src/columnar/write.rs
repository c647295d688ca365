//! Writing Arrow record batches as CSV through the row writer's quoting rules.

use std::fmt::Write as _;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Schema, TimeUnit};

use crate::{Dialect, Quoting, Writer};

use super::error::{ColumnarError, ColumnarErrorKind};
use super::format::{Kind, Minimal};

/// Writes a header record of the schema's field names.
pub fn write_header(
    schema: &Schema,
    dialect: &Dialect,
    out: &mut Vec<u8>,
) -> Result<(), ColumnarError> {
    let mut writer = Writer::new(dialect);
    let quoted = matches!(dialect.quoting, Quoting::All | Quoting::NonNumeric);
    for field in schema.fields() {
        writer
            .push_field(Some(field.name()), quoted)
            .map_err(option_error)?;
    }
    writer.end_record(out).map_err(option_error)
}

/// Appends every row of `batch` to `out`: nulls as empty fields, floats in their shortest
/// round-trip form (`1.0`, `1e20`, `NaN`, `inf`), dates as `YYYY-MM-DD`, timestamps in ISO 8601
/// (with `Z` when the type has a time zone, the values being UTC).
pub fn write_batch(
    batch: &RecordBatch,
    dialect: &Dialect,
    out: &mut Vec<u8>,
) -> Result<(), ColumnarError> {
    for field in batch.schema().fields() {
        check_supported(field.data_type())?;
    }
    if let Some(minimal) = Minimal::new(dialect)
        && minimal.write(batch, out)
    {
        return Ok(());
    }
    write_batch_rows(batch, dialect, out)
}

/// [`write_batch`] through the row writer, for every dialect.
pub(crate) fn write_batch_rows(
    batch: &RecordBatch,
    dialect: &Dialect,
    out: &mut Vec<u8>,
) -> Result<(), ColumnarError> {
    // What the row writer quotes regardless of content: everything under QUOTE_ALL, all but
    // numbers under QUOTE_NONNUMERIC, where nulls are quoted as the stdlib quotes `None`.
    let quote_nulls = matches!(dialect.quoting, Quoting::All | Quoting::NonNumeric);
    let quoted: Vec<bool> = batch
        .columns()
        .iter()
        .map(|c| match dialect.quoting {
            Quoting::All => true,
            Quoting::NonNumeric => !c.data_type().is_numeric(),
            Quoting::Minimal | Quoting::None => false,
        })
        .collect();
    let columns: Vec<Cells<'_>> = batch.columns().iter().map(Cells::of).collect();
    let mut writer = Writer::new(dialect);
    let mut cell = String::new();
    for row in 0..batch.num_rows() {
        for (column, &quoted) in columns.iter().zip(&quoted) {
            if column.array.is_null(row) || matches!(column.kind, Kind::Null) {
                writer.push_field(None, quote_nulls).map_err(option_error)?;
                continue;
            }
            cell.clear();
            column.format(row, &mut cell);
            writer
                .push_field(Some(&cell), quoted)
                .map_err(option_error)?;
        }
        writer.end_record(out).map_err(option_error)?;
    }
    Ok(())
}

/// Rows per piece when [`write_batches`] splits the batches between threads.
const ROWS_PER_PIECE: usize = 64 * 1024;

/// Appends every row of every batch to `out`, as [`write_batch`] does, formatting pieces of
/// about 64 Ki rows on up to `threads` threads (0: one per core) and appending them in order.
pub fn write_batches(
    batches: &[RecordBatch],
    dialect: &Dialect,
    out: &mut Vec<u8>,
    threads: usize,
) -> Result<(), ColumnarError> {
    let mut pieces = Vec::new();
    for batch in batches {
        let mut offset = 0;
        while offset < batch.num_rows() {
            let len = ROWS_PER_PIECE.min(batch.num_rows() - offset);
            pieces.push(batch.slice(offset, len));
            offset += len;
        }
    }
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
    .clamp(1, pieces.len().max(1));
    if threads == 1 {
        for piece in &pieces {
            write_batch(piece, dialect, out)?;
        }
        return Ok(());
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut written: Vec<Option<Result<Vec<u8>, ColumnarError>>> =
        (0..pieces.len()).map(|_| None).collect();
    let done = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(piece) = pieces.get(i) else {
                            break mine;
                        };
                        let mut buf = Vec::new();
                        let result = write_batch(piece, dialect, &mut buf).map(|()| buf);
                        mine.push((i, result));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a writing thread panicked"))
            .collect::<Vec<_>>()
    });
    for (i, result) in done {
        written[i] = Some(result);
    }
    out.reserve(
        written
            .iter()
            .map(|w| w.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len))
            .sum(),
    );
    for result in written.into_iter().flatten() {
        out.extend_from_slice(&result?);
    }
    Ok(())
}

/// A column downcast once per batch, so that each cell only matches a small enum.
struct Cells<'a> {
    array: &'a dyn Array,
    kind: Kind<'a>,
}

impl<'a> Cells<'a> {
    fn of(array: &'a arrow_array::ArrayRef) -> Cells<'a> {
        let array = array.as_ref();
        Cells {
            array,
            kind: Kind::of(array),
        }
    }

    #[inline]
    fn format(&self, i: usize, cell: &mut String) {
        match self.kind {
            Kind::Null => {}
            Kind::Bool(a) => cell.push_str(if a.value(i) { "true" } else { "false" }),
            Kind::I64(a) => int(cell, a.value(i)),
            Kind::F64(a) => float(cell, a.value(i)),
            Kind::Utf8(a) => cell.push_str(a.value(i)),
            Kind::Date32(a) => date(cell, i64::from(a.value(i))),
            Kind::Other => format_cell(self.array, i, cell),
        }
    }
}

fn option_error(e: crate::Error) -> ColumnarError {
    ColumnarErrorKind::Write(e.to_string()).into()
}

fn check_supported(dtype: &DataType) -> Result<(), ColumnarError> {
    match dtype {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float16
        | DataType::Float32
        | DataType::Float64
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Date32
        | DataType::Date64
        | DataType::Timestamp(_, _) => Ok(()),
        other => {
            Err(ColumnarErrorKind::Option(format!("cannot write a column of type {other}")).into())
        }
    }
}

/// The shortest text that reads back as the same float (`ryu`), `NaN`, `inf` or `-inf`.
fn float(cell: &mut String, v: f64) {
    if v.is_finite() {
        cell.push_str(ryu::Buffer::new().format_finite(v));
    } else if v.is_nan() {
        cell.push_str("NaN");
    } else if v > 0.0 {
        cell.push_str("inf");
    } else {
        cell.push_str("-inf");
    }
}

/// `value` in exactly `width` digits (`value` < 10^`width`).
fn digits(cell: &mut String, value: u32, width: u32) {
    let mut p = 10u32.pow(width - 1);
    while p > 0 {
        cell.push(char::from(b'0' + (value / p % 10) as u8));
        p /= 10;
    }
}

fn int(cell: &mut String, v: impl itoa::Integer) {
    cell.push_str(itoa::Buffer::new().format(v));
}

pub(crate) fn format_cell(array: &dyn Array, i: usize, cell: &mut String) {
    match array.data_type() {
        DataType::Boolean => cell.push_str(if array.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        DataType::Int8 => int(cell, array.as_primitive::<Int8Type>().value(i)),
        DataType::Int16 => int(cell, array.as_primitive::<Int16Type>().value(i)),
        DataType::Int32 => int(cell, array.as_primitive::<Int32Type>().value(i)),
        DataType::Int64 => int(cell, array.as_primitive::<Int64Type>().value(i)),
        DataType::UInt8 => int(cell, array.as_primitive::<UInt8Type>().value(i)),
        DataType::UInt16 => int(cell, array.as_primitive::<UInt16Type>().value(i)),
        DataType::UInt32 => int(cell, array.as_primitive::<UInt32Type>().value(i)),
        DataType::UInt64 => int(cell, array.as_primitive::<UInt64Type>().value(i)),
        DataType::Float16 => float(
            cell,
            f64::from(f32::from(array.as_primitive::<Float16Type>().value(i))),
        ),
        DataType::Float32 => {
            let v = array.as_primitive::<Float32Type>().value(i);
            if v.is_finite() {
                cell.push_str(ryu::Buffer::new().format_finite(v));
            } else {
                float(cell, f64::from(v));
            }
        }
        DataType::Float64 => float(cell, array.as_primitive::<Float64Type>().value(i)),
        DataType::Utf8 => cell.push_str(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => cell.push_str(array.as_string::<i64>().value(i)),
        DataType::Utf8View => cell.push_str(array.as_string_view().value(i)),
        DataType::Date32 => date(cell, i64::from(array.as_primitive::<Date32Type>().value(i))),
        DataType::Date64 => date(
            cell,
            array
                .as_primitive::<Date64Type>()
                .value(i)
                .div_euclid(86_400_000),
        ),
        DataType::Timestamp(unit, tz) => {
            let (value, per_second) = match unit {
                TimeUnit::Second => (
                    i128::from(array.as_primitive::<TimestampSecondType>().value(i)),
                    1,
                ),
                TimeUnit::Millisecond => (
                    i128::from(array.as_primitive::<TimestampMillisecondType>().value(i)),
                    1_000,
                ),
                TimeUnit::Microsecond => (
                    i128::from(array.as_primitive::<TimestampMicrosecondType>().value(i)),
                    1_000_000,
                ),
                TimeUnit::Nanosecond => (
                    i128::from(array.as_primitive::<TimestampNanosecondType>().value(i)),
                    1_000_000_000,
                ),
            };
            let seconds = value.div_euclid(per_second) as i64;
            let nanos = (value.rem_euclid(per_second) * (1_000_000_000 / per_second)) as u32;
            timestamp(cell, seconds, nanos);
            if tz.is_some() {
                cell.push('Z');
            }
        }
        _ => {}
    }
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn date(cell: &mut String, days: i64) {
    let (y, m, d) = civil_from_days(days);
    match u32::try_from(y) {
        Ok(y) if y < 10_000 => digits(cell, y, 4),
        // Outside 0..=9999 (only from other producers' dates): signed and unpadded.
        _ => {
            let _ = write!(cell, "{y}");
        }
    }
    cell.push('-');
    digits(cell, m, 2);
    cell.push('-');
    digits(cell, d, 2);
}

fn timestamp(cell: &mut String, seconds: i64, nanos: u32) {
    date(cell, seconds.div_euclid(86_400));
    let secs = seconds.rem_euclid(86_400);
    let secs = secs as u32;
    cell.push('T');
    digits(cell, secs / 3600, 2);
    cell.push(':');
    digits(cell, secs / 60 % 60, 2);
    cell.push(':');
    digits(cell, secs % 60, 2);
    if nanos % 1000 != 0 {
        let _ = write!(cell, ".{nanos:09}");
    } else if nanos != 0 {
        let _ = write!(cell, ".{:06}", nanos / 1000);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ReadOptions, read_csv};
    use super::*;

    #[test]
    fn dates_round_trip_through_the_civil_calendar() {
        for days in [-719_162, -1, 0, 1, 11_017, 2_932_896] {
            let mut cell = String::new();
            date(&mut cell, days);
            let parsed = super::super::infer::parse_date(cell.as_bytes());
            assert_eq!(parsed.map(i64::from), Some(days), "{cell}");
        }
    }

    /// Pieces written on several threads join into what one thread writes.
    #[test]
    fn batches_written_in_parallel_pieces_match_one_thread() {
        let mut text = String::from("i,f,s,d\n");
        for i in 0..150_000 {
            writeln!(
                text,
                "{i},{}.25,\"a,{i}\",2024-01-{:02}",
                i % 13,
                i % 28 + 1
            )
            .unwrap();
        }
        let table = read_csv(text.as_bytes(), &ReadOptions::default()).unwrap();
        let dialect = Dialect::default();
        let mut one = Vec::new();
        for batch in table.batches() {
            write_batch(batch, &dialect, &mut one).unwrap();
        }
        let mut many = Vec::new();
        write_batches(table.batches(), &dialect, &mut many, 3).unwrap();
        assert_eq!(one, many);
        assert!(one.starts_with(b"0,0.25,\"a,0\",2024-01-01\r\n"));
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let text = "i,f,b,d,ts,tz,s,n\n\
                    1,1.5,true,2024-02-29,2024-01-01T10:00:00.25,2024-01-01T10:00:00Z,\"a,\"\"b\"\"\",\n\
                    ,1e300,false,,,,\"x\ny\",\n\
                    -3,-0.0,,1969-12-31,1960-01-01T00:00:00.000001,,z,\n";
        let table = read_csv(text.as_bytes(), &ReadOptions::default()).unwrap();
        let dialect = Dialect {
            lineterminator: "\n".into(),
            ..Dialect::default()
        };
        let mut out = Vec::new();
        write_header(table.schema(), &dialect, &mut out).unwrap();
        for batch in table.batches() {
            write_batch(batch, &dialect, &mut out).unwrap();
        }
        let again = read_csv(&out, &ReadOptions::default()).unwrap();
        assert_eq!(again.dtypes(), table.dtypes());
        assert_eq!(again.batches(), table.batches());
        assert!(String::from_utf8(out).unwrap().starts_with(
            "i,f,b,d,ts,tz,s,n\n1,1.5,true,2024-02-29,2024-01-01T10:00:00.250000,2024-01-01T10:00:00Z,\"a,\"\"b\"\"\",\n"
        ));
    }
}
