"""DictReader rows whose values repeat down the columns, against the standard module.

ferrule's DictReader reuses the `str` of a short ASCII value that an earlier row had in a
column whose values repeat (the field cache): these tests read values that differ only in
their middle, their length or one byte, columns that stop and start repeating, and rows that
mix ASCII and non-ASCII text, short and long rows, with the stdlib's rows as the reference.
"""

from __future__ import annotations

import csv as std_csv
import gc
import io
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.csv as fcsv


def read_both(text: str, path: Path | None = None, **kwargs: Any) -> tuple[Any, Any]:
    """The rows and line numbers of both modules, from a real file at `path` (the raw-bytes
    reader) when given, else from a StringIO."""
    out = []
    if path is not None:
        path.write_text(text, encoding="utf-8", newline="")
    for module in (std_csv, fcsv):
        f = (
            path.open(newline="", encoding="utf-8")
            if path is not None
            else io.StringIO(text, newline="")
        )
        with f:
            reader = module.DictReader(f, **kwargs)
            rows = [(row, reader.line_num) for row in reader]
        out.append((rows, reader.fieldnames))
    return out[0], out[1]


def lines(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    w = std_csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


# Values a cache keyed by pieces of the text must tell apart: every length from 0 to 20,
# the same first and last bytes with another middle, one byte changed at each place.
BASE = "abcdefghijklmnopqrst"
NEAR = sorted(
    {BASE[:n] for n in range(21)}
    | {BASE[:n][::-1] for n in range(21)}
    | {BASE[:n][:i] + "Z" + BASE[:n][i + 1 :] for n in range(1, 21) for i in range(n)}
    | {"v12", "v21", "12", "21", "0", "00", "000", "a\0", "ab\0", "a b", "a,b", 'a"b'}
)


@pytest.mark.parametrize("real_file", [False, True])
def test_near_values_repeated(tmp_path: Path, real_file: bool) -> None:
    rng = random.Random(4)
    header = [f"c{i}" for i in range(40)]
    rows = [[rng.choice(NEAR) for _ in header] for _ in range(600)]
    std, ours = read_both(lines(header, rows), tmp_path / "near.csv" if real_file else None)
    assert ours == std
    assert [list(row.values()) for row, _ in ours[0]] == rows


def test_columns_stop_and_start_repeating(tmp_path: Path) -> None:
    # Unique values first (each column drops the cache), then over 4,096 rows later a few
    # values repeated (the columns try again), then unique values again.
    header = ["a", "b", "c"]
    rows = [[f"u{i}", f"{i * 7919 % 100003}", "x" * (2 + i % 15)] for i in range(5000)]
    rows += [[f"r{i % 5}", f"{i % 3}{i % 3}", "ab"] for i in range(5000)]
    rows += [[f"w{i}", f"q{i}q", "cd" * (1 + i % 8)] for i in range(300)]
    std, ours = read_both(lines(header, rows), tmp_path / "repeat.csv")
    assert ours == std


def test_ascii_and_non_ascii_rows_mixed(tmp_path: Path) -> None:
    rng = random.Random(5)
    words = ["ab", "abc", "été", "naïve", "ab\u00e9", "日本", "xy", "x\u2028y"]
    header = ["p", "q", "r", "s"]
    rows = [[rng.choice(words) for _ in header] for _ in range(400)]
    std, ours = read_both(lines(header, rows), tmp_path / "mixed.csv")
    assert ours == std


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"restkey": "rest", "restval": "none"},
        {"fieldnames": ["a", "b", "a"]},
        {"fieldnames": ("a", "b", "c", "d", "e", "f")},
    ],
)
def test_short_and_long_rows(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    rng = random.Random(6)
    rows = [[rng.choice(["ab", "cd", "ef"]) for _ in range(rng.randint(0, 8))] for _ in range(500)]
    text = lines(["a", "b", "c", "d"], rows)
    std, ours = read_both(text, tmp_path / "ragged.csv", **kwargs)
    assert ours == std


def test_fieldnames_changed_between_rows() -> None:
    text = lines(["a", "b"], [["xy", "zw"]] * 50)
    readers = [m.DictReader(io.StringIO(text, newline="")) for m in (std_csv, fcsv)]
    got: list[list[Any]] = [[], []]
    for i in range(49):
        for reader, rows in zip(readers, got, strict=True):
            if i == 10:
                reader.fieldnames = ["k1", "k2"]
            if i == 20:
                assert isinstance(reader.fieldnames, list)
                reader.fieldnames.append("k3")
            if i == 30:
                reader.fieldnames = ("t1",)
            rows.append(next(reader))
    assert got[1] == got[0]


def test_values_are_exact_str() -> None:
    text = lines(["a", "b"], [["ab", "ab"]] * 20)
    for row in fcsv.DictReader(io.StringIO(text, newline="")):
        assert row == {"a": "ab", "b": "ab"}
        assert all(type(v) is str for v in row.values())


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12),
    st.lists(
        st.lists(st.text(alphabet='ab,"\n é', max_size=18), min_size=0, max_size=14),
        max_size=80,
    ),
)
def test_differential_repeated_values(width: int, rows: list[list[str]]) -> None:
    header = [f"h{i}" for i in range(width)]
    std, ours = read_both(lines(header, rows))
    assert ours == std


def test_repeated_values_share_one_str(tmp_path: Path) -> None:
    # Not a promise of the API (equal strings may or may not be one object), but the proof
    # that the tests above go through the cache: a repeated short value is made once.
    text = lines(["a", "b"], [["ab", f"{i % 10}{i % 10}"] for i in range(300)])
    path = tmp_path / "shared.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(fcsv.DictReader(f))
    assert len({id(row["a"]) for row in rows}) == 1
    assert rows[0]["b"] is rows[100]["b"]


def test_rows_tracked_by_the_collector_as_the_stdlib_after_a_collection() -> None:
    # ferrule's rows start as tracked dicts (see DictTemplate in reader.rs); a collection
    # (a full one, as gc.collect()) untracks those that hold only strings, as the stdlib's
    # rows are from the start, and keeps tracking those with a restkey list.
    text = lines(["a", "b"], [["ab", "cd"], ["ab", "cd", "ef"], ["ab"]] * 10)
    tracked = []
    for module in (std_csv, fcsv):
        rows = list(module.DictReader(io.StringIO(text, newline="")))
        gc.collect()
        tracked.append([gc.is_tracked(row) for row in rows])
    assert tracked[1] == tracked[0]
    assert tracked[0][:3] == [False, True, False]
