//! `Table`: the columnar reader's result, exported through the Arrow `PyCapsule` interface and
//! convertible to Python lists or `NumPy` arrays without `pyarrow`.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::ffi::FFI_ArrowSchema;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::{Date32Type, Float64Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch, RecordBatchIterator};
use ferrule_csv::columnar::{self, DType};
use pyo3::exceptions::{PyIndexError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList};

/// Days from 0001-01-01 (ordinal 1) to 1970-01-01.
const EPOCH_ORDINAL: i64 = 719_163;

#[pyclass(frozen, module = "ferrule.csv._native")]
pub(crate) struct Table {
    inner: Arc<columnar::Table>,
}

impl Table {
    pub(crate) fn new(inner: columnar::Table) -> Table {
        Table {
            inner: Arc::new(inner),
        }
    }

    fn column_index(&self, column: &Bound<'_, PyAny>) -> PyResult<usize> {
        let count = self.inner.schema().fields().len();
        if let Ok(index) = column.extract::<isize>() {
            let resolved = if index < 0 {
                index + count as isize
            } else {
                index
            };
            return usize::try_from(resolved)
                .ok()
                .filter(|&i| i < count)
                .ok_or_else(|| PyIndexError::new_err(format!("no column {index}")));
        }
        let name: String = column.extract()?;
        self.inner
            .column_names()
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| PyKeyError::new_err(name))
    }

    fn chunks(&self, index: usize) -> impl Iterator<Item = &Arc<dyn Array>> {
        self.inner.batches().iter().map(move |b| b.column(index))
    }
}

/// Python values of one column, nulls as `None`.
fn column_values<'py>(
    py: Python<'py>,
    dtype: DType,
    arrays: impl Iterator<Item = &'py Arc<dyn Array>>,
    rows: usize,
) -> PyResult<Bound<'py, PyList>> {
    let datetime = py.import("datetime")?;
    let timedelta = datetime.getattr("timedelta")?;
    let epoch_naive = datetime.getattr("datetime")?.call1((1970, 1, 1))?;
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let epoch_utc = datetime
        .getattr("datetime")?
        .call1((1970, 1, 1, 0, 0, 0, 0, utc))?;
    let from_ordinal = datetime.getattr("date")?.getattr("fromordinal")?;
    let mut out: Vec<Bound<'py, PyAny>> = Vec::with_capacity(rows);
    let none = py.None().into_bound(py);
    for array in arrays {
        for i in 0..array.len() {
            if array.is_null(i) {
                out.push(none.clone());
                continue;
            }
            let value = match dtype {
                DType::Null => none.clone(),
                DType::Bool => array
                    .as_boolean()
                    .value(i)
                    .into_pyobject(py)?
                    .to_owned()
                    .into_any(),
                DType::Int64 => array
                    .as_primitive::<Int64Type>()
                    .value(i)
                    .into_pyobject(py)?
                    .into_any(),
                DType::Float64 => array
                    .as_primitive::<Float64Type>()
                    .value(i)
                    .into_pyobject(py)?
                    .into_any(),
                DType::Date => {
                    let days = i64::from(array.as_primitive::<Date32Type>().value(i));
                    from_ordinal.call1((days + EPOCH_ORDINAL,))?
                }
                DType::Datetime | DType::DatetimeTz => {
                    let micros = array.as_primitive::<TimestampMicrosecondType>().value(i);
                    let delta = timedelta.call1((0, 0, micros))?;
                    let epoch = if dtype == DType::Datetime {
                        &epoch_naive
                    } else {
                        &epoch_utc
                    };
                    epoch.call_method1("__add__", (delta,))?
                }
                DType::String => array
                    .as_string::<i32>()
                    .value(i)
                    .into_pyobject(py)?
                    .into_any(),
            };
            out.push(value);
        }
    }
    PyList::new(py, out)
}

#[pymethods]
impl Table {
    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.inner.num_rows()
    }

    /// The number of columns.
    #[getter]
    fn num_columns(&self) -> usize {
        self.inner.schema().fields().len()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.inner
            .column_names()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// Each column's name and type name, in order.
    #[getter]
    fn schema<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, dtype) in self
            .inner
            .column_names()
            .into_iter()
            .zip(self.inner.dtypes())
        {
            dict.set_item(name, dtype.name())?;
        }
        Ok(dict)
    }

    fn __len__(&self) -> usize {
        self.inner.num_rows()
    }

    fn __repr__(&self) -> String {
        let columns: Vec<String> = self
            .inner
            .column_names()
            .into_iter()
            .zip(self.inner.dtypes())
            .map(|(name, dtype)| format!("{name}: {}", dtype.name()))
            .collect();
        let shown = if columns.len() > 8 {
            format!(
                "{}, ... ({} more)",
                columns[..8].join(", "),
                columns.len() - 8
            )
        } else {
            columns.join(", ")
        };
        format!(
            "<Table {} rows x {} columns: {shown}>",
            self.inner.num_rows(),
            columns.len()
        )
    }

    /// The table as a dict of column name to list of Python values.
    fn to_pydict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let rows = self.inner.num_rows();
        for (index, (name, dtype)) in self
            .inner
            .column_names()
            .into_iter()
            .zip(self.inner.dtypes())
            .enumerate()
        {
            dict.set_item(name, column_values(py, *dtype, self.chunks(index), rows)?)?;
        }
        Ok(dict)
    }

    /// One column as a `NumPy` array (masked where values are missing).
    fn to_numpy<'py>(
        &self,
        py: Python<'py>,
        column: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let index = self.column_index(column)?;
        let dtype = self.inner.dtypes()[index];
        let np = py.import("numpy")?;
        let rows = self.inner.num_rows();
        let mut mask: Vec<bool> = Vec::with_capacity(rows);
        for array in self.chunks(index) {
            mask.extend((0..array.len()).map(|i| array.is_null(i)));
        }
        let mut raw: Vec<u8> = Vec::new();
        let np_dtype = match dtype {
            DType::Null | DType::String => {
                let values = column_values(py, dtype, self.chunks(index), rows)?;
                let kwargs = PyDict::new(py);
                kwargs.set_item("dtype", "object")?;
                let out = np.call_method("empty", (rows,), Some(&kwargs))?;
                out.call_method1("__setitem__", (pyo3::types::PySlice::full(py), values))?;
                return Ok(out);
            }
            DType::Bool => {
                for array in self.chunks(index) {
                    raw.extend(array.as_boolean().values().iter().map(u8::from));
                }
                "bool"
            }
            DType::Int64 => {
                for array in self.chunks(index) {
                    for v in array.as_primitive::<Int64Type>().values() {
                        raw.extend_from_slice(&v.to_ne_bytes());
                    }
                }
                "int64"
            }
            DType::Float64 => {
                for array in self.chunks(index) {
                    for v in array.as_primitive::<Float64Type>().values() {
                        raw.extend_from_slice(&v.to_ne_bytes());
                    }
                }
                "float64"
            }
            DType::Date => {
                for array in self.chunks(index) {
                    for v in array.as_primitive::<Date32Type>().values() {
                        raw.extend_from_slice(&i64::from(*v).to_ne_bytes());
                    }
                }
                "datetime64[D]"
            }
            DType::Datetime | DType::DatetimeTz => {
                for array in self.chunks(index) {
                    for v in array.as_primitive::<TimestampMicrosecondType>().values() {
                        raw.extend_from_slice(&v.to_ne_bytes());
                    }
                }
                "datetime64[us]"
            }
        };
        let buffer = pyo3::types::PyByteArray::new(py, &raw);
        let data = np.call_method1("frombuffer", (buffer, np_dtype))?;
        if !mask.contains(&true) {
            return Ok(data);
        }
        let kwargs = PyDict::new(py);
        kwargs.set_item("mask", mask)?;
        np.getattr("ma")?
            .call_method("masked_array", (data,), Some(&kwargs))
    }

    /// The Arrow `PyCapsule` interface: the schema as an `arrow_schema` capsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.inner.schema().as_ref())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }

    /// The Arrow `PyCapsule` interface: the record batches as an `arrow_array_stream` capsule.
    /// `requested_schema` is accepted and ignored, as the protocol allows.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let table = Arc::clone(&self.inner);
        let batches: Vec<RecordBatch> = table.batches().to_vec();
        let reader =
            RecordBatchIterator::new(batches.into_iter().map(Ok), Arc::clone(table.schema()));
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }
}
