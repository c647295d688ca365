"""ferrule.csv.read_csv and write_csv beside polars, pyarrow, pandas (C engine) and duckdb.

Each read group is one file read into typed columns: ``mixed`` (ints, floats, strings, dates,
empty cells, some quoted fields with line breaks), ``numeric``, ``wide`` (500 columns) and
``quoted`` (every record holds a quoted field with line breaks). Without
``FERRULE_BENCH_ROWS`` the files have the issue's sizes (mixed, numeric and wide 120 MB, quoted
250 MB), generated once into ``target/bench-data/csv-columnar/`` and reused; with it, the
row counts of ``conftest.py`` (``nox -s tests`` runs everything untimed at 2,000 rows).

Wall time is pytest-benchmark's; ``extra_info`` adds, from a fresh subprocess per reader (so
that no reader pays for another's heap), the best wall and CPU time of ``FERRULE_BENCH_REPEAT``
reads (default 3) and the peak memory above the interpreter's baseline (``ru_maxrss``). polars
is run twice, without and with ``try_parse_dates`` (ferrule always parses dates). pyarrow is
told that values may hold newlines, without which it reads the quoted files wrong.

When the benchmarks are timed (``nox -s bench``), the subprocess figures are also written to
``docs/benchmarks/ferrule-csv-columnar.{json,md}`` (another directory with
``FERRULE_BENCH_COLUMNAR_OUT``), the table ``docs/csv/columnar.rst`` includes.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import platform
import random
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The row generators of the part-1 benchmarks, loaded by path: pytest's importlib mode does not
# put this directory on sys.path.
_spec = importlib.util.spec_from_file_location(
    "ferrule_csv_bench_data", Path(__file__).with_name("conftest.py")
)
assert _spec is not None
assert _spec.loader is not None
_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_data)
mixed_rows, numeric_rows, wide_rows = _data.mixed_rows, _data.numeric_rows, _data.wide_rows

# Generating the issue-size files (about 630 MB) takes minutes on their first run, inside the
# first test's setup: longer than the shared 300 s limit.
pytestmark = pytest.mark.timeout(3600)

SMALL = "FERRULE_BENCH_ROWS" in os.environ
ROWS = int(os.environ.get("FERRULE_BENCH_ROWS", "1000000"))
REPEAT = int(os.environ.get("FERRULE_BENCH_REPEAT", "3"))
ROOT = Path(__file__).resolve().parents[3]

FILES = ["mixed", "numeric", "wide", "quoted"]
IMPLS = ["ferrule", "polars", "polars-dates", "pyarrow", "pandas", "duckdb"]
# The issue's sizes, in MB (10**6 bytes).
ISSUE_MB = {"mixed": 120, "numeric": 120, "wide": 120, "quoted": 250}

READERS = {
    "ferrule": "from ferrule.csv import read_csv\ndef read(p): return read_csv(p).num_rows",
    "polars": "import polars as pl\ndef read(p): return pl.read_csv(p).height",
    "polars-dates": (
        "import polars as pl\ndef read(p): return pl.read_csv(p, try_parse_dates=True).height"
    ),
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

# Writing the mixed table (at most 1,000,000 rows of it) to bytes in memory: `prepare(p)`
# reads it into each writer's own form, outside the timing.
WRITE_ROWS = min(ROWS, 1_000_000)
WRITERS = {
    "ferrule": textwrap.dedent(
        """\
        from ferrule.csv import read_csv, write_csv
        def prepare(p, n): return read_csv(p, n_rows=n)
        def write(t): return len(write_csv(t))
        """
    ),
    "polars": textwrap.dedent(
        """\
        import polars as pl
        def prepare(p, n): return pl.read_csv(p, n_rows=n, try_parse_dates=True)
        def write(t): return len(t.write_csv())
        """
    ),
    "csv.writer": textwrap.dedent(
        """\
        import csv, io
        from ferrule.csv import read_csv
        def prepare(p, n):
            d = read_csv(p, n_rows=n).to_pydict()
            return list(zip(*d.values()))
        def write(rows):
            out = io.StringIO()
            csv.writer(out, lineterminator="\\n").writerows(rows)
            return len(out.getvalue())
        """
    ),
}


def quoted_rows(n: int) -> Iterator[list[object]]:
    rng = random.Random(3)
    for i in range(n):
        note = f'line one of {i}\nline two, with a comma\nand "quotes" {rng.random():.4f}'
        yield [i, note, rng.randint(0, 10**6), f"{rng.random() * 100:.3f}"]


HEADERS: dict[str, list[str]] = {
    "mixed": ["id", "amount", "word", "text", "date", "maybe", "flag"],
    "numeric": [f"c{i}" for i in range(8)],
    "wide": [f"c{i}" for i in range(500)],
    "quoted": ["id", "note", "n", "x"],
}
GENERATORS: dict[str, Callable[[int], Iterator[list[object]]]] = {
    "mixed": mixed_rows,
    "numeric": numeric_rows,
    "wide": wide_rows,
    "quoted": quoted_rows,
}


def generate(path: Path, name: str, rows: int) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADERS[name])
        w.writerows(GENERATORS[name](rows))
    tmp.rename(path)


def rows_for(name: str, megabytes: int) -> int:
    """How many rows make the file about `megabytes` long, from a sample of the generator."""
    sample = io.StringIO()
    csv.writer(sample).writerows(GENERATORS[name](2000))
    return int(megabytes * 10**6 / (len(sample.getvalue().encode()) / 2000))


@pytest.fixture(scope="session")
def columnar_files(csv_files: dict[str, Path], data_dir: Path) -> dict[str, tuple[Path, int]]:
    """Each file and its number of records."""
    if SMALL:
        quoted = data_dir / "quoted.csv"
        if not quoted.exists():
            generate(quoted, "quoted", ROWS)
        rows = {"mixed": ROWS, "numeric": ROWS, "wide": max(ROWS // 100, 10), "quoted": ROWS}
        paths = {**csv_files, "quoted": quoted}
        return {name: (paths[name], rows[name]) for name in FILES}
    out_dir = ROOT / "target" / "bench-data" / "csv-columnar"
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in FILES:
        rows = rows_for(name, ISSUE_MB[name])
        path = out_dir / f"{name}-{rows}.csv"
        if not path.exists():
            generate(path, name, rows)
        files[name] = (path, rows)
    return files


def reader(impl: str) -> Callable[[Path], int]:
    scope: dict[str, Any] = {}
    exec(READERS[impl], scope)
    return scope["read"]  # type: ignore[no-any-return]


MEASURE = """
import json, resource, sys, time
{code}
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
arg = {arg}
walls, cpus = [], []
for _ in range({repeat}):
    t0, c0 = time.perf_counter(), cpu()
    n = {call}
    walls.append(time.perf_counter() - t0)
    cpus.append(cpu() - c0)
print(json.dumps({{
    "n": n, "wall_s": min(walls), "cpu_s": min(cpus),
    # ru_maxrss is in KiB; MB here are 10**6 bytes, as the file sizes are.
    "peak_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024 / 1e6,
}}))
"""


def run_measure(script: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def measure(impl: str, path: Path, repeat: int = REPEAT) -> dict[str, float]:
    """Best wall and CPU seconds of `repeat` reads in a fresh process, and its peak memory."""
    script = MEASURE.format(
        code=READERS[impl], arg=repr(str(path)), repeat=repeat, call="read(arg)"
    )
    return run_measure(script)


def measure_write(impl: str, path: Path, repeat: int = REPEAT) -> dict[str, float]:
    """The same for writing: the table is prepared before the baseline of memory and time."""
    code = WRITERS[impl] + f"data = prepare({str(path)!r}, {WRITE_ROWS})\n"
    script = MEASURE.format(code=code, arg="data", repeat=repeat, call="write(arg)")
    return run_measure(script)


@pytest.fixture(scope="session")
def report(request: pytest.FixtureRequest) -> Iterator[dict[str, dict[str, Any]]]:
    """Collects the subprocess figures; written out when the benchmarks were timed."""
    results: dict[str, dict[str, Any]] = {}
    yield results
    if not results:
        return
    out_dir = Path(os.environ.get("FERRULE_BENCH_COLUMNAR_OUT", ROOT / "docs" / "benchmarks"))
    write_report(results, out_dir / "ferrule-csv-columnar.json")


def ratio(value: float, ferrule: float) -> str:
    return f"{value / ferrule:.2f}x" if ferrule > 0 else ""


def write_report(results: dict[str, dict[str, Any]], json_path: Path, repeat: int = REPEAT) -> None:
    machine = f"{os.cpu_count()} CPUs, {platform.python_implementation()} "
    machine += platform.python_version()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    json_path.write_text(json.dumps({"run": stamp, "results": results}, indent=1) + "\n")
    lines = [
        f"Best of {repeat} runs in a fresh process per reader; {machine}, run {stamp}.",
        "",
        "| file | reader | wall s | CPU s | CPU / ferrule | peak MB | peak / file |",
        "|---|---|---|---|---|---|---|",
    ]
    reads = sorted(
        (k.split("|") for k in results if not k.startswith("write|")),
        key=lambda k: (FILES.index(k[0]), IMPLS.index(k[1])),
    )
    for name, impl in reads:
        key = f"{name}|{impl}"
        r = results[key]
        ferrule = results.get(f"{name}|ferrule", r)
        lines.append(
            f"| {name}, {r['file_mb']:.0f} MB | {impl} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} "
            f"| {ratio(r['cpu_s'], ferrule['cpu_s'])} | {r['peak_mb']:.0f} "
            f"| {r['peak_mb'] / r['file_mb']:.2f}x |"
        )
    writes = {k.split("|")[1]: v for k, v in results.items() if k.startswith("write")}
    if writes:
        lines += [
            "",
            f"Writing the first {WRITE_ROWS:,} rows of the mixed table to memory:",
            "",
            "| writer | wall s | CPU s | CPU / ferrule |",
            "|---|---|---|---|",
        ]
        ferrule = writes.get("ferrule")
        for impl, r in writes.items():
            vs = ratio(r["cpu_s"], ferrule["cpu_s"]) if ferrule else ""
            lines.append(f"| {impl} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | {vs} |")
    json_path.with_suffix(".md").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("name", FILES)
def test_read_columnar(
    benchmark: Any,
    columnar_files: dict[str, tuple[Path, int]],
    report: dict[str, dict[str, Any]],
    name: str,
    impl: str,
) -> None:
    pytest.importorskip({"ferrule": "ferrule.csv"}.get(impl, impl.split("-")[0]))
    path, rows = columnar_files[name]
    file_mb = path.stat().st_size / 1e6
    benchmark.group = f"read_csv {name} ({file_mb:.0f} MB)"
    benchmark.extra_info["impl"] = impl
    read = reader(impl)
    assert benchmark.pedantic(read, (path,), rounds=3, iterations=1) == rows
    if not benchmark.disabled:
        stats = measure(impl, path)
        assert stats.pop("n") == rows
        benchmark.extra_info.update({k: round(v, 3) for k, v in stats.items()})
        benchmark.extra_info["file_mb"] = round(file_mb, 1)
        report[f"{name}|{impl}"] = {**stats, "file_mb": file_mb}


@pytest.mark.parametrize("impl", list(WRITERS))
def test_write_columnar(
    benchmark: Any,
    columnar_files: dict[str, tuple[Path, int]],
    report: dict[str, dict[str, Any]],
    impl: str,
) -> None:
    pytest.importorskip("polars" if impl == "polars" else "ferrule.csv")
    path, _ = columnar_files["mixed"]
    benchmark.group = f"write_csv mixed ({WRITE_ROWS} rows)"
    benchmark.extra_info["impl"] = impl
    scope: dict[str, Any] = {}
    exec(WRITERS[impl], scope)
    data = scope["prepare"](path, WRITE_ROWS)
    assert benchmark.pedantic(scope["write"], (data,), rounds=3, iterations=1) > 0
    if not benchmark.disabled:
        stats = measure_write(impl, path)
        benchmark.extra_info.update({k: round(v, 3) for k, v in stats.items()})
        report[f"write|{impl}"] = stats


def test_measurements_in_a_subprocess(columnar_files: dict[str, tuple[Path, int]]) -> None:
    # What the timed run reports, checked untimed on one file (the reads above check every
    # reader's row count on every file, the quoted one being what pyarrow gets wrong without
    # newlines_in_values): every subprocess reads and writes, and the report is written.
    results: dict[str, dict[str, Any]] = {}
    for name in ["mixed"]:
        path, rows = columnar_files[name]
        for impl in IMPLS:
            stats = measure(impl, path, repeat=1)
            assert stats["n"] == rows, (name, impl)
            results[f"{name}|{impl}"] = {**stats, "file_mb": path.stat().st_size / 1e6}
    for impl in WRITERS:
        results[f"write|{impl}"] = measure_write(impl, columnar_files["mixed"][0], repeat=1)
        assert results[f"write|{impl}"]["n"] > 0, impl
    out = columnar_files["mixed"][0].parent / "report.json"
    write_report(results, out, repeat=1)
    assert "| mixed" in out.with_suffix(".md").read_text()


if os.environ.get("FERRULE_BENCH_PRINT"):  # pragma: no cover - a manual helper

    def test_print_measurements(columnar_files: dict[str, tuple[Path, int]]) -> None:
        results: dict[str, dict[str, Any]] = {}
        for name in FILES:
            path, _ = columnar_files[name]
            for impl in IMPLS:
                stats = measure(impl, path)
                print(name, impl, stats)
                results[f"{name}|{impl}"] = {**stats, "file_mb": path.stat().st_size / 1e6}
        for impl in WRITERS:
            results[f"write|{impl}"] = measure_write(impl, columnar_files["mixed"][0])
            print("write", impl, results[f"write|{impl}"])
        out_dir = Path(os.environ.get("FERRULE_BENCH_COLUMNAR_OUT", ROOT / "docs" / "benchmarks"))
        write_report(results, out_dir / "ferrule-csv-columnar.json")
