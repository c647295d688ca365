"""Benchmark data for ferrule-csv, generated once per run (deterministic, seeded).

``FERRULE_BENCH_ROWS`` scales the row counts (default: the issue's 1,000,000-row mixed file).
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

ROWS = int(os.environ.get("FERRULE_BENCH_ROWS", "1000000"))


def mixed_rows(n: int) -> Iterator[list[object]]:
    """ints, floats, short and quoted strings with commas and newlines, dates, empty fields."""
    rng = random.Random(42)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    for i in range(n):
        quoted = rng.random()
        if quoted < 0.05:
            text = f'{rng.choice(words)}, "{rng.choice(words)}"\n{rng.choice(words)}'
        elif quoted < 0.2:
            text = f"{rng.choice(words)}, {rng.choice(words)}"
        else:
            text = rng.choice(words)
        yield [
            i,
            f"{rng.uniform(-1e6, 1e6):.6f}",
            rng.choice(words),
            text,
            f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "" if rng.random() < 0.3 else rng.randint(0, 10**9),
            rng.choice(["", "Y", "N"]),
        ]


def numeric_rows(n: int) -> Iterator[list[object]]:
    rng = random.Random(7)
    for _ in range(n):
        yield [rng.randint(-(10**9), 10**9) for _ in range(4)] + [
            f"{rng.random() * 1000:.5f}" for _ in range(4)
        ]


def wide_rows(n: int, cols: int = 500) -> Iterator[list[object]]:
    rng = random.Random(11)
    for _ in range(n):
        yield [rng.randint(0, 99999) if c % 2 else f"v{rng.randint(0, 999)}" for c in range(cols)]


def write(path: Path, header: list[str], rows: Iterator[list[object]]) -> Path:
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
        tmp.rename(path)
    return path


@pytest.fixture(scope="session")
def data_dir() -> Path:
    root = Path(__file__).resolve().parents[3] / "target" / "bench-data" / f"csv-{ROWS}"
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="session")
def csv_files(data_dir: Path) -> dict[str, Path]:
    return {
        "mixed": write(
            data_dir / "mixed.csv",
            ["id", "amount", "word", "text", "date", "maybe", "flag"],
            mixed_rows(ROWS),
        ),
        "numeric": write(data_dir / "numeric.csv", [f"c{i}" for i in range(8)], numeric_rows(ROWS)),
        "wide": write(
            data_dir / "wide.csv", [f"c{i}" for i in range(500)], wide_rows(max(ROWS // 100, 10))
        ),
    }
