//! Lazy `ValidationError`s: made by the type's `tp_new` alone, their `args` a [`LazyError`]
//! payload, built on the first read of an attribute.
//!
//! `validate()` raises them (most raised errors are caught and dropped unread) and
//! `iter_errors` yields them (most readers read the message alone). `_Error` carries a
//! [`LazyAttribute`] for each attribute `_Error.__init__` writes: a non-data descriptor, which
//! Python consults only when the error's `__dict__` lacks the name, so a built (or eagerly
//! made) error reads its attributes from its dict as before, and a lazy one's first read
//! reaches native code directly, without a failed lookup, an `AttributeError` and a Python
//! `__getattr__`. Reading `message` makes the message alone; any other attribute builds the
//! whole error into the lazy one, in place (as does any first read once a user's class was
//! assigned to `__class__`).

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};
use pyo3::{PyTypeInfo, intern};

use crate::validation_error::{Builder, Messages, PyValidationError, validation_error_type};
use crate::validator::Validator;

/// What a lazy `ValidationError` holds until its first read: the core error, the validator
/// that found it and, once read, its message.
#[pyclass(frozen, module = "ferrule.jsonschema._native")]
pub(crate) struct LazyError {
    error: PyValidationError,
    validator: Py<Validator>,
    message: PyOnceLock<Py<PyString>>,
}

#[pymethods]
impl LazyError {
    /// The full error, as an instance of `cls`.
    fn build<'py>(&self, cls: Bound<'py, PyType>) -> PyResult<Bound<'py, PyAny>> {
        let py = cls.py();
        let validator = self.validator.get();
        Builder::new(py, validator, Some(cls))?.first(&self.error)
    }

    /// Builds the full error into `error`, the lazy error holding this payload: attributes
    /// already written stay, the rest are built, and `args` become the built error's.
    fn fill(&self, error: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = error.py();
        let builder = Builder::new(py, self.validator.get(), Some(error.get_type()))?;
        let text = self.message.get(py).map(|t| t.bind(py).clone());
        let args = builder.fill(error, &self.error, text)?;
        set_exception_args(error, &args)
    }
}

impl LazyError {
    /// The message, made once; `None` when only the whole error can tell (`propertyNames`).
    fn message<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyString>>> {
        if let Some(text) = self.message.get(py) {
            return Ok(Some(text.bind(py).clone()));
        }
        let text = Messages::new(py, self.validator.get())?.message_of(&self.error)?;
        if let Some(text) = &text {
            // Another thread may have made it meanwhile: the two are equal.
            let _ = self.message.set(py, text.clone().unbind());
        }
        Ok(text)
    }
}

/// One attribute of `_Error` a lazy error builds on its first read (see the module's doc).
#[pyclass(frozen, module = "ferrule.jsonschema._native")]
pub(crate) struct LazyAttribute {
    name: Py<PyString>,
}

#[pymethods]
impl LazyAttribute {
    #[new]
    fn new(name: Bound<'_, PyString>) -> Self {
        LazyAttribute {
            name: name.unbind(),
        }
    }

    fn __get__<'py>(
        &self,
        obj: Option<Bound<'py, PyAny>>,
        owner: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(obj) = obj.filter(|o| !o.is_none()) else {
            // Read on the class: python-jsonschema's errors have these as instance attributes
            // only.
            let owner = owner
                .and_then(|o| o.cast_into::<PyType>().ok())
                .and_then(|o| o.name().ok())
                .map_or_else(String::new, |n| n.to_string());
            return Err(PyAttributeError::new_err(format!(
                "type object '{owner}' has no attribute '{}'",
                self.name
            )));
        };
        let py = obj.py();
        let name = self.name.bind(py);
        let Some(lazy) = lazy_of(&obj)? else {
            return Err(no_attribute(&obj, name));
        };
        let lazy = lazy.get();
        // Only for our own class: a user's (assigned to `__class__`) may want its `__init__`
        // or `__setattr__` to see the whole error made.
        if name.to_str()? == "message"
            && obj.get_type().is(validation_error_type(py)?)
            && let Some(text) = lazy.message(py)?
        {
            instance_dict(&obj)?.set_item(name, &text)?;
            return Ok(text.into_any());
        }
        lazy.fill(&obj)?;
        match instance_dict(&obj)?.get_item(name)? {
            Some(value) => Ok(value),
            None => Err(no_attribute(&obj, name)),
        }
    }
}

/// The `AttributeError` Python raises for a missing attribute.
fn no_attribute(obj: &Bound<'_, PyAny>, name: &Bound<'_, PyString>) -> PyErr {
    let py = obj.py();
    let text = format!(
        "'{}' object has no attribute '{name}'",
        obj.get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let kwargs = PyDict::new(py);
    let made = kwargs
        .set_item("name", name)
        .and_then(|()| kwargs.set_item("obj", obj))
        .and_then(|()| PyAttributeError::type_object(py).call((text,), Some(&kwargs)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// The payload of a lazy error, `None` for any other exception.
fn lazy_of<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, LazyError>>> {
    let args = exception_args(obj)?;
    if args.len() != 1 {
        return Ok(None);
    }
    Ok(args.get_item(0)?.cast_into_exact::<LazyError>().ok())
}

/// A lazy `ValidationError` of `error` (see the module's doc).
///
/// The payload rides in `args` rather than in an attribute: `BaseException.__new__` stores
/// `args` in the exception's own struct, so the exception needs no `__dict__` until an
/// attribute is written (creating the dict and writing `_lazy` was about 400 instructions, its
/// teardown more), and the slot is called directly rather than through `cls.__new__(cls)`,
/// whose wrapper checks and slices its argument tuple (about 450 more).
pub(crate) fn lazy<'py>(
    validator: &Bound<'py, Validator>,
    error: PyValidationError,
) -> PyResult<Bound<'py, PyAny>> {
    let py = validator.py();
    let cls = validation_error_type(py)?;
    let payload = Bound::new(
        py,
        LazyError {
            error,
            validator: validator.clone().unbind(),
            message: PyOnceLock::new(),
        },
    )?;
    let args = PyTuple::new(py, [payload])?;
    new_exception(cls, &args)
}

/// `obj.__dict__`, made if it has none yet.
#[expect(
    unsafe_code,
    reason = "pyo3 has no safe wrapper of PyObject_GenericGetDict (limited API since 3.10)"
)]
pub(crate) fn instance_dict<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    // SAFETY: `obj` is live for the call; the function returns a new reference to the
    // object's dict (creating it), or null with an exception set when it has none.
    let dict = unsafe {
        Bound::from_owned_ptr_or_err(
            obj.py(),
            pyo3::ffi::PyObject_GenericGetDict(obj.as_ptr(), std::ptr::null_mut()),
        )?
    };
    Ok(dict.cast_into::<PyDict>()?)
}

/// `obj.__dict__ = dict`, bypassing the class's `__dict__` property (see `_Error`).
#[expect(
    unsafe_code,
    reason = "pyo3 has no safe wrapper of PyObject_GenericSetDict (limited API)"
)]
pub(crate) fn set_instance_dict(obj: &Bound<'_, PyAny>, dict: &Bound<'_, PyDict>) -> PyResult<()> {
    // SAFETY: two live objects borrowed for the call; the function takes borrowed references
    // (it increfs the dict it stores) and returns -1 with an exception set on failure.
    let status = unsafe {
        pyo3::ffi::PyObject_GenericSetDict(obj.as_ptr(), dict.as_ptr(), std::ptr::null_mut())
    };
    if status < 0 {
        return Err(PyErr::fetch(obj.py()));
    }
    Ok(())
}

static ARGS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `BaseException.args`, the C getset descriptor (`_Error` shadows it with a property that
/// builds a lazy error first).
fn args_descriptor(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    ARGS.get_or_try_init(py, || {
        pyo3::exceptions::PyBaseException::type_object(py)
            .getattr(intern!(py, "args"))
            .map(Bound::unbind)
    })
    .map(|d| d.bind(py))
}

/// `BaseException.args` and the function in its type's `slot` (`Py_tp_descr_get` or
/// `Py_tp_descr_set`).
#[expect(unsafe_code, reason = "reads a slot of the descriptor's type")]
fn args_slot(
    py: Python<'_>,
    slot: std::ffi::c_int,
) -> PyResult<(&Bound<'_, PyAny>, std::ptr::NonNull<std::ffi::c_void>)> {
    let descr = args_descriptor(py)?;
    // SAFETY: `descr` is a live getset descriptor, whose (static) type's slots
    // `PyType_GetSlot` reads on 3.10+.
    let found = unsafe { pyo3::ffi::PyType_GetSlot(pyo3::ffi::Py_TYPE(descr.as_ptr()), slot) };
    std::ptr::NonNull::new(found)
        .map(|f| (descr, f))
        .ok_or_else(|| crate::errors::runtime_error("BaseException.args has no getter or setter"))
}

/// `BaseException.args.__get__(error)`, through the descriptor's slot.
#[expect(
    unsafe_code,
    reason = "PyException_GetArgs is not in the limited API before 3.12"
)]
pub(crate) fn exception_args<'py>(error: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let py = error.py();
    let (descr, slot) = args_slot(py, pyo3::ffi::Py_tp_descr_get)?;
    // SAFETY: `Py_tp_descr_get` holds a `descrgetfunc`, which takes borrowed references and
    // returns a new one or null with an exception set (a `TypeError` for an object that is
    // not an exception).
    let args = unsafe {
        let get: pyo3::ffi::descrgetfunc = std::mem::transmute(slot.as_ptr());
        let ty = pyo3::ffi::Py_TYPE(error.as_ptr()).cast::<pyo3::ffi::PyObject>();
        Bound::from_owned_ptr_or_err(py, get(descr.as_ptr(), error.as_ptr(), ty))?
    };
    Ok(args.cast_into::<PyTuple>()?)
}

/// `BaseException.args.__set__(error, args)`, through the descriptor's slot.
#[expect(
    unsafe_code,
    reason = "PyException_SetArgs is not in the limited API before 3.12"
)]
fn set_exception_args(error: &Bound<'_, PyAny>, args: &Bound<'_, PyTuple>) -> PyResult<()> {
    let py = error.py();
    let (descr, slot) = args_slot(py, pyo3::ffi::Py_tp_descr_set)?;
    // SAFETY: `Py_tp_descr_set` holds a `descrsetfunc`, which takes borrowed references and
    // returns -1 with an exception set on failure.
    let status = unsafe {
        let set: pyo3::ffi::descrsetfunc = std::mem::transmute(slot.as_ptr());
        set(descr.as_ptr(), error.as_ptr(), args.as_ptr())
    };
    if status < 0 {
        return Err(PyErr::fetch(py));
    }
    Ok(())
}

/// `cls.__new__(cls, *args)` through the type's `tp_new` slot.
#[expect(
    unsafe_code,
    reason = "pyo3 has no safe call of a type's tp_new slot (PyType_GetSlot: limited API)"
)]
fn new_exception<'py>(
    cls: &Bound<'py, PyType>,
    args: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    // SAFETY: `cls` is a live type object (a heap type: a Python class, whose slots
    // `PyType_GetSlot` reads on every supported version); the slot, when set, is a `newfunc`.
    let slot = unsafe { pyo3::ffi::PyType_GetSlot(cls.as_type_ptr(), pyo3::ffi::Py_tp_new) };
    if slot.is_null() {
        return Err(crate::errors::runtime_error(
            "ValidationError has no tp_new",
        ));
    }
    // SAFETY: `Py_tp_new` holds a `newfunc` (the C API's documented cast of the slot's
    // pointer); `cls` and `args` are live, borrowed for the call, and the null `kwds` is
    // allowed. It returns a new reference or null with an exception set.
    unsafe {
        let new: pyo3::ffi::newfunc = std::mem::transmute(slot);
        let exc = new(cls.as_type_ptr(), args.as_ptr(), std::ptr::null_mut());
        Bound::from_owned_ptr_or_err(py, exc)
    }
}
