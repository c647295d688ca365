//! Runs one part of the bytes path many times, for `valgrind --tool=callgrind` (instruction
//! counts are stable on a shared machine where wall-clock timings are not):
//!
//! ```text
//! cargo build --release --example bytes_profile -p ferrule-jsonschema
//! valgrind --tool=callgrind target/release/examples/bytes_profile \
//!     is_valid_json ../shared/corpora/jsonschema-bench/{swagger,kubernetes}.json 3
//! ```
//!
//! Modes: `parse` (the `Value` tree, built and dropped), `is_valid_json`, `errors_json`,
//! `validate_value` (validation alone, on a tree parsed once outside the loop), `compile` (the
//! schema compiled and dropped, the instance unused). The schema is compiled once before the
//! loop in every mode.

use std::hint::black_box;

use std::sync::Arc;

use ferrule_jsonschema::{Options, Validator, Value, parse};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, mode, schema, instance, rest @ ..] = args.as_slice() else {
        panic!("usage: bytes_profile MODE SCHEMA INSTANCE [ITERATIONS]");
    };
    let iterations: usize = rest.first().map_or(1, |n| n.parse().expect("a count"));
    let schema =
        Arc::new(parse(&std::fs::read(schema).expect("schema file")).expect("schema JSON"));
    let text = std::fs::read(instance).expect("instance file");
    let validator = Validator::new(&schema).expect("schema compiles");
    let tree = parse(&text).expect("instance JSON");
    let count = run(mode, &validator, &schema, &text, &tree, iterations);
    assert!(black_box(count) <= iterations * 1_000_000);
}

/// The measured loop (`--toggle-collect='bytes_profile::run'` counts only this).
#[inline(never)]
fn run(
    mode: &str,
    validator: &Validator,
    schema: &Arc<Value>,
    text: &[u8],
    tree: &Value,
    iterations: usize,
) -> usize {
    let mut count = 0usize;
    for _ in 0..iterations {
        count += match mode {
            "parse" => usize::from(black_box(parse(black_box(text))).is_ok()),
            "is_valid_json" => usize::from(validator.is_valid_json(text).expect("JSON")),
            "errors_json" => validator.errors_json(text).expect("JSON").len(),
            "validate_value" => usize::from(validator.is_valid(&black_box(tree))),
            // As the binding compiles: the schema shared, not copied.
            "compile" => usize::from(
                Options::new()
                    .build_shared(Arc::clone(black_box(schema)), None)
                    .is_ok(),
            ),
            other => panic!("unknown mode {other}"),
        };
    }
    count
}
