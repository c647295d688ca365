//! The one place that knows Python exception types.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

mod stdlib {
    // Subclassing the standard module's exception keeps every `except csv.Error:` working.
    pyo3::import_exception!(_csv, Error);
}

pyo3::create_exception!(
    ferrule.csv,
    Error,
    stdlib::Error,
    "Raised for CSV errors; a subclass of the standard ``csv.Error``."
);

/// A parse error of the reader, with the line it happened on (the reader's `line_num`).
///
/// With a dialect's `swap`, the message's dialect characters are swapped back.
pub(crate) fn parse_error(
    py: Python<'_>,
    err: &ferrule_csv::Error,
    line_num: usize,
    swap: Option<ferrule_csv::Swap>,
) -> PyErr {
    let msg = match err.kind() {
        // The core counts in `usize`; a negative limit set from Python is shown as it was set.
        ferrule_csv::ErrorKind::FieldLimit { .. } => {
            format!(
                "field larger than field limit ({})",
                crate::registry::raw_field_limit()
            )
        }
        _ => err.to_string(),
    };
    let msg = format!("{msg} (line {line_num})");
    let exc = match swap.map(|swap| crate::reader::wtf8_str(py, &swap.text(msg.as_bytes()))) {
        Some(Ok(text)) => Error::new_err(text.unbind()),
        Some(Err(e)) => e,
        None => Error::new_err(msg),
    };
    // The position is also an attribute, so callers need not parse the message.
    let _ = exc.value(py).setattr("line_num", line_num);
    exc
}

/// An error of the writer: the stdlib's message as it is.
pub(crate) fn write_error(err: &ferrule_csv::Error) -> PyErr {
    Error::new_err(err.to_string())
}

/// A csv error with a message given here (argument checks, unknown dialects).
pub(crate) fn csv_error(msg: impl Into<String>) -> PyErr {
    Error::new_err(msg.into())
}

pub(crate) fn type_error(msg: impl Into<String>) -> PyErr {
    PyTypeError::new_err(msg.into())
}

pyo3::create_exception!(
    ferrule.csv,
    ReadError,
    Error,
    "Raised by the columnar reader; ``line``, ``column`` and ``byte_offset`` say where."
);

/// An error of the columnar reader, its position also set as attributes.
pub(crate) fn read_error(py: Python<'_>, err: &ferrule_csv::columnar::ColumnarError) -> PyErr {
    use ferrule_csv::columnar::ColumnarErrorKind;
    let exc = match err.kind() {
        ColumnarErrorKind::UnknownColumn { .. } => {
            return pyo3::exceptions::PyKeyError::new_err(err.to_string());
        }
        ColumnarErrorKind::Option(_) => {
            return pyo3::exceptions::PyValueError::new_err(err.to_string());
        }
        ColumnarErrorKind::Write(_) => return Error::new_err(err.to_string()),
        _ => ReadError::new_err(err.to_string()),
    };
    let value = exc.value(py);
    let at = err.position();
    let _ = value.setattr("line", at.map(|p| p.line));
    let _ = value.setattr("column", at.map(|p| p.column));
    let _ = value.setattr("byte_offset", at.map(|p| p.byte));
    exc
}
