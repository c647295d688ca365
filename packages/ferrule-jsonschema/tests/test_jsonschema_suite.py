"""The official JSON-Schema-Test-Suite through the Python API: every draft, the required,
optional and optional/format tests, ``remotes/`` served in-process by a retriever.

The suite is found at ``$JSON_SCHEMA_TEST_SUITE`` or ``../shared/JSON-Schema-Test-Suite`` from
the repository root. Each suite test is one pytest item, named ``draft/group/file|case|test``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import ferrule.jsonschema as jsonschema

REPO = Path(__file__).resolve().parents[3]
SUITE = Path(
    os.environ.get("JSON_SCHEMA_TEST_SUITE", REPO.parent / "shared" / "JSON-Schema-Test-Suite")
)
HOW_TO_GET = (
    f"the JSON-Schema-Test-Suite is missing at {SUITE}: clone "
    "https://github.com/json-schema-org/JSON-Schema-Test-Suite there, or point "
    "$JSON_SCHEMA_TEST_SUITE at a copy (python-jsonschema's sdist ships one under json/)"
)

DRAFTS: dict[str, Any] = {
    "draft4": jsonschema.Draft4Validator,
    "draft6": jsonschema.Draft6Validator,
    "draft7": jsonschema.Draft7Validator,
    "draft2019-09": jsonschema.Draft201909Validator,
    "draft2020-12": jsonschema.Draft202012Validator,
}

# Known failures: `draft/group/file|case|test` -> reason. Kept strict: one that passes fails
# the run, so the list cannot rot.
DEPENDENCIES_COMPAT = (
    "python-jsonschema ignores the pre-2019 `dependencies` keyword under 2019-09 and 2020-12, "
    "and so do we"
)
CONTENT = "python-jsonschema does not assert contentEncoding/contentMediaType, nor do we"
KNOWN_FAILURES: dict[str, str] = {
    line.replace(" | ", "|"): (CONTENT if "content.json" in line else DEPENDENCIES_COMPAT)
    for line in (Path(__file__).parent / "known_failures.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def _reason(test_id: str) -> str | None:
    return KNOWN_FAILURES.get(test_id)


class Remotes:
    """Serves the suite's ``remotes/`` at ``http://localhost:1234/`` (no network)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, uri: str) -> Any:
        prefix = "http://localhost:1234/"
        if not uri.startswith(prefix):
            raise LookupError(f"no remote {uri}")
        return json.loads((self.root / uri[len(prefix) :]).read_text(encoding="utf-8"))


def _cases() -> list[Any]:
    if not (SUITE / "tests").is_dir():
        return [pytest.param(None, id="suite-missing")]
    params = []
    for draft in DRAFTS:
        base = SUITE / "tests" / draft
        groups = [
            ("required", sorted(base.glob("*.json"))),
            ("optional", sorted((base / "optional").glob("*.json"))),
            ("format", sorted((base / "optional" / "format").glob("*.json"))),
        ]
        for group, files in groups:
            for path in files:
                for case in json.loads(path.read_text(encoding="utf-8")):
                    for test in case["tests"]:
                        test_id = "|".join(
                            (
                                f"{draft}/{group}/{path.name}",
                                case["description"],
                                test["description"],
                            )
                        )
                        reason = _reason(test_id)
                        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
                        params.append(
                            pytest.param(
                                (draft, group, case["schema"], test["data"], test["valid"]),
                                id=test_id,
                                marks=marks,
                            )
                        )
    return params


REMOTES = Remotes(SUITE / "remotes")


@pytest.mark.parametrize("case", _cases())
def test_suite(case: Any) -> None:
    if case is None:
        pytest.fail(HOW_TO_GET)
    draft, group, schema, instance, valid = case
    cls = DRAFTS[draft]
    format_checker = cls.FORMAT_CHECKER if group == "format" else None
    validator = cls(schema, format_checker=format_checker, retrieve=REMOTES)
    assert validator.is_valid(instance) is valid
    errors = list(validator.iter_errors(instance))
    assert (not errors) is valid, [e.message for e in errors]
    # The text path agrees (and never builds Python objects for valid input).
    text = json.dumps(instance)
    assert validator.is_valid_json(text) is valid
    assert validator.is_valid_json(text.encode()) is valid
    assert (not list(validator.iter_errors_json(text))) is valid


def test_suite_present() -> None:
    assert (SUITE / "tests").is_dir(), HOW_TO_GET
