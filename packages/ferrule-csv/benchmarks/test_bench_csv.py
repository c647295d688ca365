"""ferrule.csv against the standard csv module, side by side in the same run.

Groups are workloads; within a group the `impl` is the standard module, ferrule, or the
"floor": building the same lists of strings with ``str.split`` on already split lines, i.e. the
cost of creating the Python objects with almost no parsing, which no reader can go below.
"""

from __future__ import annotations

import csv as std_csv
import io
from pathlib import Path
from typing import Any

import pytest

import ferrule.csv as ferrule_csv

IMPLS = {"stdlib": std_csv, "ferrule": ferrule_csv}
FILES = ["mixed", "numeric", "wide"]


def read_all(module: Any, path: Path) -> int:
    n = 0
    with path.open(newline="", encoding="utf-8") as f:
        for _ in module.reader(f):
            n += 1
    return n


def dict_read_all(module: Any, path: Path) -> int:
    n = 0
    with path.open(newline="", encoding="utf-8") as f:
        for _ in module.DictReader(f):
            n += 1
    return n


@pytest.mark.parametrize("impl", list(IMPLS))
@pytest.mark.parametrize("name", FILES)
def test_reader(benchmark: Any, csv_files: dict[str, Path], name: str, impl: str) -> None:
    benchmark.group = f"reader {name}"
    benchmark.extra_info["impl"] = impl
    rows = benchmark.pedantic(read_all, (IMPLS[impl], csv_files[name]), rounds=3, iterations=1)
    assert rows == read_all(std_csv, csv_files[name])


@pytest.mark.parametrize("name", ["numeric", "wide"])
def test_reader_floor(benchmark: Any, csv_files: dict[str, Path], name: str) -> None:
    # These files have no quoted fields, so str.split gives the same rows.
    lines = csv_files[name].read_text(encoding="utf-8").splitlines()
    benchmark.group = f"reader {name}"
    benchmark.extra_info["impl"] = "floor"

    def split_all() -> int:
        # Iterated like the readers above, not kept: a list of a million rows would bring the
        # cyclic garbage collector into the measurement.
        n = 0
        for line in lines:
            line.split(",")
            n += 1
        return n

    benchmark.pedantic(split_all, rounds=3, iterations=1)


@pytest.mark.parametrize("impl", list(IMPLS))
@pytest.mark.parametrize("name", FILES)
def test_dictreader(benchmark: Any, csv_files: dict[str, Path], name: str, impl: str) -> None:
    benchmark.group = f"DictReader {name}"
    benchmark.extra_info["impl"] = impl
    benchmark.pedantic(dict_read_all, (IMPLS[impl], csv_files[name]), rounds=3, iterations=1)


@pytest.fixture(scope="module")
def parsed(csv_files: dict[str, Path]) -> dict[str, list[list[str]]]:
    out = {}
    for name in FILES:
        with csv_files[name].open(newline="", encoding="utf-8") as f:
            out[name] = list(std_csv.reader(f))
    return out


@pytest.mark.parametrize("impl", list(IMPLS))
@pytest.mark.parametrize("name", FILES)
def test_writer(benchmark: Any, parsed: dict[str, list[list[str]]], name: str, impl: str) -> None:
    rows = parsed[name]
    benchmark.group = f"writer {name}"
    benchmark.extra_info["impl"] = impl

    def write_all() -> int:
        out = io.StringIO()
        IMPLS[impl].writer(out).writerows(rows)
        return len(out.getvalue())

    assert benchmark.pedantic(write_all, rounds=3, iterations=1) > 0


@pytest.mark.parametrize("impl", list(IMPLS))
@pytest.mark.parametrize("name", FILES)
def test_dictwriter(
    benchmark: Any, parsed: dict[str, list[list[str]]], name: str, impl: str
) -> None:
    header, *rows = parsed[name]
    dicts = [dict(zip(header, row, strict=True)) for row in rows]
    benchmark.group = f"DictWriter {name}"
    benchmark.extra_info["impl"] = impl

    def write_all() -> int:
        out = io.StringIO()
        w = IMPLS[impl].DictWriter(out, fieldnames=header)
        w.writeheader()
        w.writerows(dicts)
        return len(out.getvalue())

    assert benchmark.pedantic(write_all, rounds=3, iterations=1) > 0
