//! The common dialect's writer: each cell formatted straight into the output, its quoting
//! decided by a byte-class table, without the row writer's per-field record building.
//!
//! It holds for `QUOTE_MINIMAL` with an ASCII delimiter and quote, quotes doubled, no escape
//! character and an ASCII line terminator, and for records of at least two fields (a lone
//! empty field has its own rule). There the row writer quotes a field exactly when it holds
//! the delimiter, the quote or a line terminator byte, and doubles its quotes; the tests hold
//! this to it.

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use arrow_buffer::NullBuffer;
use arrow_schema::DataType;

use crate::dialect::StopTable;
use crate::{Dialect, Quoting};

/// The dialect's bytes, when it is one this writer handles.
pub(crate) struct Minimal {
    delimiter: u8,
    quote: u8,
    terminator: Vec<u8>,
    /// The bytes that make a field quoted, scanned eight at a time.
    special: StopTable,
    /// Whether numbers and dates (digits, `-`, `.`, `e`) can hold none of them, as with
    /// every usual dialect: they are then copied without a scan.
    numbers_plain: bool,
}

impl Minimal {
    pub(crate) fn new(dialect: &Dialect) -> Option<Minimal> {
        let ascii = |c: char| u8::try_from(c).ok().filter(u8::is_ascii);
        if dialect.quoting != Quoting::Minimal
            || dialect.escapechar.is_some()
            || !dialect.doublequote
            || !dialect.lineterminator.is_ascii()
        {
            return None;
        }
        let delimiter = ascii(dialect.delimiter)?;
        let quote = ascii(dialect.quotechar?)?;
        let specials = || {
            [delimiter, quote]
                .into_iter()
                .chain(dialect.lineterminator.bytes())
        };
        Some(Minimal {
            delimiter,
            quote,
            terminator: dialect.lineterminator.as_bytes().to_vec(),
            special: StopTable::new(specials().map(char::from)),
            numbers_plain: specials().all(|b| !b"0123456789-.e".contains(&b)),
        })
    }

    /// A number or a date, whose text is digits, `-`, `.` and `e`.
    #[inline]
    fn number(&self, out: &mut Vec<u8>, text: &[u8]) {
        if self.numbers_plain {
            out.extend_from_slice(text);
        } else {
            self.field(out, text);
        }
    }

    #[inline]
    fn field(&self, out: &mut Vec<u8>, text: &[u8]) {
        if self.special.scan(text, 0) == text.len() {
            out.extend_from_slice(text);
            return;
        }
        out.push(self.quote);
        for piece in text.split_inclusive(|&b| b == self.quote) {
            out.extend_from_slice(piece);
            if piece.last() == Some(&self.quote) {
                out.push(self.quote);
            }
        }
        out.push(self.quote);
    }

    /// A cell through the row writer's general formatting (arrow's display), `text` reused
    /// as scratch space.
    fn general(&self, out: &mut Vec<u8>, array: &dyn Array, row: usize, text: &mut String) {
        text.clear();
        super::write::format_cell(array, row, text);
        self.field(out, text.as_bytes());
    }

    /// Appends the batch's rows; `false` (nothing written) for a batch of fewer than two
    /// columns, which the row writer's rules handle.
    pub(crate) fn write(&self, batch: &RecordBatch, out: &mut Vec<u8>) -> bool {
        if batch.num_columns() < 2 {
            return false;
        }
        let columns: Vec<Column<'_>> = batch.columns().iter().map(Column::of).collect();
        // About what the values take as text, so that `out` grows a few times at most.
        out.reserve(batch.num_rows() * columns.len() * 8);
        let mut other = String::new();
        for row in 0..batch.num_rows() {
            for (i, column) in columns.iter().enumerate() {
                if i > 0 {
                    out.push(self.delimiter);
                }
                if column.nulls.is_some_and(|n| n.is_null(row)) {
                    continue;
                }
                match column.kind {
                    Kind::Null => {}
                    Kind::Bool(a) => self.field(out, if a.value(row) { b"true" } else { b"false" }),
                    Kind::I64(a) => {
                        self.number(out, itoa::Buffer::new().format(a.value(row)).as_bytes());
                    }
                    Kind::F64(a) => {
                        let v = a.value(row);
                        if v.is_finite() {
                            let mut buf = ryu::Buffer::new();
                            self.number(out, buf.format_finite(v).as_bytes());
                        } else {
                            self.general(out, column.array, row, &mut other);
                        }
                    }
                    Kind::Utf8(a) => self.field(out, a.value(row).as_bytes()),
                    Kind::Date32(a) => {
                        if let Some(text) = ymd(a.value(row)) {
                            self.number(out, &text);
                        } else {
                            self.general(out, column.array, row, &mut other);
                        }
                    }
                    Kind::Other => self.general(out, column.array, row, &mut other),
                }
            }
            out.extend_from_slice(&self.terminator);
        }
        true
    }
}

/// A column downcast once per batch.
struct Column<'a> {
    array: &'a dyn Array,
    nulls: Option<&'a NullBuffer>,
    kind: Kind<'a>,
}

/// A column's type, downcast once per batch so that each cell only matches a small enum.
pub(super) enum Kind<'a> {
    Null,
    Bool(&'a arrow_array::BooleanArray),
    I64(&'a arrow_array::Int64Array),
    F64(&'a arrow_array::Float64Array),
    Utf8(&'a arrow_array::StringArray),
    Date32(&'a arrow_array::Date32Array),
    /// Every other supported type, formatted cell by cell through arrow's display.
    Other,
}

impl<'a> Kind<'a> {
    pub(super) fn of(array: &'a dyn Array) -> Kind<'a> {
        match array.data_type() {
            DataType::Null => Kind::Null,
            DataType::Boolean => Kind::Bool(array.as_boolean()),
            DataType::Int64 => Kind::I64(array.as_primitive()),
            DataType::Float64 => Kind::F64(array.as_primitive()),
            DataType::Utf8 => Kind::Utf8(array.as_string()),
            DataType::Date32 => Kind::Date32(array.as_primitive()),
            _ => Kind::Other,
        }
    }
}

impl<'a> Column<'a> {
    fn of(array: &'a arrow_array::ArrayRef) -> Column<'a> {
        let array = array.as_ref();
        Column {
            array,
            nulls: array.nulls(),
            kind: Kind::of(array),
        }
    }
}

/// `YYYY-MM-DD` for a day count whose year is in 0..=9999 (the others are formatted by the
/// general path), written with two-digit steps rather than digit by digit.
#[inline]
fn ymd(days: i32) -> Option<[u8; 10]> {
    let (year, month, day) = super::write::civil_from_days(i64::from(days));
    let year = u32::try_from(year).ok().filter(|&y| y < 10_000)?;
    let two = |v: u32| {
        // `v` < 100: both digits fit a byte.
        let v = v as u8;
        [b'0' + v / 10, b'0' + v % 10]
    };
    let [y0, y1] = two(year / 100);
    let [y2, y3] = two(year % 100);
    let [m0, m1] = two(month);
    let [d0, d1] = two(day);
    Some([y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1])
}

#[cfg(test)]
#[expect(
    clippy::from_iter_instead_of_collect,
    reason = "the array type reads first"
)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{
        ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, NullArray, StringArray,
        TimestampMicrosecondArray,
    };

    use super::*;

    /// Every kind of cell the fast writer handles: each special byte, nulls, non-finite
    /// floats, dates out of the four-digit years, timestamps (through the general formatter).
    fn sample_batch() -> RecordBatch {
        let strings = [
            "",
            "a",
            "a,b",
            "a;b",
            "\"",
            "say \"hi\"",
            "x\ny",
            "x\ry",
            "x\r\ny",
            "'q'",
            "é",
            "|",
            " lead",
            "trail ",
        ];
        let rows = strings.len();
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter(
                strings
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (i != 3).then_some(*s)),
            )),
            Arc::new(Int64Array::from_iter(
                (0..rows).map(|i| (i % 4 != 1).then_some(i as i64 * -7_919 + 3)),
            )),
            Arc::new(Float64Array::from_iter((0..rows).map(|i| {
                [1.5, f64::NAN, f64::INFINITY, -0.0, 1e300, 0.1][i % 6]
            }))),
            Arc::new(Date32Array::from_iter((0..rows).map(|i| {
                (i % 5 != 2).then_some([-719_162, -1_000_000, 0, 2_932_896, 19_000][i % 5])
            }))),
            Arc::new(BooleanArray::from_iter(
                (0..rows).map(|i| (i % 3 != 0).then_some(i % 2 == 0)),
            )),
            Arc::new(NullArray::new(rows)),
            Arc::new(TimestampMicrosecondArray::from_iter(
                (0..rows).map(|i| (i % 2 == 0).then_some(i as i64 * 1_000_001)),
            )),
        ];
        RecordBatch::try_from_iter(
            columns
                .into_iter()
                .enumerate()
                .map(|(i, c)| (format!("c{i}"), c)),
        )
        .unwrap()
    }

    /// The fast writer gives the row writer's bytes for every dialect it accepts, on cells
    /// holding each special byte, nulls, non-finite floats and out-of-range dates.
    #[test]
    fn writes_what_the_row_writer_writes() {
        let batch = sample_batch();
        let dialects = [
            Dialect::default(),
            Dialect {
                lineterminator: "\n".into(),
                ..Dialect::default()
            },
            Dialect {
                delimiter: ';',
                quotechar: Some('\''),
                lineterminator: "|".into(),
                ..Dialect::default()
            },
            Dialect {
                delimiter: '-',
                quotechar: Some('.'),
                ..Dialect::default()
            },
        ];
        for dialect in &dialects {
            let minimal = Minimal::new(dialect).unwrap();
            let mut fast = Vec::new();
            assert!(minimal.write(&batch, &mut fast));
            let mut slow = Vec::new();
            super::super::write::write_batch_rows(&batch, dialect, &mut slow).unwrap();
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(slow).unwrap(),
                "{dialect:?}"
            );
        }
        let one =
            RecordBatch::try_from_iter([("s", Arc::new(StringArray::from(vec![""])) as ArrayRef)])
                .unwrap();
        assert!(
            !Minimal::new(&Dialect::default())
                .unwrap()
                .write(&one, &mut Vec::new())
        );
        for other in [
            Dialect {
                quoting: Quoting::All,
                ..Dialect::default()
            },
            Dialect {
                escapechar: Some('\\'),
                ..Dialect::default()
            },
            Dialect {
                doublequote: false,
                ..Dialect::default()
            },
            Dialect {
                delimiter: 'é',
                ..Dialect::default()
            },
        ] {
            assert!(Minimal::new(&other).is_none(), "{other:?}");
        }
    }

    #[test]
    fn dates_in_two_digit_steps() {
        for days in [-719_162, -1, 0, 1, 11_017, 2_932_896] {
            let mut general = String::new();
            super::super::write::format_cell(
                &Date32Array::from(vec![days]) as &dyn Array,
                0,
                &mut general,
            );
            assert_eq!(ymd(days).map(|d| d.to_vec()), Some(general.into_bytes()));
        }
        assert_eq!(ymd(-1_000_000), None);
        assert_eq!(ymd(2_932_897), None);
    }
}
