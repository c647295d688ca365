//! `scan_csv`: the columnar reader over input larger than memory, one table per block read.

use std::io::Read;
use std::sync::Mutex;

use ferrule_csv::columnar::{ColumnRef, CsvStream, DType, Encoding, ReadOptions};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyDict, PyString};

use crate::columnar::{OnBadLines, read_config, report_bad_lines, scan_csv_keywords};
use crate::errors::read_error;
use crate::table::Table;

/// Where the blocks come from.
enum Blocks {
    File(std::fs::File),
    /// A Python file object; `text` when its `read()` gives `str`.
    Object {
        file: Py<PyAny>,
        text: bool,
    },
}

struct ScanState {
    stream: CsvStream,
    blocks: Blocks,
    policy: OnBadLines,
    block_bytes: usize,
    done: bool,
}

/// An iterator of [`Table`]s, one per block of input.
#[pyclass(frozen, module = "ferrule.csv._native")]
pub(crate) struct CsvScanner {
    state: Mutex<ScanState>,
}

#[pymethods]
impl CsvScanner {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Table>> {
        // Never wait for the lock with the GIL held: the holder may be waiting for the GIL.
        let mut guard = self
            .state
            .try_lock()
            .map_err(|_| PyRuntimeError::new_err("this scanner is in use by another thread"))?;
        let state = &mut *guard;
        loop {
            if state.done {
                return Ok(None);
            }
            let block = read_block(py, &mut state.blocks, state.block_bytes)?;
            let last = block.is_empty();
            let stream = &mut state.stream;
            let pushed = py.detach(|| stream.push(&block, last));
            let table = pushed.map_err(|e| {
                state.done = true;
                read_error(py, &e)
            })?;
            state.done = last || state.stream.is_done();
            if let Some(table) = table {
                if report_bad_lines(py, &table, &state.policy)?
                    .iter()
                    .any(Option::is_some)
                {
                    return Err(pyo3::exceptions::PyValueError::new_err(
                        "scan_csv cannot put rows in place of bad lines: return None from \
                         on_bad_lines, or use read_csv",
                    ));
                }
                return Ok(Some(Table::new(table)));
            }
        }
    }
}

fn read_block(py: Python<'_>, blocks: &mut Blocks, size: usize) -> PyResult<Vec<u8>> {
    match blocks {
        Blocks::File(file) => py.detach(|| {
            let mut block = Vec::with_capacity(size);
            file.take(size as u64).read_to_end(&mut block)?;
            Ok(block)
        }),
        Blocks::Object { file, text } => {
            let data = file.call_method1(py, pyo3::intern!(py, "read"), (size,))?;
            let data = data.bind(py);
            if *text {
                let text: PyBackedStr = data.extract()?;
                Ok(text.as_bytes().to_vec())
            } else {
                let bytes: PyBackedBytes = data.extract()?;
                Ok(bytes.to_vec())
            }
        }
    }
}

/// The types of every column over the whole input: a typing pass reading `blocks` to the end.
fn typing_pass(
    py: Python<'_>,
    blocks: &mut Blocks,
    options: &ReadOptions,
    block_bytes: usize,
) -> PyResult<Vec<(ColumnRef, DType)>> {
    let mut stream = CsvStream::typing(options.clone()).map_err(|e| read_error(py, &e))?;
    loop {
        // The pass can be long: let Ctrl-C through between blocks.
        py.check_signals()?;
        let block = read_block(py, blocks, block_bytes)?;
        let last = block.is_empty();
        py.detach(|| stream.push(&block, last))
            .map_err(|e| read_error(py, &e))?;
        if last || stream.is_done() {
            return Ok(stream.widened());
        }
    }
}

fn open_path(py: Python<'_>, path: &std::path::Path) -> PyResult<std::fs::File> {
    std::fs::File::open(path).map_err(|e| {
        let err = PyErr::from(e);
        let _ = err.value(py).setattr("filename", path);
        err
    })
}

/// Reads `source` (a path or a file object) block by block; `options` are `read_csv`'s.
#[pyfunction]
#[pyo3(
    signature = (source, /, *, block_bytes = 16 << 20, infer_all = true, **options),
    text_signature = "(source, /, *, block_bytes=16777216, infer_all=True, **options)"
)]
pub(crate) fn scan_csv(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    block_bytes: usize,
    infer_all: bool,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<CsvScanner> {
    if block_bytes == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "block_bytes must be positive",
        ));
    }
    let (mut read_options, policy) =
        read_config(&pyo3::wrap_pyfunction!(scan_csv_keywords, py)?, options)?;
    let blocks = if source.is_instance_of::<PyString>()
        || source.hasattr(pyo3::intern!(py, "__fspath__"))?
    {
        let path: std::path::PathBuf = py
            .import("os")?
            .call_method1("fsdecode", (source,))?
            .extract()?;
        if infer_all {
            let mut first = Blocks::File(open_path(py, &path)?);
            read_options.dtypes = typing_pass(py, &mut first, &read_options, block_bytes)?;
        }
        Blocks::File(open_path(py, &path)?)
    } else if source.hasattr(pyo3::intern!(py, "read"))? {
        let text = source.is_instance(&py.import("io")?.getattr("TextIOBase")?)?;
        if text {
            // The file decodes; its `str` is UTF-8 here.
            read_options.encoding = Encoding::Utf8;
        }
        let mut blocks = Blocks::Object {
            file: source.clone().unbind(),
            text,
        };
        // A file that cannot go back is read once, with the first block's types.
        if infer_all
            && source.hasattr(pyo3::intern!(py, "seekable"))?
            && source
                .call_method0(pyo3::intern!(py, "seekable"))?
                .is_truthy()?
        {
            let start = source.call_method0(pyo3::intern!(py, "tell"))?;
            read_options.dtypes = typing_pass(py, &mut blocks, &read_options, block_bytes)?;
            source.call_method1(pyo3::intern!(py, "seek"), (start,))?;
        }
        blocks
    } else {
        return Err(PyTypeError::new_err(format!(
            "source must be a path or a file object, not {}",
            source.get_type().name()?
        )));
    };
    let stream = CsvStream::new(read_options).map_err(|e| read_error(py, &e))?;
    Ok(CsvScanner {
        state: Mutex::new(ScanState {
            stream,
            blocks,
            policy,
            block_bytes,
            done: false,
        }),
    })
}
