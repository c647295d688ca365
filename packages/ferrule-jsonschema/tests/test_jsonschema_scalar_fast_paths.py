"""Borrowed string views, the exact-``int`` integer check and ``uniqueItems`` on short arrays,
against python-jsonschema.

Dict keys and string values are read as views of the string object's UTF-8 (no copy),
``{"type": "integer"}`` accepts an exact ``int`` without reading its value, and
``uniqueItems`` answers arrays of fewer than two items without hashing them. Each answer is
compared with python-jsonschema's on the values that take the other routes: ``str`` and ``int``
subclasses, ``bool`` (not an integer), big and negative integers, integral floats (an integer
from draft 6 on, not in draft 4), non-ASCII and surrogate strings.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema


class MyInt(int):
    pass


class MyFloat(float):
    pass


class MyStr(str):
    pass


DRAFTS = [
    (jsonschema.Draft4Validator, reference.Draft4Validator),
    (jsonschema.Draft7Validator, reference.Draft7Validator),
    (jsonschema.Draft202012Validator, reference.Draft202012Validator),
]

NUMBERS: list[Any] = [
    0,
    -1,
    2**63,
    -(2**80),
    True,
    False,
    1.0,
    1.5,
    -0.0,
    float("inf"),
    MyInt(3),
    MyInt(-(2**70)),
    MyFloat(2.0),
    MyFloat(2.5),
    "1",
    None,
]


@pytest.mark.parametrize(("ours", "theirs"), DRAFTS)
@pytest.mark.parametrize("instance", NUMBERS, ids=repr)
@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer"},
        {"type": ["integer", "string"]},
        {"type": ["integer", "null"], "minimum": 0},
        {"items": {"type": "integer"}},
    ],
    ids=repr,
)
def test_integer_type_matches_python_jsonschema(
    ours: Any, theirs: Any, instance: Any, schema: dict[str, Any]
) -> None:
    if "items" in schema:
        instance = [1, instance, MyInt(2)]
    assert ours(schema).is_valid(instance) == theirs(schema).is_valid(instance)


UNIQUE: list[Any] = [
    [],
    [1],
    [{"a": 1}],
    [[1, 2]],
    (1,),
    [1, 1],
    [1, 1.0],
    [1, True],
    [{"a": 1}, {"a": 1}],
    [{"a": 1, "b": 2}, {"b": 2, "a": 1}],
    ["x", MyStr("x")],
    ["é", "é"],
    "not an array",
]


@pytest.mark.parametrize("instance", UNIQUE, ids=repr)
def test_unique_items_short_arrays(instance: Any) -> None:
    schema = {"uniqueItems": True}
    valid = reference.Draft202012Validator(schema).is_valid(instance)
    assert jsonschema.Draft202012Validator(schema).is_valid(instance) == valid


def test_unique_items_single_item_is_not_read() -> None:
    # One item is unique whatever it is: its members are never hashed or compared (python-
    # jsonschema answers the same without looking at them).
    instance = [{"a": {1, 2}}]
    assert reference.Draft202012Validator({"uniqueItems": True}).is_valid(instance)
    assert jsonschema.Draft202012Validator({"uniqueItems": True}).is_valid(instance)


KEYS = st.one_of(
    st.text(max_size=6),
    st.text(max_size=6).map(MyStr),
    st.sampled_from(["a", "é", "日本", "\U0001f600", "a\x00b"]),
)


@settings(max_examples=150, deadline=None)
@given(
    instance=st.dictionaries(
        KEYS,
        st.one_of(st.integers(), st.text(max_size=4), st.text(max_size=4).map(MyStr)),
        max_size=6,
    )
)
def test_string_views_match_python_jsonschema(instance: dict[str, Any]) -> None:
    schema = {
        "properties": {"a": {"type": "integer"}, "é": {"maxLength": 2}, "日本": {"pattern": "^x"}},
        "patternProperties": {"^[^a-z]": {"type": ["string", "integer"], "maxLength": 3}},
        "additionalProperties": {"minLength": 1},
        "propertyNames": {"maxLength": 4},
    }
    ours = jsonschema.Draft202012Validator(schema)
    theirs = reference.Draft202012Validator(schema)
    assert ours.is_valid(instance) == theirs.is_valid(instance)
    # The same errors; their order across keywords is not this test's concern.
    assert sorted(list(e.path) for e in ours.iter_errors(instance)) == sorted(
        list(e.path) for e in theirs.iter_errors(instance)
    )


@pytest.mark.parametrize("where", ["key", "value"])
def test_lone_surrogate_is_a_clear_error(where: str) -> None:
    schema = {"additionalProperties": {"type": "string", "pattern": "^x"}}
    instance = {"\ud800": "x"} if where == "key" else {"k": "\ud800"}
    with pytest.raises(ValueError, match="not valid unicode"):
        jsonschema.Draft202012Validator(schema).is_valid(instance)


TAGGED: dict[str, Any] = {
    "oneOf": [
        {
            "properties": {"tag": {"const": "br"}},
            "required": ["tag"],
            "additionalProperties": False,
        },
        {
            "properties": {"tag": {"enum": ["ruby", "rt", "rt"]}, "content": {"type": "string"}},
            "required": ["tag"],
        },
        {"properties": {"tag": {"enum": ["td", "th"]}, "colSpan": {"type": "integer"}}},
        {"properties": {"tag": {"enum": ["td", 1]}, "rowSpan": {"type": "integer"}}},
        {"properties": {"tag": {"enum": []}}},
        {"properties": {"other": {"type": "string"}}, "required": ["other"]},
    ]
}


@pytest.mark.parametrize(
    "instance",
    [
        {"tag": "br"},
        {"tag": "br", "x": 1},
        {"tag": "ruby", "content": "a"},
        {"tag": "rt", "content": 1},
        {"tag": "td", "colSpan": 2},
        {"tag": "td", "colSpan": 2, "rowSpan": 1},
        {"tag": "th", "colSpan": "2"},
        {"tag": 1, "rowSpan": 1},
        {"tag": 1.0},
        {"tag": "nope"},
        {"tag": "td", "other": "x"},
        {"other": "x"},
        {"tag": MyStr("th")},
        {MyStr("tag"): "ruby"},
        {},
        "td",
    ],
    ids=repr,
)
def test_enum_tagged_branches_match_python_jsonschema(instance: Any) -> None:
    # Branches tagged by an enum of strings are pruned by the tag's value; an enum with a
    # non-string option or no option tags nothing. is_valid (pruned) and iter_errors (every
    # branch) both agree with python-jsonschema.
    theirs = reference.Draft202012Validator(TAGGED)
    ours = jsonschema.Draft202012Validator(TAGGED)
    assert ours.is_valid(instance) == theirs.is_valid(instance)
    assert (next(ours.iter_errors(instance), None) is None) == theirs.is_valid(instance)


@pytest.mark.parametrize(
    "instance", ["a", "b", MyStr("a"), "é", 1, 1.0, True, None, ["a"], {"a": 1}, "\ud800"], ids=repr
)
@pytest.mark.parametrize(
    "options", [["a", "é"], ["a", 1], [1.0, "b"], [True, ["a"]], [{"a": 1}, None]], ids=repr
)
def test_enum_matches_python_jsonschema(instance: Any, options: list[Any]) -> None:
    schema = {"enum": options}
    valid = reference.Draft202012Validator(schema).is_valid(instance)
    if instance == "\ud800":
        # A lone surrogate has no UTF-8: a clear error, never an answer.
        with pytest.raises(ValueError, match="not valid unicode"):
            jsonschema.Draft202012Validator(schema).is_valid(instance)
        return
    assert jsonschema.Draft202012Validator(schema).is_valid(instance) == valid


SWAGGER_LIKE: dict[str, Any] = {
    "oneOf": [
        {
            "properties": {"in": {"enum": [where]}, "type": {"enum": ["string", "integer"]}},
            "required": ["in"],
        }
        for where in ("header", "query", "path")
    ]
}


@pytest.mark.parametrize(
    "instance",
    [
        {"in": "query", "type": "string"},
        {"in": "path", "type": "number"},
        {"in": "body", "type": "string"},
        {"type": "string"},
        {"in": "header"},
    ],
    ids=repr,
)
def test_single_tag_wins_over_shared_enum(instance: Any) -> None:
    # `type` tags every branch with the same enum; `in` tells them apart: either way the
    # answer is python-jsonschema's.
    theirs = reference.Draft202012Validator(SWAGGER_LIKE)
    assert jsonschema.Draft202012Validator(SWAGGER_LIKE).is_valid(instance) == theirs.is_valid(
        instance
    )
