"""``iter_errors`` builds its errors without calling ``__init__`` (one dict update instead of
a dozen attribute writes): each must be indistinguishable from the error ``__init__`` makes
from the same values, through its attributes, ``args``, context parents, copies and pickles.
"""

from __future__ import annotations

import copy
import pickle
from collections import deque
from typing import Any

import ferrule.jsonschema as jsonschema

SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer", "minimum": 0},
            "name": {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]},
        },
    },
}
INSTANCE = [{"id": -1, "name": "long name", "extra": 1}, {"name": 5}, "x"]


def _rebuilt(error: Any) -> Any:
    return jsonschema.ValidationError(
        error.message,
        validator=error.validator,
        path=error.path,
        context=[_rebuilt(c) for c in error.context],
        validator_value=error.validator_value,
        instance=error.instance,
        schema=error.schema,
        schema_path=error.schema_path,
    )


def _state(error: Any) -> Any:
    # The unset type checker is a sentinel that copies and pickles remake: compared by repr.
    d = {
        k: repr(v) if k == "_type_checker" else v
        for k, v in vars(error).items()
        if k not in {"context", "parent"}
    }
    return (
        type(error),
        d,
        [_state(c) for c in error.context],
        len(error.args),
        error.__cause__,
    )


def test_iter_errors_errors_equal_those_init_makes() -> None:
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(INSTANCE))
    assert len(errors) == 6
    for error in errors:
        assert _state(error) == _state(_rebuilt(error))
        assert list(vars(error)) == list(vars(_rebuilt(error)))
        assert error.args[0] == error.message
        for child in error.context:
            assert child.parent is error
        assert error.context is not error.args[4]
        for other in (copy.copy(error), copy.deepcopy(error), pickle.loads(pickle.dumps(error))):
            assert _state(other) == _state(error)
            assert str(other) == str(error)


def test_best_match_and_error_tree_over_fast_errors() -> None:
    v = jsonschema.Draft202012Validator(SCHEMA)
    best = jsonschema.exceptions.best_match(v.iter_errors(INSTANCE))
    assert best is not None
    assert best.message
    tree = jsonschema.exceptions.ErrorTree(v.iter_errors(INSTANCE))
    assert "minimum" in tree[0]["id"].errors


def test_iter_errors_makes_errors_as_iterated() -> None:
    # Errors are made a batch at a time: more errors than one batch, read partly, then all.
    schema = {"items": {"type": "string", "minLength": 2}}
    instance = list(range(300)) + ["x"] * 50 + ["ok"]
    validator = jsonschema.Draft202012Validator(schema)
    it = validator.iter_errors(instance)
    assert iter(it) is it
    first = [next(it) for _ in range(70)]
    rest = list(it)
    assert next(it, None) is None
    errors = first + rest
    assert len(errors) == 350
    assert [list(e.path) for e in errors] == [[i] for i in range(350)]
    assert errors[0].message == "0 is not of type 'string'"
    assert errors[-1].message == "'x' is too short"
    assert [e.message for e in validator.iter_errors_json(str(instance).replace("'", '"'))] == [
        e.message for e in errors
    ]


def test_a_message_read_pulls_from_its_iterator() -> None:
    # Making a message calls `repr` of the instance, at the first read of the message (the
    # errors are lazy): a repr that pulls from the iterator that yielded the error gets the
    # iterator's next error, as from a generator, not a deadlock.
    holder: dict[str, Any] = {}

    class Sneaky(dict):  # type: ignore[type-arg]
        def __repr__(self) -> str:
            holder.setdefault("pulled", next(holder["it"], None))
            return "Sneaky()"

    validator = jsonschema.Draft202012Validator({"items": {"type": "string"}})
    holder["it"] = validator.iter_errors([Sneaky(), Sneaky()])
    first = next(holder["it"])
    assert first.message == "Sneaky() is not of type 'string'"
    assert holder["pulled"].path == deque([1])
    assert next(holder["it"], None) is None
