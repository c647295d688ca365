"""read_csv against the part-1 row reader plus a Python type conversion written from the
documented rules, cell by cell: on hypothesis-generated files and on the shared corpora."""

from __future__ import annotations

import csv as std_csv
import datetime as dt
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule.csv as fcsv
from ferrule.csv import read_csv

CORPORA = Path(__file__).resolve().parents[3].parent / "shared" / "corpora" / "csv"

INT = re.compile(r"[+-]?[0-9]+\Z")
FLOAT = re.compile(
    r"[+-]?(?:(?i:inf|infinity|nan)|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\Z"
)
DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?"
    r"(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?\Z"
)


def as_int(s: str) -> int | None:
    if INT.match(s) and -(2**63) <= int(s) < 2**63:
        return int(s)
    return None


def as_float(s: str) -> float | None:
    return float(s) if FLOAT.match(s) else None


def as_bool(s: str) -> bool | None:
    return {"true": True, "false": False}.get(s.lower())


def as_datetime(s: str) -> tuple[dt.datetime, bool] | None:
    m = DATETIME.match(s)
    if not m:
        return None
    y, mo, d, h, mi, sec, frac, tz = m.groups()
    try:
        value = dt.datetime(
            int(y),
            int(mo),
            int(d),
            int(h or 0),
            int(mi or 0),
            int(sec or 0),
            int((frac or "0")[:6].ljust(6, "0")),
        )
    except ValueError:
        return None
    if tz is None:
        return value, False
    if tz in "Zz":
        return value.replace(tzinfo=dt.UTC), True
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        return None
    offset = dt.timedelta(hours=hours, minutes=minutes) * (-1 if tz[0] == "-" else 1)
    return (value - offset).replace(tzinfo=dt.UTC), True


def as_date(s: str) -> dt.date | None:
    parsed = as_datetime(s) if len(s) == 10 else None
    return parsed[0].date() if parsed else None


def convert(cells: list[str | None]) -> tuple[str, list[Any]]:
    """The documented inference: the narrowest type every non-null cell fits."""
    values = [c for c in cells if c is not None]
    if not values:
        return "null", [None] * len(cells)
    for name, parse in [
        ("bool", as_bool),
        ("int64", as_int),
        ("float64", as_float),
        ("date", as_date),
        ("datetime", lambda s: ((p := as_datetime(s)) and not p[1] and p[0]) or None),
        ("datetime_tz", lambda s: ((p := as_datetime(s)) and p[1] and p[0]) or None),
    ]:
        if all(parse(v) is not None for v in values):
            return name, [None if c is None else parse(c) for c in cells]
    return "string", cells


def reference(
    text: str, null_values: tuple[str, ...] = ("",)
) -> tuple[dict[str, str], dict[str, list[Any]]]:
    rows = [r for r in fcsv.reader(io.StringIO(text, newline="")) if r]
    header, data = rows[0], rows[1:]
    schema: dict[str, str] = {}
    out: dict[str, list[Any]] = {}
    for c, name in enumerate(header):
        cells = [None if r[c] in null_values else r[c] for r in data]
        schema[name], out[name] = convert(cells)
    return schema, out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b) and type(a) is type(b)


def check(text: str, **kwargs: Any) -> None:
    rows = [r for r in fcsv.reader(io.StringIO(text, newline="")) if r]
    if any(len(r) != len(rows[0]) for r in rows):
        # Python 3.11's writer leaves a lone CR unquoted under lineterminator="\n": ragged rows.
        with pytest.raises(fcsv.ReadError, match="expected"):
            read_csv(text.encode(), **kwargs)
        return
    schema, expected = reference(text)
    t = read_csv(text.encode(), **kwargs)
    assert t.schema == schema
    got = t.to_pydict()
    for name in expected:
        for i, (a, b) in enumerate(zip(got[name], expected[name], strict=True)):
            assert same(a, b), (name, i, a, b)


int_cells = st.integers(-(2**63), 2**63 - 1).map(str)
float_cells = st.floats(allow_nan=True, allow_infinity=True).map(repr) | st.sampled_from(
    ["1e5", ".5", "5.", "-0.0", "INF", "nan", "1E-3"]
)
bool_cells = st.sampled_from(["true", "false", "True", "FALSE"])
date_cells = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat)
datetime_cells = st.builds(
    lambda d, sep, spec, tz: d.isoformat(sep=sep, timespec=spec) + tz,
    st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30)),
    st.sampled_from(["T", " "]),
    st.sampled_from(["minutes", "seconds", "milliseconds", "microseconds"]),
    st.sampled_from(["", "", "Z", "+02:00", "-0530", "+01"]),
)
text_cells = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12
) | st.sampled_from(["a,b", 'say "hi"', "line\nbreak", "cr\rlf\r\n", " lead", "", "NA"])
noise = st.sampled_from(["", "", "x", "1", "1.5", "true", "2024-01-01"])


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    kinds = [int_cells, float_cells, bool_cells, date_cells, datetime_cells, text_cells]
    ncols = draw(st.integers(1, 5))
    columns = [draw(st.sampled_from(kinds)) for _ in range(ncols)]
    nrows = draw(st.integers(0, 25))
    rows = [
        [draw(noise if draw(st.integers(0, 9)) == 0 else col) for col in columns]
        for _ in range(nrows)
    ]
    out = io.StringIO()
    writer = std_csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerow([f"c{i}" for i in range(ncols)])
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_texts(), st.sampled_from([1, 2]))
def test_generated_files_match_the_row_reader(text: str, threads: int) -> None:
    check(text, threads=threads)


def test_many_slices_match_the_row_reader() -> None:
    lines = ["a,b,c"] + [f'{i},"{i}\n{i}",{i / 3}' for i in range(30_000)]
    check("\r\n".join(lines) + "\r\n", threads=3)


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_quoted_cells_read_in_place_match_the_row_reader(end: str) -> None:
    # Quoted fields without a doubled quote are read where they lie in the input (and typed
    # there), those with one from a copy with the quotes undone: both as the row reader reads
    # them, over many records, on two threads, with an empty quoted field and no final line end.
    rows = [
        f'"{i}","{i / 4}","2024-01-{i % 28 + 1:02d}","a ""q"" {i}","x{end}y{i}",{i},""'
        for i in range(5000)
    ]
    check("a,b,c,d,e,f,g" + end + end.join(rows), threads=2)
    check("a,b,c,d,e,f,g" + end + end.join(rows) + end, threads=1)


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_records_around_quoted_ones_match_the_row_reader(end: str) -> None:
    # After a record with a quoted field the quoted split is tried first: blank lines, plain
    # records, quoted fields that go on after their closing quote (not RFC 4180: the state
    # machine) and doubled quotes on both sides of the 32-byte block edges must still read as
    # the row reader reads them.
    rows = []
    for i in range(3000):
        pad = "p" * (i % 40)
        rows.append(
            [
                f'{i},"{pad}""q""{end}x",{i / 8}',
                f"{i},{pad},{i}",
                f'{i},"{pad}"tail,{i}',
                f'{i},"a""""{pad}""",{i}',
                "",
            ][i % 5]
        )
    check("id,note,x" + end + end.join(rows) + end, threads=2)


def spectrum_cases() -> list[Path]:
    return sorted((CORPORA / "csv-spectrum" / "csvs").glob("*.csv"))


@pytest.mark.parametrize("path", spectrum_cases(), ids=lambda p: p.stem)
def test_csv_spectrum_expected_json(path: Path) -> None:
    expected = json.loads((path.parent.parent / "json" / f"{path.stem}.json").read_text())
    t = read_csv(path, infer_types=False, null_values=[])
    rows = [
        dict(zip(t.column_names, r, strict=True)) for r in zip(*t.to_pydict().values(), strict=True)
    ]
    assert rows == expected


def csvw_cases() -> list[tuple[str, Path, Path]]:
    """The CSVW CSV-to-JSON tests that apply to a reader without a metadata processor: a CSV
    with no metadata file (embedded metadata only: the header row names the columns, every
    cell is a string, the default null is the empty string). The others need CSVW metadata
    (dialects, datatypes, virtual columns, URL templates) and are not compared."""
    tests = CORPORA / "csvw" / "tests"
    manifest = json.loads((tests / "manifest-json.jsonld").read_text())
    return [
        (entry["id"].split("#")[1], tests / entry["action"], tests / entry["result"])
        for entry in manifest["entries"]
        if entry["type"] == "csvt:ToJsonTest"
        and entry["action"].endswith(".csv")
        and "result" in entry
        and not entry.get("implicit")
        and not entry.get("httpLink")
        and set(entry["option"]) <= {"noProv"}
    ]


def test_csvw_cases_are_found() -> None:
    assert [name for name, _, _ in csvw_cases()] == [
        "test001", "test005", "test006", "test007", "test008", "test009", "test010", "test028"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "csv_path", "json_path"), csvw_cases(), ids=lambda v: getattr(v, "name", v)
)
def test_csvw_expected_json(name: str, csv_path: Path, json_path: Path) -> None:
    (table,) = json.loads(json_path.read_text())["tables"]
    expected = [row["describes"][0] for row in table["row"]]
    t = read_csv(csv_path, infer_types=False)
    # A null cell has no property in CSVW's JSON.
    rows = [
        {k: v for k, v in zip(t.column_names, r, strict=True) if v is not None}
        for r in zip(*t.to_pydict().values(), strict=True)
    ]
    assert rows == expected, name


def corpus_files() -> list[Path]:
    return sorted(
        p for p in CORPORA.rglob("*") if p.suffix in {".csv", ".tsv", ".txt"} and p.is_file()
    )


def test_every_corpus_file_reads_or_fails_cleanly() -> None:
    files = corpus_files()
    assert len(files) > 1000, f"CSV corpora missing at {CORPORA}"
    outcomes = {"table": 0, "error": 0}
    for path in files:
        data = path.read_bytes()
        for kwargs in ({}, {"ragged": "pad", "on_bad_lines": "skip", "encoding": "latin-1"}):
            try:
                t = read_csv(data, delimiter="\t" if path.suffix == ".tsv" else ",", **kwargs)
            except fcsv.Error:
                outcomes["error"] += 1
            else:
                outcomes["table"] += 1
                assert len(t.to_pydict()) == t.num_columns
    # latin-1 and padding read nearly everything; strict UTF-8 and ragged rows reject some.
    assert outcomes["table"] > len(files)


def test_corpus_files_match_the_row_reader_where_rectangular() -> None:
    checked = 0
    for path in corpus_files():
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix != ".csv" or "\x00" in text:
            continue
        try:
            # Strict mode rejects input ending inside quotes, which read_csv treats as a bad
            # line while the lenient row reader returns the partial record.
            rows = [r for r in fcsv.reader(io.StringIO(text, newline=""), strict=True) if r]
        except fcsv.Error:
            continue
        if len(rows) < 2 or len({len(r) for r in rows}) != 1 or len(set(rows[0])) != len(rows[0]):
            continue
        if any(not name for name in rows[0]):
            continue
        check(text)
        checked += 1
    assert checked > 300
