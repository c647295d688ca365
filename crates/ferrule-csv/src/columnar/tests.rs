//! End-to-end tests of `read_csv` over the bad inputs of issue #5 and every option.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};

use super::*;

/// Every cell as text (`None` for null), row by row, whatever the column types.
fn rows(table: &Table) -> Vec<Vec<Option<String>>> {
    let mut out = Vec::new();
    for batch in table.batches() {
        for r in 0..batch.num_rows() {
            out.push(
                (0..batch.num_columns())
                    .map(|c| cell(batch, c, r))
                    .collect(),
            );
        }
    }
    out
}

fn cell(batch: &RecordBatch, c: usize, r: usize) -> Option<String> {
    let array = batch.column(c);
    if array.is_null(r) {
        return None;
    }
    Some(match array.data_type() {
        arrow_schema::DataType::Int64 => array.as_primitive::<Int64Type>().value(r).to_string(),
        arrow_schema::DataType::Float64 => array.as_primitive::<Float64Type>().value(r).to_string(),
        arrow_schema::DataType::Boolean => array.as_boolean().value(r).to_string(),
        arrow_schema::DataType::Utf8 => array.as_string::<i32>().value(r).to_owned(),
        other => format!("{other}"),
    })
}

#[expect(clippy::unnecessary_wraps, reason = "a cell is an Option")]
fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn read(input: &str) -> Table {
    read_csv(input.as_bytes(), &ReadOptions::default()).unwrap()
}

fn error(input: &str, options: &ReadOptions) -> ColumnarError {
    read_csv(input.as_bytes(), options).unwrap_err()
}

#[test]
fn types_are_inferred_and_ints_keep_nulls() {
    let table = read("a,b,c,d,e\n1,1,true,2024-01-02,x\n,1.5,FALSE,,\n3,,,2024-01-03,y\n");
    assert_eq!(
        table.dtypes(),
        [
            DType::Int64,
            DType::Float64,
            DType::Bool,
            DType::Date,
            DType::String
        ]
    );
    assert_eq!(table.num_rows(), 3);
    let ints = table.batches()[0].column(0).as_primitive::<Int64Type>();
    assert_eq!(ints.iter().collect::<Vec<_>>(), [Some(1), None, Some(3)]);
}

#[test]
fn late_float_promotes_the_column() {
    let mut text = String::from("x\n");
    for i in 0..1000 {
        text.push_str(&i.to_string());
        text.push('\n');
    }
    text.push_str("1.5\n");
    let options = ReadOptions {
        chunk_size: 100,
        threads: 3,
        ..ReadOptions::default()
    };
    let table = read_csv(text.as_bytes(), &options).unwrap();
    assert_eq!(table.dtypes(), [DType::Float64]);
    assert_eq!(table.num_rows(), 1001);
    assert!(table.batches().len() > 1);
}

#[test]
fn header_only_empty_and_blank_inputs() {
    let table = read("a,b\n");
    assert_eq!(table.column_names(), ["a", "b"]);
    assert_eq!(table.dtypes(), [DType::Null, DType::Null]);
    assert_eq!(table.num_rows(), 0);
    for empty in ["", "\n", "\r\n\r\n"] {
        let table = read(empty);
        assert!(table.column_names().is_empty());
        assert_eq!(table.num_rows(), 0);
    }
    // Blank lines between records are skipped, as the row reader yields them as [].
    assert_eq!(read("a\n\n1\n\n2\n").num_rows(), 2);
}

#[test]
fn duplicate_and_empty_names_are_made_unique() {
    let table = read("a,a,,a_1,a\n1,2,3,4,5\n");
    assert_eq!(
        table.column_names(),
        ["a", "a_1", "column_3", "a_1_1", "a_2"]
    );
}

#[test]
fn cr_only_line_ends() {
    let table = read("a,b\r1,x\r2,\"y\rz\"\r");
    assert_eq!(rows(&table), [[s("1"), s("x")], [s("2"), s("y\rz")]]);
}

#[test]
fn stray_quote_in_unquoted_field_is_text() {
    let table = read("a,b\n1,x\"y\n");
    assert_eq!(rows(&table), [[s("1"), s("x\"y")]]);
}

#[test]
fn ragged_rows_under_each_policy() {
    let text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n";
    let err = error(text, &ReadOptions::default());
    assert_eq!(
        err.to_string(),
        "expected 3 fields, found 2 at line 3 (byte 12)"
    );
    let at = err.position().unwrap();
    assert_eq!((at.line, at.column, at.byte), (3, 3, 12));

    let pad = ReadOptions {
        ragged: Ragged::Pad,
        on_bad_lines: BadLines::Report,
        ..ReadOptions::default()
    };
    let table = read_csv(text.as_bytes(), &pad).unwrap();
    assert_eq!(
        rows(&table),
        [[s("1"), s("2"), s("3")], [s("4"), s("5"), None]]
    );
    assert_eq!(table.bad_lines().len(), 1);
    assert_eq!(table.bad_lines()[0].at.line, 4);
    assert_eq!(table.bad_lines()[0].fields, ["6", "7", "8", "9"]);

    let truncate = ReadOptions {
        ragged: Ragged::Truncate,
        ..ReadOptions::default()
    };
    let table = read_csv(text.as_bytes(), &truncate).unwrap();
    assert_eq!(table.num_rows(), 3);

    let skip = ReadOptions {
        on_bad_lines: BadLines::Skip,
        ..ReadOptions::default()
    };
    let table = read_csv(text.as_bytes(), &skip).unwrap();
    assert_eq!(rows(&table), [[s("1"), s("2"), s("3")]]);
    assert!(table.bad_lines().is_empty());
}

#[test]
fn input_ending_inside_a_quote() {
    let text = "a,b\n1,\"open\n2,3\n";
    let err = error(text, &ReadOptions::default());
    assert!(matches!(
        err.kind(),
        ColumnarErrorKind::UnclosedQuote { .. }
    ));
    assert_eq!(err.position().unwrap().line, 2);
    let report = ReadOptions {
        on_bad_lines: BadLines::Report,
        ..ReadOptions::default()
    };
    let table = read_csv(text.as_bytes(), &report).unwrap();
    assert_eq!(table.num_rows(), 0);
    assert_eq!(table.bad_lines()[0].fields, ["1", "open\n2,3\n"]);
    assert!(matches!(
        error("\"a", &ReadOptions::default()).kind(),
        ColumnarErrorKind::UnclosedQuote { .. }
    ));
}

#[test]
fn ten_thousand_columns() {
    let header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    let row: Vec<String> = (0..10_000).map(|i| i.to_string()).collect();
    let text = format!(
        "{}\n{}\n{}\n",
        header.join(","),
        row.join(","),
        row.join(",")
    );
    let table = read(&text);
    assert_eq!(table.column_names().len(), 10_000);
    assert_eq!(table.num_rows(), 2);
    assert!(table.dtypes().iter().all(|&d| d == DType::Int64));
}

#[test]
fn options_project_limit_skip_and_override() {
    let text = "junk line\nid,name,score\n1,ada,NA\n2,bob,2.5\n3,cy,x\n";
    let options = ReadOptions {
        skip_rows: 1,
        columns: Some(vec![ColumnRef::Name("score".into()), ColumnRef::Index(0)]),
        n_rows: Some(2),
        null_values: vec![String::new(), "NA".into()],
        ..ReadOptions::default()
    };
    let table = read_csv(text.as_bytes(), &options).unwrap();
    assert_eq!(table.column_names(), ["score", "id"]);
    assert_eq!(table.dtypes(), [DType::Float64, DType::Int64]);
    assert_eq!(rows(&table), [[None, s("1")], [s("2.5"), s("2")]]);

    let options = ReadOptions {
        dtypes: vec![(ColumnRef::Name("score".into()), DType::Float64)],
        null_values: vec!["NA".into()],
        skip_rows: 1,
        ..ReadOptions::default()
    };
    let err = error(text, &options);
    assert_eq!(
        err.to_string(),
        "cannot read \"x\" as float64 in column \"score\" at line 5 column 3 (byte 43)"
    );
    let unknown = ReadOptions {
        columns: Some(vec![ColumnRef::Name("nope".into())]),
        ..ReadOptions::default()
    };
    assert_eq!(error(text, &unknown).to_string(), "no column \"nope\"");

    let no_header = ReadOptions {
        has_header: false,
        infer_types: false,
        ..ReadOptions::default()
    };
    let table = read_csv(b"1,2\n3,4\n", &no_header).unwrap();
    assert_eq!(table.column_names(), ["column_1", "column_2"]);
    assert_eq!(table.dtypes(), [DType::String, DType::String]);
    assert_eq!(table.num_rows(), 2);
}

#[test]
fn a_cancelled_read_stops_with_cancelled() {
    let text = format!("a,b\n{}", "1,2\n".repeat(10_000));
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    for threads in [1, 2] {
        let options = ReadOptions {
            cancel: Some(cancel.clone()),
            chunk_size: 1000,
            threads,
            ..ReadOptions::default()
        };
        let err = error(&text, &options);
        assert!(matches!(err.kind(), ColumnarErrorKind::Cancelled), "{err}");
        assert_eq!(err.position(), None);
    }
    let options = ReadOptions {
        cancel: Some(std::sync::Arc::new(std::sync::atomic::AtomicBool::new(
            false,
        ))),
        chunk_size: 1000,
        ..ReadOptions::default()
    };
    assert_eq!(
        read_csv(text.as_bytes(), &options).unwrap().num_rows(),
        10_000
    );
}

#[test]
fn a_schema_names_and_types_every_column() {
    let schema = vec![
        ("id".to_owned(), DType::Float64),
        ("tag".to_owned(), DType::String),
    ];
    let options = ReadOptions {
        schema: Some(schema.clone()),
        has_header: false,
        ..ReadOptions::default()
    };
    let table = read_csv(b"1,2\n3,x\n", &options).unwrap();
    assert_eq!(table.column_names(), ["id", "tag"]);
    assert_eq!(table.dtypes(), [DType::Float64, DType::String]);
    assert_eq!(rows(&table), [[s("1"), s("2")], [s("3"), s("x")]]);
    // With a header, the schema's names replace it; projection and dtypes use them.
    let options = ReadOptions {
        schema: Some(schema.clone()),
        columns: Some(vec![ColumnRef::Name("tag".into())]),
        dtypes: vec![(ColumnRef::Name("tag".into()), DType::Int64)],
        ..ReadOptions::default()
    };
    let table = read_csv(b"a,b\n1,2\n", &options).unwrap();
    assert_eq!(table.column_names(), ["tag"]);
    assert_eq!(table.dtypes(), [DType::Int64]);
    let options = ReadOptions {
        schema: Some(schema.clone()),
        ..ReadOptions::default()
    };
    assert_eq!(
        error(
            "junk\na,b,c\n",
            &ReadOptions {
                skip_rows: 1,
                ..options.clone()
            }
        )
        .to_string(),
        "the schema names 2 columns but the first record (line 2) has 3"
    );
    assert_eq!(
        error("a,b\n1.5,2\nx,3\n", &options).to_string(),
        "cannot read \"x\" as float64 in column \"id\" at line 3 column 1 (byte 10)"
    );
    // An empty input still has the schema's columns.
    let empty = read_csv(b"", &options).unwrap();
    assert_eq!(empty.column_names(), ["id", "tag"]);
    assert_eq!(empty.dtypes(), [DType::Float64, DType::String]);
    let header_only = read_csv(b"a,b\n", &options).unwrap();
    assert_eq!(header_only.dtypes(), [DType::Float64, DType::String]);
}

#[test]
fn dialect_options_reach_the_state_machine() {
    let options = ReadOptions {
        dialect: crate::Dialect {
            delimiter: ';',
            quotechar: Some('\''),
            escapechar: Some('\\'),
            doublequote: false,
            skipinitialspace: true,
            ..crate::Dialect::default()
        },
        ..ReadOptions::default()
    };
    let table = read_csv(b"a;b\n'x;y'; z\\;w\n", &options).unwrap();
    assert_eq!(rows(&table), [[s("x;y"), s("z;w")]]);
}

#[test]
fn bad_utf8_is_an_error_with_its_position_or_replaced() {
    let err = read_csv(b"a,b\n1,x\xff\n", &ReadOptions::default()).unwrap_err();
    let at = err.position().unwrap();
    assert_eq!((at.line, at.column, at.byte), (2, 4, 7));
    let replace = ReadOptions {
        decode_errors: DecodeErrors::Replace,
        ..ReadOptions::default()
    };
    let table = read_csv(b"a,b\n1,x\xff\n", &replace).unwrap();
    assert_eq!(rows(&table), [[s("1"), s("x\u{fffd}")]]);
    let latin = ReadOptions {
        encoding: Encoding::Latin1,
        ..ReadOptions::default()
    };
    let table = read_csv(b"a\n\xe9\n", &latin).unwrap();
    assert_eq!(rows(&table), [[s("\u{e9}")]]);
}

/// A small deterministic generator, so the test needs no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn parallel_slices_match_one_slice_with_quoted_newlines() {
    let mut rng = Lcg(5);
    let pieces = [
        "x",
        "\"a\nb\"",
        "\"\"\"q\"\"\r\n,\"",
        "7",
        "",
        "1.5",
        "\"\n\n\n\"",
        "y\"z",
    ];
    let mut text = String::from("a,b,c\n");
    for _ in 0..3000 {
        let fields: Vec<&str> = (0..3)
            .map(|_| pieces[rng.next(pieces.len() as u64) as usize])
            .collect();
        text.push_str(&fields.join(","));
        text.push_str(["\n", "\r\n", "\r"][rng.next(3) as usize]);
    }
    let one = read_csv(
        text.as_bytes(),
        &ReadOptions {
            threads: 1,
            chunk_size: 1 << 30,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    for (threads, chunk_size) in [(2, 7), (3, 100), (4, 1000), (1, 50)] {
        let many = read_csv(
            text.as_bytes(),
            &ReadOptions {
                threads,
                chunk_size,
                ..ReadOptions::default()
            },
        )
        .unwrap();
        assert!(many.batches().len() > 1);
        assert_eq!(many.dtypes(), one.dtypes());
        assert_eq!(
            rows(&many),
            rows(&one),
            "threads {threads} chunk {chunk_size}"
        );
    }
    assert_eq!(one.num_rows(), 3000);
}

/// The records the part-1 row reader gives, line by line, empty fields as nulls.
fn row_reader(text: &[u8], dialect: &crate::Dialect) -> Vec<Vec<Option<String>>> {
    let mut parser = crate::Parser::new(dialect, usize::MAX);
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let end = line_end(text, pos);
        if parser.feed_line_bytes(&text[pos..end]).unwrap() && !parser.record().is_empty() {
            out.push(
                parser
                    .record()
                    .iter()
                    .map(|f| Some(String::from_utf8(f.bytes.to_vec()).unwrap()))
                    .map(|f| f.filter(|f| !f.is_empty()))
                    .collect(),
            );
        }
        pos = end;
    }
    out
}

/// The block splitter (`classify.rs`) and the quoted-record path agree cell by cell with the
/// row reader: fields whose lengths put delimiters, quotes, escapes and line ends on every side
/// of the 32-byte block edges, `\n`, `\r\n` and `\r` line ends, blank lines, ragged records,
/// stray quotes, quoted fields going on after their closing quote, doubled quotes,
/// quoted line breaks across slice boundaries, with and without an escape character.
#[test]
fn block_splitting_matches_the_row_reader() {
    let mut rng = Lcg(17);
    let dialects = [
        crate::Dialect::default(),
        crate::Dialect {
            escapechar: Some('\\'),
            ..crate::Dialect::default()
        },
        crate::Dialect {
            delimiter: ';',
            quotechar: None,
            ..crate::Dialect::default()
        },
    ];
    for dialect in &dialects {
        let delimiter = dialect.delimiter;
        let mut text = String::new();
        for record in 0..2000 {
            // Some records after the first (whose width is the table's) are ragged (the quoted
            // split's general path); some quoted fields go on after their closing quote (no
            // RFC record: the state machine).
            let width = if record > 0 && rng.next(10) == 0 {
                3 + 2 * rng.next(2)
            } else {
                4
            };
            let fields: Vec<String> = (0..width)
                .map(|_| {
                    let len = rng.next(40) as usize;
                    let quoted = dialect.quotechar.is_some() && rng.next(4) == 0;
                    let mut field = String::new();
                    for i in 0..len {
                        let c = match rng.next(12) {
                            0 if quoted => delimiter,
                            1 if quoted => '\n',
                            2 if quoted => '\r',
                            3 if quoted => '"',
                            // A stray quote inside an unquoted field is text.
                            4 if i > 0 => '"',
                            5 if dialect.escapechar.is_some() && i + 1 < len => '\\',
                            6 => 'é',
                            7 => ' ',
                            _ => char::from(b'a' + rng.next(26) as u8),
                        };
                        if c == '"' && quoted {
                            field.push('"');
                        }
                        field.push(c);
                    }
                    if quoted && rng.next(8) == 0 {
                        format!("\"{field}\"x")
                    } else if quoted {
                        format!("\"{field}\"")
                    } else if let Some(rest) = field.strip_prefix('"') {
                        rest.to_owned()
                    } else {
                        field
                    }
                })
                .collect();
            text.push_str(&fields.join(&delimiter.to_string()));
            text.push_str(["\n", "\r\n", "\r"][rng.next(3) as usize]);
            if rng.next(15) == 0 {
                // A blank line, also after records with quoted fields (read the plain way).
                text.push_str(["\n", "\r\n", "\r"][rng.next(3) as usize]);
            }
        }
        // Escapes before a line end or a quote can join or split records: the columnar
        // reader keeps each record's first four fields, padded with nulls, as the rows below.
        let mut expected = row_reader(text.as_bytes(), dialect);
        for row in &mut expected {
            row.resize(4, None);
        }
        assert!(expected.len() > 1000);
        for (threads, chunk_size) in [(1, 1 << 30), (2, 333), (3, 4096)] {
            let table = read_csv(
                text.as_bytes(),
                &ReadOptions {
                    dialect: dialect.clone(),
                    has_header: false,
                    infer_types: false,
                    ragged: Ragged::Truncate,
                    threads,
                    chunk_size,
                    ..ReadOptions::default()
                },
            )
            .unwrap_or_else(|e| {
                let at = e.position().map_or(0, |p| p.byte as usize);
                panic!(
                    "{dialect:?}: {e} near {:?}",
                    &text[at.saturating_sub(80)..at + 80]
                )
            });
            assert_eq!(
                rows(&table),
                expected,
                "{dialect:?} threads {threads} chunk {chunk_size}"
            );
        }
    }
}
