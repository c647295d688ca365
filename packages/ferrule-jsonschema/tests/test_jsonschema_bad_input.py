"""Hostile and malformed input: non-JSON Python values, invalid UTF-8, malformed JSON
(positions against the stdlib), deep nesting, ``$ref`` loops, catastrophic regexes, large
strings. None of it may crash, hang or pass silently."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

import ferrule.jsonschema as jsonschema

V = jsonschema.Draft202012Validator


@pytest.mark.parametrize(
    ("instance", "exc"),
    [
        ({1, 2}, TypeError),
        (object(), TypeError),
        ({1: "a"}, TypeError),
        ([{"a": {(1, 2): 3}}], TypeError),
        ({"a": b"bytes"}, TypeError),
        ("\ud800", ValueError),
    ],
)
def test_non_json_values_raise(instance: Any, exc: type[Exception]) -> None:
    # Values are checked where a keyword looks at them (as python-jsonschema only looks there).
    inspect = {"type": ["object", "array", "string"], "pattern": "."}
    v = V({**inspect, "items": {"$ref": "#"}, "additionalProperties": {"$ref": "#"}})
    with pytest.raises(exc):
        v.is_valid(instance)
    with pytest.raises(exc):
        list(v.iter_errors(instance))


def test_non_json_message_names_the_type() -> None:
    with pytest.raises(TypeError, match="'set'"):
        V({"type": "integer"}).is_valid({1})


def test_non_json_schema_raises() -> None:
    with pytest.raises(TypeError):
        V({"enum": [{1, 2}]}).is_valid(1)


def test_nan_and_infinity_are_numbers_as_in_python_jsonschema() -> None:
    v = V({"type": "number", "maximum": 10})
    assert v.is_valid(float("nan"))
    assert not v.is_valid(float("inf"))
    assert v.is_valid_json("NaN")


MALFORMED = [
    "",
    "{",
    '{"a": }',
    "[1, 2",
    '{"a" 1}',
    '"unterminated',
    "[1,]",
    "01",
    "1 2",
    '"\\x"',
    '"tab\there"',
    "tru",
    '{"a": 1}\n\n  x',
    '\n\n   {"é": ]',
    "[" * 10 + "]" * 9,
]


@pytest.mark.parametrize("text", MALFORMED)
@pytest.mark.parametrize("as_bytes", [False, True])
def test_malformed_json_positions_match_the_stdlib(text: str, as_bytes: bool) -> None:
    data: str | bytes = text.encode() if as_bytes else text
    with pytest.raises(json.JSONDecodeError) as stdlib:
        json.loads(data)
    with pytest.raises(jsonschema.JSONDecodeError) as ours:
        V({}).is_valid_json(data)
    with pytest.raises(jsonschema.JSONDecodeError) as ours_errors:
        list(V({}).iter_errors_json(data))
    for e in (ours.value, ours_errors.value):
        assert isinstance(e, json.JSONDecodeError)
        assert (e.msg, e.pos, e.lineno, e.colno) == (
            stdlib.value.msg,
            stdlib.value.pos,
            stdlib.value.lineno,
            stdlib.value.colno,
        )


def test_invalid_utf8_bytes() -> None:
    data = b'["ok", "\xff"]'
    with pytest.raises(jsonschema.JSONDecodeError) as info:
        V({}).is_valid_json(data)
    assert isinstance(info.value, ValueError)
    assert info.value.pos == 8


def test_deeply_nested_python_data() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    recursive = V({"items": {"$ref": "#"}})
    assert not recursive.is_valid(deep)
    errors = list(recursive.iter_errors(deep))
    assert errors
    assert "depth" in errors[0].message
    # A schema that does not recurse looks at the top only.
    assert V({"type": "array"}).is_valid(deep)


def test_deeply_nested_json_text() -> None:
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(jsonschema.JSONDecodeError):
        V({}).is_valid_json(text)


def test_self_referencing_ref_loop() -> None:
    for schema in (
        {"$ref": "#"},
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
    ):
        v = V(schema)
        start = time.monotonic()
        assert not v.is_valid(1)
        assert list(v.iter_errors(1))
        assert time.monotonic() - start < 5


def test_catastrophic_regex_is_linear() -> None:
    v = V({"pattern": "^(a+)+$"})
    start = time.monotonic()
    assert not v.is_valid("a" * 50_000 + "!")
    assert time.monotonic() - start < 5


def test_large_string() -> None:
    big = "x" * 50_000_000
    v = V({"type": "string", "maxLength": 10, "pattern": "^x*$"})
    assert not v.is_valid(big)
    assert V({"pattern": "^x*$"}).is_valid_json(json.dumps(big))
    (error,) = [e for e in v.iter_errors(big) if e.validator == "maxLength"]
    assert error.message.endswith("is too long")


def test_schema_compile_errors() -> None:
    with pytest.raises(jsonschema.exceptions.SchemaCompileError) as info:
        V({"pattern": "("}).is_valid("a")
    assert info.value.kind == "invalid_regex"
    with pytest.raises(jsonschema.exceptions.SchemaCompileError) as ref:
        V({"$ref": "#/nowhere"}).is_valid(1)
    assert ref.value.kind == "unresolvable_ref"


def test_wrong_text_type() -> None:
    with pytest.raises(TypeError, match="str, bytes or bytearray"):
        V({}).is_valid_json(["[]"])  # type: ignore[arg-type]
