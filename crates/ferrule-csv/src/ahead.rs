//! Splitting a file's bytes into lines and plain records ahead of the reader, on a thread of
//! its own.
//!
//! The row reader's caller spends most of a row making Python objects, which only it can do.
//! Checking the bytes are UTF-8, finding the lines and parsing each line as a record of its
//! own need nothing from it, so a worker does them for the next block while the caller makes
//! the rows of this one. The caller takes a record from the worker only where its own parser
//! would make the same: the caller is at the start of a record on the record's first line,
//! the worker's parser was too (so it read the same lines from the same state), the record
//! ended within the block without an error, and its fields are within the caller's field
//! limit. Anything else (an error, a long field, a record that a block boundary cuts) is left
//! to the caller's parser, line by line, so errors, `line_num` and a field limit changed
//! between rows behave exactly as without the worker.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use crate::lines::{LineSplitter, NewlineMode};
use crate::reader::Record;
use crate::{Dialect, Parser};

/// The lines of one block, complete lines only, back to back as in the input.
#[derive(Debug, Default)]
pub struct Batch {
    text: Vec<u8>,
    lines: Vec<Line>,
    /// Field ends of the records, each relative to its record's text.
    ends: Vec<(usize, bool)>,
    /// The text of the records that are not the line itself (quotes taken out).
    parsed: Vec<u8>,
    /// The block was not valid UTF-8: no lines, and nothing follows.
    pub invalid: bool,
    /// The input ended: this batch holds its last lines.
    pub last: bool,
}

#[derive(Debug)]
struct Line {
    /// Where the line ends in `text`, its terminator included.
    end: usize,
    /// The record that starts on this line, when it ends in this batch without an error.
    plain: Option<Plain>,
}

/// A record of one line or more: its fields in `ends`, its text, whether that is ASCII, its
/// longest field in bytes (at least its length in characters, which the limit counts) and
/// its number of lines.
#[derive(Debug, Clone, Copy)]
struct Plain {
    lines: usize,
    fields: (usize, usize),
    text: Text,
    ascii: bool,
    longest: usize,
}

/// Where a record's text is.
#[derive(Debug, Clone, Copy)]
enum Text {
    /// The line's first `len` bytes, delimiters between the fields (a plain line).
    Line { len: usize },
    /// `parsed[start..end]`, the fields back to back.
    Parsed { start: usize, end: usize },
}

impl Batch {
    /// The number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the batch holds no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Bytes of text: where the next batch's first line starts, from this one's.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Where line `i` starts, in bytes from the batch's first line.
    pub fn line_start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.lines[i - 1].end }
    }

    /// Line `i`, terminator included.
    pub fn line(&self, i: usize) -> &[u8] {
        &self.text[self.line_start(i)..self.lines[i].end]
    }

    /// The record that starts on line `i`, if the worker found it whole and its fields are
    /// within `field_limit` bytes: what [`Parser::feed_line`] makes of line `i` and the
    /// lines after it at the start of a record.
    pub fn plain(&self, i: usize, field_limit: usize) -> Option<Record<'_>> {
        let plain = self.lines[i].plain?;
        if plain.longest > field_limit {
            return None;
        }
        let ends = &self.ends[plain.fields.0..plain.fields.1];
        Some(match plain.text {
            Text::Line { len } => {
                let start = self.line_start(i);
                Record::ahead(&self.text[start..start + len], ends, 1, plain.ascii)
            }
            Text::Parsed { start, end } => {
                Record::ahead(&self.parsed[start..end], ends, 0, plain.ascii)
            }
        })
    }
}

impl Batch {
    /// The number of lines of the record [`plain`](Batch::plain) gives for line `i` (with the
    /// same limit), or `None` where it gives none.
    pub fn record_lines(&self, i: usize, field_limit: usize) -> Option<usize> {
        let plain = self.lines[i].plain?;
        (plain.longest <= field_limit).then_some(plain.lines)
    }
}

enum Job {
    Block(Vec<u8>),
    Finish,
}

/// A worker thread that turns blocks of bytes into [`Batch`]es, one per block, in order.
pub struct Ahead {
    jobs: Option<Sender<Job>>,
    /// In a mutex only so that a caller can wait for a batch with `&self` from another thread
    /// (e.g. with Python's lock released); never contended.
    batches: Mutex<Receiver<Batch>>,
    worker: Option<JoinHandle<()>>,
}

impl Ahead {
    /// Starts the worker for records in `dialect`.
    pub fn new(dialect: &Dialect) -> std::io::Result<Ahead> {
        let (jobs, todo) = channel::<Job>();
        let (done, batches) = channel();
        let mut parser = Parser::new(dialect, usize::MAX);
        let worker = std::thread::Builder::new()
            .name("ferrule-csv-ahead".into())
            .spawn(move || {
                let mut splitter = LineSplitter::new(NewlineMode::Universal);
                let mut open = Open::No;
                while let Ok(job) = todo.recv() {
                    let batch = split(&mut splitter, &mut parser, &mut open, &job);
                    let stop = batch.invalid || batch.last;
                    if done.send(batch).is_err() || stop {
                        return;
                    }
                }
            })?;
        Ok(Ahead {
            jobs: Some(jobs),
            batches: Mutex::new(batches),
            worker: Some(worker),
        })
    }

    /// Hands the next block to the worker.
    pub fn send(&self, block: Vec<u8>) {
        if let Some(jobs) = &self.jobs {
            // A worker that stopped (after an invalid block) has nothing more to say.
            let _ = jobs.send(Job::Block(block));
        }
    }

    /// Tells the worker the input ended.
    pub fn finish(&self) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Finish);
        }
    }

    /// The batch of the oldest block not received yet; waits for it. `None` if the worker
    /// stopped (it stops after an invalid or the last batch).
    pub fn recv(&self) -> Option<Batch> {
        let batches = self
            .batches
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        batches.recv().ok()
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        // Without jobs the worker's `recv` fails and it returns, after at most one block.
        self.jobs = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// Where the worker's parser stands between lines.
#[derive(Clone, Copy)]
enum Open {
    /// At the start of a record.
    No,
    /// Inside a record that started on this line of the current batch.
    Here(usize),
    /// Inside a record that started in an earlier batch: its record is the caller's to make.
    Before,
}

fn split(splitter: &mut LineSplitter, parser: &mut Parser, open: &mut Open, job: &Job) -> Batch {
    let mut batch = Batch::default();
    match job {
        Job::Block(block) => {
            if splitter.push_utf8(block).is_err() {
                batch.invalid = true;
                return batch;
            }
        }
        Job::Finish => {
            if splitter.partial_len() > 0 {
                // The input ends inside a character.
                batch.invalid = true;
                return batch;
            }
            splitter.finish();
            batch.last = true;
        }
    }
    if let Open::Here(_) = *open {
        *open = Open::Before;
    }
    batch.text.reserve(splitter.rest().len());
    while let Some(line) = splitter.next_line() {
        let line = line.as_bytes();
        let index = batch.lines.len();
        let start = batch.text.len();
        batch.text.extend_from_slice(line);
        batch.lines.push(Line {
            end: start + line.len(),
            plain: None,
        });
        let mut text = None;
        let (first, record) = match *open {
            Open::No => match parser.split_plain(line) {
                Some(record) => {
                    text = Some(Text::Line {
                        len: record.bytes().len(),
                    });
                    (Some(index), Some(record))
                }
                // A record made by the state machine, of this line and maybe the next ones.
                None => match parser.feed_line_bytes(line) {
                    Ok(true) => (Some(index), Some(parser.record())),
                    Ok(false) => {
                        *open = Open::Here(index);
                        (None, None)
                    }
                    Err(_) => (None, None),
                },
            },
            Open::Here(_) | Open::Before => {
                let first = match *open {
                    Open::Here(first) => Some(first),
                    _ => None,
                };
                match parser.feed_line_bytes(line) {
                    Ok(true) => {
                        *open = Open::No;
                        (first, Some(parser.record()))
                    }
                    Ok(false) => (None, None),
                    Err(_) => {
                        // The caller's parser fails on the same line, and starts afresh after.
                        *open = Open::No;
                        (None, None)
                    }
                }
            }
        };
        let (Some(first), Some(record)) = (first, record) else {
            continue;
        };
        let fields = batch.ends.len();
        let longest = record.iter().map(|f| f.bytes.len()).max().unwrap_or(0);
        batch.ends.extend_from_slice(record.ends());
        let text = text.unwrap_or_else(|| {
            let start = batch.parsed.len();
            batch.parsed.extend_from_slice(record.bytes());
            Text::Parsed {
                start,
                end: batch.parsed.len(),
            }
        });
        batch.lines[first].plain = Some(Plain {
            lines: index + 1 - first,
            fields: (fields, batch.ends.len()),
            text,
            // The state machine's records are not scanned for ASCII on the way; here it costs
            // the worker, not the caller, whose strings are cheaper to make from ASCII.
            ascii: record.is_ascii() || record.bytes().is_ascii(),
            longest,
        });
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line's record through the batches, against a parser fed line by line.
    #[test]
    fn batches_hold_the_lines_and_plain_records() {
        let text = "a,b,c\r\n1,,\u{e9}\u{20ac}\n\"q,x\",y\r\n\nlast,one";
        let dialect = Dialect::default();
        for cut in 0..=text.len() {
            let ahead = Ahead::new(&dialect).unwrap();
            ahead.send(text.as_bytes()[..cut].to_vec());
            ahead.send(text.as_bytes()[cut..].to_vec());
            ahead.finish();
            let mut lines = Vec::new();
            let mut records = Vec::new();
            loop {
                let batch = ahead.recv().unwrap();
                assert!(!batch.invalid);
                for i in 0..batch.len() {
                    let line = std::str::from_utf8(batch.line(i)).unwrap().to_owned();
                    let mut parser = Parser::new(&dialect, 1000);
                    let want = if parser.feed_line(&line).unwrap() {
                        Some(parser.record().iter().map(|f| f.bytes.to_vec()).collect())
                    } else {
                        None
                    };
                    if let Some(record) = batch.plain(i, 1000) {
                        let got: Vec<Vec<u8>> = record.iter().map(|f| f.bytes.to_vec()).collect();
                        assert_eq!(Some(got), want, "{line:?}");
                        records.push(line.clone());
                    }
                    // Every record here but the blank line's has a field of a byte or more.
                    assert!(batch.plain(i, 0).is_none() || line == "\n", "{line:?}");
                    lines.push(line);
                }
                if batch.last {
                    break;
                }
            }
            assert_eq!(lines.concat(), text, "cut at {cut}");
            assert_eq!(
                records,
                [
                    "a,b,c\r\n",
                    "1,,\u{e9}\u{20ac}\n",
                    "\"q,x\",y\r\n",
                    "\n",
                    "last,one"
                ]
            );
        }
    }

    /// Every record the worker gives, read as the caller would: at the start of a record,
    /// from a fresh parser, over the record's lines. Records over several lines, cut by a
    /// block end, broken by an error (strict) or left open at the end.
    #[test]
    fn records_over_several_lines_match_the_parser() {
        let text = "a,\"b\nc\",d\r\n\"x\r\ny\"\n1,2\n\"\n\n\",\"\"\"\n\"\"\"\na,\"b\"c,d\n\"e\nf\"\n\"open\nend";
        let strict = Dialect {
            strict: true,
            ..Dialect::default()
        };
        for dialect in [Dialect::default(), strict] {
            for cut in 0..=text.len() {
                let ahead = Ahead::new(&dialect).unwrap();
                ahead.send(text.as_bytes()[..cut].to_vec());
                ahead.send(text.as_bytes()[cut..].to_vec());
                ahead.finish();
                let mut lines: Vec<String> = Vec::new();
                let mut taken = Vec::new();
                loop {
                    let batch = ahead.recv().unwrap();
                    for i in 0..batch.len() {
                        lines.push(std::str::from_utf8(batch.line(i)).unwrap().to_owned());
                        let Some(n) = batch.record_lines(i, 1000) else {
                            continue;
                        };
                        assert!(i + n <= batch.len());
                        let mut parser = Parser::new(&dialect, 1000);
                        for k in i..i + n {
                            let line = std::str::from_utf8(batch.line(k)).unwrap();
                            assert_eq!(parser.feed_line(line), Ok(k + 1 == i + n), "{line:?}");
                        }
                        let want: Vec<Vec<u8>> =
                            parser.record().iter().map(|f| f.bytes.to_vec()).collect();
                        let got: Vec<Vec<u8>> = batch
                            .plain(i, 1000)
                            .unwrap()
                            .iter()
                            .map(|f| f.bytes.to_vec())
                            .collect();
                        assert_eq!(got, want);
                        assert_eq!(
                            batch.record_lines(i, 0).is_some(),
                            want.iter().all(Vec::is_empty)
                        );
                        taken.push(batch.line(i).to_vec());
                    }
                    if batch.last {
                        break;
                    }
                }
                assert_eq!(lines.concat(), text, "cut at {cut}");
                // Without a cut inside it, each record over several lines is found.
                if cut == 0 || cut == text.len() {
                    assert!(taken.contains(&b"a,\"b\n".to_vec()));
                    assert!(taken.contains(&b"\"x\r\n".to_vec()));
                    assert!(taken.contains(&b"\"e\n".to_vec()));
                    assert!(!taken.contains(&b"\"open\n".to_vec()));
                }
            }
        }
    }

    #[test]
    fn invalid_utf8_stops_the_worker() {
        let ahead = Ahead::new(&Dialect::default()).unwrap();
        ahead.send(b"a,b\n".to_vec());
        ahead.send(b"c\xff\n".to_vec());
        ahead.send(b"d\n".to_vec());
        assert_eq!(ahead.recv().unwrap().len(), 1);
        assert!(ahead.recv().unwrap().invalid);
        assert!(ahead.recv().is_none());
        let cut = Ahead::new(&Dialect::default()).unwrap();
        cut.send(b"a\xe2\x82".to_vec());
        cut.finish();
        assert!(cut.recv().unwrap().invalid || cut.recv().unwrap().invalid);
    }
}
