#!/usr/bin/env python3
"""The main job: every ferrule package on a realistic workload beside the package it replaces.

Run through ``nox -s demo`` (which installs LTO builds of the packages first). Each section
generates its data, runs the same work through ferrule and through its peers, checks that the
results agree, and prints the best of a few timed runs with the ratio to ferrule.
"""

from __future__ import annotations

import argparse
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
            times = {}
            outputs = []
            for impl, mod in impls.items():
                times[impl], out = best_time(make(mod))
                outputs.append(out)
            if outputs[0] != outputs[1]:
                sys.exit(f"ferrule.csv and csv disagree on {name}")
            results.append((name, times))
    table(f"ferrule-csv vs the standard csv module: {rows:,} rows, {size:.1f} MB", results)


DEMOS: dict[str, tuple[str, Callable[[int], None]]] = {
    "ferrule-csv": ("ferrule.csv", demo_csv),
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
