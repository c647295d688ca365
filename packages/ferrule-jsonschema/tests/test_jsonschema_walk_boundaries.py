"""The Python-object walk's in-place reads at their boundaries, against python-jsonschema.

Exact lists are read through their item array, exact-type items that their kind decides get
no handle, dict sizes are read in place and ASCII keys are read from the string's own data.
Each fast path stops where it must: subclasses of every JSON type, non-ASCII and surrogate
keys, NaN/inf and big ints, huge and deep inputs, and format checkers that change the list
or dict being validated (the walk must neither crash nor follow a list that keeps growing).
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

V = jsonschema.Draft202012Validator
R = reference.Draft202012Validator


class F(float):
    pass


class I(int):  # noqa: E742
    pass


class S(str):
    pass


class L(list[Any]):
    pass


class D(dict[str, Any]):
    pass


def _agree(schema: dict[str, Any], instance: Any) -> None:
    expected = R(schema).is_valid(instance)
    assert V(schema).is_valid(instance) is expected, (schema, instance)
    assert (not list(V(schema).iter_errors(instance))) is expected


NUMBERS = {"type": "array", "items": {"type": "number"}}
PAIRS = {"type": "array", "items": {"type": "array", "minItems": 2, "items": {"type": "number"}}}
STRINGS = {"type": "array", "items": {"type": "string", "maxLength": 3}}


@pytest.mark.parametrize(
    "item",
    [
        1.5,
        F(1.5),
        I(3),
        True,
        None,
        "x",
        S("x"),
        [1.0],
        L([1.0]),
        {"a": 1},
        D(a=1),
        float("nan"),
        float("inf"),
        -float("inf"),
        2**80,
        -(2**200),
    ],
)
@pytest.mark.parametrize("position", [0, 1, 7, 8, 63])
def test_one_odd_item_among_exact_floats(item: Any, position: int) -> None:
    for schema in (NUMBERS, {"type": "array", "items": {"type": "number", "minimum": 0}}):
        instance: list[Any] = [float(i) for i in range(64)]
        instance[position] = item
        _agree(schema, instance)
    pairs: list[Any] = [[float(i), float(i)] for i in range(64)]
    pairs[position] = item
    _agree(PAIRS, pairs)
    pairs = [[float(i), float(i)] for i in range(64)]
    pairs[position] = [1.0, item]
    _agree(PAIRS, pairs)


def test_list_subclasses_and_tuples_take_the_general_path() -> None:
    _agree(PAIRS, L([L([1.0, 2.0]), [5.0, "x"]]))
    _agree(PAIRS, L([L([1.0, 2.0]), [5.0, 6.0]]))
    # Tuples are arrays here (a documented difference: python-jsonschema's are not).
    assert V(PAIRS).is_valid([(1.0, 2.0), [3.0, 4.0]])
    assert not V(PAIRS).is_valid([[1.0, 2.0], (1.0,)])
    assert not V(PAIRS).is_valid([[1.0, 2.0], (1.0, "x")])


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)
WRAP = st.sampled_from([lambda v: v, F, I, S, L, D])


def _wrapped(value: Any, wrap: Any) -> Any:
    # Subclass a value of the matching type; leave it alone otherwise.
    for base, cls in ((bool, None), (float, F), (int, I), (str, S), (list, L), (dict, D)):
        if isinstance(value, base):
            return value if cls is None or wrap is not cls else cls(value)
    return value


@settings(max_examples=150, deadline=None)
@given(items=st.lists(st.tuples(JSON, WRAP), max_size=40))
def test_hypothesis_arrays_of_mixed_types(items: list[tuple[Any, Any]]) -> None:
    instance = [_wrapped(v, w) for v, w in items]
    for schema in (
        NUMBERS,
        PAIRS,
        STRINGS,
        {"type": "array", "items": {"type": ["number", "string", "null"]}},
        {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "integer"}}},
    ):
        _agree(schema, instance)


KEY_SCHEMAS = [
    {"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": False},
    {"type": "object", "patternProperties": {"^[a-z]+$": {"type": "integer"}}},
    {"type": "object", "propertyNames": {"maxLength": 4}},
    {"type": "object", "additionalProperties": {"type": "string"}, "properties": {"é": {}}},
]


@pytest.mark.parametrize("length", [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 300])
@pytest.mark.parametrize("text", ["a", "é", "\u20ac", "\U0001f600", "A"])
def test_keys_of_every_length_and_width(length: int, text: str) -> None:
    key = (text * length)[:length] if text != "a" else "a" * length
    for schema in KEY_SCHEMAS:
        for instance in ({key: 1}, {key: "s", "a": 1}, D({key: 1}), {S(key): 1}):
            _agree(schema, instance)


@settings(max_examples=150, deadline=None)
@given(members=st.dictionaries(st.text(max_size=12), st.integers() | st.text(max_size=3)))
def test_hypothesis_keys(members: dict[str, Any]) -> None:
    for schema in KEY_SCHEMAS:
        _agree(schema, members)


def test_surrogate_key_is_an_error_not_a_crash() -> None:
    schema = {"type": "object", "additionalProperties": False}
    with pytest.raises(ValueError, match="not valid unicode"):
        V(schema).is_valid({"\ud800": 1})


def test_huge_and_deep_inputs() -> None:
    big = [float(i) for i in range(1_000_000)]
    assert V(NUMBERS).is_valid(big)
    big[-1] = "x"
    assert not V(NUMBERS).is_valid(big)
    pairs = [[float(i), 1.0] for i in range(200_000)]
    assert V(PAIRS).is_valid(pairs)
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    nested = {"type": "array", "items": {"$ref": "#"}}
    # The recursion limit's answer, not a stack overflow.
    assert V(nested).is_valid(deep) is False


STATE: dict[str, Any] = {}


def _checker(action: str) -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("touch")
    def touch(value: Any) -> bool:
        target = STATE["target"]
        if action == "append":
            target.append("zz")
        elif action == "clear":
            target.clear()
        elif action == "replace":
            for i in range(len(target)):
                target[i] = [float(i)] * 3
        elif action == "shrink":
            del target[len(target) // 2 :]
        elif action == "dict-grow":
            for i in range(100):
                target[f"k{i}"] = [i]
        elif action == "dict-clear":
            target.clear()
        return True

    return checker


@pytest.mark.parametrize("action", ["append", "clear", "replace", "shrink"])
def test_checker_changing_the_list_being_walked(action: str) -> None:
    schema = {"type": "array", "items": {"anyOf": [{"type": "number"}, {"format": "touch"}]}}
    instance: list[Any] = [1.0, 2.0, "a", 3.0, "b", [1.0, 2.0], 4.0] * 20
    STATE["target"] = instance
    validator = V(schema, format_checker=_checker(action))
    # Appended items are not followed (the walk ends); others end or pass without a crash.
    assert validator.is_valid(instance) in {True, False}
    assert isinstance(list(validator.iter_errors(instance)), list)


@pytest.mark.parametrize("action", ["dict-grow", "dict-clear"])
def test_checker_changing_the_dict_being_walked(action: str) -> None:
    schema = {
        "type": "object",
        "patternProperties": {"^a": {"format": "touch"}},
        "additionalProperties": {"type": ["array", "string"]},
    }
    instance = {"a0": "x", "b": [1], "a1": "y", "c": "z"}
    STATE["target"] = instance
    validator = V(schema, format_checker=_checker(action))
    # The member after the one checked sees the new size: Python's own error, not a crash.
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        validator.is_valid(instance)


class _Attrs:
    pass


def test_dicts_with_deleted_members_split_tables_and_other_keys() -> None:
    schema = {"type": "object", "additionalProperties": {"type": "integer"}}
    members = {f"k{i}": i for i in range(50)}
    for i in range(0, 50, 3):
        del members[f"k{i}"]
    _agree(schema, members)
    members["k1"] = "x"
    _agree(schema, members)
    # An instance's __dict__ shares its keys with the class (a split table).
    attrs = _Attrs()
    attrs.a = 1  # type: ignore[attr-defined]
    attrs.b = 2  # type: ignore[attr-defined]
    _agree(schema, attrs.__dict__)
    attrs.b = "x"  # type: ignore[attr-defined]
    _agree(schema, attrs.__dict__)
    # A non-str key among str keys (a general table) is refused, wherever it is.
    for position in range(3):
        keyed: dict[Any, Any] = {f"k{i}": i for i in range(3)}
        items = list(keyed.items())
        items.insert(position, (7, 1))
        with pytest.raises(TypeError, match="non-string key"):
            V(schema).is_valid(dict(items))
