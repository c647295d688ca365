//! The official JSON-Schema-Test-Suite, every draft we support: required, optional and
//! optional/format tests, with `remotes/` served in-process at `http://localhost:1234/`.
//!
//! Counted honestly: `tests/known_failures.txt` lists the test ids expected to fail; the test
//! fails when an unlisted test fails *and* when a listed test passes or no longer exists
//! (strict xfail), so the list can only shrink. Set `FERRULE_UPDATE_KNOWN_FAILURES=1` to
//! rewrite the list from the current results (then review the diff).

#![expect(
    clippy::print_stderr,
    reason = "the per-draft report is this test's output"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use ferrule_jsonschema::{Draft, Options, Retrieve, Value, parse};

const DRAFTS: [(&str, Draft); 5] = [
    ("draft4", Draft::Draft4),
    ("draft6", Draft::Draft6),
    ("draft7", Draft::Draft7),
    ("draft2019-09", Draft::Draft201909),
    ("draft2020-12", Draft::Draft202012),
];

fn suite_dir() -> PathBuf {
    let dir = std::env::var_os("JSON_SCHEMA_TEST_SUITE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/JSON-Schema-Test-Suite"),
        PathBuf::from,
    );
    assert!(
        dir.join("tests").is_dir(),
        "JSON-Schema-Test-Suite not found at {}: set JSON_SCHEMA_TEST_SUITE to a checkout of \
         https://github.com/json-schema-org/JSON-Schema-Test-Suite, or take the copy inside \
         python-jsonschema's sdist (`pip download --no-binary :all: --no-deps jsonschema`, \
         then unpack it: the suite is under json/)",
        dir.display()
    );
    dir
}

/// Serves `remotes/` for `http://localhost:1234/`.
struct Remotes(PathBuf);

impl Retrieve for Remotes {
    fn retrieve(&self, uri: &str) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri
            .strip_prefix("http://localhost:1234/")
            .ok_or_else(|| format!("no remote {uri}"))?;
        let text = std::fs::read(self.0.join(path))?;
        Ok(parse(&text)?)
    }
}

#[derive(Default)]
struct Counts {
    passed: usize,
    failed: usize,
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    files
}

/// Runs one test: does the validator agree with `valid`, in both modes?
fn run_case(
    schema: &Value,
    data: &Value,
    valid: bool,
    draft: Draft,
    formats: bool,
    remotes: &Remotes,
) -> Result<(), String> {
    let validator = Options::new()
        .draft(draft)
        .validate_formats(formats)
        .build_with_retriever(schema, Some(remotes))
        .map_err(|e| format!("schema error: {e}"))?;
    let fast = validator.is_valid(&data);
    let errors: Vec<_> = validator.iter_errors(&data).collect();
    if fast != errors.is_empty() {
        return Err(format!(
            "is_valid says {fast} but iter_errors found {} errors",
            errors.len()
        ));
    }
    if fast != valid {
        return Err(format!("expected valid={valid}, got {fast}"));
    }
    // The first-error mode of `validate` finds exactly the first error of `iter_errors`.
    let first = validator.validate(&data).err();
    let describe = |e: &ferrule_jsonschema::ValidationError<_>| {
        format!(
            "{} {:?} {}",
            e.keyword, e.instance_path, e.absolute_keyword_location
        )
    };
    if first.as_ref().map(describe) != errors.first().map(describe) {
        return Err(format!(
            "validate found {:?}, iter_errors first {:?}",
            first.as_ref().map(describe),
            errors.first().map(describe)
        ));
    }
    let output = validator.evaluate(&data, ferrule_jsonschema::OutputFormat::Verbose);
    if output.get("valid") != Some(&Value::Bool(fast)) {
        return Err(format!("evaluate says {:?}", output.get("valid")));
    }
    Ok(())
}

#[test]
fn json_schema_test_suite() {
    // Deeply recursive schemas recurse in debug builds: give the run a roomy stack, as the
    // validator's depth limit is what is tested elsewhere.
    let handle = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run_suite)
        .unwrap();
    handle.join().unwrap();
}

#[expect(clippy::too_many_lines, reason = "one linear report")]
fn run_suite() {
    let root = suite_dir();
    let remotes = Remotes(root.join("remotes"));
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut report = String::new();
    let mut total = Counts::default();
    for (name, draft) in DRAFTS {
        let base = root.join("tests").join(name);
        let groups = [
            ("required", json_files(&base), false),
            ("optional", json_files(&base.join("optional")), false),
            ("format", json_files(&base.join("optional/format")), true),
        ];
        let _ = write!(report, "{name:>13}:");
        for (group, files, formats) in groups {
            let mut counts = Counts::default();
            for file in files {
                let rel = file
                    .strip_prefix(root.join("tests"))
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let cases =
                    parse(&std::fs::read(&file).unwrap()).unwrap_or_else(|e| panic!("{rel}: {e}"));
                for case in cases.as_array().unwrap() {
                    let description = case
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let schema = case.get("schema").unwrap();
                    for test in case.get("tests").and_then(Value::as_array).unwrap() {
                        let id = format!(
                            "{rel} | {description} | {}",
                            test.get("description")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                        );
                        let data = test.get("data").unwrap();
                        let valid = test.get("valid").and_then(Value::as_bool).unwrap();
                        let outcome = catch_unwind(AssertUnwindSafe(|| {
                            run_case(schema, data, valid, draft, formats, &remotes)
                        }))
                        .unwrap_or_else(|_| Err("panicked".to_string()));
                        seen.insert(id.clone());
                        match outcome {
                            Ok(()) => counts.passed += 1,
                            Err(why) => {
                                counts.failed += 1;
                                failures.insert(id, why);
                            }
                        }
                    }
                }
            }
            let _ = write!(
                report,
                "  {group} {}/{}",
                counts.passed,
                counts.passed + counts.failed
            );
            total.passed += counts.passed;
            total.failed += counts.failed;
        }
        report.push('\n');
    }
    eprintln!("JSON-Schema-Test-Suite (passed/total):\n{report}");
    eprintln!("suite: {} passed, {} failed", total.passed, total.failed);

    let list_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/known_failures.txt");
    if std::env::var_os("FERRULE_UPDATE_KNOWN_FAILURES").is_some() {
        let mut text = String::from(
            "# JSON-Schema-Test-Suite tests known to fail: `file | case | test`, one per line.\n\
             # tests/suite.rs fails if one of these passes, so delete lines as fixes land.\n\
             #\n\
             # Left failing on purpose, to behave as python-jsonschema (the package we replace):\n\
             # - */optional/dependencies-compatibility.json: python-jsonschema ignores the\n\
             #   pre-2019 `dependencies` keyword under 2019-09 and 2020-12.\n\
             # - draft7/optional/content.json: python-jsonschema does not assert\n\
             #   `contentEncoding` / `contentMediaType`.\n",
        );
        for id in failures.keys() {
            text.push_str(id);
            text.push('\n');
        }
        std::fs::write(&list_path, text).unwrap();
        return;
    }
    let known: BTreeSet<String> = std::fs::read_to_string(&list_path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let unexpected: Vec<String> = failures
        .iter()
        .filter(|(id, _)| !known.contains(*id))
        .map(|(id, why)| format!("  {id}: {why}"))
        .collect();
    let fixed: Vec<&String> = known
        .iter()
        .filter(|id| !failures.contains_key(*id) && seen.contains(*id))
        .collect();
    let stale: Vec<&String> = known.iter().filter(|id| !seen.contains(*id)).collect();
    let mut problems = String::new();
    if !unexpected.is_empty() {
        let _ = writeln!(
            problems,
            "{} unexpected failures:\n{}",
            unexpected.len(),
            unexpected.join("\n")
        );
    }
    if !fixed.is_empty() {
        let _ = writeln!(
            problems,
            "{} known failures now pass (delete them from known_failures.txt):",
            fixed.len()
        );
        for id in fixed {
            let _ = writeln!(problems, "  {id}");
        }
    }
    if !stale.is_empty() {
        let _ = writeln!(problems, "{} known failures name no test:", stale.len());
        for id in stale {
            let _ = writeln!(problems, "  {id}");
        }
    }
    assert!(problems.is_empty(), "{problems}");
}
