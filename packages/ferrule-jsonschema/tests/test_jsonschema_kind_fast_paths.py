"""The validity fast paths that decide a value by its kind alone: a subschema whose ``type``
rejects the kind or none of whose keywords can fail on it, and array items read without a
handle on each. Every result is compared with python-jsonschema's, on the Python types that
take other routes (tuples, subclasses, bools beside ints, big ints, NaN and infinities) and on
lists a format checker changes while they are validated.
"""

from __future__ import annotations

import enum
import math
from typing import Any

import jsonschema as reference
import pytest

import ferrule.jsonschema as jsonschema

DRAFTS = [
    (jsonschema.Draft4Validator, reference.Draft4Validator),
    (jsonschema.Draft7Validator, reference.Draft7Validator),
    (jsonschema.Draft202012Validator, reference.Draft202012Validator),
]

POINT = {"type": "array", "minItems": 2, "items": {"type": "number"}}
SCHEMAS: list[Any] = [
    {"items": {"type": "number"}},
    {"items": {"type": "integer"}},
    {"items": {"type": ["integer", "null"]}},
    {"items": {"type": "string"}},
    {"items": {"type": "boolean"}},
    {"items": {"type": "array"}},
    {"items": {"type": "object"}},
    {"items": {"type": "string", "maxLength": 2}},
    {"items": {"maxLength": 2}},
    {"items": {"minimum": 3}},
    {"items": {"properties": {"a": {"type": "integer"}}}},
    {"items": {"not": {"type": "integer"}}},
    {"items": POINT},
    {"type": "array", "items": {"type": "array", "items": POINT}},
    {"items": True},
    {"items": False},
    {"properties": {"a": {"type": "number"}, "b": {"maxLength": 1}}},
    {"additionalProperties": {"type": "integer"}},
    {"type": "integer"},
    {"type": "number", "maximum": 3},
]


class MyList(list[Any]):
    pass


class MyStr(str):
    pass


class MyInt(int):
    pass


class MyFloat(float):
    pass


class Colour(enum.IntEnum):
    RED = 1


INSTANCES: list[Any] = [
    [],
    [1, 2.5],
    [1, 2],
    [1.0, 2.0],
    [True, False],
    [True, 1],
    [0, False],
    [2**100, -(2**70)],
    [1.5, 2**64],
    [math.nan],
    [math.inf, -math.inf],
    ["a", "abc"],
    [None, 1],
    [[1, 2], [3, 4]],
    [[1], [2, 3]],
    [[1, "x"]],
    [[[1, 2], [3, 4]], [[5, 6]]],
    [(1, 2), (3.5, 4)],
    (1, 2, 3),
    ((1.0, 2.0), (3.0, 4.0)),
    MyList([1, 2]),
    [MyList([1, 2]), MyList([3])],
    [MyStr("ab"), MyStr("abc")],
    [MyInt(3), MyFloat(2.5)],
    [Colour.RED],
    [{"a": 1}, {"a": "x"}, {}],
    {"a": 1.5, "b": "xy"},
    {"a": True, "b": 1},
    {"a": MyInt(1), "b": MyStr("x")},
    3,
    3.0,
    True,
    2**80,
    math.nan,
    "abc",
    None,
]


def _lists(value: Any) -> Any:
    # Tuples are arrays here, not in python-jsonschema (DIFFERENCES.md): compare as lists.
    if isinstance(value, tuple):
        return [_lists(v) for v in value]
    if type(value) is list:
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("ours", "theirs", "schema"),
    [
        pytest.param(ours, theirs, schema, id=f"{ours.__name__}-{schema}")
        for ours, theirs in DRAFTS
        for schema in SCHEMAS
        # Draft 4 has no boolean schemas.
        if ours is not jsonschema.Draft4Validator
        or not any(isinstance(v, bool) for v in schema.values())
    ],
)
def test_kind_decided_paths_agree_with_python_jsonschema(
    ours: Any, theirs: Any, schema: Any
) -> None:
    v, r = ours(schema), theirs(schema)
    for instance in INSTANCES:
        expected = r.is_valid(_lists(instance))
        assert v.is_valid(instance) == expected, instance
        assert (not list(v.iter_errors(instance))) == expected, instance
        assert sorted(e.json_path for e in v.iter_errors(instance)) == sorted(
            e.json_path for e in r.iter_errors(_lists(instance))
        ), instance


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"items": {"type": "number"}}, [1, {1, 2}]),
        ({"items": {"maxLength": 2}}, [1, "ab", {1, 2}]),
        ({"items": POINT}, [[1, 2], [1, object()]]),
        ({"items": POINT}, [[1, 2], ({1}, 2)]),
    ],
    ids=str,
)
def test_non_json_item_is_reported_on_the_fast_path(schema: Any, instance: Any) -> None:
    v = jsonschema.Draft202012Validator(schema)
    with pytest.raises(TypeError, match="not a JSON value"):
        v.is_valid(instance)


def _checkers(action: str, target: list[Any]) -> tuple[Any, Any]:
    def mutate(value: Any) -> bool:
        if action == "clear":
            target.clear()
        elif action == "pop":
            if target:
                target.pop()
        elif action == "replace":
            target[:] = [1, "x", None, [1, 2]] * 3
        elif action == "grow":
            target.extend([[1.5, "y"]] * 3)
        return isinstance(value, str)

    ours = jsonschema.FormatChecker(formats=())
    ours.checks("mutate")(mutate)
    theirs = reference.FormatChecker(formats=())
    theirs.checks("mutate")(mutate)
    return ours, theirs


@pytest.mark.parametrize("action", ["clear", "pop", "replace", "grow"])
@pytest.mark.parametrize(
    "items",
    [
        {"type": "array", "items": {"format": "mutate"}},
        {"type": "array", "minItems": 1, "items": {"type": "number", "format": "mutate"}},
        {"anyOf": [{"type": "number"}, {"type": "array", "items": {"format": "mutate"}}]},
    ],
    ids=str,
)
def test_format_checker_changing_the_list_being_validated(action: str, items: Any) -> None:
    # A checker running inside the items of an outer list empties, shortens, replaces or
    # grows that list: no crash, and the same answer as python-jsonschema, which iterates the
    # list as it is at each step. (Under anyOf python-jsonschema evaluates a failing branch
    # to the end, so it calls the checker more often: the lists then differ.)
    schema = {"type": "array", "items": items}

    def instance() -> list[Any]:
        return [[1.5, "a"], [2, "b"], [3, "c"], 4, 5.5]

    for draft, ref_draft in DRAFTS[1:]:
        ours_target = instance()
        ours_checker, _ = _checkers(action, ours_target)
        theirs_target = instance()
        _, theirs_checker = _checkers(action, theirs_target)
        got = draft(schema, format_checker=ours_checker).is_valid(ours_target)
        expected = ref_draft(schema, format_checker=theirs_checker).is_valid(theirs_target)
        assert got == expected
        if "anyOf" not in items:
            assert ours_target == theirs_target
