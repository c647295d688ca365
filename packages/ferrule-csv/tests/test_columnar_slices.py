"""read_csv across its parallel slices (4 MiB each) and checking blocks (64 KiB each): quoted
line breaks, stray and odd quotes, bad UTF-8 and CR-only line ends wherever an edge falls; and
the date cells, every accepted layout and the near misses, against Python's own parser."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest

from ferrule.csv import ReadError, read_csv

SLICE = 4 << 20
BLOCK = 1 << 16


def quoted_file(rows: int, seed: int, end: str = "\n") -> tuple[bytes, list[list[str]]]:
    """Records whose quoted notes hold line breaks, doubled quotes and commas, of varying
    lengths so that the slice and block edges fall at every place in a record."""
    rng = random.Random(seed)
    notes = [
        "".join(rng.choices(["a", "b", ",", '"', end, " ", "é"], k=rng.randrange(0, 90)))
        for _ in range(3000)
    ]
    records = [[str(i), rng.choice(notes), str(rng.randrange(10**6))] for i in range(rows)]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=end).writerows(records)
    text = "id,note,n" + end + out.getvalue()
    return text.encode(), records


def expected_columns(records: list[list[str]]) -> dict[str, list[object]]:
    return {
        "id": [int(r[0]) for r in records],
        "note": [r[1] or None for r in records],
        "n": [int(r[2]) for r in records],
    }


@pytest.mark.parametrize(("seed", "end"), [(1, "\n"), (2, "\r\n"), (3, "\r")])
def test_quoted_line_breaks_across_every_slice_edge(seed: int, end: str) -> None:
    data, records = quoted_file(160_000, seed, end)
    assert len(data) > 2 * SLICE
    for threads in (1, 2) if end == "\n" else (2,):
        t = read_csv(data, threads=threads)
        assert t.to_pydict() == expected_columns(records), threads


def test_a_quote_inside_an_unquoted_field_and_odd_quote_counts() -> None:
    # Stray quotes make the quote parity of whole slices odd; the read must still match the
    # row reader (the stdlib's RFC rules: a quote inside an unquoted field is a character).
    rng = random.Random(5)
    lines = []
    for i in range(600_000):
        stray = 'x"y' if rng.random() < 0.3 else "plain"
        quoted = '"a\nb"' if rng.random() < 0.5 else "c"
        lines.append(f"{i},{stray},{quoted}")
    data = ("id,s,q\n" + "\n".join(lines) + "\n").encode()
    assert len(data) > 2 * SLICE
    expected = list(csv.reader(io.StringIO(data.decode(), newline="")))[1:]
    t = read_csv(data, threads=2)
    got = t.to_pydict()
    assert got["id"] == [int(r[0]) for r in expected]
    assert got["s"] == [r[1] for r in expected]
    assert got["q"] == [r[2] for r in expected]


@pytest.mark.parametrize("edge", [BLOCK, SLICE])
@pytest.mark.parametrize("delta", [-1, 0, 1])
@pytest.mark.parametrize("bad", [b"\x80", b"\xf0\x9f\x98"])
def test_bad_utf8_at_a_block_or_slice_edge_has_its_position(
    edge: int, delta: int, bad: bytes
) -> None:
    row = "0,é€x\n".encode()
    data = bytearray(b"a,b\n" + row * ((SLICE + 4 * BLOCK) // len(row)))
    at = edge + delta
    # Put the bad bytes in place of an `x`, so that no good character is cut by them.
    while data[at] != ord("x"):
        at += 1
    data[at : at + 1] = bad
    with pytest.raises(ReadError) as info:
        read_csv(bytes(data), threads=2)
    assert info.value.byte_offset == at
    assert info.value.line == data[:at].count(b"\n") + 1
    t = read_csv(bytes(data), threads=2, encoding_errors="replace")
    assert t.num_rows == data.count(b"\n") - 1


def test_cr_only_files_across_slices() -> None:
    data = ("a,b\r" + "".join(f'{i},"x\ry"\r' for i in range(900_000))).encode()
    assert len(data) > 2 * SLICE
    t = read_csv(data, threads=2)
    got = t.to_pydict()
    assert got["a"] == list(range(900_000))
    assert set(got["b"]) == {"x\ry"}


def python_date(text: str) -> dt.date | None:
    """What ``read_csv`` must make of a ``YYYY-MM-DD`` cell: Python's date, or text."""
    if len(text) != 10 or not text[:4].isdigit():
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


DATE_CELLS = [
    "2024-02-29",
    "2023-02-28",
    "2000-02-29",
    "1600-02-29",
    "0001-01-01",
    "9999-12-31",
    "1970-01-01",
    "1969-12-31",
    # Near misses: no such day, month or year, or not the layout.
    "2024-02-30",
    "2023-02-29",
    "1900-02-29",
    "2100-02-29",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "2024-01-32",
    "0000-01-01",
    "-2024-01-01",
    "+2024-01-01",
    "12024-01-01",
    "2024-1-01",
    "2024/01/01",
    "2024-01-0a",
]


@pytest.mark.parametrize("cell", DATE_CELLS)
def test_each_date_cell_is_a_date_exactly_when_python_reads_one(cell: str) -> None:
    t = read_csv(f"d\n{cell}\n".encode())
    expected = python_date(cell)
    if expected is None:
        assert t.schema == {"d": "string"}, cell
        assert t.to_pydict() == {"d": [cell]}
    else:
        assert t.schema == {"d": "date"}, cell
        assert t.to_pydict() == {"d": [expected]}


def test_random_dates_against_python() -> None:
    rng = random.Random(9)
    cells = []
    for _ in range(5_000):
        y, m, d = rng.randrange(0, 10_000), rng.randrange(0, 14), rng.randrange(0, 33)
        cells.append(f"{y:04}-{m:02}-{d:02}")
    good = [c for c in cells if python_date(c) is not None]
    t = read_csv(("d\n" + "\n".join(good) + "\n").encode())
    assert t.schema == {"d": "date"}
    assert t.to_pydict()["d"] == [python_date(c) for c in good]
    for cell in cells:
        if python_date(cell) is None:
            assert read_csv(f"d\n{good[0]}\n{cell}\n".encode()).schema == {"d": "string"}, cell


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-02-29T23:59:59", dt.datetime(2024, 2, 29, 23, 59, 59)),
        ("2024-02-29 00:00", dt.datetime(2024, 2, 29)),
        ("2024-02-29T12:30:15.123456", dt.datetime(2024, 2, 29, 12, 30, 15, 123456)),
        ("2024-02-29T12:30:15.1234567", dt.datetime(2024, 2, 29, 12, 30, 15, 123456)),
        ("2024-02-29T12:30:15.5", dt.datetime(2024, 2, 29, 12, 30, 15, 500000)),
        ("2024-02-29T24:00", None),
        ("2024-02-29T23:60", None),
        ("2024-02-29T23:59:60", None),
        ("2024-02-30T00:00", None),
        ("2024-02-29T1:00", None),
        ("2024-02-29X10:00", None),
    ],
)
def test_datetime_cells(cell: str, expected: dt.datetime | None) -> None:
    t = read_csv(f"d\n{cell}\n".encode())
    if expected is None:
        assert t.schema == {"d": "string"}, cell
    else:
        assert t.schema == {"d": "datetime"}, cell
        assert t.to_pydict() == {"d": [expected]}
