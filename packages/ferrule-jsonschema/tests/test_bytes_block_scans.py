"""The bytes path's sixteen-byte scans (string runs, whitespace, the ASCII check before UTF-8
validation) against ``json.loads``: each stop byte, escape, whitespace run and non-ASCII or
invalid UTF-8 byte at every offset of two blocks, in keys, values and items, as ``str``,
``bytes``, ``bytearray`` and subclasses (a ``memoryview`` is refused); validity and errors must be
the stdlib's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

V = jsonschema.Draft202012Validator
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Each property reads its value's string, so a wrongly decoded or cut string fails a check.
ESCAPES = ["\\n", '\\"', "\\\\", "\\/", "\\u003c", "\\u00e9", "\\ud83d\\ude00", "\\u20AC"]
OFFSETS = range(40)


class Str(str):
    pass


class Bytes(bytes):
    pass


def agree(validator: Any, text: str) -> None:
    """``is_valid_json`` of ``text`` in every accepted form equals ``is_valid`` of the
    decoded document; malformed text raises the stdlib's error."""
    try:
        expected: Any = validator.is_valid(json.loads(text))
    except json.JSONDecodeError as e:
        expected = (e.msg, e.pos, e.lineno, e.colno)
    data = text.encode()
    for form in (text, Str(text), data, Bytes(data), bytearray(data)):
        try:
            got: Any = validator.is_valid_json(form)
        except json.JSONDecodeError as e:
            got = (e.msg, e.pos, e.lineno, e.colno)
        assert got == expected, (type(form).__name__, text)


def exact(value: str) -> Any:
    """A schema only ``value`` (as a key and as a string) passes."""
    return {
        "type": "object",
        "properties": {value: {"const": value}},
        "required": [value],
        "additionalProperties": {"type": "array", "items": {"const": value}},
    }


@pytest.mark.parametrize("escape", ESCAPES)
def test_escapes_at_every_offset_of_two_blocks(escape: str) -> None:
    for at in OFFSETS:
        raw = "a" * at + escape + "b" * (at % 7)
        value = json.loads(f'"{raw}"')
        validator = V(exact(value))
        agree(validator, f'{{"{raw}": "{raw}", "list": ["{raw}", "{raw}"]}}')
        # The same key and value cut at the escape differ from the expected string.
        agree(validator, f'{{"{raw}": "{"a" * at}", "list": []}}')
        # A key with an escape matches its property after decoding, not as written.
        assert V(exact(value)).is_valid_json(f'{{"{raw}": "{raw}"}}'.encode())


@pytest.mark.parametrize("stop", ["\x00", "\x1f", "\n", "\t", '"', "\\", "\\x", "\\u12g4"])
def test_stops_and_broken_escapes_at_every_offset(stop: str) -> None:
    validator = V({"type": "array", "items": {"type": "string"}})
    for at in OFFSETS:
        pad = "é" * (at % 3) + "a" * at
        agree(validator, f'["{pad}{stop}", "x"]')
        agree(validator, f'{{"{pad}{stop}": 1}}')
        agree(validator, f'["{pad}\\n{pad}{stop}"]')


def test_whitespace_runs_of_every_length() -> None:
    validator = V({"type": "object", "properties": {"k": {"type": "array"}}})
    for n in range(40):
        for ws in (" ", "\n", "\t", "\r", " \r\n\t"):
            run = (ws * n)[:n]
            agree(validator, f'{run}{{{run}"k"{run}:{run}[{run}1{run},{run}2{run}]{run}}}{run}')
            # A non-whitespace byte right after the run is an error at its position.
            agree(validator, f'{{"k":{run}x}}')
            agree(validator, f'{{"k": [1]}}{run}x')


def test_non_ascii_and_invalid_utf8_at_every_offset() -> None:
    validator = V({"type": "array", "items": {"type": "string", "maxLength": 100}})
    for at in range(80):
        pad = "a" * at
        for char in ("é", "€", "😀"):
            text = f'["{pad}{char}", "{"b" * 40}", "{char}"]'
            agree(validator, text)
        for bad in (b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc3\xa9\xff"):
            data = b'["' + b"a" * at + bad + b'", "' + b"b" * 40 + b'"]'
            with pytest.raises(json.JSONDecodeError) as error:
                validator.is_valid_json(data)
            assert isinstance(error.value, ValueError)
            with pytest.raises(json.JSONDecodeError):
                validator.is_valid_json(bytearray(data))
            # An invalid byte after ASCII blocks and a valid non-ASCII stretch.
            late = "é".encode() * 3 + b'["' + b"a" * at + bad + b'"]'
            with pytest.raises(json.JSONDecodeError):
                validator.is_valid_json(late)


def test_memoryview_is_refused_like_other_non_text() -> None:
    with pytest.raises(TypeError, match="memoryview"):
        V({}).is_valid_json(memoryview(b"[]"))


@pytest.mark.parametrize(
    "document",
    [None, True, False, 0, -1.5, 10**30, "x" * 40, "\u00e9\n" * 20, [], {}, [{"a": [1]}]],
)
def test_documents_of_each_type(document: Any) -> None:
    for schema in ({}, {"type": "string"}, {"type": ["array", "object"]}, {"not": {}}):
        validator = V(schema)
        for text in (json.dumps(document), json.dumps(document, indent=17)):
            agree(validator, text)


@SETTINGS
@given(
    parts=st.lists(
        st.one_of(
            st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=40),
            st.sampled_from(ESCAPES),
        ),
        max_size=8,
    )
)
def test_strings_of_mixed_runs_and_escapes(parts: list[str]) -> None:
    # json.dumps escapes what must be escaped; the raw parts keep multi-byte characters.
    raw = "".join(p if p in ESCAPES else json.dumps(p, ensure_ascii=False)[1:-1] for p in parts)
    value = json.loads(f'"{raw}"')
    agree(V(exact(value)), f'{{"{raw}": "{raw}", "l": ["{raw}"]}}')
