"""The reader of a UTF-8 text file reading the file's binary buffer, against the standard csv
module: newline modes, blocks cut inside a character, invalid bytes, where the file is left."""

from __future__ import annotations

import csv
import random
import re
import threading
from pathlib import Path
from typing import Any

import pytest

import ferrule.csv as fcsv

pytestmark = pytest.mark.timeout(120)

# Bytes per read of the binary buffer (source.rs BLOCK_BYTES); files span several blocks.
BLOCK = 1 << 18


def outcome(m: Any, path: Path, **open_args: Any) -> Any:
    """All rows and `line_num`s of `m.reader` over the file, and the exception that ended it."""
    rows: list[Any] = []
    with path.open(**{"encoding": "utf-8", "newline": "", **open_args}) as f:
        r = m.reader(f)
        try:
            # A row's line_num is read right after the row, as the loop is iterated.
            rows.extend((r.line_num, row) for row in r)
        except Exception as e:
            # ferrule's csv.Error messages add the line number: " (line N)".
            return rows, type(e).__name__, re.sub(r" \(line \d+\)$", "", str(e)), r.line_num
    return rows, None


def same(path: Path, **open_args: Any) -> Any:
    ours = outcome(fcsv, path, **open_args)
    assert ours == outcome(csv, path, **open_args)
    return ours


def rows_file(tmp_path: Path, n: int, *, terminator: str = "\r\n", name: str = "f.csv") -> Path:
    """A file of `n` rows over several blocks: non-ASCII fields and quoted line breaks."""
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator=terminator)
        for i in range(n):
            quoted = "x\r\ny" if i % 97 == 0 else ("a\nb" if i % 89 == 0 else "z")
            w.writerow([i, "\u00e9" * (i % 5), quoted, "\u20ac\U0001d11e", f"{i * 0.5}"])
    return path


@pytest.mark.parametrize("newline", ["", None])
@pytest.mark.parametrize("terminator", ["\r\n", "\n", "\r"])
def test_newline_modes_read_as_the_stdlib(tmp_path: Path, newline: Any, terminator: str) -> None:
    rows, end = same(rows_file(tmp_path, 40_000, terminator=terminator), newline=newline)
    assert end is None
    assert len(rows) >= 40_000


def test_lf_file_with_a_late_cr_under_universal_translation(tmp_path: Path) -> None:
    # newline=None: a file of LF lines looks the same read as bytes, until a CR past the
    # first blocks, which the text layer translates.
    path = tmp_path / "late_cr.csv"
    body = "".join(f"{i},\u00e9\u00e9,plain\n" for i in range(60_000))
    path.write_bytes((body + 'a,"b\r\nc",d\r\ne,f\rg\n' + body).encode())
    for newline in (None, ""):
        _rows, end = same(path, newline=newline)
        assert end is None
    assert ["a", "b\nc", "d"] in [row for _, row in outcome(fcsv, path, newline=None)[0]]
    assert ["a", "b\r\nc", "d"] in [row for _, row in outcome(fcsv, path, newline="")[0]]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1", "utf-16"])
def test_other_encodings_read_as_the_stdlib(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "enc.csv"
    text = "".join(f"{i},caf\u00e9,\r\n" for i in range(30_000))
    path.write_text(text, encoding=encoding, newline="")
    rows, end = same(path, encoding=encoding)
    assert end is None
    assert rows[0][1] == ["0", "caf\u00e9", ""]


def test_bom_under_plain_utf8_is_a_character(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\r\n" + b"1,2\r\n" * 60_000)
    rows, _end = same(path)
    assert rows[0][1] == ["\ufeffa", "b"]


@pytest.mark.parametrize("shift", range(5))
def test_character_cut_by_a_block_boundary(tmp_path: Path, shift: int) -> None:
    # The first 2**18 characters are read as text, then blocks of 2**18 bytes: with the
    # 10-byte record after an ASCII head 0-4 bytes short of 2**18, the three block ends fall
    # inside the 4-byte character after 1, 2 and 3 bytes and inside the 3-byte one after 1
    # and 2 (the cuts of every kind are checked one by one in the core's lines.rs tests).
    path = tmp_path / "cut.csv"
    size = BLOCK - 1 - shift
    head = b"a" * (size % 100) + b"\n" + (b"b" * 99 + b"\n") * (size // 100)
    path.write_bytes(head + b"\xf0\x9d\x84\x9e,\xe2\x82\xac\r\n" * 70_000)
    rows, end = same(path)
    assert end is None
    assert rows[-1][1] == ["\U0001d11e", "\u20ac"]


@pytest.mark.parametrize(
    ("where", "bad"),
    [
        (3 * BLOCK, b"\xff"),
        (3 * BLOCK - 1, b"\xe2\x82"),  # a character cut at the block end, never completed
        (2 * BLOCK + 17, b"\xed\xa0\x80"),  # an encoded surrogate
        (10, b"\xc3"),
        (-1, b"\xf0\x9d"),  # the file ends inside a character
    ],
)
def test_invalid_utf8_raises_at_the_stdlib_row(tmp_path: Path, where: int, bad: bytes) -> None:
    good = b"".join(b"%d,\xc3\xa9t\xc3\xa9,x\r\n" % i for i in range(200_000))
    where = len(good) if where < 0 else where
    path = tmp_path / "bad.csv"
    path.write_bytes(good[:where] + bad + b"x" + good[where:] if where < len(good) else good + bad)
    _rows, name, *_ = same(path)
    assert name == "UnicodeDecodeError"


def test_partial_iteration_then_the_rest_of_the_file(tmp_path: Path) -> None:
    path = rows_file(tmp_path, 50_000)

    def run(m: Any, count: int) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            r = m.reader(f)
            rows = [next(r) for _ in range(count)]
            del r
            return rows, f.readline(), f.read()

    for count in (1, 5_000, 33_333):
        assert run(fcsv, count) == run(csv, count)


def test_abandoned_reader_then_another(tmp_path: Path) -> None:
    path = rows_file(tmp_path, 50_000)

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            first = m.reader(f)
            head = [next(first) for _ in range(20_000)]
            del first
            return head, list(m.reader(f))

    assert run(fcsv) == run(csv)


def test_read_again_after_seek(tmp_path: Path) -> None:
    path = rows_file(tmp_path, 30_000)
    with path.open(encoding="utf-8", newline="") as f:
        r = fcsv.reader(f)
        first = list(r)
        f.seek(0)
        assert list(r) == first
    assert len(first) == 30_000
    with path.open(encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == first


def test_field_size_limit_changed_mid_file(tmp_path: Path) -> None:
    path = tmp_path / "limit.csv"
    path.write_text("".join(f"{i},{'y' * (i % 50)}\r\n" for i in range(60_000)), newline="")

    def run(m: Any) -> Any:
        old = m.field_size_limit()
        rows: list[Any] = []
        try:
            with path.open(encoding="utf-8", newline="") as f:
                r = m.reader(f)
                for row in r:
                    rows.append(row)
                    if len(rows) == 30_000:
                        m.field_size_limit(40)
        except csv.Error as e:
            return rows, re.sub(r" \(line \d+\)$", "", str(e)), r.line_num
        finally:
            m.field_size_limit(old)
        return rows, None

    ours = run(fcsv)
    assert ours == run(csv)
    assert ours[1] is not None


def test_two_readers_in_two_threads(tmp_path: Path) -> None:
    paths = [rows_file(tmp_path, 40_000, name=f"t{i}.csv") for i in range(2)]
    want = [outcome(csv, p) for p in paths]
    got: list[Any] = [None, None]

    def work(i: int) -> None:
        got[i] = outcome(fcsv, paths[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == want


def test_file_read_partly_before_the_reader(tmp_path: Path) -> None:
    path = rows_file(tmp_path, 30_000)

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            header = f.readline()
            return header, list(m.reader(f)), f.read()

    assert run(fcsv) == run(csv)


def test_dict_reader_over_the_split_ahead_lines(tmp_path: Path) -> None:
    path = rows_file(tmp_path, 40_000)

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            r = m.DictReader(f, fieldnames=["a", "b", "c"], restkey="rest")
            return [(r.line_num, row) for row in r]

    assert run(fcsv) == run(csv)


@pytest.mark.parametrize("dialect", [{"quoting": csv.QUOTE_NONNUMERIC}, {"delimiter": ";"}])
def test_dialects_over_the_split_ahead_lines(tmp_path: Path, dialect: Any) -> None:
    # Numbers, a quoted string, and past several blocks a field float() refuses.
    path = tmp_path / "nonnumeric.csv"
    body = "".join(f'{i},{i * 0.25},"s{i}"\r\n' for i in range(80_000))
    path.write_text(body + 'x1,2,"s"\r\n' + body[:1000], newline="")

    def run(m: Any) -> Any:
        rows: list[Any] = []
        with path.open(encoding="utf-8", newline="") as f:
            r = m.reader(f, **dialect)
            try:
                rows.extend(r)
            except ValueError as e:
                return rows, str(e), r.line_num
        return rows, None

    ours = run(fcsv)
    assert ours == run(csv)
    assert len(ours[0]) >= 80_000


@pytest.mark.parametrize(
    "dialect",
    [
        {},
        {"strict": True},
        {"escapechar": "\\", "doublequote": False},
        {"skipinitialspace": True, "quoting": csv.QUOTE_ALL},
        {"delimiter": "\u00e9", "quotechar": "'"},
    ],
)
def test_quoted_records_over_the_split_ahead_lines(tmp_path: Path, dialect: Any) -> None:
    # Records the worker parses with the state machine (quotes, escapes, delimiters inside
    # fields, line breaks inside fields, blank lines), past several blocks.
    rng = random.Random(5)
    pieces = ["a", "b,c", 'q"q', "x\r\ny", "\u20ac", " s", "", "\\", "'", "\u00e9", "\r"]
    path = tmp_path / "quoted.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, **{k: v for k, v in dialect.items() if k != "strict"})
        for i in range(40_000):
            if i % 500 == 0:
                f.write("\r\n")
            w.writerow(["".join(rng.choices(pieces, k=rng.randint(0, 4))) for _ in range(5)])

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            r = m.reader(f, **dialect)
            try:
                return [(r.line_num, row) for row in r]
            except csv.Error as e:
                return re.sub(r" \(line \d+\)$", "", str(e)), r.line_num

    ours = run(fcsv)
    assert ours == run(csv)
    assert isinstance(ours, list)
    assert len(ours) > 40_000
