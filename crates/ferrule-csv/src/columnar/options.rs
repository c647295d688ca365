//! Every knob of the columnar reader, in one value built once.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::Dialect;

/// How the input bytes are decoded. Decoding happens once, up front, in Rust.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8; a byte order mark is kept as text, as Python's `utf-8` codec does.
    #[default]
    Utf8,
    /// UTF-8 with an optional byte order mark, which is dropped.
    Utf8Sig,
    /// UTF-16 with a byte order mark (little-endian without one).
    Utf16,
    /// ISO-8859-1: every byte is the code point of the same value.
    Latin1,
    /// Windows-1252.
    Cp1252,
}

impl Encoding {
    /// The encoding named `name` (Python's spellings: `utf-8`, `utf8`, `utf-8-sig`, `utf-16`,
    /// `latin-1`, `iso-8859-1`, `cp1252`, `windows-1252`; case and `_`/`-` ignored).
    pub fn from_name(name: &str) -> Option<Encoding> {
        let norm = name.to_ascii_lowercase().replace('_', "-");
        Some(match norm.as_str() {
            "utf-8" | "utf8" | "u8" => Encoding::Utf8,
            "utf-8-sig" | "utf8-sig" => Encoding::Utf8Sig,
            "utf-16" | "utf16" | "u16" => Encoding::Utf16,
            "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" => Encoding::Latin1,
            "cp1252" | "windows-1252" => Encoding::Cp1252,
            _ => return None,
        })
    }
}

/// What happens to bytes that are not valid in the encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DecodeErrors {
    /// An error naming the position of the first bad byte.
    #[default]
    Strict,
    /// Each bad sequence becomes U+FFFD.
    Replace,
}

/// What happens to a bad line: a ragged record (under [`Ragged::Error`]) or a record cut off
/// by the end of the input inside a quoted field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BadLines {
    /// Stop with an error naming the line.
    #[default]
    Error,
    /// Drop the record silently.
    Skip,
    /// Drop the record and list it in [`Table::bad_lines`](super::Table::bad_lines).
    Report,
}

/// What happens to a record whose field count differs from the header's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Ragged {
    /// The record is a bad line (see [`BadLines`]).
    #[default]
    Error,
    /// Missing fields are null; a record with too many fields is a bad line.
    Pad,
    /// Missing fields are null and extra fields are dropped.
    Truncate,
}

/// The type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DType {
    /// Every value is missing.
    Null,
    /// `true`/`false`, any case.
    Bool,
    /// 64-bit signed integers.
    Int64,
    /// 64-bit floats (anything Rust's `f64::from_str` reads, so `inf` and `nan` too).
    Float64,
    /// `YYYY-MM-DD`.
    Date,
    /// ISO 8601 date and time without a UTC offset, to the microsecond.
    Datetime,
    /// ISO 8601 date and time with a UTC offset (or `Z`), stored as UTC microseconds.
    DatetimeTz,
    /// Text.
    String,
}

impl DType {
    /// The type named `name`: `null`, `bool`, `int64`, `float64`, `date`, `datetime`,
    /// `datetime_tz`, `string` (plus the aliases `int`, `float`, `str`, `utf8`, `boolean`).
    pub fn from_name(name: &str) -> Option<DType> {
        Some(match name {
            "null" => DType::Null,
            "bool" | "boolean" => DType::Bool,
            "int64" | "int" => DType::Int64,
            "float64" | "float" => DType::Float64,
            "date" => DType::Date,
            "datetime" => DType::Datetime,
            "datetime_tz" => DType::DatetimeTz,
            "string" | "str" | "utf8" => DType::String,
            _ => return None,
        })
    }

    /// The canonical name, the one [`from_name`](DType::from_name) reads.
    pub fn name(self) -> &'static str {
        match self {
            DType::Null => "null",
            DType::Bool => "bool",
            DType::Int64 => "int64",
            DType::Float64 => "float64",
            DType::Date => "date",
            DType::Datetime => "datetime",
            DType::DatetimeTz => "datetime_tz",
            DType::String => "string",
        }
    }
}

/// A column named by its header name or by its 0-based position in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnRef {
    /// The column's name (after de-duplication).
    Name(String),
    /// The column's position among the file's fields.
    Index(usize),
}

/// The options of [`read_csv`](super::read_csv).
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The dialect of the state machine; `strict` and `quoting` are ignored (the columnar
    /// reader is never strict and infers types itself).
    pub dialect: Dialect,
    /// The first record (after `skip_rows`) names the columns.
    pub has_header: bool,
    /// Keep only these columns, in this order.
    pub columns: Option<Vec<ColumnRef>>,
    /// Read at most this many data records.
    pub n_rows: Option<usize>,
    /// Records skipped before the header (or the first data record).
    pub skip_rows: usize,
    /// Types given instead of inferred.
    pub dtypes: Vec<(ColumnRef, DType)>,
    /// Every column of the input, in order, named and typed: the names replace the header's
    /// (or `column_<n>`), nothing is inferred, and an input with another number of columns is
    /// an error. `dtypes` still applies on top, by these names.
    pub schema: Option<Vec<(String, DType)>>,
    /// Cell texts read as null, in every column.
    pub null_values: Vec<String>,
    /// The encoding of the input.
    pub encoding: Encoding,
    /// Bad bytes in the input.
    pub decode_errors: DecodeErrors,
    /// Bad lines.
    pub on_bad_lines: BadLines,
    /// Ragged records.
    pub ragged: Ragged,
    /// Worker threads; `0` means one per available core.
    pub threads: usize,
    /// Target size in bytes of the slice of input each worker parses into one record batch
    /// (default 4 MiB: peak memory holds about two slices per thread on top of the table).
    pub chunk_size: usize,
    /// Infer types (otherwise every column is a string column).
    pub infer_types: bool,
    /// Set from another thread to stop the read at the next slice, with
    /// [`ColumnarErrorKind::Cancelled`](super::ColumnarErrorKind::Cancelled).
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            dialect: Dialect::default(),
            has_header: true,
            columns: None,
            n_rows: None,
            skip_rows: 0,
            dtypes: Vec::new(),
            schema: None,
            null_values: vec![String::new()],
            encoding: Encoding::Utf8,
            decode_errors: DecodeErrors::Strict,
            on_bad_lines: BadLines::Error,
            ragged: Ragged::Error,
            threads: 0,
            chunk_size: 4 << 20,
            infer_types: true,
            cancel: None,
        }
    }
}
