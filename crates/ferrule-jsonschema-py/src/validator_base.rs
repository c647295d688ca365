//! `ValidatorBase`: the native base of `ferrule.jsonschema.validators._Validator`, so that
//! the hot methods run without a Python frame.
//!
//! The benchmarks (and most users) call a bound `is_valid` taken right after construction;
//! through a Python method that call paid about 1,100 instructions of frame setup and
//! attribute lookups before reaching Rust, more than the validation of a tool call's
//! arguments. Here the compiled validator lives in a native slot (`_compiled`, which the
//! Python class sets and resets) and each method runs the compiled one directly when it
//! exists and no deprecated `_schema` argument is given. Every other case (first use, which
//! compiles and may raise for a malformed schema; `_schema`) calls the Python
//! implementation, `_is_valid` and friends, so that behaviour stays written once, in
//! Python. Subclasses overriding a method get theirs by the usual attribute lookup.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::validator::Validator;

/// The native base of the `Draft*Validator` classes (internal).
#[pyclass(
    frozen,
    subclass,
    module = "ferrule.jsonschema._native",
    name = "ValidatorBase"
)]
pub(crate) struct ValidatorBase {
    /// The first compiled schema. Almost every validator is compiled once and never reset,
    /// so the hot methods read this once-set cell (an acquire load, no lock, no reference
    /// count) instead of locking: a lock and a `Py` clone per call were about 40
    /// instructions of a no-op call.
    first: OnceLock<Py<Validator>>,
    /// Set once `__init__` (run again, or by `__setstate__`) has replaced or reset a
    /// compiled `first`: from then on `later` holds the current value.
    replaced: AtomicBool,
    /// The current compiled schema once `replaced` is set.
    later: Mutex<Option<Py<Validator>>>,
}

impl ValidatorBase {
    fn lock(&self) -> MutexGuard<'_, Option<Py<Validator>>> {
        // Nothing that can panic runs under the lock (a clone or a swap of a pointer).
        self.later
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The compiled validator, if any. `first` is borrowed: it lives as long as `self`.
    /// `later` is cloned out of the lock: validating can run Python code (a format checker)
    /// that comes back to this validator, or resets it.
    #[inline]
    fn compiled<'a, 'py>(&'a self, py: Python<'py>) -> Option<Compiled<'a, 'py>> {
        if self.replaced.load(Ordering::Acquire) {
            return self
                .lock()
                .as_ref()
                .map(|c| Compiled::Owned(c.bind(py).clone()));
        }
        self.first.get().map(|c| Compiled::Borrowed(c.bind(py)))
    }

    fn set(&self, value: Option<Py<Validator>>) {
        if !self.replaced.load(Ordering::Acquire) {
            match (self.first.get(), value) {
                (None, None) => return,
                (None, Some(v)) => match self.first.set(v) {
                    Ok(()) => return,
                    // Another thread compiled first: this value replaces it.
                    Err(v) => return self.replace(Some(v)),
                },
                (Some(_), value) => return self.replace(value),
            }
        }
        self.replace(value);
    }

    fn replace(&self, value: Option<Py<Validator>>) {
        let old = std::mem::replace(&mut *self.lock(), value);
        self.replaced.store(true, Ordering::Release);
        // Dropped after the lock: the last reference going may run Python code.
        drop(old);
    }
}

/// A compiled validator borrowed from the once-set cell, or owned out of the lock.
enum Compiled<'a, 'py> {
    Borrowed(&'a Bound<'py, Validator>),
    Owned(Bound<'py, Validator>),
}

impl<'py> std::ops::Deref for Compiled<'_, 'py> {
    type Target = Bound<'py, Validator>;

    #[inline]
    fn deref(&self) -> &Bound<'py, Validator> {
        match self {
            Compiled::Borrowed(b) => b,
            Compiled::Owned(b) => b,
        }
    }
}

#[pymethods]
impl ValidatorBase {
    /// Takes (and ignores) the arguments of `__init__`, which sets every attribute; pickling
    /// calls it with none.
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, PyDict>>) -> Self {
        ValidatorBase {
            first: OnceLock::new(),
            replaced: AtomicBool::new(false),
            later: Mutex::new(None),
        }
    }

    /// The compiled schema (`None` until the first validation compiles it).
    #[getter(_compiled)]
    fn get_compiled(&self, py: Python<'_>) -> Option<Py<Validator>> {
        self.compiled(py).map(|c| c.clone().unbind())
    }

    #[setter(_compiled)]
    fn set_compiled(&self, value: Option<Py<Validator>>) {
        self.set(value);
    }

    /// Whether ``instance`` is valid.
    ///
    /// >>> from ferrule.jsonschema import Draft202012Validator
    /// >>> Draft202012Validator({"type": "integer"}).is_valid(3)
    /// True
    #[pyo3(signature = (instance, _schema = None))]
    #[expect(
        clippy::used_underscore_binding,
        reason = "python-jsonschema's name for the deprecated argument"
    )]
    fn is_valid(
        slf: &Bound<'_, Self>,
        instance: Bound<'_, PyAny>,
        _schema: Option<Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        let py = slf.py();
        if _schema.is_none()
            && let Some(compiled) = slf.get().compiled(py)
        {
            return compiled.get().is_valid(instance);
        }
        slf.call_method1(intern!(py, "_is_valid"), (instance, _schema))?
            .is_truthy()
    }

    /// Every error of ``instance``, in schema order.
    ///
    /// The core finds every error in one pass over the instance before the first is yielded
    /// (a walk that could be suspended and resumed would slow down every validation); the
    /// `ValidationError` objects are made in Rust as they are iterated. To stop at the first
    /// error, call `validate`: the core stops there too.
    ///
    /// >>> from ferrule.jsonschema import Draft202012Validator
    /// >>> validator = Draft202012Validator({"items": {"type": "integer"}})
    /// >>> for error in validator.iter_errors([1, "a", None]):
    /// ...     print(error.message)
    /// 'a' is not of type 'integer'
    /// None is not of type 'integer'
    #[pyo3(signature = (instance, _schema = None))]
    #[expect(
        clippy::used_underscore_binding,
        reason = "python-jsonschema's name for the deprecated argument"
    )]
    fn iter_errors<'py>(
        slf: &Bound<'py, Self>,
        instance: Bound<'py, PyAny>,
        _schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        if _schema.is_none()
            && let Some(compiled) = slf.get().compiled(py)
        {
            return Ok(Validator::iter_errors(&compiled, instance)?.into_any());
        }
        slf.call_method1(intern!(py, "_iter_errors"), (instance, _schema))
    }

    /// Raise the first `ValidationError` of ``instance``, if any.
    ///
    /// The error's attributes are computed when first read, so raising is cheap when the
    /// error is caught and dropped.
    ///
    /// >>> from ferrule.jsonschema import Draft202012Validator, ValidationError
    /// >>> try:
    /// ...     Draft202012Validator({"items": {"type": "integer"}}).validate([1, "a"])
    /// ... except ValidationError as error:
    /// ...     print(error.message, list(error.path))
    /// 'a' is not of type 'integer' [1]
    fn validate(slf: &Bound<'_, Self>, instance: Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let Some(compiled) = slf.get().compiled(py) else {
            return slf
                .call_method1(intern!(py, "_validate"), (instance,))
                .map(drop);
        };
        // The core stops at the first error, so no other error is looked for or built.
        match Validator::first_error(&compiled, instance)? {
            Some(error) => Err(PyErr::from_value(error)),
            None => Ok(()),
        }
    }

    /// Whether JSON text (``bytes``, ``bytearray`` or ``str``) is valid, parsed and
    /// validated in Rust without making Python objects.
    ///
    /// >>> from ferrule.jsonschema import Draft202012Validator
    /// >>> Draft202012Validator({"type": "array"}).is_valid_json(b"[1, 2]")
    /// True
    fn is_valid_json(slf: &Bound<'_, Self>, data: Bound<'_, PyAny>) -> PyResult<bool> {
        let py = slf.py();
        if let Some(compiled) = slf.get().compiled(py) {
            return compiled.get().is_valid_json(data);
        }
        slf.call_method1(intern!(py, "_is_valid_json"), (data,))?
            .is_truthy()
    }

    /// Raise the first `ValidationError` of JSON text, if any.
    ///
    /// >>> from ferrule.jsonschema import Draft202012Validator, ValidationError
    /// >>> try:
    /// ...     Draft202012Validator({"type": "array"}).validate_json(b'{"a": 1}')
    /// ... except ValidationError as error:
    /// ...     print(error.message)
    /// {'a': 1} is not of type 'array'
    fn validate_json(slf: &Bound<'_, Self>, data: Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let Some(compiled) = slf.get().compiled(py) else {
            return slf
                .call_method1(intern!(py, "_validate_json"), (data,))
                .map(drop);
        };
        match Validator::first_error_json(&compiled, data)? {
            Some(error) => Err(PyErr::from_value(error)),
            None => Ok(()),
        }
    }
}
