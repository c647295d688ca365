//! `str` objects of ASCII text made with one allocation and one copy.
//!
//! The reader's fields are mostly short ASCII text. The limited API's constructors all go
//! through a decoder (`PyUnicode_FromStringAndSize` scans every byte again) or a second string
//! (`PyUnicode_Substring` of the record's `str`); making them costs about half of a row. What
//! the stdlib's `_csv` does instead, `PyUnicode_New` and a copy into the new string, is done
//! here too: `PyUnicode_New` is public C API exported by every CPython 3 the abi3 wheel loads
//! into, though not declared under the limited API; where the new string's characters sit is
//! found once, with stable-ABI calls only, and proven by writing a probe through it (see
//! [`data_offset`]). If the probe fails on some future Python, every field takes the slower
//! general path instead.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

#[expect(unsafe_code, reason = "a C API function the limited API headers omit")]
unsafe extern "C" {
    /// A new, uninitialised `str` of `size` characters below `maxchar` (`Objects/unicodeobject.c`).
    fn PyUnicode_New(size: ffi::Py_ssize_t, maxchar: u32) -> *mut ffi::PyObject;
}

/// Makes ASCII `str`s: `None` where the running Python's strings are not laid out as the probe
/// expects.
#[derive(Clone, Copy)]
pub(crate) struct AsciiStrings {
    /// Bytes from the start of a new ASCII `str` object to its first character.
    offset: usize,
}

impl AsciiStrings {
    /// The maker for this interpreter, probed on first use.
    pub(crate) fn get(py: Python<'_>) -> Option<AsciiStrings> {
        static OFFSET: PyOnceLock<Option<usize>> = PyOnceLock::new();
        OFFSET
            .get_or_init(py, || data_offset(py))
            .map(|offset| AsciiStrings { offset })
    }

    /// The `str` of `text`, which must be ASCII (checked in debug builds only).
    #[inline(always)]
    #[expect(
        clippy::inline_always,
        reason = "not inlined by a plain hint: a call per field cost about as much as the copy"
    )]
    #[expect(
        unsafe_code,
        reason = "fills a new str through its data pointer, as CPython's own constructors do"
    )]
    pub(crate) fn make<'py>(self, py: Python<'py>, text: &[u8]) -> PyResult<Bound<'py, PyString>> {
        debug_assert!(text.is_ascii());
        // SAFETY: empty and one-character strings come from the stable API (CPython's cached
        // singletons, as the stdlib's reader gives). Otherwise `PyUnicode_New` returns a new,
        // unshared compact ASCII string of `text.len()` characters (or NULL with an error
        // set), whose characters start `offset` bytes into the object, as the probe proved
        // for this interpreter; the copy fills all of them, before anything else sees the
        // string, with bytes below 128 as its maximum character promises.
        unsafe {
            let ptr = if text.len() <= 1 {
                ffi::PyUnicode_FromStringAndSize(text.as_ptr().cast(), text.len() as isize)
            } else {
                let ptr = PyUnicode_New(text.len() as isize, 127);
                if !ptr.is_null() {
                    copy_ascii(text, ptr.cast::<u8>().add(self.offset));
                }
                ptr
            };
            Bound::from_owned_ptr_or_err(py, ptr).map(|s| s.cast_into_unchecked())
        }
    }
}

/// Copies `text` (two bytes or more) to `data`.
///
/// Fields are mostly short: up to 16 bytes they are copied as two fixed-size pieces that may
/// overlap (the first and the last 2, 4 or 8 bytes), plain moves instead of a `memcpy` call,
/// which cost more than the copy itself (callgrind, reader numeric: 480,024 calls of 12
/// instructions each, plus the call).
///
/// # Safety
///
/// `data` must be valid for writing `text.len()` bytes and not overlap `text`.
#[inline(always)]
#[expect(
    clippy::inline_always,
    reason = "part of `make`, inlined for the same reason"
)]
#[expect(unsafe_code, reason = "writes through the new str's data pointer")]
unsafe fn copy_ascii(text: &[u8], data: *mut u8) {
    let n = text.len();
    let src = text.as_ptr();
    debug_assert!(n >= 2);
    // SAFETY: every piece lies within `text[..n]` and `data[..n]` (its size is at most `n`,
    // placed at 0 or at `n - size`); the caller promises `data` holds `n` bytes apart from
    // `text`. Reads and writes are unaligned.
    unsafe {
        macro_rules! two_pieces {
            ($t:ty) => {{
                let size = std::mem::size_of::<$t>();
                let head = src.cast::<$t>().read_unaligned();
                let tail = src.add(n - size).cast::<$t>().read_unaligned();
                data.cast::<$t>().write_unaligned(head);
                data.add(n - size).cast::<$t>().write_unaligned(tail);
            }};
        }
        match n {
            2..=3 => two_pieces!(u16),
            4..=7 => two_pieces!(u32),
            8..=16 => two_pieces!(u64),
            _ => std::ptr::copy_nonoverlapping(src, data, n),
        }
    }
}

/// Where the characters of a new ASCII `str` start, found by asking for its UTF-8 text (an
/// ASCII string's UTF-8 text is its own character data in every CPython 3), then proven:
/// text written there must read back as the string's value, at the same place in a second
/// string of another length. `None`, with no error left set, if anything disagrees.
#[expect(unsafe_code, reason = "probes a new str's layout with C API calls")]
fn data_offset(_py: Python<'_>) -> Option<usize> {
    const PROBES: [&std::ffi::CStr; 2] = [c"ferrule!", c"csv-data-offset-probe"];
    let mut found = None;
    for probe in PROBES {
        let text = probe.to_bytes();
        // SAFETY: every object is checked for NULL before use and released once. The UTF-8
        // pointer is only written within the string's `len` characters, which it holds
        // (checked through `size`); the string is not shared yet.
        let offset = unsafe {
            let s = PyUnicode_New(text.len() as isize, 127);
            if s.is_null() {
                ffi::PyErr_Clear();
                return None;
            }
            let mut size: ffi::Py_ssize_t = 0;
            let data = ffi::PyUnicode_AsUTF8AndSize(s, &raw mut size);
            let offset = (data as usize).wrapping_sub(s as usize);
            let fits = !data.is_null() && size == text.len() as isize && offset <= 256;
            if fits {
                std::ptr::copy_nonoverlapping(text.as_ptr(), data.cast_mut().cast(), text.len());
            }
            let same = fits
                && ffi::PyUnicode_GetLength(s) == text.len() as isize
                && ffi::PyUnicode_CompareWithASCIIString(s, probe.as_ptr()) == 0;
            ffi::Py_DecRef(s);
            if ffi::PyErr_Occurred().is_null() && same {
                offset
            } else {
                ffi::PyErr_Clear();
                return None;
            }
        };
        if found.is_some_and(|f| f != offset) {
            return None;
        }
        found = Some(offset);
    }
    found
}
