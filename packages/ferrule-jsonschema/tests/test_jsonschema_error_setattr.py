"""Errors made in Rust write their attributes past ``_Error``'s ``tp_setattro`` slot (a
Python-level ``__setattr__`` call per write, since ``_Error`` defines ``__delattr__``), except
for an error class with its own ``__setattr__``, which sees every write as before."""

from __future__ import annotations

from typing import Any

import jsonschema as upstream
import pytest

import ferrule.jsonschema as jsonschema
from ferrule.jsonschema import ValidationError, exceptions

# The benchmark's small invalid instance: the first item fails, five more follow.
FAST_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "array",
    "items": [
        {"type": "number", "exclusiveMaximum": 10},
        {"type": "string", "enum": ["hello", "world"]},
        {"type": "array", "minItems": 1, "maxItems": 3},
        {"type": "object", "required": ["a", "b"], "minProperties": 3},
        {"not": {"type": ["null"]}},
        {"oneOf": [{"type": "number", "multipleOf": 3}, {"type": "number", "multipleOf": 5}]},
    ],
}
FAST_INVALID = [10, "world", [1, "a", True], {"a": "a", "b": "b", "c": "xy"}, "str", 5]
ATTRIBUTES = [
    "message",
    "path",
    "relative_path",
    "absolute_path",
    "schema_path",
    "relative_schema_path",
    "absolute_schema_path",
    "json_path",
    "instance",
    "validator",
    "validator_value",
    "schema",
    "cause",
    "parent",
]


def _raised(schema: Any, instance: Any) -> Any:
    with pytest.raises(ValidationError) as info:
        jsonschema.validators.validator_for(schema)(schema).validate(instance)
    return info.value


def test_the_raising_fast_path_gives_python_jsonschemas_attributes() -> None:
    ours = _raised(FAST_SCHEMA, FAST_INVALID)
    assert exceptions._lazy_of(ours) is not None
    theirs = next(upstream.Draft7Validator(FAST_SCHEMA).iter_errors(FAST_INVALID))
    for name in ATTRIBUTES:
        assert getattr(ours, name) == getattr(theirs, name), name
    assert [c.message for c in ours.context] == [c.message for c in theirs.context]
    assert str(ours) == str(theirs)


def test_iter_errors_attributes_and_parents_are_set() -> None:
    schema = {"anyOf": [{"type": "string"}, {"minimum": 5}]}
    ours = list(jsonschema.Draft202012Validator(schema).iter_errors(3))
    theirs = list(upstream.Draft202012Validator(schema).iter_errors(3))
    assert [e.message for e in ours] == [e.message for e in theirs]
    (error,) = ours
    assert [c.parent is error for c in error.context] == [True, True]
    assert [list(c.absolute_schema_path) for c in error.context] == [
        list(c.absolute_schema_path) for c in theirs[0].context
    ]


RECORDED = [
    "message",
    "path",
    "relative_path",
    "schema_path",
    "relative_schema_path",
    "context",
    "cause",
    "validator",
    "validator_value",
    "instance",
    "schema",
    "parent",
    "_type_checker",
]


def test_an_error_class_with_its_own_setattr_sees_the_writes() -> None:
    writes: list[str] = []

    class Recording(ValidationError):
        def __setattr__(self, name: str, value: Any) -> None:
            writes.append(name)
            super().__setattr__(name, value)

    error = _raised({"anyOf": [{"type": "string"}, {"minimum": 5}]}, 3)
    error.__class__ = Recording
    assert writes == []
    assert error.message == "3 is not valid under any of the given schemas"
    # A class of the user's gets the whole error built on the first read, every attribute
    # written through it; its children are `Recording`s too, made with their `__dict__` and
    # `parent` written through it.
    assert writes.count("__dict__") == 2
    assert [name for name in writes if name != "__dict__"] == RECORDED + ["parent"] * 2
    assert list(error.path) == []
    assert [c.parent is error for c in error.context] == [True, True]
    assert isinstance(error.context[0], Recording)
