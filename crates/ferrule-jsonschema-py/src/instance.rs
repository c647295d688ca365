//! Python objects as the core's [`Json`] instances, validated in place, and core [`Value`]s
//! back to Python objects.
//!
//! `dict` (and subclasses) is an object, `list` and `tuple` arrays, `str`, `int`, `float`,
//! `bool` and `None` the scalars. Anything else (a `set`, a custom object, a non-`str` key)
//! cannot be validated: the first such value is recorded in [`State`] and raised after
//! validation, so the core's hot path stays free of error plumbing and nothing crashes.

use std::cell::{Cell, RefCell};
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

use ferrule_jsonschema::{BigInt, ItemKinds, Json, Key, Kind, Number, Value};
use pyo3::Borrowed;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyBoolMethods, PyDict, PyDictMethods, PyFloat, PyInt, PyList, PyListMethods, PyString,
    PyTuple, PyTupleMethods,
};

use crate::errors::{runtime_error, type_error, value_error};
use crate::layout::{Entries, Lookup};

/// What one validation call shares between its instance handles.
pub(crate) struct State<'k, 'py> {
    /// The first problem met (a non-JSON value, a failing format checker).
    problem: RefCell<Option<PyErr>>,
    /// `format_check(instance, format) -> bool` for host formats.
    format_check: Option<Bound<'py, PyAny>>,
    /// The validator's property names as interned Python strings, by [`Key::id`]: a lookup
    /// hashes nothing and allocates nothing.
    keys: &'k [Py<PyString>],
    /// Is this a walk in which no Python code can run ([`is_valid_in_place`])? Its handles
    /// are then borrowed from their containers, and [`crate::layout`]'s reads are known to
    /// apply.
    in_place: bool,
    /// Did an in-place walk meet what it cannot read without running Python code (a
    /// subclass, a non-`str` key)? Its result is then thrown away.
    bailed: Cell<bool>,
}

impl<'k, 'py> State<'k, 'py> {
    pub(crate) fn new(format_check: Option<Bound<'py, PyAny>>, keys: &'k [Py<PyString>]) -> Self {
        State {
            problem: RefCell::new(None),
            format_check,
            keys,
            in_place: false,
            bailed: Cell::new(false),
        }
    }

    fn record(&self, err: impl FnOnce() -> PyErr) {
        let mut problem = self.problem.borrow_mut();
        if problem.is_none() {
            *problem = Some(err());
        }
    }

    /// Gives up an in-place walk (see [`State::bailed`]).
    #[cold]
    fn bail(&self) {
        self.bailed.set(true);
    }

    /// Raises the recorded problem, if any.
    pub(crate) fn finish(&self) -> PyResult<()> {
        match self.problem.borrow_mut().take() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }
}

/// `is_valid` on a Python instance: `validate` over borrowed handles when no Python code can
/// run during the walk, over strong references otherwise.
///
/// Reference counting is a call per handle under the limited API (`Py_IncRef`,
/// `Py_DecRef`), twice per dict member. The handles only need to keep their objects alive
/// against Python code that could change the document while it is walked: a host format
/// checker, or the special methods of subclasses and non-`str` keys (`__len__`, `__str__`,
/// `__eq__`, `__repr__`). Without a checker (`format_check` is `None`), the in-place walk
/// reads exact `dict`, `list`, `str`, `int`, `float`, `bool` and `None` only, none of which
/// runs Python code, and gives up (to the walk with strong references, whose result it then
/// is) at anything else.
pub(crate) fn is_valid_in_place<'py>(
    instance: &Bound<'py, PyAny>,
    format_check: Option<Bound<'py, PyAny>>,
    keys: &[Py<PyString>],
    validate: impl Fn(&PyJson<'_, 'py>) -> bool,
) -> PyResult<bool> {
    let py = instance.py();
    if format_check.is_none() && crate::layout::dict_layout_checked(py) {
        let state = State {
            in_place: true,
            ..State::new(None, keys)
        };
        let valid = {
            let _paused = GcPaused::new();
            // SAFETY: the caller's `instance` outlives the walk, and nothing in it can run
            // Python code (see above): the objects the handles borrow stay alive.
            let root = PyJson::borrowed(instance.as_ptr(), &state, py);
            validate(&root)
        };
        if !state.bailed.get() {
            state.finish()?;
            return Ok(valid);
        }
    }
    let state = State::new(format_check, keys);
    let valid = validate(&PyJson::new(instance.clone(), &state));
    state.finish()?;
    Ok(valid)
}

/// The cyclic garbage collector held off for an in-place walk on CPython 3.11, where it runs
/// on the allocation of a tracked object (the exception of a lone surrogate), and with it
/// finalizers, which are Python code; from 3.12 it runs only between bytecodes.
struct GcPaused(bool);

impl GcPaused {
    #[expect(unsafe_code, reason = "PyGC_Disable, attached to the interpreter")]
    fn new() -> Self {
        // SAFETY: `Py_Version` is a constant the interpreter exports; the caller holds the
        // interpreter (it has a `Python` token).
        unsafe {
            if ffi::Py_Version >= 0x030C_0000 {
                return GcPaused(false);
            }
            GcPaused(ffi::PyGC_Disable() == 1)
        }
    }
}

impl Drop for GcPaused {
    #[expect(unsafe_code, reason = "PyGC_Enable, attached to the interpreter")]
    fn drop(&mut self) {
        if self.0 {
            // SAFETY: still attached: the guard lives inside the walk's scope.
            unsafe {
                ffi::PyGC_Enable();
            }
        }
    }
}

/// A Python string's UTF-8, borrowed from the string object it keeps alive (or, in an
/// in-place walk, that its dict or list keeps alive).
///
/// pyo3's `PyBackedStr` does the same but holds a `Py`, whose drop asks a thread-local
/// whether the thread is attached: one such query per dict key was a visible share of a
/// member pass. A `Bound` drop is a plain decref.
pub(crate) struct PyStr<'py> {
    _owner: Option<Bound<'py, PyString>>,
    data: NonNull<str>,
}

impl<'py> PyStr<'py> {
    /// The view of `s` (`str` or a subclass); an error for a lone surrogate.
    #[inline]
    fn new(s: Bound<'py, PyString>) -> PyResult<Self> {
        let data = NonNull::from(crate::layout::str_utf8(&s)?);
        Ok(PyStr {
            _owner: Some(s),
            data,
        })
    }

    /// The view of `s` without a reference of its own, for an in-place walk.
    #[inline]
    fn borrowed(s: Borrowed<'_, 'py, PyString>) -> PyResult<Self> {
        Ok(PyStr {
            _owner: None,
            data: NonNull::from(crate::layout::str_utf8(&s)?),
        })
    }
}

impl AsRef<str> for PyStr<'_> {
    #[expect(
        unsafe_code,
        reason = "a borrow of the string object's UTF-8 that outlives the `to_str` call"
    )]
    #[inline]
    fn as_ref(&self) -> &str {
        // SAFETY: `data` points into the string object (its ASCII data or its cached
        // UTF-8), which `_owner` keeps alive, or, in an in-place walk, its container, which
        // nothing changes during the walk; a `str` is immutable and the cache is freed only
        // with it.
        unsafe { self.data.as_ref() }
    }
}

/// The Python type of a value, classified once when the value is wrapped: the validator
/// asks for the kind of a value once per keyword.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Shape {
    Null,
    Bool,
    /// Exact `int`.
    Int,
    /// Exact `float`.
    Float,
    /// A subclass of `int` or `float` (not `bool`).
    SubNumber,
    /// `str` or a subclass.
    Str,
    /// Exact `list`.
    List,
    /// A `list` subclass or a `tuple`.
    Sequence,
    /// `dict` or a subclass.
    Dict,
    /// Not a JSON value: reported when the validator looks at it.
    Other,
}

/// [`Shape::kind`] by discriminant: the validator asks each value its kind at every node and
/// keyword, and a `match` compiled to an indirect jump per question.
const KIND_OF: [Kind; 10] = [
    Kind::Null,
    Kind::Bool,
    Kind::Number,
    Kind::Number,
    Kind::Number,
    Kind::String,
    Kind::Array,
    Kind::Array,
    Kind::Object,
    Kind::Null,
];

impl Shape {
    /// The JSON kind (`Null` for [`Shape::Other`], which the caller reports).
    #[inline]
    fn kind(self) -> Kind {
        KIND_OF[self as usize]
    }

    #[inline]
    fn of(obj: &Bound<'_, PyAny>) -> Shape {
        // Exact types first: each is one type-pointer comparison, where `is_instance_of`
        // calls `PyType_GetFlags` under the limited API. Subclasses take the slow chain.
        if obj.is_exact_instance_of::<PyString>() {
            Shape::Str
        } else if obj.is_exact_instance_of::<PyDict>() {
            Shape::Dict
        } else if obj.is_exact_instance_of::<PyList>() {
            Shape::List
        } else if obj.is_exact_instance_of::<PyInt>() {
            Shape::Int
        } else if obj.is_exact_instance_of::<PyFloat>() {
            Shape::Float
        } else if obj.is_none() {
            Shape::Null
        } else if obj.is_exact_instance_of::<PyBool>() {
            Shape::Bool
        } else {
            Shape::of_subclass(obj)
        }
    }

    #[cold]
    fn of_subclass(obj: &Bound<'_, PyAny>) -> Shape {
        if obj.is_instance_of::<PyString>() {
            Shape::Str
        } else if obj.is_instance_of::<PyDict>() {
            Shape::Dict
        } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            Shape::Sequence
        } else if obj.is_instance_of::<PyBool>() {
            Shape::Bool
        } else if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
            Shape::SubNumber
        } else {
            Shape::Other
        }
    }
}

/// A Python object seen through the core's [`Json`] trait.
pub(crate) struct PyJson<'s, 'py> {
    /// A strong reference, or in an in-place walk ([`is_valid_in_place`]) a pointer
    /// borrowed from the object's container, never released.
    obj: ManuallyDrop<Bound<'py, PyAny>>,
    shape: Shape,
    /// Does `obj` hold a reference of its own?
    owned: bool,
    state: &'s State<'s, 'py>,
}

impl Clone for PyJson<'_, '_> {
    #[expect(unsafe_code, reason = "copies a borrowed handle without a reference")]
    #[inline]
    fn clone(&self) -> Self {
        let obj = if self.owned {
            (*self.obj).clone()
        } else {
            // SAFETY: a copy of a borrowed handle, as valid as it is and never released
            // either (`owned` is false).
            unsafe { Bound::from_owned_ptr(self.obj.py(), self.obj.as_ptr()) }
        };
        PyJson {
            obj: ManuallyDrop::new(obj),
            shape: self.shape,
            owned: self.owned,
            state: self.state,
        }
    }
}

impl Drop for PyJson<'_, '_> {
    #[expect(unsafe_code, reason = "releases the reference of an owned handle")]
    #[inline]
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: `obj` holds a reference of its own, released once, here.
            unsafe { ManuallyDrop::drop(&mut self.obj) }
        }
    }
}

impl<'s, 'py> PyJson<'s, 'py> {
    #[inline]
    pub(crate) fn new(obj: Bound<'py, PyAny>, state: &'s State<'s, 'py>) -> Self {
        PyJson::owned(Shape::of(&obj), obj, state)
    }

    #[inline]
    fn owned(shape: Shape, obj: Bound<'py, PyAny>, state: &'s State<'s, 'py>) -> Self {
        PyJson {
            obj: ManuallyDrop::new(obj),
            shape,
            owned: true,
            state,
        }
    }

    /// A handle on `ptr` without a reference, for an in-place walk: an object of an exact
    /// JSON type, or (giving the walk up) one read as `null`.
    ///
    /// # Safety (not marked: every caller passes an object its container holds)
    /// `ptr` stays alive for the walk, which runs no Python code.
    #[expect(unsafe_code, reason = "a handle that does not own its reference")]
    #[inline]
    fn borrowed(ptr: *mut ffi::PyObject, state: &'s State<'s, 'py>, py: Python<'py>) -> Self {
        // SAFETY: a live object (see above); the `Bound` is never released (`owned` false).
        let obj = unsafe { Bound::from_owned_ptr(py, ptr) };
        let shape = exact_shape(obj.as_borrowed()).unwrap_or_else(|| {
            state.bail();
            Shape::Null
        });
        PyJson {
            obj: ManuallyDrop::new(obj),
            shape,
            owned: false,
            state,
        }
    }

    /// A handle on `ptr`, an object held by this handle's container (a member, an item):
    /// borrowed in an in-place walk, a new strong reference otherwise.
    #[expect(unsafe_code, reason = "a new reference to a borrowed pointer")]
    #[inline]
    fn child(&self, ptr: *mut ffi::PyObject) -> Self {
        let py = self.obj.py();
        if self.state.in_place {
            return PyJson::borrowed(ptr, self.state, py);
        }
        // SAFETY: `ptr` is alive, held by this handle's object, which this handle keeps.
        PyJson::new(unsafe { Bound::from_borrowed_ptr(py, ptr) }, self.state)
    }

    /// [`PyJson::child`] for an item whose exact shape is known.
    #[expect(unsafe_code, reason = "a new reference to a borrowed pointer")]
    #[inline]
    fn child_of_shape(&self, ptr: *mut ffi::PyObject, shape: Shape) -> Self {
        let py = self.obj.py();
        if self.state.in_place {
            return PyJson::borrowed(ptr, self.state, py);
        }
        // SAFETY: as in `child`.
        PyJson::owned(
            shape,
            unsafe { Bound::from_borrowed_ptr(py, ptr) },
            self.state,
        )
    }

    /// The object, as a strong reference.
    pub(crate) fn into_object(self) -> Bound<'py, PyAny> {
        (*self.obj).clone()
    }

    fn wrap(&self, obj: Bound<'py, PyAny>) -> Self {
        PyJson::new(obj, self.state)
    }

    /// The value of `key` (an exact `str`) in this dict.
    #[expect(unsafe_code, reason = "the dict's table read in place")]
    fn lookup(&self, key: &Bound<'py, PyString>) -> Option<Self> {
        if self.shape != Shape::Dict {
            return None;
        }
        if self.state.in_place || crate::layout::dict_layout_checked(self.obj.py()) {
            // SAFETY: a live dict held by this handle (or its container, in an in-place
            // walk, where the layout is checked), a live str; `dict_lookup` runs no Python
            // code and its result is made a handle at once.
            match unsafe { crate::layout::dict_lookup(self.obj.as_ptr(), key.as_ptr()) } {
                Lookup::Found(v) => return Some(self.child(v)),
                Lookup::Missing => return None,
                Lookup::Unknown => {}
            }
        }
        if self.state.in_place {
            return self.lookup_in_place(key);
        }
        let dict = self.obj.cast::<PyDict>().ok()?;
        match dict.get_item(key) {
            Ok(v) => v.map(|v| self.wrap(v)),
            Err(e) => {
                self.state.record(|| e);
                None
            }
        }
    }

    /// [`PyJson::lookup`] in an in-place walk, for tables [`crate::layout::dict_lookup`]
    /// leaves to the call. A table of exact `str` keys cannot run Python code (key
    /// comparisons of `str` with `str`); a general one (other keys, whose `__eq__` could)
    /// gives the walk up.
    #[expect(
        unsafe_code,
        reason = "PyDict_GetItemWithError, whose result is borrowed"
    )]
    #[cold]
    fn lookup_in_place(&self, key: &Bound<'py, PyString>) -> Option<Self> {
        // SAFETY: a live dict of an in-place walk, where the layout is checked.
        if !unsafe { crate::layout::str_keys_only(self.obj.as_ptr()) } {
            self.state.bail();
            return None;
        }
        // SAFETY: a live dict whose keys are all exact `str`, an exact `str` key: no Python
        // code runs; the result is borrowed from the dict.
        let found = unsafe { ffi::PyDict_GetItemWithError(self.obj.as_ptr(), key.as_ptr()) };
        if found.is_null() {
            // SAFETY: attached; a `str` key's lookup cannot fail, but an error is not left set.
            unsafe { ffi::PyErr_Clear() };
            return None;
        }
        Some(self.child(found))
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

impl<'s, 'py> PyJson<'s, 'py> {
    /// [`Json::items`] in an in-place walk, whose arrays are exact lists.
    fn items_in_place(&self) -> Items<'s, 'py> {
        let (seq, len) = match self.shape {
            Shape::List if !self.state.bailed.get() => {
                // SAFETY: an exact list of an in-place walk, where the layout is checked,
                // and which nothing changes during the walk.
                #[expect(unsafe_code, reason = "the list's items read in place")]
                let items = unsafe { crate::layout::list_items(self.obj.as_ptr()) };
                (Seq::InPlace(items.as_ptr()), items.len())
            }
            _ => (Seq::Empty, 0),
        };
        Items {
            seq,
            state: self.state,
            py: self.obj.py(),
            index: 0,
            len,
        }
    }

    /// [`Json::all_items`] of an exact list through `PyList_GetItem`, on interpreters whose
    /// list layout [`crate::layout`] does not know.
    fn all_items_by_call<Q, C>(
        &self,
        list: &Bound<'py, PyList>,
        start: usize,
        mut quick: Q,
        mut check: C,
    ) -> bool
    where
        Q: FnMut(Kind) -> Option<bool>,
        C: FnMut(&Self) -> bool,
    {
        let mut len = list.len();
        let mut index = start;
        while index < len {
            let Some(item) = borrowed_item(list, index) else {
                break;
            };
            index += 1;
            let ok = if let Some(shape) = exact_shape(item) {
                match quick(shape.kind()) {
                    Some(ok) => ok,
                    None => check(&PyJson::owned(shape, item.to_owned(), self.state)),
                }
            } else {
                let item = self.wrap(item.to_owned());
                quick(item.kind()).unwrap_or_else(|| check(&item))
            };
            if !ok {
                return false;
            }
            len = len.min(list.len());
        }
        true
    }
}

/// An exact list's size, read in place where the layout is known.
#[inline]
fn list_len(list: &Bound<'_, PyList>) -> usize {
    if crate::layout::direct() {
        // SAFETY: a live exact list held by `list`, and `direct` holds.
        #[expect(unsafe_code, reason = "the list's size read in place")]
        unsafe {
            crate::layout::list_items(list.as_ptr()).len()
        }
    } else {
        list.len()
    }
}

/// A dict's size, read in place where the layout is known.
#[inline]
fn dict_len(dict: &Bound<'_, PyDict>) -> usize {
    if crate::layout::direct() {
        // SAFETY: a live dict held by `dict`, and `direct` holds.
        #[expect(unsafe_code, reason = "the dict's size read in place")]
        unsafe {
            crate::layout::dict_len(dict.as_ptr())
        }
    } else {
        dict.len()
    }
}

/// The item at `index` of a list, borrowed: valid until Python code can run.
#[expect(
    unsafe_code,
    reason = "pyo3 has no borrowed item access under the limited API; PyList_GetItem is one"
)]
#[inline]
fn borrowed_item<'a, 'py>(
    list: &'a Bound<'py, PyList>,
    index: usize,
) -> Option<Borrowed<'a, 'py, PyAny>> {
    let index = pyo3::ffi::Py_ssize_t::try_from(index).ok()?;
    // SAFETY: `list` is a live list held by a strong reference; PyList_GetItem checks the
    // index against the current size and returns a borrowed reference (NULL with IndexError
    // out of range, which the callers' length checks rule out: the error would be cleared
    // by pyo3 anyway).
    unsafe {
        let item = pyo3::ffi::PyList_GetItem(list.as_ptr(), index);
        if item.is_null() {
            pyo3::ffi::PyErr_Clear();
            return None;
        }
        Some(Borrowed::from_ptr(list.py(), item))
    }
}

/// The shape of an object of an exact JSON type (one type-pointer comparison each); `None`
/// for subclasses and other types, which take [`Shape::of`].
#[inline]
fn exact_shape(obj: Borrowed<'_, '_, PyAny>) -> Option<Shape> {
    Some(if obj.is_exact_instance_of::<PyFloat>() {
        Shape::Float
    } else if obj.is_exact_instance_of::<PyInt>() {
        Shape::Int
    } else if obj.is_exact_instance_of::<PyString>() {
        Shape::Str
    } else if obj.is_exact_instance_of::<PyDict>() {
        Shape::Dict
    } else if obj.is_exact_instance_of::<PyList>() {
        Shape::List
    } else if obj.is_none() {
        Shape::Null
    } else if obj.is_exact_instance_of::<PyBool>() {
        Shape::Bool
    } else {
        return None;
    })
}

fn int_number(obj: &Bound<'_, PyAny>) -> Option<Number> {
    match obj.extract::<i64>() {
        Ok(i) => Some(Number::Int(i)),
        Err(_) => big_int(obj),
    }
}

fn big_int(obj: &Bound<'_, PyAny>) -> Option<Number> {
    let text = obj.str().ok()?;
    let text = text.to_str().ok()?;
    BigInt::parse(text).map(Number::Big)
}

/// Iterates a list's or a tuple's items, up to the length read at the start: reading past
/// the end would raise (and discard) an `IndexError` per array. A list a host callback
/// shortened ends early.
pub(crate) struct Items<'s, 'py> {
    seq: Seq<'py>,
    state: &'s State<'s, 'py>,
    py: Python<'py>,
    index: usize,
    len: usize,
}

/// The sequence behind [`Items`], cast once.
enum Seq<'py> {
    List(Bound<'py, PyList>),
    Tuple(Bound<'py, PyTuple>),
    /// An exact list's items, read in place in an in-place walk (which cannot change them).
    InPlace(*const *mut ffi::PyObject),
    Empty,
}

impl<'s, 'py> Iterator for Items<'s, 'py> {
    type Item = PyJson<'s, 'py>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.index >= self.len {
            return None;
        }
        let item = match &self.seq {
            Seq::List(list) => list.get_item(self.index).ok()?,
            Seq::Tuple(tuple) => tuple.get_item(self.index).ok()?,
            Seq::InPlace(items) => {
                // SAFETY: `index` is below the length of the list when it was read, which an
                // in-place walk does not change.
                #[expect(unsafe_code, reason = "an item read in place")]
                let item = unsafe { *items.add(self.index) };
                self.index += 1;
                return Some(PyJson::borrowed(item, self.state, self.py));
            }
            Seq::Empty => return None,
        };
        self.index += 1;
        Some(PyJson::new(item, self.state))
    }
}

/// Iterates a dict's members, skipping (and recording) non-`str` keys. A dict that changes
/// size on the way (a format checker mutating the instance) ends the iteration with a
/// `RuntimeError`, as Python's own dict iteration does, where pyo3's iterator would panic.
pub(crate) struct Members<'s, 'py> {
    /// The dict, cast once; `None` for other kinds and once done.
    dict: Option<Bound<'py, PyDict>>,
    state: &'s State<'s, 'py>,
    /// `PyDict_Next`'s position.
    pos: pyo3::ffi::Py_ssize_t,
    /// The size when the iteration started.
    len: usize,
    /// Is the table read in place ([`crate::layout::dict_next`])?
    direct: bool,
    /// In an in-place walk, the dict's table, read once (the walk cannot change it).
    entries: Option<Entries>,
    py: Python<'py>,
}

impl<'py> Members<'_, 'py> {
    /// The next raw member, or `None` at the end or after a change of size.
    #[expect(
        unsafe_code,
        reason = "PyDict_Next has no safe wrapper that reports a change of size without panicking"
    )]
    fn next_raw(&mut self) -> Option<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let dict = self.dict.as_ref()?;
        if dict_len(dict) != self.len {
            self.dict = None;
            self.state
                .record(|| runtime_error("dictionary changed size during iteration"));
            return None;
        }
        let py = dict.py();
        if self.direct {
            // SAFETY: `dict` is a live dict (or subclass) held by a strong reference and
            // `direct` was set from `dict_layout_checked`. The table is read anew on each
            // call, and the borrowed key and value become strong references before anything
            // can run Python code.
            #[expect(unsafe_code, reason = "the dict's table read in place")]
            match unsafe { crate::layout::dict_next(dict.as_ptr(), &mut self.pos) } {
                crate::layout::Next::Member(key, value) => unsafe {
                    return Some((
                        Bound::from_borrowed_ptr(py, key),
                        Bound::from_borrowed_ptr(py, value),
                    ));
                },
                crate::layout::Next::End => {
                    self.dict = None;
                    return None;
                }
                crate::layout::Next::Unknown => {}
            }
        }
        let mut key = std::ptr::null_mut();
        let mut value = std::ptr::null_mut();
        // SAFETY: `dict` is a live dict (or subclass) held by a strong reference.
        // `PyDict_Next` checks `pos` against the table it finds, so a dict a host callback
        // mutated is still read in bounds. The borrowed key and value become strong
        // references before anything can run Python code.
        unsafe {
            if pyo3::ffi::PyDict_Next(
                dict.as_ptr(),
                &raw mut self.pos,
                &raw mut key,
                &raw mut value,
            ) == 0
            {
                self.dict = None;
                return None;
            }
            Some((
                Bound::from_borrowed_ptr(py, key),
                Bound::from_borrowed_ptr(py, value),
            ))
        }
    }
}

impl<'s, 'py> Members<'s, 'py> {
    /// [`Iterator::next`] in an in-place walk: the member's key and value borrowed from the
    /// table; a key that is not an exact `str` gives the walk up.
    #[inline]
    fn next_in_place(&mut self, entries: Entries) -> Option<(PyStr<'py>, PyJson<'s, 'py>)> {
        loop {
            // SAFETY: the table of a dict of an in-place walk, unchanged since it was read.
            #[expect(unsafe_code, reason = "the dict's entries read in place")]
            let (key, value) = unsafe { entries.next(&mut self.pos) }?;
            // SAFETY: a key the dict holds, alive for the walk.
            #[expect(unsafe_code, reason = "a key borrowed from the dict")]
            let key = unsafe { Borrowed::from_ptr(self.py, key) };
            let Ok(key) = key.cast_exact::<PyString>() else {
                self.state.bail();
                return None;
            };
            match PyStr::borrowed(key) {
                Ok(k) => return Some((k, PyJson::borrowed(value, self.state, self.py))),
                Err(e) => self.state.record(|| key_not_unicode(self.py, e)),
            }
        }
    }
}

/// The error of a dict key that is a lone surrogate.
fn key_not_unicode(py: Python<'_>, cause: PyErr) -> PyErr {
    let err = value_error("a dict key is not valid unicode");
    err.set_cause(py, Some(cause));
    err
}

impl<'s, 'py> Iterator for Members<'s, 'py> {
    type Item = (PyStr<'py>, PyJson<'s, 'py>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(entries) = self.entries {
            return self.next_in_place(entries);
        }
        self.next_owned()
    }
}

impl<'s, 'py> Members<'s, 'py> {
    /// [`Iterator::next`] with strong references.
    fn next_owned(&mut self) -> Option<(PyStr<'py>, PyJson<'s, 'py>)> {
        while let Some((key, value)) = self.next_raw() {
            // An exact `str` key skips the subclass check `extract` would make; `other`
            // keeps any other key for the error message.
            let (parsed, other) = match key.cast_into_exact::<PyString>() {
                Ok(k) => (PyStr::new(k), None),
                Err(e) => {
                    let key = e.into_inner();
                    let parsed = match key.cast::<PyString>() {
                        Ok(k) => PyStr::new(k.clone()),
                        Err(e) => Err(e.into()),
                    };
                    (parsed, Some(key))
                }
            };
            match parsed {
                Ok(k) => return Some((k, PyJson::new(value, self.state))),
                Err(e) => {
                    let py = value.py();
                    self.state.record(|| match other {
                        Some(key) if !key.is_instance_of::<PyString>() => {
                            let repr = key.repr().map_or_else(|_| "?".into(), |r| r.to_string());
                            type_error(format!(
                                "cannot validate a dict with a non-string key: {repr}"
                            ))
                        }
                        _ => key_not_unicode(py, e),
                    });
                }
            }
        }
        None
    }
}

impl<'s, 'py> Json for PyJson<'s, 'py> {
    type Str<'a>
        = PyStr<'py>
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

    #[inline]
    fn kind(&self) -> Kind {
        if self.shape == Shape::Other {
            self.not_json();
        }
        self.shape.kind()
    }

    #[inline]
    fn as_bool(&self) -> Option<bool> {
        self.obj.cast::<PyBool>().ok().map(PyBoolMethods::is_true)
    }

    fn as_str(&self) -> Option<PyStr<'py>> {
        let s = match self.obj.cast_exact::<PyString>() {
            Ok(s) => s,
            Err(_) => self.obj.cast::<PyString>().ok()?,
        };
        let text = if self.owned {
            PyStr::new(s.clone())
        } else {
            PyStr::borrowed(s.as_borrowed())
        };
        match text {
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

    #[inline]
    fn as_number(&self) -> Option<Number> {
        let obj = &self.obj;
        match self.shape {
            Shape::Float => {
                if crate::layout::direct() {
                    // SAFETY: the shape of an exact float, and `direct` holds.
                    #[expect(unsafe_code, reason = "the float's value read in place")]
                    return Some(Number::Float(unsafe {
                        crate::layout::float_value(obj.as_ptr())
                    }));
                }
                obj.cast::<PyFloat>().ok().map(|f| Number::Float(f.value()))
            }
            Shape::Int => {
                if crate::layout::small_int_checked(obj.py()) {
                    // SAFETY: the shape of an exact int, and the layout is checked.
                    #[expect(unsafe_code, reason = "the int's digit read in place")]
                    if let Some(i) = unsafe { crate::layout::small_int(obj.as_ptr()) } {
                        return Some(Number::Int(i));
                    }
                }
                int_number(obj)
            }
            Shape::SubNumber => match obj.cast::<PyFloat>() {
                Ok(f) => Some(Number::Float(f.value())),
                Err(_) => int_number(obj),
            },
            _ => None,
        }
    }

    /// `int` and its subclasses other than `bool` (a `bool` is [`Kind::Bool`]).
    #[inline]
    fn is_int(&self) -> bool {
        match self.shape {
            Shape::Int => true,
            Shape::SubNumber => self.obj.is_instance_of::<PyInt>(),
            _ => false,
        }
    }

    #[inline]
    fn len(&self) -> usize {
        match self.shape {
            Shape::List => self.obj.cast_exact::<PyList>().map_or(0, list_len),
            // SAFETY: the shape of a dict or a subclass.
            #[expect(unsafe_code, reason = "a cast the shape has checked")]
            Shape::Dict => dict_len(unsafe { self.obj.cast_unchecked::<PyDict>() }),
            Shape::Str if crate::layout::direct() => {
                // SAFETY: the shape of a str (or subclass), and `direct` holds.
                #[expect(unsafe_code, reason = "the str's length read in place")]
                match unsafe { crate::layout::str_len(self.obj.as_ptr()) } {
                    Some(n) => n,
                    None => self.obj.len().unwrap_or_default(),
                }
            }
            Shape::Str | Shape::Sequence => self.obj.len().unwrap_or_default(),
            _ => 0,
        }
    }

    #[inline]
    fn items(&self) -> Self::Items<'_> {
        if self.state.in_place {
            return self.items_in_place();
        }
        let seq = match self.shape {
            Shape::List => self
                .obj
                .cast_exact::<PyList>()
                .map_or(Seq::Empty, |l| Seq::List(l.clone())),
            Shape::Sequence => match self.obj.cast::<PyList>() {
                Ok(list) => Seq::List(list.clone()),
                Err(_) => self
                    .obj
                    .cast::<PyTuple>()
                    .map_or(Seq::Empty, |t| Seq::Tuple(t.clone())),
            },
            _ => Seq::Empty,
        };
        let len = match &seq {
            Seq::List(list) => list.len(),
            Seq::Tuple(tuple) => tuple.len(),
            Seq::InPlace(_) | Seq::Empty => 0,
        };
        Items {
            seq,
            state: self.state,
            py: self.obj.py(),
            index: 0,
            len,
        }
    }

    /// An exact list's items are read as borrowed references, and those of an exact JSON
    /// type that `quick` decides never get a handle of their own (no reference count
    /// traffic, no [`PyJson`]). Only `check` can run Python code (a format checker that
    /// mutates the list): an item passed to it is a strong reference first, and the length is
    /// read again after it.
    fn all_items<Q, C>(&self, start: usize, mut quick: Q, mut check: C) -> bool
    where
        Q: FnMut(Kind) -> Option<bool>,
        C: FnMut(&Self) -> bool,
    {
        let Ok(list) = self.obj.cast_exact::<PyList>() else {
            return self
                .items()
                .skip(start)
                .all(|item| quick(item.kind()).unwrap_or_else(|| check(&item)));
        };
        if !crate::layout::direct() {
            return self.all_items_by_call(list, start, quick, check);
        }
        let py = list.py();
        let mut index = start;
        // A list a host callback shortened ends early; one it grew is not followed (a
        // checker appending on each call would never end).
        let mut end = usize::MAX;
        loop {
            // SAFETY: `list` is a live exact list held by a strong reference and `direct`
            // holds. The slice is read again after each `check`, the only call that can run
            // Python code (and resize the list); `quick` runs none.
            #[expect(unsafe_code, reason = "the list's items read in place")]
            let items = unsafe { crate::layout::list_items(list.as_ptr()) };
            end = end.min(items.len());
            let Some(rest) = items.get(index..end) else {
                return true;
            };
            // Items `quick` decides by their exact type never get a handle.
            let mut slow = None;
            for &item in rest {
                // SAFETY: an item of the list, alive while the list holds it.
                #[expect(unsafe_code, reason = "an item borrowed from the list")]
                let item = unsafe { Borrowed::from_ptr(py, item) };
                let shape = exact_shape(item);
                if let Some(ok) = shape.and_then(|s| quick(s.kind())) {
                    if !ok {
                        return false;
                    }
                    index += 1;
                } else {
                    slow = Some((item.as_ptr(), shape));
                    break;
                }
            }
            let Some((item, shape)) = slow else {
                return true;
            };
            index += 1;
            // The handle is made (a strong reference, outside an in-place walk) before
            // `check` can run Python code.
            let ok = if let Some(shape) = shape {
                check(&self.child_of_shape(item, shape))
            } else {
                let item = self.child(item);
                quick(item.kind()).unwrap_or_else(|| check(&item))
            };
            if !ok {
                return false;
            }
        }
    }

    /// An exact list's items read in place, each tested by its exact type; `None` at the
    /// first item of another type (a subclass, a tuple), which the general path reads.
    #[expect(unsafe_code, reason = "the list's items read in place")]
    fn items_by_kind(&self, start: usize, kinds: &ItemKinds) -> Option<bool> {
        if self.shape != Shape::List || !crate::layout::direct() {
            return None;
        }
        let py = self.obj.py();
        // SAFETY: a live exact list (its shape), held by this handle or, in an in-place
        // walk, by its container, and `direct` holds. Nothing below runs Python code, so
        // neither it nor the lists it holds change while they are read.
        let items = unsafe { crate::layout::list_items(self.obj.as_ptr()) };
        for &item in items.get(start..).unwrap_or_default() {
            // SAFETY: an item of the list, alive while the list holds it.
            let item = unsafe { Borrowed::from_ptr(py, item) };
            let kind = exact_shape(item)?.kind();
            if kinds.accept & (1 << kind as u8) != 0 {
                continue;
            }
            let Some(arrays) = kinds.arrays.filter(|_| kind == Kind::Array) else {
                return Some(false);
            };
            // SAFETY: an exact list (an array of exact shape), held by the list above.
            let inner = unsafe { crate::layout::list_items(item.as_ptr()) };
            let len = inner.len() as u64;
            if len < arrays.min || len > arrays.max {
                return Some(false);
            }
            for &inner in inner {
                // SAFETY: an item of the inner list, alive while that list holds it.
                let inner = unsafe { Borrowed::from_ptr(py, inner) };
                if arrays.accept & (1 << exact_shape(inner)?.kind() as u8) == 0 {
                    return Some(false);
                }
            }
        }
        Some(true)
    }

    fn members(&self) -> Self::Members<'_> {
        let py = self.obj.py();
        if self.state.in_place {
            // SAFETY: a live dict of an in-place walk, where the layout is checked.
            #[expect(unsafe_code, reason = "the dict's table read in place")]
            let entries = match self.shape {
                Shape::Dict if !self.state.bailed.get() => unsafe {
                    Entries::of(self.obj.as_ptr())
                },
                _ => None,
            };
            // A split table (an instance's `__dict__`, whose values lie apart from its
            // keys) gives the walk up, as does a walk already given up.
            if entries.is_none() && self.shape == Shape::Dict {
                self.state.bail();
            }
            return Members {
                dict: None,
                state: self.state,
                pos: 0,
                len: 0,
                direct: false,
                entries,
                py,
            };
        }
        let dict = match self.shape {
            Shape::Dict => self.obj.cast::<PyDict>().ok().cloned(),
            _ => None,
        };
        Members {
            len: dict.as_ref().map_or(0, dict_len),
            direct: crate::layout::dict_layout_checked(py),
            dict,
            state: self.state,
            pos: 0,
            entries: None,
            py,
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        if self.shape != Shape::Dict {
            return None;
        }
        self.lookup(&PyString::new(self.obj.py(), key))
    }

    #[inline]
    fn get_key(&self, key: &Key) -> Option<Self> {
        match self.state.keys.get(key.id() as usize) {
            Some(k) => self.lookup(k.bind(self.obj.py())),
            None => self.get(key.name()),
        }
    }

    const INDEXED: bool = true;

    #[inline]
    fn item(&self, index: usize) -> Option<Self> {
        match self.shape {
            Shape::List | Shape::Sequence => {}
            _ => return None,
        }
        if self.state.in_place {
            // SAFETY: an exact list (the only arrays of an in-place walk), where the layout
            // is checked; the item is made a handle at once.
            #[expect(unsafe_code, reason = "the list's items read in place")]
            let items = unsafe { crate::layout::list_items(self.obj.as_ptr()) };
            return items.get(index).map(|&item| self.child(item));
        }
        if let Ok(list) = self.obj.cast::<PyList>() {
            list.get_item(index).ok().map(|v| self.wrap(v))
        } else if let Ok(tuple) = self.obj.cast::<PyTuple>() {
            tuple.get_item(index).ok().map(|v| self.wrap(v))
        } else {
            None
        }
    }

    fn check_format(&self, format: &str) -> Option<bool> {
        let check = self.state.format_check.as_ref()?;
        match check
            .call1((&*self.obj, format))
            .and_then(|r| r.is_truthy())
        {
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
