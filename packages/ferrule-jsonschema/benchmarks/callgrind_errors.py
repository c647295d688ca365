"""Instructions per call of the error workloads under callgrind, beside the peers.

``iter_errors`` collects the 6,000 errors of the benchmark's invalid document and reads each
message; ``iter_errors_path`` reads each error's ``path`` instead (jsonschema-rs:
``instance_path``), ``best_match`` and ``error_tree`` pass the errors to ``best_match`` and
``ErrorTree`` (readers of several attributes of every error); ``raise`` is ``validate()``
raising on the small invalid instance, caught and dropped. ``floor`` is
``raise ValueError("x")`` caught the same way: no validator can raise for less.
Each count is (N calls - 0 calls) / N in a child process, after the same untimed warm-up, so
start-up, imports and data loading cancel out (see ``callgrind_jsonschema.py``).

    python packages/ferrule-jsonschema/benchmarks/callgrind_errors.py [workload ...] [--impl NAME]

Needs ``valgrind`` on PATH and the peers installed (the ``bench`` dependency group).
"""

from __future__ import annotations

import sys

import callgrind_jsonschema

WORKLOADS = {
    "iter_errors": 3,
    "iter_errors_path": 3,
    "best_match": 3,
    "error_tree": 3,
    "raise": 2000,
}
IMPLS = {
    "iter_errors": ["ferrule", "jsonschema-rs", "jsonschema"],
    "iter_errors_path": ["ferrule", "jsonschema-rs", "jsonschema"],
    "best_match": ["ferrule", "jsonschema"],
    "error_tree": ["ferrule", "jsonschema"],
    "raise": ["ferrule", "jsonschema-rs", "fastjsonschema", "floor"],
}

CHILD = r"""
import json, sys
sys.path.insert(0, {bench!r})
import conftest, test_bench_jsonschema as bench
which, impl, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
if which != "raise":
    document = conftest.error_document.__wrapped__()
    schema = bench.ERRORS_SCHEMA
    if impl == "ferrule":
        validator = bench.ferrule_validator(schema)
        exceptions = bench.ferrule_jsonschema.exceptions
    elif impl == "jsonschema-rs":
        validator = bench.jsonschema_rs.validator_for(schema)
    else:
        validator = bench.jsonschema.validators.validator_for(schema)(schema)
        exceptions = bench.jsonschema.exceptions
    path = "instance_path" if impl == "jsonschema-rs" else "path"

    if which == "iter_errors":
        def run():
            assert sum(1 for error in validator.iter_errors(document) if error.message) == 6000
    elif which == "iter_errors_path":
        def run():
            errors = validator.iter_errors(document)
            assert sum(1 for error in errors if getattr(error, path) is not None) == 6000
    elif which == "best_match":
        def run():
            assert exceptions.best_match(validator.iter_errors(document)) is not None
    else:
        def run():
            assert exceptions.ErrorTree(validator.iter_errors(document)).total_errors > 0
else:
    schema = json.loads((conftest.CORPUS / "fast_schema.json").read_bytes())
    instance = json.loads((conftest.CORPUS / "fast_invalid.json").read_bytes())
    if impl == "floor":
        def validate(instance):
            raise ValueError("x")
        exc = ValueError
    else:
        validate, exc = bench.compile_validate(impl, schema)

    def run():
        try:
            validate(instance)
        except exc:
            return
        raise AssertionError("valid")
run()
for _ in range(n):
    run()
"""


def instructions(workload: str, impl: str, calls: int) -> int:
    return callgrind_jsonschema.instructions(workload, impl, calls, CHILD)


def main(args: list[str]) -> None:
    only = None
    if "--impl" in args:
        at = args.index("--impl")
        only = args[at + 1]
        args = args[:at] + args[at + 2 :]
    for name in args or list(WORKLOADS):
        calls = WORKLOADS[name]
        for impl in IMPLS[name]:
            if only is not None and impl != only:
                continue
            base = instructions(name, impl, 0)
            per_call = (instructions(name, impl, calls) - base) / calls
            sys.stdout.write(f"{name:12} {impl:15} {per_call:>14,.0f} instructions per call\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
