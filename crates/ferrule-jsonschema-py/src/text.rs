//! JSON text handed to the `*_json` methods, read in place: an ASCII `str` (a model's tool-call
//! arguments, `json.dumps` output) through its data ([`crate::layout::ascii_str`]: ASCII is
//! UTF-8 already, and the call is a tenth of a small document's cost), another `str` through
//! its cached UTF-8 (`PyUnicode_AsUTF8AndSize`, no copy after the first call on that string),
//! `bytes` through
//! its buffer; only a `bytearray`, which another thread may resize while the interpreter is
//! released, is copied.

use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

/// Runs `f` on the bytes of `data` (`str`, `bytes`, `bytearray` or a subclass). The borrow
/// lives as long as `data`, which keeps the string or bytes object alive and unchanged (both
/// are immutable), so `f` may release the interpreter.
pub(crate) fn with_text<R>(data: &Bound<'_, PyAny>, f: impl FnOnce(&[u8]) -> R) -> PyResult<R> {
    if let Ok(s) = data.cast::<PyString>() {
        return Ok(f(crate::layout::str_utf8(s)?.as_bytes()));
    }
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok(f(b.as_bytes()));
    }
    if let Ok(b) = data.cast::<PyByteArray>() {
        return Ok(f(&b.to_vec()));
    }
    Err(crate::errors::type_error(format!(
        "JSON text must be str, bytes or bytearray, not {}",
        data.get_type()
            .qualname()
            .map_or_else(|_| "?".into(), |n| n.to_string())
    )))
}
