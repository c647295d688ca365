"""The compiled core of ``ferrule.jsonschema`` (see the binding's ``validator.rs``)."""

import json
from collections.abc import Callable, Iterator
from typing import Any, Self, final

from typing_extensions import disjoint_base

__version__: str

class JSONDecodeError(json.JSONDecodeError):
    """Malformed JSON text, positions as the stdlib's."""

class SchemaCompileError(ValueError):
    """A schema that cannot be compiled."""

    kind: str
    location: str

@final
class Validator:
    """A compiled schema; immutable and shareable between threads."""

    def __new__(
        cls,
        schema: Any,
        /,
        *,
        draft: str | None = None,
        force_draft: bool = False,
        formats: list[str] | None = None,
        host_formats: list[str] | None = None,
        format_check: Callable[[Any, str], bool] | None = None,
        retrieve: Callable[[str], Any] | None = None,
    ) -> Validator: ...
    @property
    def schema(self) -> Any: ...
    def is_valid(self, instance: Any) -> bool: ...
    # The errors are `ferrule.jsonschema.exceptions.ValidationError`s; `iter_errors*` make
    # them a batch at a time as they are iterated, `first_error*` make them lazy (built on
    # the first read of an attribute).
    def iter_errors(self, instance: Any) -> Iterator[Any]: ...
    def first_error(self, instance: Any) -> Any | None: ...
    def first_error_json(self, data: Any) -> Any | None: ...
    def is_valid_json(self, data: Any) -> bool: ...
    def iter_errors_json(self, data: Any) -> Iterator[Any]: ...
    def evaluate(self, instance: Any, /, output: str = "basic") -> dict[str, Any]: ...
    def evaluate_json(self, data: Any, /, output: str = "basic") -> dict[str, Any]: ...
    def schema_at(self, location: str, keyword: str) -> tuple[Any, Any] | None: ...
    def __getnewargs_ex__(self) -> tuple[tuple[Any], dict[str, Any]]: ...

@disjoint_base
class ValidatorBase:
    """The native base of the ``Draft*Validator`` classes: their hot methods, run without a
    Python frame once the schema is compiled."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Self: ...
    @property
    def _compiled(self) -> Validator | None: ...
    @_compiled.setter
    def _compiled(self, value: Validator | None) -> None: ...
    def is_valid(self, instance: Any, _schema: Any = None) -> bool:
        """Whether ``instance`` is valid.

        >>> from ferrule.jsonschema import Draft202012Validator
        >>> Draft202012Validator({"type": "integer"}).is_valid(3)
        True
        """

    def iter_errors(self, instance: Any, _schema: Any = None) -> Iterator[Any]:
        """Every error of ``instance``, in schema order.

        The core finds every error in one pass over the instance before the first is
        yielded (a walk that could be suspended and resumed would slow down every
        validation); the `ValidationError` objects are made in Rust as they are iterated. To
        stop at the first error, call `validate`: the core stops there too.

        >>> from ferrule.jsonschema import Draft202012Validator
        >>> validator = Draft202012Validator({"items": {"type": "integer"}})
        >>> for error in validator.iter_errors([1, "a", None]):
        ...     print(error.message)
        'a' is not of type 'integer'
        None is not of type 'integer'
        """

    def validate(self, instance: Any) -> None:
        """Raise the first `ValidationError` of ``instance``, if any.

        The error's attributes are computed when first read, so raising is cheap when the
        error is caught and dropped.

        >>> from ferrule.jsonschema import Draft202012Validator, ValidationError
        >>> try:
        ...     Draft202012Validator({"items": {"type": "integer"}}).validate([1, "a"])
        ... except ValidationError as error:
        ...     print(error.message, list(error.path))
        'a' is not of type 'integer' [1]
        """

    def is_valid_json(self, data: bytes | bytearray | str) -> bool:
        """Whether JSON text (``bytes``, ``bytearray`` or ``str``) is valid, parsed and
        validated in Rust without making Python objects.

        >>> from ferrule.jsonschema import Draft202012Validator
        >>> Draft202012Validator({"type": "array"}).is_valid_json(b"[1, 2]")
        True
        """

    def validate_json(self, data: bytes | bytearray | str) -> None:
        """Raise the first `ValidationError` of JSON text, if any.

        >>> from ferrule.jsonschema import Draft202012Validator, ValidationError
        >>> try:
        ...     Draft202012Validator({"type": "array"}).validate_json(b'{"a": 1}')
        ... except ValidationError as error:
        ...     print(error.message)
        {'a': 1} is not of type 'array'
        """

@final
class LazyError:
    """What a ``ValidationError`` raised by ``validate()`` or yielded by ``iter_errors`` holds
    (as its ``args``) until its first read (internal)."""

    def build(self, cls: type[Any]) -> Any: ...
    def fill(self, error: BaseException) -> None: ...

@final
class LazyAttribute:
    """An attribute of ``ValidationError`` that a lazy error builds on its first read
    (internal)."""

    def __new__(cls, name: str) -> LazyAttribute: ...
    def __get__(self, instance: object, owner: object = None, /) -> Any: ...

def check_format(format: str, value: str, /, draft: str = "draft2020-12") -> bool | None: ...
def known_formats(draft: str = "draft2020-12") -> list[str]: ...
def metaschema(draft: str) -> Any: ...

__all__ = [
    "JSONDecodeError",
    "LazyAttribute",
    "LazyError",
    "SchemaCompileError",
    "Validator",
    "ValidatorBase",
    "__version__",
    "check_format",
    "known_formats",
    "metaschema",
]
