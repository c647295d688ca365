"""Integers beyond 64 bits against floats, compared exactly as Python compares ``int`` and
``float`` (``2**70 + 1 != 2.0**70``, though the float nearest ``2**70 + 1`` is ``2.0**70``),
by every keyword that compares numbers, against python-jsonschema.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

TWO_70 = float(2**70)

CASES: list[tuple[dict[str, Any], Any]] = [
    ({"maximum": TWO_70}, 2**70 + 1),
    ({"maximum": TWO_70}, 2**70),
    ({"minimum": TWO_70}, 2**70 - 1),
    ({"exclusiveMaximum": TWO_70}, 2**70),
    ({"exclusiveMinimum": TWO_70}, 2**70 + 1),
    ({"const": TWO_70}, 2**70),
    ({"const": TWO_70}, 2**70 + 1),
    ({"enum": [2**70 + 1]}, TWO_70),
    ({"enum": [-(2**70) - 1, 2**64]}, -TWO_70),
    ({"enum": [2**64]}, float(2**64)),
    ({"maximum": 2**70 + 1}, TWO_70),
    ({"minimum": 2**70 + 1}, TWO_70),
    ({"maximum": 1.5}, 2**64),
    ({"minimum": -1.5}, -(2**64)),
]


@pytest.mark.parametrize(("schema", "instance"), CASES)
def test_big_integers_agree(schema: dict[str, Any], instance: Any) -> None:
    expected = reference.Draft202012Validator(schema).is_valid(instance)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(instance) is expected
    assert (next(validator.iter_errors(instance), None) is None) is expected


def test_expected_answers() -> None:
    # Python's answers, spelled out.
    assert not jsonschema.Draft202012Validator({"maximum": TWO_70}).is_valid(2**70 + 1)
    assert not jsonschema.Draft202012Validator({"const": TWO_70}).is_valid(2**70 + 1)
    assert jsonschema.Draft202012Validator({"const": TWO_70}).is_valid(2**70)


BIG = st.integers(2**63, 2**80) | st.integers(-(2**80), -(2**63) - 1)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "const"]),
    BIG,
    st.integers(-3, 3),
)
def test_generated_bounds_agree(keyword: str, value: int, offset: int) -> None:
    schema = {keyword: float(value)}
    instance = value + offset
    expected = reference.Draft202012Validator(schema).is_valid(instance)
    assert jsonschema.Draft202012Validator(schema).is_valid(instance) is expected
