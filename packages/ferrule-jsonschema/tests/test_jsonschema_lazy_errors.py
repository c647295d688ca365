"""The error ``validate()`` raises is built on first read: every attribute, ``str``, ``repr``,
``args``, pickling and copying must match the eagerly built error and python-jsonschema's."""

from __future__ import annotations

import copy
import pickle
import threading
from collections import deque
from typing import Any

import jsonschema as upstream
import pytest

import ferrule.jsonschema as jsonschema
from ferrule.jsonschema import exceptions

ATTRIBUTES = (
    "message",
    "path",
    "relative_path",
    "absolute_path",
    "schema_path",
    "relative_schema_path",
    "absolute_schema_path",
    "json_path",
    "instance",
    "validator",
    "validator_value",
    "schema",
    "cause",
)

CASES: list[tuple[Any, Any]] = [
    ({"prefixItems": [{"exclusiveMaximum": 10}]}, [11]),
    ({"properties": {"a b": {"type": "string"}}}, {"a b": 3}),
    ({"required": ["name"]}, {}),
    ({"anyOf": [{"type": "string"}, {"minimum": 3}]}, 1),
    ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, 1),
    ({"properties": {"a": False}}, {"a": 1}),
    ({"propertyNames": {"maxLength": 2}}, {"abc": 1}),
    ({"additionalProperties": False, "properties": {"a": {}}}, {"a": 1, "b": 2, "c": 3}),
    ({"not": {"type": "integer"}}, 3),
    ({"enum": [1, [2]]}, {"x": [1]}),
]


def raised(schema: Any, instance: Any) -> Any:
    with pytest.raises(exceptions.ValidationError) as info:
        jsonschema.Draft202012Validator(schema).validate(instance)
    return info.value


def upstream_first(schema: Any, instance: Any) -> Any:
    return next(upstream.Draft202012Validator(schema).iter_errors(instance))


def context_summary(error: Any) -> list[Any]:
    return [
        (c.message, list(c.absolute_path), list(c.absolute_schema_path), c.parent is error)
        for c in error.context
    ]


def assert_built_like(ours: Any, theirs: Any) -> None:
    """``ours`` (a lazy error, read here first) has python-jsonschema's attributes and paths."""
    for name in ATTRIBUTES:
        assert getattr(ours, name) == getattr(theirs, name), name
    assert isinstance(ours.path, deque)
    assert ours.relative_path is ours.path
    assert ours.relative_schema_path is ours.schema_path
    assert ours.parent is None
    assert context_summary(ours) == context_summary(theirs)


@pytest.mark.parametrize(("schema", "instance"), CASES)
def test_attributes_equal_python_jsonschemas(schema: Any, instance: Any) -> None:
    ours, theirs = raised(schema, instance), upstream_first(schema, instance)
    assert exceptions._lazy_of(ours) is not None  # nothing was built before the first read
    assert_built_like(ours, theirs)
    assert exceptions._lazy_of(ours) is None
    assert str(ours) == str(theirs)
    assert repr(ours) == repr(theirs)
    assert len(ours.args) == len(theirs.args)
    assert ours.args[0] == theirs.args[0]


@pytest.mark.parametrize(("schema", "instance"), CASES)
def test_str_and_repr_before_and_after_first_read(schema: Any, instance: Any) -> None:
    theirs = upstream_first(schema, instance)
    first, second = raised(schema, instance), raised(schema, instance)
    assert str(first) == str(theirs)  # the first read of all
    assert str(first) == str(theirs)
    assert repr(second) == repr(theirs)
    assert second.message == theirs.message
    assert str(second) == str(theirs)


@pytest.mark.parametrize(("schema", "instance"), CASES)
@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_never_read_error_pickles(schema: Any, instance: Any, protocol: int) -> None:
    theirs = upstream_first(schema, instance)
    error = raised(schema, instance)
    data = pickle.dumps(error, protocol=protocol)
    again = pickle.loads(data)
    assert type(again) is exceptions.ValidationError
    assert exceptions._lazy_of(again) is None
    for name in ATTRIBUTES:
        assert getattr(again, name) == getattr(theirs, name), name
    assert str(again) == str(theirs)
    # The same as an eagerly built error after pickling (children's parents are copies).
    assert [c[:3] for c in context_summary(again)] == [c[:3] for c in context_summary(theirs)]


def test_a_never_read_error_copies() -> None:
    schema, instance = CASES[0]
    for clone in (copy.copy(raised(schema, instance)), copy.deepcopy(raised(schema, instance))):
        assert clone.message == "11 is greater than or equal to the maximum of 10"
        assert list(clone.path) == [0]


def test_attributes_set_before_the_first_read_are_kept() -> None:
    error = raised({"type": "string"}, 3)
    error.message = "mine"
    error.path = deque(["x"])
    assert error.message == "mine"
    assert list(error.path) == ["x"]
    assert error.validator == "type"  # the rest is built
    assert list(error.relative_path) == []  # as in python-jsonschema: a separate attribute
    assert repr(error) == "<ValidationError: 'mine'>"


def test_args_set_before_the_first_read_keep_the_built_attributes() -> None:
    error = raised({"type": "string"}, 3)
    error.args = ("mine",)
    assert error.args == ("mine",)
    assert exceptions._lazy_of(error) is None
    assert error.message == "3 is not of type 'string'"
    assert error.validator == "type"
    assert str(error).startswith("3 is not of type 'string'\n")


def test_vars_of_a_lazy_error_holds_every_attribute() -> None:
    # The payload is the exception's `args` (kept in its C struct), so nothing was written;
    # `vars()` builds the error, as python-jsonschema's errors have their attributes there.
    error = raised({"type": "string"}, 3)
    assert exceptions._lazy_of(error) is not None
    theirs = upstream_first({"type": "string"}, 3)
    assert list(vars(error)) == list(vars(theirs))
    assert vars(error)["message"] == "3 is not of type 'string'"
    assert exceptions._lazy_of(error) is None


def test_attributes_set_after_the_first_read_are_kept() -> None:
    error = raised({"type": "string"}, 3)
    assert error.message == "3 is not of type 'string'"
    error.message, error.instance = "changed", 4
    assert error.message == "changed"
    assert error.instance == 4
    assert str(error).startswith("changed\n")


def test_unknown_attributes_still_raise_attribute_error() -> None:
    error = raised({"type": "string"}, 3)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = error.nonsense  # type: ignore[attr-defined]
    assert exceptions._lazy_of(error) is not None  # an unknown name does not build the error
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = error.nonsense  # type: ignore[attr-defined]
    assert not hasattr(error, "__notes__")
    error.add_note("a note")
    assert error.__notes__ == ["a note"]
    del error.message
    with pytest.raises(AttributeError):
        _ = error.message


def test_user_constructed_errors_are_unchanged() -> None:
    error = exceptions.ValidationError("boom", validator="type", path=["a"], instance=1)
    assert exceptions._lazy_of(error) is None
    assert error.message == "boom"
    assert list(error.path) == ["a"]
    assert error.args[0] == "boom"
    error.args = ("other",)
    assert error.args == ("other",)
    again = pickle.loads(pickle.dumps(error))
    assert again.message == "boom"
    with pytest.raises(AttributeError):
        _ = error.nonsense  # type: ignore[attr-defined]


def test_best_match_and_error_tree_take_lazy_errors() -> None:
    schema = {"properties": {"a": {"type": "string"}}}
    error = raised(schema, {"a": 1})
    assert exceptions.best_match([error]) is error
    tree = exceptions.ErrorTree([raised(schema, {"a": 1})])
    assert "a" in tree
    assert tree["a"].errors["type"].message == "1 is not of type 'string'"


def test_validate_json_raises_a_lazy_error() -> None:
    validator = jsonschema.Draft202012Validator({"items": {"minimum": 2}})
    with pytest.raises(exceptions.ValidationError) as info:
        validator.validate_json(b"[3, 1]")
    assert exceptions._lazy_of(info.value) is not None
    assert info.value.json_path == "$[1]"
    assert info.value.message == "1 is less than the minimum of 2"


def test_threads_reading_one_lazy_error() -> None:
    schema, instance = CASES[3]
    theirs = upstream_first(schema, instance)
    for _ in range(20):
        error = raised(schema, instance)
        seen: list[Any] = []
        barrier = threading.Barrier(4)

        def read(
            error: Any = error, seen: list[Any] = seen, barrier: threading.Barrier = barrier
        ) -> None:
            barrier.wait()
            seen.append((str(error), context_summary(error)))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen == [(str(theirs), context_summary(theirs))] * 4


def test_deleting_an_attribute_before_the_first_read() -> None:
    error = raised({"type": "string"}, 3)
    del error.message
    assert error.validator == "type"
    with pytest.raises(AttributeError):
        _ = error.message


def yielded(schema: Any, instance: Any) -> list[Any]:
    return list(jsonschema.Draft202012Validator(schema).iter_errors(instance))


@pytest.mark.parametrize(("schema", "instance"), CASES)
def test_yielded_errors_equal_python_jsonschemas(schema: Any, instance: Any) -> None:
    theirs = list(upstream.Draft202012Validator(schema).iter_errors(instance))
    ours = yielded(schema, instance)
    # Only propertyNames errors (several Python errors of one core error) are made whole.
    assert [exceptions._lazy_of(e) is None for e in ours] == ["propertyNames" in schema] * len(ours)
    assert [e.message for e in ours] == [e.message for e in theirs]
    for mine, their in zip(yielded(schema, instance), theirs, strict=True):
        assert_built_like(mine, their)
        assert str(mine) == str(their)
        assert repr(mine) == repr(their)
        assert len(mine.args) == len(their.args)
        assert list(vars(mine)) == list(vars(their))


def test_reading_a_yielded_message_builds_nothing_else() -> None:
    (error,) = yielded({"anyOf": [{"type": "string"}, {"minimum": 3}]}, 1)
    assert error.message == "1 is not valid under any of the given schemas"
    assert exceptions._lazy_of(error) is not None
    assert error.message is error.message  # made once, then read from the dict
    assert [c.parent is error for c in error.context] == [True, True]
    assert exceptions._lazy_of(error) is None
    assert error.args[0] is error.message


def test_the_first_read_of_any_attribute_builds_the_rest() -> None:
    schema = {"properties": {"a": {"anyOf": [{"type": "string"}, {"minimum": 3}]}}}
    for name in sorted(exceptions._LAZY_ATTRIBUTES):
        (error,) = yielded(schema, {"a": 1})
        getattr(error, name)
        assert (exceptions._lazy_of(error) is None) == (name != "message")
        assert error.message == "1 is not valid under any of the given schemas"
        assert list(error.path) == ["a"]
        assert list(error.schema_path) == ["properties", "a", "anyOf"]
        assert [c.parent is error for c in error.context] == [True, True]


@pytest.mark.parametrize(("schema", "instance"), CASES)
@pytest.mark.parametrize("protocol", [0, pickle.HIGHEST_PROTOCOL])
def test_a_never_read_yielded_error_pickles_and_copies(
    schema: Any, instance: Any, protocol: int
) -> None:
    theirs = list(upstream.Draft202012Validator(schema).iter_errors(instance))
    for make in (
        lambda e: pickle.loads(pickle.dumps(e, protocol=protocol)),
        copy.copy,
        copy.deepcopy,
    ):
        for mine, their in zip(yielded(schema, instance), theirs, strict=True):
            again = make(mine)
            assert exceptions._lazy_of(again) is None
            for name in ATTRIBUTES:
                assert getattr(again, name) == getattr(their, name), name
            assert str(again) == str(their)


def test_a_yielded_message_set_before_the_first_read_is_kept() -> None:
    (error,) = yielded({"type": "string"}, 3)
    error.message = "mine"
    assert error.validator == "type"
    assert error.message == "mine"
    assert error.args[0] == "3 is not of type 'string'"
    assert repr(error) == "<ValidationError: 'mine'>"


def test_deleting_a_read_message_of_a_yielded_error() -> None:
    (error,) = yielded({"type": "string"}, 3)
    assert error.message == "3 is not of type 'string'"
    del error.message
    assert exceptions._lazy_of(error) is None
    assert error.validator == "type"
    with pytest.raises(AttributeError, match="no attribute 'message'"):
        _ = error.message


def test_lazy_attributes_are_instance_attributes_only() -> None:
    for name in exceptions._LAZY_ATTRIBUTES:
        assert not hasattr(exceptions.ValidationError, name)
    empty = exceptions.ValidationError.__new__(exceptions.ValidationError)
    with pytest.raises(AttributeError, match="'ValidationError' object has no attribute 'path'"):
        _ = empty.path
    assert vars(empty) == {}


def test_best_match_and_error_tree_take_yielded_errors() -> None:
    schema = {"properties": {"a": {"type": "string"}, "b": {"anyOf": [{"minimum": 3}]}}}
    instance = {"a": 1, "b": 1}
    theirs = upstream.exceptions.best_match(
        upstream.Draft202012Validator(schema).iter_errors(instance)
    )
    best = exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(instance))
    assert (best.message, list(best.absolute_path)) == (
        theirs.message,
        list(theirs.absolute_path),
    )
    tree = exceptions.ErrorTree(yielded(schema, instance))
    assert tree["a"].errors["type"].message == "1 is not of type 'string'"
    assert tree["b"].errors["anyOf"].context[0].parent is tree["b"].errors["anyOf"]


def test_threads_reading_one_yielded_error_first_through_different_attributes() -> None:
    schema, instance = CASES[3]
    (theirs,) = upstream.Draft202012Validator(schema).iter_errors(instance)
    expected = (str(theirs), context_summary(theirs), list(theirs.path))
    for _ in range(20):
        (error,) = yielded(schema, instance)
        seen: list[Any] = []
        barrier = threading.Barrier(4)

        def read(
            first: str, error: Any = error, seen: list[Any] = seen, barrier: Any = barrier
        ) -> None:
            barrier.wait()
            getattr(error, first)
            seen.append((str(error), context_summary(error), list(error.path)))

        firsts = ["message", "path", "context", "args"]
        threads = [threading.Thread(target=read, args=(first,)) for first in firsts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen == [expected] * 4
