"""Raw native errors into `ValidationError`s, with python-jsonschema's message texts.

A raw error is ``(keyword, kind, data, instance, path, schema_path, location, context)``; see
the binding's ``validator.rs``. Messages are rendered here because they use Python ``repr``s.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ferrule.jsonschema.exceptions import ValidationError, _Error, _unset

Raw = tuple[str, str, dict[str, Any], Any, list[Any], list[Any], str, list[Any]]
SchemaAt = Callable[[str, str], "tuple[Any, Any] | None"]


def _r(value: Any) -> str:
    """``repr``, bounded: data too deeply nested to print does not hide the error."""
    try:
        return repr(value)
    except RecursionError:
        return f"<{type(value).__name__} nested too deeply to show>"


def _extras(extras: Sequence[Any]) -> tuple[str, str]:
    verb = "was" if len(extras) == 1 else "were"
    return ", ".join(_r(extra) for extra in extras), verb


# Size keywords: (message at the boundary, message otherwise, the boundary), as
# python-jsonschema words them.
_SIZES = {
    "min_items": ("should be non-empty", "is too short", 1),
    "min_length": ("should be non-empty", "is too short", 1),
    "max_items": ("is expected to be empty", "is too long", 0),
    "max_length": ("is expected to be empty", "is too long", 0),
    "min_properties": ("should be non-empty", "does not have enough properties", 1),
    "max_properties": ("is expected to be empty", "has too many properties", 0),
}


def message(
    keyword: str,
    kind: str,
    data: dict[str, Any],
    instance: Any,
    value: Any,
    schema: Any,
    draft: str,
) -> str:
    """The python-jsonschema message for one error."""
    i = _r(instance)
    if kind == "false_schema":
        return f"False schema does not allow {i}"
    if kind == "type":
        return f"{i} is not of type {', '.join(_r(t) for t in data['expected'])}"
    if kind == "required":
        return f"{data['property']!r} is a required property"
    if kind == "dependent_required":
        return f"{data['missing']!r} is a dependency of {data['property']!r}"
    if kind == "enum":
        return f"{i} is not one of {_r(value)}"
    if kind == "const":
        return f"{_r(value)} was expected"
    if kind in ("minimum", "exclusive_minimum", "maximum", "exclusive_maximum"):
        limit = value if value is not None and not isinstance(value, bool) else data["limit"]
        cmp = {
            "minimum": "less than the minimum",
            "exclusive_minimum": "less than or equal to the minimum",
            "maximum": "greater than the maximum",
            "exclusive_maximum": "greater than or equal to the maximum",
        }[kind]
        return f"{i} is {cmp} of {_r(limit)}"
    if kind == "multiple_of":
        return f"{i} is not a multiple of {value}"
    if kind in _SIZES:
        empty, other, boundary = _SIZES[kind]
        return f"{i} {empty if value == boundary else other}"
    if kind == "unique_items":
        return f"{i} has non-unique elements"
    if kind == "pattern":
        return f"{i} does not match {data['pattern']!r}"
    if kind == "format":
        return f"{i} is not a {data['format']!r}"
    if kind == "additional_properties":
        extras = data["unexpected"]
        if isinstance(schema, dict) and "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(_r(each) for each in sorted(extras))
            patterns = ", ".join(_r(each) for each in sorted(schema["patternProperties"]))
            return f"{joined} {verb} not match any of the regexes: {patterns}"
        joined, verb = _extras(sorted(extras, key=str))
        return f"Additional properties are not allowed ({joined} {verb} unexpected)"
    if kind == "additional_items":
        prefix = data["allowed"]
        if keyword == "additionalItems":
            joined, verb = _extras(instance[prefix:])
            return f"Additional items are not allowed ({joined} {verb} unexpected)"
        extra = len(instance) - prefix
        rest = instance[prefix:] if extra != 1 else instance[prefix]
        item = "items" if prefix != 1 else "item"
        return f"Expected at most {prefix} {item} but found {extra} extra: {_r(rest)}"
    if kind == "unevaluated_properties":
        if data["is_false"]:
            joined, verb = _extras(sorted(data["unexpected"], key=str))
            return f"Unevaluated properties are not allowed ({joined} {verb} unexpected)"
        joined, verb = _extras(data["unexpected"])
        return (
            "Unevaluated properties are not valid under the given schema "
            f"({joined} {verb} unevaluated and invalid)"
        )
    if kind == "unevaluated_items":
        joined, verb = _extras([instance[k] for k in data["unexpected"]])
        return f"Unevaluated items are not allowed ({joined} {verb} unexpected)"
    if kind == "contains":
        if draft in ("draft6", "draft7"):
            return f"None of {i} are valid under the given schema"
        return f"{i} does not contain items matching the given schema"
    if kind == "min_contains":
        return (
            "Too few items match the given schema (expected at least "
            f"{value if value is not None else data['limit']} but only {data['matched']} matched)"
        )
    if kind == "max_contains":
        limit = value if value is not None else data["limit"]
        return f"Too many items match the given schema (expected at most {limit})"
    if kind in ("any_of", "one_of_not_valid"):
        return f"{i} is not valid under any of the given schemas"
    if kind == "one_of_multiple_valid":
        valid = data["valid"]
        order = [*valid[1:], valid[0]]
        reprs = ", ".join(_r(value[k]) for k in order)
        return f"{i} is valid under each of {reprs}"
    if kind == "not":
        return f"{i} should not be valid under {_r(value)}"
    if kind == "recursion_limit":
        return (
            f"maximum validation depth of {data['limit']} exceeded "
            "(a $ref cycle, or too deeply nested data)"
        )
    return f"{i} is not valid under {keyword!r}"  # pragma: no cover - future kinds


_INDEXED = frozenset(["allOf", "anyOf", "oneOf", "prefixItems", "items"])
_KEYED = frozenset(
    ["properties", "patternProperties", "dependentSchemas", "dependencies", "unevaluatedProperties"]
)
_INTO_KEY = frozenset(["properties", "patternProperties", "unevaluatedProperties"])
_INTO_ITEM = frozenset(["additionalProperties", "items", "additionalItems", "unevaluatedItems"])


def _false_schema_paths(path: list[Any], schema_path: list[Any]) -> tuple[list[Any], list[Any]]:
    """python-jsonschema reports a ``false`` subschema's error without the step its parent
    keyword descended by (``{"properties": {"a": false}}`` fails at path ``[]``, schema path
    ``["properties"]``); mirror that."""
    if len(schema_path) >= 2 and schema_path[-2] in _INDEXED and isinstance(schema_path[-1], int):
        keyword = schema_path[-2]
        schema_path = schema_path[:-1]
        if keyword in ("prefixItems", "items") and path:
            path = path[:-1]
    elif len(schema_path) >= 2 and schema_path[-2] in _KEYED and isinstance(schema_path[-1], str):
        keyword = schema_path[-2]
        schema_path = schema_path[:-1]
        if keyword in _INTO_KEY and path:
            path = path[:-1]
    elif schema_path and schema_path[-1] in _INTO_ITEM and path:
        path = path[:-1]
    elif schema_path and schema_path[-1] in ("then", "else"):
        schema_path = schema_path[:-1]
    return path, schema_path


def _follow(instance: Any, path: Sequence[Any]) -> Any:
    for step in path:
        try:
            instance = instance[step]
        except (LookupError, TypeError):
            return _unset
    return instance


def first(raw: Raw, schema_at: SchemaAt, draft: str, cls: type[_Error] = ValidationError) -> _Error:
    """The first error a raw error makes (python-jsonschema's first of ``iter_errors``)."""
    return next(build(raw, schema_at, draft, cls))


_new_validation_error = ValidationError.__new__


def lazy_first(raw: Raw, schema_at: SchemaAt, draft: str) -> _Error:
    """`first`, built when one of its attributes is first read (see ``_Error._lazy``)."""
    error: _Error = _new_validation_error(ValidationError)
    error._lazy = (first, raw, schema_at, draft)
    return error


def build(
    raw: Raw,
    schema_at: SchemaAt,
    draft: str,
    cls: type[_Error] = ValidationError,
    instance: Any = _unset,
    parent_keyword: str | None = None,
) -> Iterator[_Error]:
    """The errors of one raw error (several for ``propertyNames``, which python-jsonschema
    reports flat, with the property name as instance)."""
    keyword, kind, data, raw_instance, path, schema_path, location, context = raw
    if instance is _unset:
        instance = raw_instance
    if kind == "property_names":
        for sub in context:
            s_kw, s_kind, s_data, _, s_path, s_schema_path, s_loc, s_ctx = sub
            yield from build(
                (
                    s_kw,
                    s_kind,
                    s_data,
                    None,
                    [*path, *s_path],
                    [*schema_path, *s_schema_path],
                    s_loc,
                    s_ctx,
                ),
                schema_at,
                draft,
                cls,
                _follow(data["property"], s_path),
            )
        return
    if kind == "false_schema":
        # A context error's paths are relative to its parent: judge them with its keyword.
        lead = [parent_keyword] if parent_keyword is not None else []
        path, full = _false_schema_paths(path, [*lead, *schema_path])
        schema_path = full[len(lead) :]
    found = schema_at(location, keyword)
    schema, value = found if found is not None else (_unset, _unset)
    validator: Any = keyword
    if keyword == "false":
        validator, value = None, None
    children: list[_Error] = []
    for sub in context:
        children.extend(build(sub, schema_at, draft, cls, _follow(instance, sub[4]), keyword))
    text = message(keyword, kind, data, instance, value, schema, draft)
    if cls.__init__ is not _error_init:
        yield cls(
            text,
            validator=validator,
            path=path,
            context=children,
            validator_value=value,
            instance=instance,
            schema=schema,
            schema_path=schema_path,
        )
        return
    yield _made(cls, text, validator, path, children, value, instance, schema, schema_path)


_error_init = _Error.__init__
_exception_init = BaseException.__init__


def _made(
    cls: type[_Error],
    text: str,
    validator: Any,
    path: list[Any],
    children: list[_Error],
    value: Any,
    instance: Any,
    schema: Any,
    schema_path: list[Any],
) -> _Error:
    """``cls(...)`` as ``_Error.__init__`` makes it, with its attributes written in one
    dict update: ``iter_errors`` spent two thirds of its time in ``__init__``."""
    error: _Error = cls.__new__(cls)
    _exception_init(
        error, text, validator, path, None, children, value, instance, schema, schema_path, None
    )
    path_deque = deque(path)
    schema_path_deque = deque(schema_path)
    error.__dict__.update(
        message=text,
        path=path_deque,
        relative_path=path_deque,
        schema_path=schema_path_deque,
        relative_schema_path=schema_path_deque,
        context=list(children),
        cause=None,
        validator=validator,
        validator_value=value,
        instance=instance,
        schema=schema,
        parent=None,
        _type_checker=_unset,
    )
    for child in children:
        child.parent = error
    return error
