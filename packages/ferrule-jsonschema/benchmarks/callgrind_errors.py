"""Instructions per call of the two error workloads under callgrind, beside the peers.

``iter_errors`` collects the 6,000 errors of the benchmark's invalid document and reads each
message; ``raise`` is ``validate()`` raising on the small invalid instance, caught and dropped.
``floor`` is ``raise ValueError("x")`` caught the same way: no validator can raise for less.
Each count is (N calls - 0 calls) / N in a child process, after the same untimed warm-up, so
start-up, imports and data loading cancel out (see ``callgrind_jsonschema.py``).

    python packages/ferrule-jsonschema/benchmarks/callgrind_errors.py [workload ...] [--impl NAME]

Needs ``valgrind`` on PATH and the peers installed (the ``bench`` dependency group).
"""

from __future__ import annotations

import sys

import callgrind_jsonschema

WORKLOADS = {"iter_errors": 3, "raise": 2000}
IMPLS = {
    "iter_errors": ["ferrule", "jsonschema-rs", "jsonschema"],
    "raise": ["ferrule", "jsonschema-rs", "fastjsonschema", "floor"],
}

CHILD = r"""
import json, sys
sys.path.insert(0, {bench!r})
import conftest, test_bench_jsonschema as bench
which, impl, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
if which == "iter_errors":
    document = conftest.error_document.__wrapped__()
    schema = bench.ERRORS_SCHEMA
    if impl == "ferrule":
        validator = bench.ferrule_validator(schema)
    elif impl == "jsonschema-rs":
        validator = bench.jsonschema_rs.validator_for(schema)
    else:
        validator = bench.jsonschema.validators.validator_for(schema)(schema)

    def run():
        assert sum(1 for error in validator.iter_errors(document) if error.message) == 6000
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
