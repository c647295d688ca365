"""Subschemas whose check of a number is only an ``integer`` type, against python-jsonschema.

``is_valid`` decides ``{"type": "integer"}`` (and ``["integer", "object"]``, with
annotations beside it) on a number where the enclosing keyword meets it, without entering the
subschema. Checked against python-jsonschema: draft 4 (``1.0`` is not an integer) and the
later drafts (it is), booleans, big integers, floats, ``int``/``float`` subclasses, the
other kinds, a ``minimum`` beside the type (the subschema is entered then), as Python objects
and as JSON bytes.
"""

from __future__ import annotations

import json
import math
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


DRAFTS = {
    "http://json-schema.org/draft-04/schema#": reference.Draft4Validator,
    "http://json-schema.org/draft-07/schema#": reference.Draft7Validator,
    "https://json-schema.org/draft/2020-12/schema": reference.Draft202012Validator,
}

LEAVES = [
    {"type": "integer"},
    {"type": "integer", "description": "an id"},
    {"type": ["integer", "object"]},
    {"type": ["integer", "null"]},
    {"type": "integer", "minimum": 2},
]

VALUES: list[Any] = [
    0,
    1,
    -7,
    2**70,
    -(2**70),
    1.0,
    1.5,
    -0.0,
    1e300,
    True,
    False,
    None,
    "1",
    [],
    {},
    MyInt(3),
    MyFloat(2.0),
    MyFloat(2.5),
]


def shapes(leaf: dict[str, Any]) -> list[dict[str, Any]]:
    """The leaf under each keyword that enters subschemas."""
    return [
        {"properties": {"id": leaf}},
        {"items": leaf},
        {"additionalProperties": leaf},
        {"patternProperties": {"^i": leaf}},
        {"allOf": [leaf]},
    ]


def wrap(schema: dict[str, Any], value: Any) -> Any:
    if "items" in schema:
        return [value, value]
    return {"id": value}


@pytest.mark.parametrize("draft", list(DRAFTS))
@pytest.mark.parametrize("leaf", LEAVES)
def test_integer_leaves_agree(draft: str, leaf: dict[str, Any]) -> None:
    for shape in shapes(leaf):
        schema = {"$schema": draft, **shape}
        expected = DRAFTS[draft](schema)
        validator = jsonschema.validators.validator_for(schema)(schema)
        for value in VALUES:
            instance = wrap(shape, value)
            valid = expected.is_valid(instance)
            assert validator.is_valid(instance) is valid, (schema, value)
            assert (next(validator.iter_errors(instance), None) is None) is valid
            if not isinstance(value, float) or math.isfinite(value):
                text = json.dumps(instance).encode()
                assert validator.is_valid_json(text) is valid, (schema, text)


def test_expected_answers() -> None:
    # python-jsonschema's answers, spelled out, so a change in both would still be seen.
    draft4 = jsonschema.Draft4Validator({"items": {"type": "integer"}})
    draft7 = jsonschema.Draft7Validator({"items": {"type": "integer"}})
    assert draft4.is_valid([1, 2**70, MyInt(1)])
    assert not draft4.is_valid([1.0])
    assert draft7.is_valid([1.0, MyFloat(2.0)])
    assert not draft7.is_valid([1.5])
    assert not draft7.is_valid([True])
    assert draft7.is_valid_json(b"[1.0, 100000000000000000000000]")
    assert not draft4.is_valid_json(b"[1.0]")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(list(DRAFTS)),
    st.sampled_from(LEAVES),
    st.lists(
        st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.booleans(),
        max_size=5,
    ),
)
def test_generated_numbers_agree(draft: str, leaf: dict[str, Any], items: list[Any]) -> None:
    schema = {"$schema": draft, "items": leaf}
    valid = DRAFTS[draft](schema).is_valid(items)
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert validator.is_valid(items) is valid
    assert validator.is_valid_json(json.dumps(items).encode()) is valid
