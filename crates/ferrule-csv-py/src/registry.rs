//! Named dialects and the field size limit: the two pieces of module-wide state of `_csv`.

use std::sync::atomic::{AtomicI64, Ordering};

use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt, PyList, PyString, PyTuple};

use crate::dialect::{self, Dialect, unknown_dialect};
use crate::errors::type_error;

/// `_csv`'s default: 128 KiB characters per field.
const DEFAULT_FIELD_LIMIT: i64 = 128 * 1024;

static FIELD_LIMIT: AtomicI64 = AtomicI64::new(DEFAULT_FIELD_LIMIT);

// A dict keeps registration order for `list_dialects()` and is safe to share between threads.
static REGISTRY: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

fn registry(py: Python<'_>) -> &Bound<'_, PyDict> {
    REGISTRY
        .get_or_init(py, || PyDict::new(py).unbind())
        .bind(py)
}

/// The field size limit as the core wants it: a negative limit rejects every character.
pub(crate) fn field_limit() -> usize {
    usize::try_from(FIELD_LIMIT.load(Ordering::Relaxed)).unwrap_or(0)
}

/// The field size limit exactly as set from Python.
pub(crate) fn raw_field_limit() -> i64 {
    FIELD_LIMIT.load(Ordering::Relaxed)
}

pub(crate) fn lookup<'py>(
    py: Python<'py>,
    name: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, Dialect>> {
    match registry(py).get_item(name)? {
        Some(d) => Ok(d.cast_into::<Dialect>()?),
        None => Err(unknown_dialect()),
    }
}

/// Create a mapping from a string name to a dialect class.
#[pyfunction]
#[pyo3(signature = (name, dialect = None, /, **fmtparams))]
pub(crate) fn register_dialect<'py>(
    py: Python<'py>,
    name: &Bound<'py, PyAny>,
    dialect: Option<&Bound<'py, PyAny>>,
    fmtparams: Option<&Bound<'py, PyDict>>,
) -> PyResult<()> {
    if !name.is_instance_of::<PyString>() {
        return Err(type_error("dialect name must be a string"));
    }
    let d = dialect::resolve(py, dialect, fmtparams)?;
    registry(py).set_item(name, d)
}

/// Delete the name/dialect mapping associated with a string name.
#[pyfunction]
pub(crate) fn unregister_dialect(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<()> {
    match registry(py).del_item(name) {
        Err(e) if e.is_instance_of::<PyKeyError>(py) => Err(unknown_dialect()),
        other => other,
    }
}

/// Return the dialect instance associated with name.
#[pyfunction]
pub(crate) fn get_dialect<'py>(
    py: Python<'py>,
    name: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, Dialect>> {
    lookup(py, name)
}

/// Return a list of all known dialect names.
#[pyfunction]
pub(crate) fn list_dialects(py: Python<'_>) -> Bound<'_, PyList> {
    registry(py).keys()
}

/// Sets an upper limit on parsed fields and returns the old limit.
///
/// ``field_size_limit()`` returns the current limit without changing it.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs))]
pub(crate) fn field_size_limit(
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<i64> {
    // Hand-parsed because `field_size_limit(None)` must fail while `field_size_limit()` must not,
    // which a defaulted argument cannot tell apart.
    let mut new_limit = None;
    if args.len() > 1 {
        return Err(type_error(format!(
            "field_size_limit() takes at most 1 argument ({} given)",
            args.len()
        )));
    }
    if let Ok(arg) = args.get_item(0) {
        new_limit = Some(arg);
    }
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            let key: String = key.extract()?;
            if key != "new_limit" || new_limit.is_some() {
                return Err(type_error(format!(
                    "'{key}' is an invalid keyword argument for field_size_limit()"
                )));
            }
            new_limit = Some(value);
        }
    }
    let old = FIELD_LIMIT.load(Ordering::Relaxed);
    if let Some(limit) = new_limit {
        if !limit.get_type().is(limit.py().get_type::<PyInt>()) {
            return Err(type_error("limit must be an integer"));
        }
        FIELD_LIMIT.store(limit.extract()?, Ordering::Relaxed);
    }
    Ok(old)
}
