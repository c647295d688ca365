"""``oneOf`` branches skipped by a property they require, against python-jsonschema.

When only validity is asked, a ``oneOf`` without a discriminator looks up, per branch, one
property the branch requires and some other branch does not: an object without it fails that
branch's ``required``, so the branch is not evaluated. Compared with python-jsonschema on
overlapping branches (an object matching two), branches reached through ``$ref``, branches that
require nothing, every branch requiring the same name, and non-object instances.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

REFERENCE = {
    "type": "object",
    "required": ["$ref"],
    "properties": {"$ref": {"type": "string"}},
    "additionalProperties": False,
}
RESPONSE = {
    "type": "object",
    "required": ["description"],
    "properties": {"description": {"type": "string"}, "schema": {}},
    "additionalProperties": False,
}

SCHEMAS: list[Any] = [
    {
        "definitions": {"r": REFERENCE, "s": RESPONSE},
        "oneOf": [{"$ref": "#/definitions/s"}, {"$ref": "#/definitions/r"}],
    },
    # Overlapping: an object with both a and b matches both branches.
    {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"oneOf": [{"required": ["a", "c"]}, {"required": ["c", "b"]}, {"minProperties": 2}]},
    # Every branch requires "a": nothing to prune by.
    {"oneOf": [{"required": ["a"], "maxProperties": 1}, {"required": ["a"], "minProperties": 2}]},
    {"oneOf": [{"required": ["a"]}, {"type": "integer"}, {"type": "array"}]},
    {"oneOf": [{"required": ["a"]}, True]},
    {"oneOf": [{"required": ["a"], "properties": {"a": {"type": "integer"}}}, {"required": ["b"]}]},
]

INSTANCES: list[Any] = [
    {},
    {"a": 1},
    {"b": 1},
    {"a": 1, "b": 2},
    {"a": "x", "b": 2},
    {"a": 1, "c": 2},
    {"c": 1, "b": 2},
    {"a": 1, "b": 2, "c": 3},
    {"$ref": "#/x"},
    {"$ref": 1},
    {"description": "ok"},
    {"description": "ok", "$ref": "#/x"},
    1,
    "a",
    [1],
    None,
]


@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize("instance", INSTANCES)
def test_one_of_required_agrees(schema: Any, instance: Any) -> None:
    expected = reference.Draft7Validator(schema).is_valid(instance)
    validator = jsonschema.Draft7Validator(schema)
    assert validator.is_valid(instance) is expected
    assert (next(validator.iter_errors(instance), None) is None) is expected


def test_overlapping_branches() -> None:
    validator = jsonschema.Draft7Validator(SCHEMAS[1])
    assert validator.is_valid({"a": 1})
    assert not validator.is_valid({"a": 1, "b": 2})
    assert not validator.is_valid({})


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "$ref", "description"]),
        st.none() | st.integers(0, 2) | st.text(max_size=2),
        max_size=4,
    ),
    st.sampled_from(SCHEMAS),
)
def test_generated_objects_agree(instance: dict[str, Any], schema: Any) -> None:
    expected = reference.Draft7Validator(schema).is_valid(instance)
    assert jsonschema.Draft7Validator(schema).is_valid(instance) is expected
