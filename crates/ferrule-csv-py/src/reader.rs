//! `reader()` and the `Reader` type: lines in, lists of strings out.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use ferrule_csv::{Field, Parser, Quoting};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString};

use crate::dialect::{self, Dialect};
use crate::errors::parse_error;
use crate::registry;
use crate::source::Source;

struct State {
    source: Source,
    parser: Parser,
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
        state: Mutex::new(State { source, parser }),
        dialect: dialect.unbind(),
        line_num: AtomicUsize::new(0),
    })
}

#[pymethods]
impl Reader {
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
        let State { source, parser } = &mut *state;
        if !self.next_record(py, source, parser)? {
            return Ok(None);
        }
        let record = parser.record();
        if self.nonnumeric {
            let items = record.iter().map(|f| self.value(py, f));
            PyList::new(py, items.collect::<PyResult<Vec<_>>>()?).map(Some)
        } else {
            PyList::new(py, record.iter().map(|f| PyString::new(py, f.text))).map(Some)
        }
    }

    /// `DictReader.__next__` in one call: the next non-empty row as a dict keyed by
    /// `fieldnames`, with `restkey`/`restval` for long and short rows. Returns the line number
    /// after the first row read (the stdlib's `DictReader.line_num` does not count skipped
    /// blank rows) and the dict, or `None` at the end.
    #[pyo3(signature = (fieldnames, restkey, restval, /))]
    fn _next_dict<'py>(
        &self,
        py: Python<'py>,
        fieldnames: &Bound<'py, PyAny>,
        restkey: &Bound<'py, PyAny>,
        restval: &Bound<'py, PyAny>,
    ) -> PyResult<(usize, Option<Bound<'py, PyDict>>)> {
        let mut state = self.lock()?;
        let State { source, parser } = &mut *state;
        let mut line_num = None;
        loop {
            let more = self.next_record(py, source, parser)?;
            let line_num = *line_num.get_or_insert_with(|| self.line_num());
            if !more {
                return Ok((line_num, None));
            }
            if !parser.record().is_empty() {
                break;
            }
        }
        let record = parser.record();
        let dict = PyDict::new(py);
        let mut fields = record.iter();
        for name in fieldnames.try_iter()? {
            match fields.next() {
                Some(f) => dict.set_item(name?, self.value(py, f)?)?,
                None => dict.set_item(name?, restval)?,
            }
        }
        if fields.len() > 0 {
            let rest = fields
                .map(|f| self.value(py, f))
                .collect::<PyResult<Vec<_>>>()?;
            dict.set_item(restkey, PyList::new(py, rest)?)?;
        }
        Ok((line_num.unwrap_or_default(), Some(dict)))
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
        let mut holder = None;
        loop {
            let done = match source.next_line(py, &mut holder)? {
                Some(line) => {
                    self.line_num.fetch_add(1, Ordering::Relaxed);
                    parser.feed_line(line)
                }
                None => {
                    return parser
                        .finish()
                        .map_err(|e| parse_error(py, &e, self.line_num()));
                }
            };
            match done {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(e) => return Err(self.record_error(py, parser, &e)),
            }
        }
    }
}

impl Reader {
    /// A field as Python sees it: `str`, or `float` for an unquoted field under
    /// `QUOTE_NONNUMERIC` (only then can this fail).
    fn value<'py>(&self, py: Python<'py>, field: Field<'_>) -> PyResult<Bound<'py, PyAny>> {
        let s = PyString::new(py, field.text);
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
