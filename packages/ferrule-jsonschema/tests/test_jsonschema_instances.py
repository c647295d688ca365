"""Python instances the in-place validator reads specially: subclasses, tuples, large objects
looked up by key rather than iterated, str-subclass keys, lone surrogates, and instances that a
format checker mutates while they are validated. Each result is compared with
python-jsonschema's on the same data."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import jsonschema as reference
import pytest

import ferrule.jsonschema as jsonschema

V = jsonschema.Draft202012Validator
R = reference.Draft202012Validator

PERSON: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "age": {"type": "integer", "minimum": 0},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name"],
}


class Key(str):
    """A str subclass, as a dict key."""


class IntSub(int):
    pass


class FloatSub(float):
    pass


class ListSub(list):  # type: ignore[type-arg]
    pass


def _big(extra: int, **members: Any) -> dict[str, Any]:
    # More members than the schema has properties: `properties` looks its names up.
    out: dict[str, Any] = {f"x{i}": i for i in range(extra)}
    out.update(members)
    return out


CASES: list[Any] = [
    {"name": "a", "age": 3},
    {"name": "", "age": 3},
    {"age": 3},
    {"name": "a", "age": -1},
    {"name": "a", "age": 1.0},
    {"name": "a", "age": True},
    OrderedDict(name="a", age=3),
    OrderedDict(age=3),
    {Key("name"): "a", Key("age"): 3},
    {Key("name"): "a", Key("age"): "3"},
    {"name": Key("a"), "age": IntSub(3)},
    {"name": "a", "age": IntSub(-3)},
    {"name": "a", "age": FloatSub(2.0)},
    {"name": "a", "age": FloatSub(2.5)},
    {"name": "a", "tags": ("x", "y")},
    {"name": "a", "tags": ("x", 1)},
    {"name": "a", "tags": ListSub(["x"])},
    {"name": "a", "tags": ListSub([1])},
    {"name": "a", "age": 2**80},
    {"name": "a", "age": -(2**80)},
    _big(20, name="a", age=3),
    _big(20, name="a", age="3"),
    _big(20, age=3),
    _big(20),
    _big(20, name="", tags=["x", 2]),
]


def _lists(value: Any) -> Any:
    # Tuples are arrays here, not in python-jsonschema (DIFFERENCES.md): compare as lists.
    if isinstance(value, tuple):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("instance", CASES, ids=range(len(CASES)))
def test_special_instances_agree_with_python_jsonschema(instance: Any) -> None:
    expected = R(PERSON).is_valid(_lists(instance))
    v = V(PERSON)
    assert v.is_valid(instance) is expected
    errors = sorted((e.message, list(e.absolute_path)) for e in v.iter_errors(instance))
    ref = sorted(
        (e.message, list(e.absolute_path)) for e in R(PERSON).iter_errors(_lists(instance))
    )
    assert [p for _, p in errors] == [p for _, p in ref]
    assert (not errors) is expected


def test_required_without_properties_looks_names_up() -> None:
    v = V({"required": ["a", "b"]})
    assert v.is_valid({"a": 1, "b": 2})
    assert not v.is_valid({"a": 1})
    assert not v.is_valid({Key("a"): 1})
    assert v.is_valid({Key("a"): 1, Key("b"): 2})
    assert [e.message for e in v.iter_errors({"a": 1})] == ["'b' is a required property"]


def test_lone_surrogate_key_raises_value_error() -> None:
    # Iterating members reads every key's text; a lone surrogate cannot be UTF-8.
    v = V({"additionalProperties": {"type": "integer"}})
    with pytest.raises(ValueError, match="unicode"):
        v.is_valid({"\ud800": 1})
    # Looked up by a valid name, the key is never read: the other member is what matters.
    w = V({"properties": {"a": {"type": "integer"}}})
    assert w.is_valid(_big(20, a=1, **{"\ud800": "s"}))
    assert not w.is_valid(_big(20, a="s", **{"\ud800": "s"}))


def test_non_str_key_in_large_object_looked_up() -> None:
    # By lookup, the members `properties` does not list are not visited, as in
    # python-jsonschema, which ignores them too.
    instance: dict[Any, Any] = _big(20, name="a")
    instance[1] = 2
    assert R(PERSON).is_valid(instance)
    assert V(PERSON).is_valid(instance)


def _mutating_checker(action: str) -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("mutate")
    def mutate(value: Any) -> bool:
        target = STATE["target"]
        if action == "clear":
            target.clear()
        elif action == "grow":
            for i in range(1000):
                target[f"new{i}"] = [i] * 10
        elif action == "pop":
            while target:
                target.pop()
        return True

    return checker


STATE: dict[str, Any] = {}


@pytest.mark.parametrize("action", ["clear", "grow"])
def test_format_checker_mutating_the_object_being_validated(action: str) -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "format": "mutate"},
            "b": {"type": "array", "items": {"type": "integer"}},
        },
        "additionalProperties": {"type": "array", "items": {"type": "integer"}},
        "required": ["a"],
    }
    changed = "dictionary changed size during iteration"
    for size in (0, 30):
        instance: dict[str, Any] = _big(size, a="x", b=list(range(50)))
        STATE["target"] = instance
        v = V(schema, format_checker=_mutating_checker(action))
        # Python's own error for a dict changed while iterated, not a panic (a BaseException
        # `_outcome` lets through) nor a crash. With 30 more members, `x0` fails first.
        assert _outcome(v.is_valid, instance) == (changed if size == 0 else "False")
        instance = _big(size, a="x", b=list(range(50)))
        STATE["target"] = instance
        assert _outcome(lambda v, i: bool(list(v.iter_errors(i))) or "none", v, instance) in {
            "True",
            "none",
            changed,
        }


def _outcome(run: Any, *args: Any) -> str:
    try:
        return str(run(*args))
    except RuntimeError as e:
        return str(e)


def test_format_checker_emptying_the_array_being_validated() -> None:
    schema = {"type": "array", "items": {"type": "string", "format": "mutate"}}
    instance = [f"s{i}" for i in range(100)]
    STATE["target"] = instance
    v = V(schema, format_checker=_mutating_checker("pop"))
    assert v.is_valid(instance)
    instance.extend(f"s{i}" for i in range(100))
    assert list(v.iter_errors(instance)) == []
