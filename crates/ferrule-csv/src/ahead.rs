//! Splitting a file's bytes into lines and plain records ahead of the reader, on a thread of
//! its own.
//!
//! The row reader's caller spends most of a row making Python objects, which only it can do.
//! Checking the bytes are UTF-8, finding the lines and parsing each line as a record of its
//! own need nothing from it, so a worker does them for the next block while the caller makes
//! the rows of this one. The caller takes a line's record from the worker only where its own
//! parser would make the same: the line starts a record, the record ends with it without an
//! error, and its fields are within the caller's field limit. Anything else (a record over
//! several lines, an error, a long field) is left to the caller's parser, line by line, so
//! errors, `line_num` and a field limit changed between rows behave exactly as without the
//! worker.

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
    /// The line's record, when the line is one whole record.
    plain: Option<Plain>,
}

/// A record of one line: its fields in `ends`, its text, whether that is ASCII, and its
/// longest field in bytes (at least its length in characters, which the limit counts).
#[derive(Debug, Clone, Copy)]
struct Plain {
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

    /// The record of line `i` if it is plain and its fields are within `field_limit` bytes:
    /// what [`Parser::feed_line`] makes of it at the start of a record.
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
                while let Ok(job) = todo.recv() {
                    let batch = split(&mut splitter, &mut parser, &job);
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

fn split(splitter: &mut LineSplitter, parser: &mut Parser, job: &Job) -> Batch {
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
    batch.text.reserve(splitter.rest().len());
    while let Some(line) = splitter.next_line() {
        let line = line.as_bytes();
        let start = batch.text.len();
        batch.text.extend_from_slice(line);
        let mut text = None;
        let record = match parser.split_plain(line) {
            Some(record) => {
                text = Some(Text::Line {
                    len: record.bytes().len(),
                });
                Some(record)
            }
            // A complete record of one line, made by the state machine.
            None => match parser.feed_line_bytes(line) {
                Ok(true) => Some(parser.record()),
                _ => None,
            },
        };
        let plain = record.map(|record| {
            let first = batch.ends.len();
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
            Plain {
                fields: (first, batch.ends.len()),
                text,
                ascii: record.is_ascii(),
                longest,
            }
        });
        batch.lines.push(Line {
            end: start + line.len(),
            plain,
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
