#!/usr/bin/env python3
"""The main job: every ferrule package on a realistic workload beside the package it replaces.

Run through ``nox -s demo`` (which installs LTO builds of the packages first). Each section
generates its data, runs the same work through ferrule and through its peers, checks that the
results agree, and prints the best of a few timed runs with the ratio to ferrule.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPEAT = 3


def best_time(fn: Callable[[], Any], repeat: int = REPEAT) -> tuple[float, Any]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def best_times(
    runs: dict[str, Callable[[], Any]], repeat: int = REPEAT
) -> tuple[dict[str, float], dict[str, Any]]:
    """The best time of each run, the runs interleaved so that none pays alone for the garbage
    collections and memory growth the others leave behind."""
    best = dict.fromkeys(runs, float("inf"))
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name, fn in runs.items():
            results.pop(name, None)
            gc.collect()
            start = time.perf_counter()
            results[name] = fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best, results


def table(title: str, rows: list[tuple[str, dict[str, float]]]) -> None:
    impls = list(rows[0][1])
    peers = [i for i in impls if i != "ferrule"]
    head = ["workload", *impls, *(f"{p}/ferrule" for p in peers)]
    body = []
    for name, times in rows:
        cells = [f"{times[i] * 1e3:9.1f} ms" for i in impls]
        ratios = [f"{times[p] / times['ferrule']:6.2f}x" for p in peers]
        body.append([name, *cells, *ratios])
    widths = [max(len(str(r[c])) for r in [head, *body]) for c in range(len(head))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in body:
        print("  ".join(str(c).rjust(w) for c, w in zip(r, widths, strict=True)))


def demo_csv(rows: int) -> None:
    import csv as std_csv

    import ferrule.csv as ferrule_csv

    rng = random.Random(1)
    words = ["north", "south", "east", "west", "centre"]
    data = [
        [
            i,
            f"{rng.uniform(0, 1e5):.2f}",
            rng.choice(words),
            f'{rng.choice(words)}, "{rng.choice(words)}"' if i % 10 == 0 else rng.choice(words),
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "" if i % 3 else rng.randint(0, 999),
        ]
        for i in range(rows)
    ]
    header = ["id", "amount", "region", "note", "date", "code"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = std_csv.writer(f)
            w.writerow(header)
            w.writerows(data)
        size = path.stat().st_size / 1e6
        impls = {"ferrule": ferrule_csv, "stdlib": std_csv}

        def read(mod: Any) -> Callable[[], Any]:
            def run() -> Any:
                with path.open(newline="", encoding="utf-8") as f:
                    return list(mod.reader(f))

            return run

        def dict_read(mod: Any) -> Callable[[], Any]:
            def run() -> Any:
                with path.open(newline="", encoding="utf-8") as f:
                    return list(mod.DictReader(f))

            return run

        text_rows = read(std_csv)()

        def write(mod: Any) -> Callable[[], Any]:
            def run() -> Any:
                out = io.StringIO()
                mod.writer(out).writerows(text_rows)
                return out.getvalue()

            return run

        dicts = [dict(zip(header, r, strict=True)) for r in text_rows[1:]]

        def dict_write(mod: Any) -> Callable[[], Any]:
            def run() -> Any:
                out = io.StringIO()
                w = mod.DictWriter(out, fieldnames=header)
                w.writeheader()
                w.writerows(dicts)
                return out.getvalue()

            return run

        results = []
        for name, make in [
            ("reader", read),
            ("DictReader", dict_read),
            ("writer.writerows", write),
            ("DictWriter.writerows", dict_write),
        ]:
            times, outputs = best_times({impl: make(mod) for impl, mod in impls.items()})
            if outputs["ferrule"] != outputs["stdlib"]:
                sys.exit(f"ferrule.csv and csv disagree on {name}")
            results.append((name, times))
        table(f"ferrule-csv vs the standard csv module: {rows:,} rows, {size:.1f} MB", results)
        demo_columnar(path, rows, size)


def demo_columnar(path: Path, rows: int, size: float) -> None:
    """read_csv into typed Arrow columns beside the columnar readers people use."""
    import duckdb
    import pandas
    import polars
    import pyarrow
    import pyarrow.compute
    import pyarrow.csv

    import ferrule.csv as ferrule_csv

    def summary(ids: Any, amounts: Any, code_nulls: int, n: int) -> tuple[int, int, float, int]:
        # The same facts from every reader: rows, int sum, float sum (to the cent), nulls in
        # the int column with empty cells (pandas would make it float; ferrule keeps int).
        return (n, int(ids), round(float(amounts), 2), int(code_nulls))

    def ferrule_read() -> Any:
        t = pyarrow.table(ferrule_csv.read_csv(path))
        return summary(
            pyarrow.compute.sum(t["id"]).as_py(),
            pyarrow.compute.sum(t["amount"]).as_py(),
            t["code"].null_count,
            t.num_rows,
        )

    def polars_read() -> Any:
        df = polars.read_csv(path)
        return summary(df["id"].sum(), df["amount"].sum(), df["code"].null_count(), df.height)

    def pyarrow_read() -> Any:
        t = pyarrow.csv.read_csv(path)
        return summary(
            pyarrow.compute.sum(t["id"]).as_py(),
            pyarrow.compute.sum(t["amount"]).as_py(),
            t["code"].null_count,
            t.num_rows,
        )

    def pandas_read() -> Any:
        df = pandas.read_csv(path, engine="c")
        return summary(df["id"].sum(), df["amount"].sum(), df["code"].isna().sum(), len(df))

    def duckdb_read() -> Any:
        ids, amounts, nulls, n = duckdb.sql(
            f"select sum(id), sum(amount), count(*) - count(code), count(*) from read_csv('{path}')"
        ).fetchall()[0]
        return summary(ids, amounts, nulls, n)

    times, outputs = best_times(
        {
            "ferrule": ferrule_read,
            "polars": polars_read,
            "pyarrow": pyarrow_read,
            "pandas": pandas_read,
            "duckdb": duckdb_read,
        }
    )
    if len(set(outputs.values())) != 1:
        sys.exit(f"read_csv and its peers disagree: {outputs}")

    table_ = ferrule_csv.read_csv(path)
    frame = polars.from_arrow(pyarrow.table(table_))
    out = path.with_name("out.csv")
    write_times, _ = best_times(
        {
            "ferrule": lambda: ferrule_csv.write_csv(table_, out),
            "polars": lambda: frame.write_csv(out),
            "pyarrow": lambda: pyarrow.csv.write_csv(pyarrow.table(table_), out),
        }
    )
    table(
        f"ferrule-csv read_csv vs columnar readers: {rows:,} rows, {size:.1f} MB",
        [("read_csv (typed columns)", times)],
    )
    table(f"ferrule-csv write_csv of that table: {rows:,} rows", [("write_csv", write_times)])


def order_schema() -> dict[str, Any]:
    """An OpenAPI-style request body: nested objects, references, enums, patterns, bounds."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["customer", "items", "currency"],
        "additionalProperties": False,
        "properties": {
            "customer": {
                "type": "object",
                "required": ["id", "name", "email"],
                "properties": {
                    "id": {"type": "integer", "minimum": 1},
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                    "email": {"type": "string", "maxLength": 254},
                },
            },
            "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/item"}},
            "currency": {"enum": ["EUR", "USD", "GBP"]},
            "coupon": {"type": ["string", "null"], "pattern": "^[A-Z0-9]{6,12}$"},
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        },
        "definitions": {
            "item": {
                "type": "object",
                "required": ["sku", "quantity", "unit_price"],
                "additionalProperties": False,
                "properties": {
                    "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
                    "unit_price": {"type": "number", "exclusiveMinimum": 0},
                },
            }
        },
    }


def order_bodies(n: int) -> list[dict[str, Any]]:
    rng = random.Random(2)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    bodies = []
    for i in range(n):
        body: dict[str, Any] = {
            "customer": {"id": i + 1, "name": f"customer {i}", "email": f"c{i}@example.com"},
            "items": [
                {
                    "sku": f"{''.join(rng.choices(letters, k=3))}-{rng.randint(0, 9999):04d}",
                    "quantity": rng.randint(1, 20),
                    "unit_price": round(rng.uniform(0.5, 500), 2),
                }
                for _ in range(rng.randint(1, 6))
            ],
            "currency": rng.choice(["EUR", "USD", "GBP"]),
        }
        if i % 3 == 0:
            body["tags"] = ["gift", "express"]
        if i % 5 == 0:
            body["coupon"] = f"SAVE{i % 1000:04d}"
        # One body in ten is wrong, the ways clients get them wrong.
        fault = i % 50
        if fault == 1:
            del body["currency"]
        elif fault == 2:
            body["items"][0]["quantity"] = "3"
        elif fault == 3:
            body["items"][-1]["sku"] = "abc-1"
        elif fault == 4:
            body["extra"] = True
        elif fault == 5:
            body["currency"] = "XXX"
        bodies.append(body)
    return bodies


def demo_jsonschema(rows: int) -> None:
    import json

    import fastjsonschema
    import jsonschema
    import jsonschema_rs
    import orjson

    import ferrule.jsonschema as ferrule_jsonschema

    n = max(1000, rows // 30)
    schema = order_schema()
    bodies = order_bodies(n)
    # The valid bodies as one large document (an export, a batch upload).
    valid_bodies = [b for i, b in enumerate(bodies) if i % 50 not in range(1, 6)]
    document = {"orders": valid_bodies, "count": len(valid_bodies)}
    document_schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["orders", "count"],
        "properties": {
            "orders": {
                "type": "array",
                "items": {k: v for k, v in schema.items() if k not in ("$schema", "definitions")},
            },
            "count": {"type": "integer", "minimum": 0},
        },
        "definitions": schema["definitions"],
    }
    data = json.dumps(document).encode()

    def compiled(s: dict[str, Any]) -> dict[str, Callable[[Any], bool]]:
        # Format checks are off in all four (the default of ferrule and python-jsonschema).
        fast = fastjsonschema.compile(s, use_formats=False)

        def fast_is_valid(instance: Any) -> bool:
            try:
                fast(instance)
            except fastjsonschema.JsonSchemaValueException:
                return False
            return True

        return {
            "ferrule": ferrule_jsonschema.Draft7Validator(s).is_valid,
            "jsonschema-rs": jsonschema_rs.validator_for(s, validate_formats=False).is_valid,
            "fastjsonschema": fast_is_valid,
            "jsonschema": jsonschema.Draft7Validator(s).is_valid,
        }

    def slow_repeat(impl: str) -> int:
        # python-jsonschema takes seconds here: once is enough to see the ratio.
        return 1 if impl == "jsonschema" else REPEAT

    body_validators = compiled(schema)
    document_validators = compiled(document_schema)
    ferrule_document = ferrule_jsonschema.Draft7Validator(document_schema)
    results = []
    for name, validators, run in [
        (
            f"{n:,} request bodies",
            body_validators,
            lambda is_valid: lambda: [is_valid(b) for b in bodies],
        ),
        (
            f"one {len(data) / 1e6:.1f} MB document",
            document_validators,
            lambda is_valid: lambda: is_valid(document),
        ),
    ]:
        times = {}
        outputs = {}
        for impl, is_valid in validators.items():
            times[impl], outputs[impl] = best_time(run(is_valid), slow_repeat(impl))
        if len({repr(o) for o in outputs.values()}) != 1:
            sys.exit(f"ferrule.jsonschema and its peers disagree on {name}")
        results.append((name, times))
    table(
        "ferrule-jsonschema vs jsonschema-rs, fastjsonschema, jsonschema (one run): is_valid",
        results,
    )

    # JSON text: ferrule parses and validates in Rust; the peers need orjson.loads first.
    texts = [orjson.dumps(b) for b in bodies]
    ferrule_bodies = ferrule_jsonschema.Draft7Validator(schema)
    text_results = []
    for name, ferrule_run, peer_run, floor in [
        (
            f"{n:,} request bodies (bytes)",
            lambda: [ferrule_bodies.is_valid_json(t) for t in texts],
            lambda is_valid: lambda: [is_valid(orjson.loads(t)) for t in texts],
            lambda: [orjson.loads(t) is not None for t in texts],
        ),
        (
            f"one {len(data) / 1e6:.1f} MB document (bytes)",
            lambda: ferrule_document.is_valid_json(data),
            lambda is_valid: lambda: is_valid(orjson.loads(data)),
            lambda: orjson.loads(data) is not None,
        ),
    ]:
        validators = body_validators if "bodies" in name else document_validators
        times = {}
        outputs = {}
        times["ferrule"], outputs["ferrule"] = best_time(ferrule_run)
        for impl, is_valid in validators.items():
            if impl != "ferrule":
                times[impl], outputs[impl] = best_time(peer_run(is_valid), slow_repeat(impl))
        if len({repr(o) for o in outputs.values()}) != 1:
            sys.exit(f"ferrule.jsonschema and its peers disagree on {name}")
        times["orjson.loads only"], _ = best_time(floor)
        text_results.append((name, times))
    table(
        "ferrule-jsonschema is_valid_json(bytes) vs orjson.loads + each peer's is_valid",
        text_results,
    )


DEMOS: dict[str, tuple[str, Callable[[int], None]]] = {
    "ferrule-csv": ("ferrule.csv", demo_csv),
    "ferrule-jsonschema": ("ferrule.jsonschema", demo_jsonschema),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=300_000, help="CSV rows (default 300,000)")
    parser.add_argument("packages", nargs="*", help="only these packages")
    args = parser.parse_args()
    for package, (module, run) in DEMOS.items():
        if args.packages and package not in args.packages:
            continue
        if importlib.util.find_spec(module) is None:
            print(f"\n{package}: not installed, skipped")
            continue
        run(args.rows)
    print("\nBest of", REPEAT, "runs each; ratios above 1 mean ferrule is faster.")


if __name__ == "__main__":
    main()
