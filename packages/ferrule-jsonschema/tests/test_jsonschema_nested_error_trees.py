"""The error tree of a deeply nested invalid instance of a recursive content model.

``iter_errors`` on the benchmark's recursive schema grows with nesting because every ``oneOf``
branch is evaluated and kept as context (four tagged branches hold ``content``: about four
times the errors per level), as python-jsonschema does. The tree is counted, not timed: the
same number of errors, context included, with the same paths, as python-jsonschema at each
depth, so that no level adds errors of its own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema as reference
import pytest

import ferrule.jsonschema as jsonschema

# Where the benchmarks find their corpus (benchmarks/conftest.py).
CORPUS = Path(
    os.environ.get(
        "FERRULE_JSONSCHEMA_BENCH_DATA",
        Path(__file__).resolve().parents[4] / "shared" / "corpora" / "jsonschema-bench",
    )
)
SCHEMA_FILE = CORPUS / "recursive_schema.json"


def _nested(depth: int) -> Any:
    node: Any = {"tag": "div", "content": 5}
    for _ in range(depth):
        node = {"tag": "div", "content": [node]}
    return [["t", "r", "", "", 0, [{"type": "structured-content", "content": node}], 1, ""]]


def _tree(errors: Any) -> list[Any]:
    return sorted(
        (list(e.absolute_path), list(e.absolute_schema_path), e.validator, _tree(e.context))
        for e in errors
    )


def _count(errors: Any) -> int:
    return sum(1 + _count(e.context) for e in errors)


@pytest.mark.skipif(not SCHEMA_FILE.exists(), reason="benchmark corpus not present")
@pytest.mark.parametrize("depth", [0, 1, 2])
def test_error_tree_matches_python_jsonschema(depth: int) -> None:
    schema = json.loads(SCHEMA_FILE.read_bytes())
    instance = _nested(depth)
    ours = list(jsonschema.Draft7Validator(schema).iter_errors(instance))
    theirs = list(reference.Draft7Validator(schema).iter_errors(instance))
    assert _count(ours) == _count(theirs)
    assert _tree(ours) == _tree(theirs)
