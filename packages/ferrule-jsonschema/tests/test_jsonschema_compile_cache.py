"""Compilation with the reference cache and keyed hash maps: references resolved once per base
URI and draft must still resolve against the base in force, and schemas that do not compile
must still fail at their own location; invalid schemas still raise ``SchemaError`` with the
schema path from ``check_schema``."""

from __future__ import annotations

from typing import Any

import jsonschema as upstream
import pytest

import ferrule.jsonschema as jsonschema
from ferrule.jsonschema import exceptions


def test_same_reference_text_under_different_bases_resolves_per_base() -> None:
    # "#/$defs/x" means a different schema in each resource: a cache keyed by reference text
    # alone would hand the second resource the first one's target.
    schema = {
        "$id": "http://example.com/root",
        "properties": {
            "a": {
                "$id": "http://example.com/a",
                "$defs": {"x": {"type": "integer"}},
                "$ref": "#/$defs/x",
            },
            "b": {
                "$id": "http://example.com/b",
                "$defs": {"x": {"type": "string"}},
                "$ref": "#/$defs/x",
            },
            "c": {"$ref": "#/$defs/x"},
        },
        "$defs": {"x": {"type": "boolean"}},
    }
    validator = jsonschema.Draft202012Validator(schema)
    reference = upstream.Draft202012Validator(schema)
    for instance in [
        {"a": 1, "b": "s", "c": True},
        {"a": "s"},
        {"b": 1},
        {"c": 1},
        {"a": True, "b": True, "c": "s"},
    ]:
        assert validator.is_valid(instance) is reference.is_valid(instance), instance
        assert sorted(e.json_path for e in validator.iter_errors(instance)) == sorted(
            e.json_path for e in reference.iter_errors(instance)
        )


def test_same_reference_text_under_different_drafts() -> None:
    # Draft 7 ignores `$ref`'s siblings; 2020-12 does not. The same reference text from the
    # two drafts must keep each draft's rules.
    inner: dict[str, Any] = {
        "definitions": {"n": {"type": "integer"}},
        "$ref": "#/definitions/n",
        "minimum": 5,
    }
    for cls, upstream_cls in [
        (jsonschema.Draft7Validator, upstream.Draft7Validator),
        (jsonschema.Draft202012Validator, upstream.Draft202012Validator),
    ]:
        for instance in [1, 7, "s"]:
            assert cls(inner).is_valid(instance) is upstream_cls(inner).is_valid(instance)


def test_many_repeated_references_validate_like_python_jsonschema() -> None:
    definitions = {f"d{i}": {"type": "object", "properties": {}} for i in range(60)}
    for i in range(60):
        definitions[f"d{i}"]["properties"] = {
            f"p{j}": {"$ref": f"#/definitions/d{(i + j) % 60}"} for j in range(5)
        }
        definitions[f"d{i}"]["properties"]["leaf"] = {"$ref": "#/definitions/leaf"}
    definitions["leaf"] = {"type": "integer", "maximum": 3}
    schema = {"definitions": definitions, "$ref": "#/definitions/d0"}
    validator = jsonschema.Draft7Validator(schema)
    reference = upstream.Draft7Validator(schema)
    for instance in [
        {"p1": {"p2": {"leaf": 2}}},
        {"p1": {"p2": {"leaf": 4}}},
        {"p0": {"leaf": "x"}, "p4": {"p3": {"leaf": 1}}},
        {"leaf": 1, "p1": 3},
    ]:
        assert validator.is_valid(instance) is reference.is_valid(instance)
        assert [e.json_path for e in validator.iter_errors(instance)] == [
            e.json_path for e in reference.iter_errors(instance)
        ]


def test_unresolvable_reference_repeated_fails_every_time() -> None:
    # A failed resolution is not cached: each validator raises with the reference.
    schema = {"properties": {"a": {"$ref": "#/$defs/missing"}, "b": {"$ref": "#/$defs/missing"}}}
    for _ in range(2):
        with pytest.raises(exceptions.SchemaCompileError) as info:
            jsonschema.Draft202012Validator(schema).is_valid({})
        assert info.value.kind == "unresolvable_ref"
        assert info.value.ref == "json-schema:///#/$defs/missing"


def test_invalid_keyword_reports_its_location_after_cached_references() -> None:
    schema = {
        "$defs": {"ok": {"type": "integer"}},
        "properties": {
            "a": {"$ref": "#/$defs/ok"},
            "b": {"$ref": "#/$defs/ok"},
            "c": {"minLength": "three"},
        },
    }
    with pytest.raises(exceptions.SchemaCompileError) as info:
        jsonschema.Draft202012Validator(schema).is_valid({})
    assert info.value.location == "json-schema:///#/properties/c/minLength"


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ({"type": 12}, ["type"]),
        ({"properties": {"a": {"$ref": 3}}}, ["properties", "a", "$ref"]),
        ({"$defs": {"x": {"minimum": "1"}}, "$ref": "#/$defs/x"}, ["$defs", "x", "minimum"]),
        ({"items": [{"type": "nope"}]}, ["items"]),
        ({"properties": {"a": {"pattern": 5}}}, ["properties", "a", "pattern"]),
    ],
)
def test_invalid_schemas_raise_schema_error_with_the_path(schema: Any, path: list[Any]) -> None:
    with pytest.raises(jsonschema.SchemaError) as ours:
        jsonschema.Draft202012Validator.check_schema(schema)
    with pytest.raises(upstream.SchemaError) as theirs:
        upstream.Draft202012Validator.check_schema(schema)
    assert list(ours.value.path) == list(theirs.value.path) == path
    with pytest.raises(jsonschema.SchemaError) as via_validate:
        jsonschema.validate({}, schema)
    assert list(via_validate.value.path) == path
