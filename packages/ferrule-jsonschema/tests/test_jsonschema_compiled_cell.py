"""Where ``_native.ValidatorBase`` keeps the compiled schema: a once-set cell read without a
lock by every hot call, and a locked slot once ``__init__`` (run again, or by
``__setstate__``) has reset a compiled validator. Each test goes through both, as
python-jsonschema's answers say it should."""

from __future__ import annotations

import pickle
import threading
from typing import Any

import jsonschema as upstream
import pytest

import ferrule.jsonschema as jsonschema
from ferrule.jsonschema import ValidationError

INTEGER = {"type": "integer"}
STRING = {"type": "string"}


def _answers(validator: Any, instances: list[Any]) -> list[bool]:
    return [validator.is_valid(i) for i in instances]


def test_the_first_compile_is_kept_and_read_back() -> None:
    validator = jsonschema.Draft202012Validator(INTEGER)
    assert validator._compiled is None
    assert validator.is_valid(1)
    compiled = validator._compiled
    assert compiled is not None
    assert validator._compiled is compiled
    assert not validator.is_valid("x")
    assert validator._compiled is compiled


def test_init_again_after_compiling_switches_to_the_new_schema_on_every_entry_point() -> None:
    validator = jsonschema.Draft202012Validator(INTEGER)
    assert validator.is_valid(1)
    validator.__init__(STRING)  # type: ignore[misc]
    assert validator._compiled is None
    assert validator.is_valid("x")
    assert not validator.is_valid(1)
    assert validator.is_valid_json(b'"x"')
    assert [e.message for e in validator.iter_errors(1)] == ["1 is not of type 'string'"]
    with pytest.raises(ValidationError, match="1 is not of type 'string'"):
        validator.validate(1)
    with pytest.raises(ValidationError, match="1 is not of type 'string'"):
        validator.validate_json(b"1")
    # A third schema after the reset path was taken.
    validator.__init__({"type": "null"})  # type: ignore[misc]
    assert validator.is_valid(None)
    assert not validator.is_valid("x")


def test_init_again_before_compiling_keeps_the_lock_free_cell() -> None:
    validator = jsonschema.Draft202012Validator(INTEGER)
    validator.__init__(STRING)  # type: ignore[misc]
    assert validator.is_valid("x")
    assert not validator.is_valid(1)


def test_setting_the_slot_by_hand_replaces_the_compiled_schema() -> None:
    validator = jsonschema.Draft202012Validator(INTEGER)
    other = jsonschema.Draft202012Validator(STRING)
    assert other.is_valid("x")
    assert validator.is_valid(1)
    validator._compiled = other._compiled
    assert validator.is_valid("x")
    assert not validator.is_valid(1)
    validator._compiled = None
    # Compiled again from its own schema at the next call.
    assert validator.is_valid(1)
    assert not validator.is_valid("x")


@pytest.mark.parametrize("compile_first", [False, True])
@pytest.mark.parametrize("reset_first", [False, True])
def test_pickle_round_trips_from_either_slot(compile_first: bool, reset_first: bool) -> None:
    validator = jsonschema.Draft7Validator(INTEGER)
    if compile_first:
        assert validator.is_valid(1)
    if reset_first:
        validator.__init__(STRING)  # type: ignore[misc]
        assert validator.is_valid("x")
    copy = pickle.loads(pickle.dumps(validator))
    schema = STRING if reset_first else INTEGER
    ref = upstream.Draft7Validator(schema)
    instances = [1, "x", None, 1.0]
    assert _answers(copy, instances) == _answers(ref, instances)
    assert _answers(validator, instances) == _answers(ref, instances)


def test_evolve_after_a_reset() -> None:
    validator = jsonschema.Draft202012Validator(INTEGER)
    assert validator.is_valid(1)
    validator.__init__(STRING)  # type: ignore[misc]
    evolved = validator.evolve(schema={"type": "boolean"})
    assert evolved.is_valid(True)
    assert validator.is_valid("x")
    assert not validator.is_valid(True)


def test_subclass_overrides_still_win_over_the_cell() -> None:
    calls: list[Any] = []

    class Counting(jsonschema.Draft202012Validator):
        def is_valid(self, instance: Any, _schema: Any = None) -> bool:
            calls.append(instance)
            return bool(super().is_valid(instance, _schema))

    validator = Counting(INTEGER)
    assert validator.is_valid(1)
    assert not validator.is_valid("x")
    validator.__init__(STRING)  # type: ignore[misc]
    assert validator.is_valid("x")
    assert calls == [1, "x", "x"]


def test_threads_racing_the_first_compile_then_resets() -> None:
    # Several threads compile at once (all but one value go to the locked slot), then one
    # thread resets the validator while others keep validating: every answer is one of the
    # two schemas' answers, and nothing crashes.
    for _ in range(20):
        validator = jsonschema.Draft202012Validator(INTEGER)
        barrier = threading.Barrier(4)
        seen: list[bool] = []
        errors: list[BaseException] = []

        def work(
            validator: Any = validator,
            barrier: Any = barrier,
            seen: list[bool] = seen,
            errors: list[BaseException] = errors,
        ) -> None:
            try:
                barrier.wait()
                seen.extend(validator.is_valid(1) for _ in range(50))
            except BaseException as e:
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert seen == [True] * 200
        assert validator.is_valid(1)

    # Readers during resets: each call sees one schema or the other (both reject None), and
    # the raising path builds its error from the schema it ran.
    validator = jsonschema.Draft202012Validator(INTEGER)
    assert validator.is_valid(1)
    stop = threading.Event()
    answers: list[bool] = []
    messages: set[str] = set()
    failures: list[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                answers.append(validator.is_valid(None))
                try:
                    validator.validate(None)
                except ValidationError as e:
                    messages.add(e.message)
        except BaseException as e:
            failures.append(e)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(50):
        validator.__init__(STRING if i % 2 else INTEGER)  # type: ignore[misc]
        assert validator.is_valid("x") == bool(i % 2)
    stop.set()
    for t in threads:
        t.join()
    assert failures == []
    assert set(answers) <= {False}
    assert messages <= {"None is not of type 'integer'", "None is not of type 'string'"}
    assert validator.is_valid("x")


def test_a_format_checker_resetting_the_validator_during_validation() -> None:
    # The checker runs inside a call that read the compiled schema; the reset drops the
    # slot's reference, and the running call must keep its own.
    checker = jsonschema.FormatChecker()
    holder: list[Any] = []

    @checker.checks("reset-me")
    def reset(instance: object) -> bool:
        holder[0].__init__({"type": "string"}, format_checker=checker)
        holder[0].__init__({"format": "reset-me"}, format_checker=checker)
        return instance == "ok"

    validator = jsonschema.Draft202012Validator({"format": "reset-me"}, format_checker=checker)
    holder.append(validator)
    assert validator.is_valid("ok")
    assert not validator.is_valid("no")
    assert validator.is_valid("ok")
    with pytest.raises(ValidationError):
        validator.validate("no")
