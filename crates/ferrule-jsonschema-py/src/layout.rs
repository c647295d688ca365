//! Direct reads of CPython object layouts the limited API hides behind function calls.
//!
//! Under abi3 a list's size and items cost a call each (`PyList_Size`, `PyList_GetItem`):
//! for GeoJSON's two-float positions those calls were most of the walk. A list's layout
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

/// `PyASCIIObject.state`'s `compact` and `ascii` bits (bits 5 and 6 of the bit field after
/// `length` and `hash`, 3.11 to 3.14, default build; the bits above them are not set
/// reliably, so only these two are read).
const COMPACT_ASCII: u32 = 0b0110_0000;

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
        let base = s.cast::<u8>();
        let state = base.add(32).cast::<u32>().read();
        if state & COMPACT_ASCII != COMPACT_ASCII {
            return None;
        }
        let len = base.add(16).cast::<ffi::Py_ssize_t>().read() as usize;
        let header = if ffi::Py_Version < 0x030C_0000 {
            48
        } else {
            40
        };
        let bytes = std::slice::from_raw_parts(base.add(header), len);
        Some(std::str::from_utf8_unchecked(bytes))
    }
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
    unsafe {
        dict.cast::<u8>()
            .add(std::mem::size_of::<ffi::PyObject>())
            .cast::<ffi::Py_ssize_t>()
            .read() as usize
    }
}
