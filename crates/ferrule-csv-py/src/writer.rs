//! `writer()` and the `Writer` type: Python values in, one `write()` call per row (or per batch
//! of rows in `writerows`) out.

use std::sync::{Mutex, MutexGuard};

use ferrule_csv::{Quoting, Swap};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyCFunction, PyComplex, PyDict, PyFloat, PyInt, PyList, PySet, PyString, PyTuple, PyType,
};

use crate::dialect::{self, Dialect};
use crate::errors::{csv_error, type_error, write_error};
use crate::reader::{list_item_ptr, wtf8_str};
use crate::source::{surrogatepass, text_io_wrapper};

/// `writerows` hands an in-memory or buffered text file this much text at a time (see
/// [`Writer::batches`]): large enough that the per-call cost of `write()` vanishes, small
/// enough that memory stays flat for any number of rows.
const BATCH_BYTES: usize = 256 * 1024;

struct State {
    core: ferrule_csv::Writer,
    /// WTF-8 (see `wtf8_str`).
    out: Vec<u8>,
}

/// A CSV writer; create one with :func:`writer`.
#[pyclass(frozen, module = "ferrule.csv._native", name = "Writer")]
pub(crate) struct Writer {
    write: Py<PyAny>,
    dialect: Py<Dialect>,
    quoting: Quoting,
    /// The dialect's swap of lone surrogates (see `ferrule_csv::Swap`), applied to every field
    /// and undone on the text written.
    swap: Option<Swap>,
    state: Mutex<State>,
}

/// Return a writer object that writes rows as delimited text to ``csvfile.write``.
#[pyfunction]
#[pyo3(signature = (csvfile, dialect = None, /, **fmtparams))]
pub(crate) fn writer<'py>(
    py: Python<'py>,
    csvfile: &Bound<'py, PyAny>,
    dialect: Option<&Bound<'py, PyAny>>,
    fmtparams: Option<&Bound<'py, PyDict>>,
) -> PyResult<Writer> {
    let write = csvfile.getattr_opt(pyo3::intern!(py, "write"))?;
    let Some(write) = write.filter(Bound::is_callable) else {
        return Err(type_error("argument 1 must have a \"write\" method"));
    };
    let dialect = dialect::resolve(py, dialect, fmtparams)?;
    let core = ferrule_csv::Writer::new(&dialect.get().core);
    Ok(Writer {
        write: write.unbind(),
        quoting: dialect.get().core.quoting,
        swap: dialect.get().swap,
        dialect: dialect.unbind(),
        state: Mutex::new(State {
            core,
            out: Vec::new(),
        }),
    })
}

#[pymethods]
impl Writer {
    /// Refuses to pickle at every protocol, as the stdlib's `writer` does: without it
    /// protocols 0 and 1 (`copyreg`) would pickle the object, and only loading would fail.
    #[expect(clippy::unused_self, reason = "Python calls it on the instance")]
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err("cannot pickle 'Writer' object"))
    }

    /// The dialect this writer was created with.
    #[getter]
    fn dialect(&self, py: Python<'_>) -> Py<Dialect> {
        self.dialect.clone_ref(py)
    }

    /// Write one row (an iterable of fields) and return what ``write()`` returned.
    fn writerow<'py>(
        &self,
        py: Python<'py>,
        row: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let line = {
            let mut state = self.lock()?;
            let State { core, out } = &mut *state;
            out.clear();
            self.append_row(core, out, row, false)?;
            self.text_str(py, out)?
        };
        self.write.bind(py).call1((line,))
    }

    /// Write every row of an iterable of rows.
    fn writerows(&self, py: Python<'_>, rows: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut state = self.lock()?;
        let State { core, out } = &mut *state;
        out.clear();
        let batch = quiet_rows(rows) && self.batches(py)?;
        let result = (|| {
            for row in rows.try_iter()? {
                self.append_row(core, out, &row?, batch)?;
                if !batch || out.len() >= BATCH_BYTES {
                    self.flush(py, out)?;
                }
            }
            Ok(())
        })();
        // Rows before a failing one are written, as the stdlib writes each row as it goes.
        let flushed = self.flush(py, out);
        result.and(flushed)
    }
    /// `DictWriter.writerows` for list or tuple `fieldnames`: each exact `dict` row is turned
    /// into fields here, as `_dict_to_list` would (`rowdict.get(key, restval)` per name, after
    /// the extra-keys check when `raise_extras`); any other row, and a dict with a key not in
    /// `fieldnames`, goes through `dict_to_list` itself, which raises the stdlib's error.
    #[pyo3(signature = (fieldnames, restval, raise_extras, rowdicts, dict_to_list, /))]
    fn _write_dicts(
        &self,
        py: Python<'_>,
        fieldnames: &Bound<'_, PyAny>,
        restval: &Bound<'_, PyAny>,
        raise_extras: bool,
        rowdicts: &Bound<'_, PyAny>,
        dict_to_list: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let mut state = self.lock()?;
        let State { core, out } = &mut *state;
        out.clear();
        let mut names = NameSet::default();
        let mut values = Vec::new();
        // Stepping a list's or a tuple's iterator runs no Python code (and the container
        // keeps the rows alive): over such rows, a row written without running any leaves
        // `fieldnames` as it was checked, and the next row skips checking it again.
        let quiet_rows = quiet_rows(rowdicts);
        let batch =
            quiet_rows && plain_names(fieldnames) && runs_no_code(restval) && self.batches(py)?;
        let result = (|| {
            let mut unchanged = false;
            for rowdict in rowdicts.try_iter()? {
                let rowdict = rowdict?;
                if !(batch && rowdict.cast_exact::<PyDict>().is_ok_and(plain_dict)) {
                    // As in `writerows`: code that runs for this row finds the rows before
                    // it written.
                    self.flush(py, out)?;
                }
                let mut quiet = false;
                let native = match rowdict.cast_exact::<PyDict>() {
                    Ok(d) if raise_extras && names.distinct_strs(fieldnames, unchanged)? => {
                        match self.append_checked_dict(
                            core,
                            out,
                            &names,
                            restval,
                            d,
                            &mut values,
                        )? {
                            Checked::Written { quiet: q } => {
                                quiet = q;
                                true
                            }
                            Checked::OtherKeys => false,
                        }
                    }
                    Ok(d) if !raise_extras || names.has_all_keys(fieldnames, d)? => {
                        self.append_dict(core, out, fieldnames, restval, d)?;
                        true
                    }
                    _ => false,
                };
                if !native {
                    self.append_row(core, out, &dict_to_list.call1((&rowdict,))?, batch)?;
                }
                if !batch || out.len() >= BATCH_BYTES {
                    self.flush(py, out)?;
                    quiet = false;
                }
                unchanged = quiet_rows && quiet;
            }
            Ok(())
        })();
        let flushed = self.flush(py, out);
        result.and(flushed)
    }
}

/// What [`Writer::append_checked_dict`] did with a row.
enum Checked {
    /// Written; `quiet` when no Python code ran (the values were read by
    /// [`ordered_values`] and all were exact `str`s).
    Written { quiet: bool },
    /// Nothing written: the dict has keys that are not field names.
    OtherKeys,
}

/// The set of a `DictWriter`'s field names, for the extra-keys check, rebuilt when the names
/// change (a list can change between rows).
#[derive(Default)]
struct NameSet {
    names: Option<BuiltSet>,
}

/// The `fieldnames` object, its items when the set was built, and the set.
struct BuiltSet {
    fieldnames: Py<PyAny>,
    items: Vec<Py<PyAny>>,
    set: Py<PySet>,
    /// The names are distinct exact `str`s: then `d`'s keys are all names exactly when as
    /// many names are keys of `d` as `d` has keys, which lookups of the names tell without
    /// running Python code (a `str` hashes and compares natively).
    distinct_strs: bool,
}

impl NameSet {
    /// Builds (or keeps) the set for `fieldnames`; whether its names are distinct exact
    /// `str`s, for [`Writer::append_checked_dict`].
    /// `unchanged`: no Python code ran since the set was last built or checked for these
    /// `fieldnames`, so their items cannot have changed and are not compared again.
    fn distinct_strs(&mut self, fieldnames: &Bound<'_, PyAny>, unchanged: bool) -> PyResult<bool> {
        let known = unchanged
            && self
                .names
                .as_ref()
                .is_some_and(|built| built.fieldnames.is(fieldnames));
        if !known {
            self.build(fieldnames)?;
        }
        Ok(self.names.as_ref().is_some_and(|built| built.distinct_strs))
    }

    fn build(&mut self, fieldnames: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = fieldnames.py();
        let fresh = self
            .names
            .as_ref()
            .is_some_and(|built| built.is_for(fieldnames));
        if !fresh {
            let items: Vec<Bound<'_, PyAny>> = fieldnames.try_iter()?.collect::<PyResult<_>>()?;
            let set = PySet::new(py, &items)?;
            let distinct_strs = set.len() == items.len()
                && items
                    .iter()
                    .all(PyAnyMethods::is_exact_instance_of::<PyString>);
            self.names = Some(BuiltSet {
                fieldnames: fieldnames.clone().unbind(),
                items: items.into_iter().map(Bound::unbind).collect(),
                set: set.unbind(),
                distinct_strs,
            });
        }
        Ok(())
    }

    /// Whether every key of `d` is in `fieldnames`, i.e. `d.keys() - fieldnames` is empty.
    fn has_all_keys(
        &mut self,
        fieldnames: &Bound<'_, PyAny>,
        d: &Bound<'_, PyDict>,
    ) -> PyResult<bool> {
        let py = d.py();
        self.build(fieldnames)?;
        let built = self.names.as_ref().expect("just set");
        if built.distinct_strs {
            let mut found = 0;
            for name in &built.items {
                if d.contains(name.bind(py))? {
                    found += 1;
                }
            }
            return Ok(found == d.len());
        }
        let set = built.set.bind(py);
        for key in d.keys() {
            if !set.contains(key)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

impl BuiltSet {
    /// Whether `fieldnames` is still the object the set was built from, with the same items
    /// (a list can change between rows; a tuple cannot).
    fn is_for(&self, fieldnames: &Bound<'_, PyAny>) -> bool {
        if !self.fieldnames.is(fieldnames) {
            return false;
        }
        if fieldnames.is_exact_instance_of::<PyTuple>() {
            return true;
        }
        match fieldnames.cast::<PyList>() {
            Ok(list) => {
                list.len() == self.items.len()
                    && self
                        .items
                        .iter()
                        .enumerate()
                        .all(|(i, item)| list_item_ptr(list, i) == item.as_ptr())
            }
            Err(_) => false,
        }
    }
}

impl Writer {
    /// The row of an exact dict under `extrasaction='raise'` for `names` of distinct exact
    /// `str`s (see [`NameSet::distinct_strs`]): the values read in one walk of `d` when its
    /// keys are the names in order ([`ordered_values`]), else each name looked up once: the lookups both
    /// find the values and count the keys that are names, so `d` has no other key exactly
    /// when the count is `len(d)`. Lookups of `str` keys run no Python code, so all of them
    /// come before any value is converted, as the stdlib checks the keys first. Returns
    /// [`Checked::OtherKeys`], having written nothing, for a dict with other keys (the
    /// caller's Python path raises the stdlib's error).
    fn append_checked_dict(
        &self,
        core: &mut ferrule_csv::Writer,
        out: &mut Vec<u8>,
        names: &NameSet,
        restval: &Bound<'_, PyAny>,
        d: &Bound<'_, PyDict>,
        values: &mut Vec<*mut pyo3::ffi::PyObject>,
    ) -> PyResult<Checked> {
        let py = d.py();
        let built = names.names.as_ref().expect("built by distinct_strs");
        // Lookups may compare keys with `__eq__`: only the walk is known to run no Python code.
        let ordered = ordered_values(d, &built.items, values);
        if !ordered {
            let mut found = 0;
            for name in &built.items {
                let value = dict_value_ptr(d, name.bind(py))?;
                found += usize::from(!value.is_null());
                values.push(value);
            }
            if found != d.len() {
                values.clear();
                return Ok(Checked::OtherKeys);
            }
        }
        let mark = out.len();
        let result = (|| {
            let str_quoted = matches!(self.quoting, Quoting::All | Quoting::NonNumeric);
            // Once a value's `__str__` (or restval's) has run, `d` and a `fieldnames` list
            // may have changed: as the stdlib's generator does, each later value is looked up
            // by the list's current item at its index, until the list's current end.
            let list = built.fieldnames.bind(py).cast_exact::<PyList>().ok();
            let mut stale = false;
            let mut i = 0;
            loop {
                let value = if stale {
                    let name = match list {
                        Some(list) if i < list.len() => list.get_item(i)?,
                        Some(_) => break,
                        None => match built.items.get(i) {
                            Some(name) => name.bind(py).clone(),
                            None => break,
                        },
                    };
                    dict_value_ptr(d, &name)?
                } else {
                    match values.get(i) {
                        Some(&found) => found,
                        None => break,
                    }
                };
                // `value` was found by a lookup after which no Python code ran.
                stale |= self.append_found(core, py, value, restval, str_quoted)?;
                i += 1;
            }
            core.end_record(out).map_err(|e| write_error(&e))?;
            Ok(stale)
        })();
        values.clear();
        if result.is_err() {
            core.clear();
            out.truncate(mark);
        }
        result.map(|stale| Checked::Written {
            quiet: ordered && !stale,
        })
    }

    /// `_dict_to_list`'s values of an exact dict, appended as a row.
    fn append_dict(
        &self,
        core: &mut ferrule_csv::Writer,
        out: &mut Vec<u8>,
        fieldnames: &Bound<'_, PyAny>,
        restval: &Bound<'_, PyAny>,
        d: &Bound<'_, PyDict>,
    ) -> PyResult<()> {
        let mark = out.len();
        let result = (|| {
            let py = d.py();
            let str_quoted = matches!(self.quoting, Quoting::All | Quoting::NonNumeric);
            for key in fieldnames.try_iter()? {
                let value = dict_value_ptr(d, &key?)?;
                self.append_found(core, py, value, restval, str_quoted)?;
            }
            core.end_record(out).map_err(|e| write_error(&e))
        })();
        if result.is_err() {
            core.clear();
            out.truncate(mark);
        }
        result
    }

    /// Appends a value found in a dict by [`dict_value_ptr`] (`restval` for a missing one,
    /// NULL). `value` must be a live item of the dict: no Python code may have run since the
    /// lookup. Returns whether Python code ran (`__str__`), after which the dict may have
    /// changed and later values must be looked up again.
    fn append_found(
        &self,
        core: &mut ferrule_csv::Writer,
        py: Python<'_>,
        value: *mut pyo3::ffi::PyObject,
        restval: &Bound<'_, PyAny>,
        str_quoted: bool,
    ) -> PyResult<bool> {
        if value.is_null() {
            self.append_field(core, restval)?;
            return Ok(true);
        }
        // SAFETY: `value` is a live item of the dict (the caller's promise); the copy of its
        // text runs no Python code.
        #[expect(unsafe_code, reason = "see dict_value_ptr")]
        let text = unsafe { exact_str_utf8(value) }.filter(|_| self.swap.is_none());
        if let Some(text) = text {
            core.push_field_bytes(Some(text), str_quoted)
                .map_err(|e| write_error(&e))?;
            return Ok(false);
        }
        // SAFETY: as above; the new reference keeps it alive through `__str__`, which may
        // change the dict.
        #[expect(unsafe_code, reason = "see dict_value_ptr")]
        let value = unsafe { Bound::from_borrowed_ptr(py, value) };
        self.append_field(core, &value)?;
        Ok(true)
    }

    /// Whether `writerows` may hand `write()` several rows at once with nobody able to tell:
    /// `write` is the native method of an exact `io.StringIO`, or of an exact
    /// `io.TextIOWrapper` that is neither line-buffered nor write-through (it buffers the
    /// text itself, so what reaches its file was never one row per call). Rows that could run
    /// Python code are still written before it runs (see `writerows`). Read per call: a
    /// wrapper's buffering can be changed by `reconfigure()`.
    fn batches(&self, py: Python<'_>) -> PyResult<bool> {
        let write = self.write.bind(py);
        if !write.is_exact_instance_of::<PyCFunction>() {
            return Ok(false);
        }
        let Some(file) = write.getattr_opt(pyo3::intern!(py, "__self__"))? else {
            return Ok(false);
        };
        if file.get_type().is(string_io(py)?) {
            return Ok(true);
        }
        if !file.get_type().is(text_io_wrapper(py)?) {
            return Ok(false);
        }
        let flag =
            |name: &Bound<'_, PyString>| -> PyResult<bool> { file.getattr(name)?.is_truthy() };
        Ok(!flag(pyo3::intern!(py, "line_buffering"))?
            && !flag(pyo3::intern!(py, "write_through"))?)
    }

    fn lock(&self) -> PyResult<MutexGuard<'_, State>> {
        self.state
            .try_lock()
            .map_err(|_| PyRuntimeError::new_err("the csv writer is already in use"))
    }

    /// The `str` of formatted text, its lone surrogates swapped back for a dialect with some.
    fn text_str<'py>(&self, py: Python<'py>, out: &[u8]) -> PyResult<Bound<'py, PyString>> {
        match self.swap {
            None => wtf8_str(py, out),
            Some(swap) => wtf8_str(py, &swap.text(out)),
        }
    }

    fn flush(&self, py: Python<'_>, out: &mut Vec<u8>) -> PyResult<()> {
        if !out.is_empty() {
            let chunk = self.text_str(py, out)?;
            out.clear();
            self.write.bind(py).call1((chunk,))?;
        }
        Ok(())
    }

    /// Append one formatted row and the line terminator to `out`; on error `out` is unchanged.
    fn append_row(
        &self,
        core: &mut ferrule_csv::Writer,
        out: &mut Vec<u8>,
        row: &Bound<'_, PyAny>,
        batch: bool,
    ) -> PyResult<()> {
        let mark = out.len();
        let py = row.py();
        // In a batch, Python code that runs for this row (a `__str__`, a row's iterator)
        // first finds the rows before it written, as with the stdlib. `out` holds only whole
        // rows (the core keeps the row being formatted), so it can be flushed here; the
        // truncation below is then a no-op.
        let before_code = |out: &mut Vec<u8>, field: Option<&Bound<'_, PyAny>>| {
            if batch && !field.is_some_and(runs_no_code) {
                self.flush(py, out)
            } else {
                Ok(())
            }
        };
        let result = (|| {
            if let Ok(list) = row.cast_exact::<PyList>() {
                // Indexing skips the iterator object and its calls. The length is read again
                // after every field that could run Python code (a `__str__` may change the
                // list), as the list iterator reads it on every step.
                // An exact `str` (no `__str__` to call) is under `QUOTE_NONNUMERIC` not a number.
                let str_quoted = matches!(self.quoting, Quoting::All | Quoting::NonNumeric);
                let mut len = list.len();
                let mut i = 0;
                while i < len {
                    let pushed = if self.swap.is_none() {
                        with_str_item(list, i, |text| {
                            core.push_field_bytes(Some(text), str_quoted)
                        })
                    } else {
                        None
                    };
                    if let Some(result) = pushed {
                        result.map_err(|e| write_error(&e))?;
                    } else {
                        let field = list.get_item(i)?;
                        before_code(out, Some(&field))?;
                        self.append_field(core, &field)?;
                        len = list.len();
                    }
                    i += 1;
                }
            } else if let Ok(tuple) = row.cast_exact::<PyTuple>() {
                for field in tuple.iter_borrowed() {
                    before_code(out, Some(&field))?;
                    self.append_field(core, &field)?;
                }
            } else {
                before_code(out, None)?;
                let fields = match row.try_iter() {
                    Ok(it) => it,
                    Err(e) if e.is_instance_of::<PyTypeError>(row.py()) => {
                        let tp = row.get_type().name()?;
                        return Err(csv_error(format!("iterable expected, not {tp}")));
                    }
                    Err(e) => return Err(e),
                };
                for field in fields {
                    self.append_field(core, &field?)?;
                }
            }
            core.end_record(out).map_err(|e| write_error(&e))
        })();
        if result.is_err() {
            core.clear();
            out.truncate(mark);
        }
        result
    }

    fn append_field(
        &self,
        core: &mut ferrule_csv::Writer,
        field: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let quoted = match self.quoting {
            Quoting::All => true,
            Quoting::NonNumeric => !is_number(field)?,
            Quoting::Minimal | Quoting::None => false,
        };
        let push = |core: &mut ferrule_csv::Writer, text: Option<&[u8]>| {
            match (text, self.swap) {
                (Some(text), Some(swap)) => core.push_field_bytes(Some(&swap.text(text)), quoted),
                _ => core.push_field_bytes(text, quoted),
            }
            .map_err(|e| write_error(&e))
        };
        let push_str = |core: &mut ferrule_csv::Writer, s: &Bound<'_, PyString>| match s.to_str() {
            Ok(text) => push(core, Some(text.as_bytes())),
            // A lone surrogate: no `&str` holds it, the core writes it as WTF-8.
            Err(_) => push(core, Some(surrogatepass(s)?.as_bytes())),
        };
        if let Ok(s) = field.cast::<PyString>() {
            return push_str(core, s);
        }
        if field.is_none() {
            return push(core, None);
        }
        if field.is_exact_instance_of::<PyInt>() {
            if let Ok(v) = field.extract::<i64>() {
                return push(core, Some(itoa::Buffer::new().format(v).as_bytes()));
            }
        }
        push_str(core, &field.str()?)
    }
}

/// `PyNumber_Check`, without `unsafe`: the type has `__index__`, `__int__` or `__float__`, or is
/// a complex number.
fn is_number(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if obj.is_instance_of::<PyString>() || obj.is_none() {
        return Ok(false);
    }
    if obj.is_instance_of::<PyInt>()
        || obj.is_instance_of::<PyFloat>()
        || obj.is_instance_of::<PyComplex>()
    {
        return Ok(true);
    }
    let py = obj.py();
    let tp = obj.get_type();
    for name in [
        pyo3::intern!(py, "__index__"),
        pyo3::intern!(py, "__int__"),
        pyo3::intern!(py, "__float__"),
    ] {
        if tp.hasattr(name)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `f` of the UTF-8 text of `list[i]` if it is an exact `str` that has one (no lone
/// surrogate), read in place: taking the item as a new reference costs two more calls under
/// the limited API, and nothing here runs Python code that could drop it. `None` otherwise.
#[inline]
#[expect(
    unsafe_code,
    reason = "borrowed list items have no safe wrapper under the limited API"
)]
fn with_str_item<R>(list: &Bound<'_, PyList>, i: usize, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    // SAFETY: `list` is a live list borrowed for the call. `PyList_GetItem` checks the index
    // (NULL and IndexError past the end, cleared here) and returns a borrowed item, kept
    // alive by the list, which nothing changes before `f` returns: `f` gets plain bytes and
    // runs no Python code.
    unsafe {
        let item = pyo3::ffi::PyList_GetItem(list.as_ptr(), i as isize);
        if item.is_null() {
            pyo3::ffi::PyErr_Clear();
            return None;
        }
        exact_str_utf8(item).map(f)
    }
}

/// The UTF-8 text of `obj` if it is an exact `str` that has one (no lone surrogate).
///
/// # Safety
///
/// `obj` must be a live object that stays alive, and is not changed, while the returned
/// slice is used: the slice is the `str`'s own UTF-8 buffer.
#[inline]
#[expect(unsafe_code, reason = "reads a str's UTF-8 buffer in place")]
unsafe fn exact_str_utf8<'a>(obj: *mut pyo3::ffi::PyObject) -> Option<&'a [u8]> {
    // SAFETY: `obj` is live (the caller's contract). `PyUnicode_AsUTF8AndSize` returns the
    // `str`'s UTF-8 buffer, which lives as long as the `str`, and its length, or NULL with an
    // error (cleared here) for a `str` that cannot be UTF-8.
    unsafe {
        if pyo3::ffi::PyUnicode_CheckExact(obj) == 0 {
            return None;
        }
        let mut size = 0;
        let data = pyo3::ffi::PyUnicode_AsUTF8AndSize(obj, &raw mut size);
        if data.is_null() {
            pyo3::ffi::PyErr_Clear();
            return None;
        }
        Some(std::slice::from_raw_parts(data.cast::<u8>(), size as usize))
    }
}

/// Fills `values` with `d`'s values, as borrowed pointers, when `d`'s keys are `names`
/// themselves (the same objects) in the same order, as in a dict made by
/// `dict(zip(fieldnames, row))` or read by `DictReader`: one walk of the dict's entries
/// instead of a hash lookup per name, which cost more than writing the field. Such a dict has
/// every name and no other key. Returns `false`, with `values` empty, for any other dict.
#[expect(
    unsafe_code,
    reason = "borrowed dict entries have no safe wrapper under the limited API"
)]
fn ordered_values(
    d: &Bound<'_, PyDict>,
    names: &[Py<PyAny>],
    values: &mut Vec<*mut pyo3::ffi::PyObject>,
) -> bool {
    values.clear();
    if d.len() != names.len() {
        return false;
    }
    let mut pos = 0;
    for name in names {
        let mut key = std::ptr::null_mut();
        let mut value = std::ptr::null_mut();
        // SAFETY: `d` is a live dict borrowed for the call and `pos` is the position the
        // previous call left (0 at first). `PyDict_Next` runs no Python code and returns
        // borrowed pointers, only compared here or used by the caller before any Python code
        // runs (see `append_checked_dict`).
        let more = unsafe {
            pyo3::ffi::PyDict_Next(d.as_ptr(), &raw mut pos, &raw mut key, &raw mut value)
        };
        if more == 0 || key != name.as_ptr() {
            values.clear();
            return false;
        }
        values.push(value);
    }
    true
}

/// `d.get(key)`, as a borrowed pointer (null when absent): what `append_dict` needs to write
/// an exact `str` value without two reference-count calls.
#[inline]
#[expect(
    unsafe_code,
    reason = "borrowed dict values have no safe wrapper under the limited API"
)]
fn dict_value_ptr(
    d: &Bound<'_, PyDict>,
    key: &Bound<'_, PyAny>,
) -> PyResult<*mut pyo3::ffi::PyObject> {
    // SAFETY: `d` and `key` are live and borrowed for the call, which returns a borrowed
    // value or NULL, with an error set only if the lookup failed (hashing or comparing the
    // key raised).
    let value = unsafe { pyo3::ffi::PyDict_GetItemWithError(d.as_ptr(), key.as_ptr()) };
    if value.is_null() {
        if let Some(err) = PyErr::take(d.py()) {
            return Err(err);
        }
    }
    Ok(value)
}

fn string_io(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    TYPE.import(py, "io", "StringIO")
}

/// Stepping a list's or a tuple's iterator runs no Python code.
fn quiet_rows(rows: &Bound<'_, PyAny>) -> bool {
    rows.is_exact_instance_of::<PyList>() || rows.is_exact_instance_of::<PyTuple>()
}

/// A value the writer turns into text without running Python code.
fn runs_no_code(value: &Bound<'_, PyAny>) -> bool {
    // SAFETY: `value` is live (borrowed for the call).
    #[expect(unsafe_code, reason = "see ptr_runs_no_code")]
    unsafe {
        ptr_runs_no_code(value.as_ptr())
    }
}

/// [`runs_no_code`] for a borrowed pointer, as `plain_dict`'s walk has.
///
/// # Safety
/// `value` must point to a live object.
#[expect(unsafe_code, reason = "type checks of a borrowed pointer")]
unsafe fn ptr_runs_no_code(value: *mut pyo3::ffi::PyObject) -> bool {
    use pyo3::ffi;
    // SAFETY: `value` is live (the caller's promise); only its type is read.
    unsafe {
        ffi::PyUnicode_CheckExact(value) != 0
            || ffi::PyLong_CheckExact(value) != 0
            || ffi::PyFloat_CheckExact(value) != 0
            || ffi::PyBool_Check(value) != 0
            || value == ffi::Py_None()
    }
}

/// `DictWriter` field names looked up without running Python code: exact `str`s in an exact
/// list or tuple.
fn plain_names(fieldnames: &Bound<'_, PyAny>) -> bool {
    if let Ok(list) = fieldnames.cast_exact::<PyList>() {
        return list
            .iter()
            .all(|name| name.is_exact_instance_of::<PyString>());
    }
    fieldnames.cast_exact::<PyTuple>().is_ok_and(|tuple| {
        tuple
            .iter()
            .all(|name| name.is_exact_instance_of::<PyString>())
    })
}

/// A dict row written without running Python code: exact `str` keys (lookups and the
/// extra-keys check compare them natively) and values as in [`runs_no_code`].
#[expect(
    unsafe_code,
    reason = "a walk of borrowed dict entries, only their types read"
)]
fn plain_dict(d: &Bound<'_, PyDict>) -> bool {
    use pyo3::ffi;
    let mut pos = 0;
    let mut key = std::ptr::null_mut();
    let mut value = std::ptr::null_mut();
    // SAFETY: `d` is live and no Python code runs during the walk; the borrowed entries are
    // only compared by type. Per entry this is a few instructions, where pyo3's iterator
    // takes two references and checks the size each step.
    unsafe {
        while ffi::PyDict_Next(d.as_ptr(), &raw mut pos, &raw mut key, &raw mut value) != 0 {
            if ffi::PyUnicode_CheckExact(key) == 0 || !ptr_runs_no_code(value) {
                return false;
            }
        }
    }
    true
}
