//! The one error type of the crate.
//!
//! Every message is the one Python 3.11's `_csv` raises as `csv.Error`, byte for byte, so the
//! binding can pass `to_string()` straight to the exception. Kinds are an enum, never strings.

use std::fmt;

/// An error from the reader or the writer. `Display` is the stdlib message exactly.
///
/// Boxed so that `Result<_, Error>` stays one word wide on the hot paths.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Input ended inside a quoted field or after an escaped newline, with `strict` set.
    UnexpectedEndOfData,
    /// A character was added to a field that already held `limit` characters.
    FieldLimit {
        /// The field size limit in force (`csv.field_size_limit()`).
        limit: usize,
    },
    /// With `strict`, a closing quote was followed by something other than the delimiter, the
    /// quote character or a line end.
    QuoteExpected {
        /// The dialect's delimiter.
        delimiter: char,
        /// The dialect's quote character.
        quotechar: char,
    },
    /// A line end inside an unquoted field was followed by more data on the same input line.
    NewlineInUnquotedField,
    /// The writer needs to escape a character but the dialect has no escape character.
    NeedEscape,
    /// The writer was asked for a record of one empty field under `QUOTE_NONE`.
    SingleEmptyField,
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Consumes the error, returning its kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }
}

impl From<ErrorKind> for Error {
    #[cold]
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::UnexpectedEndOfData => f.write_str("unexpected end of data"),
            ErrorKind::FieldLimit { limit } => write!(f, "field larger than field limit ({limit})"),
            ErrorKind::QuoteExpected {
                delimiter,
                quotechar,
            } => write!(f, "'{delimiter}' expected after '{quotechar}'"),
            ErrorKind::NewlineInUnquotedField => f.write_str(
                "new-line character seen in unquoted field - \
                 do you need to open the file in universal-newline mode?",
            ),
            ErrorKind::NeedEscape => f.write_str("need to escape, but no escapechar set"),
            ErrorKind::SingleEmptyField => f.write_str("single empty field record must be quoted"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Error").field(&self.0).finish()
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_the_stdlib() {
        // Each expected string was produced by Python 3.11.7's `_csv`.
        let cases: &[(ErrorKind, &str)] = &[
            (ErrorKind::UnexpectedEndOfData, "unexpected end of data"),
            (
                ErrorKind::FieldLimit { limit: 3 },
                "field larger than field limit (3)",
            ),
            (
                ErrorKind::QuoteExpected {
                    delimiter: ',',
                    quotechar: '"',
                },
                "',' expected after '\"'",
            ),
            (
                ErrorKind::NewlineInUnquotedField,
                "new-line character seen in unquoted field - do you need to open the file in \
                 universal-newline mode?",
            ),
            (
                ErrorKind::NeedEscape,
                "need to escape, but no escapechar set",
            ),
            (
                ErrorKind::SingleEmptyField,
                "single empty field record must be quoted",
            ),
        ];
        for (kind, message) in cases {
            let error = Error::from(kind.clone());
            assert_eq!(error.to_string(), *message);
            assert_eq!(error.kind(), kind);
            assert_eq!(error.clone().into_kind(), *kind);
        }
    }
}
