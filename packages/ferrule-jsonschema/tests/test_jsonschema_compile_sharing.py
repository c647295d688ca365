"""What compilation shares instead of rebuilding: subschema values found from the schema that
holds them (not by a pointer walk from the root), per-kind keyword lists shared between alike
nodes, compiled patterns shared across validators (literal ones build no regex), and the
embedded metaschemas parsed once. Each must leave results exactly as python-jsonschema's."""

from __future__ import annotations

import json
from typing import Any

import jsonschema as upstream
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema
from ferrule.jsonschema import exceptions

# Property names that need escaping in a JSON pointer (`~`, `/`) or in a URI fragment (`%`,
# space, `"`, `#`), beside plain ones.
NAMES = st.sampled_from(["a", "b", "a/b", "~", "~1", "x y", "50%", 'q"', "#h", "é"])
PATTERNS = st.sampled_from(["^x-", "^a", "a", "^[a-z]+$", "^\\S*$", "[0-9]{2}", "^(a|~)", "é"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.text(alphabet="ab~/x-0é ", max_size=4),
)
instances = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(NAMES, inner, max_size=4)),
    max_leaves=10,
)


def _subschemas(refs: bool) -> Any:
    """Subschemas, with `$ref`s to the `$defs` below or (`refs` false: the `$defs`
    themselves, so that no reference cycle makes python-jsonschema recurse without end)
    without."""
    leaves = st.one_of(
        st.fixed_dictionaries({"type": st.sampled_from(["string", "integer", "object", "array"])}),
        st.fixed_dictionaries({"pattern": PATTERNS}),
        st.fixed_dictionaries({"minLength": st.integers(min_value=0, max_value=3)}),
        st.fixed_dictionaries({"required": st.lists(NAMES, max_size=2, unique=True)}),
        *(
            [
                st.fixed_dictionaries(
                    {"$ref": st.sampled_from(["#/$defs/a~1b", "#/$defs/~0", "#/$defs/a"])}
                )
            ]
            if refs
            else []
        ),
        st.booleans(),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.fixed_dictionaries({"properties": st.dictionaries(NAMES, inner, max_size=4)}),
            st.fixed_dictionaries(
                {"patternProperties": st.dictionaries(PATTERNS, inner, max_size=2)}
            ),
            st.fixed_dictionaries({"items": inner}),
            st.fixed_dictionaries({"prefixItems": st.lists(inner, max_size=2)}),
            st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"not": inner}),
        ),
        max_leaves=6,
    )


subschemas = _subschemas(refs=True)
definitions = _subschemas(refs=False)


@st.composite
def schemas(draw: Any) -> dict[str, Any]:
    # Forty filler properties make the `properties` object large enough for the compiler's
    # member index (objects of more than 32 members), so both lookups are exercised.
    properties = draw(st.dictionaries(NAMES, subschemas, max_size=4))
    if draw(st.booleans()):
        properties = {**{f"p{i}": {"type": "integer"} for i in range(40)}, **properties}
    return {
        "$defs": {
            "a/b": draw(definitions),
            "~": draw(definitions),
            "a": draw(definitions),
        },
        "properties": properties,
        "additionalProperties": draw(subschemas),
    }


def _summary(error: Any) -> tuple[Any, ...]:
    return (
        error.message,
        error.validator,
        list(error.path),
        list(error.schema_path),
        json.dumps(error.schema, sort_keys=True, default=repr),
        json.dumps(error.instance, sort_keys=True, default=repr),
    )


def _errors(validator: Any, instance: Any) -> list[tuple[Any, ...]]:
    # Sorted: python-jsonschema reports `additionalProperties` errors in set order.
    return sorted(_summary(e) for e in validator.iter_errors(instance))


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(schema=schemas(), instance=instances)
def test_escaped_and_large_subschemas_validate_like_python_jsonschema(
    schema: dict[str, Any], instance: Any
) -> None:
    ours = jsonschema.Draft202012Validator(schema)
    theirs = upstream.Draft202012Validator(schema)
    assert ours.is_valid(instance) is theirs.is_valid(instance)
    assert _errors(ours, instance) == _errors(theirs, instance)


@SETTINGS
@given(schema=schemas(), instance=instances)
def test_a_compiled_pattern_serves_every_validator(schema: dict[str, Any], instance: Any) -> None:
    # The same patterns under other keywords of another schema, compiled after the first.
    jsonschema.Draft202012Validator(schema).is_valid(instance)
    other = {
        "$defs": schema["$defs"],
        "items": {k: v for k, v in schema.items() if k != "$defs"},
        "propertyNames": {"anyOf": [{"pattern": "^x-"}, {"pattern": "a"}]},
    }
    ours = jsonschema.Draft202012Validator(other)
    theirs = upstream.Draft202012Validator(other)
    for candidate in [instance, [instance], {"x-1": instance}]:
        assert ours.is_valid(candidate) is theirs.is_valid(candidate)
        assert _errors(ours, candidate) == _errors(theirs, candidate)


def test_invalid_pattern_raises_each_time_after_valid_ones_are_cached() -> None:
    good = {"properties": {"a": {"pattern": "^x-"}, "b": {"pattern": "^[a-z]+$"}}}
    assert jsonschema.Draft202012Validator(good).is_valid({"a": "x-1", "b": "abc"})
    bad = {"properties": {"a": {"pattern": "^x-"}, "b": {"pattern": "^x-("}}}
    for _ in range(2):
        with pytest.raises(exceptions.SchemaCompileError) as info:
            jsonschema.Draft202012Validator(bad).is_valid({})
        assert info.value.kind == "invalid_regex"
        assert info.value.location == "json-schema:///#/properties/b/pattern"


def test_literal_patterns_match_like_python_jsonschema() -> None:
    patterns = ["^x-", "^", "", "json", "^a b/c:d@e_f", "x-", "^-", "@"]
    texts = ["", "x-", "x-y", "ax-", "json", "a json b", "a b/c:d@e_f!", "-", "@", "é"]
    for pattern in patterns:
        schema = {"pattern": pattern, "patternProperties": {pattern: {"type": "integer"}}}
        ours = jsonschema.Draft202012Validator(schema)
        theirs = upstream.Draft202012Validator(schema)
        for text in texts:
            for instance in [text, {text: 1}, {text: "s"}]:
                assert ours.is_valid(instance) is theirs.is_valid(instance), (pattern, instance)


def test_metaschema_references_resolve_in_every_compile() -> None:
    # Swagger 2.0's schema refers into draft 4's metaschema, parsed once per process and
    # indexed into each compile's registry.
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "properties": {
            "max": {"$ref": "http://json-schema.org/draft-04/schema#/definitions/positiveInteger"},
            "schema": {"$ref": "http://json-schema.org/draft-04/schema#"},
        },
    }
    for _ in range(3):
        ours = jsonschema.Draft4Validator(schema)
        theirs = upstream.Draft4Validator(schema)
        for instance in [
            {"max": 3},
            {"max": -1},
            {"max": "x"},
            {"schema": {"type": "string"}},
            {"schema": {"type": 5}},
            {"schema": {"properties": {"a": {"minimum": "x"}}}},
        ]:
            assert ours.is_valid(instance) is theirs.is_valid(instance), instance
            assert [_summary(e) for e in ours.iter_errors(instance)] == [
                _summary(e) for e in theirs.iter_errors(instance)
            ]


def test_alike_nodes_keep_their_own_keywords() -> None:
    # Nodes with the same keyword kinds share their per-kind lists; the indices must still
    # pick each node's own keywords (a `minimum` of 3 here, of 5 there).
    schema = {
        "properties": {
            "a": {"type": "integer", "minimum": 3},
            "b": {"type": "integer", "minimum": 5},
            "c": {"minimum": 5, "type": "integer"},
            "d": {"maxLength": 2, "type": "string"},
            "e": {"type": "string", "maxLength": 4},
        }
    }
    ours = jsonschema.Draft202012Validator(schema)
    theirs = upstream.Draft202012Validator(schema)
    for instance in [
        {"a": 3, "b": 5, "c": 5, "d": "ab", "e": "abcd"},
        {"a": 2, "b": 4, "c": 4, "d": "abc", "e": "abcde"},
        {"a": 4, "b": 4, "c": 6, "d": 1, "e": "x"},
        {"a": "s", "b": 1.5, "c": None},
    ]:
        assert ours.is_valid(instance) is theirs.is_valid(instance), instance
        assert _errors(ours, instance) == _errors(theirs, instance)
