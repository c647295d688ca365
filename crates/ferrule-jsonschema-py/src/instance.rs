//! Python objects as the core's [`Json`] instances, validated in place, and core [`Value`]s
//! back to Python objects.
//!
//! `dict` (and subclasses) is an object, `list` and `tuple` arrays, `str`, `int`, `float`,
//! `bool` and `None` the scalars. Anything else (a `set`, a custom object, a non-`str` key)
//! cannot be validated: the first such value is recorded in [`State`] and raised after
//! validation, so the core's hot path stays free of error plumbing and nothing crashes.

use std::cell::RefCell;

use ferrule_jsonschema::{BigInt, Json, Kind, Number, Value};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{
    PyBool, PyBoolMethods, PyDict, PyDictMethods, PyFloat, PyInt, PyList, PyListMethods, PyString,
    PyTuple, PyTupleMethods,
};

use crate::errors::{type_error, value_error};

/// What one validation call shares between its instance handles.
pub(crate) struct State<'py> {
    /// The first problem met (a non-JSON value, a failing format checker).
    problem: RefCell<Option<PyErr>>,
    /// `format_check(instance, format) -> bool` for host formats.
    format_check: Option<Bound<'py, PyAny>>,
}

impl<'py> State<'py> {
    pub(crate) fn new(format_check: Option<Bound<'py, PyAny>>) -> Self {
        State {
            problem: RefCell::new(None),
            format_check,
        }
    }

    fn record(&self, err: impl FnOnce() -> PyErr) {
        let mut problem = self.problem.borrow_mut();
        if problem.is_none() {
            *problem = Some(err());
        }
    }

    /// Raises the recorded problem, if any.
    pub(crate) fn finish(&self) -> PyResult<()> {
        match self.problem.borrow_mut().take() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }
}

/// A Python object seen through the core's [`Json`] trait.
#[derive(Clone)]
pub(crate) struct PyJson<'s, 'py> {
    pub(crate) obj: Bound<'py, PyAny>,
    state: &'s State<'py>,
}

impl<'s, 'py> PyJson<'s, 'py> {
    pub(crate) fn new(obj: Bound<'py, PyAny>, state: &'s State<'py>) -> Self {
        PyJson { obj, state }
    }

    fn wrap(&self, obj: Bound<'py, PyAny>) -> Self {
        PyJson {
            obj,
            state: self.state,
        }
    }

    fn not_json(&self) {
        let obj = &self.obj;
        self.state.record(|| {
            let name = obj
                .get_type()
                .qualname()
                .map_or_else(|_| "?".to_string(), |n| n.to_string());
            type_error(format!(
                "cannot validate an instance of type '{name}': not a JSON value \
                 (dict, list, tuple, str, int, float, bool or None)"
            ))
        });
    }
}

fn big_int(obj: &Bound<'_, PyAny>) -> Option<Number> {
    let text = obj.str().ok()?;
    let text = text.to_str().ok()?;
    BigInt::parse(text).map(Number::Big)
}

/// Iterates a list's or a tuple's items, up to the length read at the start: reading past
/// the end would raise (and discard) an `IndexError` per array.
pub(crate) struct Items<'s, 'py> {
    parent: PyJson<'s, 'py>,
    index: usize,
    len: usize,
}

impl<'s, 'py> Iterator for Items<'s, 'py> {
    type Item = PyJson<'s, 'py>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.index >= self.len {
            return None;
        }
        let item = self.parent.item(self.index)?;
        self.index += 1;
        Some(item)
    }
}

/// Iterates a dict's members, skipping (and recording) non-`str` keys.
pub(crate) struct Members<'s, 'py> {
    parent: PyJson<'s, 'py>,
    iter: Option<pyo3::types::iter::BoundDictIterator<'py>>,
}

impl<'s, 'py> Iterator for Members<'s, 'py> {
    type Item = (PyBackedStr, PyJson<'s, 'py>);

    fn next(&mut self) -> Option<Self::Item> {
        let iter = self.iter.as_mut()?;
        for (key, value) in iter.by_ref() {
            // An exact `str` key skips the subclass check `extract` would make; `other`
            // keeps any other key for the error message.
            let (parsed, other) = match key.cast_into_exact::<PyString>() {
                Ok(k) => (PyBackedStr::try_from(k), None),
                Err(e) => {
                    let key = e.into_inner();
                    (key.extract::<PyBackedStr>(), Some(key))
                }
            };
            match parsed {
                Ok(k) => return Some((k, self.parent.wrap(value))),
                Err(e) => {
                    let py = self.parent.obj.py();
                    self.parent.state.record(|| match other {
                        Some(key) if !key.is_instance_of::<PyString>() => {
                            let repr = key.repr().map_or_else(|_| "?".into(), |r| r.to_string());
                            type_error(format!(
                                "cannot validate a dict with a non-string key: {repr}"
                            ))
                        }
                        _ => {
                            let err = value_error("a dict key is not valid unicode");
                            err.set_cause(py, Some(e));
                            err
                        }
                    });
                }
            }
        }
        None
    }
}

impl<'s, 'py> Json for PyJson<'s, 'py> {
    type Str<'a>
        = PyBackedStr
    where
        Self: 'a;
    type Items<'a>
        = Items<'s, 'py>
    where
        Self: 'a;
    type Members<'a>
        = Members<'s, 'py>
    where
        Self: 'a;

    fn kind(&self) -> Kind {
        let obj = &self.obj;
        // Exact types first: each is one type-pointer comparison, where `is_instance_of`
        // calls `PyType_GetFlags` under the limited API. Subclasses take the slow chain.
        if obj.is_exact_instance_of::<PyString>() {
            return Kind::String;
        }
        if obj.is_exact_instance_of::<PyDict>() {
            return Kind::Object;
        }
        if obj.is_exact_instance_of::<PyList>() {
            return Kind::Array;
        }
        if obj.is_exact_instance_of::<PyInt>() || obj.is_exact_instance_of::<PyFloat>() {
            return Kind::Number;
        }
        if obj.is_none() {
            return Kind::Null;
        }
        if obj.is_exact_instance_of::<PyBool>() {
            return Kind::Bool;
        }
        if obj.is_instance_of::<PyString>() {
            Kind::String
        } else if obj.is_instance_of::<PyDict>() {
            Kind::Object
        } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            Kind::Array
        } else if obj.is_instance_of::<PyBool>() {
            Kind::Bool
        } else if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
            Kind::Number
        } else {
            self.not_json();
            Kind::Null
        }
    }

    fn as_bool(&self) -> Option<bool> {
        self.obj.cast::<PyBool>().ok().map(PyBoolMethods::is_true)
    }

    fn as_str(&self) -> Option<PyBackedStr> {
        let s = match self.obj.cast_exact::<PyString>() {
            Ok(s) => s,
            Err(_) => self.obj.cast::<PyString>().ok()?,
        };
        match PyBackedStr::try_from(s.clone()) {
            Ok(s) => Some(s),
            Err(e) => {
                self.state.record(|| {
                    let err = value_error("a string is not valid unicode (lone surrogate)");
                    err.set_cause(self.obj.py(), Some(e));
                    err
                });
                None
            }
        }
    }

    fn as_number(&self) -> Option<Number> {
        let obj = &self.obj;
        if let Ok(f) = obj.cast_exact::<PyFloat>() {
            return Some(Number::Float(f.value()));
        }
        if obj.is_exact_instance_of::<PyInt>() {
            return match obj.extract::<i64>() {
                Ok(i) => Some(Number::Int(i)),
                Err(_) => big_int(obj),
            };
        }
        if obj.is_instance_of::<PyBool>() {
            return None;
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return Some(Number::Float(f.value()));
        }
        if obj.is_instance_of::<PyInt>() {
            return match obj.extract::<i64>() {
                Ok(i) => Some(Number::Int(i)),
                Err(_) => big_int(obj),
            };
        }
        None
    }

    fn len(&self) -> usize {
        if let Ok(list) = self.obj.cast_exact::<PyList>() {
            return list.len();
        }
        if let Ok(dict) = self.obj.cast_exact::<PyDict>() {
            return dict.len();
        }
        self.obj.len().unwrap_or_default()
    }

    fn items(&self) -> Self::Items<'_> {
        let len = match self.kind() {
            Kind::Array => self.len(),
            _ => 0,
        };
        Items {
            parent: self.clone(),
            index: 0,
            len,
        }
    }

    fn members(&self) -> Self::Members<'_> {
        Members {
            parent: self.clone(),
            iter: self.obj.cast::<PyDict>().ok().map(PyDictMethods::iter),
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        let dict = self.obj.cast::<PyDict>().ok()?;
        match dict.get_item(key) {
            Ok(v) => v.map(|v| self.wrap(v)),
            Err(e) => {
                self.state.record(|| e);
                None
            }
        }
    }

    fn item(&self, index: usize) -> Option<Self> {
        if let Ok(list) = self.obj.cast_exact::<PyList>() {
            list.get_item(index).ok().map(|v| self.wrap(v))
        } else if let Ok(list) = self.obj.cast::<PyList>() {
            list.get_item(index).ok().map(|v| self.wrap(v))
        } else if let Ok(tuple) = self.obj.cast::<PyTuple>() {
            tuple.get_item(index).ok().map(|v| self.wrap(v))
        } else {
            None
        }
    }

    fn check_format(&self, format: &str) -> Option<bool> {
        let check = self.state.format_check.as_ref()?;
        match check.call1((&self.obj, format)).and_then(|r| r.is_truthy()) {
            Ok(ok) => Some(ok),
            Err(e) => {
                self.state.record(|| e);
                Some(true)
            }
        }
    }
}

/// A core value as a new Python object (`dict`, `list`, `str`, `int`, `float`, `bool`,
/// `None`). Values come from the core's parser or schemas, so their depth is bounded.
pub(crate) fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number_to_python(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(members) => {
            let dict = PyDict::new(py);
            for (k, v) in members {
                dict.set_item(k, to_python(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

pub(crate) fn number_to_python<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    Ok(match n {
        Number::Int(i) => i.into_pyobject(py)?.into_any(),
        Number::Float(f) => PyFloat::new(py, *f).into_any(),
        Number::Big(b) => py.get_type::<PyInt>().call1((b.to_string(),))?,
    })
}
