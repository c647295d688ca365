//! The one place that knows Python exception types.

use ferrule_jsonschema::{ParseError, ParseErrorKind, SchemaError, SchemaErrorKind};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;

mod stdlib {
    // Subclassing the stdlib's exception keeps every `except json.JSONDecodeError:` working.
    pyo3::import_exception!(json, JSONDecodeError);
}

pyo3::create_exception!(
    ferrule.jsonschema,
    JSONDecodeError,
    stdlib::JSONDecodeError,
    "Malformed JSON text; a subclass of the standard ``json.JSONDecodeError`` with the same \
     ``msg``, ``pos``, ``lineno`` and ``colno``."
);

pyo3::create_exception!(
    ferrule.jsonschema,
    SchemaCompileError,
    PyValueError,
    "A schema that cannot be compiled (a malformed keyword, a bad regex, an unresolvable \
     reference); ``kind`` and ``location`` say what and where."
);

/// A schema the core cannot compile. A retriever's Python exception becomes the `__cause__`.
pub(crate) fn schema_error(py: Python<'_>, err: SchemaError, cause: Option<PyErr>) -> PyErr {
    let kind = match &err.kind {
        SchemaErrorKind::InvalidKeyword { .. } => "invalid_keyword",
        SchemaErrorKind::InvalidRegex { .. } => "invalid_regex",
        SchemaErrorKind::UnresolvableRef { .. } => "unresolvable_ref",
        SchemaErrorKind::Retrieve { .. } => "retrieve",
        SchemaErrorKind::TooDeep => "too_deep",
        _ => "invalid",
    };
    let exc = SchemaCompileError::new_err(err.to_string());
    let value = exc.value(py);
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("location", err.location.as_str());
    if let SchemaErrorKind::UnresolvableRef { reference, .. } = &err.kind {
        let _ = value.setattr("ref", reference.as_str());
    }
    if let Some(cause) = cause {
        exc.set_cause(py, Some(cause));
    }
    exc
}

/// Malformed JSON text. Positions are the stdlib's: the error is re-derived with `json.loads`
/// (the cold path), so `msg`, `pos`, `lineno` and `colno` match it exactly; where the stdlib
/// accepts what the core rejects (nesting past the core's limit, invalid UTF-8 in bytes), the
/// core's position is converted to characters.
pub(crate) fn json_error(py: Python<'_>, doc: &Bound<'_, PyAny>, err: &ParseError) -> PyErr {
    let text: Bound<'_, PyAny> = if let Ok(s) = doc.cast::<PyString>() {
        s.clone().into_any()
    } else {
        // `bytes`, or a `bytearray` (which `&[u8]` does not extract: the stdlib then saw "").
        let text = crate::text::with_text(doc, |b| String::from_utf8_lossy(b).into_owned());
        PyString::new(py, &text.unwrap_or_default()).into_any()
    };
    if !matches!(
        err.kind(),
        ParseErrorKind::TooDeep | ParseErrorKind::InvalidUtf8
    ) {
        let stdlib = py
            .import("json")
            .and_then(|json| json.call_method1("loads", (&text,)));
        if let Err(e) = stdlib {
            let value = e.value(py);
            if e.is_instance_of::<stdlib::JSONDecodeError>(py) {
                let fields = (|| -> PyResult<_> {
                    Ok((
                        value.getattr("msg")?.unbind(),
                        value.getattr("doc")?.unbind(),
                        value.getattr("pos")?.unbind(),
                    ))
                })();
                if let Ok(fields) = fields {
                    return JSONDecodeError::new_err(fields);
                }
            }
        }
    }
    let msg = match err.kind() {
        ParseErrorKind::TooDeep => "Nesting too deep",
        ParseErrorKind::InvalidUtf8 => "Invalid UTF-8",
        _ => "Invalid JSON",
    };
    // Byte offset -> character offset (the stdlib counts characters).
    let bytes = crate::text::with_text(doc, <[u8]>::to_vec).unwrap_or_default();
    let prefix = &bytes[..err.offset().min(bytes.len())];
    let pos = String::from_utf8_lossy(prefix).chars().count();
    JSONDecodeError::new_err((msg, text.unbind(), pos))
}

pub(crate) fn type_error(msg: impl Into<String>) -> PyErr {
    PyTypeError::new_err(msg.into())
}

pub(crate) fn runtime_error(msg: impl Into<String>) -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err(msg.into())
}

pub(crate) fn value_error(msg: impl Into<String>) -> PyErr {
    PyValueError::new_err(msg.into())
}
