//! Where the reader's lines come from: any iterable of strings, or, for a real text file, large
//! blocks read with `read()` and split in Rust.

use std::collections::VecDeque;

use ferrule_csv::{Ahead, Batch, LineSplitter, NewlineMode, Parser, Record, Swap};
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
    /// Whether and how the file's binary buffer is read directly (see [`Raw`]).
    raw: Raw,
    /// The reader's dialect, for the worker that splits the bytes; none, none started.
    dialect: Option<ferrule_csv::Dialect>,
}

/// Reading a UTF-8 text file's binary buffer instead of its text: the bytes are validated in
/// Rust and split as they are, which skips `TextIOWrapper`'s decoding and newline scan (about
/// an eighth of a row's cost) and the `str` of every block.
///
/// The bytes are the text only in `newline=''` mode (or in `newline=None` mode for a file
/// without CR), with a strict UTF-8 decoder. The mode is not readable from the file object,
/// so it is told by the text read first: `newlines` is set only in the universal modes, and a
/// CR in the text proves `newline=''` (`None` translates every CR). Until then a CR in the
/// bytes sends the reader back to the text, from where the bytes were read.
enum Raw {
    /// Not looked at yet.
    Unknown,
    /// Never: another encoding, error handler or newline mode, or no binary buffer.
    Never,
    /// Possible: the text is read until `newlines` says the mode is universal, then the
    /// bytes. `cr`: a CR in the text proved `newline=''`. `probing`: the bytes read last held
    /// a CR before the mode was known; the next text read tells.
    Ready {
        buffer: Py<PyAny>,
        cr: bool,
        probing: bool,
    },
    /// Reading the bytes, split ahead by a worker thread.
    Reading(Box<Reading>),
}

/// The bytes in flight: blocks read and handed to the worker, batches of lines received.
struct Reading {
    buffer: Py<PyAny>,
    cr: bool,
    ahead: Ahead,
    /// Batches received and not used up; a batch's lines are used only once the batch after
    /// it arrived valid, or it is the last (see `HOLD_BYTES`).
    batches: VecDeque<Batch>,
    /// The next line of the first batch.
    cursor: usize,
    /// The first line of the last record given as [`Fed::Ahead`], in the first batch.
    taken: usize,
    /// The file position of the first batch's first line.
    start: u64,
    /// Blocks handed to the worker and not received back yet.
    in_flight: usize,
    /// The end of the file was read and told to the worker.
    eof: bool,
}

impl Reading {
    /// The file position of the first line not used yet.
    fn unused(&self) -> u64 {
        self.start
            + self
                .batches
                .front()
                .map_or(0, |b| b.line_start(self.cursor) as u64)
    }
}

/// Bytes per `read()` of the binary buffer.
const BLOCK_BYTES: usize = 1 << 18;

/// Blocks handed to the worker ahead of the batch in use.
const AHEAD_BLOCKS: usize = 2;

/// The binary buffer of `file` when reading it gives the same text as `file` itself, except
/// for the newline mode (see [`Raw`]): `file` decodes strict UTF-8, and `file.buffer` is
/// seekable.
fn raw_buffer(file: &Bound<'_, PyAny>) -> Option<Py<PyAny>> {
    let py = file.py();
    let utf8 = || -> PyResult<bool> {
        let encoding = file.getattr(pyo3::intern!(py, "encoding"))?;
        let errors = file.getattr(pyo3::intern!(py, "errors"))?;
        let name = py
            .import(pyo3::intern!(py, "codecs"))?
            .call_method1(pyo3::intern!(py, "lookup"), (encoding,))?
            .getattr(pyo3::intern!(py, "name"))?;
        Ok(name.extract::<&str>()? == "utf-8" && errors.extract::<&str>()? == "strict")
    };
    if !utf8().unwrap_or(false) {
        return None;
    }
    let buffer = file.getattr(pyo3::intern!(py, "buffer")).ok()?;
    let seekable = buffer
        .call_method0(pyo3::intern!(py, "seekable"))
        .and_then(|s| s.is_truthy())
        .unwrap_or(false);
    seekable.then(|| buffer.unbind())
}

pub(crate) fn text_io_wrapper(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
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
                    raw: Raw::Unknown,
                    dialect: None,
                }));
            }
        }
        Ok(Source::Iter(iter.unbind()))
    }

    /// Lets a text file's bytes be split ahead in `dialect` (see [`Raw`]).
    pub(crate) fn split_ahead(&mut self, dialect: &ferrule_csv::Dialect) {
        if let Source::Text(text) = self {
            text.dialect = Some(dialect.clone());
        }
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
    ) -> PyResult<Option<Result<Got, ferrule_csv::Error>>> {
        if let Source::Text(text) = self {
            match text.feed(py, parser, lines, check) {
                Ok(Fed::Done(result)) => return Ok(Some(result.map(|()| Got::Parser))),
                Ok(Fed::Ahead) => return Ok(Some(Ok(Got::Ahead))),
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
                Ok(true) => return Ok(Some(Ok(Got::Parser))),
                Ok(false) => check_open_record(parser, check, &mut checked)?,
                Err(e) => return Ok(Some(Err(e))),
            }
        }
    }
}

impl Source {
    /// The record of the line [`feed`](Source::feed) gave as [`Got::Ahead`], split by the
    /// worker, with `field_limit` the parser's limit then.
    pub(crate) fn ahead_record(&self, field_limit: usize) -> Option<Record<'_>> {
        let Source::Text(TextSource {
            raw: Raw::Reading(reading),
            ..
        }) = self
        else {
            return None;
        };
        let batch = reading.batches.front()?;
        batch.plain(reading.taken, field_limit)
    }
}

/// Where the record of a successful [`Source::feed`] is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Got {
    /// In the parser.
    Parser,
    /// A plain line split ahead: [`Source::ahead_record`].
    Ahead,
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
    /// A plain line split by the worker is the record.
    Ahead,
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
            if matches!(self.raw, Raw::Reading(_)) {
                if let Some(fed) = self.feed_ahead(py, parser, lines, check, &mut checked)? {
                    return Ok(fed);
                }
                continue;
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
            if self.universal {
                self.start_raw(py, text.contains('\r'))?;
            }
        }
    }

    /// After a text block in a universal newline mode: goes on with the bytes if the file
    /// allows it (see [`Raw`]); `cr` tells whether the block held a CR.
    fn start_raw(&mut self, py: Python<'_>, cr: bool) -> PyResult<()> {
        if matches!(self.raw, Raw::Unknown) {
            self.raw = raw_buffer(self.file.bind(py)).map_or(Raw::Never, |buffer| Raw::Ready {
                buffer,
                cr: false,
                probing: false,
            });
        }
        let Raw::Ready {
            buffer,
            cr: proven,
            probing,
        } = &mut self.raw
        else {
            return Ok(());
        };
        *proven |= cr;
        let file = self.file.bind(py);
        if !*proven {
            // The decoder saw a CR that the text does not hold: `newline=None` translated it,
            // and the text read so far is not the bytes.
            let newlines = file.getattr(pyo3::intern!(py, "newlines"))?;
            if *probing || newlines.extract::<&str>().ok() != Some("\n") {
                self.raw = Raw::Never;
                return Ok(());
            }
        }
        *probing = false;
        // The position after the text read, as a byte offset: only when the decoder holds
        // nothing (a larger cookie packs its state, e.g. a CR held back at the block's end).
        let cookie = file.call_method0(pyo3::intern!(py, "tell"))?;
        let Ok(pos) = cookie.extract::<u64>() else {
            return Ok(());
        };
        let Some(Ok(ahead)) = self.dialect.as_ref().map(Ahead::new) else {
            self.raw = Raw::Never;
            return Ok(());
        };
        // The text not returned yet is read again as bytes, from the start of its first line
        // (the text is the bytes, see `Raw`). Seeking there also drops the text the wrapper
        // decoded ahead, so its buffer stands there.
        let start = pos - self.splitter.rest().len() as u64;
        file.call_method1(pyo3::intern!(py, "seek"), (start,))?;
        self.raw = Raw::Reading(Box::new(Reading {
            buffer: buffer.clone_ref(py),
            cr: *proven,
            ahead,
            batches: VecDeque::new(),
            cursor: 0,
            taken: 0,
            start,
            in_flight: 0,
            eof: false,
        }));
        self.splitter = LineSplitter::new(NewlineMode::Universal);
        // Raw positions replace the text window from here on.
        self.window = None;
        Ok(())
    }

    /// Feeds lines split by the worker to `parser` (or, for a plain line at the start of a
    /// record, gives it whole: [`Fed::Ahead`]) as the text loop does. `None`: back on the text.
    fn feed_ahead(
        &mut self,
        py: Python<'_>,
        parser: &mut Parser,
        lines: &mut usize,
        check: Option<&Check<'_>>,
        checked: &mut usize,
    ) -> PyResult<Option<Fed>> {
        loop {
            let Raw::Reading(reading) = &mut self.raw else {
                return Ok(None);
            };
            if let Some(front) = reading.batches.front() {
                let usable = front.last || reading.batches.len() > 1;
                if usable && reading.cursor < front.len() {
                    let i = reading.cursor;
                    // The parser was cleared for this record: this is its first line. Under
                    // QUOTE_NONNUMERIC a field of an open record is converted per line (see
                    // `Source::feed`), so only records of one line are taken whole there.
                    if *lines == 0 {
                        if let Some(n) = front
                            .record_lines(i, parser.field_limit())
                            .filter(|&n| n == 1 || check.is_none())
                        {
                            reading.cursor += n;
                            reading.taken = i;
                            *lines += n;
                            self.returned += n;
                            return Ok(Some(Fed::Ahead));
                        }
                    }
                    reading.cursor += 1;
                    *lines += 1;
                    self.returned += 1;
                    match parser.feed_line_bytes(front.line(i)) {
                        Ok(true) => return Ok(Some(Fed::Done(Ok(())))),
                        Ok(false) => {
                            if let Err(err) = check_open_record(parser, check, checked) {
                                return Ok(Some(Fed::Failed(err)));
                            }
                        }
                        Err(e) => return Ok(Some(Fed::Done(Err(e)))),
                    }
                    continue;
                }
                if usable && front.last {
                    // Every line used: the end, and back on the text, which reads the file
                    // again after a `seek`, as the stdlib's reader does.
                    let buffer = reading.buffer.clone_ref(py);
                    let cr = reading.cr;
                    self.raw = Raw::Ready {
                        buffer,
                        cr,
                        probing: false,
                    };
                    self.finished = false;
                    return Ok(Some(Fed::End));
                }
                if usable {
                    reading.start += front.text_len() as u64;
                    reading.cursor = 0;
                    reading.batches.pop_front();
                    continue;
                }
            }
            if !self.send_blocks(py)? {
                return Ok(None);
            }
            let Raw::Reading(reading) = &mut self.raw else {
                return Ok(None);
            };
            let ahead = &reading.ahead;
            let batch = py.detach(|| ahead.recv());
            reading.in_flight -= 1;
            match batch {
                Some(batch) if !batch.invalid => reading.batches.push_back(batch),
                // The text layer raises the real error at the stdlib's row: see
                // `Source::feed`, which reads the file again from the start.
                _ => {
                    return Err(pyo3::exceptions::PyValueError::new_err(
                        "the file is not valid UTF-8",
                    ));
                }
            }
        }
    }

    /// Reads blocks of the binary buffer and hands them to the worker until enough are in
    /// flight; `false` if the reader went back to the text instead.
    fn send_blocks(&mut self, py: Python<'_>) -> PyResult<bool> {
        let Raw::Reading(reading) = &mut self.raw else {
            return Ok(false);
        };
        while !reading.eof && reading.in_flight < AHEAD_BLOCKS {
            let block = reading
                .buffer
                .bind(py)
                .call_method1(pyo3::intern!(py, "read"), (BLOCK_BYTES,))?;
            let Ok(block) = block.cast_into::<PyBytes>() else {
                // A non-blocking stream with nothing to give (None): its text layer knows best.
                self.back_to_text(py, false)?;
                return Ok(false);
            };
            let bytes = block.as_bytes();
            if bytes.is_empty() {
                reading.ahead.finish();
                reading.eof = true;
            } else if !reading.cr && bytes.contains(&b'\r') {
                self.back_to_text(py, true)?;
                return Ok(false);
            } else {
                reading.ahead.send(bytes.to_vec());
            }
            reading.in_flight += 1;
        }
        Ok(true)
    }

    /// Leaves the bytes for the text, from the first line not used yet; `probing`: the bytes
    /// held a CR before the newline mode was known.
    fn back_to_text(&mut self, py: Python<'_>, probing: bool) -> PyResult<()> {
        let Raw::Reading(reading) = &self.raw else {
            return Ok(());
        };
        let unused = reading.unused();
        let buffer = reading.buffer.clone_ref(py);
        let cr = reading.cr;
        self.raw = Raw::Ready {
            buffer,
            cr,
            probing,
        };
        self.file
            .bind(py)
            .call_method1(pyo3::intern!(py, "seek"), (unused,))?;
        self.splitter = LineSplitter::new(NewlineMode::Universal);
        self.window = None;
        Ok(())
    }

    /// Leaves the file where it stands when dropped: the caller has moved it.
    fn disarm(&mut self) {
        self.raw = Raw::Never;
        self.window = None;
        self.finished = false;
        self.splitter = LineSplitter::new(NewlineMode::Universal);
    }

    /// Puts the file right after the last line returned, where the stdlib's line-by-line
    /// reading would have left it, so another reader (or the caller) continues from there.
    fn rewind(&mut self, py: Python<'_>) -> PyResult<()> {
        if let Raw::Reading(reading) = &self.raw {
            let unused = reading.unused();
            let file = self.file.bind(py);
            file.call_method1(pyo3::intern!(py, "seek"), (unused,))?;
            return Ok(());
        }
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
