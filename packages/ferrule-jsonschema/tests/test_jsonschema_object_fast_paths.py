"""The validity check's one-pass object and leaf-array paths against python-jsonschema.

``properties`` checks its node's ``patternProperties``, ``additionalProperties`` and
``required`` while reading each member once, and ``items`` checks a leaf array schema
(``minItems``/``maxItems``/``items`` only, GeoJSON's positions) in place. Each answer is compared
with python-jsonschema's on the Python types that take other routes: dict and str subclasses,
non-ASCII and surrogate keys, non-``str`` keys, tuples, huge dicts, and a format checker that
changes the dict being validated.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema


class MyDict(dict[str, Any]):
    pass


class MyStr(str):
    pass


class EqStr(str):
    """A str subclass with its own ``__eq__``/``__hash__`` (they must not be trusted)."""

    def __eq__(self, other: object) -> bool:
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        return str.__hash__(self)


SCHEMAS: list[Any] = [
    {
        "properties": {"a": {"type": "integer"}, "x-a": {"minimum": 2}},
        "patternProperties": {"^x-": {"type": "integer"}, "a$": {"maximum": 5}},
    },
    {
        "properties": {"b": {}},
        "patternProperties": {"^x-": {"type": "string"}},
        "additionalProperties": False,
    },
    {
        "properties": {"a": {"type": "integer"}, "é": {"type": "string"}},
        "patternProperties": {"^[^a-z]": {"maxLength": 2}},
        "additionalProperties": {"type": "integer"},
        "required": ["a"],
    },
    {
        "properties": {"a": {}},
        "patternProperties": {"[üÉ日]$": {"type": "integer"}, "^x-": True},
        "additionalProperties": False,
        "required": ["a"],
    },
    {
        "properties": {"a": {"type": "integer"}, "b": {"type": "string"}, "é": {}},
        "additionalProperties": False,
        "required": ["a"],
    },
    {
        "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
        "additionalProperties": {"type": "integer"},
    },
    {
        "type": "object",
        "properties": {"n": {"type": "array", "minItems": 2, "maxItems": 3, "items": {}}},
        "patternProperties": {"^p": {"items": {"minItems": 2, "items": {"type": "number"}}}},
    },
]

INSTANCES: list[Any] = [
    {},
    {"a": 1},
    {"a": "s"},
    {"x-a": 1},
    {"x-a": 3, "a": 7},
    {"x-a": "s"},
    {"b": 1, "x-b": "s"},
    {"b": 1, "z": 1},
    {"a": 1, "é": "s", "É": "xyz"},
    {"a": 1, "É": "xy", "z": 2},
    {"a": 1, "ü": 1},
    {"a": 1, "ü": "s"},
    {"a": 1, "日本": 3},
    {"a": 1, "😀": "xyz"},
    {"a": 1, "b": "s"},
    {"a": 1, "b": "s", "é": None},
    {"a": 1, "b": "s", "c": 2},
    {"a": 1, "b": "s", "c": "t"},
    {"b": "s"},
    {"n": [1, 2]},
    {"n": [1]},
    {"n": (1, 2, 3)},
    {"p": [[1, 2], [3.5, 4]]},
    {"p": [[1, "x"]]},
    {"p": [[1]]},
    {"p": [(1, 2), (3, 4)]},
    {"p": ([1, 2],)},
    {"p": [[True, 2]]},
    {"p": [[2**80, 1.5]]},
    {"p": [None, [1, 2]]},
    MyDict(a=1, b=2),
    MyDict({"x-a": 3, "a": 7}),
    {MyStr("a"): 1, MyStr("x-a"): 3},
    {EqStr("a"): "s"},
    {"a": MyStr("s"), "b": 1},
    {f"k{i}": i for i in range(5000)} | {"a": 1},
    {f"x-{i}": i for i in range(5000)},
    [1, 2],
    "a",
    None,
]


def _plain(value: Any) -> Any:
    # Tuples are arrays here, not in python-jsonschema (DIFFERENCES.md): compare as lists.
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("schema", SCHEMAS, ids=str)
def test_one_pass_agrees_with_python_jsonschema(schema: Any) -> None:
    ours = jsonschema.Draft202012Validator(schema)
    theirs = reference.Draft202012Validator(schema)
    for instance in INSTANCES:
        expected = theirs.is_valid(_plain(instance))
        assert ours.is_valid(instance) == expected, instance
        assert (not list(ours.iter_errors(instance))) == expected, instance


@pytest.mark.parametrize("schema", SCHEMAS, ids=str)
@pytest.mark.parametrize("key", [1, None, (1,), b"a"], ids=repr)
def test_non_str_key_raises(schema: Any, key: Any) -> None:
    # First in the dict: a pass that stops at an invalid member would not reach it later.
    ours = jsonschema.Draft202012Validator(schema)
    with pytest.raises(TypeError, match="non-string key"):
        ours.is_valid({key: 1, "a": 1})


@pytest.mark.parametrize("schema", SCHEMAS, ids=str)
def test_surrogate_key_raises(schema: Any) -> None:
    ours = jsonschema.Draft202012Validator(schema)
    with pytest.raises(ValueError, match="not valid unicode"):
        ours.is_valid({"\ud800": 1, "a": 1})


@pytest.mark.parametrize("action", ["clear", "pop", "add", "replace"])
def test_format_checker_changing_the_dict_being_validated(action: str) -> None:
    # The checker runs while the one pass is reading the dict's members: no crash, a
    # RuntimeError for a dict that changed size (as Python's own iteration raises), or an
    # answer.
    instance: dict[str, Any] = {}

    def mutate(value: object) -> bool:
        if action == "clear":
            instance.clear()
        elif action == "pop":
            if instance:
                instance.popitem()
        elif action == "add":
            instance[f"new{len(instance)}"] = "s" * 10
        elif action == "replace":
            for k in list(instance):
                instance[k] = "replaced"
        return isinstance(value, str)

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("mutate")(mutate)
    schema = {
        "properties": {"a": {"format": "mutate"}, "b": {"type": "string"}},
        "patternProperties": {"^x-": {"format": "mutate"}},
        "additionalProperties": {"type": "string"},
    }
    v = jsonschema.Draft202012Validator(schema, format_checker=checker)
    for _ in range(3):
        instance.clear()
        instance.update({"a": "s", "x-1": "t", "b": "u", "x-2": "v", "c": "w"})
        try:
            result: object = v.is_valid(instance)
        except RuntimeError as e:
            result = str(e)
        assert isinstance(result, bool) or "changed size" in result
        assert isinstance(list(v.iter_errors({"a": "s", "c": 1})), list)


keys = st.one_of(
    st.sampled_from(["a", "b", "x-", "x-a", "é", "É", "ab", "ba", ""]),
    st.text(max_size=4).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)),
)
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    schema_index=st.integers(0, len(SCHEMAS) - 1),
    instance=st.dictionaries(keys, values, max_size=6),
)
def test_differential(schema_index: int, instance: dict[str, Any]) -> None:
    schema = SCHEMAS[schema_index]
    expected = reference.Draft202012Validator(schema).is_valid(instance)
    assert jsonschema.Draft202012Validator(schema).is_valid(instance) == expected
