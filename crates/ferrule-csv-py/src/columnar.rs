//! `read_csv`: Python arguments into the core's `ReadOptions`, the read with the GIL released,
//! bad lines handed to `warnings` or the user's callable.

use ferrule_csv::columnar::{
    BadLine, BadLines, ColumnRef, DType, DecodeErrors, Encoding, Ragged, ReadOptions,
};
use ferrule_csv::{Dialect, columnar};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyCFunction, PyDict, PyList, PyString, PyTuple};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::errors::read_error;
use crate::table::Table;

/// Where the bytes come from, held so that the GIL can be released while they are read.
enum Input {
    Bytes(PyBackedBytes),
    Text(PyBackedStr),
    Path(std::path::PathBuf),
}

fn input(source: &Bound<'_, PyAny>) -> PyResult<Input> {
    let py = source.py();
    if let Ok(bytes) = source.extract::<PyBackedBytes>() {
        return Ok(Input::Bytes(bytes));
    }
    if source.is_instance_of::<PyString>() || source.hasattr(pyo3::intern!(py, "__fspath__"))? {
        let os = py.import("os")?;
        let path: std::path::PathBuf = os.call_method1("fsdecode", (source,))?.extract()?;
        return Ok(Input::Path(path));
    }
    if source.hasattr(pyo3::intern!(py, "read"))? {
        let data = source.call_method0(pyo3::intern!(py, "read"))?;
        if let Ok(text) = data.extract::<PyBackedStr>() {
            return Ok(Input::Text(text));
        }
        if let Ok(bytes) = data.extract::<PyBackedBytes>() {
            return Ok(Input::Bytes(bytes));
        }
        return Err(PyTypeError::new_err(format!(
            "read() returned {}, not str or bytes",
            data.get_type().name()?
        )));
    }
    if let Ok(view) = source.cast::<pyo3::types::PyMemoryView>() {
        let bytes = py.import("builtins")?.getattr("bytes")?.call1((view,))?;
        return Ok(Input::Bytes(bytes.extract()?));
    }
    Err(PyTypeError::new_err(format!(
        "source must be a path, a file object or bytes, not {}",
        source.get_type().name()?
    )))
}

/// `value` as one character, or the `TypeError` the csv module gives for a longer string.
pub(crate) fn one_char(name: &str, value: Option<&str>) -> PyResult<Option<char>> {
    let Some(value) = value else { return Ok(None) };
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(Some(c)),
        _ => Err(PyTypeError::new_err(format!(
            "\"{name}\" must be a 1-character string"
        ))),
    }
}

fn column_ref(item: &Bound<'_, PyAny>) -> PyResult<ColumnRef> {
    if let Ok(name) = item.extract::<String>() {
        return Ok(ColumnRef::Name(name));
    }
    if let Ok(index) = item.extract::<usize>() {
        return Ok(ColumnRef::Index(index));
    }
    Err(PyTypeError::new_err(format!(
        "a column is a name or a non-negative index, not {}",
        item.repr()?
    )))
}

fn dtype(value: &Bound<'_, PyAny>) -> PyResult<DType> {
    let name: String = value.extract()?;
    DType::from_name(&name).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown dtype {name:?}: expected one of null, bool, int64, float64, date, datetime, \
             datetime_tz, string"
        ))
    })
}

/// The bad-line policy and, for `'warn'` and callables, what to hand each bad line to.
pub(crate) enum OnBadLines {
    Plain(BadLines),
    Warn,
    Call(Py<PyAny>),
}

/// Defines `$rust_name`, a keyword-only function named `$python_name` in Python that turns
/// `read_csv`'s keyword arguments into a [`ReadConfig`]: the one list of those keywords, their
/// defaults and their checks. Each caller gets its own, so that a wrong keyword names the
/// function the user called.
macro_rules! read_keywords {
    ($rust_name:ident, $python_name:tt) => {
        #[expect(
            clippy::too_many_arguments,
            reason = "mirrors the keyword-only Python signature"
        )]
        #[expect(
            clippy::too_many_lines,
            reason = "one check per argument, in signature order"
        )]
        #[pyfunction]
        #[pyo3(name = $python_name)]
        #[pyo3(signature = (
            *, delimiter = ",", quotechar = Some("\""), escapechar = None, doublequote = true,
            skipinitialspace = false, lineterminator = "\r\n", has_header = true, columns = None,
            n_rows = None, skip_rows = 0, dtypes = None, schema = None, null_values = None,
            encoding = "utf-8",
            encoding_errors = "strict", on_bad_lines = None, ragged = "error", threads = None,
            infer_types = true
        ))]
        pub(crate) fn $rust_name(
            delimiter: &str,
            quotechar: Option<&str>,
            escapechar: Option<&str>,
            doublequote: bool,
            skipinitialspace: bool,
            lineterminator: &str,
            has_header: bool,
            columns: Option<&Bound<'_, PyAny>>,
            n_rows: Option<usize>,
            skip_rows: usize,
            dtypes: Option<&Bound<'_, PyAny>>,
            schema: Option<&Bound<'_, PyAny>>,
            null_values: Option<Vec<String>>,
            encoding: &str,
            encoding_errors: &str,
            on_bad_lines: Option<&Bound<'_, PyAny>>,
            ragged: &str,
            threads: Option<usize>,
            infer_types: bool,
        ) -> PyResult<ReadConfig> {
            let delimiter = one_char("delimiter", Some(delimiter))?.unwrap_or(',');
            let quotechar = one_char("quotechar", quotechar)?;
            let escapechar = one_char("escapechar", escapechar)?;
            if Some(delimiter) == quotechar
                || Some(delimiter) == escapechar
                || delimiter == '\n'
                || delimiter == '\r'
            {
                return Err(PyValueError::new_err(
                    "the delimiter must differ from the quote and escape characters and line ends",
                ));
            }
            let dialect = Dialect {
                delimiter,
                quotechar,
                escapechar,
                doublequote,
                skipinitialspace,
                lineterminator: lineterminator.to_owned(),
                ..Dialect::default()
            };
            let columns = match columns {
                None => None,
                Some(c) if c.is_instance_of::<PyString>() => Some(vec![column_ref(c)?]),
                Some(c) => Some(
                    c.try_iter()?
                        .map(|i| column_ref(&i?))
                        .collect::<PyResult<_>>()?,
                ),
            };
            let dtypes = match dtypes {
                None => Vec::new(),
                Some(d) if d.is_instance_of::<PyDict>() => d
                    .cast::<PyDict>()?
                    .iter()
                    .map(|(k, v)| Ok((column_ref(&k)?, dtype(&v)?)))
                    .collect::<PyResult<_>>()?,
                Some(d) if d.is_instance_of::<PyList>() || d.is_instance_of::<PyTuple>() => d
                    .try_iter()?
                    .enumerate()
                    .map(|(i, v)| Ok((ColumnRef::Index(i), dtype(&v?)?)))
                    .collect::<PyResult<_>>()?,
                Some(_) => {
                    return Err(PyTypeError::new_err(
                        "dtypes must be a dict of column to type name, or a list of type names",
                    ));
                }
            };
            let schema = match schema {
                None => None,
                Some(d) if d.hasattr(pyo3::intern!(d.py(), "items"))? => Some(
                    d.call_method0(pyo3::intern!(d.py(), "items"))?
                        .try_iter()?
                        .map(|item| {
                            let (name, value): (String, Bound<'_, PyAny>) = item?.extract()?;
                            Ok((name, dtype(&value)?))
                        })
                        .collect::<PyResult<Vec<_>>>()?,
                ),
                Some(_) => {
                    return Err(PyTypeError::new_err(
                        "schema must be a mapping of every column name to its type name",
                    ));
                }
            };
            let encoding = Encoding::from_name(encoding).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "unsupported encoding {encoding:?}: expected utf-8, utf-8-sig, utf-16, latin-1 or cp1252"
                ))
            })?;
            let decode_errors = match encoding_errors {
                "strict" => DecodeErrors::Strict,
                "replace" => DecodeErrors::Replace,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "encoding_errors must be 'strict' or 'replace', not {other:?}"
                    )));
                }
            };
            let policy = match on_bad_lines {
                None => OnBadLines::Plain(BadLines::Error),
                Some(p) if p.is_callable() => OnBadLines::Call(p.clone().unbind()),
                Some(p) => match p.extract::<String>().as_deref() {
                    Ok("error") => OnBadLines::Plain(BadLines::Error),
                    Ok("skip") => OnBadLines::Plain(BadLines::Skip),
                    Ok("warn") => OnBadLines::Warn,
                    _ => {
                        return Err(PyValueError::new_err(
                            "on_bad_lines must be 'error', 'skip', 'warn' or a callable",
                        ));
                    }
                },
            };
            let ragged = match ragged {
                "error" => Ragged::Error,
                "pad" => Ragged::Pad,
                "truncate" => Ragged::Truncate,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "ragged must be 'error', 'pad' or 'truncate', not {other:?}"
                    )));
                }
            };
            let options = ReadOptions {
                dialect,
                has_header,
                columns,
                n_rows,
                skip_rows,
                dtypes,
                schema,
                null_values: null_values.unwrap_or_else(|| vec![String::new()]),
                encoding,
                decode_errors,
                on_bad_lines: match policy {
                    OnBadLines::Plain(p) => p,
                    OnBadLines::Warn | OnBadLines::Call(_) => BadLines::Report,
                },
                ragged,
                threads: threads.unwrap_or(0),
                infer_types,
                ..ReadOptions::default()
            };
            Ok(ReadConfig { options, policy })
        }
    };
}

read_keywords!(read_csv_keywords, "read_csv");
read_keywords!(scan_csv_keywords, "scan_csv");

#[pyfunction]
#[pyo3(signature = (source, /, **options), text_signature = "(source, /, *, delimiter=',', quotechar='\"', escapechar=None, \
    doublequote=True, skipinitialspace=False, lineterminator='\\r\\n', has_header=True, \
    columns=None, n_rows=None, skip_rows=0, dtypes=None, schema=None, null_values=None, \
    encoding='utf-8', encoding_errors='strict', on_bad_lines=None, ragged='error', threads=None, infer_types=True)")]
pub(crate) fn read_csv(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Table> {
    let (mut options, policy) =
        read_config(&pyo3::wrap_pyfunction!(read_csv_keywords, py)?, options)?;
    let source = input(source)?;
    if matches!(source, Input::Text(_)) {
        // A text file was decoded by Python already; its str is UTF-8 here.
        options.encoding = Encoding::Utf8;
    }
    let size = match &source {
        Input::Bytes(b) => b.len(),
        Input::Text(t) => t.len(),
        Input::Path(p) => std::fs::metadata(p).map_or(usize::MAX, |m| {
            usize::try_from(m.len()).unwrap_or(usize::MAX)
        }),
    };
    let cancel = Arc::new(AtomicBool::new(false));
    if size >= INTERRUPTIBLE_BYTES {
        options.cancel = Some(Arc::clone(&cancel));
    }
    let go = |replacing: Option<Replacing<'_>>| -> PyResult<_> {
        let read = || run(&source, &options, replacing);
        let result = if options.cancel.is_some() {
            py.detach(|| interruptible(&cancel, read))?
        } else {
            py.detach(read)
        };
        match result {
            Ok(table) => Ok(table),
            Err(Failure::Csv(e)) => Err(read_error(py, &e)),
            Err(Failure::Io(e, path)) => {
                let err = PyErr::from(e);
                let _ = err.value(py).setattr("filename", path);
                Err(err)
            }
        }
    };
    let mut table = go(None)?;
    let rows = report_bad_lines(py, &table, &policy)?;
    if rows.iter().any(Option::is_some) {
        // Rows given for bad lines: read again with them in place.
        let bad = table.bad_lines().to_vec();
        table = go(Some((&bad, &rows)))?;
    }
    Ok(Table::new(table))
}

/// The bad lines of a first read and, for each, the row to put in its place (`None`: drop it).
type Replacing<'a> = (&'a [BadLine], &'a [Option<Vec<String>>]);

/// One read of `source`, with rows put in place of bad lines when `replacing` says so.
fn run(
    source: &Input,
    options: &ReadOptions,
    replacing: Option<Replacing<'_>>,
) -> Result<columnar::Table, Failure> {
    let read = |data: &[u8]| {
        match replacing {
            None => columnar::read_csv(data, options),
            Some((bad, rows)) => columnar::read_csv_replacing(data, options, bad, rows),
        }
        .map_err(Failure::Csv)
    };
    match source {
        Input::Bytes(b) => read(b),
        Input::Text(t) => read(t.as_bytes()),
        Input::Path(p) => {
            let file = columnar::MappedFile::open(p).map_err(|e| Failure::Io(e, p.clone()))?;
            match replacing {
                None => file.read_csv(options).map_err(Failure::Csv),
                Some(_) => read(file.bytes()),
            }
        }
    }
}

/// Inputs from this size up are read on a worker thread while this one watches for signals,
/// so that Ctrl-C stops a long read; below it the thread would cost more than it saves.
const INTERRUPTIBLE_BYTES: usize = 4 << 20;

/// Runs `work` on a scoped thread; meanwhile, every 50 ms, runs Python's signal handlers, and
/// when one raises (`KeyboardInterrupt`), sets `cancel` (the core stops at its next slice) and
/// returns that error once the worker is done.
fn interruptible<T: Send>(cancel: &AtomicBool, work: impl FnOnce() -> T + Send) -> PyResult<T> {
    std::thread::scope(|scope| {
        let (done, outcome) = std::sync::mpsc::channel();
        scope.spawn(move || {
            let _ = done.send(work());
        });
        loop {
            match outcome.recv_timeout(Duration::from_millis(50)) {
                Ok(value) => return Ok(value),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    #[expect(
                        clippy::redundant_closure_for_method_calls,
                        reason = "the method's lifetime is not general enough for attach"
                    )]
                    let checked = Python::attach(|py| py.check_signals());
                    if let Err(err) = checked {
                        cancel.store(true, Ordering::Relaxed);
                        return Err(err);
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    panic!("the reading thread panicked")
                }
            }
        }
    })
}

enum Failure {
    Csv(ferrule_csv::columnar::ColumnarError),
    Io(std::io::Error, std::path::PathBuf),
}

/// Hands the table's bad lines to `warnings` or the callable; returns, for a callable, what
/// it gave for each (`None`, or the fields of a row to put in the bad line's place).
pub(crate) fn report_bad_lines(
    py: Python<'_>,
    table: &columnar::Table,
    policy: &OnBadLines,
) -> PyResult<Vec<Option<Vec<String>>>> {
    match policy {
        OnBadLines::Plain(_) => Ok(Vec::new()),
        OnBadLines::Warn => {
            let warnings = py.import("warnings")?;
            let category = py.get_type::<pyo3::exceptions::PyRuntimeWarning>();
            for bad in table.bad_lines() {
                let msg = format!(
                    "skipped line {} (byte {}): {}",
                    bad.at.line, bad.at.byte, bad.message
                );
                warnings.call_method1("warn", (msg, &category, 2))?;
            }
            Ok(Vec::new())
        }
        OnBadLines::Call(callable) => table
            .bad_lines()
            .iter()
            .map(|bad| {
                let row = callable.call1(py, (bad.fields.clone(),))?;
                let row = row.bind(py);
                if row.is_none() {
                    return Ok(None);
                }
                row.extract::<Vec<String>>().map(Some).map_err(|_| {
                    PyTypeError::new_err(format!(
                        "on_bad_lines must return None or a list of strings, not {}",
                        row.get_type()
                            .name()
                            .map_or_else(|_| "?".to_owned(), |n| n.to_string())
                    ))
                })
            })
            .collect(),
    }
}

/// The schema `read_csv` would give, from the first `n_rows` records (all when `None`).
#[pyfunction]
#[pyo3(
    signature = (source, /, *, n_rows = Some(10_000), **options),
    text_signature = "(source, /, *, n_rows=10000, **options)"
)]
pub(crate) fn infer_schema<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
    n_rows: Option<usize>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let kwargs = options.map_or_else(|| Ok(PyDict::new(py)), PyDictMethods::copy)?;
    kwargs.set_item("n_rows", n_rows)?;
    let table = pyo3::wrap_pyfunction!(read_csv, py)?.call((source,), Some(&kwargs))?;
    table
        .getattr(pyo3::intern!(py, "schema"))?
        .cast_into::<PyDict>()
        .map_err(Into::into)
}

/// The delimiter, quote character and header of a sample, as `read_csv` keywords.
#[pyfunction]
#[pyo3(signature = (sample, /))]
pub(crate) fn sniff<'py>(
    py: Python<'py>,
    sample: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let bytes: Vec<u8> = if let Ok(text) = sample.extract::<PyBackedStr>() {
        text.as_bytes().to_vec()
    } else {
        let bytes: PyBackedBytes = sample.extract()?;
        String::from_utf8_lossy(&bytes).into_owned().into_bytes()
    };
    let found = py
        .detach(|| columnar::sniff(&bytes, true))
        .ok_or_else(|| crate::errors::csv_error("could not determine delimiter: no records"))?;
    let out = PyDict::new(py);
    out.set_item("delimiter", found.delimiter.to_string())?;
    out.set_item("quotechar", found.quotechar.to_string())?;
    out.set_item("has_header", found.has_header)?;
    Ok(out)
}

/// `read_csv`'s options, made once by [`read_config`] for the functions taking them as
/// `**options`.
#[pyclass(frozen)]
pub(crate) struct ReadConfig {
    options: ReadOptions,
    policy: OnBadLines,
}

/// `read_csv`'s keyword arguments, given as a dict, as the core's options and the policy.
/// `keywords` is the function made by `read_keywords!` for the caller.
pub(crate) fn read_config(
    keywords: &Bound<'_, PyCFunction>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<(ReadOptions, OnBadLines)> {
    let py = keywords.py();
    let config = keywords.call((), kwargs)?;
    let config = config.cast::<ReadConfig>()?.get();
    let policy = match &config.policy {
        OnBadLines::Plain(p) => OnBadLines::Plain(*p),
        OnBadLines::Warn => OnBadLines::Warn,
        OnBadLines::Call(f) => OnBadLines::Call(f.clone_ref(py)),
    };
    Ok((config.options.clone(), policy))
}
