//! Reads a CSV file with the columnar reader and prints its shape: a profiling harness
//! (`valgrind --tool=callgrind target/release/examples/read_columnar FILE [THREADS]`).

use ferrule_csv::columnar::{ReadOptions, read_csv};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: read_columnar FILE [THREADS]");
    let threads = args
        .next()
        .map_or(1, |t| t.parse().expect("THREADS is a number"));
    let data = std::fs::read(&path).expect("readable file");
    let options = ReadOptions {
        threads,
        ..ReadOptions::default()
    };
    let table = read_csv(&data, &options).expect("valid CSV");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("{} rows, {:?}\n", table.num_rows(), table.dtypes()).as_bytes(),
    );
}
