//! `write_csv`: any Arrow stream exporter (`__arrow_c_stream__`) to CSV, formatted with the GIL
//! released.

use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{RecordBatch, RecordBatchReader};
use ferrule_csv::{Dialect, Quoting, columnar};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyString};

use crate::columnar::one_char;
use crate::errors::read_error;

/// The record batches of `data`'s Arrow stream, imported without copying.
fn import_stream(data: &Bound<'_, PyAny>) -> PyResult<(arrow_schema::SchemaRef, Vec<RecordBatch>)> {
    let py = data.py();
    if !data.hasattr(pyo3::intern!(py, "__arrow_c_stream__"))? {
        return Err(PyTypeError::new_err(format!(
            "data must export the Arrow PyCapsule stream interface (__arrow_c_stream__), \
             which {} does not",
            data.get_type().name()?
        )));
    }
    let capsule = data.call_method0(pyo3::intern!(py, "__arrow_c_stream__"))?;
    let capsule = capsule.cast::<PyCapsule>()?;
    let pointer = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
    // SAFETY: a capsule named "arrow_array_stream" holds a valid `ArrowArrayStream` (the
    // protocol's contract, checked by name above); `from_raw` moves it out and leaves a released
    // (null) stream behind, so the capsule's destructor will not release it a second time.
    let stream = unsafe { FFI_ArrowArrayStream::from_raw(pointer.as_ptr().cast()) };
    let reader = ArrowArrayStreamReader::try_new(stream)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok((schema, batches))
}

#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the keyword-only Python signature"
)]
#[pyfunction]
#[pyo3(signature = (
    data, dest = None, /, *, delimiter = ",", quotechar = Some("\""), escapechar = None,
    doublequote = true, lineterminator = "\n", quoting = 0, header = true
), text_signature = "(data, dest=None, /, *, delimiter=',', quotechar='\"', escapechar=None, \
    doublequote=True, lineterminator='\\n', quoting=0, header=True)")]
pub(crate) fn write_csv<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    dest: Option<&Bound<'py, PyAny>>,
    delimiter: &str,
    quotechar: Option<&str>,
    escapechar: Option<&str>,
    doublequote: bool,
    lineterminator: &str,
    quoting: i64,
    header: bool,
) -> PyResult<Option<Bound<'py, PyBytes>>> {
    let dialect = Dialect {
        delimiter: one_char("delimiter", Some(delimiter))?.unwrap_or(','),
        quotechar: one_char("quotechar", quotechar)?,
        escapechar: one_char("escapechar", escapechar)?,
        doublequote,
        lineterminator: lineterminator.to_owned(),
        quoting: Quoting::from_int(quoting)
            .ok_or_else(|| PyTypeError::new_err("bad \"quoting\" value"))?,
        ..Dialect::default()
    };
    if dialect.quotechar.is_none() && dialect.quoting != Quoting::None {
        // The stdlib's check and message: without it the writer could not quote at all.
        return Err(PyTypeError::new_err(
            "quotechar must be set if quoting enabled",
        ));
    }
    let (schema, batches) = import_stream(data)?;
    let written = py.detach(|| {
        let mut out = Vec::new();
        if header {
            columnar::write_header(&schema, &dialect, &mut out)?;
        }
        columnar::write_batches(&batches, &dialect, &mut out, 0)?;
        Ok::<_, columnar::ColumnarError>(out)
    });
    // The imported batches are dropped here, with the GIL held: their release callbacks belong
    // to the producer, which may need it.
    drop(batches);
    let out = written.map_err(|e| read_error(py, &e))?;
    let Some(dest) = dest else {
        return Ok(Some(PyBytes::new(py, &out)));
    };
    if dest.is_instance_of::<PyString>() || dest.hasattr(pyo3::intern!(py, "__fspath__"))? {
        let path: std::path::PathBuf = py
            .import("os")?
            .call_method1("fsdecode", (dest,))?
            .extract()?;
        py.detach(|| std::fs::write(&path, &out))?;
        return Ok(None);
    }
    let io = py.import("io")?;
    if dest.is_instance(&io.getattr("TextIOBase")?)? {
        let text = std::str::from_utf8(&out).expect("the writer writes UTF-8");
        dest.call_method1(pyo3::intern!(py, "write"), (text,))?;
    } else {
        dest.call_method1(pyo3::intern!(py, "write"), (PyBytes::new(py, &out),))?;
    }
    Ok(None)
}
