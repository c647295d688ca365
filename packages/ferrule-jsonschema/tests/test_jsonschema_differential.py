"""Differential tests against python-jsonschema on hypothesis-generated schemas and instances:
the same validity, and the same errors (messages, paths, schema paths, keywords)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema as upstream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule.jsonschema as jsonschema

KEYS = st.sampled_from(["a", "b", "c", "d"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet="abcxyz01", max_size=4),
)
instances = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)
TYPES = st.sampled_from(["null", "boolean", "integer", "number", "string", "array", "object"])
small = st.integers(min_value=0, max_value=4)
limits = st.one_of(st.integers(min_value=-5, max_value=5), st.sampled_from([0.5, 1.5, 2.0]))
PATTERNS = st.sampled_from(["^a", "b$", "[0-9]", "^x*$", "a|c"])


def _leaf_keywords() -> Any:
    return st.one_of(
        st.fixed_dictionaries(
            {"type": st.one_of(TYPES, st.lists(TYPES, min_size=1, max_size=3, unique=True))}
        ),
        st.fixed_dictionaries({"minimum": limits}),
        st.fixed_dictionaries({"maximum": limits}),
        st.fixed_dictionaries({"exclusiveMinimum": limits}),
        st.fixed_dictionaries({"exclusiveMaximum": limits}),
        st.fixed_dictionaries({"multipleOf": st.sampled_from([1, 2, 3, 0.5, 2.5])}),
        st.fixed_dictionaries({"minLength": small}),
        st.fixed_dictionaries({"maxLength": small}),
        st.fixed_dictionaries({"minItems": small}),
        st.fixed_dictionaries({"maxItems": small}),
        st.fixed_dictionaries({"minProperties": small}),
        st.fixed_dictionaries({"maxProperties": small}),
        st.fixed_dictionaries({"uniqueItems": st.booleans()}),
        st.fixed_dictionaries({"pattern": PATTERNS}),
        st.fixed_dictionaries({"required": st.lists(KEYS, max_size=3, unique=True)}),
        st.fixed_dictionaries({"enum": st.lists(scalars, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"const": scalars}),
        st.fixed_dictionaries(
            {
                "dependentRequired": st.dictionaries(
                    KEYS, st.lists(KEYS, max_size=2, unique=True), max_size=2
                )
            }
        ),
        st.booleans(),
    )


schemas = st.recursive(
    _leaf_keywords(),
    lambda inner: st.one_of(
        st.fixed_dictionaries({"properties": st.dictionaries(KEYS, inner, max_size=3)}),
        st.fixed_dictionaries(
            {
                "properties": st.dictionaries(KEYS, inner, max_size=2),
                "additionalProperties": inner,
            }
        ),
        st.fixed_dictionaries({"patternProperties": st.dictionaries(PATTERNS, inner, max_size=2)}),
        st.fixed_dictionaries({"items": inner}),
        st.fixed_dictionaries({"prefixItems": st.lists(inner, max_size=2), "items": inner}),
        st.fixed_dictionaries({"contains": inner}),
        st.fixed_dictionaries({"allOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"not": inner}),
        st.fixed_dictionaries({"if": inner, "then": inner, "else": inner}),
        st.fixed_dictionaries({"propertyNames": inner}),
        st.builds(
            lambda a, b: {**a, **b} if isinstance(a, dict) and isinstance(b, dict) else a,
            inner,
            inner,
        ),
    ),
    max_leaves=8,
)


def _summary(error: Any) -> tuple[Any, ...]:
    return (
        error.message,
        error.validator,
        list(error.path),
        list(error.schema_path),
        error.validator_value,
        json.dumps(error.instance, sort_keys=True, default=repr),
        sorted(_summary(c) for c in error.context),
    )


def _errors(cls: Any, schema: Any, instance: Any) -> list[tuple[Any, ...]]:
    return sorted(_summary(e) for e in cls(schema).iter_errors(instance))


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(schema=schemas, instance=instances)
def test_same_validity_and_errors_2020_12(schema: Any, instance: Any) -> None:
    theirs = upstream.Draft202012Validator(schema)
    ours = jsonschema.Draft202012Validator(schema)
    assert ours.is_valid(instance) == theirs.is_valid(instance)
    assert _errors(jsonschema.Draft202012Validator, schema, instance) == _errors(
        upstream.Draft202012Validator, schema, instance
    )
    text = json.dumps(instance)
    assert ours.is_valid_json(text) == theirs.is_valid(json.loads(text))


def _to_draft7(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_to_draft7(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _to_draft7(v) for k, v in schema.items()}
    if "prefixItems" in out:
        out["additionalItems"] = out.pop("items", True)
        out["items"] = out.pop("prefixItems")
    if "dependentRequired" in out:
        out["dependencies"] = out.pop("dependentRequired")
    return out


@SETTINGS
@given(schema=schemas, instance=instances)
def test_same_validity_and_errors_draft7(schema: Any, instance: Any) -> None:
    schema = _to_draft7(schema)
    assert jsonschema.Draft7Validator(schema).is_valid(instance) == upstream.Draft7Validator(
        schema
    ).is_valid(instance)
    assert _errors(jsonschema.Draft7Validator, schema, instance) == _errors(
        upstream.Draft7Validator, schema, instance
    )


@SETTINGS
@given(schema=schemas, instance=instances)
def test_same_best_match(schema: Any, instance: Any) -> None:
    ours = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(instance)
    )
    theirs = upstream.exceptions.best_match(
        upstream.Draft202012Validator(schema).iter_errors(instance)
    )
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert (ours.message, list(ours.path)) == (theirs.message, list(theirs.path))


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _keyword_location(schema_path: Any) -> str:
    path = list(schema_path)
    # python-jsonschema's path to a `then`/`else` keyword passes through `if`.
    path = [
        p
        for i, p in enumerate(path)
        if not (p == "if" and path[i + 1 : i + 2] in (["then"], ["else"]))
    ]
    return _pointer(path)


def _locations(errors: Any) -> list[tuple[str, str | None]]:
    """(instance location, keyword location) of errors and their context; python-jsonschema's
    paths to a false schema stop at the applicator, so those are only counted."""
    out: list[tuple[str, str | None]] = []
    for e in errors:
        where = None if e.validator is None else _keyword_location(e.absolute_schema_path)
        out.append((_pointer(e.absolute_path), where))
        out.extend(_locations(e.context))
    return out


@SETTINGS
@given(schema=schemas, instance=instances)
def test_output_formats_agree_with_iter_errors(schema: Any, instance: Any) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    valid = validator.is_valid(instance)
    assert validator.evaluate(instance, output="flag") == {"valid": valid}
    basic = validator.evaluate(instance, output="basic")
    assert basic["valid"] is valid
    for output in ("detailed", "verbose"):
        assert validator.evaluate(instance, output=output)["valid"] is valid
    if valid:
        assert "errors" not in basic
        return
    units = [(u["instanceLocation"], u["keywordLocation"]) for u in basic["errors"]]
    expected = _locations(validator.iter_errors(instance))
    assert len(units) == len(expected)
    remaining = list(units)
    for instance_location, keyword_location in expected:
        if keyword_location is not None:
            remaining.remove((instance_location, keyword_location))


def _raised(call: Any, argument: Any) -> Any:
    try:
        call(argument)
    except jsonschema.ValidationError as error:
        return error
    return None


@SETTINGS
@given(schema=schemas, instance=instances)
def test_validate_raises_the_first_error_of_iter_errors(schema: Any, instance: Any) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    first = next(iter(validator.iter_errors(instance)), None)
    raised = _raised(validator.validate, instance)
    assert (raised is None) == (first is None)
    if first is not None:
        assert _summary(raised) == _summary(first)
    raised = _raised(validator.validate_json, json.dumps(instance))
    assert (raised is None) == (first is None)
    if first is not None:
        assert (raised.message, list(raised.path)) == (first.message, list(first.path))


READS = (
    "message",
    "path",
    "relative_path",
    "schema_path",
    "relative_schema_path",
    "context",
    "cause",
    "validator",
    "validator_value",
    "instance",
    "schema",
    "parent",
    "_type_checker",
    "absolute_path",
    "json_path",
    "args",
    "vars",
    "str",
    "repr",
)


def _read(error: Any, name: str) -> Any:
    if name in {"str", "repr"}:
        return (str if name == "str" else repr)(error)
    if name == "vars":
        return list(vars(error))
    value = getattr(error, name)
    if name == "context":
        return [_summary(c) for c in value]
    if name == "args":
        return [[_summary(c) for c in a] if i == 4 else a for i, a in enumerate(value)]
    if name == "_type_checker":
        return repr(value)
    return value


@SETTINGS
@given(schema=schemas, instance=instances, order=st.permutations(READS))
def test_yielded_errors_read_in_any_order_equal_the_built_error(
    schema: Any, instance: Any, order: list[str]
) -> None:
    # iter_errors yields lazy errors: the message alone made on its read, everything else
    # built in place on the first read of another attribute. Whatever is read first, every
    # attribute must equal the error built whole from the same core error.
    for error in jsonschema.Draft202012Validator(schema).iter_errors(instance):
        lazy = jsonschema.exceptions._lazy_of(error)
        if lazy is None:  # propertyNames: several errors of one, made whole
            assert error.validator != "propertyNames"
            continue
        built = lazy.build(type(error))
        for name in order:
            assert _read(error, name) == _read(built, name), name
        assert jsonschema.exceptions._lazy_of(error) is None
        assert error.relative_path is error.path
        assert error.relative_schema_path is error.schema_path
        assert all(c.parent is error for c in error.context)
