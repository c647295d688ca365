//! `reader()` and the `Reader` type: lines in, lists of strings out.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use ferrule_csv::{Field, Parser, Quoting, Record, Swap};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString, PyTuple};

use crate::dialect::{self, Dialect};
use crate::errors::parse_error;
use crate::field_cache::FieldCache;
use crate::registry;
use crate::source::{Check, Got, Source};
use crate::strings::AsciiStrings;

struct State {
    source: Source,
    parser: Parser,
    dicts: Option<DictTemplate>,
}

/// A CSV reader; create one with :func:`reader`.
#[pyclass(frozen, module = "ferrule.csv._native", name = "Reader")]
pub(crate) struct Reader {
    state: Mutex<State>,
    dialect: Py<Dialect>,
    line_num: AtomicUsize,
    nonnumeric: bool,
    /// The dialect's swap of lone surrogates (see `ferrule_csv::Swap`), applied to every line
    /// read and undone on every field.
    swap: Option<Swap>,
}

/// Return a reader object that iterates over the lines of ``csvfile``, yielding each row as a
/// list of strings.
#[pyfunction]
#[pyo3(signature = (csvfile, dialect = None, /, **fmtparams))]
pub(crate) fn reader<'py>(
    py: Python<'py>,
    csvfile: &Bound<'py, PyAny>,
    dialect: Option<&Bound<'py, PyAny>>,
    fmtparams: Option<&Bound<'py, PyDict>>,
) -> PyResult<Reader> {
    let mut source = Source::new(csvfile)?;
    let dialect = dialect::resolve(py, dialect, fmtparams)?;
    let swap = dialect.get().swap;
    if swap.is_some() {
        // Swapped lines are copies anyway: the line-by-line path, with no text-file window.
        source = Source::lines(csvfile)?;
    }
    let core = &dialect.get().core;
    source.split_ahead(core);
    let parser = Parser::new(core, registry::field_limit());
    Ok(Reader {
        nonnumeric: core.quoting == Quoting::NonNumeric,
        swap,
        state: Mutex::new(State {
            source,
            parser,
            dicts: None,
        }),
        dialect: dialect.unbind(),
        line_num: AtomicUsize::new(0),
    })
}

#[pymethods]
impl Reader {
    /// Refuses to pickle at every protocol, as the stdlib's `reader` does: without it
    /// protocols 0 and 1 (`copyreg`) would pickle the object, and only loading would fail.
    #[expect(clippy::unused_self, reason = "Python calls it on the instance")]
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err("cannot pickle 'Reader' object"))
    }

    /// The dialect this reader was created with.
    #[getter]
    fn dialect(&self, py: Python<'_>) -> Py<Dialect> {
        self.dialect.clone_ref(py)
    }

    /// The number of lines read from the source so far.
    #[getter]
    fn line_num(&self) -> usize {
        self.line_num.load(Ordering::Relaxed)
    }

    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        let mut state = self.lock()?;
        let State { source, parser, .. } = &mut *state;
        let Some(got) = self.next_record(py, source, parser)? else {
            return Ok(None);
        };
        let record = record(got, source, parser);
        if self.nonnumeric {
            let items = record.iter().map(|f| self.value(py, f));
            PyList::new(py, items.collect::<PyResult<Vec<_>>>()?).map(Some)
        } else {
            row_list(py, record, self.swap).map(Some)
        }
    }
}

impl Reader {
    /// `DictReader.__next__` after its header step, for `fieldnames` that is the list or
    /// tuple `names`: reads the next non-blank row, calls `set_line_num` where the stdlib sets
    /// `DictReader.line_num`, and returns the row as a dict with `restkey`/`restval` for long
    /// and short rows; `None` at the end.
    pub(crate) fn next_dict<'py>(
        &self,
        py: Python<'py>,
        names: &Names<'_, 'py>,
        restkey: &Bound<'py, PyAny>,
        restval: &Bound<'py, PyAny>,
        set_line_num: &mut dyn FnMut(usize),
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let mut state = self.lock()?;
        let State {
            source,
            parser,
            dicts,
        } = &mut *state;
        // The stdlib: `row = next(self.reader)`, `self.line_num = self.reader.line_num`, then
        // blank rows are skipped, and the `fieldnames` property sets `line_num` once more.
        // Under QUOTE_NONNUMERIC `next(self.reader)` converts the fields, so a ValueError
        // comes before `line_num` is set.
        let mut first = true;
        let (got, values) = loop {
            let Some(got) = self.next_record(py, source, parser)? else {
                return Ok(None);
            };
            let values = if self.nonnumeric {
                let record = record(got, source, parser);
                Some(
                    record
                        .iter()
                        .map(|f| self.value(py, f))
                        .collect::<PyResult<Vec<_>>>()?,
                )
            } else {
                None
            };
            if first {
                set_line_num(self.line_num());
            }
            if !record(got, source, parser).is_empty() {
                if !first {
                    set_line_num(self.line_num());
                }
                break (got, values);
            }
            first = false;
        };
        let record = record(got, source, parser);
        if values.is_none() {
            if let Some(dict) = self.fill_template(py, record, dicts, names, restkey, restval)? {
                return Ok(Some(dict));
            }
        }
        let row = match values {
            Some(values) => PyList::new(py, values)?,
            None => row_list(py, record, self.swap)?,
        };
        let field_count = row.len();
        let name_count = names.len();
        let paired = name_count.min(field_count);
        // A dict of the header's keys, copied and filled, skips hashing the keys into a
        // growing table on every row: only for `str` keys, whose hashing and comparison run
        // no Python code, so the copy is indistinguishable from inserting them one by one.
        let template = match dicts {
            Some(t) if t.matches(names) => Some(&*t),
            _ => {
                *dicts = DictTemplate::new(py, names)?;
                dicts.as_ref()
            }
        };
        let dict = if let Some(t) = template {
            let dict = t.dict.bind(py).copy()?;
            set_items(&dict, &t.keys[..paired], &row)?;
            dict
        } else {
            // `dict(zip(fieldnames, row))`, the names read one by one: hashing a key may run
            // Python code that changes them.
            let dict = PyDict::new(py);
            for i in 0..paired {
                dict.set_item(names.get(i)?, row.get_item(i)?)?;
            }
            dict
        };
        if name_count < field_count {
            // `d[self.restkey] = row[lf:]`
            dict.set_item(restkey, row.get_slice(name_count, field_count))?;
        } else {
            // `for key in self.fieldnames[lr:]: d[key] = self.restval`
            for i in field_count..name_count {
                dict.set_item(names.get(i)?, restval)?;
            }
        }
        Ok(Some(dict))
    }

    /// The row as a dict made from the header's template, with no list in between, when
    /// `names` is made only of `str` (else `None`, having done nothing).
    fn fill_template<'py>(
        &self,
        py: Python<'py>,
        record: Record<'_>,
        dicts: &mut Option<DictTemplate>,
        names: &Names<'_, 'py>,
        restkey: &Bound<'py, PyAny>,
        restval: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let template = match dicts {
            Some(t) if t.matches(names) => t,
            _ => {
                *dicts = DictTemplate::new(py, names)?;
                match dicts {
                    Some(t) => t,
                    None => return Ok(None),
                }
            }
        };
        let mut maker = FieldMaker::new(py, record, self.swap)?;
        let field_count = record.len();
        let name_count = template.keys.len();
        let dict = template.dict.bind(py).copy()?;
        let ascii = if template.strings.start_row() {
            maker.ascii()
        } else {
            None
        };
        for (i, (key, field)) in template.keys.iter().zip(record.iter()).enumerate() {
            let value = match ascii {
                Some(ascii) => template.strings.make(py, i, field.bytes, ascii)?,
                None => maker.make(field.bytes)?,
            };
            set_new_item(&dict, key, value)?;
        }
        if name_count < field_count {
            // `d[self.restkey] = row[lf:]`
            let rest = fields_list(py, record.iter().skip(name_count), &mut maker)?;
            dict.set_item(restkey, rest)?;
        } else {
            // `for key in self.fieldnames[lr:]: d[key] = self.restval`
            for key in &template.keys[field_count..] {
                dict.set_item(key.bind(py), restval)?;
            }
        }
        Ok(Some(dict))
    }
}

/// `dict[key] = value` for a `str` key (no Python code runs), `value` handed over.
#[expect(
    unsafe_code,
    reason = "PyDict_SetItem without the reference counting of the safe wrapper"
)]
fn set_new_item(
    dict: &Bound<'_, PyDict>,
    key: &Py<PyAny>,
    value: Bound<'_, PyString>,
) -> PyResult<()> {
    // SAFETY: `dict`, `key` and `value` are live; `PyDict_SetItem` takes its own references,
    // and `value`'s is released when it drops after the call.
    let status = unsafe { pyo3::ffi::PyDict_SetItem(dict.as_ptr(), key.as_ptr(), value.as_ptr()) };
    if status < 0 {
        return Err(PyErr::fetch(dict.py()));
    }
    Ok(())
}

/// `DictReader.fieldnames` when it is a list or a tuple.
pub(crate) enum Names<'a, 'py> {
    List(&'a Bound<'py, PyList>),
    Tuple(&'a Bound<'py, PyTuple>),
}

impl<'a, 'py> Names<'a, 'py> {
    /// `names` when it is a list or a tuple.
    pub(crate) fn of(names: &'a Bound<'py, PyAny>) -> Option<Self> {
        if let Ok(list) = names.cast::<PyList>() {
            Some(Names::List(list))
        } else if let Ok(tuple) = names.cast::<PyTuple>() {
            Some(Names::Tuple(tuple))
        } else {
            None
        }
    }

    fn len(&self) -> usize {
        match self {
            Names::List(l) => l.len(),
            Names::Tuple(t) => t.len(),
        }
    }

    fn get(&self, i: usize) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Names::List(l) => l.get_item(i),
            Names::Tuple(t) => t.get_item(i),
        }
    }

    fn as_any(&self) -> &Bound<'py, PyAny> {
        match self {
            Names::List(l) => l.as_any(),
            Names::Tuple(t) => t.as_any(),
        }
    }
}

/// A dict holding every key of a `fieldnames` made only of `str`, each first occurrence in
/// order (what `dict(zip(names, row))` starts from), with the names it was built from.
struct DictTemplate {
    names: Py<PyAny>,
    keys: Vec<Py<PyAny>>,
    dict: Py<PyDict>,
    /// The strings of the values that repeat down the columns.
    strings: FieldCache,
}

impl DictTemplate {
    fn new(py: Python<'_>, names: &Names<'_, '_>) -> PyResult<Option<DictTemplate>> {
        let n = names.len();
        let mut keys = Vec::with_capacity(n);
        let dict = PyDict::new(py);
        // Every row overwrites each value. An empty list, which the garbage collector tracks,
        // makes the template and its copies tracked dicts, so that storing a value skips
        // CPython's check of whether that value needs tracking (two calls per field). A row
        // of strings kept by the caller is untracked by the next full collection; until then
        // the younger collections visit it (callgrind, wide file: rows iterated -4.3%, all
        // rows kept in a list +1.1%).
        let placeholder = PyList::empty(py);
        for i in 0..n {
            let key = names.get(i)?;
            if !key.is_exact_instance_of::<PyString>() {
                return Ok(None);
            }
            dict.set_item(&key, &placeholder)?;
            keys.push(key.unbind());
        }
        Ok(Some(DictTemplate {
            names: names.as_any().clone().unbind(),
            strings: FieldCache::new(keys.len()),
            keys,
            dict: dict.unbind(),
        }))
    }

    /// Whether `names` is still the object the template was built from, with the same items
    /// (a list can change between rows).
    fn matches(&self, names: &Names<'_, '_>) -> bool {
        if !names.as_any().is(&self.names) {
            return false;
        }
        match names {
            Names::Tuple(_) => true,
            Names::List(list) => {
                list.len() == self.keys.len()
                    && self
                        .keys
                        .iter()
                        .enumerate()
                        .all(|(i, key)| list_item_ptr(list, i) == key.as_ptr())
            }
        }
    }
}

/// The record as a `list` of `str`.
fn row_list<'py>(
    py: Python<'py>,
    record: Record<'_>,
    swap: Option<Swap>,
) -> PyResult<Bound<'py, PyList>> {
    let mut maker = FieldMaker::new(py, record, swap)?;
    fields_list(py, record.iter(), &mut maker)
}

/// A `list` of the `str`s of `fields`, made by `maker`.
///
/// The list is filled in place, with no reference counting or iterator in between: under the
/// limited API each of those is a call.
#[expect(
    unsafe_code,
    reason = "PyList_New/PyList_SetItem have no cheaper safe wrapper"
)]
fn fields_list<'py, 'a>(
    py: Python<'py>,
    fields: impl ExactSizeIterator<Item = Field<'a>>,
    maker: &mut FieldMaker<'py>,
) -> PyResult<Bound<'py, PyList>> {
    // SAFETY: `PyList_New` returns a new list of `len` NULL slots, or NULL with an error set.
    // Each slot is set once, in range (the iterator's exact length), with a new reference that
    // `PyList_SetItem` steals. On an error part way, the remaining slots stay NULL, which a
    // list's deallocation skips.
    unsafe {
        let list = Bound::from_owned_ptr_or_err(py, pyo3::ffi::PyList_New(fields.len() as isize))?
            .cast_into_unchecked::<PyList>();
        for (i, field) in fields.enumerate() {
            let item = maker.make(field.bytes)?;
            pyo3::ffi::PyList_SetItem(list.as_ptr(), i as isize, item.into_ptr());
        }
        Ok(list)
    }
}

/// Makes the `str`s of one record's fields, taken in order.
///
/// The fields of an ASCII record are made with one allocation and one copy each
/// ([`AsciiStrings`]). Where that is unavailable, a record of several ASCII fields is made
/// into one `str`, and each field is a slice of it: `PyUnicode_Substring` of an ASCII string
/// allocates and copies, where making each field from UTF-8 also scans it for non-ASCII bytes
/// and goes through the decoder's checks, which costs more than the extra string per record.
struct FieldMaker<'py> {
    py: Python<'py>,
    how: Making<'py>,
    swap: Option<Swap>,
}

enum Making<'py> {
    Ascii(AsciiStrings),
    /// Slices of `whole`; `start` is where the next field starts, in characters (bytes, as
    /// it is ASCII).
    Slices {
        whole: Bound<'py, PyString>,
        start: usize,
        gap: usize,
    },
    Decode,
}

impl<'py> FieldMaker<'py> {
    fn new(py: Python<'py>, record: Record<'_>, swap: Option<Swap>) -> PyResult<Self> {
        let how = if swap.is_none() && record.is_ascii() {
            match AsciiStrings::get(py) {
                Some(ascii) => Making::Ascii(ascii),
                None if record.len() > 1 => Making::Slices {
                    whole: wtf8_str(py, record.bytes())?,
                    start: 0,
                    gap: record.gap(),
                },
                None => Making::Decode,
            }
        } else {
            Making::Decode
        };
        Ok(FieldMaker { py, how, swap })
    }

    /// The maker of ASCII strings, when the record is made with it.
    fn ascii(&self) -> Option<AsciiStrings> {
        match self.how {
            Making::Ascii(ascii) => Some(ascii),
            _ => None,
        }
    }

    /// The `str` of the next field, whose text is `bytes`.
    #[inline(always)]
    #[expect(
        clippy::inline_always,
        reason = "a plain hint left a call per field in the row loops (callgrind)"
    )]
    #[expect(
        unsafe_code,
        reason = "PyUnicode_Substring has no safe wrapper under the limited API"
    )]
    fn make(&mut self, bytes: &[u8]) -> PyResult<Bound<'py, PyString>> {
        match &mut self.how {
            Making::Ascii(ascii) => ascii.make(self.py, bytes),
            Making::Decode => field_str(self.py, bytes, self.swap),
            Making::Slices { whole, start, gap } => {
                let end = *start + bytes.len();
                // SAFETY: `whole` is a live `str` borrowed for the call, which checks the
                // indices and returns a new reference to a `str` or NULL with an exception set.
                let item = unsafe {
                    let ptr = pyo3::ffi::PyUnicode_Substring(
                        whole.as_ptr(),
                        *start as isize,
                        end as isize,
                    );
                    Bound::from_owned_ptr_or_err(self.py, ptr)?.cast_into_unchecked()
                };
                *start = end + *gap;
                Ok(item)
            }
        }
    }
}

/// The `str` of a field, its lone surrogates swapped back for a dialect that has some.
fn field_str<'py>(
    py: Python<'py>,
    bytes: &[u8],
    swap: Option<Swap>,
) -> PyResult<Bound<'py, PyString>> {
    match swap {
        None => wtf8_str(py, bytes),
        Some(swap) => wtf8_str(py, &swap.text(bytes)),
    }
}

/// The address of `list[i]`, or null when `i` is out of range, to compare identities without
/// the two reference-count calls of taking the item.
#[inline]
#[expect(
    unsafe_code,
    reason = "PyList_GetItem's borrowed reference has no safe wrapper under the limited API"
)]
pub(crate) fn list_item_ptr(list: &Bound<'_, PyList>, i: usize) -> *mut pyo3::ffi::PyObject {
    // SAFETY: `list` is a live list borrowed for the call; the borrowed item is only compared,
    // never dereferenced. Out of range, the call sets IndexError, cleared here.
    unsafe {
        let item = pyo3::ffi::PyList_GetItem(list.as_ptr(), i as isize);
        if item.is_null() {
            pyo3::ffi::PyErr_Clear();
        }
        item
    }
}

/// `dict[keys[i]] = row[i]` for each of `keys`, with `row` at least as long.
#[expect(
    unsafe_code,
    reason = "borrowed list items under the limited API; see list_item_ptr"
)]
fn set_items(
    dict: &Bound<'_, PyDict>,
    keys: &[Py<PyAny>],
    row: &Bound<'_, PyList>,
) -> PyResult<()> {
    let py = dict.py();
    for (i, key) in keys.iter().enumerate() {
        // SAFETY: `dict` and `row` are live and borrowed for the call, `key` is a live `str`.
        // `PyList_GetItem` checks the index (NULL and IndexError past the end); its borrowed
        // item stays alive during `PyDict_SetItem`, which takes its own references and runs
        // no Python code for a `str` key, so `row` cannot change in between.
        let status = unsafe {
            let value = pyo3::ffi::PyList_GetItem(row.as_ptr(), i as isize);
            if value.is_null() {
                -1
            } else {
                pyo3::ffi::PyDict_SetItem(dict.as_ptr(), key.as_ptr(), value)
            }
        };
        if status < 0 {
            return Err(PyErr::fetch(py));
        }
    }
    Ok(())
}

/// The `str` of WTF-8 text from the core: UTF-8, or with lone surrogates that
/// `surrogatepass` encoded (`bytes.decode('utf-8', 'surrogatepass')`). Valid UTF-8 costs
/// what `PyString::new` does: the error handler is only looked at on a surrogate.
#[inline]
#[expect(
    unsafe_code,
    reason = "PyUnicode_DecodeUTF8 with an error handler has no safe wrapper"
)]
pub(crate) fn wtf8_str<'py>(py: Python<'py>, text: &[u8]) -> PyResult<Bound<'py, PyString>> {
    // SAFETY: `text` is a live slice of `text.len()` bytes (a slice never exceeds isize::MAX
    // bytes), read only during the call; the error handler name is a NUL-terminated static
    // string. The call returns a new reference to a `str`, or NULL with an exception set,
    // which `from_owned_ptr_or_err` turns into the error.
    unsafe {
        let ptr = pyo3::ffi::PyUnicode_DecodeUTF8(
            text.as_ptr().cast(),
            text.len() as isize,
            c"surrogatepass".as_ptr(),
        );
        Bound::from_owned_ptr_or_err(py, ptr).map(|s| s.cast_into_unchecked())
    }
}

impl Reader {
    fn lock(&self) -> PyResult<MutexGuard<'_, State>> {
        self.state
            .try_lock()
            .map_err(|_| PyRuntimeError::new_err("the csv reader is already in use"))
    }

    /// Reads lines until a record is complete (where it is: [`record`]) or the input ends
    /// (`None`).
    fn next_record(
        &self,
        py: Python<'_>,
        source: &mut Source,
        parser: &mut Parser,
    ) -> PyResult<Option<Got>> {
        parser.clear();
        parser.set_field_limit(registry::field_limit());
        let mut lines = 0;
        let check = |record: Record<'_>, from: usize| -> PyResult<()> {
            for field in record.iter().skip(from).filter(|f| f.numeric) {
                self.value(py, field)?;
            }
            Ok(())
        };
        let check: Option<&Check<'_>> = if self.nonnumeric { Some(&check) } else { None };
        let fed = source.feed(py, parser, &mut lines, self.swap, check);
        self.line_num.fetch_add(lines, Ordering::Relaxed);
        match fed? {
            Some(Ok(got)) => Ok(Some(got)),
            Some(Err(e)) => Err(self.record_error(py, parser, &e)),
            None => Ok(parser
                .finish()
                .map_err(|e| parse_error(py, &e, self.line_num(), self.swap))?
                .then_some(Got::Parser)),
        }
    }
}

/// The record [`Reader::next_record`] found.
fn record<'a>(got: Got, source: &'a Source, parser: &'a Parser) -> Record<'a> {
    match got {
        Got::Parser => parser.record(),
        Got::Ahead => source
            .ahead_record(parser.field_limit())
            .expect("the source gave a record split ahead"),
    }
}

impl Reader {
    /// A field as Python sees it: `str`, or `float` for an unquoted field under
    /// `QUOTE_NONNUMERIC` (only then can this fail).
    fn value<'py>(&self, py: Python<'py>, field: Field<'_>) -> PyResult<Bound<'py, PyAny>> {
        let s = field_str(py, field.bytes, self.swap)?;
        if self.nonnumeric && field.numeric {
            // float(str) itself, for its exact rules (whitespace, '_', 'nan', 'inf', ...).
            py.get_type::<PyFloat>().call1((s,))
        } else {
            Ok(s.into_any())
        }
    }

    /// The error for a failed record. Under `QUOTE_NONNUMERIC` the stdlib converts each field
    /// as it is saved, so a `ValueError` from a field before the bad spot wins.
    fn record_error(&self, py: Python<'_>, parser: &Parser, err: &ferrule_csv::Error) -> PyErr {
        if self.nonnumeric {
            if let Some(Err(e)) = parser
                .record()
                .iter()
                .map(|f| self.value(py, f))
                .find(Result::is_err)
            {
                return e;
            }
        }
        parse_error(py, err, self.line_num(), self.swap)
    }
}
