"""The compiled core of ``ferrule.jsonschema`` (see the binding's ``validator.rs``)."""

import json
from collections.abc import Callable, Iterator
from typing import Any, final

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

def check_format(format: str, value: str, /, draft: str = "draft2020-12") -> bool | None: ...
def known_formats(draft: str = "draft2020-12") -> list[str]: ...
def metaschema(draft: str) -> Any: ...

__all__ = [
    "JSONDecodeError",
    "SchemaCompileError",
    "Validator",
    "__version__",
    "check_format",
    "known_formats",
    "metaschema",
]
