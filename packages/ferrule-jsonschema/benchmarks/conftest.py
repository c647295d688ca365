"""Benchmark data for ferrule-jsonschema: the jsonschema-rs benchmark corpus plus generated
workloads (deterministic, seeded).

The corpus is ``../shared/corpora/jsonschema-bench`` beside the repository (or
``FERRULE_JSONSCHEMA_BENCH_DATA``): the data directory of jsonschema-rs's benchmarks,
https://github.com/Stranger6667/jsonschema ``crates/benchmark/data`` (MIT). ``FERRULE_BENCH_ROWS``
scales the generated workloads (default: 10,000 request bodies and 10,000 tool calls; the
``tests`` session runs them once on 2,000).
"""

from __future__ import annotations

import os
import random
import string
from pathlib import Path
from typing import Any

import pytest

# Capped: the issue asks for many small documents, not for the CSV benchmarks' million rows.
N_SMALL = min(int(os.environ.get("FERRULE_BENCH_ROWS", "10000")), 10_000)

CORPUS = Path(
    os.environ.get(
        "FERRULE_JSONSCHEMA_BENCH_DATA",
        Path(__file__).resolve().parents[4] / "shared" / "corpora" / "jsonschema-bench",
    )
)
CORPUS_FILES = [
    "swagger.json",
    "kubernetes.json",
    "geojson.json",
    "canada.json",
    "citm_catalog_schema.json",
    "citm_catalog.json",
    "fhir.schema.json",
    "patient-example-d.json",
    "recursive_schema.json",
    "recursive_instance.json",
    "fast_schema.json",
    "fast_invalid.json",
]


@pytest.fixture(scope="session")
def corpus() -> dict[str, bytes]:
    """The corpus files as bytes, by name."""
    missing = [name for name in CORPUS_FILES if not (CORPUS / name).is_file()]
    if missing:
        pytest.fail(
            f"benchmark corpus not found: {CORPUS} lacks {', '.join(missing)}. The files are "
            "jsonschema-rs's benchmark data, https://github.com/Stranger6667/jsonschema "
            "crates/benchmark/data (MIT, commit 5993cf1aa77adbb65965516af574fc792c3973f3); "
            "put them in ../shared/corpora/jsonschema-bench or point "
            "FERRULE_JSONSCHEMA_BENCH_DATA at a copy",
            pytrace=False,
        )
    return {name: (CORPUS / name).read_bytes() for name in CORPUS_FILES}


# --- API request bodies: an OpenAPI-style "create order" body -------------------------------


def _word(rng: random.Random, k: int) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=k))


def _upper(rng: random.Random, k: int) -> str:
    return "".join(rng.choices(string.ascii_uppercase, k=k))


def order_body(rng: random.Random, i: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": {
            "id": i + 1,
            "name": f"{_word(rng, 6).title()} {_word(rng, 8).title()}",
            "email": f"{_word(rng, 7)}@example.com",
        },
        "items": [
            {
                "sku": f"{_upper(rng, 3)}-{rng.randint(0, 9999):04d}",
                "quantity": rng.randint(1, 20),
                "unit_price": round(rng.uniform(0.5, 500), 2),
            }
            for _ in range(rng.randint(1, 6))
        ],
        "currency": rng.choice(["EUR", "USD", "GBP"]),
    }
    if rng.random() < 0.5:
        body["customer"]["phone"] = f"+{rng.randint(10**9, 10**12)}"
    if rng.random() < 0.3:
        body["coupon"] = "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))
    if rng.random() < 0.4:
        body["tags"] = rng.sample(["gift", "express", "b2b", "fragile", "repeat"], 2)
    if rng.random() < 0.6:
        body["shipping"] = {
            "street": f"{rng.randint(1, 200)} {_word(rng, 9).title()} Street",
            "city": _word(rng, 7).title(),
            "postcode": str(rng.randint(10000, 99999)),
            "country": rng.choice(["DE", "FR", "GB", "US"]),
        }
    # About one body in ten is invalid, in the ways clients get bodies wrong.
    fault = rng.random()
    if fault < 0.02:
        del body["currency"]
    elif fault < 0.04:
        body["items"][0]["quantity"] = str(body["items"][0]["quantity"])
    elif fault < 0.06:
        body["items"][-1]["sku"] = body["items"][-1]["sku"].lower()
    elif fault < 0.08:
        body["unexpected"] = True
    elif fault < 0.10:
        body["currency"] = "XXX"
    return body


@pytest.fixture(scope="session")
def api_bodies() -> list[dict[str, Any]]:
    rng = random.Random(3)
    return [order_body(rng, i) for i in range(N_SMALL)]


# --- LLM tool calls: function-calling schemas (strict style) and generated arguments --------


TOOLS = ["get_weather", "search_web", "create_event", "run_sql", "send_message"]


def tool_call(rng: random.Random) -> tuple[str, dict[str, Any]]:
    name = rng.choice(TOOLS)
    args: dict[str, Any]
    if name == "get_weather":
        args = {"location": _word(rng, 8).title(), "unit": rng.choice(["celsius", "fahrenheit"])}
        if rng.random() < 0.5:
            args["days"] = rng.randint(1, 14)
    elif name == "search_web":
        args = {"query": " ".join(_word(rng, rng.randint(3, 9)) for _ in range(5))}
        if rng.random() < 0.5:
            args["max_results"] = rng.randint(1, 50)
    elif name == "create_event":
        month, day, hour = rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23)
        args = {
            "title": _word(rng, 12),
            "start": f"2026-{month:02d}-{day:02d}T{hour:02d}:00",
            "duration_minutes": 5 * rng.randint(1, 24),
            "attendees": [
                {"email": f"{_word(rng, 5)}@example.org"} for _ in range(rng.randint(0, 4))
            ],
        }
    elif name == "run_sql":
        args = {
            "statement": "SELECT * FROM orders WHERE id = ? AND region = ?",
            "params": [rng.randint(1, 10**6), _word(rng, 5)],
            "read_only": True,
        }
    else:
        args = {"channel": f"#{_word(rng, 6)}", "text": " ".join(_word(rng, 6) for _ in range(12))}
    # Models get arguments wrong now and then: a hallucinated key, a wrong type, a missing key.
    fault = rng.random()
    if fault < 0.03:
        args["reasoning"] = "the user asked for it"
    elif fault < 0.06:
        args.pop(next(iter(args)))
    elif fault < 0.08:
        key = next(iter(args))
        args[key] = [args[key]]
    return name, args


@pytest.fixture(scope="session")
def tool_calls() -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(5)
    return [tool_call(rng) for _ in range(N_SMALL)]


# --- A document with thousands of errors ----------------------------------------------------


@pytest.fixture(scope="session")
def error_document() -> list[dict[str, Any]]:
    """1,000 records with 6 errors each (6,000 in all): a type or a bound, a length, a missing
    property, an extra property, two items out of range."""
    return [
        {
            "id": -i if i % 2 else str(i),
            "name": f"record number {i}",
            "scores": [50, 150 + i, 99, 101],
            "comment": "not allowed",
        }
        for i in range(1, 1001)
    ]
