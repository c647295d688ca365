"""ferrule.csv.read_csv beside polars, pyarrow, pandas (C engine) and duckdb, in the same run.

Each group is one file read into typed columns (``mixed``, ``numeric``, ``wide`` from
``conftest.py``, plus ``quoted``: every record holds a quoted field with line breaks). Wall time
is pytest-benchmark's; ``extra_info`` adds the CPU time and the peak memory above the
interpreter's baseline, both from one read in a fresh subprocess (``getrusage``), so that no
reader pays for another's heap. pyarrow is told that values may hold newlines, without which
it reads the quoted files wrong.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROWS = int(os.environ.get("FERRULE_BENCH_ROWS", "1000000"))

FILES = ["mixed", "numeric", "wide", "quoted"]
IMPLS = ["ferrule", "polars", "pyarrow", "pandas", "duckdb"]

READERS = {
    "ferrule": "from ferrule.csv import read_csv\ndef read(p): return read_csv(p).num_rows",
    "polars": "import polars as pl\ndef read(p): return pl.read_csv(p).height",
    "pyarrow": textwrap.dedent(
        """\
        import pyarrow.csv as pc
        opts = pc.ParseOptions(newlines_in_values=True)
        def read(p): return pc.read_csv(p, parse_options=opts).num_rows
        """
    ),
    "pandas": "import pandas as pd\ndef read(p): return len(pd.read_csv(p, engine='c'))",
    "duckdb": textwrap.dedent(
        """\
        import duckdb
        def read(p):
            con = duckdb.connect()
            con.execute("SET enable_progress_bar = false")
            return con.sql(f"select * from read_csv('{p}')").to_arrow_table().num_rows
        """
    ),
}


def quoted_rows(n: int) -> Iterator[list[object]]:
    rng = random.Random(3)
    for i in range(n):
        note = f'line one of {i}\nline two, with a comma\nand "quotes" {rng.random():.4f}'
        yield [i, note, rng.randint(0, 10**6), f"{rng.random() * 100:.3f}"]


@pytest.fixture(scope="session")
def columnar_files(csv_files: dict[str, Path], data_dir: Path) -> dict[str, Path]:
    quoted = data_dir / "quoted.csv"
    if not quoted.exists():
        tmp = quoted.with_suffix(".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id", "note", "n", "x"])
            w.writerows(quoted_rows(ROWS))
        tmp.rename(quoted)
    return {**csv_files, "quoted": quoted}


def reader(impl: str) -> Callable[[Path], int]:
    scope: dict[str, Any] = {}
    exec(READERS[impl], scope)
    return scope["read"]  # type: ignore[no-any-return]


MEASURE = """
import json, resource, sys, time
{reader}
base = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
rows = read(sys.argv[1])
wall = time.perf_counter() - t0
end = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{
    "rows": rows, "wall_s": wall,
    "cpu_s": (end.ru_utime + end.ru_stime) - (base.ru_utime + base.ru_stime),
    "peak_mb": (end.ru_maxrss - base.ru_maxrss) / 1024,
}}))
"""


def measure(impl: str, path: Path) -> dict[str, float]:
    script = MEASURE.format(reader=READERS[impl])
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("name", FILES)
def test_read_columnar(
    benchmark: Any, columnar_files: dict[str, Path], name: str, impl: str
) -> None:
    pytest.importorskip({"ferrule": "ferrule.csv"}.get(impl, impl))
    path = columnar_files[name]
    benchmark.group = f"read_csv {name} ({path.stat().st_size / 1e6:.0f} MB)"
    benchmark.extra_info["impl"] = impl
    read = reader(impl)
    rows = benchmark.pedantic(read, (path,), rounds=3, iterations=1)
    assert rows == (max(ROWS // 100, 10) if name == "wide" else ROWS)
    if not benchmark.disabled:
        stats = measure(impl, path)
        benchmark.extra_info.update(
            {k: round(v, 3) for k, v in stats.items() if k != "rows"},
            file_mb=round(path.stat().st_size / 1e6, 1),
        )


def test_every_reader_counts_the_same_rows(columnar_files: dict[str, Path]) -> None:
    # The quoted file is the one pyarrow gets wrong without newlines_in_values.
    for name in FILES:
        counts = {impl: reader(impl)(columnar_files[name]) for impl in IMPLS}
        assert len(set(counts.values())) == 1, (name, counts)


if os.environ.get("FERRULE_BENCH_PRINT"):  # pragma: no cover - a manual helper

    def test_print_measurements(columnar_files: dict[str, Path]) -> None:
        for name in FILES:
            for impl in IMPLS:
                print(name, impl, measure(impl, columnar_files[name]))
