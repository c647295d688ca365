//! `reader()` and the `Reader` type: lines in, lists of strings out.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use ferrule_csv::{Field, Parser, Quoting, Record, RecordIter};
use pyo3::exceptions::{PyRuntimeError, PyStopIteration, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString, PyTuple};

use crate::dialect::{self, Dialect};
use crate::errors::parse_error;
use crate::registry;
use crate::source::Source;

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
    let source = Source::new(csvfile)?;
    let dialect = dialect::resolve(py, dialect, fmtparams)?;
    let core = &dialect.get().core;
    let parser = Parser::new(core, registry::field_limit());
    Ok(Reader {
        nonnumeric: core.quoting == Quoting::NonNumeric,
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
        if !self.next_record(py, source, parser)? {
            return Ok(None);
        }
        let record = parser.record();
        if self.nonnumeric {
            let items = record.iter().map(|f| self.value(py, f));
            PyList::new(py, items.collect::<PyResult<Vec<_>>>()?).map(Some)
        } else {
            let whole = record_str(py, record)?;
            let mut fields = FieldStrings::new(py, record, whole.as_ref());
            PyList::new(py, (0..record.len()).map(|_| fields.next_slice())).map(Some)
        }
    }

    /// `DictReader.__next__` in one call, for a `DictReader` whose `fieldnames` property is
    /// the stock one and whose `fieldnames` is the list or tuple `names`: reads the next
    /// non-blank row, sets `owner.line_num` where the stdlib sets it, and returns the row as a
    /// dict with `restkey`/`restval` for long and short rows. Raises `StopIteration` at the
    /// end. Returns `None`, having read nothing, for any other kind of `names`.
    #[pyo3(signature = (owner, names, restkey, restval, /))]
    fn _next_dict<'py>(
        &self,
        py: Python<'py>,
        owner: &Bound<'py, PyAny>,
        names: &Bound<'py, PyAny>,
        restkey: &Bound<'py, PyAny>,
        restval: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let names = if let Ok(list) = names.cast::<PyList>() {
            Names::List(list)
        } else if let Ok(tuple) = names.cast::<PyTuple>() {
            Names::Tuple(tuple)
        } else {
            return Ok(None);
        };
        let line_num = pyo3::intern!(py, "line_num");
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
        let values = loop {
            if !self.next_record(py, source, parser)? {
                return Err(PyStopIteration::new_err(()));
            }
            let values = if self.nonnumeric {
                let record = parser.record();
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
                owner.setattr(line_num, self.line_num())?;
            }
            if !parser.record().is_empty() {
                if !first {
                    owner.setattr(line_num, self.line_num())?;
                }
                break values;
            }
            first = false;
        };
        let record = parser.record();
        let whole = if values.is_none() {
            record_str(py, record)?
        } else {
            None
        };
        let mut fields = match values {
            Some(v) => Values::Converted(v.into_iter()),
            None => Values::Fields(FieldStrings::new(py, record, whole.as_ref())),
        };
        let field_count = fields.len();
        let name_count = names.len();
        // A dict of the header's keys, copied and filled, skips hashing the keys into a
        // growing table on every row: only for `str` keys, whose hashing and comparison run
        // no Python code, so the copy is indistinguishable from inserting them one by one.
        let template = match dicts {
            Some(t) if t.matches(&names)? => Some(&t.dict),
            _ => {
                *dicts = DictTemplate::new(py, &names)?;
                dicts.as_ref().map(|t| &t.dict)
            }
        };
        let dict = match template {
            Some(t) => t.bind(py).copy()?,
            None => PyDict::new(py),
        };
        // `dict(zip(fieldnames, row))`
        for i in 0..name_count.min(field_count) {
            let value = fields.next()?;
            dict.set_item(names.get(i)?, value)?;
        }
        if name_count < field_count {
            // `d[self.restkey] = row[lf:]`
            let mut rest = Vec::with_capacity(field_count - name_count);
            for _ in name_count..field_count {
                rest.push(fields.next()?);
            }
            dict.set_item(restkey, PyList::new(py, rest)?)?;
        } else {
            // `for key in self.fieldnames[lr:]: d[key] = self.restval`
            for i in field_count..name_count {
                dict.set_item(names.get(i)?, restval)?;
            }
        }
        Ok(Some(dict))
    }
}

/// `DictReader.fieldnames` when it is a list or a tuple.
enum Names<'a, 'py> {
    List(&'a Bound<'py, PyList>),
    Tuple(&'a Bound<'py, PyTuple>),
}

impl<'py> Names<'_, 'py> {
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
}

impl DictTemplate {
    fn new(py: Python<'_>, names: &Names<'_, '_>) -> PyResult<Option<DictTemplate>> {
        let n = names.len();
        let mut keys = Vec::with_capacity(n);
        let dict = PyDict::new(py);
        for i in 0..n {
            let key = names.get(i)?;
            if !key.is_exact_instance_of::<PyString>() {
                return Ok(None);
            }
            dict.set_item(&key, py.None())?;
            keys.push(key.unbind());
        }
        Ok(Some(DictTemplate {
            names: names.as_any().clone().unbind(),
            keys,
            dict: dict.unbind(),
        }))
    }

    /// Whether `names` is still the object the template was built from, with the same items
    /// (a list can change between rows).
    fn matches(&self, names: &Names<'_, '_>) -> PyResult<bool> {
        if !names.as_any().is(&self.names) {
            return Ok(false);
        }
        match names {
            Names::Tuple(_) => Ok(true),
            Names::List(list) => {
                if list.len() != self.keys.len() {
                    return Ok(false);
                }
                for (i, key) in self.keys.iter().enumerate() {
                    if !list.get_item(i)?.is(key) {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
        }
    }
}

/// The values of a row: fields still to be turned into `str`, or already converted.
enum Values<'a, 'w, 'py> {
    Fields(FieldStrings<'a, 'w, 'py>),
    Converted(std::vec::IntoIter<Bound<'py, PyAny>>),
}

impl<'py> Values<'_, '_, 'py> {
    fn len(&self) -> usize {
        match self {
            Values::Fields(f) => f.fields.len(),
            Values::Converted(v) => v.len(),
        }
    }

    fn next(&mut self) -> PyResult<Bound<'py, PyAny>> {
        let value = match self {
            Values::Fields(f) => f.next().map(|s| s.map(Bound::into_any)),
            Values::Converted(v) => v.next().map(Ok),
        };
        value.unwrap_or_else(|| Err(PyRuntimeError::new_err("the row changed while it was read")))
    }
}

/// Makes the `str` of each field of a record.
///
/// A record of several ASCII fields is made into one `str`, and each field is a slice of it:
/// `PyUnicode_Substring` of an ASCII string allocates and copies, where making each field from
/// UTF-8 also scans it for non-ASCII bytes and goes through the decoder's checks, which costs
/// more than the extra string per record.
struct FieldStrings<'a, 'w, 'py> {
    py: Python<'py>,
    fields: RecordIter<'a>,
    /// The record's `str` from [`record_str`], if it made one.
    whole: Option<&'w Bound<'py, PyString>>,
    /// Where the next field starts in `whole`, in characters (bytes, as it is ASCII).
    start: usize,
}

/// The `str` of a whole record whose fields are made as slices of it, if it is worth it.
fn record_str<'py>(py: Python<'py>, record: Record<'_>) -> PyResult<Option<Bound<'py, PyString>>> {
    let text = record.bytes();
    (record.len() > 1 && text.is_ascii())
        .then(|| wtf8_str(py, text))
        .transpose()
}

impl<'a, 'w, 'py> FieldStrings<'a, 'w, 'py> {
    fn new(py: Python<'py>, record: Record<'a>, whole: Option<&'w Bound<'py, PyString>>) -> Self {
        FieldStrings {
            py,
            fields: record.iter(),
            whole,
            start: 0,
        }
    }

    /// The next field's `str`, made when the list converts it.
    fn next_slice(&mut self) -> FieldStr<'a, 'w, 'py> {
        let field = self.fields.next().map_or(&[][..], |f| f.bytes);
        let start = self.start;
        self.start += field.len();
        FieldStr {
            text: field,
            whole: self.whole.map(|w| (w, start)),
        }
    }

    fn next(&mut self) -> Option<PyResult<Bound<'py, PyString>>> {
        if self.fields.len() == 0 {
            return None;
        }
        let py = self.py;
        Some(self.next_slice().into_pyobject(py))
    }
}

/// A field to become a `str`: from its text, or as a slice of the record's `str`.
struct FieldStr<'a, 'w, 'py> {
    text: &'a [u8],
    whole: Option<(&'w Bound<'py, PyString>, usize)>,
}

impl<'py> IntoPyObject<'py> for FieldStr<'_, '_, 'py> {
    type Target = PyString;
    type Output = Bound<'py, PyString>;
    type Error = PyErr;

    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        match self.whole {
            Some((whole, start)) => substring(whole, start, start + self.text.len()),
            None => wtf8_str(py, self.text),
        }
    }
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

/// `whole[start:end]`, by character index.
#[inline]
#[expect(
    unsafe_code,
    reason = "PyUnicode_Substring has no safe wrapper; see FieldStrings for why it is worth it"
)]
fn substring<'py>(
    whole: &Bound<'py, PyString>,
    start: usize,
    end: usize,
) -> PyResult<Bound<'py, PyString>> {
    let py = whole.py();
    // SAFETY: `whole` is a live `str` (borrowed for the call), and the indices are checked by
    // `PyUnicode_Substring` itself. It returns a new reference to a `str`, or NULL with an
    // exception set, which `assume_owned_or_err` turns into the error.
    unsafe {
        let ptr = pyo3::ffi::PyUnicode_Substring(whole.as_ptr(), start as isize, end as isize);
        Bound::from_owned_ptr_or_err(py, ptr).map(|s| s.cast_into_unchecked())
    }
}

impl Reader {
    fn lock(&self) -> PyResult<MutexGuard<'_, State>> {
        self.state
            .try_lock()
            .map_err(|_| PyRuntimeError::new_err("the csv reader is already in use"))
    }

    /// Reads lines until a record is complete (`true`) or the input ends (`false`).
    fn next_record(
        &self,
        py: Python<'_>,
        source: &mut Source,
        parser: &mut Parser,
    ) -> PyResult<bool> {
        parser.clear();
        parser.set_field_limit(registry::field_limit());
        let mut lines = 0;
        let fed = source.feed(py, parser, &mut lines);
        self.line_num.fetch_add(lines, Ordering::Relaxed);
        match fed? {
            Some(Ok(())) => Ok(true),
            Some(Err(e)) => Err(self.record_error(py, parser, &e)),
            None => parser
                .finish()
                .map_err(|e| parse_error(py, &e, self.line_num())),
        }
    }
}

impl Reader {
    /// A field as Python sees it: `str`, or `float` for an unquoted field under
    /// `QUOTE_NONNUMERIC` (only then can this fail).
    fn value<'py>(&self, py: Python<'py>, field: Field<'_>) -> PyResult<Bound<'py, PyAny>> {
        let s = wtf8_str(py, field.bytes)?;
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
        parse_error(py, err, self.line_num())
    }
}
