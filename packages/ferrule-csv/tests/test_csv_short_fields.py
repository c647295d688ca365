"""The reader's copy of short ASCII fields: two overlapping pieces of 2, 4 or 8 bytes.

Each length from 0 to 40 sits on one side or the other of a piece boundary; every byte of the
field must land where it belongs, so the text changes at every position.
"""

from __future__ import annotations

import csv as std_csv
import io
import string
from pathlib import Path

import pytest

import ferrule.csv as fcsv

ALPHABET = string.ascii_letters + string.digits + "-.:_ "


def field(length: int, shift: int) -> str:
    return "".join(ALPHABET[(shift + 7 * i) % len(ALPHABET)] for i in range(length))


def rows() -> list[list[str]]:
    # One row per length: the field of that length between fields of other lengths, so the
    # copies start at every offset of the line.
    return [
        [field(n, n), field((n + 3) % 41, 2 * n), field(n, 5), field((n * 7) % 41, n)]
        for n in range(41)
    ]


def text() -> str:
    out = io.StringIO()
    std_csv.writer(out, lineterminator="\n").writerows(rows())
    return out.getvalue()


@pytest.mark.parametrize("length", [0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 40])
def test_each_length_is_copied_exactly(length: int) -> None:
    row = [field(length, s) for s in range(3)]
    got = next(fcsv.reader([",".join(row) + "\r\n"]))
    assert got == row
    assert all(type(f) is str and len(f) == length for f in got)


def test_list_source_matches_stdlib() -> None:
    lines = text().splitlines(keepends=True)
    assert list(fcsv.reader(lines)) == list(std_csv.reader(lines)) == rows()


def test_text_file_matches_stdlib(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    # Enough rows to go through several of the reader's blocks.
    path.write_text(text() * 200, encoding="utf-8", newline="")
    with path.open(newline="", encoding="utf-8") as f:
        ours = list(fcsv.reader(f))
    with path.open(newline="", encoding="utf-8") as f:
        theirs = list(std_csv.reader(f))
    assert ours == theirs
    assert ours[:41] == rows()


def test_dictreader_matches_stdlib() -> None:
    lines = ["a,b,c,d\n", *text().splitlines(keepends=True)]
    ours = list(fcsv.DictReader(lines))
    assert ours == list(std_csv.DictReader(lines))
    assert [list(d.values()) for d in ours] == rows()


def test_strings_are_independent() -> None:
    # Each field is its own new string: changing nothing else, equal fields compare equal and
    # hash alike, and no field shares text with its neighbour.
    row = next(fcsv.reader(["abcdefghij,abcdefghij,abcdefghik\n"]))
    assert row[0] == row[1] != row[2]
    assert hash(row[0]) == hash(row[1]) == hash("abcdefghij")
    assert {row[0]: 1}[row[1]] == 1
