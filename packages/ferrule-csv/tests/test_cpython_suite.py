"""CPython's own test suite for the csv module, run against ferrule.csv.

The suite is the one of the running interpreter (``Lib/test/test_csv.py``, shipped with
CPython). Its module-level ``import csv`` is pointed at ``ferrule.csv`` while it loads, so every
test exercises ferrule. Each unittest case becomes one pytest item.
"""

from __future__ import annotations

import importlib.util
import sys
import unittest
from types import ModuleType

import pytest

import ferrule.csv

# The one documented difference: this test checks that every public name is defined in a
# module called `csv` or `_csv`. ferrule's names live in `ferrule.csv`; faking `__module__`
# would break pickling and mislead tools (see docs/csv/differences).
EXPECTED_FAILURES = {"MiscTestCase.test__all__"}


def load_suite_module() -> ModuleType:
    spec = importlib.util.find_spec("test.test_csv")
    if spec is None or spec.loader is None:
        pytest.fail("CPython's test.test_csv is missing: install the interpreter's test package")
    module = importlib.util.module_from_spec(spec)
    saved = sys.modules.get("csv")
    sys.modules["csv"] = ferrule.csv
    try:
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules["csv"]
        else:
            sys.modules["csv"] = saved
    assert module.csv is ferrule.csv
    return module


SUITE_MODULE = load_suite_module()


def case_ids() -> list[str]:
    loader = unittest.TestLoader()
    prefix = SUITE_MODULE.__name__ + "."
    return [
        case.id().removeprefix(prefix)
        for suite in loader.loadTestsFromModule(SUITE_MODULE)
        for case in suite  # type: ignore[union-attr]
    ]


def params() -> list[object]:
    out = []
    for case_id in case_ids():
        marks = []
        if case_id in EXPECTED_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason="names live in ferrule.csv"))
        out.append(pytest.param(case_id, marks=marks, id=case_id))
    return out


def test_suite_is_complete() -> None:
    # Guards against an import problem that would silently collect nothing.
    assert len(case_ids()) > 100


@pytest.mark.parametrize("case_id", params())
def test_cpython(case_id: str) -> None:
    case = unittest.TestLoader().loadTestsFromName(case_id, SUITE_MODULE)
    result = unittest.TestResult()
    case.run(result)
    problems = result.errors + result.failures
    if problems:
        pytest.fail("\n".join(trace for _, trace in problems), pytrace=False)
    if result.skipped:
        # Only the stdlib's own platform skips may pass through, and they are reported.
        reasons = {reason for _, reason in result.skipped}
        pytest.skip("; ".join(sorted(reasons)))
    assert result.testsRun == 1
