//! Direct reads of CPython object layouts the limited API hides behind function calls.
//!
//! Under abi3 a list's size and items cost a call each (`PyList_Size`, `PyList_GetItem`):
//! for the two-float positions of a `GeoJSON` document those calls were most of the walk. A list's layout
//! (`PyObject_VAR_HEAD`, then `ob_item`) has been the same in every CPython since 2.x, but it
//! is not part of the stable ABI, so the reads are used only on the interpreter versions this
//! file was checked against ([`direct`]); others keep the calls.

use pyo3::ffi;

/// CPython's `PyListObject` (`Include/cpython/listobject.h`, 3.11 to 3.14, default build;
/// abi3 extensions cannot load into the free-threaded build).
#[repr(C)]
struct ListObject {
    ob_base: ffi::PyVarObject,
    ob_item: *mut *mut ffi::PyObject,
    allocated: ffi::Py_ssize_t,
}

/// Is the running interpreter one whose list layout [`ListObject`] describes? (CPython:
/// the project builds for no other.)
#[expect(
    unsafe_code,
    reason = "Py_Version is a constant the interpreter exports"
)]
#[inline]
pub(crate) fn direct() -> bool {
    // SAFETY: a read of an immutable data symbol of the stable ABI (3.11+).
    let version = unsafe { ffi::Py_Version };
    (0x030B_0000..0x030F_0000).contains(&version)
}

/// The items of an exact `list`, as they are now: valid until Python code can run (which
/// can resize the list and free its items).
///
/// # Safety
/// `list` is a live object of exact type `list`, and [`direct`] is true.
#[expect(unsafe_code, reason = "reads the list's fields in place")]
#[inline]
pub(crate) unsafe fn list_items<'a>(list: *mut ffi::PyObject) -> &'a [*mut ffi::PyObject] {
    // SAFETY: the caller guarantees a live exact list on an interpreter with this layout;
    // `ob_item` holds `ob_size` initialized pointers (NULL with a size of 0 when empty).
    unsafe {
        let list = list.cast::<ListObject>();
        let len = (*list).ob_base.ob_size as usize;
        if len == 0 {
            return &[];
        }
        std::slice::from_raw_parts((*list).ob_item, len)
    }
}

/// `PyASCIIObject` up to its `state` bit field (3.11 to 3.14, default build).
#[repr(C)]
struct AsciiHead {
    ob_base: ffi::PyObject,
    length: ffi::Py_ssize_t,
    hash: ffi::Py_hash_t,
    state: u32,
}

/// `PyASCIIObject.state`'s `compact` and `ascii` bits (bits 5 and 6 of the bit field after
/// `length` and `hash`, 3.11 to 3.14, default build; the bits above them are not set
/// reliably, so only these two are read).
const COMPACT_ASCII: u32 = 0b0110_0000;

/// The UTF-8 of `s` (a `str` or a subclass), valid while `s` lives: a compact ASCII string's
/// own data read in place where the layout is known ([`ascii_str`]: no call), else
/// `PyUnicode_AsUTF8AndSize` (behind `to_str` on abi3-py311: the data of a compact ASCII
/// string, or a UTF-8 copy the string caches for its whole life). No Python code runs, for
/// subclasses either; a lone surrogate is an error.
#[inline]
pub(crate) fn str_utf8<'a>(
    s: &'a pyo3::Bound<'_, pyo3::types::PyString>,
) -> pyo3::PyResult<&'a str> {
    use pyo3::types::PyStringMethods;
    if direct() {
        // SAFETY: `s` is a live str, and `direct` holds; the text lives as long as `s`.
        #[expect(unsafe_code, reason = "an ASCII str's text read in place")]
        if let Some(text) = unsafe { ascii_str(s.as_ptr()) } {
            return Ok(text);
        }
    }
    s.to_str()
}

/// The text of a compact ASCII `str` (every exact `str` of ASCII text), read in place:
/// `None` for other strings, which `PyUnicode_AsUTF8AndSize` reads.
///
/// # Safety
/// `s` is a live `str` (or subclass), and [`direct`] is true.
#[expect(unsafe_code, reason = "reads the str's header and data in place")]
#[inline]
pub(crate) unsafe fn ascii_str<'a>(s: *mut ffi::PyObject) -> Option<&'a str> {
    // SAFETY: the caller guarantees a live str on an interpreter with this layout: the
    // length at offset 16, the state at 32; a compact ASCII string's `length` bytes of ASCII
    // follow the header (48 bytes before 3.12, which dropped `wstr`, 40 after), immutable
    // for the string's life.
    unsafe {
        let head = s.cast::<AsciiHead>();
        if (*head).state & COMPACT_ASCII != COMPACT_ASCII {
            return None;
        }
        let len = (*head).length as usize;
        let header = if ffi::Py_Version < 0x030C_0000 {
            48
        } else {
            40
        };
        let bytes = std::slice::from_raw_parts(s.cast::<u8>().add(header), len);
        Some(std::str::from_utf8_unchecked(bytes))
    }
}

/// `PyASCIIObject.state`'s `compact` bit: a compact string is ready, its `length` the
/// number of code points (3.11 to 3.14, default build).
const COMPACT: u32 = 0b0010_0000;

/// The number of code points of a compact `str` (every `str` made since 3.12, and every one
/// but the legacy strings of 3.11's deprecated API), read in place where `len()` is a call;
/// `None` for the others.
///
/// # Safety
/// `s` is a live `str` (or subclass), and [`direct`] is true.
#[expect(unsafe_code, reason = "reads the str's header in place")]
#[inline]
pub(crate) unsafe fn str_len(s: *mut ffi::PyObject) -> Option<usize> {
    // SAFETY: the caller guarantees a live str with this layout (see `ascii_str`).
    unsafe {
        let head = s.cast::<AsciiHead>();
        ((*head).state & COMPACT == COMPACT).then(|| (*head).length as usize)
    }
}

/// `PyFloatObject` (every CPython 3, default build).
#[repr(C)]
struct FloatObject {
    ob_base: ffi::PyObject,
    ob_fval: f64,
}

/// A `float`'s value (or a subclass's), read in place where `PyFloat_AsDouble` is a call.
///
/// # Safety
/// `f` is a live `float` (or subclass), and [`direct`] is true.
#[expect(unsafe_code, reason = "reads the float's value in place")]
#[inline]
pub(crate) unsafe fn float_value(f: *mut ffi::PyObject) -> f64 {
    // SAFETY: the caller guarantees a live float; `ob_fval` follows the object header.
    unsafe { (*f.cast::<FloatObject>()).ob_fval }
}

/// `PyLongObject`'s head: a size (3.11: `ob_size`, the signed number of digits) or a tag
/// (3.12 on: `lv_tag`, the number of digits shifted left by 3 over a sign of 0 positive, 1
/// zero, 2 negative), then the first 30-bit digit.
#[repr(C)]
struct LongHead {
    ob_base: ffi::PyObject,
    size_or_tag: isize,
    digit: u32,
}

/// The value of an `int` of at most one 30-bit digit (`|value| < 2**30`: counts, ids, small
/// bounds), read in place where `PyLong_AsLong` is a call; `None` for larger ones, and
/// everywhere unless [`small_int_checked`].
///
/// # Safety
/// `i` is a live exact `int`.
#[expect(unsafe_code, reason = "reads the int's digits in place")]
#[inline]
pub(crate) unsafe fn small_int(i: *mut ffi::PyObject) -> Option<i64> {
    // SAFETY: the caller guarantees a live int; with the layout checked, the size or tag and
    // (for one digit) the first digit are its first fields.
    unsafe {
        let head = i.cast::<LongHead>();
        let size = (*head).size_or_tag;
        let digit = i64::from((*head).digit);
        if ffi::Py_Version < 0x030C_0000 {
            return match size {
                0 => Some(0),
                1 => Some(digit),
                -1 => Some(-digit),
                _ => None,
            };
        }
        // Bit 2 is not the sign's (3.14 marks small ints there).
        match (size >> 3, size & 0b11) {
            (0, 1) => Some(0),
            (1, 0) => Some(digit),
            (1, 2) => Some(-digit),
            _ => None,
        }
    }
}

/// Does [`small_int`] read what `PyLong_AsLong` reads, for every value of one 30-bit digit
/// tried (and `None` or the same value for larger ones)? Checked once per process: an
/// interpreter with other digits (15-bit builds) or another layout keeps the call.
#[expect(unsafe_code, reason = "compares small_int with PyLong_AsLong")]
pub(crate) fn small_int_checked(py: pyo3::Python<'_>) -> bool {
    static CHECKED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CHECKED.get_or_init(|| {
        use pyo3::IntoPyObject;
        let small: [i64; 9] = [
            0,
            1,
            -1,
            7,
            -12_345,
            (1 << 29) + 3,
            (1 << 30) - 1,
            -(1 << 30) + 1,
            1000,
        ];
        let large: [i64; 5] = [1 << 30, -(1 << 30), 1 << 45, i64::MAX, i64::MIN];
        direct()
            && small.iter().chain(&large).all(|&v| {
                let obj = v.into_pyobject(py).unwrap_or_else(|never| match never {});
                // SAFETY: a live exact int of this interpreter.
                match unsafe { small_int(obj.as_ptr()) } {
                    Some(read) => read == v,
                    None => !small.contains(&v),
                }
            })
    })
}

/// A dict's number of members (`ma_used`, right after the object header in every CPython
/// 3), read in place where `PyDict_Size` is a call.
///
/// # Safety
/// `dict` is a live `dict` (or subclass), and [`direct`] is true.
#[expect(unsafe_code, reason = "reads the dict's size in place")]
#[inline]
pub(crate) unsafe fn dict_len(dict: *mut ffi::PyObject) -> usize {
    // SAFETY: the caller guarantees a live dict; `ma_used` follows the `PyObject` header.
    unsafe { (*dict.cast::<DictObject>()).ma_used as usize }
}

/// `PyDictObject` up to `ma_values` (3.11 to 3.14, default build).
#[repr(C)]
struct DictObject {
    ob_base: ffi::PyObject,
    ma_used: ffi::Py_ssize_t,
    ma_version_tag: u64,
    ma_keys: *mut DictKeys,
    ma_values: *mut ffi::PyObject,
}

#[expect(
    clippy::struct_field_names,
    reason = "CPython's field names, kept for comparison with pycore_dict.h"
)]
/// `PyDictKeysObject`'s header (`Include/internal/pycore_dict.h`, 3.11 to 3.14, default
/// build); the index table (`1 << dk_log2_index_bytes` bytes) and the entries follow it.
#[repr(C)]
struct DictKeys {
    dk_refcnt: ffi::Py_ssize_t,
    dk_log2_size: u8,
    dk_log2_index_bytes: u8,
    dk_kind: u8,
    dk_version: u32,
    dk_usable: ffi::Py_ssize_t,
    dk_nentries: ffi::Py_ssize_t,
}

/// `DICT_KEYS_GENERAL`: entries with a hash (`me_hash`, `me_key`, `me_value`); the other kinds
/// (all keys exact `str`) have `me_key`, `me_value` only.
const DICT_KEYS_GENERAL: u8 = 0;

/// What [`dict_next`] found.
pub(crate) enum Next {
    /// A member, borrowed from the dict: valid until Python code can run.
    Member(*mut ffi::PyObject, *mut ffi::PyObject),
    /// No member at or after the position.
    End,
    /// A split table (an instance's `__dict__`): left to `PyDict_Next`.
    Unknown,
}

/// The entries of a dict's combined table as they are now: valid until Python code can run
/// (which can resize the dict and free its table).
#[derive(Clone, Copy)]
pub(crate) struct Entries {
    /// The first entry's key (`me_key`; `me_value` follows it).
    first: *mut *mut ffi::PyObject,
    /// Pointers per entry: 3 (`me_hash`, `me_key`, `me_value`) or 2 (`me_key`, `me_value`).
    stride: usize,
    /// `dk_nentries`: the entries in use or deleted.
    len: ffi::Py_ssize_t,
}

impl Entries {
    /// The entries of `dict`'s table, `None` for a split table (an instance's `__dict__`).
    ///
    /// # Safety
    /// `dict` is a live `dict` (or subclass), [`direct`] is true and [`dict_layout_checked`]
    /// returned true.
    #[expect(unsafe_code, reason = "reads the dict's table in place")]
    #[inline]
    pub(crate) unsafe fn of(dict: *mut ffi::PyObject) -> Option<Entries> {
        // SAFETY: the caller guarantees a live dict with this layout: the entries follow the
        // header and the index table (`1 << dk_log2_index_bytes` bytes).
        unsafe {
            let dict = dict.cast::<DictObject>();
            if !(*dict).ma_values.is_null() {
                return None;
            }
            let keys = (*dict).ma_keys;
            let entries = keys
                .cast::<u8>()
                .add(std::mem::size_of::<DictKeys>() + (1usize << (*keys).dk_log2_index_bytes));
            let (stride, skip) = if (*keys).dk_kind == DICT_KEYS_GENERAL {
                (3, 1)
            } else {
                (2, 0)
            };
            // The entries follow a power-of-two index table of at least 8 bytes after a
            // header of 32: pointer-aligned.
            #[expect(clippy::cast_ptr_alignment, reason = "aligned, as said above")]
            let first = entries.cast::<*mut ffi::PyObject>().add(skip);
            Some(Entries {
                first,
                stride,
                len: (*keys).dk_nentries,
            })
        }
    }

    /// The next member at or after `*pos`, as `PyDict_Next` finds it (deleted entries
    /// skipped); `None` at the end.
    ///
    /// # Safety
    /// The table has not changed since [`Entries::of`] read it.
    #[expect(unsafe_code, reason = "reads the dict's entries in place")]
    #[inline]
    pub(crate) unsafe fn next(
        &self,
        pos: &mut ffi::Py_ssize_t,
    ) -> Option<(*mut ffi::PyObject, *mut ffi::PyObject)> {
        let mut i = (*pos).max(0);
        while i < self.len {
            // SAFETY: `i` is below `dk_nentries`, the number of initialized entries of the
            // table, which the caller guarantees is still the dict's.
            let (key, value) = unsafe {
                let entry = self.first.add(i as usize * self.stride);
                (*entry, *entry.add(1))
            };
            i += 1;
            if !value.is_null() {
                *pos = i;
                return Some((key, value));
            }
        }
        *pos = i;
        None
    }
}

/// `PyDict_Next` read in place: the next member at or after `*pos` of a combined table, as
/// `PyDict_Next` finds it (entries in insertion order, deleted ones skipped), reading the
/// table anew on each call so that a dict changed in between is still read in bounds.
///
/// # Safety
/// `dict` is a live `dict` (or subclass), [`direct`] is true and [`dict_layout_checked`]
/// returned true.
#[expect(unsafe_code, reason = "reads the dict's table in place")]
#[inline]
pub(crate) unsafe fn dict_next(dict: *mut ffi::PyObject, pos: &mut ffi::Py_ssize_t) -> Next {
    // SAFETY: the caller's guarantees, and the table is read just now.
    unsafe {
        match Entries::of(dict) {
            None => Next::Unknown,
            Some(entries) => match entries.next(pos) {
                Some((key, value)) => Next::Member(key, value),
                None => Next::End,
            },
        }
    }
}

/// What [`dict_lookup`] found.
pub(crate) enum Lookup {
    /// The value, borrowed from the dict: valid until Python code can run.
    Found(*mut ffi::PyObject),
    /// No such key.
    Missing,
    /// A table or a key [`dict_lookup`] does not read (a split or general table, a key
    /// that is not compact ASCII): left to `PyDict_GetItemWithError`.
    Unknown,
}

/// `DICT_KEYS_UNICODE`: a combined table whose keys are all exact `str`.
const DICT_KEYS_UNICODE: u8 = 1;

/// `PERTURB_SHIFT` of CPython's probe sequence.
const PERTURB_SHIFT: u32 = 5;

/// `PyDict_GetItemWithError` read in place for a combined table of exact `str` keys and a
/// compact ASCII key with its hash computed: CPython's probe sequence over the index table,
/// a key found by identity or by equal hash and text. The call costs a few times more
/// (argument checks, the generic lookup's dispatch); a lookup of this kind can never run
/// Python code (the table's keys are exact `str`), so it is safe in any walk.
///
/// # Safety
/// `dict` is a live `dict` (or subclass) and `key` a live `str`; [`direct`] is true and
/// [`dict_layout_checked`] returned true.
#[expect(unsafe_code, reason = "reads the dict's table and keys in place")]
#[inline]
pub(crate) unsafe fn dict_lookup(dict: *mut ffi::PyObject, key: *mut ffi::PyObject) -> Lookup {
    // SAFETY: the caller guarantees a live dict and str with these layouts. The index table
    // has `1 << dk_log2_size` slots of `1 << (dk_log2_index_bytes - dk_log2_size)` bytes,
    // each -1 (empty), -2 (deleted) or the index of an initialized entry below
    // `dk_nentries`; a table always has an empty slot, so the probe ends.
    unsafe {
        let Some(text) = ascii_str(key) else {
            return Lookup::Unknown;
        };
        let hash = (*key.cast::<AsciiHead>()).hash;
        let d = dict.cast::<DictObject>();
        if hash == -1 || !(*d).ma_values.is_null() {
            return Lookup::Unknown;
        }
        let keys = (*d).ma_keys;
        if (*keys).dk_kind != DICT_KEYS_UNICODE {
            return Lookup::Unknown;
        }
        let log2_size = u32::from((*keys).dk_log2_size);
        let width = u32::from((*keys).dk_log2_index_bytes) - log2_size;
        let mask = (1usize << log2_size) - 1;
        let indices = keys.cast::<u8>().add(std::mem::size_of::<DictKeys>());
        #[expect(clippy::cast_ptr_alignment, reason = "aligned, as in `Entries::of`")]
        let entries = indices
            .add(1usize << (*keys).dk_log2_index_bytes)
            .cast::<[*mut ffi::PyObject; 2]>();
        let mut perturb = hash as usize;
        let mut i = perturb & mask;
        loop {
            #[expect(clippy::cast_ptr_alignment, reason = "slots of their own width")]
            let ix = match width {
                0 => i64::from(*indices.add(i).cast::<i8>()),
                1 => i64::from(*indices.cast::<i16>().add(i)),
                2 => i64::from(*indices.cast::<i32>().add(i)),
                _ => *indices.cast::<i64>().add(i),
            };
            if ix >= 0 {
                let [k, v] = *entries.add(ix as usize);
                if k == key {
                    return Lookup::Found(v);
                }
                if (*k.cast::<AsciiHead>()).hash == hash {
                    // A key of the same hash that is not compact ASCII may still be equal
                    // (a legacy string of 3.11): left to the call.
                    match ascii_str(k) {
                        Some(other)
                            if ferrule_jsonschema::same_bytes(
                                other.as_bytes(),
                                text.as_bytes(),
                            ) =>
                        {
                            return Lookup::Found(v);
                        }
                        Some(_) => {}
                        None => return Lookup::Unknown,
                    }
                }
            } else if ix == -1 {
                return Lookup::Missing;
            }
            perturb >>= PERTURB_SHIFT;
            i = mask & (i.wrapping_mul(5).wrapping_add(perturb).wrapping_add(1));
        }
    }
}

/// Does [`dict_next`] read dicts of both table kinds, with deleted entries, exactly as
/// `PyDict_Next` does, and [`dict_lookup`] find what `PyDict_GetItemWithError` finds? Checked once per process on dicts made for it: a layout this file
/// does not describe turns the in-place reads off instead of misreading memory.
#[expect(unsafe_code, reason = "compares dict_next with PyDict_Next")]
pub(crate) fn dict_layout_checked(py: pyo3::Python<'_>) -> bool {
    static CHECKED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CHECKED.get_or_init(|| {
        use pyo3::prelude::*;
        use pyo3::types::PyDict;
        let check = || -> PyResult<bool> {
            let unicode = PyDict::new(py);
            let general = PyDict::new(py);
            for i in 0..40 {
                unicode.set_item(format!("k{i}"), i)?;
                general.set_item(format!("k{i}"), i)?;
            }
            general.set_item(7, "int key")?;
            for i in (0..40).step_by(3) {
                unicode.del_item(format!("k{i}"))?;
                general.del_item(format!("k{i}"))?;
            }
            for d in [&unicode, &general] {
                let (mut a, mut b) = (0, 0);
                loop {
                    let mut key = std::ptr::null_mut();
                    let mut value = std::ptr::null_mut();
                    // SAFETY: a live dict; borrowed results compared as pointers only.
                    let found = unsafe {
                        ffi::PyDict_Next(d.as_ptr(), &raw mut a, &raw mut key, &raw mut value)
                    };
                    // SAFETY: a live dict of this interpreter, whose version `direct` accepted.
                    let next = unsafe { dict_next(d.as_ptr(), &mut b) };
                    match next {
                        Next::Member(k, v) if found != 0 && k == key && v == value && a == b => {}
                        Next::End if found == 0 => break,
                        _ => return Ok(false),
                    }
                }
            }
            lookups_agree(py, &unicode)
        };
        direct() && check().unwrap_or(false)
    })
}

/// Does [`dict_lookup`] agree with `PyDict_GetItemWithError` on `small` (a table of
/// one-byte indices with deleted entries) and on one of two-byte indices, for keys
/// present (the dict's own key objects and equal copies), deleted and absent?
#[expect(
    unsafe_code,
    reason = "compares dict_lookup with PyDict_GetItemWithError"
)]
fn lookups_agree(
    py: pyo3::Python<'_>,
    small: &pyo3::Bound<'_, pyo3::types::PyDict>,
) -> pyo3::PyResult<bool> {
    use pyo3::prelude::*;
    use pyo3::types::{PyDict, PyString};
    let large = PyDict::new(py);
    for i in 0..200 {
        large.set_item(format!("key-{i}"), i)?;
    }
    for dict in [small, &large] {
        let mut probes: Vec<Bound<'_, PyAny>> = dict.keys().iter().collect();
        for i in (0..220).step_by(7) {
            for name in [format!("k{i}"), format!("key-{i}")] {
                let copy = PyString::new(py, &name);
                copy.hash()?;
                probes.push(copy.into_any());
            }
        }
        for key in probes {
            // SAFETY: a live dict and a live str of this interpreter, whose version `direct`
            // accepted and whose dict layout the caller checked; results compared as
            // pointers only.
            let (want, got) = unsafe {
                let want = ffi::PyDict_GetItemWithError(dict.as_ptr(), key.as_ptr());
                (want, dict_lookup(dict.as_ptr(), key.as_ptr()))
            };
            match got {
                Lookup::Found(v) if v == want => {}
                Lookup::Missing if want.is_null() => {}
                _ => return Ok(false),
            }
        }
    }
    Ok(true)
}

/// Are all of a dict's keys exact `str` (a combined table of that kind, or a split one),
/// so that looking up a `str` in it compares `str`s only and runs no Python code?
///
/// # Safety
/// `dict` is a live `dict` (or subclass), [`direct`] is true and [`dict_layout_checked`]
/// returned true.
#[expect(unsafe_code, reason = "reads the dict's table kind in place")]
#[inline]
pub(crate) unsafe fn str_keys_only(dict: *mut ffi::PyObject) -> bool {
    // SAFETY: the caller guarantees a live dict with this layout.
    unsafe { (*(*dict.cast::<DictObject>()).ma_keys).dk_kind != DICT_KEYS_GENERAL }
}
