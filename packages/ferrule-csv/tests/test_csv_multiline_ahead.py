"""Records over several lines parsed ahead by the reader's worker thread, against the standard
csv module: block boundaries, the worker/caller handover, errors inside such a record,
CR and CRLF inside quotes in both universal newline modes, and where the file is left."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

import ferrule.csv as fcsv

pytestmark = pytest.mark.timeout(180)

# Bytes per read of the binary buffer (source.rs BLOCK_BYTES). The worker starts after the
# first 256K characters read as text, so the records under test come after that.
BLOCK = 1 << 18


def outcome(m: Any, path: Path, dialect: Any = None, **open_args: Any) -> Any:
    """All rows and `line_num`s of `m.reader` over the file, and the exception that ended it."""
    rows: list[Any] = []
    fmt = dialect or {}
    with path.open(**{"encoding": "utf-8", "newline": "", **open_args}) as f:
        r = m.reader(f, **fmt)
        try:
            rows.extend((r.line_num, row) for row in r)
        except Exception as e:
            # ferrule's csv.Error messages add the line number: " (line N)".
            return rows, type(e).__name__, re.sub(r" \(line \d+\)$", "", str(e)), r.line_num
    return rows, None


def same(path: Path, dialect: Any = None, **open_args: Any) -> Any:
    ours = outcome(fcsv, path, dialect, **open_args)
    assert ours == outcome(csv, path, dialect, **open_args)
    return ours


def plain(n: int, start: int = 0) -> str:
    return "".join(f"{i},caf\u00e9,{i * 0.25},plain\r\n" for i in range(start, start + n))


def write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


@pytest.mark.parametrize("newline", ["", None])
@pytest.mark.parametrize("inside", ["\n", "\r\n", "\r", "\n\n", "\r\r\n\n"])
def test_line_breaks_inside_quotes_in_both_modes(tmp_path: Path, newline: Any, inside: str) -> None:
    # Every 7th record spans lines; the file spans several blocks, so many such records are
    # cut by a block end and many are whole inside a block.
    records = []
    for i in range(60_000):
        if i % 7 == 3:
            records.append(f'{i},"a{inside}b, ""q""{inside}",\u00e9,x\r\n')
        else:
            records.append(f"{i},word,{i * 0.5},\r\n")
    rows, end = same(write(tmp_path, "".join(records)), newline=newline)
    assert end is None
    assert len(rows) == 60_000
    # The line numbers count physical lines, as the stdlib's do (checked equal above).
    assert rows[-1][0] > 60_000


@pytest.mark.parametrize("shift", range(-6, 7, 3))
def test_records_cut_by_a_block_end(tmp_path: Path, shift: int) -> None:
    # Multi-line records straddling the third block's end at several offsets.
    head = plain(20_000)
    pad = 3 * BLOCK - len(head.encode()) + shift
    # Filler lines of 100 bytes, the last one taking the rest (all within the field limit).
    lines, rest = divmod(pad, 100)
    text = head + ("p," + "x" * 96 + "\r\n") * (lines - 1) + "p," + "x" * (rest + 96) + "\r\n"
    assert len(text.encode()) == 3 * BLOCK + shift
    text += "".join(f'"{i}\n{i}",\u20ac\n"\n",z\r\n' for i in range(200)) + plain(30_000)
    rows, end = same(write(tmp_path, text))
    assert end is None
    assert [row for _, row in rows].count(["\n", "z"]) == 200


@pytest.mark.parametrize(
    ("bad", "dialect"),
    [
        # An unterminated quote at the end of the file, after many lines.
        ('x,"never\nclosed\n' + plain(10), {}),
        ('x,"never\nclosed\n' + plain(10), {"strict": True}),
        # Strict: a character after the closing quote, on the record's second line.
        ('x,"a\nb"c,d\n', {"strict": True}),
        ('x,"a\nb"c,d\n', {}),
        # A NUL inside a quoted field over lines.
        ('x,"a\x00\nb",d\n', {}),
        # An escape character at a line's end, then more lines.
        ("x,a\\\nb,c\n", {"escapechar": "\\"}),
        ("x,a\\\r\nb,c\n", {"escapechar": "\\", "strict": True}),
    ],
)
def test_errors_inside_a_multiline_record(tmp_path: Path, bad: str, dialect: Any) -> None:
    for where in (1_000, 30_000):
        text = plain(where) + bad + plain(20_000, where) + 'y,"m\nn"\n' + plain(5)
        if "never" in bad:
            text = plain(where + 20_000) + bad
        same(write(tmp_path, text), dialect)


def test_field_size_limit_inside_a_multiline_record(tmp_path: Path) -> None:
    long = "L" * 40 + "\n" + "M" * 40
    text = plain(30_000) + f'a,"{long}",b\n' + plain(30_000, 30_000)
    path = write(tmp_path, text)
    old = csv.field_size_limit()
    fold = fcsv.field_size_limit()
    try:
        for limit in (60, 81, 82, 1000):
            csv.field_size_limit(limit)
            fcsv.field_size_limit(limit)
            _rows, *end = same(path)
            assert (end == [None]) == (limit >= 81)
    finally:
        csv.field_size_limit(old)
        fcsv.field_size_limit(fold)


def test_nonnumeric_error_in_the_first_line_of_a_multiline_record(tmp_path: Path) -> None:
    rows = "".join(f'{i},"t\n{i}",{i}.5\n' for i in range(40_000))
    text = rows + 'oops,"t\nu",1\n"z",2\n' + rows
    path = write(tmp_path, text)
    for m in (csv, fcsv):
        with path.open(encoding="utf-8", newline="") as f:
            r = m.reader(f, quoting=csv.QUOTE_NONNUMERIC)
            got = []
            while True:
                try:
                    got.append((r.line_num, next(r)))
                except StopIteration:
                    break
                except ValueError as e:
                    got.append((r.line_num, str(e)))
            if m is csv:
                want = got
    assert got == want
    assert any(isinstance(row, str) for _, row in got)


@pytest.mark.parametrize("count", [1, 9_999, 10_000, 25_001])
def test_partial_iteration_then_tell_and_the_rest(tmp_path: Path, count: int) -> None:
    text = "".join(f'{i},"a\r\nb{i}",\u00e9\r\n' if i % 2 else f"{i},b,c\n" for i in range(50_000))
    path = write(tmp_path, text)

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            r = m.reader(f)
            rows = [next(r) for _ in range(count)]
            line_num = r.line_num
            del r
            # The stdlib's reader iterates the file, which disables tell(); ferrule's leaves
            # the file after the last line it used, where tell() works.
            try:
                where = f.tell()
            except OSError:
                where = None
            return rows, line_num, where, f.readline() + f.read()

    ours, theirs = run(fcsv), run(csv)
    assert ours[:2] == theirs[:2]
    assert ours[3] == theirs[3]
    assert ours[2] == len(text.encode()) - len(ours[3].encode())


def test_dict_reader_over_multiline_records(tmp_path: Path) -> None:
    text = "id,text,more\n" + "".join(
        f'{i},"x\ny\r\nz{i}",\u20ac\n' if i % 3 else f"{i},,\n" for i in range(40_000)
    )
    path = write(tmp_path, text)
    results = []
    for m in (csv, fcsv):
        with path.open(encoding="utf-8", newline="") as f:
            d = m.DictReader(f)
            results.append([(d.line_num, row) for row in d])
    assert results[0] == results[1]


@pytest.mark.parametrize(
    "dialect",
    [
        {"delimiter": ";", "quotechar": "'"},
        {"escapechar": "\\", "doublequote": False},
        {"quoting": csv.QUOTE_NONE, "escapechar": "\\"},
        {"skipinitialspace": True},
        {"delimiter": "\t", "quoting": csv.QUOTE_ALL},
    ],
)
def test_dialects_over_multiline_records(tmp_path: Path, dialect: Any) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, **dialect)
    for i in range(40_000):
        w.writerow([i, f"a\nb;'{i}'" if i % 5 == 0 else "w", "\u00e9 x", ""])
    path = write(tmp_path, buf.getvalue())
    rows, end = same(path, dialect)
    assert end is None
    assert len(rows) == 40_000
