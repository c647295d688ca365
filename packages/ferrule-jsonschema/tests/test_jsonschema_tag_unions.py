"""Recursive tag unions (the ``structuredContent`` shape), against python-jsonschema.

When only validity is asked, ``oneOf``/``anyOf`` skip the branches the instance's kind rules
out (``[string, array of itself, object]``) and, for an object, the variants whose tag
(a ``const`` or an ``enum`` of strings) differs from the instance's. Generated schemas vary
the number of variants, overlapping tags (two variants valid at once: ``oneOf`` must fail),
``type`` beside the tag, ``required``, ``additionalProperties`` and ``oneOf`` against
``anyOf``; generated instances nest strings, arrays and tagged objects. Validity, the bytes
path and every error (paths, messages, the ``context`` of each branch) must agree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema as reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

TAGS = ["br", "div", "span", "img", "td"]
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def variants(draw: st.DrawFn) -> dict[str, Any]:
    """One tagged object variant: its tag a ``const`` or an ``enum``, content back to the root."""
    tags = draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=3, unique=True))
    tag: dict[str, Any] = (
        {"const": tags[0]} if len(tags) == 1 and draw(st.booleans()) else {"enum": tags}
    )
    if draw(st.booleans()):
        tag["type"] = "string"
    variant: dict[str, Any] = {
        "properties": {
            "tag": tag,
            "content": {"$ref": "#/definitions/content"},
            "n": {"type": "integer", "minimum": 1},
        }
    }
    if draw(st.booleans()):
        variant["type"] = "object"
    if draw(st.booleans()):
        variant["required"] = ["tag"]
    if draw(st.booleans()):
        variant["additionalProperties"] = False
    return variant


@st.composite
def schemas(draw: st.DrawFn) -> dict[str, Any]:
    inner = draw(st.sampled_from(["oneOf", "anyOf"]))
    outer = draw(st.sampled_from(["oneOf", "anyOf"]))
    branches: list[Any] = [
        {"type": "string", "description": "text"},
        {"type": "array", "items": {"$ref": "#/definitions/content"}},
        {"type": "object", inner: draw(st.lists(variants(), min_size=2, max_size=5))},
    ]
    # Branches a kind does not rule out alone: overlaps for oneOf's "exactly one".
    branches += draw(
        st.lists(
            st.sampled_from(
                [
                    {"type": ["string", "null"], "maxLength": 1},
                    {"minimum": 3},
                    {"$ref": "#/definitions/text"},
                    False,
                    {"type": "integer"},
                ]
            ),
            max_size=2,
            unique_by=json.dumps,
        )
    )
    order = draw(st.permutations(range(len(branches))))
    return {
        "definitions": {
            "content": {outer: [branches[i] for i in order]},
            "text": {"type": "string", "minLength": 2},
        },
        "$ref": "#/definitions/content",
    }


def _members(children: Any) -> Any:
    return st.fixed_dictionaries(
        {},
        optional={
            "tag": st.sampled_from([*TAGS, "p"]) | st.integers(0, 1),
            "content": children,
            "n": st.integers(0, 2),
            "x": st.just(1),
        },
    )


instances = st.recursive(
    st.sampled_from(["", "a", "ab"]) | st.none() | st.integers(0, 4) | st.just(1.5),
    lambda children: st.lists(children, max_size=3) | _members(children),
    max_leaves=10,
)


def _summary(error: Any) -> tuple[Any, ...]:
    return (
        error.message,
        error.validator,
        list(error.path),
        list(error.schema_path),
        json.dumps(error.instance, sort_keys=True),
        sorted(_summary(c) for c in error.context),
    )


def _errors(validator: Any, instance: Any) -> list[tuple[Any, ...]]:
    return sorted(_summary(e) for e in validator.iter_errors(instance))


@SETTINGS
@given(schema=schemas(), instance=instances)
def test_tag_unions_agree(schema: dict[str, Any], instance: Any) -> None:
    theirs = reference.Draft7Validator(schema)
    ours = jsonschema.Draft7Validator(schema)
    expected = theirs.is_valid(instance)
    assert ours.is_valid(instance) is expected
    assert ours.is_valid_json(json.dumps(instance)) is expected
    assert _errors(ours, instance) == _errors(theirs, instance)


def test_overlapping_tags_fail_one_of() -> None:
    variant = {"required": ["tag"], "properties": {"tag": {"enum": ["a", "b"]}}}
    schema = {"oneOf": [{"type": "string"}, {"type": "object", "oneOf": [variant, variant]}]}
    ours = jsonschema.Draft7Validator(schema)
    assert not ours.is_valid({"tag": "a"})
    assert ours.is_valid("a")
    assert not ours.is_valid_json(b'{"tag": "b"}')
    (error,) = ours.iter_errors({"tag": "a"})
    assert error.validator == "oneOf"
    assert list(error.schema_path) == ["oneOf"]


def test_the_corpus_schema_agrees() -> None:
    """The benchmark's dictionary schema on its instance, and on a shallow entry with a
    misspelt tag (python-jsonschema takes a minute for the errors of a deep one: every
    variant of every level is evaluated)."""
    corpus = Path(__file__).resolve().parents[3].parent / "shared/corpora/jsonschema-bench"
    schema = json.loads((corpus / "recursive_schema.json").read_text())
    instance = json.loads((corpus / "recursive_instance.json").read_text())
    ours = jsonschema.Draft7Validator(schema)
    assert ours.is_valid(instance)
    assert ours.is_valid_json(json.dumps(instance))
    content = [{"tag": "span", "content": ["x", {"tag": "br"}]}, {"tag": "spam"}, "y"]
    entry = ["t", "r", None, "", 0, [{"type": "structured-content", "content": content}], 1, ""]
    theirs = reference.Draft7Validator(schema)
    for broken, valid in [([entry], False), ([[*entry[:5], ["x"], *entry[6:]]], True)]:
        assert theirs.is_valid(broken) is valid
        assert ours.is_valid(broken) is valid
        assert ours.is_valid_json(json.dumps(broken)) is valid
        assert _errors(ours, broken) == _errors(theirs, broken)
