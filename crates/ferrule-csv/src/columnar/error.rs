//! Errors of the columnar reader: each names where in the input it happened.

use std::fmt;

/// A place in the input.
///
/// `line` is 1-based and counts `\n`, `\r\n` and lone `\r` line ends; `byte` is the 0-based
/// offset in the input as given for UTF-8 input (in the decoded UTF-8 text for other
/// encodings); `column` is 1-based: the field number for record errors, the character within
/// the line for decoding errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column (field or character, see the type's documentation).
    pub column: u64,
    /// 0-based byte offset.
    pub byte: u64,
}

impl Position {
    pub(crate) fn shift(&mut self, lines: i64, bytes: i64) {
        self.line = self.line.saturating_add_signed(lines);
        self.byte = self.byte.saturating_add_signed(bytes);
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} column {} (byte {})",
            self.line, self.column, self.byte
        )
    }
}

/// An error of [`read_csv`](super::read_csv).
#[derive(Clone, PartialEq, Eq)]
pub struct ColumnarError(pub(crate) Box<ColumnarErrorKind>);

/// What went wrong.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnarErrorKind {
    /// A byte sequence not valid in the encoding.
    Decode {
        /// The encoding's name.
        encoding: &'static str,
        /// Where the bad sequence starts.
        at: Position,
    },
    /// A record with a field count other than the header's.
    Ragged {
        /// Fields expected.
        expected: usize,
        /// Fields found.
        found: usize,
        /// Where the record starts (column: the first field too many or missing).
        at: Position,
    },
    /// The row reader's state machine rejected a record.
    Parse {
        /// The state machine's message.
        message: String,
        /// Where the record starts.
        at: Position,
    },
    /// The input ended inside a quoted field.
    UnclosedQuote {
        /// Where the record holding the open quote starts.
        at: Position,
    },
    /// A cell of a column whose type was given cannot be read as that type.
    Cast {
        /// The cell's text.
        value: String,
        /// The column's name.
        column_name: String,
        /// The type asked for.
        dtype: &'static str,
        /// Where the cell's record starts, with the cell's field number as column.
        at: Position,
    },
    /// An option names a column the input does not have.
    UnknownColumn {
        /// The name or index as given.
        column: String,
    },
    /// The row writer refused a field (the stdlib's `csv.Error` message).
    Write(String),
    /// An option value is not usable (the message says why).
    Option(String),
    /// [`ReadOptions::cancel`](super::ReadOptions::cancel) was set.
    Cancelled,
}

impl ColumnarError {
    /// The kind of this error.
    pub fn kind(&self) -> &ColumnarErrorKind {
        &self.0
    }

    /// Moves the position by whole lines and bytes (for a block read after others).
    pub(crate) fn shift(&mut self, lines: i64, bytes: i64) {
        if let ColumnarErrorKind::Decode { at, .. }
        | ColumnarErrorKind::Ragged { at, .. }
        | ColumnarErrorKind::UnclosedQuote { at }
        | ColumnarErrorKind::Parse { at, .. }
        | ColumnarErrorKind::Cast { at, .. } = &mut *self.0
        {
            at.shift(lines, bytes);
        }
    }

    /// Where it happened, if it happened at a place in the input.
    pub fn position(&self) -> Option<Position> {
        match &*self.0 {
            ColumnarErrorKind::Decode { at, .. }
            | ColumnarErrorKind::Ragged { at, .. }
            | ColumnarErrorKind::UnclosedQuote { at }
            | ColumnarErrorKind::Parse { at, .. }
            | ColumnarErrorKind::Cast { at, .. } => Some(*at),
            ColumnarErrorKind::UnknownColumn { .. }
            | ColumnarErrorKind::Option(_)
            | ColumnarErrorKind::Write(_)
            | ColumnarErrorKind::Cancelled => None,
        }
    }
}

impl From<ColumnarErrorKind> for ColumnarError {
    #[cold]
    fn from(kind: ColumnarErrorKind) -> Self {
        ColumnarError(Box::new(kind))
    }
}

impl fmt::Display for ColumnarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ColumnarErrorKind::Decode { encoding, at } => {
                write!(f, "invalid {encoding} data at {at}")
            }
            ColumnarErrorKind::Ragged {
                expected,
                found,
                at,
            } => write!(
                f,
                "expected {expected} fields, found {found} at line {} (byte {})",
                at.line, at.byte
            ),
            ColumnarErrorKind::UnclosedQuote { at } => write!(
                f,
                "unclosed quote: the input ends inside the record starting at line {} (byte {})",
                at.line, at.byte
            ),
            ColumnarErrorKind::Cast {
                value,
                column_name,
                dtype,
                at,
            } => write!(
                f,
                "cannot read {value:?} as {dtype} in column {column_name:?} at {at}"
            ),
            ColumnarErrorKind::Parse { message, at } => write!(
                f,
                "{message} in the record starting at line {} (byte {})",
                at.line, at.byte
            ),
            ColumnarErrorKind::UnknownColumn { column } => write!(f, "no column {column}"),
            ColumnarErrorKind::Option(msg) | ColumnarErrorKind::Write(msg) => f.write_str(msg),
            ColumnarErrorKind::Cancelled => f.write_str("the read was cancelled"),
        }
    }
}

impl fmt::Debug for ColumnarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ColumnarError").field(&self.0).finish()
    }
}

impl std::error::Error for ColumnarError {}
