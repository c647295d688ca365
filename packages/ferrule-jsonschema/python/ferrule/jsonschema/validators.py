"""The draft-specific validator classes, ``validator_for`` and ``validate``, as in
python-jsonschema's ``jsonschema.validators``."""

from __future__ import annotations

import copyreg
import warnings
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Literal

from ferrule.jsonschema import _native
from ferrule.jsonschema._format import (
    FormatChecker,
    draft4_format_checker,
    draft6_format_checker,
    draft7_format_checker,
    draft201909_format_checker,
    draft202012_format_checker,
    native_options,
)
from ferrule.jsonschema.exceptions import SchemaError, ValidationError, best_match

OutputFormat = Literal["flag", "basic", "detailed", "verbose"]

__all__ = [
    "Draft4Validator",
    "Draft6Validator",
    "Draft7Validator",
    "Draft201909Validator",
    "Draft202012Validator",
    "OutputFormat",
    "evaluate",
    "evaluate_json",
    "validate",
    "validator_for",
]

# The base URI the core gives a root schema without `$id`; python-jsonschema uses "".
_DEFAULT_BASE = "json-schema:///"
_UNSET: Any = object()


class _Retriever:
    """Documents for remote references: a `referencing.Registry`, then ``retrieve``."""

    __slots__ = ("registry", "retrieve")

    def __init__(self, registry: Any, retrieve: Callable[[str], Any] | None) -> None:
        self.registry = registry
        self.retrieve = retrieve

    def __call__(self, uri: str) -> Any:
        if uri.startswith(_DEFAULT_BASE):
            uri = uri[len(_DEFAULT_BASE) :]
        if self.registry is not None:
            from referencing.exceptions import (  # type: ignore[import-not-found, unused-ignore]
                Unresolvable,
            )

            try:
                return self.registry.get_or_retrieve(uri).value.contents
            except Unresolvable:
                if self.retrieve is None:
                    raise
        if self.retrieve is None:
            raise LookupError(f"no retriever configured for {uri!r}")
        document = self.retrieve(uri)
        # A `referencing.Resource` works as well as the schema itself.
        return getattr(document, "contents", document)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Retriever, (self.registry, self.retrieve))


class _Validator(_native.ValidatorBase):
    """A JSON Schema validator for one draft (python-jsonschema's ``Validator`` protocol).

    The schema compiles on first use, so a malformed schema fails when validating, as in
    python-jsonschema (with `ferrule.jsonschema.exceptions.SchemaCompileError`). Compiling at
    construction would be cheaper per call, but checkers registered on the format checker
    after construction and before the first validation would then be missed.
    """

    META_SCHEMA: ClassVar[dict[str, Any]]
    FORMAT_CHECKER: ClassVar[FormatChecker]
    _DRAFT: ClassVar[str]
    _META_VALIDATORS: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        schema: Any,
        resolver: Any = None,
        format_checker: FormatChecker | None = None,
        *,
        registry: Any = None,
        retrieve: Callable[[str], Any] | None = None,
    ) -> None:
        if resolver is not None:
            raise TypeError(
                "ferrule.jsonschema does not support the deprecated RefResolver: pass "
                "registry= (a referencing.Registry) or retrieve= (a callable)"
            )
        self.schema = schema
        self.format_checker = format_checker
        self._registry = registry
        self._retrieve = retrieve
        # The native base's slot, which its methods read.
        self._compiled = None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(schema={self.schema!r}, format_checker={self.format_checker!r})"
        )

    def __getstate__(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "format_checker": self.format_checker,
            "registry": self._registry,
            "retrieve": self._retrieve,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        # What `object.__reduce_ex__` gives a plain class for protocols 2 and up, for every
        # protocol: below 2, copyreg refuses classes with a native base.
        return (copyreg.__newobj__, (type(self),), self.__getstate__())  # type: ignore[attr-defined]

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["schema"],
            format_checker=state["format_checker"],
            registry=state["registry"],
            retrieve=state["retrieve"],
        )

    @property
    def _native(self) -> _native.Validator:
        compiled = self._compiled
        if compiled is None:
            formats, host_formats, format_check = native_options(self.format_checker)
            retriever = None
            if self._registry is not None or self._retrieve is not None:
                retriever = _Retriever(self._registry, self._retrieve)
            # Compiling twice from two threads is harmless: the results are equal.
            compiled = _native.Validator(
                self.schema,
                draft=self._DRAFT,
                # The class decides the draft, as in python-jsonschema, unless `$schema` names
                # a custom metaschema: then its own `$schema` and `$vocabulary` do.
                force_draft=not _custom_metaschema(self.schema),
                formats=formats,
                host_formats=host_formats,
                format_check=format_check,
                retrieve=retriever,
            )
            self._compiled = compiled
        return compiled

    @classmethod
    def check_schema(cls, schema: Any, format_checker: Any = _UNSET) -> None:
        """Raise `SchemaError` if ``schema`` is invalid under this draft's metaschema."""
        Validator = validator_for(cls.META_SCHEMA, default=cls)  # noqa: N806 (python-jsonschema's name)
        if format_checker is _UNSET:
            meta = cls._META_VALIDATORS.get(cls._DRAFT)
            if meta is None:
                meta = Validator(cls.META_SCHEMA, format_checker=Validator.FORMAT_CHECKER)
                cls._META_VALIDATORS[cls._DRAFT] = meta
        else:
            meta = Validator(cls.META_SCHEMA, format_checker=format_checker)
        for error in meta.iter_errors(schema):
            raise SchemaError.create_from(error)

    def evolve(self, **changes: Any) -> Any:
        """A new validator with some attributes changed (``schema``, ``format_checker``,
        ``registry``, ``retrieve``)."""
        schema = changes.setdefault("schema", self.schema)
        NewValidator = validator_for(schema, default=type(self))  # noqa: N806
        changes.setdefault("format_checker", self.format_checker)
        changes.setdefault("registry", self._registry)
        changes.setdefault("retrieve", self._retrieve)
        return NewValidator(**changes)

    # `is_valid`, `iter_errors`, `validate`, `is_valid_json` and `validate_json` are the
    # native base's: they run the compiled schema without a Python frame, and call these
    # when the schema is not compiled yet (compiling it) or the deprecated `_schema` is given.

    def _is_valid(self, instance: Any, _schema: Any = None) -> bool:
        if _schema is not None:
            warnings.warn(
                "Passing a schema to Validator.is_valid is deprecated and will be removed "
                "in a future release. Call validator.evolve(schema=new_schema).is_valid(...) "
                "instead.",
                DeprecationWarning,
                stacklevel=2,
            )
            return bool(self.evolve(schema=_schema).is_valid(instance))
        return self._native.is_valid(instance)

    def _iter_errors(self, instance: Any, _schema: Any = None) -> Iterator[ValidationError]:
        if _schema is not None:
            warnings.warn(
                "Passing a schema to Validator.iter_errors is deprecated and will be removed "
                "in a future release. Call validator.evolve(schema=new_schema).iter_errors(...) "
                "instead.",
                DeprecationWarning,
                stacklevel=2,
            )
            return self.evolve(schema=_schema).iter_errors(instance)  # type: ignore[no-any-return]
        return self._native.iter_errors(instance)

    def _validate(self, instance: Any) -> None:
        error = self._native.first_error(instance)
        if error is not None:
            raise error

    def _is_valid_json(self, data: bytes | bytearray | str) -> bool:
        return self._native.is_valid_json(data)

    def _validate_json(self, data: bytes | bytearray | str) -> None:
        error = self._native.first_error_json(data)
        if error is not None:
            raise error

    def iter_errors_json(self, data: bytes | bytearray | str) -> Iterator[ValidationError]:
        """Every error of JSON text (instances are the decoded Python values)."""
        return self._native.iter_errors_json(data)

    def evaluate(self, instance: Any, output: OutputFormat = "basic") -> dict[str, Any]:
        """The result in a JSON Schema output format (2020-12 section 12), as plain dicts.

        ``flag`` is ``{"valid": ...}``; ``basic`` lists the error units (or, for a valid
        instance, the annotation units); ``detailed`` and ``verbose`` are trees following the
        schema.

        >>> from ferrule.jsonschema import Draft202012Validator
        >>> validator = Draft202012Validator({"properties": {"n": {"type": "integer"}}})
        >>> validator.evaluate({"n": "x"})["errors"][0]["keywordLocation"]
        '/properties/n/type'
        >>> validator.evaluate({"n": 1}, output="flag")
        {'valid': True}
        """
        result: dict[str, Any] = self._native.evaluate(instance, output)
        return result

    def evaluate_json(
        self, data: bytes | bytearray | str, output: OutputFormat = "basic"
    ) -> dict[str, Any]:
        """`evaluate` on JSON text, parsed and evaluated in Rust with the interpreter released.

        >>> from ferrule.jsonschema import Draft202012Validator
        >>> Draft202012Validator({"type": "array"}).evaluate_json(b"[1]", output="flag")
        {'valid': True}
        """
        result: dict[str, Any] = self._native.evaluate_json(data, output)
        return result


def _custom_metaschema(schema: Any) -> bool:
    uri = schema.get("$schema") if isinstance(schema, dict) else None
    if not isinstance(uri, str):
        return False
    uri = uri.rstrip("#")
    if uri.startswith("https://json-schema.org/draft-0"):
        uri = "http" + uri[5:]
    elif uri.startswith("http://json-schema.org/draft/"):
        uri = "https" + uri[4:]
    return uri not in _KNOWN_URIS


_KNOWN_URIS = frozenset(
    (
        "http://json-schema.org/draft-04/schema",
        "http://json-schema.org/draft-06/schema",
        "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    )
)


def _meta(draft: str) -> dict[str, Any]:
    schema = _native.metaschema(draft)
    assert isinstance(schema, dict)
    return schema


class Draft4Validator(_Validator):
    """A validator for draft 4."""

    _DRAFT = "draft4"
    META_SCHEMA = _meta("draft4")
    FORMAT_CHECKER = draft4_format_checker


class Draft6Validator(_Validator):
    """A validator for draft 6."""

    _DRAFT = "draft6"
    META_SCHEMA = _meta("draft6")
    FORMAT_CHECKER = draft6_format_checker


class Draft7Validator(_Validator):
    """A validator for draft 7."""

    _DRAFT = "draft7"
    META_SCHEMA = _meta("draft7")
    FORMAT_CHECKER = draft7_format_checker


class Draft201909Validator(_Validator):
    """A validator for draft 2019-09."""

    _DRAFT = "draft2019-09"
    META_SCHEMA = _meta("draft2019-09")
    FORMAT_CHECKER = draft201909_format_checker


class Draft202012Validator(_Validator):
    """A validator for draft 2020-12."""

    _DRAFT = "draft2020-12"
    META_SCHEMA = _meta("draft2020-12")
    FORMAT_CHECKER = draft202012_format_checker


_LATEST_VERSION: type[_Validator] = Draft202012Validator
_META_SCHEMAS: dict[str, type[_Validator]] = {
    "http://json-schema.org/draft-04/schema": Draft4Validator,
    "http://json-schema.org/draft-06/schema": Draft6Validator,
    "http://json-schema.org/draft-07/schema": Draft7Validator,
    "https://json-schema.org/draft/2019-09/schema": Draft201909Validator,
    "https://json-schema.org/draft/2020-12/schema": Draft202012Validator,
}


def validator_for(schema: Any, default: Any = _UNSET) -> Any:
    """The validator class for a schema's ``$schema`` (``default``, or the latest draft, when
    it has none)."""
    DefaultValidator = _LATEST_VERSION if default is _UNSET else default  # noqa: N806
    if schema is True or schema is False or "$schema" not in schema:
        return DefaultValidator
    uri = schema["$schema"]
    if not isinstance(uri, str):
        return DefaultValidator
    if uri.rstrip("#") not in _META_SCHEMAS and default is _UNSET:
        warnings.warn(
            (
                "The metaschema specified by $schema was not found. Using the latest draft "
                "to validate, but this will raise an error in the future."
            ),
            DeprecationWarning,
            stacklevel=2,
        )
    return _META_SCHEMAS.get(uri.rstrip("#"), DefaultValidator)


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """Validate ``instance`` against ``schema``: raise the best-matching `ValidationError`, or
    `SchemaError` for an invalid schema."""
    if cls is None:
        cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, *args, **kwargs)
    error = best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def _validator(schema: Any, cls: Any, args: Any, kwargs: Any) -> Any:
    if cls is None:
        cls = validator_for(schema)
    return cls(schema, *args, **kwargs)


def is_valid_json(
    data: bytes | bytearray | str, schema: Any, cls: Any = None, *args: Any, **kwargs: Any
) -> bool:
    """Whether JSON text is valid under ``schema`` (parsed and validated in Rust)."""
    return bool(_validator(schema, cls, args, kwargs).is_valid_json(data))


def iter_errors_json(
    data: bytes | bytearray | str, schema: Any, cls: Any = None, *args: Any, **kwargs: Any
) -> Iterator[ValidationError]:
    """Every error of JSON text under ``schema``."""
    return _validator(schema, cls, args, kwargs).iter_errors_json(data)  # type: ignore[no-any-return]


def validate_json(
    data: bytes | bytearray | str, schema: Any, cls: Any = None, *args: Any, **kwargs: Any
) -> None:
    """`validate` for JSON text: raise the best-matching `ValidationError`, if any."""
    if cls is None:
        cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, *args, **kwargs)
    if validator.is_valid_json(data):
        return
    error = best_match(validator.iter_errors_json(data))
    if error is not None:
        raise error


def evaluate(
    instance: Any,
    schema: Any,
    cls: Any = None,
    *args: Any,
    output: OutputFormat = "basic",
    **kwargs: Any,
) -> dict[str, Any]:
    """The result of ``instance`` under ``schema`` in a JSON Schema output format.

    >>> from ferrule.jsonschema import evaluate
    >>> evaluate(3, {"minimum": 5}, output="basic")["errors"][0]["error"]
    '3 is less than the minimum of 5'
    """
    return _validator(schema, cls, args, kwargs).evaluate(instance, output)  # type: ignore[no-any-return]


def evaluate_json(
    data: bytes | bytearray | str,
    schema: Any,
    cls: Any = None,
    *args: Any,
    output: OutputFormat = "basic",
    **kwargs: Any,
) -> dict[str, Any]:
    """`evaluate` on JSON text (parsed and evaluated in Rust).

    >>> from ferrule.jsonschema import evaluate_json
    >>> evaluate_json(b'{"a": 1}', {"type": "object"}, output="flag")
    {'valid': True}
    """
    return _validator(schema, cls, args, kwargs).evaluate_json(data, output)  # type: ignore[no-any-return]
