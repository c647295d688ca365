"""Numbers and string lengths read in place, and paired numeric bounds, against
python-jsonschema.

A ``float``'s value, a one-digit ``int``'s value (``|n| < 2**30``) and a compact ``str``'s
length are read from the objects where the limited API would make a call; larger ints, ``int``
and ``float`` subclasses and ``str`` subclasses take the call. A node with one lower and one
upper bound checks both in its lower bound when only validity is asked. Each answer is
compared with python-jsonschema's, around the digit boundaries and both limits.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema


class MyInt(int):
    pass


class MyFloat(float):
    pass


class MyStr(str):
    pass


# Around one 30-bit digit, two digits and the i64 range, both signs.
EDGES = [0, 1, 2**29, 2**30 - 1, 2**30, 2**31, 2**60, 2**63 - 1, 2**63, 2**64, 2**90]
INTS = st.one_of(
    st.sampled_from([s * e + d for e in EDGES for s in (1, -1) for d in (-1, 0, 1)]),
    st.integers(),
)
NUMBERS = st.one_of(
    INTS,
    INTS.map(MyInt),
    st.floats(allow_nan=False),
    st.floats(allow_nan=False).map(MyFloat),
    st.booleans(),
)
LIMITS = st.one_of(
    st.sampled_from([s * e for e in EDGES for s in (1, -1)]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)

LOWER = ["minimum", "exclusiveMinimum"]
UPPER = ["maximum", "exclusiveMaximum"]


@settings(max_examples=300, deadline=None)
@given(
    lower=st.sampled_from(LOWER),
    upper=st.sampled_from(UPPER),
    low=LIMITS,
    high=LIMITS,
    instance=NUMBERS,
)
def test_paired_bounds_match_python_jsonschema(
    lower: str, upper: str, low: Any, high: Any, instance: Any
) -> None:
    schema = {lower: low, upper: high}
    ours = jsonschema.Draft202012Validator(schema)
    theirs = reference.Draft202012Validator(schema)
    assert ours.is_valid(instance) == theirs.is_valid(instance)
    assert [e.validator for e in ours.iter_errors(instance)] == [
        e.validator for e in theirs.iter_errors(instance)
    ]


@pytest.mark.parametrize("exclusive", [None, "exclusiveMinimum", "exclusiveMaximum"])
@pytest.mark.parametrize("instance", [0, 1, 2, 5, 9, 10, 11, 1.5, 10.0, 2**40, -(2**40)])
def test_draft4_paired_bounds(exclusive: str | None, instance: Any) -> None:
    schema: dict[str, Any] = {"minimum": 1, "maximum": 10}
    if exclusive:
        schema[exclusive] = True
    ours = jsonschema.Draft4Validator(schema)
    theirs = reference.Draft4Validator(schema)
    assert ours.is_valid(instance) == theirs.is_valid(instance)


@settings(max_examples=200, deadline=None)
@given(
    instance=st.one_of(
        st.text(max_size=12),
        st.text(max_size=12).map(MyStr),
        st.sampled_from(["", "é", "日本語", "\U0001f600\U0001f600", "ab\x00", "x" * 300]),
    ),
    low=st.integers(0, 6),
    high=st.integers(0, 8),
)
def test_string_lengths_match_python_jsonschema(instance: str, low: int, high: int) -> None:
    schema = {"minLength": low, "maxLength": high}
    ours = jsonschema.Draft202012Validator(schema)
    theirs = reference.Draft202012Validator(schema)
    assert ours.is_valid(instance) == theirs.is_valid(instance)
    assert ours.is_valid({"s": instance, "t": [instance]}) == theirs.is_valid(
        {"s": instance, "t": [instance]}
    )


@settings(max_examples=200, deadline=None)
@given(
    instance=st.dictionaries(
        st.sampled_from(["a", "b", "x-1", "x-b", "zz", "é"]),
        st.one_of(NUMBERS, st.text(max_size=3)),
        max_size=5,
    ),
    patterns=st.booleans(),
    additional=st.sampled_from([False, {"type": "integer", "minimum": 0, "maximum": 9}]),
)
def test_additional_properties_in_the_member_pass(
    instance: dict[str, Any], patterns: bool, additional: Any
) -> None:
    # Listed members skip additionalProperties' patterns; unlisted ones are matched against
    # them (with or without a patternProperties keyword checked in the same pass).
    schema: dict[str, Any] = {
        "properties": {"a": {"type": "number", "exclusiveMinimum": -1, "maximum": 2**31}},
        "additionalProperties": additional,
    }
    if patterns:
        schema["patternProperties"] = {"^x-": {"type": "string"}, "b$": {"minimum": 1}}
    ours = jsonschema.Draft202012Validator(schema)
    theirs = reference.Draft202012Validator(schema)
    assert ours.is_valid(instance) == theirs.is_valid(instance)
    assert sorted(list(e.path) for e in ours.iter_errors(instance)) == sorted(
        list(e.path) for e in theirs.iter_errors(instance)
    )
