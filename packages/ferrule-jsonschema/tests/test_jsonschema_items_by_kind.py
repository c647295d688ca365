"""Arrays whose ``items`` schema the item's kind decides, against python-jsonschema.

``is_valid`` reads such a list's items in place and tests each item's exact type (and, for
GeoJSON positions in a ring, each position's length and items), handing anything else (an
``int`` or ``float`` subclass, a ``list`` subclass, a tuple) to the general path. Compared with
python-jsonschema on hypothesis-generated arrays mixing numbers, bools, subclasses, NaN and
infinities (tuples, which python-jsonschema does not take for arrays, only by hand), in both
walks (in place, and with strong references under a host format checker), and
``iter_errors``' paths and messages with them.
"""

from __future__ import annotations

import math
from typing import Any

import jsonschema as reference
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema


class Int(int):
    pass


class Float(float):
    pass


class List(list[Any]):
    pass


NUMBERS = {"type": "number"}
POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "items": NUMBERS}
SCHEMAS: list[dict[str, Any]] = [
    {"items": NUMBERS},
    {"items": {"type": "integer"}},
    {"items": {"type": ["number", "null"]}},
    {"items": {"type": "number", "minimum": 0, "maximum": 10}},
    {"prefixItems": [{"type": "string"}], "items": NUMBERS},
    {"items": POSITION},
    {"items": {"type": "array", "minItems": 2, "items": POSITION}},
    {"items": {"type": "array", "items": {"type": "array", "items": POSITION}}},
    {"items": {"type": "array", "items": True}},
    {"items": {"type": "array", "items": False}},
    {"items": {"type": "array", "maxItems": 1}},
]

SCALAR = st.one_of(
    st.integers(-5, 15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([True, False, None, "1", math.nan, math.inf, -math.inf, Int(3), Float(2.5)]),
    st.integers(-5, 15).map(Int),
    st.floats(-5, 15).map(Float),
)


def _arrays(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(List),
    )


# Flat lists, lists of positions, and deeper nestings.
INSTANCE = st.one_of(
    _arrays(SCALAR),
    _arrays(_arrays(SCALAR)),
    st.recursive(SCALAR, _arrays, max_leaves=30).filter(lambda x: isinstance(x, list)),
)


# A host format checker: `is_valid` then walks with strong references, not in place.
HOST = jsonschema.FormatChecker(formats=())
HOST.checks("host")(lambda _: True)


def _errors(validator: Any, instance: Any) -> list[tuple[list[Any], list[Any], str]]:
    return [
        (list(e.absolute_path), list(e.absolute_schema_path), e.message)
        for e in validator.iter_errors(instance)
    ]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCHEMAS), INSTANCE)
def test_items_by_kind_agree(schema: dict[str, Any], instance: Any) -> None:
    expected_validator = reference.Draft202012Validator(schema)
    expected = expected_validator.is_valid(instance)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(instance) is expected
    checked = jsonschema.Draft202012Validator(
        {"allOf": [schema], "format": "host"}, format_checker=HOST
    )
    assert checked.is_valid(instance) is expected
    assert _errors(validator, instance) == _errors(expected_validator, instance)


def test_exact_types_and_fallbacks() -> None:
    numbers = jsonschema.Draft202012Validator({"items": NUMBERS})
    assert numbers.is_valid([1, 2.5, math.nan, math.inf, -math.inf, 10**30])
    assert not numbers.is_valid([1, True])
    assert not numbers.is_valid([1, None])
    assert numbers.is_valid([Int(1), Float(2.0), 3])
    assert not numbers.is_valid([Int(1), "2"])
    integers = jsonschema.Draft202012Validator({"items": {"type": "integer"}})
    assert integers.is_valid([1, 2.0, Int(3)])
    assert not integers.is_valid([1, 2.5])
    rings = jsonschema.Draft202012Validator({"items": {"type": "array", "items": POSITION}})
    assert rings.is_valid([[[0, 1], [2.5, 3, 4]], [[Int(1), Float(2)]], ([1, 2],)])
    assert not rings.is_valid([[[0, 1], [2.5]]])
    assert not rings.is_valid([[[0, 1], [1, 2, 3, 4]]])
    assert not rings.is_valid([[[0, 1], [1, False]]])
    assert not rings.is_valid([[[0, 1], 5]])
    assert not rings.is_valid([[[0, 1], (1, "x")]])
    assert rings.is_valid([[List([0, 1]), (2, 3)]])
