//! Dialect detection: the delimiter, quote character and header of a sample.
//!
//! `csv.Sniffer` guesses the delimiter from character frequencies and so picks letters, digits
//! or spaces that happen to be evenly spread. Here only the usual delimiters compete, each
//! judged by the records the state machine actually splits: the winner gives the most records
//! with one same field count greater than one.

use crate::{Dialect, Parser};

use super::infer::ColumnGuess;
use super::options::DType;
use super::scan::line_end;

/// Delimiters tried, in order of preference when they tie.
const DELIMITERS: [char; 5] = [',', '\t', ';', '|', ':'];
const QUOTES: [char; 2] = ['"', '\''];

/// What [`sniff`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sniffed {
    /// The field delimiter.
    pub delimiter: char,
    /// The quote character.
    pub quotechar: char,
    /// Whether the first record looks like column names.
    pub has_header: bool,
}

/// The records of `sample` under `dialect`, leaving out a last line that may be cut off.
/// Records as lists of fields.
type Records = Vec<Vec<Vec<u8>>>;

fn records(sample: &[u8], dialect: &Dialect, complete: bool) -> Records {
    let mut parser = Parser::new(dialect, usize::MAX);
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < sample.len() {
        let end = line_end(sample, pos);
        if end == sample.len() && !complete {
            break;
        }
        if let Ok(true) = parser.feed_line_bytes(&sample[pos..end]) {
            let record = parser.record();
            if !record.is_empty() {
                out.push(record.iter().map(|f| f.bytes.to_vec()).collect());
            }
        }
        pos = end;
    }
    out
}

/// How well the field counts agree: the number of records with the most common count, zero
/// when that count is one (no delimiter at all).
fn consistency(records: &[Vec<Vec<u8>>]) -> (usize, usize) {
    let mut counts = std::collections::HashMap::new();
    for record in records {
        *counts.entry(record.len()).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .filter(|&(width, _)| width > 1)
        .map(|(width, n)| (n, width))
        .max()
        .unwrap_or((0, 0))
}

/// Guesses the dialect of `sample` (the start of a file, UTF-8). `complete` says the sample is
/// the whole input, so its last line is not cut off. A sample that no delimiter splits is one
/// column (reported with `,`); `None` when it holds no record.
pub fn sniff(sample: &[u8], complete: bool) -> Option<Sniffed> {
    let mut best: Option<((usize, usize), Dialect, Records)> = None;
    for delimiter in DELIMITERS {
        for quotechar in QUOTES {
            let dialect = Dialect {
                delimiter,
                quotechar: Some(quotechar),
                ..Dialect::default()
            };
            let recs = records(sample, &dialect, complete);
            let score = consistency(&recs);
            if score.0 > 0 && best.as_ref().is_none_or(|(s, _, _)| score.0 > s.0) {
                best = Some((score, dialect, recs));
            }
        }
    }
    let ((_, width), dialect, recs) = if let Some(found) = best {
        found
    } else {
        // No delimiter splits any record: one column, which every delimiter reads alike.
        let dialect = Dialect::default();
        let recs = records(sample, &dialect, complete);
        if recs.is_empty() {
            return None;
        }
        ((recs.len(), 1), dialect, recs)
    };
    Some(Sniffed {
        delimiter: dialect.delimiter,
        quotechar: dialect.quotechar.unwrap_or('"'),
        has_header: has_header(&recs, width),
    })
}

/// Votes per column: a typed column (ints, dates...) whose first cell is not of that type says
/// header; one whose first cell is says data. Without typed columns, a first record of
/// distinct non-empty texts that never recur below is taken as a header.
fn has_header(records: &[Vec<Vec<u8>>], width: usize) -> bool {
    let rows: Vec<&Vec<Vec<u8>>> = records.iter().filter(|r| r.len() == width).collect();
    let Some((first, rest)) = rows.split_first() else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    let mut votes = 0i32;
    let mut typed = false;
    for c in 0..width {
        let mut guess = ColumnGuess::default();
        for row in rest {
            if !row[c].is_empty() {
                guess.observe_from(&row[c], super::infer::implied(guess));
            }
        }
        let dtype = guess.dtype();
        if matches!(dtype, DType::String | DType::Null) {
            continue;
        }
        typed = true;
        let mut with_first = guess;
        if !first[c].is_empty() {
            with_first.observe_from(&first[c], super::infer::implied(guess));
        }
        votes += if with_first.dtype() == dtype { -1 } else { 1 };
    }
    if typed {
        return votes > 0;
    }
    let mut seen = std::collections::HashSet::new();
    first
        .iter()
        .all(|name| !name.is_empty() && seen.insert(name.as_slice()))
        && (0..width).all(|c| rest.iter().all(|row| row[c] != first[c]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(sample: &str) -> Option<(char, char, bool)> {
        sniff(sample.as_bytes(), true).map(|s| (s.delimiter, s.quotechar, s.has_header))
    }

    #[test]
    fn delimiters_quotes_and_headers() {
        let cases = [
            ("a,b,c\n1,2,3\n4,5,6\n", Some((',', '"', true))),
            ("1,2,3\n4,5,6\n", Some((',', '"', false))),
            ("name;city\nada;london\nbob;paris\n", Some((';', '"', true))),
            ("x\ty\n1.5\t2\n", Some(('\t', '"', true))),
            ("a|b\n'x|y'|2\n'z'|3\n", Some(('|', '\'', true))),
            // csv.Sniffer picks a letter or a space for these.
            (
                "the quick,brown fox\njumps over,the lazy dog\n",
                Some((',', '"', true)),
            ),
            (
                "id,text\n1,\"a, b; c\"\n2,\"d; e\"\n",
                Some((',', '"', true)),
            ),
            ("2024-01-01,5\n2024-01-02,6\n", Some((',', '"', false))),
            ("single\ncolumn\nhere\n", Some((',', '"', true))),
            // csv.Sniffer takes '0' for the delimiter of this one-column file.
            ("2024-01-01\n2024-01-02\n", Some((',', '"', false))),
            ("\n\n", None),
            ("", None),
        ];
        for (sample, expected) in cases {
            assert_eq!(guess(sample), expected, "{sample:?}");
        }
    }

    #[test]
    fn a_cut_off_last_line_is_ignored() {
        let sniffed = sniff(b"a;b\n1;2\n3;\"unfinished", false).unwrap();
        assert_eq!((sniffed.delimiter, sniffed.has_header), (';', true));
    }
}
