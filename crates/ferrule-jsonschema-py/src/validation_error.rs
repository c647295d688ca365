//! Python `ValidationError`s made from the core's errors, attribute for attribute as
//! python-jsonschema's `iter_errors` makes them.
//!
//! Making them here rather than in Python halves what an error costs: no intermediate tuple
//! per error, no interpreted message formatting, and `_Error.__init__`'s dozen attribute
//! writes replaced by one prepared `__dict__`. `validate()` raises and `iter_errors` yields
//! lazy errors (see [`crate::lazy_error`]), built here, in place, on their first read.

use ferrule_jsonschema::{ContextError, ErrorKind, PathItem, ValidationError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};
use pyo3::{IntoPyObjectExt, intern};

use crate::lazy_error::{instance_dict, lazy, set_instance_dict};
use crate::message::{SchemaSide, message};
use crate::validator::Validator;

/// A core error whose instance is a Python object.
pub(crate) type PyValidationError = ValidationError<Py<PyAny>>;

static VALIDATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ERROR_BASE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
/// `_Error.__init__` and `_Error.__setattr__`, which a class without its own inherits.
static BASE_METHODS: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
static DEQUE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UNSET: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
/// `_Error.__init__`'s attribute names, in its order (values `None`).
static ATTRIBUTES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

const EXCEPTIONS: &str = "ferrule.jsonschema.exceptions";

/// `ferrule.jsonschema.exceptions.ValidationError`.
pub(crate) fn validation_error_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    VALIDATION_ERROR.import(py, EXCEPTIONS, "ValidationError")
}

/// What an error's message needs: the schema at its keyword, found once per location.
pub(crate) struct Messages<'a, 'py> {
    py: Python<'py>,
    validator: &'a Validator,
    unset: Bound<'py, PyAny>,
}

impl<'a, 'py> Messages<'a, 'py> {
    pub(crate) fn new(py: Python<'py>, validator: &'a Validator) -> PyResult<Self> {
        let unset = UNSET
            .get_or_try_init(py, || {
                py.import(EXCEPTIONS)?.getattr("_unset").map(Bound::unbind)
            })?
            .bind(py)
            .clone();
        Ok(Messages {
            py,
            validator,
            unset,
        })
    }

    /// The schema at the failing keyword, the keyword's value and `validator` (the keyword's
    /// name, `None` for a `false` schema), as python-jsonschema sets them.
    pub(crate) fn lookup(
        &self,
        location: &str,
        keyword: &'static str,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let py = self.py;
        let (schema, value) = match self.validator.cached_schema_at(py, location, keyword)? {
            Some((schema, value)) => (schema.into_bound(py), value.into_bound(py)),
            None => (self.unset.clone(), self.unset.clone()),
        };
        if keyword == "false" {
            let none = py.None().into_bound(py);
            return Ok((schema, none.clone(), none));
        }
        Ok((schema, value, keyword_str(py, keyword)?.into_any()))
    }

    fn text(
        &self,
        keyword: &str,
        kind: &ErrorKind,
        instance: &Bound<'py, PyAny>,
        schema: &Bound<'py, PyAny>,
        value: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyString>> {
        let at = SchemaSide {
            value,
            schema,
            draft: self.validator.draft_name(),
        };
        let text = message(keyword, kind, instance, &at)?;
        Ok(PyString::new(self.py, &text))
    }

    /// The message of the error `e` makes, `None` for `propertyNames` (whose errors are its
    /// subschema's).
    pub(crate) fn message_of(
        &self,
        e: &PyValidationError,
    ) -> PyResult<Option<Bound<'py, PyString>>> {
        if matches!(e.kind, ErrorKind::PropertyNames { .. }) {
            return Ok(None);
        }
        let (schema, value, _) = self.lookup(&e.absolute_keyword_location, e.keyword)?;
        let instance = e.instance.bind(self.py);
        self.text(e.keyword, &e.kind, instance, &schema, &value)
            .map(Some)
    }
}

/// Everything the errors of one call share: the class, its `__new__`, the sentinel of unset
/// attributes, and where schemas are found.
pub(crate) struct Builder<'a, 'py> {
    py: Python<'py>,
    at: Messages<'a, 'py>,
    cls: Bound<'py, PyType>,
    /// Looked up on the first error made: a lazy error's build makes none unless it has
    /// context errors.
    new: std::cell::OnceCell<Bound<'py, PyAny>>,
    /// A subclass with its own `__init__` gets it called, as python-jsonschema would.
    custom_init: bool,
    /// Whether `cls` (a user's subclass) has its own `__setattr__`, which then sees every
    /// attribute write; otherwise writes bypass the class's slot (see [`generic_setattr`]).
    custom_setattr: bool,
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
    fn of_error(e: &'e PyValidationError) -> Self {
        Parts {
            keyword: e.keyword,
            kind: &e.kind,
            path: e.instance_path.clone(),
            schema_path: without_refs(&e.schema_path),
            location: &e.absolute_keyword_location,
        }
    }

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

/// An error's attributes as `_Error.__init__` takes them (paths as lists).
struct Attributes<'py> {
    text: Bound<'py, PyString>,
    validator: Bound<'py, PyAny>,
    path: Bound<'py, PyList>,
    schema_path: Bound<'py, PyList>,
    children: Vec<Bound<'py, PyAny>>,
    value: Bound<'py, PyAny>,
    instance: Bound<'py, PyAny>,
    schema: Bound<'py, PyAny>,
}

impl<'py> Attributes<'py> {
    /// The `args` of the eagerly built error.
    fn args(&self, py: Python<'py>) -> PyResult<[Bound<'py, PyAny>; 10]> {
        let none = py.None().into_bound(py);
        Ok([
            self.text.clone().into_any(),
            self.validator.clone(),
            self.path.clone().into_any(),
            none.clone(),
            PyList::new(py, &self.children)?.into_any(),
            self.value.clone(),
            self.instance.clone(),
            self.schema.clone(),
            self.schema_path.clone().into_any(),
            none,
        ])
    }
}

/// The Python strings of the core's keywords, by address and length: `&'static str`s, so
/// finitely many.
type Keywords = std::collections::HashMap<(usize, usize), Py<PyString>>;

static KEYWORDS: PyOnceLock<std::sync::Mutex<Keywords>> = PyOnceLock::new();

/// `keyword` as an interned Python string, made once per process: `PyString::intern` decodes
/// the text and looks it up in the interpreter's table on every call (about 400 instructions,
/// a few times per error).
fn keyword_str<'py>(py: Python<'py>, keyword: &'static str) -> PyResult<Bound<'py, PyString>> {
    let cache = KEYWORDS.get_or_init(py, Default::default);
    let key = (keyword.as_ptr() as usize, keyword.len());
    let poisoned = |_| crate::errors::runtime_error("keyword cache poisoned by a panic");
    if let Some(found) = cache.lock().map_err(poisoned)?.get(&key) {
        return Ok(found.bind(py).clone());
    }
    let made = PyString::intern(py, keyword);
    cache
        .lock()
        .map_err(poisoned)?
        .entry(key)
        .or_insert_with(|| made.clone().unbind());
    Ok(made)
}

fn path_to_python<'py>(py: Python<'py>, path: &[PathItem]) -> PyResult<Bound<'py, PyList>> {
    let items = path
        .iter()
        .map(|item| match item {
            PathItem::Key(k) => PyString::new(py, k).into_any().into_bound_py_any(py),
            PathItem::Keyword(k) => keyword_str(py, k).map(Bound::into_any),
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
        let (base_init, base_setattr) = BASE_METHODS.get_or_try_init(py, || {
            let base = ERROR_BASE.import(py, EXCEPTIONS, "_Error")?;
            let init = base.getattr(intern!(py, "__init__"))?.unbind();
            PyResult::Ok((init, base.getattr(intern!(py, "__setattr__"))?.unbind()))
        })?;
        Ok(Builder {
            py,
            at: Messages::new(py, validator)?,
            custom_init: !cls.getattr(intern!(py, "__init__"))?.is(base_init),
            custom_setattr: !cls.getattr(intern!(py, "__setattr__"))?.is(base_setattr),
            cls,
            new: std::cell::OnceCell::new(),
            deque: DEQUE.import(py, "collections", "deque")?.clone(),
        })
    }

    /// `cls.__new__`.
    fn new_of_cls(&self) -> PyResult<&Bound<'py, PyAny>> {
        if let Some(new) = self.new.get() {
            return Ok(new);
        }
        let new = self.cls.getattr(intern!(self.py, "__new__"))?;
        Ok(self.new.get_or_init(|| new))
    }

    /// The errors of one core error (several for `propertyNames`, which python-jsonschema
    /// reports flat, with the property name as instance), appended to `out`.
    pub(crate) fn build_error(
        &self,
        e: &ValidationError<Py<PyAny>>,
        out: &mut Vec<Bound<'py, PyAny>>,
    ) -> PyResult<()> {
        self.build(
            Parts::of_error(e),
            e.instance.bind(self.py).clone(),
            None,
            out,
        )
    }

    /// Builds the error `e` makes (its first, for `propertyNames`) into `shell`, a lazy error:
    /// the attributes into its `__dict__` (through its class's own `__setattr__` if it has
    /// one), keeping those already there, the children's `parent` the shell; returns the built
    /// `args`. `text` is its message when already made.
    pub(crate) fn fill(
        &self,
        shell: &Bound<'py, PyAny>,
        e: &PyValidationError,
        text: Option<Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let py = self.py;
        let dict = instance_dict(shell)?;
        if matches!(e.kind, ErrorKind::PropertyNames { .. }) || self.custom_init {
            // Made whole (through the class's own `__init__`, if it has one), then copied.
            let full = self.first(e)?;
            for (name, value) in instance_dict(&full)?.iter() {
                if !dict.contains(&name)? {
                    dict.set_item(name, value)?;
                }
            }
            let parent = intern!(py, "parent");
            for child in full.getattr(intern!(py, "context"))?.try_iter()? {
                let child = child?;
                if child.getattr(parent)?.is(&full) {
                    self.set(&child, parent, shell)?;
                }
            }
            return crate::lazy_error::exception_args(&full);
        }
        let a = self.attributes(Parts::of_error(e), e.instance.bind(py).clone(), None, text)?;
        let made = self.attribute_dict(&a)?;
        if dict.is_empty() && !self.custom_setattr {
            set_instance_dict(shell, &made)?;
        } else {
            for (name, value) in made.iter() {
                if !dict.contains(&name)? {
                    self.set(shell, &name.cast_into::<PyString>()?, &value)?;
                }
            }
        }
        for child in &a.children {
            self.set(child, intern!(py, "parent"), shell)?;
        }
        PyTuple::new(py, a.args(py)?)
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
                Err(_) => return self.at.unset.clone(),
            }
        }
        instance
    }

    fn build(
        &self,
        parts: Parts<'_>,
        instance: Bound<'py, PyAny>,
        parent_keyword: Option<&'static str>,
        out: &mut Vec<Bound<'py, PyAny>>,
    ) -> PyResult<()> {
        let py = self.py;
        if let ErrorKind::PropertyNames { property, context } = parts.kind {
            let name = PyString::new(py, property).into_any();
            for sub in context {
                let sub_parts = Parts::of_context(sub, Some((&parts.path, &parts.schema_path)));
                let sub_instance = self.follow(name.clone(), &sub.relative_instance_path);
                self.build(sub_parts, sub_instance, None, out)?;
            }
            return Ok(());
        }
        let a = self.attributes(parts, instance, parent_keyword, None)?;
        if self.custom_init {
            let kwargs = PyDict::new(py);
            kwargs.set_item("validator", a.validator)?;
            kwargs.set_item("path", a.path)?;
            kwargs.set_item("context", PyList::new(py, &a.children)?)?;
            kwargs.set_item("validator_value", a.value)?;
            kwargs.set_item("instance", a.instance)?;
            kwargs.set_item("schema", a.schema)?;
            kwargs.set_item("schema_path", a.schema_path)?;
            out.push(self.cls.call((a.text,), Some(&kwargs))?);
            return Ok(());
        }
        out.push(self.made(a)?);
        Ok(())
    }

    /// Everything but the error object of a (non-`propertyNames`) error; `text` when its
    /// message is already made.
    fn attributes(
        &self,
        mut parts: Parts<'_>,
        instance: Bound<'py, PyAny>,
        parent_keyword: Option<&'static str>,
        text: Option<Bound<'py, PyString>>,
    ) -> PyResult<Attributes<'py>> {
        let py = self.py;
        let context: &[ContextError] = match parts.kind {
            ErrorKind::AnyOf { context } | ErrorKind::OneOfNotValid { context } => context,
            _ => &[],
        };
        if matches!(parts.kind, ErrorKind::FalseSchema { referenced: false }) {
            // A context error's paths are relative to its parent: judge them with its keyword.
            let lead = usize::from(parent_keyword.is_some());
            let mut full = Vec::with_capacity(parts.schema_path.len() + lead);
            full.extend(parent_keyword.map(PathItem::Keyword));
            full.append(&mut parts.schema_path);
            false_schema_paths(&mut parts.path, &mut full);
            parts.schema_path = full.split_off(lead.min(full.len()));
        }
        let (schema, value, validator) = self.at.lookup(parts.location, parts.keyword)?;
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
        let text = match text {
            Some(text) => text,
            None => self
                .at
                .text(parts.keyword, parts.kind, &instance, &schema, &value)?,
        };
        Ok(Attributes {
            text,
            validator,
            path: path_to_python(py, &parts.path)?,
            schema_path: path_to_python(py, &parts.schema_path)?,
            children,
            value,
            instance,
            schema,
        })
    }

    /// What `_Error.__init__` makes, without running it: the same `args`, then the same
    /// attributes in the same order in one prepared `__dict__`.
    fn made(&self, a: Attributes<'py>) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let mut args = Vec::with_capacity(11);
        args.push(self.cls.clone().into_any());
        args.extend(a.args(py)?);
        let error = self.new_of_cls()?.call1(PyTuple::new(py, args)?)?;
        let dict = self.attribute_dict(&a)?;
        if self.custom_setattr {
            error.setattr(intern!(py, "__dict__"), dict)?;
        } else {
            set_instance_dict(&error, &dict)?;
        }
        for child in &a.children {
            self.set(child, intern!(py, "parent"), &error)?;
        }
        Ok(error)
    }

    /// `_Error.__init__`'s attributes, in its order, as a dict: a copy of a dict of those
    /// names (no resizing as they are added) with the values replaced.
    fn attribute_dict(&self, a: &Attributes<'py>) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let none = py.None().into_bound(py);
        let path = self.deque.call1((&a.path,))?;
        let schema_path = self.deque.call1((&a.schema_path,))?;
        let context = PyList::new(py, &a.children)?;
        let items: [(&Bound<'py, PyString>, &Bound<'py, PyAny>); 13] = [
            (intern!(py, "message"), a.text.as_any()),
            (intern!(py, "path"), &path),
            (intern!(py, "relative_path"), &path),
            (intern!(py, "schema_path"), &schema_path),
            (intern!(py, "relative_schema_path"), &schema_path),
            (intern!(py, "context"), context.as_any()),
            (intern!(py, "cause"), &none),
            (intern!(py, "validator"), &a.validator),
            (intern!(py, "validator_value"), &a.value),
            (intern!(py, "instance"), &a.instance),
            (intern!(py, "schema"), &a.schema),
            (intern!(py, "parent"), &none),
            (intern!(py, "_type_checker"), &self.at.unset),
        ];
        let template = ATTRIBUTES.get_or_try_init(py, || {
            let template = PyDict::new(py);
            for (name, _) in &items {
                template.set_item(name, &none)?;
            }
            PyResult::Ok(template.unbind())
        })?;
        let dict = template.bind(py).copy()?;
        for (name, value) in items {
            dict.set_item(name, value)?;
        }
        Ok(dict)
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
    pub(crate) fn first(&self, e: &PyValidationError) -> PyResult<Bound<'py, PyAny>> {
        let mut out = Vec::with_capacity(1);
        self.build_error(e, &mut out)?;
        out.into_iter()
            .next()
            .ok_or_else(|| crate::errors::runtime_error("an error without errors"))
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
                if matches!(e.kind, ErrorKind::PropertyNames { .. }) {
                    builder.build_error(&e, &mut out)?;
                } else {
                    out.push(lazy(self.validator.bind(py), e)?);
                }
            }
            pending.made.extend(out.into_iter().map(Bound::unbind));
        }
        Ok(pending.made.pop_front())
    }
}
