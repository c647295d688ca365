//! `reader()` and the `Reader` type: lines in, lists of strings out.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use ferrule_csv::{Parser, Quoting, Record};
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
        row(py, parser.record(), self.nonnumeric).map(Some)
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
                Err(e) => return Err(parse_error(py, &e, self.line_num())),
            }
        }
    }
}

/// One record as a list of `str` (and `float` for unquoted fields under `QUOTE_NONNUMERIC`).
fn row<'py>(py: Python<'py>, record: Record<'_>, nonnumeric: bool) -> PyResult<Bound<'py, PyList>> {
    if !nonnumeric {
        return PyList::new(py, record.iter().map(|f| PyString::new(py, f.text)));
    }
    let items = record
        .iter()
        .map(|f| {
            let s = PyString::new(py, f.text);
            if f.numeric {
                // float(str) itself, for its exact rules (whitespace, '_', 'nan', 'inf', ...).
                py.get_type::<PyFloat>().call1((s,))
            } else {
                Ok(s.into_any())
            }
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}
