//! `writer()` and the `Writer` type: Python values in, one `write()` call per row (or per batch
//! of rows in `writerows`) out.

use std::sync::{Mutex, MutexGuard};

use ferrule_csv::Quoting;
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyComplex, PyDict, PyFloat, PyInt, PyString};

use crate::dialect::{self, Dialect};
use crate::errors::{csv_error, type_error, write_error};

/// `writerows` hands the file this much text at a time: large enough that the per-call cost of
/// `write()` vanishes, small enough that memory stays flat for any number of rows.
const BATCH_BYTES: usize = 256 * 1024;

struct State {
    core: ferrule_csv::Writer,
    out: String,
}

/// A CSV writer; create one with :func:`writer`.
#[pyclass(frozen, module = "ferrule.csv._native", name = "Writer")]
pub(crate) struct Writer {
    write: Py<PyAny>,
    dialect: Py<Dialect>,
    quoting: Quoting,
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
        dialect: dialect.unbind(),
        state: Mutex::new(State {
            core,
            out: String::new(),
        }),
    })
}

#[pymethods]
impl Writer {
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
            self.append_row(core, out, row)?;
            PyString::new(py, out)
        };
        self.write.bind(py).call1((line,))
    }

    /// Write every row of an iterable of rows.
    fn writerows(&self, py: Python<'_>, rows: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut state = self.lock()?;
        let State { core, out } = &mut *state;
        out.clear();
        let result = (|| {
            for row in rows.try_iter()? {
                self.append_row(core, out, &row?)?;
                if out.len() >= BATCH_BYTES {
                    self.flush(py, out)?;
                }
            }
            Ok(())
        })();
        // Rows before a failing one are written, as the stdlib writes each row as it goes.
        let flushed = self.flush(py, out);
        result.and(flushed)
    }
}

impl Writer {
    fn lock(&self) -> PyResult<MutexGuard<'_, State>> {
        self.state
            .try_lock()
            .map_err(|_| PyRuntimeError::new_err("the csv writer is already in use"))
    }

    fn flush(&self, py: Python<'_>, out: &mut String) -> PyResult<()> {
        if !out.is_empty() {
            let chunk = PyString::new(py, out);
            out.clear();
            self.write.bind(py).call1((chunk,))?;
        }
        Ok(())
    }

    /// Append one formatted row and the line terminator to `out`; on error `out` is unchanged.
    fn append_row(
        &self,
        core: &mut ferrule_csv::Writer,
        out: &mut String,
        row: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let fields = match row.try_iter() {
            Ok(it) => it,
            Err(e) if e.is_instance_of::<PyTypeError>(row.py()) => {
                let tp = row.get_type().name()?;
                return Err(csv_error(format!("iterable expected, not {tp}")));
            }
            Err(e) => return Err(e),
        };
        let mark = out.len();
        let result = (|| {
            for field in fields {
                self.append_field(core, &field?)?;
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
        let push = |core: &mut ferrule_csv::Writer, text: Option<&str>| {
            core.push_field(text, quoted).map_err(|e| write_error(&e))
        };
        if let Ok(s) = field.cast::<PyString>() {
            return push(core, Some(&s.to_cow()?));
        }
        if field.is_none() {
            return push(core, None);
        }
        if field.is_exact_instance_of::<PyInt>() {
            if let Ok(v) = field.extract::<i64>() {
                return push(core, Some(itoa::Buffer::new().format(v)));
            }
        }
        let text = field.str()?;
        push(core, Some(&text.to_cow()?))
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
