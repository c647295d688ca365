//! Validity bitmaps of `read_csv`'s arrays: none for a column without nulls (typed columns
//! that met no empty cell, string columns whose copy met none), and every null kept wherever it
//! falls: the first or last row of a slice, rows missing from short records, cells equal to
//! another null value, before and after a late change of type.

use std::fmt::Write as _;

use arrow_array::Array;

use super::*;

/// `rows` records of an int, a float, a date and two strings; those in `null_rows` empty.
fn file(rows: usize, null_rows: &[usize]) -> String {
    let mut text = String::from("i,f,d,s,t\n");
    for r in 0..rows {
        if null_rows.contains(&r) {
            text.push_str(",,,,\n");
        } else {
            writeln!(
                text,
                "{r},{r}.25,2024-01-{:02},w{},\"x, {r}\"",
                1 + r % 28,
                r % 9
            )
            .unwrap();
        }
    }
    text
}

/// Small slices on three threads, so that rows fall at every slice's edges.
fn options() -> ReadOptions {
    ReadOptions {
        chunk_size: 1 << 12,
        threads: 3,
        ..ReadOptions::default()
    }
}

/// Each column's null rows, and whether any batch without a null still carries a bitmap.
fn nulls_of(table: &Table) -> (Vec<Vec<usize>>, bool) {
    let columns = table.schema().fields().len();
    let mut nulls = vec![Vec::new(); columns];
    let mut needless_bitmap = false;
    let mut base = 0;
    for batch in table.batches() {
        for (c, found) in nulls.iter_mut().enumerate() {
            let array = batch.column(c);
            found.extend(
                (0..array.len())
                    .filter(|&r| array.is_null(r))
                    .map(|r| base + r),
            );
            needless_bitmap |= array.null_count() == 0 && array.nulls().is_some();
        }
        base += batch.num_rows();
    }
    (nulls, needless_bitmap)
}

#[test]
fn columns_without_nulls_carry_no_bitmap() {
    let table = read_csv(file(3000, &[]).as_bytes(), &options()).unwrap();
    assert!(table.batches().len() > 10);
    assert_eq!(
        table.dtypes(),
        [
            DType::Int64,
            DType::Float64,
            DType::Date,
            DType::String,
            DType::String
        ]
    );
    let (nulls, needless) = nulls_of(&table);
    assert!(nulls.iter().all(Vec::is_empty));
    assert!(!needless);
}

#[test]
fn nulls_are_kept_wherever_they_fall() {
    let rows = 3000;
    let probe = read_csv(file(rows, &[]).as_bytes(), &options()).unwrap();
    // The first and last row of every slice, and one row inside one slice only.
    let mut edges = Vec::new();
    let mut start = 0;
    for batch in probe.batches() {
        edges.push(start);
        start += batch.num_rows();
        edges.push(start - 1);
    }
    for null_rows in [vec![0], vec![rows - 1], vec![1234], edges] {
        let table = read_csv(file(rows, &null_rows).as_bytes(), &options()).unwrap();
        let (nulls, needless) = nulls_of(&table);
        for found in &nulls {
            assert_eq!(found, &null_rows);
        }
        assert!(!needless);
    }
}

#[test]
fn missing_cells_and_other_null_values_are_null() {
    let padded = ReadOptions {
        ragged: Ragged::Pad,
        ..ReadOptions::default()
    };
    let table = read_csv(b"a,b,c\nx,y,z\nx,y\nx,y,z\n", &padded).unwrap();
    let (nulls, needless) = nulls_of(&table);
    assert_eq!(nulls, [vec![], vec![], vec![1]]);
    assert!(!needless);
    let na = ReadOptions {
        null_values: vec![String::new(), "NA".to_owned()],
        ..ReadOptions::default()
    };
    let table = read_csv(b"s,n\nx,1\nNA,NA\ny,3\n", &na).unwrap();
    assert_eq!(table.dtypes(), [DType::String, DType::Int64]);
    assert_eq!(nulls_of(&table).0, [vec![1], vec![1]]);
    // Without "" among the null values an empty cell is a string value.
    let only_na = ReadOptions {
        null_values: vec!["NA".to_owned()],
        ..ReadOptions::default()
    };
    let table = read_csv(b"s,k\nx,1\n,2\ny,3\n", &only_na).unwrap();
    assert_eq!(table.dtypes(), [DType::String, DType::Int64]);
    assert_eq!(nulls_of(&table), (vec![vec![], vec![]], false));
}

#[test]
fn a_late_change_of_type_keeps_every_null() {
    for (cells, dtype, null_rows) in [
        (
            &["", "1", "", "2", "", "2.5", "", "3"][..],
            DType::Float64,
            &[0, 2, 4, 6][..],
        ),
        (&["1", "2", "2.5", "", "4"], DType::Float64, &[3]),
        (&["1", "2", "2.5", "4"], DType::Float64, &[]),
        (&["", "1", "x", ""], DType::String, &[0, 3]),
        (
            &["2024-01-01", "", "2024-01-01T10:00"],
            DType::Datetime,
            &[1],
        ),
    ] {
        // A second column: a one-column file's empty cell would be a blank line, skipped.
        let lines: Vec<String> = cells.iter().map(|c| format!("{c},k")).collect();
        let text = format!("v,k\n{}\n", lines.join("\n"));
        let table = read_csv(text.as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(table.dtypes(), [dtype, DType::String], "{cells:?}");
        let (nulls, needless) = nulls_of(&table);
        assert_eq!(nulls, [null_rows.to_vec(), vec![]], "{cells:?}");
        assert!(!needless, "{cells:?}");
    }
}
