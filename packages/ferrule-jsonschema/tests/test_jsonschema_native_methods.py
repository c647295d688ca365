"""The validator classes' native methods (``is_valid``, ``iter_errors``, ``validate``,
``is_valid_json``, ``validate_json`` of ``_native.ValidatorBase``): the compiled schema runs
without a Python frame, and everything else (first use, the deprecated ``_schema`` argument,
subclasses, pickling, ``evolve``, threads) behaves as the Python methods did, and as
python-jsonschema does."""

from __future__ import annotations

import copy
import inspect
import json
import pickle
import threading
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import jsonschema as upstream
import pytest

import ferrule.jsonschema as jsonschema
from ferrule.jsonschema import ValidationError, _native, exceptions

CLASSES = [
    jsonschema.Draft4Validator,
    jsonschema.Draft6Validator,
    jsonschema.Draft7Validator,
    jsonschema.Draft201909Validator,
    jsonschema.Draft202012Validator,
]
HOT = ["is_valid", "iter_errors", "validate", "is_valid_json", "validate_json"]
SCHEMA = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}


def _messages(errors: Any) -> list[str]:
    return [e.message for e in errors]


def _raised(call: Callable[[], Any]) -> BaseException | None:
    try:
        call()
    except BaseException as e:
        return e
    return None


@pytest.mark.parametrize("name", HOT)
def test_hot_methods_are_native(name: str) -> None:
    # A Python function here would put a frame back on every call.
    method = getattr(jsonschema.Draft202012Validator, name)
    assert not inspect.isfunction(method)
    assert method is getattr(_native.ValidatorBase, name)
    assert "Python" not in type(method).__name__


@pytest.mark.parametrize("cls", CLASSES)
def test_answers_before_and_after_compiling(cls: Any) -> None:
    ref = getattr(upstream, cls.__name__)(SCHEMA)
    for instance in [{"n": 1}, {"n": -1}, {"n": "x"}, [], {"n": True}]:
        v = cls(SCHEMA)
        # The first call compiles (the Python path), the second runs natively.
        for _ in range(2):
            assert v.is_valid(instance) is ref.is_valid(instance)
            assert _messages(v.iter_errors(instance)) == _messages(ref.iter_errors(instance))
            ours = _raised(partial(v.validate, instance))
            theirs = _raised(partial(ref.validate, instance))
            assert (ours is None) is (theirs is None)
            if ours is not None:
                assert isinstance(ours, ValidationError)
                assert ours.message == theirs.message  # type: ignore[union-attr]
        text = json.dumps(instance)
        fresh = cls(SCHEMA)
        for _ in range(2):
            assert fresh.is_valid_json(text) is ref.is_valid(instance)
            assert (_raised(partial(fresh.validate_json, text)) is None) is ref.is_valid(instance)


def test_every_entry_point_compiles_on_first_use() -> None:
    for name in HOT:
        v = jsonschema.Draft202012Validator({"minimum": 3})
        assert v._compiled is None
        argument: Any = b"5" if name.endswith("_json") else 5
        result = getattr(v, name)(argument)
        if name == "iter_errors":
            assert list(result) == []
        assert isinstance(v._compiled, _native.Validator)


@pytest.mark.parametrize("name", HOT)
def test_a_malformed_schema_fails_at_first_use_every_time(name: str) -> None:
    v = jsonschema.Draft202012Validator({"pattern": "("})  # built without complaint
    argument: Any = b'"a"' if name.endswith("_json") else "a"
    for _ in range(2):
        # iter_errors too: the schema compiles when it is called, not when iterated.
        with pytest.raises(exceptions.SchemaCompileError):
            getattr(v, name)(argument)
        assert v._compiled is None


def test_a_checker_registered_after_construction_applies_to_every_entry_point() -> None:
    for name in HOT:
        checker = jsonschema.FormatChecker(formats=())
        v = jsonschema.Draft202012Validator({"format": "even"}, format_checker=checker)

        @checker.checks("even")
        def is_even(value: object) -> bool:
            return not isinstance(value, int) or value % 2 == 0

        argument: Any = b"3" if name.endswith("_json") else 3
        method = getattr(v, name)
        if name in ("is_valid", "is_valid_json"):
            assert method(argument) is False
        elif name == "iter_errors":
            assert _messages(method(argument)) == ["3 is not a 'even'"]
        else:
            with pytest.raises(ValidationError, match="is not a 'even'"):
                method(argument)
        # Native from now on, with the checker compiled in.
        assert v.is_valid(4) is True
        assert v.is_valid(5) is False


def test_subclass_overrides_are_called() -> None:
    calls: list[tuple[str, Any]] = []

    class Recording(jsonschema.Draft7Validator):
        def is_valid(self, instance: Any, _schema: Any = None) -> bool:
            calls.append(("is_valid", instance))
            return bool(super().is_valid(instance, _schema))

        def iter_errors(self, instance: Any, _schema: Any = None) -> Iterator[ValidationError]:
            calls.append(("iter_errors", instance))
            yield from super().iter_errors(instance, _schema)

        def validate(self, instance: Any) -> None:
            calls.append(("validate", instance))
            super().validate(instance)

    v = Recording({"type": "integer"})
    for _ in range(2):  # before and after compiling
        assert v.is_valid(1) is True
        assert v.is_valid("a") is False
        assert _messages(v.iter_errors("a")) == ["'a' is not of type 'integer'"]
        with pytest.raises(ValidationError):
            v.validate("a")
    assert [c[0] for c in calls] == ["is_valid", "is_valid", "iter_errors", "validate"] * 2
    # Inherited methods stay native in a subclass that does not override them.
    assert type(v).is_valid_json is _native.ValidatorBase.is_valid_json
    assert v.is_valid_json(b"1") is True


def test_subclass_with_its_own_init_and_slots_of_state() -> None:
    class Tagged(jsonschema.Draft202012Validator):
        def __init__(self, schema: Any, tag: str, **kwargs: Any) -> None:
            super().__init__(schema, **kwargs)
            self.tag = tag

    v = Tagged({"maximum": 2}, "t")
    assert v.tag == "t"
    assert v.is_valid(2) is True
    assert v.is_valid(3) is False
    assert not Tagged({"maximum": 2}, "u").is_valid(3)


def test_deprecated_schema_argument_warns_at_the_caller() -> None:
    v = jsonschema.Draft202012Validator({"type": "integer"})
    v.is_valid(1)  # compiled: the native method must still honour `_schema`
    with pytest.warns(DeprecationWarning, match="is_valid is deprecated") as record:
        assert v.is_valid("a", {"type": "string"}) is True
    assert record[0].filename == __file__
    with pytest.warns(DeprecationWarning, match="iter_errors is deprecated") as record:
        assert _messages(v.iter_errors(1, {"type": "string"})) == ["1 is not of type 'string'"]
    assert record[0].filename == __file__
    ref = upstream.Draft202012Validator({"type": "integer"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert ref.is_valid("a", {"type": "string"}) is True


def test_init_again_resets_the_compiled_schema() -> None:
    v = jsonschema.Draft202012Validator({"type": "integer"})
    assert v.is_valid(1)
    v.__init__({"type": "string"})  # type: ignore[misc]
    assert v._compiled is None
    assert v.is_valid("a")
    assert not v.is_valid(1)


def test_compiled_slot_takes_validators_only() -> None:
    v = jsonschema.Draft202012Validator({})
    with pytest.raises(TypeError):
        v._compiled = "not a validator"  # type: ignore[assignment]
    with pytest.raises((TypeError, AttributeError)):
        del v._compiled


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("compiled_first", [False, True])
def test_pickle_round_trip_then_validate(protocol: int, compiled_first: bool) -> None:
    checker = jsonschema.FormatChecker()
    v = jsonschema.Draft7Validator({"format": "email", "type": "string"}, format_checker=checker)
    if compiled_first:
        assert not v.is_valid("nope")
    w = pickle.loads(pickle.dumps(v, protocol=protocol))
    assert type(w) is jsonschema.Draft7Validator
    assert w.schema == v.schema
    assert w._compiled is None
    assert not w.is_valid("nope")
    assert w.is_valid("a@example.com")
    assert w.is_valid_json(b'"a@example.com"')
    with pytest.raises(ValidationError, match="is not a 'email'"):
        w.validate("nope")


def test_copies_validate_alike() -> None:
    v = jsonschema.Draft202012Validator({"minimum": 1})
    assert v.is_valid(1)
    for other in (copy.copy(v), copy.deepcopy(v)):
        assert type(other) is type(v)
        assert other.schema == v.schema
        assert other.is_valid(1)
        assert not other.is_valid(0)


def test_evolve_gives_a_new_native_validator() -> None:
    v = jsonschema.Draft7Validator({"type": "integer"})
    assert v.is_valid(1)
    w = v.evolve(schema={"type": "string"})
    assert type(w) is jsonschema.Draft7Validator
    assert w._compiled is None
    assert w.is_valid("a")
    assert not w.is_valid(1)
    assert v.is_valid(1)  # the original keeps its compiled schema
    assert repr(w) == "Draft7Validator(schema={'type': 'string'}, format_checker=None)"


def test_validator_protocol_attributes_stay() -> None:
    v = jsonschema.Draft202012Validator({"type": "integer"}, format_checker=None)
    assert v.schema == {"type": "integer"}
    assert v.format_checker is None
    assert isinstance(v, _native.ValidatorBase)
    assert v.META_SCHEMA is jsonschema.Draft202012Validator.META_SCHEMA
    assert jsonschema.Draft202012Validator.FORMAT_CHECKER is not None
    v.schema = {"type": "string"}  # instance attributes stay assignable
    assert v.schema == {"type": "string"}


def test_threads_share_one_validator_from_its_first_use() -> None:
    # All threads start before the schema is compiled: some compile it at the same time.
    v = jsonschema.Draft202012Validator({"items": {"type": "integer", "minimum": 0}})
    good, bad = list(range(200)), [*range(200), -1]
    failures: list[str] = []
    barrier = threading.Barrier(8)

    def work(i: int) -> None:
        barrier.wait()
        for k in range(100):
            entry = (i + k) % 4
            if entry == 0 and (not v.is_valid(good) or v.is_valid(bad)):
                failures.append("is_valid")
            elif entry == 1 and _messages(v.iter_errors(bad)) != [
                "-1 is less than the minimum of 0"
            ]:
                failures.append("iter_errors")
            elif entry == 2 and not isinstance(_raised(partial(v.validate, bad)), ValidationError):
                failures.append("validate")
            elif entry == 3 and v.is_valid_json(b"[1, -1]"):
                failures.append("is_valid_json")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_validation_reentering_the_same_validator_from_a_format_checker() -> None:
    # A checker validating with the validator that calls it: the compiled schema must not be
    # held under a lock while Python code runs.
    checker = jsonschema.FormatChecker(formats=())
    inner: list[Any] = []

    @checker.checks("nested")
    def nested(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return bool(inner[0].is_valid(5) and inner[0].is_valid_json(b"5"))

    v = jsonschema.Draft202012Validator({"format": "nested", "minimum": 1}, format_checker=checker)
    inner.append(v)
    assert v.is_valid("s") is True
    assert v.is_valid("s") is True
    assert _messages(v.iter_errors(0)) == ["0 is less than the minimum of 1"]
    assert v.is_valid_json(b'"s"') is True
