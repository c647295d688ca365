"""GeoJSON-shaped leaf arrays (positions, rings, polygons) against python-jsonschema.

``items`` checks an array schema made of ``minItems``/``maxItems``/``items`` in place, with the
``items`` schema's kind table copied into it, down to 8 levels of such arrays (MultiPolygon
coordinates are 4). Compared with python-jsonschema on hypothesis-generated geometries, with
wrong kinds and sizes at every level.
"""

from __future__ import annotations

from typing import Any

import jsonschema as reference
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

POSITION = {"type": "array", "minItems": 2, "items": {"type": "number"}}
RING = {"type": "array", "minItems": 4, "items": POSITION}
SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "array",
    "items": {
        "oneOf": [
            {"type": "null"},
            {
                "type": "object",
                "required": ["type", "coordinates"],
                "properties": {
                    "type": {"enum": ["Polygon"]},
                    "coordinates": {"type": "array", "items": RING},
                },
            },
            {
                "type": "object",
                "required": ["type", "coordinates"],
                "properties": {
                    "type": {"enum": ["MultiPolygon"]},
                    "coordinates": {"type": "array", "items": {"type": "array", "items": RING}},
                },
            },
            {
                "type": "object",
                "required": ["type", "coordinates"],
                "properties": {
                    "type": {"enum": ["Point"]},
                    "coordinates": {**POSITION, "maxItems": 3},
                },
            },
        ]
    },
}

NUMBER = (
    st.integers(-180, 180)
    | st.floats(-180, 180, allow_nan=False)
    | st.sampled_from(["1", None, True, [1]])
)
POSITIONS = st.lists(NUMBER, min_size=0, max_size=4)
RINGS = st.lists(POSITIONS | st.just(5), min_size=2, max_size=6)
GEOMETRY = st.one_of(
    st.none(),
    st.fixed_dictionaries({"type": st.just("Point"), "coordinates": POSITIONS}),
    st.fixed_dictionaries({"type": st.just("Polygon"), "coordinates": st.lists(RINGS, max_size=3)}),
    st.fixed_dictionaries(
        {
            "type": st.just("MultiPolygon"),
            "coordinates": st.lists(st.lists(RINGS, max_size=2), max_size=2),
        }
    ),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Polygon", "Line"]), "coordinates": st.lists(POSITIONS)}
    ),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(GEOMETRY, max_size=4))
def test_geometries_agree(instance: list[Any]) -> None:
    expected = reference.Draft7Validator(SCHEMA).is_valid(instance)
    validator = jsonschema.Draft7Validator(SCHEMA)
    assert validator.is_valid(instance) is expected
    assert (next(validator.iter_errors(instance), None) is None) is expected


def test_valid_and_invalid_polygons() -> None:
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    validator = jsonschema.Draft7Validator(SCHEMA)
    assert validator.is_valid([{"type": "Polygon", "coordinates": [ring]}])
    assert validator.is_valid([{"type": "MultiPolygon", "coordinates": [[ring, ring]]}])
    assert not validator.is_valid([{"type": "Polygon", "coordinates": [ring[:3]]}])
    assert not validator.is_valid(
        [{"type": "MultiPolygon", "coordinates": [[ring, [*ring[:3], [0]]]]}]
    )
    assert not validator.is_valid(
        [{"type": "MultiPolygon", "coordinates": [[ring, [*ring[:3], [0, "0"]]]]}]
    )
