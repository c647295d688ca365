"""ferrule.jsonschema against jsonschema-rs, fastjsonschema and python-jsonschema (and orjson for
the JSON text path), side by side in the same run.

Groups are workloads; within a group ``impl`` names who did the work. Every implementation
compiles its validator once, outside the timing (except in the ``compile`` groups), with format
checks off (the default of ferrule and python-jsonschema; ``validate_formats=False`` for
jsonschema-rs, ``use_formats=False`` for fastjsonschema), and must agree with ferrule on the
result. In the ``bytes`` and ``text`` groups ferrule parses and validates the JSON text itself
(``is_valid_json``); each peer's time is ``orjson.loads`` plus its validation, and ``orjson`` is
``orjson.loads`` alone, the floor for anything that builds Python objects first.

A peer that cannot run a workload is skipped with the reason (``-ra`` lists them): fastjsonschema
knows drafts 4, 6 and 7 only and stops at the first error. Under ``--benchmark-disable`` (the
smoke run of ``nox -s tests``) the few peer runs that take many seconds each are skipped too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import fastjsonschema
import jsonschema
import jsonschema_rs
import orjson
import pytest

import ferrule.jsonschema as ferrule_jsonschema

PEERS = ["jsonschema-rs", "fastjsonschema", "jsonschema"]
IMPLS = ["ferrule", *PEERS]
# Seconds of timed work per benchmark; slower calls get fewer rounds (at least one).
BUDGET = 1.0

DOCUMENTS = {
    "kubernetes": ("swagger.json", "kubernetes.json", "kubernetes.json (3 MB) vs Swagger 2.0"),
    "canada": ("geojson.json", "canada.json", "canada.json (2 MB) vs GeoJSON"),
    "citm": ("citm_catalog_schema.json", "citm_catalog.json", "citm_catalog.json (0.5 MB)"),
    "fhir": ("fhir.schema.json", "patient-example-d.json", "FHIR schema (3.4 MB), patient"),
    "recursive": ("recursive_schema.json", "recursive_instance.json", "recursive schema"),
}
# Single runs of many seconds (python-jsonschema on large documents, fastjsonschema's 30 s
# code generation for the FHIR schema): skipped by the smoke run, measured by `nox -s bench`.
SLOW = {
    ("jsonschema", "kubernetes"),
    ("jsonschema", "canada"),
    ("jsonschema", "recursive"),
    ("fastjsonschema", "fhir"),
    ("fastjsonschema", "fhir.schema.json"),
}

_METASCHEMAS = {
    "http://json-schema.org/draft-04/schema": jsonschema.Draft4Validator.META_SCHEMA,
    "http://json-schema.org/draft-06/schema": jsonschema.Draft6Validator.META_SCHEMA,
    "http://json-schema.org/draft-07/schema": jsonschema.Draft7Validator.META_SCHEMA,
}


def _metaschema(uri: str) -> Any:
    # fastjsonschema fetches remote references with urllib; the metaschemas are all it needs.
    return _METASCHEMAS[uri.rstrip("#")]


FAST_HANDLERS = {"http": _metaschema, "https": _metaschema}


def unsupported(impl: str, schema: Any) -> str | None:
    if impl != "fastjsonschema":
        return None
    uri = schema.get("$schema", "http://json-schema.org/draft-07/schema") if schema else ""
    if uri.rstrip("#") not in _METASCHEMAS:
        return f"fastjsonschema supports drafts 4, 6 and 7 only, not {uri}"
    return None


def skip_if_cannot(benchmark: Any, impl: str, key: str, schema: Any) -> None:
    reason = unsupported(impl, schema)
    if reason:
        pytest.skip(reason)
    if benchmark.disabled and (impl, key) in SLOW:
        pytest.skip(f"{impl} on {key} takes many seconds: measured by `nox -s bench` only")


def ferrule_validator(schema: Any) -> Any:
    return ferrule_jsonschema.validators.validator_for(schema)(schema)


def compile_is_valid(impl: str, schema: Any) -> Callable[[Any], bool]:
    """``impl``'s validator for ``schema``, as an ``is_valid`` function."""
    if impl == "ferrule":
        return ferrule_validator(schema).is_valid  # type: ignore[no-any-return]
    if impl == "jsonschema-rs":
        return jsonschema_rs.validator_for(schema, validate_formats=False).is_valid  # type: ignore[no-any-return]
    if impl == "jsonschema":
        return jsonschema.validators.validator_for(schema)(schema).is_valid  # type: ignore[no-any-return]
    if impl == "fastjsonschema":
        validate = fastjsonschema.compile(schema, handlers=FAST_HANDLERS, use_formats=False)

        def is_valid(instance: Any) -> bool:
            try:
                validate(instance)
            except fastjsonschema.JsonSchemaValueException:
                return False
            return True

        return is_valid
    raise ValueError(impl)


def compile_validate(impl: str, schema: Any) -> tuple[Callable[[Any], Any], type[Exception]]:
    """``impl``'s ``validate`` for ``schema`` and the exception it raises on invalid input."""
    if impl == "ferrule":
        return ferrule_validator(schema).validate, ferrule_jsonschema.ValidationError
    if impl == "jsonschema-rs":
        rs = jsonschema_rs.validator_for(schema, validate_formats=False)
        return rs.validate, jsonschema_rs.ValidationError
    if impl == "jsonschema":
        validator = jsonschema.validators.validator_for(schema)(schema)
        return validator.validate, jsonschema.ValidationError
    if impl == "fastjsonschema":
        validate = fastjsonschema.compile(schema, use_formats=False)
        return validate, fastjsonschema.JsonSchemaValueException
    raise ValueError(impl)


_COMPILED: dict[tuple[str, str], Any] = {}


def compiled(impl: str, key: str, schema: Any) -> Any:
    """Compiled once per run and shared by the groups (fastjsonschema's can take 30 s)."""
    if (impl, key) not in _COMPILED:
        _COMPILED[impl, key] = compile_is_valid(impl, schema)
    return _COMPILED[impl, key]


def measure(benchmark: Any, fn: Callable[[], Any]) -> Any:
    """Time ``fn`` with rounds and iterations fitted to its duration; return its result."""
    if benchmark.disabled:
        return benchmark(fn)
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    # Rounds of at least a millisecond, so that timer resolution does not matter.
    iterations = 1 if once >= 1e-3 else int(1e-3 / once) + 1
    rounds = max(3 if once < 0.3 else 1, min(50, int(BUDGET / (once * iterations))))
    return benchmark.pedantic(fn, rounds=rounds, iterations=iterations)


def tag(benchmark: Any, group: str, impl: str) -> None:
    benchmark.group = group
    benchmark.extra_info["impl"] = impl


# --- schemas of the generated workloads (data in conftest.py) ---------------------------

ORDER_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["customer", "items", "currency"],
    "additionalProperties": False,
    "properties": {
        "customer": {"$ref": "#/definitions/Customer"},
        "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "items": {"$ref": "#/definitions/LineItem"},
        },
        "currency": {"enum": ["EUR", "USD", "GBP", "JPY"]},
        "coupon": {"type": ["string", "null"], "pattern": "^[A-Z0-9]{6,12}$"},
        "notes": {"type": "string", "maxLength": 500},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "shipping": {"$ref": "#/definitions/Address"},
    },
    "definitions": {
        "Customer": {
            "type": "object",
            "required": ["id", "name", "email"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                "email": {"type": "string", "format": "email", "maxLength": 254},
                "phone": {"type": "string", "pattern": "^[+][0-9]{7,15}$"},
            },
        },
        "LineItem": {
            "type": "object",
            "required": ["sku", "quantity", "unit_price"],
            "additionalProperties": False,
            "properties": {
                "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
                "unit_price": {"type": "number", "exclusiveMinimum": 0},
                "gift": {"type": "boolean"},
            },
        },
        "Address": {
            "type": "object",
            "required": ["street", "city", "country"],
            "properties": {
                "street": {"type": "string"},
                "city": {"type": "string"},
                "postcode": {"type": "string", "maxLength": 10},
                "country": {"type": "string", "minLength": 2, "maxLength": 2},
            },
        },
    },
}


def _strict(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": [p for p in properties if p not in optional],
        "additionalProperties": False,
    }


TOOL_SCHEMAS: dict[str, dict[str, Any]] = {
    "get_weather": _strict(
        {
            "location": {"type": "string", "minLength": 1},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 14},
        },
        optional=("days",),
    ),
    "search_web": _strict(
        {
            "query": {"type": "string", "minLength": 1, "maxLength": 400},
            "max_results": {"type": "integer", "minimum": 1, "maximum": 50},
            "site": {"type": ["string", "null"]},
        },
        optional=("max_results", "site"),
    ),
    "create_event": _strict(
        {
            "title": {"type": "string"},
            "start": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"},
            "duration_minutes": {"type": "integer", "multipleOf": 5, "minimum": 5},
            "attendees": {
                "type": "array",
                "items": _strict(
                    {"email": {"type": "string"}, "optional": {"type": "boolean"}},
                    optional=("optional",),
                ),
                "maxItems": 20,
            },
        },
        optional=("attendees",),
    ),
    "run_sql": _strict(
        {
            "statement": {"type": "string"},
            "params": {"type": "array", "items": {"type": ["string", "number", "null"]}},
            "read_only": {"type": "boolean"},
        }
    ),
    "send_message": _strict(
        {
            "channel": {"type": "string", "pattern": "^#[a-z0-9-]+$"},
            "text": {"type": "string", "maxLength": 4000},
            "priority": {"enum": ["low", "normal", "high"]},
        },
        optional=("priority",),
    ),
}


ERRORS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "name", "email"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer", "minimum": 0},
            "name": {"type": "string", "maxLength": 8},
            "email": {"type": "string"},
            "scores": {"type": "array", "items": {"type": "number", "maximum": 100}},
        },
    },
}


# --- large and special documents -----------------------------------------------------------


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_document(benchmark: Any, corpus: dict[str, bytes], key: str, impl: str) -> None:
    schema_file, instance_file, label = DOCUMENTS[key]
    schema = json.loads(corpus[schema_file])
    skip_if_cannot(benchmark, impl, key, schema)
    instance = json.loads(corpus[instance_file])
    tag(benchmark, f"document: {label}", impl)
    is_valid = compiled(impl, key, schema)
    assert measure(benchmark, lambda: is_valid(instance)) is True


@pytest.mark.parametrize("impl", [*IMPLS, "orjson"])
@pytest.mark.parametrize("key", ["kubernetes", "canada", "citm", "fhir"])
def test_bytes(benchmark: Any, corpus: dict[str, bytes], key: str, impl: str) -> None:
    schema_file, instance_file, label = DOCUMENTS[key]
    schema = json.loads(corpus[schema_file])
    skip_if_cannot(benchmark, impl, key, schema)
    data = corpus[instance_file]
    tag(benchmark, f"bytes: {label}", impl)
    fn: Callable[[], Any]
    if impl == "ferrule":
        validator = ferrule_validator(schema)
        fn = lambda: validator.is_valid_json(data)  # noqa: E731
    elif impl == "orjson":
        fn = lambda: orjson.loads(data) is not None  # noqa: E731
    else:
        is_valid = compiled(impl, key, schema)
        fn = lambda: is_valid(orjson.loads(data))  # noqa: E731
    assert measure(benchmark, fn) is True


# --- many small documents ------------------------------------------------------------------


@pytest.fixture(scope="module")
def valid_bodies(api_bodies: list[dict[str, Any]]) -> int:
    return sum(map(ferrule_validator(ORDER_SCHEMA).is_valid, api_bodies))


@pytest.mark.parametrize("impl", IMPLS)
def test_request_bodies(
    benchmark: Any, api_bodies: list[dict[str, Any]], valid_bodies: int, impl: str
) -> None:
    tag(benchmark, f"small: {len(api_bodies):,} API request bodies", impl)
    is_valid = compile_is_valid(impl, ORDER_SCHEMA)
    assert measure(benchmark, lambda: sum(map(is_valid, api_bodies))) == valid_bodies
    assert 0.8 * len(api_bodies) < valid_bodies < len(api_bodies)


@pytest.fixture(scope="module")
def valid_calls(tool_calls: list[tuple[str, dict[str, Any]]]) -> int:
    validators = {name: ferrule_validator(s) for name, s in TOOL_SCHEMAS.items()}
    return sum(validators[name].is_valid(args) for name, args in tool_calls)


@pytest.mark.parametrize("impl", IMPLS)
def test_tool_calls(
    benchmark: Any, tool_calls: list[tuple[str, dict[str, Any]]], valid_calls: int, impl: str
) -> None:
    tag(benchmark, f"small: {len(tool_calls):,} LLM tool-call arguments", impl)
    validators = {name: compile_is_valid(impl, s) for name, s in TOOL_SCHEMAS.items()}

    def run() -> int:
        return sum(validators[name](args) for name, args in tool_calls)

    assert measure(benchmark, run) == valid_calls
    assert 0.8 * len(tool_calls) < valid_calls < len(tool_calls)


@pytest.mark.parametrize("impl", [*IMPLS, "orjson"])
def test_tool_calls_text(
    benchmark: Any, tool_calls: list[tuple[str, dict[str, Any]]], valid_calls: int, impl: str
) -> None:
    # Models hand tool-call arguments over as JSON strings.
    texts = [(name, json.dumps(args)) for name, args in tool_calls]
    tag(benchmark, f"text: {len(tool_calls):,} LLM tool-call arguments (str)", impl)
    run: Callable[[], int]
    if impl == "ferrule":
        validators = {name: ferrule_validator(s).is_valid_json for name, s in TOOL_SCHEMAS.items()}

        def run() -> int:
            return sum(validators[name](text) for name, text in texts)

    elif impl == "orjson":

        def run() -> int:
            return sum(orjson.loads(text) is not None for _, text in texts)

    else:
        peers = {name: compile_is_valid(impl, s) for name, s in TOOL_SCHEMAS.items()}

        def run() -> int:
            return sum(peers[name](orjson.loads(text)) for name, text in texts)

    expected = len(texts) if impl == "orjson" else valid_calls
    assert measure(benchmark, run) == expected


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("impl", IMPLS)
def test_iter_errors(benchmark: Any, error_document: list[dict[str, Any]], impl: str) -> None:
    tag(benchmark, "errors: iter_errors, 6,000 errors", impl)
    if impl == "fastjsonschema":
        pytest.skip("fastjsonschema raises the first error only: no iter_errors")
    if impl == "ferrule":
        validator: Any = ferrule_validator(ERRORS_SCHEMA)
    elif impl == "jsonschema-rs":
        validator = jsonschema_rs.validator_for(ERRORS_SCHEMA)
    else:
        validator = jsonschema.validators.validator_for(ERRORS_SCHEMA)(ERRORS_SCHEMA)

    def run() -> int:
        return sum(1 for error in validator.iter_errors(error_document) if error.message)

    assert measure(benchmark, run) == 6000


@pytest.mark.parametrize("impl", IMPLS)
def test_validate_raises(benchmark: Any, corpus: dict[str, bytes], impl: str) -> None:
    schema = json.loads(corpus["fast_schema.json"])
    instance = json.loads(corpus["fast_invalid.json"])
    tag(benchmark, "errors: validate() raising, small instance", impl)
    validate, exc = compile_validate(impl, schema)

    def run() -> bool:
        try:
            validate(instance)
        except exc:
            return True
        return False

    assert measure(benchmark, run) is True


# --- compilation ---------------------------------------------------------------------------


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("name", ["swagger.json", "fhir.schema.json"])
def test_compile(benchmark: Any, corpus: dict[str, bytes], name: str, impl: str) -> None:
    schema = json.loads(corpus[name])
    skip_if_cannot(benchmark, impl, name, schema)
    tag(benchmark, f"compile: {name} ({len(corpus[name]) / 1e3:,.0f} kB)", impl)

    # ferrule and python-jsonschema compile (or resolve) lazily: the first validation is part
    # of the cost. `{}` lacks required properties under both schemas.
    def run() -> bool:
        return compile_is_valid(impl, schema)({})

    assert measure(benchmark, run) is False
