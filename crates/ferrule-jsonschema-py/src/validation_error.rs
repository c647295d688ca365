//! Python `ValidationError`s made from the core's errors, attribute for attribute as
//! python-jsonschema's `iter_errors` makes them.
//!
//! Making them here rather than in Python halves what an error costs: no intermediate tuple
//! per error, no interpreted message formatting, and `_Error.__init__`'s dozen attribute
//! writes replaced by one prepared `__dict__`. `validate()` raises a lazy error instead: an
//! empty `ValidationError` whose `args` are a [`LazyError`], built on the first read of an
//! attribute (`_Error._materialize`), since most raised errors are caught and dropped unread.

use ferrule_jsonschema::{ContextError, ErrorKind, PathItem, ValidationError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};
use pyo3::{IntoPyObjectExt, intern};

use crate::message::{SchemaSide, message};
use crate::validator::Validator;

/// A core error whose instance is a Python object.
pub(crate) type PyValidationError = ValidationError<Py<PyAny>>;

static VALIDATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ERROR_BASE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DEQUE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UNSET: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

const EXCEPTIONS: &str = "ferrule.jsonschema.exceptions";

/// `ferrule.jsonschema.exceptions.ValidationError`.
fn validation_error_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    VALIDATION_ERROR.import(py, EXCEPTIONS, "ValidationError")
}

/// Everything the errors of one call share: the class, its `__new__`, the sentinel of unset
/// attributes, and where schemas are found.
pub(crate) struct Builder<'a, 'py> {
    py: Python<'py>,
    validator: &'a Validator,
    cls: Bound<'py, PyType>,
    new: Bound<'py, PyAny>,
    /// A subclass with its own `__init__` gets it called, as python-jsonschema would.
    custom_init: bool,
    /// Whether `cls` (a user's subclass) has its own `__setattr__`, which then sees every
    /// attribute write; otherwise writes bypass the class's slot (see [`generic_setattr`]).
    custom_setattr: bool,
    unset: Bound<'py, PyAny>,
    deque: Bound<'py, PyType>,
}

/// The parts of an error or a context error that [`Builder::build`] needs; paths as
/// python-jsonschema reports them (no `$ref` steps), relative to the parent for context errors.
struct Parts<'e> {
    keyword: &'static str,
    kind: &'e ErrorKind,
    path: Vec<PathItem>,
    schema_path: Vec<PathItem>,
    location: &'e str,
}

fn without_refs(path: &[PathItem]) -> Vec<PathItem> {
    path.iter()
        .filter(|p| **p != PathItem::Keyword("$ref"))
        .cloned()
        .collect()
}

impl<'e> Parts<'e> {
    fn of_context(c: &'e ContextError, prefix: Option<(&[PathItem], &[PathItem])>) -> Self {
        let (mut path, mut schema_path) = match prefix {
            Some((p, s)) => (p.to_vec(), s.to_vec()),
            None => (Vec::new(), Vec::new()),
        };
        path.extend(c.relative_instance_path.iter().cloned());
        schema_path.extend(without_refs(&c.relative_schema_path));
        Parts {
            keyword: c.keyword,
            kind: &c.kind,
            path,
            schema_path,
            location: &c.absolute_keyword_location,
        }
    }
}

fn path_to_python<'py>(py: Python<'py>, path: &[PathItem]) -> PyResult<Bound<'py, PyList>> {
    let items = path
        .iter()
        .map(|item| match item {
            PathItem::Key(k) => PyString::new(py, k).into_any().into_bound_py_any(py),
            PathItem::Keyword(k) => PyString::intern(py, k).into_any().into_bound_py_any(py),
            PathItem::Index(i) => i.into_bound_py_any(py),
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

fn is_str(item: &PathItem, names: &[&str]) -> bool {
    match item {
        PathItem::Key(k) => names.contains(&&**k),
        PathItem::Keyword(k) => names.contains(k),
        PathItem::Index(_) => false,
    }
}

const INDEXED: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];
const KEYED: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "dependencies",
    "unevaluatedProperties",
];
const INTO_KEY: &[&str] = &["properties", "patternProperties", "unevaluatedProperties"];
const INTO_ITEM: &[&str] = &[
    "additionalProperties",
    "items",
    "additionalItems",
    "unevaluatedItems",
];

/// python-jsonschema reports a `false` subschema's error without the step its parent keyword
/// descended by (`{"properties": {"a": false}}` fails at path `[]`, schema path
/// `["properties"]`); mirror that. `schema_path` starts with the parent error's keyword for a
/// context error, whose paths are relative to it.
fn false_schema_paths(path: &mut Vec<PathItem>, schema_path: &mut Vec<PathItem>) {
    let n = schema_path.len();
    let last_is_str = |sp: &[PathItem]| sp.last().is_some_and(|p| !matches!(p, PathItem::Index(_)));
    if n >= 2
        && is_str(&schema_path[n - 2], INDEXED)
        && matches!(schema_path[n - 1], PathItem::Index(_))
    {
        let into_item = is_str(&schema_path[n - 2], &["prefixItems", "items"]);
        schema_path.pop();
        if into_item {
            path.pop();
        }
    } else if n >= 2 && is_str(&schema_path[n - 2], KEYED) && last_is_str(schema_path) {
        let into_key = is_str(&schema_path[n - 2], INTO_KEY);
        schema_path.pop();
        if into_key {
            path.pop();
        }
    } else if n >= 1 && is_str(&schema_path[n - 1], INTO_ITEM) && !path.is_empty() {
        path.pop();
    } else if n >= 1 && is_str(&schema_path[n - 1], &["then", "else"]) {
        schema_path.pop();
    }
}

impl<'a, 'py> Builder<'a, 'py> {
    /// A builder of `cls` errors (`ValidationError` when `None`).
    pub(crate) fn new(
        py: Python<'py>,
        validator: &'a Validator,
        cls: Option<Bound<'py, PyType>>,
    ) -> PyResult<Self> {
        let cls = match cls {
            Some(cls) => cls,
            None => validation_error_type(py)?.clone(),
        };
        let base = ERROR_BASE.import(py, EXCEPTIONS, "_Error")?;
        let init = intern!(py, "__init__");
        let custom_init = !cls.getattr(init)?.is(&base.getattr(init)?);
        let setattr = intern!(py, "__setattr__");
        let custom_setattr = !cls.getattr(setattr)?.is(&base.getattr(setattr)?);
        let unset = UNSET
            .get_or_try_init(py, || {
                py.import(EXCEPTIONS)?.getattr("_unset").map(Bound::unbind)
            })?
            .bind(py)
            .clone();
        Ok(Builder {
            py,
            validator,
            new: cls.getattr(intern!(py, "__new__"))?,
            cls,
            custom_init,
            custom_setattr,
            unset,
            deque: DEQUE.import(py, "collections", "deque")?.clone(),
        })
    }

    /// The errors of one core error (several for `propertyNames`, which python-jsonschema
    /// reports flat, with the property name as instance), appended to `out`.
    pub(crate) fn build_error(
        &self,
        e: &ValidationError<Py<PyAny>>,
        out: &mut Vec<Bound<'py, PyAny>>,
    ) -> PyResult<()> {
        let parts = Parts {
            keyword: e.keyword,
            kind: &e.kind,
            path: e.instance_path.clone(),
            schema_path: without_refs(&e.schema_path),
            location: &e.absolute_keyword_location,
        };
        self.build(parts, e.instance.bind(self.py).clone(), None, out)
    }

    /// `instance[step]...`, or the unset sentinel when a step is missing.
    fn follow(&self, mut instance: Bound<'py, PyAny>, path: &[PathItem]) -> Bound<'py, PyAny> {
        for step in path {
            let found = match step {
                PathItem::Key(k) => instance.get_item(&**k),
                PathItem::Keyword(k) => instance.get_item(*k),
                PathItem::Index(i) => instance.get_item(*i),
            };
            match found {
                Ok(v) => instance = v,
                Err(_) => return self.unset.clone(),
            }
        }
        instance
    }

    fn build(
        &self,
        mut parts: Parts<'_>,
        instance: Bound<'py, PyAny>,
        parent_keyword: Option<&'static str>,
        out: &mut Vec<Bound<'py, PyAny>>,
    ) -> PyResult<()> {
        let py = self.py;
        let context: &[ContextError] = match parts.kind {
            ErrorKind::PropertyNames { property, context } => {
                let name = PyString::new(py, property).into_any();
                for sub in context {
                    let sub_parts = Parts::of_context(sub, Some((&parts.path, &parts.schema_path)));
                    let sub_instance = self.follow(name.clone(), &sub.relative_instance_path);
                    self.build(sub_parts, sub_instance, None, out)?;
                }
                return Ok(());
            }
            ErrorKind::AnyOf { context } | ErrorKind::OneOfNotValid { context } => context,
            _ => &[],
        };
        if matches!(parts.kind, ErrorKind::FalseSchema) {
            // A context error's paths are relative to its parent: judge them with its keyword.
            let lead = usize::from(parent_keyword.is_some());
            let mut full = Vec::with_capacity(parts.schema_path.len() + lead);
            full.extend(parent_keyword.map(PathItem::Keyword));
            full.append(&mut parts.schema_path);
            false_schema_paths(&mut parts.path, &mut full);
            parts.schema_path = full.split_off(lead.min(full.len()));
        }
        let found = self
            .validator
            .cached_schema_at(py, parts.location, parts.keyword)?;
        let (schema, mut value) = match found {
            Some((schema, value)) => (schema.into_bound(py), value.into_bound(py)),
            None => (self.unset.clone(), self.unset.clone()),
        };
        let validator = if parts.keyword == "false" {
            value = py.None().into_bound(py);
            py.None().into_bound(py)
        } else {
            PyString::intern(py, parts.keyword).into_any()
        };
        let mut children = Vec::with_capacity(context.len());
        for sub in context {
            let sub_instance = self.follow(instance.clone(), &sub.relative_instance_path);
            self.build(
                Parts::of_context(sub, None),
                sub_instance,
                Some(parts.keyword),
                &mut children,
            )?;
        }
        let at = SchemaSide {
            value: &value,
            schema: &schema,
            draft: self.validator.draft_name(),
        };
        let text = PyString::new(py, &message(parts.keyword, parts.kind, &instance, &at)?);
        let path = path_to_python(py, &parts.path)?;
        let schema_path = path_to_python(py, &parts.schema_path)?;
        if self.custom_init {
            let children_list = PyList::new(py, &children)?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("validator", validator)?;
            kwargs.set_item("path", path)?;
            kwargs.set_item("context", children_list)?;
            kwargs.set_item("validator_value", value)?;
            kwargs.set_item("instance", instance)?;
            kwargs.set_item("schema", schema)?;
            kwargs.set_item("schema_path", schema_path)?;
            out.push(self.cls.call((text,), Some(&kwargs))?);
            return Ok(());
        }
        let error = self.made(
            &text,
            &validator,
            path,
            &children,
            &value,
            &instance,
            &schema,
            schema_path,
        )?;
        out.push(error);
        Ok(())
    }

    /// What `_Error.__init__` makes, without running it: the same `args`, then the same
    /// attributes in the same order in one prepared `__dict__`.
    #[expect(clippy::too_many_arguments, reason = "the attributes of an error")]
    fn made(
        &self,
        text: &Bound<'py, PyString>,
        validator: &Bound<'py, PyAny>,
        path: Bound<'py, PyList>,
        children: &[Bound<'py, PyAny>],
        value: &Bound<'py, PyAny>,
        instance: &Bound<'py, PyAny>,
        schema: &Bound<'py, PyAny>,
        schema_path: Bound<'py, PyList>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let children_list = PyList::new(py, children)?;
        let none = py.None().into_bound(py);
        let args = PyTuple::new(
            py,
            [
                self.cls.as_any(),
                text.as_any(),
                validator,
                path.as_any(),
                &none,
                children_list.as_any(),
                value,
                instance,
                schema,
                schema_path.as_any(),
                &none,
            ],
        )?;
        let error = self.new.call1(args)?;
        let path_deque = self.deque.call1((path,))?;
        let schema_path_deque = self.deque.call1((schema_path,))?;
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "message"), text)?;
        dict.set_item(intern!(py, "path"), &path_deque)?;
        dict.set_item(intern!(py, "relative_path"), &path_deque)?;
        dict.set_item(intern!(py, "schema_path"), &schema_path_deque)?;
        dict.set_item(intern!(py, "relative_schema_path"), &schema_path_deque)?;
        dict.set_item(intern!(py, "context"), PyList::new(py, children)?)?;
        dict.set_item(intern!(py, "cause"), &none)?;
        dict.set_item(intern!(py, "validator"), validator)?;
        dict.set_item(intern!(py, "validator_value"), value)?;
        dict.set_item(intern!(py, "instance"), instance)?;
        dict.set_item(intern!(py, "schema"), schema)?;
        dict.set_item(intern!(py, "parent"), &none)?;
        dict.set_item(intern!(py, "_type_checker"), &self.unset)?;
        self.set(&error, intern!(py, "__dict__"), dict.as_any())?;
        for child in children {
            self.set(child, intern!(py, "parent"), &error)?;
        }
        Ok(error)
    }

    fn set(
        &self,
        obj: &Bound<'py, PyAny>,
        name: &Bound<'py, PyString>,
        value: &Bound<'py, PyAny>,
    ) -> PyResult<()> {
        if self.custom_setattr {
            obj.setattr(name, value)
        } else {
            generic_setattr(obj, name, value)
        }
    }

    /// The first error `e` makes (python-jsonschema's first of `iter_errors`).
    fn first(&self, e: &PyValidationError) -> PyResult<Bound<'py, PyAny>> {
        let mut out = Vec::with_capacity(1);
        self.build_error(e, &mut out)?;
        out.into_iter()
            .next()
            .ok_or_else(|| crate::errors::runtime_error("an error without errors"))
    }
}

/// What a lazy `ValidationError` holds until its first read: the core error and the
/// validator that found it.
#[pyclass(frozen, module = "ferrule.jsonschema._native")]
pub(crate) struct LazyError {
    error: PyValidationError,
    validator: Py<Validator>,
}

#[pymethods]
impl LazyError {
    /// The full error, as an instance of `cls`.
    fn build<'py>(&self, cls: Bound<'py, PyType>) -> PyResult<Bound<'py, PyAny>> {
        let py = cls.py();
        let validator = self.validator.get();
        Builder::new(py, validator, Some(cls))?.first(&self.error)
    }
}

/// A `ValidationError` made by its type's `tp_new` alone, its `args` the [`LazyError`]
/// (`_Error._lazy_of` recognises it).
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
        },
    )?;
    let args = PyTuple::new(py, [payload])?;
    new_exception(cls, &args)
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

/// `object.__setattr__(obj, name, value)`, bypassing the class's `tp_setattro`.
///
/// `_Error` defines `__delattr__`, so its `tp_setattro` is the slot that looks `__setattr__`
/// up through the MRO and calls it as a Python method: about 1,300 instructions per raised
/// error, a tenth of a raising `validate()`. The generic setter is what that call ends in.
#[expect(
    unsafe_code,
    reason = "pyo3 has no safe wrapper of PyObject_GenericSetAttr (limited API since 3.2)"
)]
fn generic_setattr(
    obj: &Bound<'_, PyAny>,
    name: &Bound<'_, PyString>,
    value: &Bound<'_, PyAny>,
) -> PyResult<()> {
    // SAFETY: three live objects held by strong references for the whole call; the function
    // takes borrowed references and returns -1 with an exception set on failure.
    let status =
        unsafe { pyo3::ffi::PyObject_GenericSetAttr(obj.as_ptr(), name.as_ptr(), value.as_ptr()) };
    if status < 0 {
        return Err(PyErr::fetch(obj.py()));
    }
    Ok(())
}

/// How many `ValidationError`s [`Errors`] makes at a time.
const BATCH: usize = 64;

/// The errors of `iter_errors`, made into `ValidationError`s a batch at a time as they are
/// iterated. Making all of them at once (6,000 in the benchmark) keeps every error's dict,
/// deques and lists alive together, and the garbage collector then walks the whole heap again
/// and again: 2.5x slower in a process holding large documents.
#[pyclass(frozen, module = "ferrule.jsonschema._native")]
pub(crate) struct Errors {
    validator: Py<Validator>,
    state: std::sync::Mutex<Pending>,
}

struct Pending {
    errors: std::vec::IntoIter<PyValidationError>,
    made: std::collections::VecDeque<Py<PyAny>>,
}

impl Errors {
    pub(crate) fn new(
        py: Python<'_>,
        validator: Py<Validator>,
        errors: Vec<PyValidationError>,
    ) -> PyResult<Bound<'_, Errors>> {
        Bound::new(
            py,
            Errors {
                validator,
                state: std::sync::Mutex::new(Pending {
                    errors: errors.into_iter(),
                    made: std::collections::VecDeque::new(),
                }),
            },
        )
    }
}

#[pymethods]
impl Errors {
    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        // Making errors runs Python code (`repr` of the instances), which could come back
        // here: refuse as a generator does, rather than wait on ourselves.
        let mut pending = match self.state.try_lock() {
            Ok(pending) => pending,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "the errors iterator is already executing",
                ));
            }
        };
        if pending.made.is_empty() {
            let builder = Builder::new(py, self.validator.get(), None)?;
            let mut out = Vec::with_capacity(BATCH);
            while out.len() < BATCH {
                let Some(e) = pending.errors.next() else {
                    break;
                };
                builder.build_error(&e, &mut out)?;
            }
            pending.made.extend(out.into_iter().map(Bound::unbind));
        }
        Ok(pending.made.pop_front())
    }
}
