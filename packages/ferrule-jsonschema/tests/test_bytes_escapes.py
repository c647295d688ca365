"""The escape decoder of the bytes path against ``json.loads``: strings made of every escape
form (short escapes, ``\\u`` in both cases, surrogate pairs, lone surrogates) between raw runs,
decoded to the same string; broken escapes at every position, rejected with the stdlib's
error; and the interpreter threshold (text above and below it gives the same answers)."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

V = jsonschema.Draft202012Validator
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SHORT = ['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]
RAW = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc"], exclude_characters='"\\'), max_size=20
)


@st.composite
def escape(draw: Any) -> str:
    """One escape in any of its forms."""
    kind = draw(st.sampled_from(["short", "unit", "pair", "high", "low"]))
    hex4 = "{:04x}" if draw(st.booleans()) else "{:04X}"
    if kind == "short":
        return str(draw(st.sampled_from(SHORT)))
    if kind == "unit":
        code = draw(st.integers(0, 0xFFFF).filter(lambda c: not 0xD800 <= c < 0xE000))
        return "\\u" + hex4.format(code)
    high = draw(st.integers(0xD800, 0xDBFF))
    low = draw(st.integers(0xDC00, 0xDFFF))
    if kind == "pair":
        return "\\u" + hex4.format(high) + "\\u" + hex4.format(low)
    return "\\u" + hex4.format(high if kind == "high" else low)


@st.composite
def escaped_string(draw: Any) -> str:
    """A JSON string literal: raw runs (multi-byte UTF-8 included) between escapes."""
    parts = draw(st.lists(st.tuples(RAW, escape()), max_size=12))
    return '"' + "".join(raw + esc for raw, esc in parts) + draw(RAW) + '"'


def without_lone_surrogates(value: str) -> str:
    """The documented difference: a lone surrogate decodes to U+FFFD (a Rust string cannot
    hold one; Python keeps it)."""
    return re.sub("[\ud800-\udfff]", "\ufffd", value)


@SETTINGS
@given(literal=escaped_string(), as_bytes=st.booleans(), in_object=st.booleans())
def test_escaped_strings_decode_as_json_loads(
    literal: str, as_bytes: bool, in_object: bool
) -> None:
    # The key may decode to "k": the later member then wins, whose value is the same string.
    text = f'{{{literal}: 1, "k": {literal}}}' if in_object else literal
    expected = without_lone_surrogates(json.loads(literal))
    data: str | bytes = text.encode() if as_bytes else text
    if in_object:
        schema: dict[str, Any] = {"properties": {"k": {"const": expected}}, "required": [expected]}
        assert V(schema).is_valid_json(data)
        (error,) = V({"properties": {"k": {"type": "integer"}}}).iter_errors_json(data)
        assert error.instance == expected
        return
    assert V({"const": expected}).is_valid_json(data)
    assert V({"maxLength": len(expected)}).is_valid_json(data)
    assert not V({"minLength": len(expected) + 1}).is_valid_json(data)
    (error,) = V({"type": "integer"}).iter_errors_json(data)
    assert error.instance == expected


BROKEN = ["\\", "\\x", "\\u", "\\u1", "\\u12", "\\u123", "\\u12g4", "\\U0041", "\\ud800\\u", "\\'"]


@SETTINGS
@given(
    literal=escaped_string(),
    at=st.integers(min_value=0),
    bad=st.sampled_from([*BROKEN, "\x01", "\n", '"', ""]),
    as_bytes=st.booleans(),
)
def test_broken_escapes_fail_like_the_stdlib(
    literal: str, at: int, bad: str, as_bytes: bool
) -> None:
    at = at % (len(literal) + 1)
    text = "[" + literal[:at] + bad + literal[at:] + "]"
    for candidate in (text, text[: len(text) - 2], text[: len(text) - 1]):
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError as e:
            expected = (e.msg, e.pos, e.lineno, e.colno)
        else:
            assert V({}).is_valid_json(candidate)
            (error,) = V({"not": {}}).iter_errors_json(candidate)
            assert error.instance == [without_lone_surrogates(s) for s in value]
            continue
        data: str | bytes = candidate.encode() if as_bytes else candidate
        with pytest.raises(jsonschema.JSONDecodeError) as ours:
            V({}).is_valid_json(data)
        assert (ours.value.msg, ours.value.pos, ours.value.lineno, ours.value.colno) == expected


# The binding holds the interpreter for text of at most 16 KiB and releases it above.
THRESHOLD = 16 * 1024


@pytest.mark.parametrize("size", [THRESHOLD - 1, THRESHOLD, THRESHOLD + 1, 4 * THRESHOLD])
@pytest.mark.parametrize("as_bytes", [True, False])
def test_text_around_the_threshold_answers_the_same(size: int, as_bytes: bool) -> None:
    schema = {"items": {"type": "string", "maxLength": 2}}
    for last, valid in (('"ab"', True), ('"abc"', False), ("1", False)):
        head = '["\\u00e9\\n", '
        padding = size - len(head) - len(last) - 1
        text = head + '"x", ' * (padding // 5) + " " * (padding % 5) + last + "]"
        assert len(text) == size
        data: str | bytes = text.encode() if as_bytes else text
        v = V(schema)
        assert v.is_valid_json(data) is valid
        assert v.is_valid(json.loads(text)) is valid
        errors = [(e.message, list(e.path)) for e in v.iter_errors_json(data)]
        assert errors == [(e.message, list(e.path)) for e in v.iter_errors(json.loads(text))]
        assert v.evaluate_json(data, output="flag") == {"valid": valid}
        broken = data[:-1]
        with pytest.raises(jsonschema.JSONDecodeError) as ours:
            v.is_valid_json(broken)
        with pytest.raises(json.JSONDecodeError) as stdlib:
            json.loads(broken)
        assert ours.value.pos == stdlib.value.pos


def test_large_text_releases_the_interpreter() -> None:
    # While one thread validates a 64 MiB document, another thread keeps running Python code.
    data = b"[" + b'"abcdefgh\\n", ' * (5 << 20) + b"1]"
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        before = ticks
        assert V({"items": {"type": ["string", "integer"]}}).is_valid_json(data)
        during = ticks - before
    finally:
        done.set()
        counter.join()
    assert during > 1000
