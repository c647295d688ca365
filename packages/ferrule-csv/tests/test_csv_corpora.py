"""Conformance over CSV corpora nobody here wrote: ferrule.csv must read them as the stdlib does.

The corpora live outside the repository, in ``../shared/corpora/csv`` (next to the repo root);
``SOURCES.md`` there lists where each folder comes from (csv-spectrum, w3c/csvw, DuckDB's
``data/csv``, arrow-rs and polars fixtures). Without them the tests fail, unless
``FERRULE_SKIP_CORPORA=1`` is set.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

import ferrule.csv as fcsv

REPO_ROOT = Path(__file__).resolve().parents[3]
CORPORA = REPO_ROOT.parent / "shared" / "corpora" / "csv"
SKIP = os.environ.get("FERRULE_SKIP_CORPORA") == "1"
EXTENSIONS = {".csv", ".tsv", ".txt"}

MISSING_MESSAGE = (
    f"CSV corpora not found at {CORPORA}. Fetch them from the sources that their SOURCES.md lists: "
    "maxogden/csv-spectrum (csvs/, json/), w3c/csvw (tests/), duckdb/duckdb (data/csv), "
    "apache/arrow-rs (arrow-csv/test/data), pola-rs/polars (py-polars/tests/unit/io/files), "
    "or set FERRULE_SKIP_CORPORA=1 to skip these tests explicitly."
)


def corpus_files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(p for p in CORPORA.rglob("*") if p.suffix in EXTENSIONS and p.is_file())


FILES = corpus_files()


def test_corpora_present() -> None:
    if SKIP:
        pytest.skip("FERRULE_SKIP_CORPORA=1")
    if not FILES:
        pytest.fail(MISSING_MESSAGE, pytrace=False)
    # Guards against a half-copied tree that would silently test little.
    assert len(FILES) > 1000
    assert (CORPORA / "csv-spectrum" / "json").is_dir()


def encoding_of(path: Path) -> str:
    """The encoding the file needs: a BOM, else UTF-8 if it decodes, else a known one."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if "shift_jis" in path.name:
        return "shift_jis"
    # Any byte decodes as latin-1, the usual encoding of the rest (DuckDB's encodings/).
    return "latin-1"


def dialect_of(path: Path) -> str:
    return "excel-tab" if path.suffix == ".tsv" else "excel"


def read_outcome(reader: Any) -> tuple[list[Any], Any]:
    """The rows with line_num after each, and how the iteration ended."""
    rows = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows, ("end", reader.line_num)
        except Exception as e:
            return rows, ("raise", e, reader.line_num)
        rows.append((row, reader.line_num))


def assert_same_end(std: tuple[Any, ...], ours: tuple[Any, ...]) -> None:
    assert std[0] == ours[0], f"stdlib {std}, ferrule {ours}"
    assert std[-1] == ours[-1], "line_num differs"
    if std[0] == "raise":
        if isinstance(std[1], csv.Error):
            assert isinstance(ours[1], fcsv.Error)
            assert str(ours[1]).startswith(str(std[1]))
            assert ours[1].line_num == std[2]
        else:
            assert type(ours[1]) is type(std[1])
            assert str(ours[1]) == str(std[1])


def params() -> list[Any]:
    return [pytest.param(p, id=str(p.relative_to(CORPORA))) for p in FILES]


def require_corpora() -> None:
    if SKIP:
        pytest.skip("FERRULE_SKIP_CORPORA=1")
    if not FILES:
        pytest.fail(MISSING_MESSAGE, pytrace=False)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", params())
def test_reader(path: Path) -> None:
    require_corpora()
    encoding = encoding_of(path)
    dialect = dialect_of(path)
    with path.open(encoding=encoding, newline="") as f:
        std_rows, std_end = read_outcome(csv.reader(f, dialect))
    with path.open(encoding=encoding, newline="") as f:
        ours_rows, ours_end = read_outcome(fcsv.reader(f, dialect))
    assert ours_rows == std_rows
    assert_same_end(std_end, ours_end)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", params())
def test_reader_line_by_line_strict(path: Path) -> None:
    # A StringIO is not a real file: lines come one by one, as from any iterable.
    require_corpora()
    with path.open(encoding=encoding_of(path), newline="") as f:
        text = f.read()
    dialect = dialect_of(path)
    std_rows, std_end = read_outcome(
        csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    )
    ours_rows, ours_end = read_outcome(
        fcsv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    )
    assert ours_rows == std_rows
    assert_same_end(std_end, ours_end)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", params())
def test_dict_reader(path: Path) -> None:
    require_corpora()
    encoding = encoding_of(path)
    dialect = dialect_of(path)
    with path.open(encoding=encoding, newline="") as f:
        std_reader = csv.DictReader(f, dialect=dialect, restkey="_rest", restval="_missing")
        std_rows, std_end = read_outcome(std_reader)
        std_fieldnames = std_reader.fieldnames
    with path.open(encoding=encoding, newline="") as f:
        ours_reader = fcsv.DictReader(f, dialect=dialect, restkey="_rest", restval="_missing")
        ours_rows, ours_end = read_outcome(ours_reader)
        ours_fieldnames = ours_reader.fieldnames
    assert ours_rows == std_rows
    assert ours_fieldnames == std_fieldnames
    assert_same_end(std_end, ours_end)


def spectrum_cases() -> list[Any]:
    base = CORPORA / "csv-spectrum"
    return [
        pytest.param(p, base / "json" / (p.stem + ".json"), id=p.stem)
        for p in sorted((base / "csvs").glob("*.csv"))
    ]


@pytest.mark.parametrize(("csv_path", "json_path"), spectrum_cases())
def test_csv_spectrum_expected(csv_path: Path, json_path: Path) -> None:
    require_corpora()
    expected = json.loads(json_path.read_text(encoding="utf-8"))
    with csv_path.open(encoding="utf-8", newline="") as f:
        assert list(fcsv.DictReader(f)) == expected
    # The line-by-line path (a list of lines) agrees with the file fast path.
    with csv_path.open(encoding="utf-8", newline="") as f:
        lines = f.read().splitlines(keepends=True)
    assert list(fcsv.DictReader(lines)) == expected
    assert list(csv.DictReader(lines)) == expected


def test_csv_spectrum_complete() -> None:
    require_corpora()
    assert len(spectrum_cases()) == 11
