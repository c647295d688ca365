"""Property-name lookups and literal-prefix patterns against python-jsonschema.

``properties`` and ``additionalProperties`` find a member's subschema in a table: up to 8
names are scanned (length first, then at most two word loads per side), more are looked up
by a hash of the name's length and first and last eight bytes, or of the whole name when a
schema's names collide on those. ``patternProperties`` with a literal prefix (``^x-``)
compares it by word loads. Each is checked here on what such shortcuts could get wrong:
names of every length from 0 to 40 differing from a listed name in a single byte, names that
differ only in their middle bytes, non-ASCII names, the empty name, keys that are a prefix
of a listed name or extend one; as Python objects, as JSON bytes, and by ``iter_errors``.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

BASE = [
    "",
    "a",
    "ab",
    "abc",
    "abcd",
    "é",
    "ü-x",
    "maximum",
    "minimum",
    "description",
    "definitions",
    "$ref",
    *["k" * n for n in range(5, 41, 3)],
    # Same length and first and last eight bytes: the full hash takes over.
    *[f"abcdefgh{i:02}stuvwxyz" for i in range(12)],
]


def near_misses(name: str) -> list[str]:
    """Keys one byte away from ``name``, or a prefix or an extension of it."""
    out = [name + "k", name[:-1]]
    for at, char in enumerate(name):
        out.append(name[:at] + ("j" if char != "j" else "i") + name[at + 1 :])
    return out


KEYS = sorted({k for name in BASE for k in near_misses(name)} - set(BASE))


def schemas(names: list[str]) -> list[dict[str, Any]]:
    properties = {name: {"type": "integer"} for name in names}
    return [
        {"properties": properties},
        {"properties": properties, "required": names[:3]},
        {"properties": properties, "additionalProperties": False},
        {"properties": properties, "additionalProperties": {"type": "string"}},
        {
            "properties": properties,
            "patternProperties": {"^x-": {"type": "boolean"}},
            "additionalProperties": False,
        },
    ]


# A few names (scanned) and many (hashed, with and without the full hash).
NAME_SETS = [BASE[:6], BASE[:8], BASE[6:20], BASE]
SCHEMAS = [schema for names in NAME_SETS for schema in schemas(names)]


def instances(names: list[str]) -> list[dict[str, Any]]:
    return [
        dict.fromkeys(names, 1),
        dict.fromkeys(names[:2], "s"),
        *({key: 1} for key in KEYS[::5]),
        *({key: "s"} for key in KEYS[2::11]),
        {"x-a": True, names[-1]: 1},
        {"x-a": 1},
        {"x": True},
        {"x-": True},
        {"y-a": True},
    ]


def check(schema: dict[str, Any], instance: Any) -> None:
    expected = reference.Draft202012Validator(schema)
    validator = jsonschema.Draft202012Validator(schema)
    valid = expected.is_valid(instance)
    assert validator.is_valid(instance) is valid, (schema, instance)
    assert validator.is_valid_json(json.dumps(instance).encode()) is valid, (schema, instance)
    paths = sorted(tuple(e.absolute_path) for e in expected.iter_errors(instance))
    assert sorted(tuple(e.absolute_path) for e in validator.iter_errors(instance)) == paths


@pytest.mark.parametrize("schema", SCHEMAS)
def test_lookups_agree(schema: dict[str, Any]) -> None:
    for instance in instances(list(schema["properties"])):
        check(schema, instance)


def test_expected_answers() -> None:
    # python-jsonschema's answers, spelled out, so a change in both would still be seen.
    validator = jsonschema.Draft202012Validator(schemas(BASE)[2])
    assert validator.is_valid({"abcdefgh03stuvwxyz": 1, "": 2, "é": 3})
    assert not validator.is_valid({"abcdefgh13stuvwxyz": 1})
    assert not validator.is_valid({"abcdefgh03stuvwxyz": "s"})
    assert not validator.is_valid({"maximun": 1})
    assert not validator.is_valid({"e": 1})
    prefixes = jsonschema.Draft202012Validator(
        {"patternProperties": {"^x-": {"type": "integer"}, "^é-long-prefix-over-16": False}}
    )
    assert not prefixes.is_valid({"x-a": "s"})
    assert prefixes.is_valid({"x": "s", "X-a": "s", "-x-": "s", "y-": "s"})
    assert not prefixes.is_valid({"é-long-prefix-over-16 bytes": 1})
    assert prefixes.is_valid({"é-long-prefix-over-1": 1, "e-long-prefix-over-16": 1})


PATTERNS = ["^x-", "^", "^é", "^abcdefgh", "^abcdefghijklmnopq"]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(PATTERNS),
    st.dictionaries(
        st.sampled_from(["x-", "x", "x-y", "é", "éa", "abcdefgh", "abcdefghi", "abcdefghijklmnopq"])
        | st.text(alphabet="abcx-é", max_size=20),
        st.integers(0, 1) | st.text(max_size=2),
        max_size=5,
    ),
)
def test_prefix_patterns_agree(pattern: str, instance: dict[str, Any]) -> None:
    check({"patternProperties": {pattern: {"type": "integer"}}}, instance)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(range(len(NAME_SETS))),
    st.sampled_from(range(5)),
    st.dictionaries(
        st.sampled_from(BASE) | st.sampled_from(KEYS) | st.text(alphabet="abkjé", max_size=18),
        st.integers(0, 1) | st.just("s"),
        max_size=6,
    ),
)
def test_generated_objects_agree(names: int, form: int, instance: dict[str, Any]) -> None:
    check(schemas(NAME_SETS[names])[form], instance)
