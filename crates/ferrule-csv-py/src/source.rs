//! Where the reader's lines come from: any iterable of strings, or, for a real text file, large
//! blocks read with `read()` and split in Rust.

use ferrule_csv::{LineSplitter, NewlineMode, Parser, Swap};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyIterator, PyString, PyType};

use crate::errors::csv_error;

/// Characters per `read()` call of the text-file fast path.
const BLOCK_CHARS: usize = 1 << 18;

/// Text held back at the end of what was read, in UTF-8 bytes: at least 8192 characters, so at
/// least the 8192 bytes of `TextIOWrapper`'s decoding chunk in any encoding.
const HOLD_BYTES: usize = 4 * 8192;

pub(crate) enum Source {
    /// One `next()` per line, exactly what the stdlib does.
    Iter(Py<PyIterator>),
    /// The fast path for `io.TextIOWrapper`.
    Text(TextSource),
}

pub(crate) struct TextSource {
    file: Py<PyAny>,
    /// Where the file stood when the reader was made, to go back to the line-by-line path if
    /// the file turns out to split lines differently from the universal mode.
    start: Py<PyAny>,
    splitter: LineSplitter,
    /// The file's `newline` mode is known to be universal (`''` or `None`).
    universal: bool,
    /// The `tell()` cookie before the oldest block still in the splitter, and how many
    /// characters were read since: with the characters still unread in the splitter, where the
    /// file would stand had it been read line by line. Used to put the file back when the
    /// reader is dropped. Counting at the rewind rather than per line keeps the hot loop free
    /// of it.
    window: Option<Py<PyAny>>,
    window_chars: usize,
    /// Lines handed to the parser so far.
    returned: usize,
    /// `read()` returned the end of the file: the splitter holds the last lines.
    finished: bool,
}

fn text_io_wrapper(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    TYPE.import(py, "io", "TextIOWrapper")
}

impl Source {
    pub(crate) fn new(csvfile: &Bound<'_, PyAny>) -> PyResult<Source> {
        let py = csvfile.py();
        // `iter()` first, for the same errors as the stdlib (not iterable, closed file, ...).
        let iter = csvfile.try_iter()?;
        if csvfile.get_type().is(text_io_wrapper(py)?) {
            let seekable = csvfile
                .call_method0(pyo3::intern!(py, "seekable"))
                .and_then(|s| s.is_truthy())
                .unwrap_or(false);
            // `tell()` fails after `next(file)`: then the file's own line iteration is in use.
            if let Some(start) = seekable
                .then(|| csvfile.call_method0(pyo3::intern!(py, "tell")).ok())
                .flatten()
            {
                return Ok(Source::Text(TextSource {
                    file: csvfile.clone().unbind(),
                    start: start.unbind(),
                    splitter: LineSplitter::new(NewlineMode::Universal),
                    universal: false,
                    window: None,
                    window_chars: 0,
                    returned: 0,
                    finished: false,
                }));
            }
        }
        Ok(Source::Iter(iter.unbind()))
    }

    /// The line-by-line source of any iterable, whatever it is.
    pub(crate) fn lines(csvfile: &Bound<'_, PyAny>) -> PyResult<Source> {
        Ok(Source::Iter(csvfile.try_iter()?.unbind()))
    }

    /// Feeds lines to `parser` until a record is complete (`Some(Ok(()))`), the parser fails
    /// (`Some(Err(_))`) or the input ends (`None`), counting the lines fed in `lines`.
    ///
    /// Lines of a text file are parsed where the splitter holds them, without a copy. With a
    /// dialect's `swap` (only ever on the line-by-line source), each line is swapped first.
    ///
    /// `check`, given under `QUOTE_NONNUMERIC`, sees the fields saved so far after each line
    /// that leaves the record open. The stdlib converts a field with `float()` the moment it
    /// is saved: a failure raises in the line that holds the field, drops the rest of that
    /// line, and the next record starts on the following line. Checking per line (from the
    /// first field not checked yet) raises at that same place; the parser is then cleared.
    pub(crate) fn feed(
        &mut self,
        py: Python<'_>,
        parser: &mut Parser,
        lines: &mut usize,
        swap: Option<Swap>,
        check: Option<&Check<'_>>,
    ) -> PyResult<Option<Result<(), ferrule_csv::Error>>> {
        if let Source::Text(text) = self {
            match text.feed(py, parser, lines, check) {
                Ok(Fed::Done(result)) => return Ok(Some(result)),
                Ok(Fed::End) => return Ok(None),
                Ok(Fed::Fallback) => {
                    let file = text.file.bind(py).clone();
                    file.call_method1(pyo3::intern!(py, "seek"), (text.start.bind(py),))?;
                    *self = Source::Iter(file.try_iter()?.unbind());
                }
                Err(err) if err.is_instance_of::<PyException>(py) => {
                    // `read()` failed (a byte that does not decode, a lone surrogate the block
                    // cannot be read as UTF-8 with, ...): the stdlib would still yield the rows
                    // before the bad spot, and raise where its own line reading meets it.
                    // Reading again from where the reader started puts the file's own `read`
                    // chunks where the stdlib's fell (rather than after the last line returned),
                    // so a decoding error surfaces after the same row; the lines returned
                    // already are skipped.
                    let file = text.file.bind(py).clone();
                    let start = text.start.clone_ref(py);
                    let skip = text.returned;
                    text.disarm();
                    let Ok(iter) = file
                        .call_method1(pyo3::intern!(py, "seek"), (start,))
                        .and_then(|_| file.try_iter())
                    else {
                        return Err(err);
                    };
                    *self = Source::Iter(iter.clone().unbind());
                    for _ in 0..skip {
                        match iter.clone().next() {
                            Some(Ok(_)) => {}
                            Some(Err(e)) => return Err(e),
                            None => return Ok(None),
                        }
                    }
                }
                // A conversion failure is the caller's error, not a failed `read()`.
                Ok(Fed::Failed(err)) | Err(err) => return Err(err),
            }
        }
        let Source::Iter(iter) = self else {
            unreachable!("the text source returned above")
        };
        let iter = iter.bind(py);
        let mut checked = 0;
        loop {
            let Some(item) = iter.clone().next() else {
                return Ok(None);
            };
            let line = item?
                .cast_into::<PyString>()
                .map_err(|e| not_a_string(&e.into_inner()))?;
            *lines += 1;
            let fed = match (line.to_str(), swap) {
                (Ok(text), None) => parser.feed_line(text),
                (Ok(text), Some(swap)) => parser.feed_line_bytes(&swap.text(text.as_bytes())),
                // A lone surrogate (`errors='surrogateescape'` makes them): no `&str` holds
                // it, the core reads it as WTF-8.
                (Err(_), None) => parser.feed_line_bytes(surrogatepass(&line)?.as_bytes()),
                (Err(_), Some(swap)) => {
                    parser.feed_line_bytes(&swap.text(surrogatepass(&line)?.as_bytes()))
                }
            };
            match fed {
                Ok(true) => return Ok(Some(Ok(()))),
                Ok(false) => check_open_record(parser, check, &mut checked)?,
                Err(e) => return Ok(Some(Err(e))),
            }
        }
    }
}

/// Converts (or only checks) the fields `record[from..]` as `QUOTE_NONNUMERIC` does.
pub(crate) type Check<'a> = dyn Fn(ferrule_csv::Record<'_>, usize) -> PyResult<()> + 'a;

/// Runs `check` over the fields saved since the last call, in a record left open by the line
/// just fed; on failure the parser is cleared, so the next record starts on the next line.
fn check_open_record(
    parser: &mut Parser,
    check: Option<&Check<'_>>,
    checked: &mut usize,
) -> PyResult<()> {
    let Some(check) = check else {
        return Ok(());
    };
    let record = parser.record();
    let saved = record.len();
    if saved > *checked {
        if let Err(err) = check(record, *checked) {
            parser.clear();
            return Err(err);
        }
        *checked = saved;
    }
    Ok(())
}

/// `s.encode('utf-8', 'surrogatepass')`: WTF-8, for a `str` with lone surrogates.
#[cold]
pub(crate) fn surrogatepass<'py>(s: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyBytes>> {
    let py = s.py();
    s.call_method1(
        pyo3::intern!(py, "encode"),
        (
            pyo3::intern!(py, "utf-8"),
            pyo3::intern!(py, "surrogatepass"),
        ),
    )?
    .cast_into::<PyBytes>()
    .map_err(Into::into)
}

#[cold]
fn not_a_string(obj: &Bound<'_, PyAny>) -> PyErr {
    let tp = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    csv_error(format!(
        "iterator should return strings, not {tp} (the file should be opened in text mode)"
    ))
}

enum Fed {
    Done(Result<(), ferrule_csv::Error>),
    /// A `QUOTE_NONNUMERIC` field of an open record failed to convert (see [`Source::feed`]).
    Failed(PyErr),
    End,
    Fallback,
}

impl TextSource {
    fn feed(
        &mut self,
        py: Python<'_>,
        parser: &mut Parser,
        lines: &mut usize,
        check: Option<&Check<'_>>,
    ) -> PyResult<Fed> {
        let mut checked = 0;
        loop {
            // The lines in the last `HOLD_BYTES` read are returned only once the next `read()`
            // succeeded: the stdlib's own reading decodes 8K-byte chunks, so a decoding error
            // stops it up to a chunk before the bad byte; lines after that must wait.
            while self.finished || self.splitter.rest().len() >= HOLD_BYTES {
                let Some(line) = self.splitter.next_line() else {
                    break;
                };
                *lines += 1;
                self.returned += 1;
                match parser.feed_line(line) {
                    Ok(true) => return Ok(Fed::Done(Ok(()))),
                    Ok(false) => {
                        if let Err(err) = check_open_record(parser, check, &mut checked) {
                            return Ok(Fed::Failed(err));
                        }
                    }
                    Err(e) => return Ok(Fed::Done(Err(e))),
                }
            }
            let file = self.file.bind(py);
            let fresh = self.splitter.is_empty();
            let cookie = if fresh {
                Some(file.call_method0(pyo3::intern!(py, "tell"))?)
            } else {
                None
            };
            let block = file.call_method1(pyo3::intern!(py, "read"), (BLOCK_CHARS,))?;
            let block = block
                .cast_into::<PyString>()
                .map_err(|e| not_a_string(&e.into_inner()))?;
            let text = block.to_cow()?;
            if text.is_empty() {
                if fresh {
                    // Not latched: after `file.seek(0)` the same reader reads the file again,
                    // as the stdlib's does.
                    self.splitter = LineSplitter::new(NewlineMode::Universal);
                    self.window = None;
                    self.finished = false;
                    return Ok(Fed::End);
                }
                self.splitter.finish();
                self.finished = true;
                continue;
            }
            if !self.universal {
                // Only a universal-newline decoder records `newlines`; with `newline='\n'`,
                // `'\r'` or `'\r\n'` it stays None, and lines must come from the file itself.
                if file.getattr(pyo3::intern!(py, "newlines"))?.is_none() {
                    if text.contains(['\n', '\r']) {
                        return Ok(Fed::Fallback);
                    }
                } else {
                    self.universal = true;
                }
            }
            if let Some(cookie) = cookie {
                self.window = Some(cookie.unbind());
                self.window_chars = 0;
            }
            self.window_chars += block.len()?;
            self.splitter.push(&text);
        }
    }

    /// Leaves the file where it stands when dropped: the caller has moved it.
    fn disarm(&mut self) {
        self.window = None;
        self.finished = false;
        self.splitter = LineSplitter::new(NewlineMode::Universal);
    }

    /// Puts the file right after the last line returned, where the stdlib's line-by-line
    /// reading would have left it, so another reader (or the caller) continues from there.
    fn rewind(&mut self, py: Python<'_>) -> PyResult<()> {
        if self.splitter.is_empty() {
            return Ok(());
        }
        let Some(window) = self.window.take() else {
            return Ok(());
        };
        let file = self.file.bind(py);
        file.call_method1(pyo3::intern!(py, "seek"), (window,))?;
        let unread = self.splitter.rest().chars().count();
        let returned = self.window_chars - unread;
        if returned > 0 {
            file.call_method1(pyo3::intern!(py, "read"), (returned,))?;
        }
        Ok(())
    }
}

impl Drop for TextSource {
    fn drop(&mut self) {
        // Best effort: the file may be closed by now, and a destructor cannot raise. The
        // reader is often dropped while an exception unwinds (a `for` body raised): calling
        // into Python with that exception still set is undefined, so it is set aside and put
        // back untouched.
        let _ = Python::try_attach(|py| {
            let pending = PyErr::take(py);
            let _ = self.rewind(py);
            if let Some(err) = pending {
                err.restore(py);
            }
        });
    }
}
