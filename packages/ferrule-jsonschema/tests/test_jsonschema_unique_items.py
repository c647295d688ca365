"""``uniqueItems`` against python-jsonschema, on what its hashing shortcuts could get wrong.

Items are hashed (strings by their length and at most their first and last 8 bytes, objects by
their members in any order) and compared exactly only within equal hashes; arrays of up to 16
items keep their hashes on the stack. Compared with python-jsonschema: ``1`` vs ``1.0`` vs
``true``, objects with their keys in different orders, arrays of arrays, strings that differ
only in the middle or around the 16-byte boundary, arrays on both sides of 16 items, and
integers against integral floats from 2**53 on (``10**16 == 1e16``), where their values
cannot serve as one hash word.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

SCHEMA = {"uniqueItems": True}

LONG = "x" * 40

ARRAYS: list[Any] = [
    [1, 1.0],
    [1, True],
    [0, False],
    [1.0, True, "1"],
    [None, False, 0, "", [], {}],
    [{"a": 1, "b": 2}, {"b": 2, "a": 1}],
    [{"a": 1, "b": 2}, {"b": 2, "a": 1.0}],
    [{"a": 1, "b": 2}, {"b": 2, "a": True}],
    [{"a": {"x": [1, 2]}}, {"a": {"x": [1, 2.0]}}],
    [{"a": {"x": [1, 2]}}, {"a": {"x": [2, 1]}}],
    [[1, [2]], [1, [2]]],
    [[1, [2]], [1, [3]]],
    [[1, 2], [2, 1]],
    [[], [[]]],
    [LONG + "a" + LONG, LONG + "b" + LONG],
    [LONG + "a" + LONG, LONG + "a" + LONG],
    [{"d": LONG + "a" + LONG}, {"d": LONG + "b" + LONG}],
    [{"d": LONG + "a" + LONG}, {"d": LONG + "a" + LONG}],
    ["a" * 16, "a" * 17],
    ["a" * 15 + "b", "a" * 16],
    ["ab" * 8 + "c", "ab" * 8 + "c"],
    ["é" * 9, "é" * 9],
    ["é" * 9, "é" * 8 + "e"],
    list(range(16)),
    [*range(16), 0],
    list(range(17)),
    [*range(40), 39.0],
    [{"n": i} for i in range(20)],
    [{"n": i} for i in range(20)] + [{"n": 19.0}],
    [str(i) * 20 for i in range(30)],
    [10**16, 1e16],
    [-(10**16), -1e16],
    [2**53, 2.0**53],
    [2**53 + 1, 2.0**53],
    [2**70, float(2**70)],
    [2**70 + 1, float(2**70)],
    [10**16, 10**16 + 1, 1e17],
    [{"a": 10**16}, {"a": 1e16}],
    [[10**16], [1e16]],
    [0, -0.0],
]


@pytest.mark.parametrize("instance", ARRAYS)
def test_unique_items_agree(instance: Any) -> None:
    expected = reference.Draft202012Validator(SCHEMA).is_valid(instance)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert validator.is_valid(instance) is expected
    assert (next(validator.iter_errors(instance), None) is None) is expected


def test_expected_answers() -> None:
    # python-jsonschema's answers, spelled out, so a change in both would still be seen.
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert not validator.is_valid([1, 1.0])
    assert validator.is_valid([1, True])
    assert not validator.is_valid([{"a": 1, "b": 2}, {"b": 2, "a": 1}])
    assert not validator.is_valid([LONG + "a" + LONG, LONG + "a" + LONG])
    assert validator.is_valid([LONG + "a" + LONG, LONG + "b" + LONG])
    assert not validator.is_valid([*range(40), 39.0])
    assert not validator.is_valid([10**16, 1e16])
    assert validator.is_valid([2**53 + 1, 2.0**53])


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([1.0, 2.0, 0.5])
    | st.sampled_from([10**16, 1e16, 2**53, 2.0**53, 2**53 + 1, 2**64, 2.0**64, -(10**16)])
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(JSON, max_size=24))
def test_generated_arrays_agree(instance: list[Any]) -> None:
    expected = reference.Draft202012Validator(SCHEMA).is_valid(instance)
    assert jsonschema.Draft202012Validator(SCHEMA).is_valid(instance) is expected
