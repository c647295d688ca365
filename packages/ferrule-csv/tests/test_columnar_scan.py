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


def test_types_hold_from_the_first_block() -> None:
    data = b"n,e\n" + b"1,\n" * 100 + b"x,y\n"
    with pytest.raises(
        ReadError, match=r"cannot read \"x\" as int64 .* line 102 column 1 \(byte 304\)"
    ):
        list(scan_csv(io.BytesIO(data), block_bytes=50))
    tables = list(scan_csv(io.BytesIO(data), block_bytes=50, dtypes={"n": "string"}))
    assert concat(tables)["n"][-1] == "x"
    # The column empty in the first block is text in every table.
    assert {t.schema["e"] for t in tables} == {"string"}
    assert concat(tables)["e"][-1] == "y"


def test_errors_and_bad_lines_name_their_place_in_the_whole_input() -> None:
    data = b"a,b\n" + b"1,2\n" * 50 + b"3\n"
    with pytest.raises(ReadError) as info:
        list(scan_csv(io.BytesIO(data), block_bytes=30))
    assert (info.value.line, info.value.byte_offset) == (52, 204)
    seen: list[list[str]] = []
    tables = list(scan_csv(io.BytesIO(data), block_bytes=30, on_bad_lines=seen.append))
    assert seen == [["3"]]
    assert sum(t.num_rows for t in tables) == 50


def test_options() -> None:
    data = b"skip\na;b\n" + b"1;2\n" * 40
    tables = list(scan_csv(io.BytesIO(data), block_bytes=16, delimiter=";", skip_rows=1, n_rows=7))
    assert sum(t.num_rows for t in tables) == 7
    (header_only,) = scan_csv(io.BytesIO(b"a,b\n"))
    assert (header_only.column_names, header_only.num_rows) == (["a", "b"], 0)
    with pytest.raises(ValueError, match="utf-16"):
        scan_csv(io.BytesIO(b""), encoding="utf-16")
    with pytest.raises(TypeError, match="scan_csv"):
        scan_csv(io.BytesIO(b""), nonsense=1)
    with pytest.raises(TypeError, match="path or a file object"):
        scan_csv(b"a,b\n")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="block_bytes"):
        scan_csv(io.BytesIO(b""), block_bytes=0)
    with pytest.raises(FileNotFoundError):
        scan_csv("/nonexistent.csv")
