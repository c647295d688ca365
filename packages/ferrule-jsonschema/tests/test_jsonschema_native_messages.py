"""Messages are rendered in Rust with Python ``repr``s: each kind, and strings whose repr is not
the plain quoted text (quotes, backslashes, non-ASCII, control characters), against
python-jsonschema's first error."""

from __future__ import annotations

from typing import Any

import jsonschema as upstream
import pytest

import ferrule.jsonschema as jsonschema

AWKWARD = ["it's", 'say "hi"', "back\\slash", "tab\there", "caf\u00e9", "\u2603", "\x00", ""]

CASES: list[tuple[Any, Any]] = [
    *[({"type": "integer"}, s) for s in AWKWARD],
    *[({"required": [s]}, {}) for s in AWKWARD],
    *[({"additionalProperties": False}, {s: 1}) for s in AWKWARD],
    *[({"enum": [s, 1]}, 2) for s in AWKWARD],
    ({"const": "x'y"}, 1),
    ({"pattern": "^a'"}, "b"),
    ({"minimum": 2.5}, 1),
    ({"exclusiveMaximum": 3}, 3),
    ({"multipleOf": 0.5}, 0.3),
    ({"minLength": 1}, ""),
    ({"maxItems": 0}, [1]),
    ({"minProperties": 2}, {"a": 1}),
    ({"uniqueItems": True}, [1, 1]),
    ({"dependentRequired": {"a": ["b'"]}}, {"a": 1}),
    ({"additionalProperties": False, "patternProperties": {"^x": {}, "^a": {}}}, {"b": 1, "c": 2}),
    ({"prefixItems": [{}], "items": False}, [1, 2, 3]),
    ({"unevaluatedItems": False}, [1, "x"]),
    ({"unevaluatedProperties": False}, {"b": 1, "a": 2}),
    ({"contains": {"type": "string"}}, [1]),
    ({"contains": {"type": "string"}, "minContains": 2}, ["a", 1]),
    ({"contains": {"type": "string"}, "maxContains": 1}, ["a", "b"]),
    ({"oneOf": [{"type": "integer"}, {"minimum": 0}, {"maximum": 5}]}, 1),
    ({"not": {"type": "integer"}}, 1),
    ({"propertyNames": {"maxLength": 1}}, {"ab": 1}),
    ({"format": "ipv4"}, "x"),
]


@pytest.mark.parametrize(("schema", "instance"), CASES)
def test_messages_equal_python_jsonschemas(schema: Any, instance: Any) -> None:
    checker = upstream.Draft202012Validator.FORMAT_CHECKER
    theirs = [
        (e.message, list(e.path), list(e.schema_path), e.validator)
        for e in upstream.Draft202012Validator(schema, format_checker=checker).iter_errors(instance)
    ]
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    ours = [
        (e.message, list(e.path), list(e.schema_path), e.validator)
        for e in validator.iter_errors(instance)
    ]
    assert ours == theirs
    with pytest.raises(jsonschema.ValidationError) as raised:
        validator.validate(instance)
    assert raised.value.message == theirs[0][0]


def test_contains_is_worded_per_draft() -> None:
    error = next(jsonschema.Draft7Validator({"contains": {"type": "string"}}).iter_errors([1]))
    assert error.message == "None of [1] are valid under the given schema"


def test_a_subclass_with_its_own_init_gets_it_called() -> None:
    calls: list[str] = []

    class Mine(jsonschema.ValidationError):
        def __init__(self, message: str, **kwargs: Any) -> None:
            calls.append(message)
            super().__init__(message, **kwargs)

    with pytest.raises(jsonschema.ValidationError) as raised:
        jsonschema.Draft202012Validator({"type": "string"}).validate(3)
    raised.value.__class__ = Mine
    assert raised.value.message == "3 is not of type 'string'"
    assert calls == ["3 is not of type 'string'"]
    assert list(raised.value.path) == []


def test_an_unprintable_instance_repr_is_bounded() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    errors = list(jsonschema.Draft202012Validator({"type": "object"}).iter_errors(deep))
    assert errors[0].message == "<list nested too deeply to show> is not of type 'object'"
