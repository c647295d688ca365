"""Instructions per ``is_valid`` call under callgrind: ferrule against jsonschema-rs.

Wall-clock benchmarks on a shared 2-core machine drift by tens of percent between runs;
instruction counts do not. Each workload runs in a child process with 0 and with N timed calls
(after the same untimed warm-up, which fills the regex caches); the difference over N is the
cost of one call, without interpreter start-up, imports and data loading.

    python packages/ferrule-jsonschema/benchmarks/callgrind_jsonschema.py [workload ...]

Each line gives instructions per call (per document of ``api`` and ``tools``), then each peer's
count and the peer's count over ferrule's (above 1: ferrule runs fewer instructions).
``fhir-bytes`` counts ``is_valid_json`` on the document's bytes beside ``orjson.loads`` alone.

Needs ``valgrind`` on PATH, and ferrule-jsonschema and jsonschema-rs installed in the running
interpreter (the release build of ``nox -s tests`` or the LTO build of ``nox -s bench``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# Calls per measurement: enough that one call's count is well above the run-to-run noise.
WORKLOADS = {
    "canada": 2,
    "citm": 2,
    "kubernetes": 1,
    "fhir": 200,
    "recursive": 20,
    "api": 2,
    # Per-call costs: 2,000 tool calls; 2,000 calls of a no-op schema and of a one-property
    # object (raising validate() calls are counted by callgrind_errors.py).
    "tools": 2,
    # The same tool calls as JSON text (`str`): ferrule's is_valid_json against orjson.loads
    # + each peer's is_valid, and orjson.loads alone.
    "tools-text": 2,
    "noop": 2000,
    "tiny": 2000,
    # The bytes path: ferrule's is_valid_json against orjson.loads alone (the floor of any
    # validator that builds Python objects first).
    "fhir-bytes": 200,
}
# Counted for one element of the workload's list, not for the whole list.
PER_ITEM = {"api": 2000, "tools": 2000, "tools-text": 2000}
# Also measured against fastjsonschema (drafts 4-7 only).
FAST = {"api", "tools", "tools-text", "noop", "tiny"}

CHILD = r"""
import json, random, sys
sys.path.insert(0, {bench!r})
import conftest, test_bench_jsonschema as bench
which, impl, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
calls = None
if which == "api":
    rng = random.Random(3)
    instances = [conftest.order_body(rng, i) for i in range(2000)]
    schema = bench.ORDER_SCHEMA
elif which.startswith("tools"):
    rng = random.Random(5)
    calls = [conftest.tool_call(rng) for _ in range(2000)]
    if which == "tools-text":
        import orjson
        calls = [(name, json.dumps(args)) for name, args in calls]
        if impl == "ferrule":
            validators = {{k: bench.ferrule_validator(s) for k, s in bench.TOOL_SCHEMAS.items()}}
            tools = {{k: v.is_valid_json for k, v in validators.items()}}
        elif impl == "orjson":
            tools = {{k: orjson.loads for k in bench.TOOL_SCHEMAS}}
        else:
            peers = {{k: bench.compile_is_valid(impl, s) for k, s in bench.TOOL_SCHEMAS.items()}}
            tools = {{k: (lambda text, p=p: p(orjson.loads(text))) for k, p in peers.items()}}
    else:
        tools = {{k: bench.compile_is_valid(impl, s) for k, s in bench.TOOL_SCHEMAS.items()}}
elif which == "noop":
    schema, instances = {{}}, [{{"a": 1}}]
elif which == "tiny":
    schema = {{"type": "object", "properties": {{"a": {{"type": "integer"}}}}}}
    instances = [{{"a": 1}}]
else:
    schema_file, instance_file, _ = bench.DOCUMENTS[which.removesuffix("-bytes")]
    schema = json.loads((conftest.CORPUS / schema_file).read_bytes())
    instances = [json.loads((conftest.CORPUS / instance_file).read_bytes())]
    if which.endswith("-bytes"):
        instances = [(conftest.CORPUS / instance_file).read_bytes()]
if which.endswith("-bytes"):
    import orjson
    if impl == "orjson":
        is_valid = orjson.loads
    else:
        is_valid = bench.ferrule_validator(schema).is_valid_json
    for instance in instances:
        is_valid(instance)
    for _ in range(n):
        for instance in instances:
            is_valid(instance)
elif calls is not None:
    for name, args in calls:
        tools[name](args)
    for _ in range(n):
        for name, args in calls:
            tools[name](args)
else:
    is_valid = bench.compile_is_valid(impl, schema)
    for instance in instances:
        is_valid(instance)
    for _ in range(n):
        for instance in instances:
            is_valid(instance)
"""


def instructions(workload: str, impl: str, calls: int, child: str = CHILD) -> int:
    """Instructions callgrind collects running ``child`` (a script formatted with the
    benchmarks' directory as ``bench``) for ``workload``, ``impl`` and ``calls``."""
    code = child.format(bench=str(Path(__file__).resolve().parent))
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            code,
            workload,
            impl,
            str(calls),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or found is None:
        raise RuntimeError(result.stderr[-3000:])
    return int(found.group(1))


def main(names: list[str]) -> None:
    for name in names or list(WORKLOADS):
        calls = WORKLOADS[name]
        impls = ["ferrule", "jsonschema-rs"] + (["fastjsonschema"] if name in FAST else [])
        if name.endswith("-bytes"):
            impls = ["ferrule", "orjson"]
        elif name == "tools-text":
            impls.append("orjson")
        counts = {}
        for impl in impls:
            base = instructions(name, impl, 0)
            counts[impl] = (instructions(name, impl, calls) - base) / calls / PER_ITEM.get(name, 1)
        line = f"{name:10} ferrule {counts['ferrule']:>13,.0f}"
        for impl in impls[1:]:
            ratio = counts[impl] / counts["ferrule"]
            line += f"  {impl} {counts[impl]:>13,.0f} ({ratio:.2f}x)"
        sys.stdout.write(line + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
