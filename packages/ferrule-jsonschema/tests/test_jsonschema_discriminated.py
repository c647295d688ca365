"""``oneOf``/``anyOf`` whose branches are told apart by a ``const`` or one-string ``enum``
property (FHIR's ``resourceType``, OpenAPI's ``type``): validity is decided from the branches
carrying the instance's tag (a hash-map probe) and the untagged ones. Every answer, error and
error ``context`` is compared with python-jsonschema's on hypothesis-made unions: repeated tags,
a missing property, non-string tags, branches with extra constraints, tags behind ``$ref`` and
``allOf``, untagged branches mixed in; on the object path and the JSON text path. Also the
compile-time pattern cache (a pattern repeated across a schema, valid or not) and the string
decoder's eight-byte steps (runs of every length around escapes and indentation).
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema as reference
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAGS = ["a", "b", "c", "Patient", ""]
DRAFTS = [
    (jsonschema.Draft7Validator, reference.Draft7Validator, "definitions"),
    (jsonschema.Draft202012Validator, reference.Draft202012Validator, "$defs"),
]


@st.composite
def branch(draw: Any) -> dict[str, Any]:
    """One branch: tagged by `const` or a one-string `enum` (or by neither), maybe with a
    constraint of its own, the tag maybe inside an `allOf`."""
    tag = draw(st.sampled_from([*TAGS, None]))
    form = draw(st.sampled_from(["const", "enum", "enum2", "const_int"]))
    schema: dict[str, Any] = {}
    if tag is not None:
        tag_schema: dict[str, Any] = {
            "const": {"const": tag},
            "enum": {"enum": [tag]},
            "enum2": {"enum": [tag, "zz"]},
            "const_int": {"const": 1},
        }[form]
        properties = {"t": tag_schema}
        if draw(st.booleans()):
            schema["allOf"] = [{"properties": properties}]
        else:
            schema["properties"] = properties
    extra = draw(
        st.sampled_from(
            [
                None,
                {"required": ["x"]},
                {"properties": {"x": {"type": "integer"}}},
                {"additionalProperties": False, "properties": {"t": {}, "x": {}}},
                {"type": "object"},
            ]
        )
    )
    if extra is not None:
        for key, value in extra.items():
            if key == "properties" and "properties" in schema:
                schema["properties"] = {**schema["properties"], **value}
            else:
                schema.setdefault(key, value)
    return schema


@st.composite
def union(draw: Any) -> tuple[str, list[dict[str, Any]], bool]:
    keyword = draw(st.sampled_from(["oneOf", "anyOf"]))
    branches = draw(st.lists(branch(), min_size=2, max_size=7))
    return keyword, branches, draw(st.booleans())


INSTANCES = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "t": st.one_of(st.sampled_from([*TAGS, "zz", "d"]), st.integers(0, 2), st.none()),
            "x": st.one_of(st.integers(0, 3), st.text(max_size=2)),
            "y": st.booleans(),
        },
    ),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["a", 1, None]),
)


def error_key(error: Any) -> Any:
    return (
        error.message,
        error.validator,
        list(error.path),
        list(error.relative_schema_path),
        sorted(
            (c.message, list(c.relative_schema_path), list(c.path)) for c in error.context or ()
        ),
    )


def _schemas(
    keyword: str, branches: list[dict[str, Any]], by_ref: bool, defs: str
) -> dict[str, Any]:
    if not by_ref:
        return {keyword: branches}
    return {
        defs: {f"B{i}": b for i, b in enumerate(branches)},
        keyword: [{"$ref": f"#/{defs}/B{i}"} for i in range(len(branches))],
    }


@SETTINGS
@given(shape=union(), instance=INSTANCES, draft=st.sampled_from(DRAFTS))
def test_discriminated_unions_agree_with_python_jsonschema(
    shape: tuple[str, list[dict[str, Any]], bool], instance: Any, draft: Any
) -> None:
    ours, theirs, defs = draft
    keyword, branches, by_ref = shape
    schema = _schemas(keyword, branches, by_ref, defs)
    mine, ref = ours(schema), theirs(schema)
    expected = ref.is_valid(instance)
    assert mine.is_valid(instance) == expected, (schema, instance)
    text = json.dumps(instance)
    assert mine.is_valid_json(text) == expected
    assert mine.is_valid_json(text.encode()) == expected
    assert sorted(map(error_key, mine.iter_errors(instance))) == sorted(
        map(error_key, ref.iter_errors(instance))
    )
    if not expected:
        with pytest.raises(jsonschema.ValidationError) as raised:
            mine.validate(instance)
        assert error_key(raised.value) in list(map(error_key, ref.iter_errors(instance)))


def test_many_tagged_branches_like_fhir() -> None:
    names = [f"R{i}" for i in range(150)]
    defs = {
        n: {
            "properties": {"resourceType": {"const": n}, "id": {"type": "string"}},
            "additionalProperties": False,
        }
        for n in names
    }
    defs["Any"] = {"properties": {"id": {"type": "integer"}}, "required": ["id"]}
    schema = {
        "definitions": defs,
        "oneOf": [{"$ref": f"#/definitions/{n}"} for n in [*names, "Any"]],
    }
    mine = jsonschema.Draft7Validator(schema)
    ref = reference.Draft7Validator(schema)
    for instance in [
        {"resourceType": "R7", "id": "x"},
        {"resourceType": "R149", "id": 1},
        {"resourceType": "R7", "id": 1},
        {"resourceType": "R999", "id": 1},
        {"resourceType": "R999", "id": "x"},
        {"resourceType": 7, "id": 1},
        {"id": 1},
        {"id": "x"},
        {"resourceType": "R3", "extra": True},
    ]:
        assert mine.is_valid(instance) == ref.is_valid(instance), instance
        assert mine.is_valid_json(json.dumps(instance)) == ref.is_valid(instance), instance
        assert sorted(map(error_key, mine.iter_errors(instance))) == sorted(
            map(error_key, ref.iter_errors(instance))
        ), instance


def test_a_repeated_pattern_compiles_once_and_still_matches_everywhere() -> None:
    pattern = "^[a-z]+$"
    schema = {"properties": {f"p{i}": {"pattern": pattern} for i in range(50)}}
    mine = jsonschema.Draft202012Validator(schema)
    assert mine.is_valid({f"p{i}": "abc" for i in range(50)})
    for i in (0, 49):
        errors = list(mine.iter_errors({f"p{i}": "ab1"}))
        assert [(e.message, list(e.schema_path)) for e in errors] == [
            ("'ab1' does not match '^[a-z]+$'", ["properties", f"p{i}", "pattern"])
        ]


@pytest.mark.parametrize("where", [0, 7, 39])
def test_an_invalid_repeated_pattern_still_raises_schema_error(where: int) -> None:
    schema = {"properties": {f"p{i}": {"pattern": "^[a-z]+$"} for i in range(40)}}
    schema["properties"][f"p{where}"] = {"pattern": "^[a-z"}
    with pytest.raises(jsonschema.SchemaError) as raised:
        jsonschema.Draft202012Validator.check_schema(schema)
    assert list(raised.value.path) == ["properties", f"p{where}", "pattern"]
    # Compiling without the check (python-jsonschema does not check either) fails on the
    # same pattern, wherever the cache met the good one first.
    with pytest.raises(jsonschema.SchemaCompileError, match=f"/properties/p{where}/pattern"):
        jsonschema.Draft202012Validator(schema).is_valid({})


@SETTINGS
@given(
    runs=st.lists(st.integers(0, 20), min_size=1, max_size=6),
    escapes=st.lists(st.sampled_from(["\\u003c", "\\u00e9", '\\"', "\\n", "\\u20ac"]), max_size=6),
    indent=st.integers(0, 19),
)
def test_string_runs_of_every_length_decode_as_json_loads(
    runs: list[int], escapes: list[str], indent: int
) -> None:
    body = "".join(
        "x" * n + "\u00e9" * (n % 3) + (escapes[i] if i < len(escapes) else "")
        for i, n in enumerate(runs)
    )
    text = "{\n" + " " * indent + '"s":' + " " * indent + '"' + body + '"\n' + " " * indent + "}"
    value = json.loads(text)["s"]
    v = jsonschema.Draft202012Validator({"properties": {"s": {"const": value}}})
    assert v.is_valid_json(text)
    assert v.is_valid_json(text.encode())
    assert not jsonschema.Draft202012Validator(
        {"properties": {"s": {"const": value + "!"}}}
    ).is_valid_json(text)
