//! Inference and conversion in one pass over a chunk's column: each cell is parsed once, as the
//! narrowest type all cells so far fit, into that type's values. A cell that does not fit makes
//! the type wider and the (few) earlier cells are parsed again; only a chunk whose type turns
//! out narrower than the whole column's is converted a second time (in `read.rs`).

use std::sync::Arc;

use arrow_array::types::{Date32Type, Float64Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{ArrayRef, BooleanArray, PrimitiveArray};
use arrow_buffer::{BooleanBuffer, NullBuffer, ScalarBuffer};

use super::builders::{NullValues, cells};
use super::chunk::CellColumn;
use super::infer::{
    ColumnGuess, implied, parse_bool, parse_date, parse_datetime, parse_f64, parse_i64,
};
use super::options::DType;

/// The values of one typed column as they are parsed.
enum Values {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Date(Vec<i32>),
    Datetime(Vec<i64>),
    DatetimeTz(Vec<i64>),
}

impl Values {
    /// `None` for types not built here (null and string).
    fn new(dtype: DType, capacity: usize) -> Option<Values> {
        Some(match dtype {
            DType::Bool => Values::Bool(Vec::with_capacity(capacity)),
            DType::Int64 => Values::Int(Vec::with_capacity(capacity)),
            DType::Float64 => Values::Float(Vec::with_capacity(capacity)),
            DType::Date => Values::Date(Vec::with_capacity(capacity)),
            DType::Datetime => Values::Datetime(Vec::with_capacity(capacity)),
            DType::DatetimeTz => Values::DatetimeTz(Vec::with_capacity(capacity)),
            DType::Null | DType::String => return None,
        })
    }

    /// Parses and appends the cell; `false` if it does not fit.
    #[inline]
    fn push(&mut self, cell: &[u8]) -> bool {
        match self {
            Values::Bool(v) => parse_bool(cell).map(|x| v.push(x)).is_some(),
            Values::Int(v) => parse_i64(cell).map(|x| v.push(x)).is_some(),
            Values::Float(v) => parse_f64(cell).map(|x| v.push(x)).is_some(),
            Values::Date(v) => parse_date(cell).map(|x| v.push(x)).is_some(),
            Values::Datetime(v) => parse_datetime(cell)
                .and_then(|(x, tz)| (!tz).then(|| v.push(x)))
                .is_some(),
            Values::DatetimeTz(v) => parse_datetime(cell)
                .and_then(|(x, tz)| tz.then(|| v.push(x)))
                .is_some(),
        }
    }

    #[inline]
    fn push_null(&mut self) {
        match self {
            Values::Bool(v) => v.push(false),
            Values::Int(v) | Values::Datetime(v) | Values::DatetimeTz(v) => v.push(0),
            Values::Float(v) => v.push(0.0),
            Values::Date(v) => v.push(0),
        }
    }

    fn into_array(self, nulls: Option<NullBuffer>) -> ArrayRef {
        match self {
            Values::Bool(v) => Arc::new(BooleanArray::new(BooleanBuffer::from(v), nulls)),
            Values::Int(v) => Arc::new(PrimitiveArray::<Int64Type>::new(
                ScalarBuffer::from(v),
                nulls,
            )),
            Values::Float(v) => Arc::new(PrimitiveArray::<Float64Type>::new(
                ScalarBuffer::from(v),
                nulls,
            )),
            Values::Date(v) => Arc::new(PrimitiveArray::<Date32Type>::new(
                ScalarBuffer::from(v),
                nulls,
            )),
            Values::Datetime(v) => Arc::new(PrimitiveArray::<TimestampMicrosecondType>::new(
                ScalarBuffer::from(v),
                nulls,
            )),
            Values::DatetimeTz(v) => Arc::new(
                PrimitiveArray::<TimestampMicrosecondType>::new(ScalarBuffer::from(v), nulls)
                    .with_timezone("UTC"),
            ),
        }
    }
}

/// Appends cells from `start` on while they parse (an empty cell as a null), in a loop made
/// for one type; returns the row of the first cell that does not fit (or the row count).
/// Only for columns where the empty cell is the only null and no cell is missing; sets
/// `saw_null` at an empty cell.
#[inline]
fn run<T: Copy>(
    column: &impl CellColumn,
    start: usize,
    values: &mut Vec<T>,
    saw_null: &mut bool,
    null: T,
    parse: impl Fn(&[u8]) -> Option<T>,
) -> usize {
    let rows = column.rows();
    for row in start..rows {
        let cell = column.cell(row);
        if cell.is_empty() {
            *saw_null = true;
            values.push(null);
            continue;
        }
        match parse(cell) {
            Some(v) => values.push(v),
            None => return row,
        }
    }
    rows
}

impl Values {
    /// [`run`] for this type.
    fn extend_plain(
        &mut self,
        column: &impl CellColumn,
        start: usize,
        saw_null: &mut bool,
    ) -> usize {
        let s = saw_null;
        match self {
            Values::Bool(v) => run(column, start, v, s, false, parse_bool),
            Values::Int(v) => run(column, start, v, s, 0, parse_i64),
            Values::Float(v) => run(column, start, v, s, 0.0, parse_f64),
            Values::Date(v) => run(column, start, v, s, 0, parse_date),
            Values::Datetime(v) => run(column, start, v, s, 0, |c| {
                parse_datetime(c).and_then(|(x, tz)| (!tz).then_some(x))
            }),
            Values::DatetimeTz(v) => run(column, start, v, s, 0, |c| {
                parse_datetime(c).and_then(|(x, tz)| tz.then_some(x))
            }),
        }
    }
}

/// The chunk's guess for the column and, unless it is null or string, the column converted to
/// the guess's type.
pub(crate) fn infer_and_convert(
    column: &impl CellColumn,
    nulls: &NullValues,
) -> (ColumnGuess, Option<ArrayRef>) {
    let rows = column.rows();
    // Most columns: cells are read by a loop per type until one does not fit.
    let plain = column.missing().is_empty() && nulls.only_empty();
    let mut guess = ColumnGuess::default();
    let mut values: Option<Values> = None;
    let mut valid: Vec<bool> = Vec::with_capacity(rows);
    // Whether a null was met (for `plain` columns, whose nulls are then packed from the
    // offsets; most columns have none, and then no bitmap is made at all).
    let mut saw_null = false;
    let mut row = 0;
    while row < rows {
        if plain && let Some(v) = &mut values {
            row = v.extend_plain(column, row, &mut saw_null);
            if row == rows {
                break;
            }
        }
        let cell = if column.missing().binary_search(&row).is_ok() {
            None
        } else {
            Some(column.cell(row)).filter(|c| !nulls.is_null(c))
        };
        row += 1;
        if !plain {
            valid.push(cell.is_some());
        }
        let Some(cell) = cell else {
            saw_null = true;
            if let Some(v) = &mut values {
                v.push_null();
            }
            continue;
        };
        if let Some(v) = &mut values
            && v.push(cell)
        {
            continue;
        }
        // The first value, or one that does not fit: narrow the guess, then parse every
        // earlier cell again as the new type (they all fit it: it is wider).
        guess.observe_from(cell, implied(guess));
        let dtype = guess.dtype();
        values = Values::new(dtype, rows);
        let Some(v) = &mut values else {
            // String: nothing left to parse.
            return (guess, None);
        };
        for earlier in cells(column, nulls).take(row) {
            match earlier {
                Some(c) => {
                    let fits = v.push(c);
                    debug_assert!(fits, "a wider type reads every cell the narrower one did");
                }
                None => v.push_null(),
            }
        }
    }
    let valid = if !saw_null {
        None
    } else if plain {
        // The empty cells are the nulls: the offsets tell them, packed straight into bits
        // (no flag per cell while parsing).
        let bits = BooleanBuffer::collect_bool(rows, |i| !column.is_empty_cell(i));
        Some(NullBuffer::new(bits)).filter(|n| n.null_count() > 0)
    } else {
        valid.contains(&false).then(|| NullBuffer::from(valid))
    };
    (guess, values.map(|v| v.into_array(valid)))
}

#[cfg(test)]
mod tests {
    use arrow_array::Array;

    use super::*;
    use crate::columnar::builders::build;
    use crate::columnar::chunk::RawColumn;

    fn raw(cells: &[&str]) -> RawColumn {
        RawColumn::of(cells, &[])
    }

    /// Every ordering of mixed cells: the one-pass guess equals the every-candidate guess, and
    /// the one-pass array equals the array built for that type afterwards.
    #[test]
    fn one_pass_matches_the_reference() {
        let pool = [
            "",
            "1",
            "-7",
            "1.5",
            "nan",
            "true",
            "FALSE",
            "2024-01-02",
            "2024-01-02T03:04",
            "2024-01-02 03:04:05Z",
            "x",
            "99999999999999999999",
        ];
        let nulls = NullValues::new(&[String::new()]);
        let mut state = 1u64;
        for _ in 0..3000 {
            let len = 1 + (state >> 60) as usize;
            let cells: Vec<&str> = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    pool[(state >> 33) as usize % pool.len()]
                })
                .collect();
            let column = raw(&cells);
            let mut reference = ColumnGuess::default();
            for cell in cells.iter().filter(|c| !c.is_empty()) {
                reference.observe(cell.as_bytes());
            }
            let (guess, array) = infer_and_convert(&column, &nulls);
            assert_eq!(guess.dtype(), reference.dtype(), "{cells:?}");
            if let Some(array) = array {
                let expected = build(column.clone(), guess.dtype(), &nulls).ok().unwrap();
                assert_eq!(array.to_data(), expected.to_data(), "{cells:?}");
            }
            // The general path (missing cells, other null values) gives the same.
            let mut padded = column.clone();
            padded.offsets.push(*padded.offsets.last().unwrap());
            padded.missing.push(cells.len());
            let other = NullValues::new(&[String::new(), "NA".to_owned()]);
            let (guess2, array2) = infer_and_convert(&padded, &other);
            assert_eq!(guess2.dtype(), guess.dtype(), "{cells:?}");
            if let Some(array2) = array2 {
                let expected = build(padded, guess2.dtype(), &other).ok().unwrap();
                assert_eq!(array2.to_data(), expected.to_data(), "{cells:?}");
                assert!(array2.is_null(cells.len()));
            }
        }
    }
}
