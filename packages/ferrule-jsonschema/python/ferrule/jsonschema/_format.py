"""``FormatChecker``: python-jsonschema's API over the core's built-in format checks, with
Python callables for custom formats."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from ferrule.jsonschema import _native
from ferrule.jsonschema.exceptions import FormatError

__all__ = [
    "FormatChecker",
    "draft4_format_checker",
    "draft6_format_checker",
    "draft7_format_checker",
    "draft201909_format_checker",
    "draft202012_format_checker",
]

_F = TypeVar("_F", bound=Callable[[Any], Any])
_Raises = type[Exception] | tuple[type[Exception], ...]

# The formats python-jsonschema's draft-specific checkers declare (with every optional
# dependency installed), which the core implements.
_DRAFT4 = ("email", "idn-email", "ipv4", "ipv6", "hostname", "uri", "date-time", "regex")
_DRAFT6 = (*_DRAFT4, "uri-reference", "json-pointer", "uri-template")
_DRAFT7 = (
    *_DRAFT6,
    "idn-hostname",
    "iri",
    "iri-reference",
    "time",
    "date",
    "relative-json-pointer",
)
_DRAFT2019 = (*_DRAFT7, "duration", "uuid")
DRAFT_FORMATS: dict[str, tuple[str, ...]] = {
    "draft4": _DRAFT4,
    "draft6": _DRAFT6,
    "draft7": _DRAFT7,
    "draft2019-09": _DRAFT2019,
    "draft2020-12": _DRAFT2019,
}


class _NativeFormat:
    """A built-in format check. Validators hand these to the core instead of calling them."""

    __slots__ = ("draft", "name")

    def __init__(self, name: str, draft: str) -> None:
        self.name = name
        self.draft = draft

    def __call__(self, instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        return _native.check_format(self.name, instance, self.draft) is not False

    def __reduce__(self) -> tuple[Any, ...]:
        return (_NativeFormat, (self.name, self.draft))

    def __repr__(self) -> str:
        return f"<built-in format {self.name!r} ({self.draft})>"


class FormatChecker:
    """Checks ``format`` keywords: the built-in formats plus any registered with ``checks``.

    ``FormatChecker()`` holds every built-in format; ``FormatChecker(["date"])`` only those
    named. A checker is a callable taking the instance (of any type) and returning whether it
    conforms; an exception listed in ``raises`` counts as not conforming.
    """

    checkers: ClassVar[dict[str, tuple[Callable[[Any], Any], _Raises]]] = {
        name: (_NativeFormat(name, "draft2020-12"), ())
        for name in _native.known_formats("draft2020-12")
    }

    def __init__(self, formats: Iterable[str] | None = None) -> None:
        if formats is None:
            formats = self.checkers.keys()
        self.checkers = {k: self.checkers[k] for k in formats}  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"<FormatChecker checkers={sorted(self.checkers)}>"

    def checks(self, format: str, raises: _Raises = ()) -> Callable[[_F], _F]:
        """Register a decorated function as validating a new format."""

        def _checks(func: _F) -> _F:
            self.checkers[format] = (func, raises)
            return func

        return _checks

    @classmethod
    def cls_checks(cls, format: str, raises: _Raises = ()) -> Callable[[_F], _F]:
        """Deprecated in python-jsonschema: register a checker for every ``FormatChecker``."""
        warnings.warn(
            "FormatChecker.cls_checks is deprecated. Call FormatChecker.checks on a specific "
            "FormatChecker instance instead.",
            DeprecationWarning,
            stacklevel=2,
        )

        def _checks(func: _F) -> _F:
            cls.checkers[format] = (func, raises)
            return func

        return _checks

    def check(self, instance: object, format: str) -> None:
        """Raise `FormatError` if ``instance`` does not conform to ``format``."""
        if format not in self.checkers:
            return
        func, raises = self.checkers[format]
        result, cause = None, None
        try:
            result = func(instance)
        except raises as e:
            cause = e
        if not result:
            raise FormatError(f"{instance!r} is not a {format!r}", cause=cause)

    def conforms(self, instance: object, format: str) -> bool:
        """Whether ``instance`` conforms to ``format``."""
        try:
            self.check(instance, format)
        except FormatError:
            return False
        return True


class _FormatHook:
    """What the core calls back for the formats it does not check itself."""

    __slots__ = ("checker",)

    def __init__(self, checker: FormatChecker) -> None:
        self.checker = checker

    def __call__(self, instance: object, format: str) -> bool:
        return self.checker.conforms(instance, format)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_FormatHook, (self.checker,))


def native_options(
    checker: FormatChecker | None,
) -> tuple[list[str] | None, list[str], _FormatHook | None]:
    """``(formats, host_formats, format_check)`` for the native validator."""
    if checker is None:
        return None, [], None
    builtin, host = [], []
    for name, (func, _) in checker.checkers.items():
        if isinstance(func, _NativeFormat) and func.name == name:
            builtin.append(name)
        else:
            host.append(name)
    return builtin, host, (_FormatHook(checker) if host else None)


def _draft_checker(draft: str) -> FormatChecker:
    checker = FormatChecker(())
    for name in DRAFT_FORMATS[draft]:
        checker.checkers[name] = (_NativeFormat(name, draft), ())
    return checker


draft4_format_checker = _draft_checker("draft4")
draft6_format_checker = _draft_checker("draft6")
draft7_format_checker = _draft_checker("draft7")
draft201909_format_checker = _draft_checker("draft2019-09")
draft202012_format_checker = _draft_checker("draft2020-12")
