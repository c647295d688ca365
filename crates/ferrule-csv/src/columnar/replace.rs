//! Bad lines replaced by rows the caller gives (pandas' `on_bad_lines` callable returning a
//! list): the input is read again with each replaced record's text swapped for the row written
//! in the dialect, so the new rows land in place and take part in type inference like any other.

use crate::{Dialect, Parser, Quoting, Writer};

use super::chunk::BadLine;
use super::decode::decode;
use super::error::{ColumnarError, ColumnarErrorKind};
use super::options::{BadLines, Encoding, ReadOptions};
use super::read::read_csv;
use super::scan::line_end;
use super::table::Table;

/// Reads `input` as [`read_csv`] does with `options`, each of `bad` (the bad lines that read
/// reported) given by `rows` (same order): `Some` fields take the record's place, `None` drops
/// it. A row with another field count than the file's is an error. Positions in errors are in
/// the text with the rows in place.
pub fn read_csv_replacing(
    input: &[u8],
    options: &ReadOptions,
    bad: &[BadLine],
    rows: &[Option<Vec<String>>],
) -> Result<Table, ColumnarError> {
    let decoded = decode(input, options.encoding, options.decode_errors)?;
    let text: &[u8] = &decoded.text;
    let dialect = Dialect {
        strict: false,
        quoting: Quoting::Minimal,
        lineterminator: "\n".to_owned(),
        ..options.dialect.clone()
    };
    let mut out = Vec::with_capacity(text.len() + 64);
    let mut copied = 0;
    let mut replaced = 0;
    for (line, row) in bad.iter().zip(rows) {
        let Some(row) = row else { continue };
        let start = usize::try_from(line.at.byte)
            .unwrap_or(usize::MAX)
            .saturating_sub(decoded.skipped);
        if start < copied || start > text.len() {
            return Err(ColumnarErrorKind::Option(
                "bad lines must be given in input order".to_owned(),
            )
            .into());
        }
        out.extend_from_slice(&text[copied..start]);
        let mut writer = Writer::new(&dialect);
        for field in row {
            writer
                .push_field(Some(field), false)
                .map_err(|e| ColumnarErrorKind::Option(e.to_string()))?;
        }
        writer
            .end_record(&mut out)
            .map_err(|e| ColumnarErrorKind::Option(e.to_string()))?;
        copied = record_end(text, start, &dialect);
        replaced += 1;
    }
    out.extend_from_slice(&text[copied..]);
    let again = ReadOptions {
        encoding: Encoding::Utf8,
        on_bad_lines: BadLines::Report,
        ..options.clone()
    };
    let table = read_csv(&out, &again)?;
    let dropped = rows.iter().filter(|r| r.is_none()).count();
    if table.bad_lines().len() > dropped {
        return Err(ColumnarErrorKind::Option(format!(
            "{} of the {replaced} rows given for bad lines do not have the file's number of \
             fields",
            table.bad_lines().len() - dropped
        ))
        .into());
    }
    Ok(table)
}

/// Where the record starting at `start` ends (the input's end if it is cut off).
fn record_end(text: &[u8], start: usize, dialect: &Dialect) -> usize {
    let mut parser = Parser::new(dialect, usize::MAX);
    let mut pos = start;
    while pos < text.len() {
        let end = line_end(text, pos);
        let done = parser.feed_line_bytes(&text[pos..end]).unwrap_or(true);
        pos = end;
        if done {
            break;
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columnar::{DType, Ragged};

    fn report() -> ReadOptions {
        ReadOptions {
            on_bad_lines: BadLines::Report,
            ..ReadOptions::default()
        }
    }

    #[test]
    fn rows_take_the_place_of_their_bad_lines() {
        let text = "\u{feff}a,b\n1,2\n3\n\"x\ny\",5,6\n7,8\n9".as_bytes();
        let options = ReadOptions {
            encoding: Encoding::Utf8Sig,
            ..report()
        };
        let first = read_csv(text, &options).unwrap();
        assert_eq!(first.num_rows(), 2);
        assert_eq!(first.bad_lines().len(), 3);
        let rows = [
            Some(vec!["3".to_owned(), "1.5".to_owned()]),
            None,
            Some(vec!["10".to_owned(), "a,\"b\"\nc".to_owned()]),
        ];
        let table = read_csv_replacing(text, &options, first.bad_lines(), &rows).unwrap();
        assert_eq!(table.num_rows(), 4);
        assert_eq!(table.dtypes(), [DType::Int64, DType::String]);
        assert_eq!(table.bad_lines().len(), 1);
        let again = ReadOptions {
            ragged: Ragged::Error,
            ..report()
        };
        let short = [Some(vec!["1".to_owned()]), None, None];
        let err = read_csv_replacing(text, &again, first.bad_lines(), &short).unwrap_err();
        assert!(err.to_string().contains("1 of the 1 rows"), "{err}");
    }
}
