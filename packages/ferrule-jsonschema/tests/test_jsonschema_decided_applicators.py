"""Applicator subschemas decided by the instance's kind, against python-jsonschema.

``is_valid`` decides a node holding ``$ref``, ``allOf``, ``anyOf`` or ``oneOf`` without entering
it when the kind alone decides every subschema (``oneOf: [{"type": "string"}, ...]`` on a
string, a nullable ``anyOf`` on ``None``). Schemas built from type leaves, keyword leaves the
kind does not decide, boolean schemas and references to definitions, nested under the three
applicators (recursively through ``items`` and ``additionalProperties`` too), are checked on
values of every kind: the answer must be python-jsonschema's, and ``iter_errors`` must agree.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

TYPES = ["null", "boolean", "integer", "number", "string", "array", "object"]

LEAVES = st.one_of(
    st.sampled_from(TYPES).map(lambda t: {"type": t}),
    st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True).map(
        lambda ts: {"type": ts}
    ),
    st.sampled_from(
        [
            True,
            False,
            {},
            {"type": "string", "maxLength": 2},
            {"minLength": 2},
            {"minimum": 1},
            {"required": ["a"]},
            {"minItems": 1},
            {"const": "x"},
            {"$ref": "#/$defs/b"},
        ]
    ),
)


def _applied(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    branches = st.lists(children, min_size=1, max_size=3)
    applicator = st.tuples(st.sampled_from(["allOf", "anyOf", "oneOf"]), branches).map(
        lambda kv: {kv[0]: kv[1]}
    )
    with_type = st.tuples(applicator, st.sampled_from(TYPES)).map(
        lambda at: {**at[0], "type": at[1]}
    )
    return st.one_of(applicator, with_type)


# `b` is a leaf union; `a` may refer to `b`; the root to both and, through `items` and
# `additionalProperties`, to itself: no reference cycle python-jsonschema could not end.
DEF_B = _applied(st.sampled_from([{"type": t} for t in TYPES] + [{"minLength": 1}, False]))
DEF_A = st.recursive(LEAVES, _applied, max_leaves=6)
ROOT = st.recursive(
    st.one_of(
        LEAVES,
        st.just({"$ref": "#/$defs/a"}),
        st.just({"type": "array", "items": {"$ref": "#"}}),
        st.just({"type": "object", "additionalProperties": {"$ref": "#"}}),
    ),
    _applied,
    max_leaves=8,
)

VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 3),
        st.sampled_from([1.5, 2.0]),
        st.sampled_from(["", "x", "abc"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2),
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(root=ROOT, a=DEF_A, b=DEF_B, instances=st.lists(VALUES, min_size=1, max_size=6))
def test_decided_applicators_match_python_jsonschema(
    root: Any, a: Any, b: Any, instances: list[Any]
) -> None:
    schema = (
        {**root, "$defs": {"a": a, "b": b}}
        if isinstance(root, dict)
        else {"allOf": [root], "$defs": {"a": a, "b": b}}
    )
    ours = jsonschema.Draft202012Validator(schema)
    theirs = reference.Draft202012Validator(schema)
    for instance in instances:
        expected = theirs.is_valid(instance)
        assert ours.is_valid(instance) == expected, (schema, instance)
        assert (next(ours.iter_errors(instance), None) is None) == expected, (schema, instance)


def test_recursive_content_model() -> None:
    """The shape the optimisation was made for: strings, arrays of content and tagged objects
    under one `oneOf`, a string or a nullable reference at each level."""
    schema = {
        "$defs": {
            "content": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/$defs/content"}},
                    {
                        "type": "object",
                        "required": ["tag"],
                        "properties": {
                            "tag": {"enum": ["div", "span"]},
                            "content": {"$ref": "#/$defs/content"},
                            "title": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                        },
                        "additionalProperties": False,
                    },
                ]
            }
        },
        "$ref": "#/$defs/content",
    }
    instances = [
        "text",
        ["a", ["b", {"tag": "div", "content": "c"}]],
        {"tag": "span", "content": ["x", {"tag": "div", "title": None}]},
        {"tag": "span", "title": 3},
        {"tag": "p"},
        [1],
        None,
        {"tag": "div", "content": [["deep", [None]]]},
    ]
    ours = jsonschema.Draft202012Validator(schema)
    theirs = reference.Draft202012Validator(schema)
    for instance in instances:
        assert ours.is_valid(instance) == theirs.is_valid(instance), instance
        assert [e.path for e in ours.iter_errors(instance)] == [
            e.path for e in theirs.iter_errors(instance)
        ], instance
