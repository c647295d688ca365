//! Reads a CSV file with the columnar reader (and with `write`, writes it back): a profiling
//! harness (`valgrind --tool=callgrind target/release/examples/read_columnar FILE [THREADS]
//! [write]`).

use ferrule_csv::Dialect;
use ferrule_csv::columnar::{MappedFile, ReadOptions, write_batch, write_header};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: read_columnar FILE [THREADS] [write]");
    let threads = args
        .next()
        .map_or(1, |t| t.parse().expect("THREADS is a number"));
    let write = args.next().is_some_and(|a| a == "write");
    // Mapped, with the pages of each parsed slice dropped, as the Python binding reads a path
    // (so that peak memory here is the binding's).
    let file = MappedFile::open(std::path::Path::new(&path)).expect("readable file");
    let options = ReadOptions {
        threads,
        ..ReadOptions::default()
    };
    let table = file.read_csv(&options).expect("valid CSV");
    let mut written = 0;
    if write {
        let mut out = Vec::new();
        let dialect = Dialect::default();
        write_header(table.schema(), &dialect, &mut out).expect("writable");
        for batch in table.batches() {
            write_batch(batch, &dialect, &mut out).expect("writable");
        }
        written = out.len();
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "{} rows, {:?}, {written} bytes written\n",
            table.num_rows(),
            table.dtypes()
        )
        .as_bytes(),
    );
}
