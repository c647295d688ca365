"""scan_csv: block by block, the same rows as one read_csv, errors placed in the whole input."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ferrule.csv import CsvScanner, ReadError, read_csv, scan_csv


def concat(tables: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for t in tables:
        for name, values in t.to_pydict().items():
            out.setdefault(name, []).extend(values)
    return out


cells = st.text(st.sampled_from('ab,"\n\r x1'), max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=30),
    st.integers(1, 64),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_blocks_read_like_one_read(rows: list[list[str]], block: int, eol: str) -> None:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator=eol).writerows([["a", "b", "c"], *rows])
    data = out.getvalue().encode()
    whole = read_csv(data, infer_types=False, ragged="pad", on_bad_lines="skip")
    tables = list(
        scan_csv(
            io.BytesIO(data),
            block_bytes=block,
            infer_types=False,
            ragged="pad",
            on_bad_lines="skip",
        )
    )
    assert all(t.column_names == whole.column_names for t in tables)
    got = concat(tables)
    assert {k: got.get(k, []) for k in whole.column_names} == whole.to_pydict()


def test_sources(tmp_path: Path) -> None:
    data = b"id,x\n" + b"".join(b"%d,%d.5\n" % (i, i) for i in range(1000))
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    expected = read_csv(data).to_pydict()
    for source in (path, str(path), io.BytesIO(data), io.StringIO(data.decode(), newline="")):
        scanner = scan_csv(source, block_bytes=1000)
        assert isinstance(scanner, CsvScanner)
        tables = list(scanner)
        assert len(tables) > 5
        assert concat(tables) == expected
        assert all(t.schema == {"id": "int64", "x": "float64"} for t in tables)


def test_types_hold_from_the_first_block_without_the_typing_pass() -> None:
    data = b"n,e\n" + b"1,\n" * 100 + b"x,y\n"
    with pytest.raises(
        ReadError, match=r"cannot read \"x\" as int64 .* line 102 column 1 \(byte 304\)"
    ):
        list(scan_csv(io.BytesIO(data), block_bytes=50, infer_all=False))
    tables = list(
        scan_csv(io.BytesIO(data), block_bytes=50, infer_all=False, dtypes={"n": "string"})
    )
    assert concat(tables)["n"][-1] == "x"
    # The column empty in the first block is text in every table.
    assert {t.schema["e"] for t in tables} == {"string"}
    assert concat(tables)["e"][-1] == "y"


class Unseekable(io.RawIOBase):
    """A pipe-like binary file: read() only."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_types_come_from_the_whole_input(tmp_path: Path) -> None:
    # An int column that turns to 1.5 late, a date column that turns to datetimes, a column
    # empty until the end: one schema for every table, the one read_csv infers.
    rows = [f"{i},2024-01-02,\n" for i in range(300)]
    rows += ["1.5,2024-01-02T03:04:05,\n", "7,2024-01-03,text\n"]
    data = ("n,when,late\n" + "".join(rows)).encode()
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    whole = read_csv(data)
    assert whole.schema == {"n": "float64", "when": "datetime", "late": "string"}
    for source in (path, io.BytesIO(data), io.StringIO(data.decode(), newline="")):
        tables = list(scan_csv(source, block_bytes=256))
        assert len(tables) > 10
        assert all(t.schema == whole.schema for t in tables)
        assert concat(tables) == whole.to_pydict()
    # Read from where the file object stands, and left where one read leaves it.
    f = io.BytesIO(b"junk\n" + data)
    f.readline()
    assert concat(scan_csv(f, block_bytes=256)) == whole.to_pydict()
    assert f.read() == b""
    # A file that cannot go back keeps the first block's types.
    with pytest.raises(ReadError, match=r"cannot read .* at line 302"):
        list(scan_csv(io.BufferedReader(Unseekable(data)), block_bytes=256))
    ok = scan_csv(
        io.BufferedReader(Unseekable(data)),
        block_bytes=256,
        dtypes={"n": "float", "when": "datetime", "late": "str"},
    )
    assert concat(ok)["n"][300] == 1.5


def test_the_typing_pass_reports_nothing_and_stops_at_n_rows() -> None:
    data = b"a,b\n" + b"1,2\n" * 50 + b"3\n" + b"4,5\n" * 10 + b"x,y\n"
    with pytest.warns(RuntimeWarning, match="line 52") as warned:
        tables = list(scan_csv(io.BytesIO(data), block_bytes=30, on_bad_lines="warn"))
    assert len(warned) == 1
    assert {t.schema["a"] for t in tables} == {"string"}
    # The last row is beyond n_rows: it types nothing.
    tables = list(scan_csv(io.BytesIO(data), block_bytes=30, n_rows=55, on_bad_lines="skip"))
    assert {t.schema["a"] for t in tables} == {"int64"}
    assert sum(t.num_rows for t in tables) == 55


def test_errors_and_bad_lines_name_their_place_in_the_whole_input() -> None:
    data = b"a,b\n" + b"1,2\n" * 50 + b"3\n"
    with pytest.raises(ReadError) as info:
        list(scan_csv(io.BytesIO(data), block_bytes=30))
    assert (info.value.line, info.value.byte_offset) == (52, 204)
    seen: list[list[str]] = []
    tables = list(scan_csv(io.BytesIO(data), block_bytes=30, on_bad_lines=seen.append))
    assert seen == [["3"]]
    assert sum(t.num_rows for t in tables) == 50
    with pytest.raises(ValueError, match="cannot put rows in place of bad lines"):
        list(scan_csv(io.BytesIO(data), block_bytes=30, on_bad_lines=lambda f: ["1", "2"]))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_block_by_block(codec: str) -> None:
    text = "n,s\n" + "".join(f'{i},"é𝄞\r\n{i}"\n' for i in range(200)) + "7,1.5\n"
    data = text.encode(codec)
    if codec != "utf-16":
        # A byte order mark says which; without one, little-endian.
        data = (b"\xfe\xff" if codec.endswith("be") else b"") + data
    whole = read_csv(data, encoding="utf-16")
    assert whole.num_rows == 201
    for block in (1, 3, 64, 1 << 20):
        tables = list(scan_csv(io.BytesIO(data), block_bytes=block, encoding="utf-16"))
        assert all(t.schema == whole.schema for t in tables)
        assert concat(tables) == whole.to_pydict()
    with pytest.raises(ReadError, match=r"utf-16 .* line 403 column 1") as info:
        list(
            scan_csv(
                io.BytesIO(data + b"\x00\xdc"[:: -1 if codec.endswith("be") else 1]),
                block_bytes=5,
                encoding="utf-16",
            )
        )
    assert info.value.byte_offset == len(data)


def test_options() -> None:
    data = b"skip\na;b\n" + b"1;2\n" * 40
    tables = list(scan_csv(io.BytesIO(data), block_bytes=16, delimiter=";", skip_rows=1, n_rows=7))
    assert sum(t.num_rows for t in tables) == 7
    (header_only,) = scan_csv(io.BytesIO(b"a,b\n"))
    assert (header_only.column_names, header_only.num_rows) == (["a", "b"], 0)
    assert [t.num_rows for t in scan_csv(io.BytesIO(b""), encoding="utf-16")] == [0]
    with pytest.raises(TypeError, match="scan_csv"):
        scan_csv(io.BytesIO(b""), nonsense=1)
    with pytest.raises(TypeError, match="path or a file object"):
        scan_csv(b"a,b\n")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="block_bytes"):
        scan_csv(io.BytesIO(b""), block_bytes=0)
    with pytest.raises(FileNotFoundError):
        scan_csv("/nonexistent.csv")
