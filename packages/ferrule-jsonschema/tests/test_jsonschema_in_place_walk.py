"""``is_valid``'s in-place walk (borrowed handles, dict tables read in place) at its edges.

Without a host format checker, ``is_valid`` walks exact ``dict``/``list``/``str``/numbers with
borrowed references and looks keys up in the dict's own table; anything that could run
Python code (a subclass, a non-``str`` key, a split table) makes it give up and walk again
with strong references. Each test compares with python-jsonschema, or checks that Python code
changing the document during the walk ends in an answer or a clean error, never a crash.
"""

from __future__ import annotations

import gc
from collections import OrderedDict
from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

V = jsonschema.Draft202012Validator
R = reference.Draft202012Validator


class S(str):
    pass


class I(int):  # noqa: E742
    pass


class L(list[Any]):
    pass


class D(dict[str, Any]):
    pass


def _agree(schema: dict[str, Any], instance: Any) -> None:
    expected = R(schema).is_valid(instance)
    assert V(schema).is_valid(instance) is expected, (schema, instance)
    assert (not list(V(schema).iter_errors(instance))) is expected


NAMES = ["a", "b", "id", "name", "kind", "x-tag", "é", "spec", "items"]

PERSON: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string", "maxLength": 5},
        "kind": {"enum": ["a", "b", 1]},
        "é": {"type": "string"},
        "items": {"type": "array", "items": {"$ref": "#"}, "uniqueItems": True},
        "spec": {"$ref": "#"},
    },
    "required": ["id"],
    "patternProperties": {"^x-": {"type": "string"}},
}

SCHEMAS: list[dict[str, Any]] = [
    PERSON,
    {**PERSON, "additionalProperties": False},
    {**PERSON, "additionalProperties": {"type": ["integer", "array"]}},
    {
        "type": "object",
        "required": ["id", "name", "é"],
        "dependentRequired": {"name": ["kind"]},
        "propertyNames": {"maxLength": 4},
        "properties": {"spec": {"$ref": "#"}},
    },
    {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"$ref": "#/$defs/p"}],
        "items": {"$ref": "#/$defs/p"},
        "uniqueItems": True,
        "$defs": {"p": PERSON},
    },
]

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
SCALARS = SCALARS | st.text(max_size=4) | st.sampled_from(NAMES)


def _json(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=3), inner, max_size=6)
        ),
        max_leaves=25,
    )


def _subclassed(value: Any, which: int) -> Any:
    """``value`` with its containers and strings turned into subclasses where ``which``'s
    bits say (the walk must give up there and still answer like python-jsonschema)."""
    if isinstance(value, dict):
        members = {k: _subclassed(v, which >> 1) for k, v in value.items()}
        return [D, OrderedDict, dict, dict][which % 4](members)
    if isinstance(value, list):
        items = [_subclassed(v, which >> 2) for v in value]
        return [L, tuple, list, list][which % 4](items)
    if isinstance(value, str) and which % 3 == 0:
        return S(value)
    if isinstance(value, int) and not isinstance(value, bool) and which % 5 == 0:
        return I(value)
    return value


@settings(max_examples=300, deadline=None)
@given(instance=_json(SCALARS), schema=st.sampled_from(SCHEMAS))
def test_hypothesis_exact_documents(instance: Any, schema: dict[str, Any]) -> None:
    _agree(schema, instance)
    _agree(schema, {"id": 1, "spec": instance, "items": [instance, {"id": 2}]})


@settings(max_examples=200, deadline=None)
@given(
    instance=_json(SCALARS),
    which=st.integers(0, 1 << 12),
    schema=st.sampled_from(SCHEMAS),
)
def test_hypothesis_subclasses_anywhere(instance: Any, which: int, schema: dict[str, Any]) -> None:
    document = {"id": 1, "spec": {"id": 2, "spec": instance}, "items": [instance]}
    _agree(schema, _subclassed(document, which))


@pytest.mark.parametrize("size", [1, 5, 8, 9, 200, 300, 5000, 70000])
def test_lookups_in_tables_of_every_index_width(size: int) -> None:
    # 1-, 2- and 4-byte index tables; keys equal to the schema's but not the same objects;
    # deleted members; names present, absent and deleted.
    members = {"".join(["k", str(i)]): i for i in range(size)}
    for i in range(0, size, 7):
        del members[f"k{i}"]
    names = [f"k{i}" for i in (0, 1, 2, 6, 7, size - 1, size, size + 1)]
    for name in names:
        for schema in (
            {"required": [name]},
            {"properties": {name: {"type": "integer", "maximum": 3}}},
            {"properties": {name: {}, "zz": {}}, "required": [name], "maxProperties": 10**6},
        ):
            _agree(schema, members)
            _agree({"properties": {"wrap": schema}}, {"wrap": members, "id": 0})


def test_non_ascii_and_surrogate_names() -> None:
    schema = {
        "required": ["é", "\u20ac", "\U0001f600", "a"],
        "properties": {"é": {"type": "integer"}},
    }
    _agree(schema, {"é": 1, "\u20ac": 2, "\U0001f600": 3, "a": 4})
    _agree(schema, {"é": "x", "\u20ac": 2, "\U0001f600": 3, "a": 4})
    _agree(schema, {"e": 1, "\u20ac": 2, "\U0001f600": 3, "a": 4})
    with pytest.raises(ValueError, match="not valid unicode"):
        V({"items": {"type": "string", "pattern": "^a"}}).is_valid(["a", "\ud800x"])
    with pytest.raises(ValueError, match="not valid unicode"):
        V({"additionalProperties": {"propertyNames": {"pattern": "^a"}}}).is_valid(
            {"a": {"\udc00": 1}}
        )


def test_split_tables_and_general_tables_nested() -> None:
    class Attrs:
        pass

    attrs = Attrs()
    attrs.id = 1  # type: ignore[attr-defined]
    attrs.name = "abc"  # type: ignore[attr-defined]
    for schema in SCHEMAS[:4]:
        _agree(schema, {"id": 0, "spec": attrs.__dict__})
    inner = {"type": "object", "additionalProperties": {"type": "integer"}}
    nested = V({"additionalProperties": inner})
    with pytest.raises(TypeError, match="non-string key"):
        nested.is_valid({"id": {}, "spec": {"a": 1, 2: 3}})
    # A general table met only through lookups: the same answer as the strong walk.
    general: dict[Any, Any] = {"id": 1, 7: "x"}
    assert V({"required": ["id"]}).is_valid({"spec": general, "id": 2}) is True
    assert V({"properties": {"spec": {"required": ["nope"]}}}).is_valid({"spec": general}) is False


DOC: dict[str, Any] = {}


class Evil(str):
    """A key whose comparison (run by a dict lookup of an equal-hashed `str`) empties the
    document being walked."""

    __hash__ = str.__hash__

    def __eq__(self, other: object) -> bool:
        DOC.clear()
        gc.collect()
        return str.__eq__(self, other)


def test_key_comparison_changing_the_document() -> None:
    schema = {
        "type": "object",
        "properties": {
            "spec": {"type": "object", "required": ["name"], "properties": {"name": {}}}
        },
        "additionalProperties": {"type": "array", "items": {"type": "object"}},
    }
    for _ in range(3):
        DOC.clear()
        DOC.update({"spec": {Evil("name"): 1, "b": [2]}, "z": [{"q": 1}] * 50})
        # Python's own error for the dict being walked, not a crash.
        with pytest.raises(RuntimeError, match="changed size during iteration"):
            V(schema).is_valid(DOC)


def test_garbage_collector_state_is_restored() -> None:
    schema = {"properties": {"a": {"type": "string", "pattern": "^x"}}}
    assert gc.isenabled()
    assert V(schema).is_valid({"a": "x", "b": [1, {"c": None}]}) is True
    assert gc.isenabled()
    with pytest.raises(ValueError, match="not valid unicode"):
        V(schema).is_valid({"a": "\ud800"})
    assert gc.isenabled()
    gc.disable()
    try:
        assert V(schema).is_valid({"a": 1}) is False
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_host_format_checker_still_sees_python_objects() -> None:
    seen: list[Any] = []
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("grab")
    def grab(value: Any) -> bool:
        seen.append(value)
        DOC.clear()
        return True

    schema = {"properties": {"a": {"format": "grab"}, "b": {"type": "array"}}}
    DOC.clear()
    DOC.update({"a": S("x"), "b": [1, 2]})
    assert V(schema, format_checker=checker).is_valid(DOC) in {True, False}
    assert seen[:1] == ["x"]
