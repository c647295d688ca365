"""The bytes path (``is_valid_json``, ``iter_errors_json``, ``validate_json``,
``evaluate_json``) against the object path on ``json.loads`` of the same text: hypothesis-made
JSON text with escapes, repeated keys, big and special numbers and random whitespace, valid
and broken; plus the edge cases of the tape (memory on huge strings, nesting, threads)."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

V = jsonschema.Draft202012Validator

# Keys that need escapes or several UTF-8 bytes, so that schema names meet escaped text.
KEYS = st.sampled_from(["a", "b", "é", "x/y", 'q"', "😀", "\n"])
STRINGS = st.text(alphabet='ab/"\\\n\t\x00é😀\u2028 ', max_size=6)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["-0", "-0.0", "0.0", "1E+2", "2e-3", "1e400", "-1e400", "1.5E308", "10"]),
)


@st.composite
def _string_text(draw: Any, value: str) -> str:
    """`value` as a JSON string, escaped one of three ways."""
    mode = draw(st.sampled_from(["plain", "ascii", "all"]))
    if mode == "all":
        units = value.encode("utf-16-le")
        codes = [int.from_bytes(units[i : i + 2], "little") for i in range(0, len(units), 2)]
        return '"' + "".join(f"\\u{c:04X}" for c in codes) + '"'
    text = json.dumps(value, ensure_ascii=mode == "ascii")
    return text.replace("/", "\\/") if draw(st.booleans()) else text


WS = st.sampled_from(["", "", " ", "\n", "\t ", "\r\n  "])


@st.composite
def json_text(draw: Any, depth: int = 3) -> str:
    """JSON text whose objects may repeat keys (the oracle, ``json.loads``, keeps the first
    position and the last value)."""
    kinds = ["null", "bool", "number", "string"] + (["array", "object"] if depth else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "null":
        return "null"
    if kind == "bool":
        return draw(st.sampled_from(["true", "false"]))
    if kind == "number":
        return str(draw(NUMBERS))
    if kind == "string":
        return str(draw(_string_text(draw(STRINGS))))
    if kind == "array":
        items = draw(st.lists(json_text(depth - 1), max_size=4))
        return "[" + ",".join(draw(WS) + item + draw(WS) for item in items) + "]"
    count = draw(st.integers(min_value=0, max_value=20 if draw(st.booleans()) else 4))
    members = [
        draw(WS)
        + draw(_string_text(draw(KEYS)))
        + draw(WS)
        + ":"
        + draw(WS)
        + draw(json_text(depth - 1))
        + draw(WS)
        for _ in range(count)
    ]
    return "{" + ",".join(members) + "}"


TYPES = st.sampled_from(["null", "boolean", "integer", "number", "string", "array", "object"])
small = st.integers(min_value=0, max_value=4)
leaf_schemas = st.one_of(
    st.fixed_dictionaries({"type": st.one_of(TYPES, st.lists(TYPES, min_size=1, max_size=3))}),
    st.fixed_dictionaries({"maximum": st.sampled_from([0, 10, 1e300, 2**70])}),
    st.fixed_dictionaries({"minimum": st.sampled_from([-1, 0, -(2**70)])}),
    st.fixed_dictionaries({"multipleOf": st.sampled_from([1, 2, 0.5])}),
    st.fixed_dictionaries({"maxLength": small}),
    st.fixed_dictionaries({"minLength": small}),
    st.fixed_dictionaries({"pattern": st.sampled_from(["^a", "é", "[/]", '"', "^$"])}),
    st.fixed_dictionaries({"maxItems": small}),
    st.fixed_dictionaries({"uniqueItems": st.just(True)}),
    st.fixed_dictionaries({"maxProperties": small}),
    st.fixed_dictionaries({"required": st.lists(KEYS, max_size=3, unique=True)}),
    st.fixed_dictionaries({"enum": st.lists(st.one_of(STRINGS, st.integers(-2, 2)), min_size=1)}),
    st.fixed_dictionaries({"const": st.one_of(STRINGS, st.integers(-2, 2), st.none())}),
    st.booleans(),
)
schemas = st.recursive(
    leaf_schemas,
    lambda inner: st.one_of(
        st.fixed_dictionaries({"properties": st.dictionaries(KEYS, inner, max_size=3)}),
        st.fixed_dictionaries(
            {"properties": st.dictionaries(KEYS, inner, max_size=2), "additionalProperties": inner}
        ),
        st.fixed_dictionaries({"patternProperties": st.dictionaries(st.just("^[a-z]"), inner)}),
        st.fixed_dictionaries({"propertyNames": inner}),
        st.fixed_dictionaries({"items": inner}),
        st.fixed_dictionaries({"prefixItems": st.lists(inner, max_size=2), "items": inner}),
        st.fixed_dictionaries({"contains": inner}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"not": inner}),
        st.fixed_dictionaries(
            {"unevaluatedProperties": inner, "allOf": st.lists(inner, min_size=1, max_size=2)}
        ),
    ),
    max_leaves=6,
)


def _summary(error: Any) -> tuple[Any, ...]:
    return (
        error.message,
        error.validator,
        list(error.path),
        list(error.schema_path),
        json.dumps(error.instance, sort_keys=True),
        [_summary(c) for c in error.context],
    )


def _first(validator: Any, method: str, argument: Any) -> Any:
    try:
        getattr(validator, method)(argument)
    except jsonschema.ValidationError as e:
        return _summary(e)
    return None


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(schema=schemas, text=json_text(), as_bytes=st.booleans())
def test_text_validates_as_its_loaded_value(schema: Any, text: str, as_bytes: bool) -> None:
    data: str | bytes = text.encode() if as_bytes else text
    value = json.loads(text)
    v = V(schema)
    assert v.is_valid_json(data) == v.is_valid(value)
    assert [_summary(e) for e in v.iter_errors_json(data)] == [
        _summary(e) for e in v.iter_errors(value)
    ]
    assert _first(v, "validate_json", data) == _first(v, "validate", value)
    assert v.evaluate_json(data, output="basic") == v.evaluate(value, output="basic")
    assert jsonschema.is_valid_json(data, schema) == v.is_valid(value)


@st.composite
def broken_text(draw: Any) -> str:
    """Valid JSON text with one character deleted, inserted or replaced, or cut short."""
    text = str(draw(json_text()))
    at = draw(st.integers(min_value=0, max_value=len(text)))
    edit = draw(st.sampled_from(["delete", "insert", "replace", "cut"]))
    char = draw(st.sampled_from(list('{}[]:,"\\ -0e.1a\x01n')))
    if edit == "delete":
        return text[:at] + text[at + 1 :]
    if edit == "insert":
        return text[:at] + char + text[at:]
    if edit == "replace":
        return text[:at] + char + text[at + 1 :]
    return text[:at]


def _replace_lone_surrogates(value: Any) -> Any:
    """``value`` as the bytes path reads it: a lone surrogate (an edit can leave one, even in
    a key) is U+FFFD there, a documented difference."""
    if isinstance(value, str):
        return re.sub("[\ud800-\udfff]", "\ufffd", value)
    if isinstance(value, list):
        return [_replace_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_lone_surrogates(k): _replace_lone_surrogates(v) for k, v in value.items()}
    return value


@SETTINGS
@given(text=broken_text(), as_bytes=st.booleans())
def test_broken_text_fails_like_the_stdlib(text: str, as_bytes: bool) -> None:
    data: str | bytes = text.encode() if as_bytes else text
    schema = {"items": {"maxLength": 3}, "additionalProperties": {"type": "number"}}
    stdlib: json.JSONDecodeError | None = None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        stdlib = e
    if stdlib is None:
        assert V(schema).is_valid_json(data) == V(schema).is_valid(_replace_lone_surrogates(value))
        return
    with pytest.raises(jsonschema.JSONDecodeError) as ours:
        V(schema).is_valid_json(data)
    with pytest.raises(jsonschema.JSONDecodeError) as ours_errors:
        list(V(schema).iter_errors_json(data))
    expected = (stdlib.msg, stdlib.pos, stdlib.lineno, stdlib.colno)
    for e in (ours.value, ours_errors.value):
        assert (e.msg, e.pos, e.lineno, e.colno) == expected


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ('{"a": "x", "a": 1}', True),
        ('{"a": 1, "a": "x"}', False),
        ('{"a": 1, "b": 2, "a": "x", "a": 3}', True),
    ],
)
def test_repeated_keys_take_the_last_value(text: str, valid: bool) -> None:
    v = V({"properties": {"a": {"type": "integer"}}})
    assert v.is_valid_json(text) is valid
    errors = list(v.iter_errors_json(text))
    assert [(e.instance, list(e.path)) for e in errors] == ([] if valid else [("x", ["a"])])


@pytest.mark.parametrize("size", [3, 40])
def test_repeated_keys_keep_the_first_position(size: int) -> None:
    # The order shows in additionalProperties' message; 40 members take the hashed path.
    members = [f'"k{i}": {i}' for i in range(size)] + ['"k1": "last"', '"k0": "again"']
    text = "{" + ", ".join(members) + "}"
    v = V({"additionalProperties": False, "properties": {"k2": {}}})
    (ours,) = v.iter_errors_json(text)
    (expected,) = v.iter_errors(json.loads(text))
    assert ours.message == expected.message
    assert ours.instance == expected.instance == json.loads(text)
    assert list(ours.instance) == list(json.loads(text))
    assert V({"maxProperties": size}).is_valid_json(text)
    assert not V({"maxProperties": size - 1}).is_valid_json(text)


@pytest.mark.parametrize(
    ("text", "schema", "valid"),
    [
        ("123456789012345678901234567890", {"type": "integer", "minimum": 2**64}, True),
        ("-123456789012345678901234567890", {"maximum": -(2**64)}, True),
        ("123456789012345678901234567890", {"maximum": 2**64}, False),
        ("-0", {"type": "integer", "const": 0}, True),
        ("-0.0", {"type": "integer", "const": 0}, True),
        ("1e400", {"type": "number", "maximum": 1e308}, False),
        ("1e400", {"type": "integer"}, False),
        ("-Infinity", {"minimum": -1e308}, False),
        ("NaN", {"type": "number", "maximum": 10}, True),
        ("1.0", {"type": "integer"}, True),
        ("9223372036854775808", {"const": 9223372036854775808}, True),
        ("-9223372036854775809", {"const": -9223372036854775809}, True),
    ],
)
def test_numbers_as_json_loads_reads_them(text: str, schema: Any, valid: bool) -> None:
    v = V(schema)
    assert v.is_valid_json(text) is valid
    assert v.is_valid(json.loads(text)) is valid


def test_error_instances_are_the_loaded_values() -> None:
    numbers = "[1, 2.5, 123456789012345678901234567890, -0.0, 1e400]"
    text = '{"n": ' + numbers + ', "s": "\\u00e9\\ud83d\\ude00"}'
    v = V({"properties": {"n": {"type": "string"}, "s": {"type": "number"}}})
    errors = {e.path[0]: e.instance for e in v.iter_errors_json(text)}
    assert errors["n"] == [1, 2.5, 123456789012345678901234567890, -0.0, math.inf]
    assert [type(x) for x in errors["n"]] == [int, float, int, float, float]
    assert math.copysign(1, errors["n"][3]) == -1
    assert errors["s"] == "é😀"


def test_deep_nesting_is_a_decode_error() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000):
        with pytest.raises(jsonschema.JSONDecodeError):
            V({}).is_valid_json(text)
    fine = '{"a":[' * 500 + "1" + "]}" * 500
    assert V({}).is_valid_json(fine)


def test_invalid_utf8_in_a_key() -> None:
    with pytest.raises(jsonschema.JSONDecodeError) as info:
        V({}).is_valid_json(b'{"ok": 1, "\xc3": 2}')
    assert info.value.pos == 11


def test_threads_validate_independently() -> None:
    # Each thread reuses its own tape buffers: large and small documents interleaved.
    v = V({"items": {"properties": {"a": {"type": "integer"}}}})
    texts = [json.dumps([{"a": i if i % 3 else str(i)}] * (1 + i % 50)) for i in range(200)]
    expected = [v.is_valid(json.loads(t)) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(v.is_valid_json, texts)) == expected


def test_huge_string_is_not_copied() -> None:
    # A 128 MiB string is validated in place: the process grows by much less than the input
    # (it used to copy the string into a tree). In a fresh process, so that the peak is its own.
    code = textwrap.dedent(
        """
        import resource
        import ferrule.jsonschema as js

        v = js.Draft202012Validator({"type": "string", "maxLength": 10})
        data = b'"' + b"a" * (128 << 20) + b'"'
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert not v.is_valid_json(data)
        assert v.is_valid_json(b'"short"')
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    grown_kib = int(out.stdout)
    assert grown_kib < 32 << 10, f"grew by {grown_kib} KiB for a 128 MiB string"
