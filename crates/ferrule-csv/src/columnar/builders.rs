//! Turning a chunk's raw column into a typed Arrow array. String columns hand their buffers
//! to Arrow as they are; the other types parse each cell with the parsers inference used.

use std::sync::Arc;

use arrow_array::types::{Date32Type, Float64Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{ArrayRef, BooleanArray, NullArray, PrimitiveArray, StringArray};
use arrow_buffer::{BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};

use super::chunk::{CellColumn, RawColumn};
use super::infer::{parse_bool, parse_date, parse_datetime, parse_f64, parse_i64};
use super::options::DType;

/// The cell texts that mean null.
#[derive(Clone, Debug)]
pub(crate) struct NullValues {
    empty: bool,
    others: Vec<Vec<u8>>,
}

impl NullValues {
    pub(crate) fn new(values: &[String]) -> NullValues {
        NullValues {
            empty: values.iter().any(String::is_empty),
            others: values
                .iter()
                .filter(|v| !v.is_empty())
                .map(|v| v.as_bytes().to_vec())
                .collect(),
        }
    }

    /// Whether the empty cell is the only null value.
    pub(crate) fn only_empty(&self) -> bool {
        self.empty && self.others.is_empty()
    }

    #[inline]
    pub(crate) fn is_null(&self, cell: &[u8]) -> bool {
        if cell.is_empty() {
            self.empty
        } else {
            !self.others.is_empty() && self.others.iter().any(|v| v == cell)
        }
    }
}

/// Iterates the cells of a column as `None` for nulls (missing or a null value).
pub(crate) fn cells<'a, C: CellColumn>(
    column: &'a C,
    nulls: &'a NullValues,
) -> impl Iterator<Item = Option<&'a [u8]>> + 'a {
    let rows = column.rows();
    let mut missing = column.missing().iter().peekable();
    (0..rows).map(move |row| {
        if missing.peek() == Some(&&row) {
            missing.next();
            return None;
        }
        let cell = column.cell(row);
        if nulls.is_null(cell) {
            None
        } else {
            Some(cell)
        }
    })
}

/// A cell that does not fit the column's type: its row and text.
pub(crate) struct CastFailure {
    pub(crate) row: usize,
    pub(crate) value: String,
}

fn primitive<T, F>(
    column: &RawColumn,
    nulls: &NullValues,
    parse: F,
) -> Result<(Vec<T>, Option<NullBuffer>), CastFailure>
where
    T: Default + Copy,
    F: Fn(&[u8]) -> Option<T>,
{
    let rows = column.offsets.len() - 1;
    let mut values = Vec::with_capacity(rows);
    let mut valid = Vec::with_capacity(rows);
    let mut any_null = false;
    for (row, cell) in cells(column, nulls).enumerate() {
        match cell {
            None => {
                any_null = true;
                values.push(T::default());
                valid.push(false);
            }
            Some(cell) => match parse(cell) {
                Some(v) => {
                    values.push(v);
                    valid.push(true);
                }
                None => {
                    return Err(CastFailure {
                        row,
                        value: String::from_utf8_lossy(cell).into_owned(),
                    });
                }
            },
        }
    }
    let nulls = any_null.then(|| NullBuffer::from(valid));
    Ok((values, nulls))
}

/// The column as an array of `dtype`.
pub(crate) fn build(
    column: RawColumn,
    dtype: DType,
    nulls: &NullValues,
) -> Result<ArrayRef, CastFailure> {
    let rows = column.offsets.len() - 1;
    Ok(match dtype {
        DType::Null => {
            if let Some((row, cell)) = cells(&column, nulls)
                .enumerate()
                .find_map(|(r, c)| c.map(|c| (r, c)))
            {
                return Err(CastFailure {
                    row,
                    value: String::from_utf8_lossy(cell).into_owned(),
                });
            }
            Arc::new(NullArray::new(rows))
        }
        DType::Bool => {
            let (values, nulls) = primitive(&column, nulls, parse_bool)?;
            Arc::new(BooleanArray::new(BooleanBuffer::from(values), nulls))
        }
        DType::Int64 => {
            let (values, nulls) = primitive(&column, nulls, parse_i64)?;
            Arc::new(PrimitiveArray::<Int64Type>::new(
                ScalarBuffer::from(values),
                nulls,
            ))
        }
        DType::Float64 => {
            let (values, nulls) = primitive(&column, nulls, parse_f64)?;
            Arc::new(PrimitiveArray::<Float64Type>::new(
                ScalarBuffer::from(values),
                nulls,
            ))
        }
        DType::Date => {
            let (values, nulls) = primitive(&column, nulls, parse_date)?;
            Arc::new(PrimitiveArray::<Date32Type>::new(
                ScalarBuffer::from(values),
                nulls,
            ))
        }
        DType::Datetime | DType::DatetimeTz => {
            let want_tz = dtype == DType::DatetimeTz;
            let (values, nulls) = primitive(&column, nulls, |cell| {
                parse_datetime(cell).and_then(|(v, tz)| (tz == want_tz).then_some(v))
            })?;
            let array =
                PrimitiveArray::<TimestampMicrosecondType>::new(ScalarBuffer::from(values), nulls);
            Arc::new(if want_tz {
                array.with_timezone("UTC")
            } else {
                array
            })
        }
        DType::String => {
            let valid: Option<NullBuffer> = if !column.maybe_empty && nulls.only_empty() {
                // No cell is empty or missing: no nulls, and no scan for them.
                None
            } else if nulls.only_empty() {
                // A missing cell is empty too: the offsets alone tell the nulls, packed
                // straight into bits (no per-cell flags, no null-value comparisons).
                let offsets = &column.offsets;
                let bits = BooleanBuffer::collect_bool(rows, |i| offsets[i] != offsets[i + 1]);
                Some(NullBuffer::new(bits)).filter(|n| n.null_count() > 0)
            } else {
                let flags: Vec<bool> = cells(&column, nulls).map(|c| c.is_some()).collect();
                flags.contains(&false).then(|| NullBuffer::from(flags))
            };
            let RawColumn { data, offsets, .. } = column;
            debug_assert!(std::str::from_utf8(&data).is_ok());
            let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
            // SAFETY: the offsets start at 0 and never decrease (each is the data's length
            // after a cell was added) and end at the data's length; the data is UTF-8 and
            // split between characters: `decode` checked (or made) the whole input UTF-8,
            // and records are split only at ASCII bytes (the fast paths) or between
            // characters (the state machine). `try_new` would check every byte again, about
            // an instruction per byte of text.
            let array =
                unsafe { StringArray::new_unchecked(offsets, Buffer::from_vec(data), valid) };
            Arc::new(array)
        }
    })
}

#[cfg(test)]
mod tests {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;

    use super::*;

    fn raw(cells: &[&str], missing: &[usize]) -> RawColumn {
        RawColumn::of(cells, missing)
    }

    #[test]
    fn ints_keep_nulls() {
        let nulls = NullValues::new(&[String::new(), "NA".to_owned()]);
        let array = build(raw(&["1", "", "NA", "4", "5"], &[4]), DType::Int64, &nulls)
            .ok()
            .unwrap();
        let ints = array.as_primitive::<Int64Type>();
        assert_eq!(ints.null_count(), 3);
        assert_eq!(ints.value(0), 1);
        assert_eq!(ints.value(3), 4);
        assert!(ints.is_null(4));
    }

    #[test]
    fn strings_are_zero_copy_with_nulls() {
        let nulls = NullValues::new(&[String::new()]);
        let array = build(raw(&["a", "", "é"], &[]), DType::String, &nulls)
            .ok()
            .unwrap();
        let strings = array.as_string::<i32>();
        assert_eq!(strings.value(0), "a");
        assert!(strings.is_null(1));
        assert_eq!(strings.value(2), "é");
    }

    #[test]
    fn a_cell_of_the_wrong_type_names_its_row() {
        let nulls = NullValues::new(&[String::new()]);
        let failure = build(raw(&["1", "x"], &[]), DType::Int64, &nulls)
            .err()
            .unwrap();
        assert_eq!((failure.row, failure.value.as_str()), (1, "x"));
        let failure = build(raw(&["2024-01-01T00:00Z"], &[]), DType::Datetime, &nulls)
            .err()
            .unwrap();
        assert_eq!(failure.row, 0);
    }
}
