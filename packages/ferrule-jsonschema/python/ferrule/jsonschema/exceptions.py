"""Validation errors, as in python-jsonschema's ``jsonschema.exceptions``.

The classes, attributes, ``best_match``, ``relevance`` and ``ErrorTree`` follow
python-jsonschema (MIT license, see ``LICENSE-JSONSCHEMA``) so that code catching and inspecting
its errors keeps working.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from pprint import pformat
from textwrap import dedent, indent
from typing import TYPE_CHECKING, Any, ClassVar

from ferrule.jsonschema._native import (
    JSONDecodeError,
    LazyAttribute,
    LazyError,
    SchemaCompileError,
)

__all__ = [
    "ErrorTree",
    "FormatError",
    "JSONDecodeError",
    "SchemaCompileError",
    "SchemaError",
    "UndefinedTypeCheck",
    "UnknownType",
    "ValidationError",
    "best_match",
    "by_relevance",
    "relevance",
]

WEAK_MATCHES: frozenset[str] = frozenset(["anyOf", "oneOf"])
STRONG_MATCHES: frozenset[str] = frozenset()

_JSON_PATH_COMPATIBLE_PROPERTY_PATTERN = re.compile("^[a-zA-Z][a-zA-Z0-9_]*$")


class _Unset:
    """A sentinel for attributes that were not given."""

    def __repr__(self) -> str:
        return "<unset>"


_unset: Any = _Unset()

_TYPES: dict[str, Callable[[Any], bool]] = {
    "array": lambda i: isinstance(i, list | tuple),
    "boolean": lambda i: isinstance(i, bool),
    "integer": lambda i: (
        not isinstance(i, bool)
        and (isinstance(i, int) or (isinstance(i, float) and i.is_integer()))
    ),
    "null": lambda i: i is None,
    "number": lambda i: not isinstance(i, bool) and isinstance(i, int | float),
    "object": lambda i: isinstance(i, dict),
    "string": lambda i: isinstance(i, str),
}


def _pretty(thing: Any, prefix: str) -> str:
    return indent(pformat(thing, width=72, sort_dicts=False), prefix).lstrip()


def _format_as_index(container: str, indices: Iterable[Any]) -> str:
    indices = list(indices)
    if not indices:
        return container
    return f"{container}[{']['.join(repr(index) for index in indices)}]"


# The attributes a lazy error (see `_lazy_of`) computes on first access, each a `LazyAttribute`
# of `_Error`.
_LAZY_ATTRIBUTES = frozenset(
    [
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
    ]
)
_ARGS: Any = BaseException.args  # the C slot, for use beside the `args` property
_DICT: Any = BaseException.__dict__["__dict__"]  # likewise for `__dict__`


def _lazy_of(error: BaseException) -> LazyError | None:
    """The native error a lazy error (see `_Error`) is still to be built from, or None."""
    args = _ARGS.__get__(error)
    if len(args) == 1 and type(args[0]) is LazyError:
        return args[0]
    return None


class _Error(Exception):
    _word_for_schema_in_error_message: ClassVar[str]
    _word_for_instance_in_error_message: ClassVar[str]
    # ``validate()`` raises and ``iter_errors`` yields errors made with ``__new__`` alone, their
    # ``args`` the native error that builds the full one (`_lazy_of`): most raised errors are
    # caught and dropped unread, most yielded ones have their message read alone. The payload
    # sits in ``args``, which the exception stores in its own struct, so that a lazy error has
    # no ``__dict__`` to make and free until something writes an attribute. Each attribute
    # ``__init__`` writes is also a native non-data descriptor on the class (`LazyAttribute`,
    # below), consulted only when the instance's ``__dict__`` lacks the name: reading
    # ``message`` makes the message alone; any other attribute (or ``args``, pickling, copying)
    # builds the whole error in place, once.

    def __init__(
        self,
        message: str,
        validator: Any = _unset,
        path: Iterable[str | int] = (),
        cause: BaseException | None = None,
        context: Iterable[_Error] = (),
        validator_value: Any = _unset,
        instance: Any = _unset,
        schema: Any = _unset,
        schema_path: Iterable[str | int] = (),
        parent: _Error | None = None,
        type_checker: Any = _unset,
    ) -> None:
        super().__init__(
            message,
            validator,
            path,
            cause,
            context,
            validator_value,
            instance,
            schema,
            schema_path,
            parent,
        )
        self.message = message
        self.path: deque[str | int] = deque(path)
        self.relative_path = self.path
        self.schema_path: deque[str | int] = deque(schema_path)
        self.relative_schema_path = self.schema_path
        self.context: list[_Error] = list(context)
        self.cause = self.__cause__ = cause
        self.validator = validator
        self.validator_value = validator_value
        self.instance = instance
        self.schema = schema
        self.parent = parent
        self._type_checker = type_checker
        for error in self.context:
            error.parent = self

    if not TYPE_CHECKING:  # mypy keeps checking attribute names; the interpreter sees these

        def __delattr__(self, name: str) -> None:
            lazy = _lazy_of(self)
            if lazy is not None and name in _LAZY_ATTRIBUTES:
                lazy.fill(self)
            super().__delattr__(name)

        @property
        def __dict__(self) -> dict[str, Any]:
            # `vars()` of a lazy error shows every attribute, as python-jsonschema's errors
            # do; attribute reads use the dict directly, not this.
            lazy = _lazy_of(self)
            if lazy is not None:
                lazy.fill(self)
            return _DICT.__get__(self)

        @__dict__.setter
        def __dict__(self, value: dict[str, Any]) -> None:
            _DICT.__set__(self, value)

        @property
        def args(self) -> tuple[Any, ...]:
            lazy = _lazy_of(self)
            if lazy is not None:
                lazy.fill(self)
            return _ARGS.__get__(self)

        @args.setter
        def args(self, value: Iterable[Any]) -> None:
            # Replacing the payload unbuilt would lose the other attributes.
            lazy = _lazy_of(self)
            if lazy is not None:
                lazy.fill(self)
            _ARGS.__set__(self, value)

    def __reduce__(self) -> Any:
        lazy = _lazy_of(self)
        if lazy is not None:
            lazy.fill(self)
        return super().__reduce__()

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self.message!r}>"

    def __str__(self) -> str:
        essential = (self.validator, self.validator_value, self.instance, self.schema)
        if any(m is _unset for m in essential):
            return self.message
        schema_path = _format_as_index(
            self._word_for_schema_in_error_message, list(self.relative_schema_path)[:-1]
        )
        instance_path = _format_as_index(
            self._word_for_instance_in_error_message, self.relative_path
        )
        prefix = 16 * " "
        return dedent(
            f"""\
            {self.message}

            Failed validating {self.validator!r} in {schema_path}:
                {_pretty(self.schema, prefix=prefix)}

            On {instance_path}:
                {_pretty(self.instance, prefix=prefix)}
            """.rstrip(),
        )

    @classmethod
    def create_from(cls, other: _Error) -> Any:
        return cls(**other._contents())

    @property
    def absolute_path(self) -> Sequence[str | int]:
        parent = self.parent
        if parent is None:
            return self.relative_path
        path = deque(self.relative_path)
        path.extendleft(reversed(parent.absolute_path))
        return path

    @property
    def absolute_schema_path(self) -> Sequence[str | int]:
        parent = self.parent
        if parent is None:
            return self.relative_schema_path
        path = deque(self.relative_schema_path)
        path.extendleft(reversed(parent.absolute_schema_path))
        return path

    @property
    def json_path(self) -> str:
        path = "$"
        for elem in self.absolute_path:
            if isinstance(elem, int):
                path += "[" + str(elem) + "]"
            elif _JSON_PATH_COMPATIBLE_PROPERTY_PATTERN.match(elem):
                path += "." + elem
            else:
                escaped = elem.replace("\\", "\\\\").replace("'", r"\'")
                path += "['" + escaped + "']"
        return path

    def _set(self, type_checker: Any = None, **kwargs: Any) -> None:
        if type_checker is not None and self._type_checker is _unset:
            self._type_checker = type_checker
        for k, v in kwargs.items():
            if getattr(self, k) is _unset:
                setattr(self, k, v)

    def _contents(self) -> dict[str, Any]:
        attrs = (
            "message",
            "cause",
            "context",
            "validator",
            "validator_value",
            "path",
            "schema_path",
            "instance",
            "schema",
            "parent",
        )
        return {attr: getattr(self, attr) for attr in attrs}

    def _matches_type(self) -> bool:
        try:
            expected = self.schema["type"]
        except (KeyError, TypeError, IndexError):
            return False
        if isinstance(expected, str):
            expected = [expected]
        try:
            return any(_TYPES[t](self.instance) for t in expected)
        except (KeyError, TypeError):
            return False


if not TYPE_CHECKING:  # the class's annotations say what the instances hold
    for _name in _LAZY_ATTRIBUTES:
        setattr(_Error, _name, LazyAttribute(_name))
    del _name


class ValidationError(_Error):
    """An instance was invalid under a provided schema."""

    _word_for_schema_in_error_message = "schema"
    _word_for_instance_in_error_message = "instance"


class SchemaError(_Error):
    """A schema was invalid under its corresponding metaschema."""

    _word_for_schema_in_error_message = "metaschema"
    _word_for_instance_in_error_message = "schema"


class UndefinedTypeCheck(Exception):
    """A type checker was asked to check a type it did not have registered."""

    def __init__(self, type: str) -> None:
        self.type = type

    def __str__(self) -> str:
        return f"Type {self.type!r} is unknown to this type checker"


class UnknownType(Exception):
    """A validator was asked to validate with an unknown type."""

    def __init__(self, type: Any, instance: Any, schema: Any) -> None:
        self.type = type
        self.instance = instance
        self.schema = schema

    def __str__(self) -> str:
        return f"Unknown type {self.type!r} for validator with schema:\n{self.schema!r}"


class FormatError(Exception):
    """Validating a format failed."""

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message, cause)
        self.message = message
        self.cause = self.__cause__ = cause

    def __str__(self) -> str:
        return self.message


class ErrorTree:
    """ErrorTrees make it easier to check which validations failed."""

    _instance: Any = _unset

    def __init__(self, errors: Iterable[ValidationError] = ()) -> None:
        self.errors: MutableMapping[str, ValidationError] = {}
        self._contents: Mapping[str | int, ErrorTree] = defaultdict(self.__class__)
        for error in errors:
            container = self
            for element in error.path:
                container = container[element]
            container.errors[error.validator] = error
            container._instance = error.instance

    def __contains__(self, index: str | int) -> bool:
        """Check whether ``instance[index]`` has any errors."""
        return index in self._contents

    def __getitem__(self, index: str | int) -> ErrorTree:
        """Retrieve the child tree one level down at the given ``index``."""
        if self._instance is not _unset and index not in self:
            self._instance[index]
        return self._contents[index]

    def __iter__(self) -> Any:
        """Iterate (non-recursively) over the indices in the instance with errors."""
        return iter(self._contents)

    def __len__(self) -> int:
        """Return the `total_errors`."""
        return self.total_errors

    def __repr__(self) -> str:
        total = len(self)
        errors = "error" if total == 1 else "errors"
        return f"<{self.__class__.__name__} ({total} total {errors})>"

    @property
    def total_errors(self) -> int:
        """The total number of errors in the entire tree, including children."""
        child_errors = sum(len(tree) for _, tree in self._contents.items())
        return len(self.errors) + child_errors


def by_relevance(
    weak: frozenset[str] = WEAK_MATCHES, strong: frozenset[str] = STRONG_MATCHES
) -> Callable[[_Error], Any]:
    """Create a key function that can be used to sort errors by relevance."""

    def relevance(error: _Error) -> Any:
        validator = error.validator
        return (
            -len(error.path),
            error.path,
            validator not in weak,
            validator in strong,
            not error._matches_type(),
        )

    return relevance


relevance = by_relevance()


def best_match(errors: Iterable[_Error], key: Callable[[_Error], Any] = relevance) -> Any:
    """The error that appears to be the best match among ``errors`` (``None`` if none)."""
    best = max(errors, key=key, default=None)
    if best is None:
        return None
    while best.context:
        smallest = heapq.nsmallest(2, best.context, key=key)
        if len(smallest) == 2 and key(smallest[0]) == key(smallest[1]):
            return best
        best = smallest[0]
    return best
