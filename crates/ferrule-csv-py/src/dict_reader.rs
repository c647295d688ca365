//! `DictReaderBase`: the state and the `__next__` of `ferrule.csv.DictReader`.
//!
//! `DictReader` is a Python class, as in the stdlib (subclassing, the `fieldnames` property,
//! `__class_getitem__`), built on this base. Its attributes `reader`, `_fieldnames`,
//! `restkey`, `restval` and `line_num` live here, so the inherited `__next__` (the type's
//! `tp_iternext`, with no Python frame) reads them without a lookup. A subclass that
//! overrides `__next__` gets Python's own slot instead; one that overrides any attribute the
//! stdlib's `__next__` reads (its `_native` class flag is false), a `reader` that is not this
//! module's, or `fieldnames` that are not a list or a tuple, take the stdlib's algorithm in
//! Python (`_stdlib_next`, `_next_row`).

use std::sync::{Mutex, MutexGuard};

use pyo3::exceptions::PyRuntimeError;
use pyo3::gc::{PyTraverseError, PyVisit};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};

use crate::reader::{Names, Reader};

/// `DictReader.line_num`: the count the reader keeps, or whatever the caller stored.
enum LineNum {
    Count(usize),
    Other(Py<PyAny>),
}

struct Fields {
    reader: Py<PyAny>,
    fieldnames: Py<PyAny>,
    restkey: Py<PyAny>,
    restval: Py<PyAny>,
    line_num: LineNum,
    /// The class last seen by `__next__` and its `_native` flag, read once per class rather
    /// than per row.
    class: Option<(Py<PyType>, bool)>,
}

/// The native base of :class:`ferrule.csv.DictReader` (internal).
#[pyclass(
    frozen,
    subclass,
    module = "ferrule.csv._native",
    name = "DictReaderBase"
)]
pub(crate) struct DictReaderBase {
    fields: Mutex<Fields>,
}

#[pymethods]
impl DictReaderBase {
    /// Takes (and ignores) the arguments of `DictReader.__init__`, which sets every attribute.
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(
        py: Python<'_>,
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, PyDict>>,
    ) -> Self {
        DictReaderBase {
            fields: Mutex::new(Fields {
                reader: py.None(),
                fieldnames: py.None(),
                restkey: py.None(),
                restval: py.None(),
                line_num: LineNum::Count(0),
                class: None,
            }),
        }
    }

    /// The underlying :func:`reader` object.
    #[getter]
    fn reader(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.lock()?.reader.clone_ref(py))
    }

    #[setter]
    fn set_reader(&self, value: Py<PyAny>) -> PyResult<()> {
        let old = std::mem::replace(&mut self.lock()?.reader, value);
        // Released after the lock: dropping the last reference may run Python code.
        drop(old);
        Ok(())
    }

    /// The field names as given or as read (``None`` until the header is read).
    #[getter(_fieldnames)]
    fn get_fieldnames(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.lock()?.fieldnames.clone_ref(py))
    }

    #[setter(_fieldnames)]
    fn set_fieldnames(&self, value: Py<PyAny>) -> PyResult<()> {
        let old = std::mem::replace(&mut self.lock()?.fieldnames, value);
        drop(old);
        Ok(())
    }

    /// The key of the list of extra fields in rows longer than the header.
    #[getter]
    fn restkey(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.lock()?.restkey.clone_ref(py))
    }

    #[setter]
    fn set_restkey(&self, value: Py<PyAny>) -> PyResult<()> {
        let old = std::mem::replace(&mut self.lock()?.restkey, value);
        drop(old);
        Ok(())
    }

    /// The value of the missing fields of rows shorter than the header.
    #[getter]
    fn restval(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.lock()?.restval.clone_ref(py))
    }

    #[setter]
    fn set_restval(&self, value: Py<PyAny>) -> PyResult<()> {
        let old = std::mem::replace(&mut self.lock()?.restval, value);
        drop(old);
        Ok(())
    }

    /// The number of lines read from the source for the rows returned so far.
    #[getter]
    fn line_num(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match &self.lock()?.line_num {
            LineNum::Count(n) => n.into_pyobject(py)?.into_any().unbind(),
            LineNum::Other(obj) => obj.clone_ref(py),
        })
    }

    #[setter]
    fn set_line_num(&self, value: Py<PyAny>) -> PyResult<()> {
        let old = std::mem::replace(&mut self.lock()?.line_num, LineNum::Other(value));
        drop(old);
        Ok(())
    }

    /// The garbage collector's view of the attributes, which may hold cycles back to the
    /// `DictReader` (a `restval` that is the reader, a file object that refers to it).
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        // Never blocks: a collection while `__next__` holds the lock sees nothing, as for a
        // reference held only on the stack.
        if let Ok(fields) = self.fields.try_lock() {
            for obj in [
                &fields.reader,
                &fields.fieldnames,
                &fields.restkey,
                &fields.restval,
            ] {
                visit.call(obj)?;
            }
            if let LineNum::Other(obj) = &fields.line_num {
                visit.call(obj)?;
            }
        }
        Ok(())
    }

    fn __clear__(slf: &Bound<'_, Self>) {
        let py = slf.py();
        let Ok(mut fields) = slf.get().fields.try_lock() else {
            return;
        };
        let old = (
            std::mem::replace(&mut fields.reader, py.None()),
            std::mem::replace(&mut fields.fieldnames, py.None()),
            std::mem::replace(&mut fields.restkey, py.None()),
            std::mem::replace(&mut fields.restval, py.None()),
            std::mem::replace(&mut fields.line_num, LineNum::Count(0)),
        );
        drop(fields);
        drop(old);
    }

    fn __next__<'py>(slf: &Bound<'py, Self>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let py = slf.py();
        let this = slf.get();
        if !this.native_class(slf)? {
            return slf
                .call_method0(pyo3::intern!(py, "_stdlib_next"))
                .map(Some);
        }
        // `if self.line_num == 0: self.fieldnames`, the property read for its side effect
        // (it reads the header row); it runs Python code, so no lock is held.
        let line_num = match &this.lock()?.line_num {
            LineNum::Count(n) => Err(*n),
            LineNum::Other(obj) => Ok(obj.clone_ref(py)),
        };
        let at_start = match line_num {
            Err(n) => n == 0,
            Ok(obj) => obj.bind(py).eq(0)?,
        };
        if at_start {
            slf.getattr(pyo3::intern!(py, "fieldnames"))?;
        }
        let (reader, names, restkey, restval) = {
            let fields = this.lock()?;
            (
                fields.reader.clone_ref(py).into_bound(py),
                fields.fieldnames.clone_ref(py).into_bound(py),
                fields.restkey.clone_ref(py).into_bound(py),
                fields.restval.clone_ref(py).into_bound(py),
            )
        };
        let (Ok(reader), Some(names)) = (reader.cast_exact::<Reader>(), Names::of(&names)) else {
            return slf.call_method0(pyo3::intern!(py, "_next_row")).map(Some);
        };
        let mut set_line_num = |n: usize| {
            if let Ok(mut fields) = this.fields.lock() {
                // A `Count` holds no Python object: nothing is dropped under the lock but
                // an `Other` the caller stored, which the assignment below releases.
                let old = std::mem::replace(&mut fields.line_num, LineNum::Count(n));
                drop(fields);
                drop(old);
            }
        };
        let dict = reader
            .get()
            .next_dict(py, &names, &restkey, &restval, &mut set_line_num)?;
        Ok(dict.map(Bound::into_any))
    }
}

impl DictReaderBase {
    fn lock(&self) -> PyResult<MutexGuard<'_, Fields>> {
        self.fields
            .lock()
            .map_err(|_| PyRuntimeError::new_err("a DictReader failed while in use"))
    }

    /// Whether `owner`'s class keeps every attribute the stdlib's `__next__` reads as
    /// `DictReader` defines it (its `_native` flag, set by `__init_subclass__`).
    fn native_class(&self, owner: &Bound<'_, Self>) -> PyResult<bool> {
        let py = owner.py();
        let class = owner.get_type();
        if let Some((known, native)) = &self.lock()?.class {
            if known.is(&class) {
                return Ok(*native);
            }
        }
        let native = match class.getattr_opt(pyo3::intern!(py, "_native"))? {
            Some(flag) => flag.is_truthy()?,
            None => false,
        };
        let old = self.lock()?.class.replace((class.unbind(), native));
        drop(old);
        Ok(native)
    }
}
