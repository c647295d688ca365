//! The pure Rust core of `ferrule.csv`: Python 3.11's `_csv` reader and writer, byte for byte.
//!
//! Nothing here knows about Python; the binding crate turns Python arguments into a
//! [`Dialect`], lines into [`Parser::feed_line`] calls, records into lists, and [`Error`] into
//! `csv.Error` (whose message is `Error`'s `Display`, identical to the stdlib's).
//!
//! # Tour
//!
//! - [`Dialect`] and [`Quoting`]: the eight dialect attributes; `Dialect::default()` is `excel`.
//! - [`Parser`]: the reader's state machine, one input line at a time, exposing each record as
//!   a [`Record`] of [`Field`]s (text plus the `QUOTE_NONNUMERIC` "convert me" flag).
//! - [`LineSplitter`] and [`NewlineMode`]: `TextIOWrapper.readline` on blocks of text, so a
//!   file can be read in large chunks.
//! - [`Writer`]: quoting and escaping of fields, the single-empty-field rule, line terminators.
//!
//! Python `str`s may hold lone surrogates (`'\ud800'`, from `errors='surrogateescape'`), which
//! no Rust `str` can: [`Parser::feed_line_bytes`] and [`Writer::push_field_bytes`] take them
//! in WTF-8 (what `surrogatepass` encodes to), fields and output come out in WTF-8.
//! - [`Error`] and [`ErrorKind`]: every `csv.Error` the reader and writer raise.
//!
//! # Reading
//!
//! ```
//! use ferrule_csv::{Dialect, LineSplitter, NewlineMode, Parser};
//!
//! let mut lines = LineSplitter::new(NewlineMode::Universal);
//! lines.push("name,quote\r\nada,\"said \"\"hi\"\"\r\nthere\"\r\n");
//! lines.finish();
//! let mut parser = Parser::new(&Dialect::default(), 131_072);
//! let mut records = Vec::new();
//! while let Some(line) = lines.next_line() {
//!     if parser.feed_line(line)? {
//!         records.push(parser.record().iter().map(|f| f.text().unwrap().to_owned()).collect::<Vec<_>>());
//!     }
//! }
//! if parser.finish()? {
//!     records.push(parser.record().iter().map(|f| f.text().unwrap().to_owned()).collect());
//! }
//! assert_eq!(records, [["name", "quote"], ["ada", "said \"hi\"\r\nthere"]]);
//! # Ok::<(), ferrule_csv::Error>(())
//! ```
//!
//! # Writing
//!
//! ```
//! use ferrule_csv::{Dialect, Writer};
//!
//! let mut writer = Writer::new(&Dialect::default());
//! let mut out = Vec::new();
//! writer.push_field(Some("a,b"), false)?;
//! writer.push_field(None, false)?;
//! writer.push_field(Some("say \"hi\""), false)?;
//! writer.end_record(&mut out)?;
//! assert_eq!(out, b"\"a,b\",,\"say \"\"hi\"\"\"\r\n");
//! # Ok::<(), ferrule_csv::Error>(())
//! ```
#![deny(missing_docs)]
// Denied, not forbidden: `columnar::mapped` maps files (the one module allowed `unsafe`).
#![deny(unsafe_code)]

mod ahead;
pub mod columnar;
mod dialect;
mod error;
mod lines;
mod reader;
mod surrogates;
mod writer;

pub use ahead::{Ahead, Batch};
pub use dialect::{Dialect, Quoting};
pub use error::{Error, ErrorKind};
pub use lines::{InvalidUtf8, LineSplitter, NewlineMode};
pub use reader::{Field, Parser, Record, RecordIter};
pub use surrogates::Swap;
pub use writer::Writer;
