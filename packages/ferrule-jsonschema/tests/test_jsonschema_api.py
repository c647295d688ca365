"""The public API against python-jsonschema's: names, error attributes and messages,
``FormatChecker``, ``registry=``/``retrieve=``, ``check_schema``, JSON text, pickling, threads."""

from __future__ import annotations

import json
import pickle
import threading
from collections import deque
from typing import Any

import jsonschema as upstream
import pytest
import referencing
import referencing.jsonschema

import ferrule.jsonschema as jsonschema
from ferrule.jsonschema import _native, exceptions, validators

CLASSES = [
    "Draft4Validator",
    "Draft6Validator",
    "Draft7Validator",
    "Draft201909Validator",
    "Draft202012Validator",
]


@pytest.mark.parametrize("name", CLASSES)
def test_classes_have_the_upstream_attributes(name: str) -> None:
    ours, theirs = getattr(jsonschema, name), getattr(upstream, name)
    assert ours.META_SCHEMA == theirs.META_SCHEMA
    assert set(ours.FORMAT_CHECKER.checkers) >= set(theirs.FORMAT_CHECKER.checkers)
    v = ours({"type": "string"})
    assert v.schema == {"type": "string"}
    for method in ("is_valid", "iter_errors", "validate", "evolve", "check_schema"):
        assert callable(getattr(v, method))


def test_module_names() -> None:
    for name in (
        "validate",
        "FormatChecker",
        "ValidationError",
        "SchemaError",
        "FormatError",
        "validators",
        "exceptions",
        "draft7_format_checker",
    ):
        assert hasattr(jsonschema, name), name
    for name in ("ErrorTree", "best_match", "relevance", "by_relevance", "ValidationError"):
        assert hasattr(exceptions, name), name
    assert validators.validator_for({}) is jsonschema.Draft202012Validator


# (schema, instance, message) rows: python-jsonschema's texts, checked against it too.
MESSAGES: list[tuple[Any, Any, str]] = [
    ({"type": "string"}, 3, "3 is not of type 'string'"),
    ({"type": ["string", "null"]}, 3, "3 is not of type 'string', 'null'"),
    ({"required": ["foo"]}, {}, "'foo' is a required property"),
    ({"enum": [1, 2]}, 3, "3 is not one of [1, 2]"),
    ({"const": "a"}, "b", "'a' was expected"),
    ({"minimum": 2}, 1, "1 is less than the minimum of 2"),
    ({"maximum": 2.5}, 3, "3 is greater than the maximum of 2.5"),
    ({"exclusiveMinimum": 1}, 1, "1 is less than or equal to the minimum of 1"),
    ({"exclusiveMaximum": 1}, 1, "1 is greater than or equal to the maximum of 1"),
    ({"multipleOf": 2}, 7, "7 is not a multiple of 2"),
    ({"minLength": 1}, "", "'' should be non-empty"),
    ({"minLength": 3}, "ab", "'ab' is too short"),
    ({"maxLength": 0}, "a", "'a' is expected to be empty"),
    ({"maxLength": 1}, "ab", "'ab' is too long"),
    ({"minItems": 1}, [], "[] should be non-empty"),
    ({"maxItems": 1}, [1, 2], "[1, 2] is too long"),
    ({"minProperties": 2}, {"a": 1}, "{'a': 1} does not have enough properties"),
    ({"maxProperties": 0}, {"a": 1}, "{'a': 1} is expected to be empty"),
    ({"uniqueItems": True}, [1, 1], "[1, 1] has non-unique elements"),
    ({"pattern": "^a$"}, "b", "'b' does not match '^a$'"),
    (
        {"additionalProperties": False},
        {"b": 1, "a": 2},
        "Additional properties are not allowed ('a', 'b' were unexpected)",
    ),
    (
        {"patternProperties": {"^x": {}}, "additionalProperties": False},
        {"a": 1},
        "'a' does not match any of the regexes: '^x'",
    ),
    (
        {"prefixItems": [{}], "items": False},
        [1, 2, 3],
        "Expected at most 1 item but found 2 extra: [2, 3]",
    ),
    ({"contains": {"type": "string"}}, [1], "[1] does not contain items matching the given schema"),
    (
        {"contains": {"type": "string"}, "minContains": 2},
        ["a", 1],
        "Too few items match the given schema (expected at least 2 but only 1 matched)",
    ),
    ({"anyOf": [{"type": "string"}]}, 1, "1 is not valid under any of the given schemas"),
    (
        {"oneOf": [{"type": "integer"}, {"minimum": 0}]},
        1,
        "1 is valid under each of {'minimum': 0}, {'type': 'integer'}",
    ),
    ({"not": {"type": "integer"}}, 1, "1 should not be valid under {'type': 'integer'}"),
    (False, 1, "False schema does not allow 1"),
    (
        {"unevaluatedProperties": False},
        {"a": 1},
        "Unevaluated properties are not allowed ('a' was unexpected)",
    ),
    ({"dependentRequired": {"a": ["b"]}}, {"a": 1}, "'b' is a dependency of 'a'"),
]


@pytest.mark.parametrize(("schema", "instance", "message"), MESSAGES)
def test_messages_match_python_jsonschema(schema: Any, instance: Any, message: str) -> None:
    ours = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(instance)]
    theirs = [e.message for e in upstream.Draft202012Validator(schema).iter_errors(instance)]
    assert ours == theirs == [message]


def test_error_attributes() -> None:
    schema = {"properties": {"a": {"items": {"$ref": "#/$defs/s"}}}, "$defs": {"s": {"minimum": 3}}}
    instance = {"a": [5, 1]}
    (ours,) = jsonschema.Draft202012Validator(schema).iter_errors(instance)
    (theirs,) = upstream.Draft202012Validator(schema).iter_errors(instance)
    for attr in (
        "message",
        "path",
        "absolute_path",
        "relative_path",
        "schema_path",
        "absolute_schema_path",
        "relative_schema_path",
        "json_path",
        "instance",
        "validator",
        "validator_value",
        "schema",
        "context",
        "cause",
        "parent",
    ):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert ours.path == deque(["a", 1])
    assert ours.json_path == "$.a[1]"
    assert str(ours) == str(theirs)


def test_context_errors() -> None:
    schema = {"anyOf": [{"type": "string"}, {"properties": {"a": {"minimum": 2}}}]}
    instance = {"a": 1}
    (ours,) = jsonschema.validators.Draft7Validator(schema).iter_errors(instance)
    (theirs,) = upstream.Draft7Validator(schema).iter_errors(instance)
    assert [(c.message, list(c.path), list(c.schema_path)) for c in ours.context] == [
        (c.message, list(c.path), list(c.schema_path)) for c in theirs.context
    ]
    assert all(c.parent is ours for c in ours.context)
    assert [list(c.absolute_path) for c in ours.context] == [[], ["a"]]
    assert jsonschema.exceptions.best_match([ours]).message == "1 is less than the minimum of 2"


def test_property_names_errors_are_flat() -> None:
    schema = {"propertyNames": {"maxLength": 2}}
    instance = {"abc": 1}
    ours = [
        (e.message, e.instance, list(e.schema_path))
        for e in jsonschema.Draft7Validator(schema).iter_errors(instance)
    ]
    theirs = [
        (e.message, e.instance, list(e.schema_path))
        for e in upstream.Draft7Validator(schema).iter_errors(instance)
    ]
    assert ours == theirs == [("'abc' is too long", "abc", ["propertyNames", "maxLength"])]


def test_validate_raises_best_match_and_checks_the_schema() -> None:
    with pytest.raises(jsonschema.ValidationError) as info:
        jsonschema.validate({"a": "x"}, {"properties": {"a": {"type": "integer"}}})
    assert info.value.message == "'x' is not of type 'integer'"
    with pytest.raises(jsonschema.SchemaError) as schema_info:
        jsonschema.validate(1, {"type": 12})
    with pytest.raises(upstream.SchemaError) as upstream_info:
        upstream.validate(1, {"type": 12})
    assert schema_info.value.message == upstream_info.value.message
    assert list(schema_info.value.path) == list(upstream_info.value.path)
    jsonschema.validate(1, {"type": "integer"})


def test_check_schema_uses_the_format_checker() -> None:
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.Draft202012Validator.check_schema({"pattern": "("})
    jsonschema.Draft202012Validator.check_schema({"pattern": "^a"})


def test_validator_for() -> None:
    assert jsonschema.validator_for({"$schema": "http://json-schema.org/draft-07/schema#"}) is (
        jsonschema.Draft7Validator
    )
    assert jsonschema.validator_for(True) is jsonschema.Draft202012Validator
    assert jsonschema.validator_for({}, default=jsonschema.Draft4Validator) is (
        jsonschema.Draft4Validator
    )
    with pytest.warns(DeprecationWarning, match="metaschema specified by"):
        assert jsonschema.validator_for({"$schema": "urn:nope"}) is jsonschema.Draft202012Validator


def test_draft_classes_decide_the_draft() -> None:
    # Draft 4 tells 1.0 from 1; the declared $schema does not override the class.
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "integer"}
    assert not jsonschema.Draft4Validator(schema).is_valid(1.0)
    assert jsonschema.Draft7Validator(schema).is_valid(1.0)


def test_evolve() -> None:
    v = jsonschema.Draft7Validator({"type": "string"})
    w = v.evolve(schema={"type": "integer"})
    assert type(w) is jsonschema.Draft7Validator
    assert w.is_valid(1)
    assert not v.is_valid(1)


def test_format_checker() -> None:
    schema = {"format": "date"}
    assert jsonschema.Draft202012Validator(schema).is_valid("nope")
    checked = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert not checked.is_valid("nope")
    assert checked.is_valid("2024-02-29")
    assert checked.is_valid(12)  # formats only apply to strings
    (error,) = checked.iter_errors("nope")
    assert error.message == "'nope' is not a 'date'"
    assert error.validator == "format"


def test_custom_format_checkers_are_python_callables() -> None:
    checker = jsonschema.FormatChecker(["date"])
    seen = []

    @checker.checks("even", raises=ValueError)
    def even(instance: object) -> bool:
        seen.append(instance)
        if instance == 13:
            raise ValueError("unlucky")
        return not isinstance(instance, int) or instance % 2 == 0

    v = jsonschema.Draft202012Validator({"items": {"format": "even"}}, format_checker=checker)
    assert v.is_valid([2, 4, "x"])
    assert not v.is_valid([3])
    assert not v.is_valid([13])
    assert 13 in seen
    assert [e.message for e in v.iter_errors([1, 2])] == ["1 is not a 'even'"]
    assert v.is_valid_json(b"[2]")
    assert not v.is_valid_json(b"[3]")
    assert checker.conforms(2, "even")
    with pytest.raises(jsonschema.FormatError):
        checker.check(3, "even")


def test_failing_format_checker_propagates() -> None:
    checker = jsonschema.FormatChecker(())

    @checker.checks("boom")
    def boom(instance: object) -> bool:
        raise KeyError("boom")

    v = jsonschema.Draft202012Validator({"format": "boom"}, format_checker=checker)
    with pytest.raises(KeyError):
        v.is_valid(1)


def test_registry() -> None:
    other = referencing.Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "integer"}
    )
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        "http://example.com/int", other
    )
    schema = {"$ref": "http://example.com/int"}
    v = jsonschema.Draft202012Validator(schema, registry=registry)
    assert v.is_valid(1)
    assert not v.is_valid("x")
    assert upstream.Draft202012Validator(schema, registry=registry).is_valid(1)


def test_retrieve_and_no_network_by_default() -> None:
    schema = {"$ref": "http://example.com/int"}
    asked = []

    def retrieve(uri: str) -> Any:
        asked.append(uri)
        return {"type": "integer"}

    assert jsonschema.Draft202012Validator(schema, retrieve=retrieve).is_valid(1)
    assert asked == ["http://example.com/int"]
    with pytest.raises(exceptions.SchemaCompileError):
        jsonschema.Draft202012Validator(schema).is_valid(1)


def test_retriever_errors_are_chained() -> None:
    def retrieve(uri: str) -> Any:
        raise OSError("offline")

    v = jsonschema.Draft202012Validator({"$ref": "http://example.com/x"}, retrieve=retrieve)
    with pytest.raises(exceptions.SchemaCompileError) as info:
        v.is_valid(1)
    assert isinstance(info.value.__cause__, OSError)


def test_resolver_argument_is_refused() -> None:
    with pytest.raises(TypeError, match="RefResolver"):
        jsonschema.Draft7Validator({}, object())


def test_json_text_entry_points() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    assert jsonschema.is_valid_json(b'{"n": 1}', schema)
    assert jsonschema.is_valid_json('{"n": 1}', schema)
    assert jsonschema.is_valid_json(bytearray(b'{"n": 1}'), schema)
    assert not jsonschema.is_valid_json('{"n": "x"}', schema)
    errors = list(jsonschema.iter_errors_json('{"n": "x"}', schema))
    assert [(e.message, list(e.path), e.instance) for e in errors] == [
        ("'x' is not of type 'integer'", ["n"], "x")
    ]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate_json('{"n": 1.5}', schema)
    jsonschema.validate_json('{"n": 1}', schema)
    with pytest.raises(TypeError):
        jsonschema.is_valid_json(12, schema)  # type: ignore[arg-type]


def test_error_tree() -> None:
    schema = {"items": {"type": "integer", "minimum": 2}}
    tree = exceptions.ErrorTree(jsonschema.Draft7Validator(schema).iter_errors([1, "x"]))
    assert 0 in tree
    assert 1 in tree
    assert set(tree[0].errors) == {"minimum"}
    assert set(tree[1].errors) == {"type"}
    assert tree.total_errors == 2


def test_pickling() -> None:
    checker = jsonschema.FormatChecker()
    v = jsonschema.Draft7Validator({"format": "email", "type": "string"}, format_checker=checker)
    assert not v.is_valid("nope")
    w = pickle.loads(pickle.dumps(v))
    assert type(w) is jsonschema.Draft7Validator
    assert w.schema == v.schema
    assert not w.is_valid("nope")
    assert w.is_valid("a@example.com")
    native = _native.Validator({"minimum": 3}, draft="draft7", force_draft=True)
    clone = pickle.loads(pickle.dumps(native))
    assert not clone.is_valid(2)
    assert clone.schema == {"minimum": 3}
    error = next(v.iter_errors(3))
    again = pickle.loads(pickle.dumps(error))
    assert again.message == error.message


def _raised(call: Any) -> BaseException:
    try:
        call()
    except BaseException as e:
        return e
    raise AssertionError("nothing raised")


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_every_exception_type_pickles(protocol: int) -> None:
    anyof = {"anyOf": [{"type": "string"}, {"minimum": 3}]}
    errors = [
        _raised(lambda: jsonschema.validate({"a": 1}, {"properties": {"a": anyof}})),
        _raised(lambda: jsonschema.Draft7Validator.check_schema({"type": 3})),
        _raised(lambda: jsonschema.Draft202012Validator({"$ref": "https://x.test/s"}).is_valid(1)),
        _raised(lambda: jsonschema.Draft202012Validator({}).is_valid_json(b'{"a": ')),
        _raised(lambda: jsonschema.Draft202012Validator({"pattern": "("}).is_valid("x")),
        jsonschema.FormatError("bad format", cause=ValueError("why")),
        jsonschema.exceptions.UndefinedTypeCheck("thing"),
        jsonschema.exceptions.UnknownType("thing", 1, {}),
    ]
    kinds = {type(e) for e in errors}
    assert kinds >= {
        jsonschema.ValidationError,
        jsonschema.SchemaError,
        jsonschema.SchemaCompileError,
        jsonschema.JSONDecodeError,
    }
    for error in errors:
        again = pickle.loads(pickle.dumps(error, protocol=protocol))
        assert type(again) is type(error)
        assert str(again) == str(error)
        assert repr(again.args) == repr(error.args)
        for attribute in (
            "message",
            "path",
            "schema_path",
            "instance",
            "validator",
            "validator_value",
            "schema",
            "kind",
            "location",
            "ref",
            "pos",
            "lineno",
            "colno",
            "msg",
            "cause",
        ):
            if hasattr(error, attribute):
                assert repr(getattr(again, attribute)) == repr(getattr(error, attribute)), attribute
        if isinstance(error, jsonschema.ValidationError):
            assert [c.message for c in again.context] == [c.message for c in error.context]
            assert list(again.context[0].absolute_path) == ["a"]


def test_output_formats_from_threads() -> None:
    v = jsonschema.Draft202012Validator({"items": {"type": "integer", "title": "n"}})
    expected = {
        output: v.evaluate([1, "x", 3], output=output)
        for output in ("flag", "basic", "detailed", "verbose")
    }
    failures: list[str] = []

    def work() -> None:
        for _ in range(30):
            for output, want in expected.items():
                if v.evaluate([1, "x", 3], output=output) != want:  # type: ignore[arg-type]
                    failures.append(output)
                if v.evaluate_json(b'[1, "x", 3]', output=output) != want:  # type: ignore[arg-type]
                    failures.append(output)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_threads_share_one_validator() -> None:
    schema = {"type": "array", "items": {"type": "integer", "minimum": 0}}
    v = jsonschema.Draft202012Validator(schema)
    good = list(range(1000))
    bad = [*good, -1]
    text_good = json.dumps(good).encode()
    failures: list[str] = []

    def work() -> None:
        for _ in range(50):
            if not v.is_valid(good) or v.is_valid(bad) or not v.is_valid_json(text_good):
                failures.append("wrong answer")
            if [e.message for e in v.iter_errors(bad)] != ["-1 is less than the minimum of 0"]:
                failures.append("wrong errors")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_unique_items_hashing_keeps_json_schema_equality() -> None:
    v = jsonschema.Draft202012Validator({"uniqueItems": True})
    many = [{"name": f"p{i}", "in": "query", "tags": [i]} for i in range(2000)]
    assert v.is_valid(many)
    assert not v.is_valid([*many, {"tags": [1999], "in": "query", "name": "p1999"}])
    assert not v.is_valid([{"a": 1, "b": [1.0]}, {"b": [1], "a": 1.0}])
    assert v.is_valid([{"a": 1}, {"a": True}, [0], [False], 2**70, 2.0**70 + 2**20])
    assert not v.is_valid([2**70, float(2**70)])
    assert not v.is_valid(["x", "y", "x"])
    assert v.is_valid_json(json.dumps(many))


def test_subclass_is_valid_json_is_not_shadowed() -> None:
    # Validators bind the compiled is_valid_json on the instance for speed; a subclass's
    # own method must still be the one called.
    calls: list[object] = []

    class Counting(jsonschema.Draft202012Validator):
        def is_valid_json(self, data: bytes | bytearray | str) -> bool:
            calls.append(data)
            return bool(super().is_valid_json(data))

    v = Counting({"type": "integer"})
    assert v.is_valid_json(b"1") is True
    assert v.is_valid_json("[]") is False
    assert calls == [b"1", "[]"]
    plain = jsonschema.Draft202012Validator({"type": "integer"})
    assert plain.is_valid_json(b"2") is True
    assert plain.is_valid_json(b'"x"') is False


def test_checker_registered_after_construction_is_used() -> None:
    # python-jsonschema reads the format checker when validating; so does ferrule up to the
    # first validation, because the schema compiles then and not in the constructor.
    checker = jsonschema.FormatChecker(formats=())
    v = jsonschema.Draft202012Validator({"format": "even"}, format_checker=checker)

    @checker.checks("even")
    def is_even(value: object) -> bool:
        return not isinstance(value, int) or value % 2 == 0

    assert v.is_valid(2) is True
    assert v.is_valid(3) is False
    assert v.is_valid_json(b"3") is False
    ref = upstream.Draft202012Validator(
        {"format": "even"}, format_checker=upstream.FormatChecker(formats=())
    )
    ref.format_checker.checks("even")(is_even)
    assert ref.is_valid(3) is False
