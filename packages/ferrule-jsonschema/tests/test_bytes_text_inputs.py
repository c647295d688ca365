"""The argument of the ``*_json`` methods read in place: tiny documents of every JSON type as
``str``, ``bytes``, ``bytearray`` and their subclasses, escaped strings decoded only when a
keyword reads them, the types refused, and the interpreter-release threshold under threads."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

V = jsonschema.Draft202012Validator


class Str(str):
    __slots__ = ()


class Bytes(bytes):
    __slots__ = ()


INPUTS: dict[str, Callable[[str], Any]] = {
    "str": lambda t: t,
    "bytes": str.encode,
    "bytearray": lambda t: bytearray(t.encode()),
    "str subclass": Str,
    "bytes subclass": lambda t: Bytes(t.encode()),
}

TINY = ["null", "true", "false", "0", "-1", "1.5", "1e400", '""', '"a"', '"\\u00e9"', "[]", "{}"]
SCHEMAS: list[Any] = [
    {"type": "null"},
    {"type": "boolean"},
    {"type": "integer"},
    {"type": "number", "maximum": 1},
    {"type": "string", "maxLength": 0},
    {"type": "array"},
    {"type": "object"},
    {"enum": [None, "é", 0]},
]


@pytest.mark.parametrize("kind", list(INPUTS))
@pytest.mark.parametrize("text", TINY)
def test_tiny_documents_validate_as_their_loaded_value(kind: str, text: str) -> None:
    data = INPUTS[kind](text)
    value = json.loads(text)
    for schema in SCHEMAS:
        v = V(schema)
        assert v.is_valid_json(data) is v.is_valid(value), schema
        errors = [(e.message, e.instance) for e in v.iter_errors_json(data)]
        assert errors == [(e.message, e.instance) for e in v.iter_errors(value)], schema


@pytest.mark.parametrize("kind", list(INPUTS))
@pytest.mark.parametrize("text", ["", "[1,]", '{"a" 1}', '"\\x"', '"\\ud800', "nul", "[1] x"])
def test_malformed_text_fails_at_the_stdlibs_position(kind: str, text: str) -> None:
    with pytest.raises(jsonschema.JSONDecodeError) as ours:
        V({}).is_valid_json(INPUTS[kind](text))
    with pytest.raises(json.JSONDecodeError) as stdlib:
        json.loads(text)
    assert isinstance(ours.value, json.JSONDecodeError)
    assert (ours.value.pos, ours.value.lineno, ours.value.colno) == (
        stdlib.value.pos,
        stdlib.value.lineno,
        stdlib.value.colno,
    )


@pytest.mark.parametrize("at", range(18))
def test_escaped_values_are_decoded_when_a_keyword_reads_them(at: int) -> None:
    # Escapes at every offset of two eight-byte words, read by pattern, maxLength and enum,
    # and unread under a schema with no string keyword.
    pad = "a" * at
    value = pad + 'é<"\n\U0001f600'
    text = json.dumps({"k": value, "n": [value]})
    for schema in [
        {"properties": {"k": {"pattern": '^a*é<"\n\U0001f600$'}}},
        {"properties": {"k": {"maxLength": at + 4}}},
        {"properties": {"k": {"maxLength": at + 3}}},
        {"properties": {"n": {"items": {"enum": [value]}}}},
        {"properties": {"n": {"items": {"const": value + "x"}}}},
        {"properties": {"k": {"type": "string"}}},
    ]:
        v = V(schema)
        assert v.is_valid_json(text) is v.is_valid(json.loads(text)), schema
        assert v.is_valid_json(text.encode()) is v.is_valid(json.loads(text)), schema


def test_an_unread_escaped_string_is_still_checked() -> None:
    for broken in ['{"k": "a\\q"}', '{"k": "\\u12g4"}', '{"k": "a\\u12"}']:
        with pytest.raises(jsonschema.JSONDecodeError) as ours:
            V({"properties": {"k": True}}).is_valid_json(broken)
        with pytest.raises(json.JSONDecodeError) as stdlib:
            json.loads(broken)
        assert ours.value.pos == stdlib.value.pos


def test_lone_surrogate_escapes_are_accepted_unread() -> None:
    # Python's json accepts them; unread they cost nothing, read they are U+FFFD (documented).
    text = '{"k": "\\ud800", "j": "\\udc00x"}'
    assert V({"properties": {"k": {"type": "string"}}}).is_valid_json(text)
    assert V({"properties": {"k": {"const": "\ufffd"}}}).is_valid_json(text)


@pytest.mark.parametrize("data", [memoryview(b"[]"), 1, None, ["[]"]])
def test_other_types_are_a_type_error(data: Any) -> None:
    with pytest.raises(TypeError, match="JSON text must be str, bytes or bytearray"):
        V({}).is_valid_json(data)


def test_a_str_with_a_lone_surrogate_is_an_error_not_a_crash() -> None:
    with pytest.raises(UnicodeEncodeError):
        V({}).is_valid_json('"\ud800"')


# The binding holds the interpreter for text of at most 16 KiB and releases it above.
THRESHOLD = 16 * 1024


def _document(size: int, last: str) -> str:
    head = '["\\u00e9\\n", '
    padding = size - len(head) - len(last) - 1
    text = head + '"x", ' * (padding // 5) + " " * (padding % 5) + last + "]"
    assert len(text) == size
    return text


def test_threads_around_the_threshold_answer_alone() -> None:
    # Texts just below, at and above the threshold validated from eight threads at once (some
    # holding the interpreter, some releasing it) get the answers they get one at a time.
    v = V({"items": {"type": "string", "maxLength": 2}})
    jobs = []
    for size in (THRESHOLD - 1, THRESHOLD, THRESHOLD + 1, 3 * THRESHOLD):
        for last, valid in (('"ab"', True), ('"abc"', False)):
            text = _document(size, last)
            jobs += [(text, valid), (text.encode(), valid), (bytearray(text.encode()), valid)]
    with ThreadPoolExecutor(8) as pool:
        for _ in range(5):
            answers = list(pool.map(lambda job: v.is_valid_json(job[0]), jobs))
            assert answers == [valid for _, valid in jobs]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=12,
)
TEXT_SCHEMAS: list[Any] = [
    {"type": "object", "properties": {"a": {"type": "string", "maxLength": 3}}, "required": ["a"]},
    {"items": {"type": ["integer", "string"]}, "maxItems": 3},
    {"additionalProperties": {"type": "array"}, "propertyNames": {"maxLength": 1}},
    {"type": "string", "minLength": 2},
]


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES, ascii_only=st.booleans())
def test_ascii_and_other_str_read_as_their_utf8(value: Any, ascii_only: bool) -> None:
    # An ASCII `str` is read in place, any other through its UTF-8: both, and the same text
    # as bytes, answer as the loaded value does under python-jsonschema.
    import jsonschema as reference

    text = json.dumps(value, ensure_ascii=ascii_only)
    for schema in TEXT_SCHEMAS:
        expected = reference.Draft202012Validator(schema).is_valid(value)
        v = V(schema)
        assert v.is_valid_json(text) is expected, (schema, text)
        assert v.is_valid_json(text.encode()) is expected, (schema, text)
        assert v.is_valid_json(Str(text)) is expected, (schema, text)
        with pytest.raises(jsonschema.ValidationError) if not expected else nullcontext():
            v.validate_json(text)
