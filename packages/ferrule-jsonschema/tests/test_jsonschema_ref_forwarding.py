"""Nodes that are only a ``$ref`` are passed over by the validity check, against python-jsonschema.

A subschema holding nothing but a ``$ref`` (every property of Swagger's schema object, every
``{"$ref": "#/definitions/..."}`` branch) is entered at the end of its chain of references by
``is_valid``, while ``iter_errors`` walks every step. Each answer is
compared with python-jsonschema's, and ``is_valid`` with ``iter_errors``, on chains of
references, references to boolean and to leaf schemas, references under ``oneOf``/``anyOf``,
``items`` and ``additionalProperties``, draft 4's ``$ref`` beside ignored siblings, and
recursive schemas.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

DEFINITIONS: dict[str, Any] = {
    "int": {"type": "integer"},
    "to_int": {"$ref": "#/definitions/int"},
    "to_to_int": {"$ref": "#/definitions/to_int"},
    "never": False,
    "to_never": {"$ref": "#/definitions/never"},
    "always": True,
    "to_always": {"$ref": "#/definitions/always"},
    "short": {"type": "string", "maxLength": 2},
    "to_short": {"$ref": "#/definitions/short"},
    "node": {
        "type": "object",
        "properties": {
            "v": {"$ref": "#/definitions/to_int"},
            "next": {"$ref": "#/definitions/to_node"},
        },
        "additionalProperties": False,
    },
    "to_node": {"$ref": "#/definitions/node"},
    "either": {"oneOf": [{"$ref": "#/definitions/to_int"}, {"$ref": "#/definitions/to_short"}]},
    "any": {"anyOf": [{"$ref": "#/definitions/to_never"}, {"$ref": "#/definitions/to_to_int"}]},
}

SCHEMAS: list[Any] = [
    {"definitions": DEFINITIONS, "$ref": "#/definitions/to_to_int"},
    {"definitions": DEFINITIONS, "items": {"$ref": "#/definitions/to_to_int"}},
    {"definitions": DEFINITIONS, "items": {"$ref": "#/definitions/to_never"}},
    {"definitions": DEFINITIONS, "items": {"$ref": "#/definitions/to_always"}},
    {"definitions": DEFINITIONS, "additionalProperties": {"$ref": "#/definitions/to_short"}},
    {"definitions": DEFINITIONS, "items": {"$ref": "#/definitions/either"}},
    {"definitions": DEFINITIONS, "items": {"$ref": "#/definitions/any"}},
    {"definitions": DEFINITIONS, "$ref": "#/definitions/to_node"},
    {"definitions": DEFINITIONS, "properties": {"a": {"$ref": "#/definitions/to_node"}}},
    # Draft 4-7: siblings of `$ref` are ignored, so this node is only a reference too.
    {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "definitions": DEFINITIONS,
        "items": {"$ref": "#/definitions/to_int", "maxLength": 0, "minimum": 100},
    },
    {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": DEFINITIONS,
        "properties": {"a": {"$ref": "#/definitions/to_short", "type": "integer"}},
    },
    # 2020-12: siblings apply, so the node is not forwarded and both must hold.
    {
        "$defs": DEFINITIONS,
        "items": {"$ref": "#/$defs/short", "minLength": 1},
    },
    {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"type": "null"}}, "items": {"$ref": "#/$defs/a"}},
]

INSTANCES: list[Any] = [
    1,
    1.0,
    1.5,
    "ab",
    "abc",
    None,
    True,
    [],
    [1, 2],
    [1, "ab"],
    [1, "abc"],
    ["", None],
    [1.5],
    {},
    {"a": 1},
    {"a": "xyz"},
    {"a": "x", "b": "yy"},
    {"v": 1},
    {"v": 1, "next": {"v": 2, "next": {"v": 3}}},
    {"v": 1, "next": {"v": 2, "next": {"v": "3"}}},
    {"v": 1, "next": {"v": 2, "other": 3}},
    {"a": {"v": 1, "next": {"v": 1.5}}},
    {"a": {"v": 1, "next": {"v": 2}}},
]


@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize("instance", INSTANCES)
def test_forwarded_refs_agree(schema: Any, instance: Any) -> None:
    expected = reference.validators.validator_for(schema)(schema).is_valid(instance)
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert validator.is_valid(instance) is expected
    errors = list(validator.iter_errors(instance))
    assert (not errors) is expected


def test_errors_are_python_jsonschemas() -> None:
    schema = {"definitions": DEFINITIONS, "items": {"$ref": "#/definitions/to_to_int"}}
    validator = jsonschema.Draft7Validator(schema)
    assert not validator.is_valid([1, "x"])
    (error,) = validator.iter_errors([1, "x"])
    expected = next(iter(reference.Draft7Validator(schema).iter_errors([1, "x"])))
    assert list(error.schema_path) == list(expected.schema_path)
    assert error.validator == expected.validator == "type"
    assert list(error.path) == [1]


def test_a_reference_loop_is_still_a_recursion_error() -> None:
    schema = {
        "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
        "$ref": "#/definitions/a",
    }
    validator = jsonschema.Draft7Validator(schema)
    with pytest.raises(jsonschema.exceptions.ValidationError):
        validator.validate(1)
    assert not validator.is_valid(1)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["v", "next", "a", "b"]), inner, max_size=3)
        ),
        max_leaves=8,
    ),
    st.sampled_from(SCHEMAS),
)
def test_forwarded_refs_on_generated_instances(instance: Any, schema: Any) -> None:
    expected = reference.validators.validator_for(schema)(schema).is_valid(instance)
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert validator.is_valid(instance) is expected
    assert (next(validator.iter_errors(instance), None) is None) is expected


# A `false` met directly drops, in python-jsonschema, the member or item that led to it from
# the error's paths; one met through `$ref` keeps it (the reference's own step adds it back).
FALSE_BY_REF: list[tuple[Any, Any]] = [
    ({"$defs": {"f": False}, "properties": {"a": {"$ref": "#/$defs/f"}}}, {"a": 1}),
    ({"$defs": {"f": False}, "properties": {"a": False}}, {"a": 1}),
    ({"$defs": {"f": False}, "additionalProperties": {"$ref": "#/$defs/f"}}, {"a": None}),
    ({"$defs": {"f": False}, "patternProperties": {"^a": {"$ref": "#/$defs/f"}}}, {"ab": 1}),
    ({"$defs": {"f": False}, "items": {"$ref": "#/$defs/f"}}, [1, 2]),
    ({"$defs": {"f": False}, "prefixItems": [{"$ref": "#/$defs/f"}]}, [1]),
    ({"$defs": {"f": False}, "dependentSchemas": {"a": {"$ref": "#/$defs/f"}}}, {"a": 1}),
    ({"$defs": {"f": False, "g": {"$ref": "#/$defs/f"}}, "items": {"$ref": "#/$defs/g"}}, [1]),
    ({"$defs": {"f": False}, "anyOf": [{"$ref": "#/$defs/f"}, {"type": "string"}]}, 1),
    (
        {"$defs": {"f": False}, "properties": {"a": {"anyOf": [{"$ref": "#/$defs/f"}, False]}}},
        {"a": 1},
    ),
    (
        {
            "$defs": {"q": {"properties": {"a": False}}},
            "properties": {"a": {"$ref": "#/$defs/q/properties/a"}},
        },
        {"a": 1},
    ),
    (
        {
            "definitions": {"f": False},
            "$schema": "http://json-schema.org/draft-07/schema#",
            "properties": {"a": {"$ref": "#/definitions/f", "type": "integer"}},
        },
        {"a": 1},
    ),
]


def _paths(errors: Any) -> list[Any]:
    return sorted(
        (
            e.message,
            list(e.path),
            list(e.schema_path),
            e.validator,
            [(c.message, list(c.path), list(c.schema_path)) for c in e.context],
        )
        for e in errors
    )


@pytest.mark.parametrize(("schema", "instance"), FALSE_BY_REF)
def test_false_schema_paths_through_a_reference(schema: Any, instance: Any) -> None:
    ours = jsonschema.validators.validator_for(schema)(schema)
    theirs = reference.validators.validator_for(schema)(schema)
    assert _paths(ours.iter_errors(instance)) == _paths(theirs.iter_errors(instance))
    assert not ours.is_valid(instance)
