//! The result of a read: an Arrow schema and record batches (one per parsed slice).

use arrow_array::RecordBatch;
use arrow_schema::{DataType, SchemaRef, TimeUnit};

use super::chunk::BadLine;
use super::options::DType;

/// A table of typed columns, as Arrow record batches sharing one schema.
#[derive(Clone, Debug)]
pub struct Table {
    pub(crate) schema: SchemaRef,
    pub(crate) dtypes: Vec<DType>,
    pub(crate) batches: Vec<RecordBatch>,
    pub(crate) bad_lines: Vec<BadLine>,
}

impl Table {
    /// The Arrow schema: one nullable field per column.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The record batches, in input order; none when there are no rows.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// The type of each column.
    pub fn dtypes(&self) -> &[DType] {
        &self.dtypes
    }

    /// The number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect()
    }

    /// Records dropped under [`BadLines::Report`](super::BadLines::Report).
    pub fn bad_lines(&self) -> &[BadLine] {
        &self.bad_lines
    }

    pub(crate) fn shift_bad_lines(&mut self, lines: i64, bytes: i64) {
        for bad in &mut self.bad_lines {
            bad.at.shift(lines, bytes);
        }
    }

    /// Takes the batches out, leaving the table without rows.
    pub fn into_batches(self) -> (SchemaRef, Vec<RecordBatch>) {
        (self.schema, self.batches)
    }
}

/// The Arrow type a column of `dtype` is stored as.
pub fn arrow_type(dtype: DType) -> DataType {
    match dtype {
        DType::Null => DataType::Null,
        DType::Bool => DataType::Boolean,
        DType::Int64 => DataType::Int64,
        DType::Float64 => DataType::Float64,
        DType::Date => DataType::Date32,
        DType::Datetime => DataType::Timestamp(TimeUnit::Microsecond, None),
        DType::DatetimeTz => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        DType::String => DataType::Utf8,
    }
}
