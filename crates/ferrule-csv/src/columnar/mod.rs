//! The columnar reader: CSV straight into typed Arrow columns.
//!
//! It splits records with the row reader's [`Parser`](crate::Parser) (so both readers agree on
//! every dialect), stores each column's cells back to back, infers each column's type from all
//! of its cells and converts them into Arrow arrays. Large inputs are parsed in slices on
//! several threads; quoted fields spanning lines stay correct (see `chunk.rs`).
//!
//! # Tour
//!
//! - [`read_csv`] and [`ReadOptions`]: the entry point and every option, with [`Encoding`],
//!   [`DecodeErrors`], [`BadLines`], [`Ragged`], [`DType`] and [`ColumnRef`].
//! - [`MappedFile`]: a path's bytes, mapped, read with the pages already read dropped.
//! - [`Table`]: the Arrow schema and record batches, plus the [`BadLine`]s that were dropped.
//! - [`ColumnarError`]: every error, with a [`Position`] (line, column, byte offset).
//! - [`CsvStream`]: the same, block by block, for input larger than memory.
//! - [`sniff`]: the delimiter, quote character and header of a sample.
//! - [`write_header`], [`write_batch`] and [`write_batches`] (on several threads): Arrow
//!   record batches back to CSV.
//! - [`line_end`]: the `memchr`-based line splitting the reader scans with.
//!
//! ```
//! use arrow_array::cast::AsArray;
//! use arrow_array::types::Int64Type;
//! use ferrule_csv::columnar::{DType, ReadOptions, read_csv};
//!
//! let table = read_csv(b"id,name\n1,ada\n,grace\n3,\"x\ny\"\n", &ReadOptions::default())?;
//! assert_eq!(table.column_names(), ["id", "name"]);
//! assert_eq!(table.dtypes(), [DType::Int64, DType::String]);
//! let ids = table.batches()[0].column(0).as_primitive::<Int64Type>();
//! assert_eq!(ids.iter().collect::<Vec<_>>(), [Some(1), None, Some(3)]);
//! # Ok::<(), ferrule_csv::columnar::ColumnarError>(())
//! ```

#[allow(
    unsafe_code,
    reason = "string arrays made without checking their text again: see its SAFETY comment"
)]
mod builders;
mod chunk;
#[allow(
    unsafe_code,
    reason = "SSE2 intrinsics: each block has its SAFETY comment"
)]
mod classify;
mod convert;
mod decode;
mod error;
mod format;
mod infer;
#[allow(unsafe_code, reason = "maps files: each block has its SAFETY comment")]
mod mapped;
mod options;
mod plain;
mod read;
mod replace;
mod scan;
mod sniff;
mod stream;
mod table;
mod utf16_blocks;
mod write;

pub use chunk::BadLine;
pub use error::{ColumnarError, ColumnarErrorKind, Position};
pub use mapped::MappedFile;
pub use options::{BadLines, ColumnRef, DType, DecodeErrors, Encoding, Ragged, ReadOptions};
pub use read::read_csv;
pub use replace::read_csv_replacing;
pub use scan::{line_and_column, line_end, next_line_start};
pub use sniff::{Sniffed, sniff};
pub use stream::{CsvStream, widen};
pub use table::{Table, arrow_type};
pub use write::{write_batch, write_batches, write_header};

#[cfg(test)]
mod null_bitmap_tests;
#[cfg(test)]
mod tests;
