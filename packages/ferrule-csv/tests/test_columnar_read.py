"""read_csv and Table: every option, every type, and the bad inputs of issue #5."""

from __future__ import annotations

import _thread
import datetime as dt
import io
import math
import signal
import threading
import time
from pathlib import Path

import pytest

import ferrule.csv as fcsv
from ferrule.csv import ReadError, Table, read_csv


def test_types_are_inferred_and_ints_keep_nulls() -> None:
    t = read_csv(
        b"i,f,b,d,ts,tz,s,n\n"
        b"1,1.5,true,2024-02-29,2024-01-01T10:00:00,2024-01-01T10:00Z,x,\n"
        b",inf,FALSE,,2024-01-01 10:00:00.250,2024-01-01T12:00+02:00,,\n"
        b'-3,-2,,1999-12-31,2024-01-01,,"q,""r",\n'
    )
    assert t.schema == {
        "i": "int64",
        "f": "float64",
        "b": "bool",
        "d": "date",
        "ts": "datetime",
        "tz": "datetime_tz",
        "s": "string",
        "n": "null",
    }
    utc = dt.UTC
    assert t.to_pydict() == {
        "i": [1, None, -3],
        "f": [1.5, math.inf, -2.0],
        "b": [True, False, None],
        "d": [dt.date(2024, 2, 29), None, dt.date(1999, 12, 31)],
        "ts": [
            dt.datetime(2024, 1, 1, 10),
            dt.datetime(2024, 1, 1, 10, 0, 0, 250000),
            dt.datetime(2024, 1, 1),
        ],
        "tz": [
            dt.datetime(2024, 1, 1, 10, tzinfo=utc),
            dt.datetime(2024, 1, 1, 10, tzinfo=utc),
            None,
        ],
        "s": ["x", None, 'q,"r'],
        "n": [None, None, None],
    }


def test_a_late_float_promotes_instead_of_failing() -> None:
    data = "x\n" + "".join(f"{i}\n" for i in range(5000)) + "1.5\n"
    t = read_csv(data.encode(), threads=2)
    assert t.schema == {"x": "float64"}
    assert t.to_pydict()["x"][-1] == 1.5


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p, d: d, "bytes"),
        (lambda p, d: bytearray(d), "bytearray"),
        (lambda p, d: memoryview(d), "memoryview"),
        (lambda p, d: str(p), "str path"),
        (lambda p, d: p, "Path"),
        (lambda p, d: io.BytesIO(d), "binary file"),
        (lambda p, d: io.StringIO(d.decode(), newline=""), "text file"),
    ],
)
def test_every_kind_of_source(tmp_path: Path, make: object, kind: str) -> None:
    data = b"a,b\n1,x\n2,y\n"
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    t = read_csv(make(path, data))  # type: ignore[operator]
    assert t.to_pydict() == {"a": [1, 2], "b": ["x", "y"]}, kind


def test_bad_sources() -> None:
    with pytest.raises(TypeError, match="source must be"):
        read_csv(42)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        read_csv("/nonexistent/file.csv")


def test_options() -> None:
    data = b"# comment line\nid;name;score\n1;'a;b';NA\n2;bob;2.5\n3;cy;x\n"
    t = read_csv(
        data,
        delimiter=";",
        quotechar="'",
        skip_rows=1,
        columns=["score", 0],
        n_rows=2,
        null_values=["", "NA"],
    )
    assert t.column_names == ["score", "id"]
    assert t.to_pydict() == {"score": [None, 2.5], "id": [1, 2]}
    t = read_csv(data, delimiter=";", quotechar="'", skip_rows=1, dtypes={"id": "string"})
    assert t.to_pydict()["id"] == ["1", "2", "3"]
    t = read_csv(b"1,2\n3,4\n", has_header=False, dtypes=["float64", "string"])
    assert t.to_pydict() == {"column_1": [1.0, 3.0], "column_2": ["2", "4"]}
    assert read_csv(b"a\n1\n", infer_types=False).schema == {"a": "string"}
    t = read_csv(b"a,b\n'x\\,y',\"z\"\n", escapechar="\\", quotechar="'")
    assert t.to_pydict() == {"a": ["x,y"], "b": ['"z"']}
    t = read_csv(b"a, b\n1, 2\n", skipinitialspace=True)
    assert t.to_pydict() == {"a": [1], "b": [2]}
    t = read_csv(b'a\n"x""y"\n', doublequote=False)
    assert t.to_pydict() == {"a": ['x"y"']}  # what the stdlib reader gives


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"delimiter": ";;"}, TypeError, "1-character string"),
        ({"delimiter": '"'}, ValueError, "delimiter must differ"),
        ({"encoding": "shift-jis"}, ValueError, "unsupported encoding"),
        ({"encoding_errors": "ignore"}, ValueError, "encoding_errors"),
        ({"on_bad_lines": "explode"}, ValueError, "on_bad_lines"),
        ({"ragged": "yes"}, ValueError, "ragged"),
        ({"dtypes": {"a": "decimal"}}, ValueError, "unknown dtype"),
        ({"dtypes": 3}, TypeError, "dtypes must be"),
        ({"schema": ["int64"]}, TypeError, "schema must be a mapping"),
        ({"schema": {"a": "decimal", "b": "int"}}, ValueError, "unknown dtype"),
        ({"schema": {"a": "int64"}}, ValueError, "schema names 1 columns but .* has 2"),
        ({"columns": ["zz"]}, KeyError, "no column"),
        ({"columns": [7]}, KeyError, "no column 7"),
        ({"columns": [-1]}, TypeError, "non-negative"),
        ({"columns": ["a", 0]}, ValueError, "selected twice"),
    ],
)
def test_bad_options(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        read_csv(b"a,b\n1,2\n", **kwargs)  # type: ignore[arg-type]


def test_cast_error_names_the_cell() -> None:
    with pytest.raises(ReadError) as info:
        read_csv(b"a,b\n1,2\n3,x\n", dtypes={"b": "int64"})
    e = info.value
    assert str(e) == 'cannot read "x" as int64 in column "b" at line 3 column 2 (byte 8)'
    assert (e.line, e.column, e.byte_offset) == (3, 2, 8)
    assert isinstance(e, fcsv.Error)


def test_schema_names_and_types_every_column() -> None:
    # As polars' schema=: the whole schema, nothing inferred, names replacing the header's.
    t = read_csv(b"a,b\n1,2\n3,4\n", schema={"x": "float64", "y": "string"})
    assert t.schema == {"x": "float64", "y": "string"}
    assert t.to_pydict() == {"x": [1.0, 3.0], "y": ["2", "4"]}
    t = read_csv(b"1,2\n", has_header=False, schema={"x": "int", "y": "bool"}, dtypes={"y": "str"})
    assert t.schema == {"x": "int64", "y": "string"}
    assert read_csv(b"1,2\n", schema={"x": "int", "y": "int"}, columns=["y"]).schema == {
        "y": "int64"
    }
    # A table's schema reads the same text back with the same types, even with no rows.
    source = read_csv(b"n,when\n1,2024-01-02\n")
    assert read_csv(b"n,when\n", schema=source.schema).schema == source.schema
    assert read_csv(b"", schema=source.schema).schema == source.schema
    with pytest.raises(ReadError, match=r'cannot read "x" as int64 in column "n" at line 3'):
        read_csv(b"n,when\n1,2024-01-02\nx,2024-01-03\n", schema=source.schema)


def test_on_bad_lines_callable_can_give_the_row_in_place() -> None:
    # pandas' semantics: a returned list of strings is the row, None drops the bad line.
    data = "\ufeffid,x\n1,2\n3\n4,5,6\n7,8\n9".encode()
    seen: list[list[str]] = []

    def fix(fields: list[str]) -> list[str] | None:
        seen.append(fields)
        if fields == ["4", "5", "6"]:
            return None
        return [fields[0], '1.5,"q"\nz' if fields == ["9"] else "0.5"]

    for source in (data, io.BytesIO(data)):
        seen.clear()
        t = read_csv(source, encoding="utf-8-sig", on_bad_lines=fix)
        assert seen == [["3"], ["4", "5", "6"], ["9"]]
        assert t.schema == {"id": "int64", "x": "string"}
        assert t.to_pydict() == {
            "id": [1, 3, 7, 9],
            "x": ["2", "0.5", "8", '1.5,"q"\nz'],
        }
    # The rows given take part in type inference: here they make x float64.
    t = read_csv(b"id,x\n1,2\n3\n", on_bad_lines=lambda f: [f[0], "0.5"])
    assert t.to_pydict() == {"id": [1, 3], "x": [2.0, 0.5]}
    with pytest.raises(ValueError, match="1 of the 1 rows given for bad lines"):
        read_csv(b"id,x\n1,2\n3\n", on_bad_lines=lambda f: ["a", "b", "c"])
    with pytest.raises(TypeError, match="must return None or a list of strings, not str"):
        read_csv(b"id,x\n1,2\n3\n", on_bad_lines=lambda f: "a,b")
    with pytest.raises(ZeroDivisionError):
        read_csv(b"id,x\n1,2\n3\n", on_bad_lines=lambda f: 1 / 0)


# The bad inputs issue #5 lists, each with its policy's result.


def test_ragged_rows() -> None:
    data = b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n"
    with pytest.raises(
        ReadError, match=r"expected 3 fields, found 2 at line 3 \(byte 12\)"
    ) as info:
        read_csv(data)
    assert (info.value.line, info.value.column, info.value.byte_offset) == (3, 3, 12)
    assert read_csv(data, on_bad_lines="skip").to_pydict() == {"a": [1], "b": [2], "c": [3]}
    t = read_csv(data, ragged="pad", on_bad_lines="skip")
    assert t.to_pydict() == {"a": [1, 4], "b": [2, 5], "c": [3, None]}
    t = read_csv(data, ragged="truncate")
    assert t.to_pydict() == {"a": [1, 4, 6], "b": [2, 5, 7], "c": [3, None, 8]}
    with pytest.warns(
        RuntimeWarning, match=r"skipped line 4 \(byte 16\): expected 3 fields, found 4"
    ):
        read_csv(data, ragged="pad", on_bad_lines="warn")
    seen: list[list[str]] = []
    read_csv(data, on_bad_lines=seen.append)
    assert seen == [["4", "5"], ["6", "7", "8", "9"]]


def test_cr_only_line_ends() -> None:
    t = read_csv(b'a,b\r1,x\r2,"y\rz"\r')
    assert t.to_pydict() == {"a": [1, 2], "b": ["x", "y\rz"]}


def test_stray_quote_in_an_unquoted_field_is_kept() -> None:
    assert read_csv(b'a,b\n1,x"y\n').to_pydict() == {"a": [1], "b": ['x"y']}


def test_header_only_and_empty_inputs() -> None:
    t = read_csv(b"a,b\n")
    assert (t.num_rows, t.column_names, t.schema) == (0, ["a", "b"], {"a": "null", "b": "null"})
    assert t.to_pydict() == {"a": [], "b": []}
    for empty in (b"", b"\n", b"\r\n\r\n"):
        t = read_csv(empty)
        assert (t.num_rows, t.column_names) == (0, [])


def test_duplicate_and_empty_column_names() -> None:
    t = read_csv(b"a,a,,a\n1,2,3,4\n")
    assert t.column_names == ["a", "a_1", "column_3", "a_2"]


def test_ten_thousand_columns() -> None:
    header = ",".join(f"c{i}" for i in range(10_000))
    row = ",".join(str(i) for i in range(10_000))
    t = read_csv(f"{header}\n{row}\n{row}\n".encode())
    assert t.num_columns == 10_000
    assert t.to_pydict()["c9999"] == [9999, 9999]


def test_input_ending_inside_quotes() -> None:
    with pytest.raises(ReadError, match=r"unclosed quote.*line 2 \(byte 4\)"):
        read_csv(b'a,b\n1,"open\n2,3\n')
    seen: list[list[str]] = []
    t = read_csv(b'a,b\n0,x\n1,"open\n2,3\n', on_bad_lines=seen.append)
    assert t.to_pydict() == {"a": [0], "b": ["x"]}
    assert seen == [["1", "open\n2,3\n"]]


def test_bad_utf8_has_its_position_or_is_replaced() -> None:
    with pytest.raises(
        ReadError, match=r"invalid utf-8 data at line 2 column 4 \(byte 7\)"
    ) as info:
        read_csv(b"a,b\n1,x\xff\n")
    assert (info.value.line, info.value.column, info.value.byte_offset) == (2, 4, 7)
    t = read_csv(b"a,b\n1,x\xff\n", encoding_errors="replace")
    assert t.to_pydict() == {"a": [1], "b": ["x\ufffd"]}


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", "é,ü\n1,ß\n".encode()),
        ("utf-8-sig", "\ufeffé,ü\n1,ß\n".encode()),
        ("utf-16", "é,ü\n1,ß\n".encode("utf-16")),
        ("latin-1", "é,ü\n1,ß\n".encode("latin-1")),
        ("cp1252", "é,ü\n1,ß\n".encode("cp1252")),
    ],
)
def test_encodings(encoding: str, data: bytes) -> None:
    assert read_csv(data, encoding=encoding).to_pydict() == {"é": [1], "ü": ["ß"]}


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-8-sig"])
def test_error_offsets_are_bytes_of_the_input(encoding: str) -> None:
    text = "a,b\né€,1\n\U0001f600,2\nx,y,z\n"
    if encoding in {"latin-1", "cp1252"}:
        text = text.replace("\U0001f600", "ü").replace("€", "é" if encoding == "latin-1" else "€")
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        encoding = "utf-16"  # no byte order mark: little-endian
    with pytest.raises(ReadError) as info:
        read_csv(data, encoding=encoding)
    assert info.value.line == 4
    assert info.value.byte_offset == data.index("x,y".encode(data_codec(encoding, data)))


def data_codec(encoding: str, data: bytes) -> str:
    """The codec that encodes a fragment as it appears inside `data`."""
    if encoding == "utf-16":
        return "utf-16-be" if data.startswith(b"\xfe\xff") else "utf-16-le"
    return "utf-8" if encoding == "utf-8-sig" else encoding


def test_quoted_newlines_across_threads_and_slices() -> None:
    rows = [f'{i},"line one\nline, two {i}"\r\n' for i in range(20_000)]
    data = ("id,text\r\n" + "".join(rows)).encode()
    one = read_csv(data, threads=1).to_pydict()
    many = read_csv(data, threads=4).to_pydict()
    assert one == many
    assert one["id"] == list(range(20_000))
    assert one["text"][7] == "line one\nline, two 7"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1"])
def test_a_mapped_path_reads_like_bytes_and_file_objects(tmp_path: Path, encoding: str) -> None:
    # Over 8 MB: several 4 MB slices, whose pages a path's map drops as they are converted; quoted
    # line ends cross the slice boundaries, and `x` turns to float only in the last slice, so
    # earlier slices converted as int are parsed again from the (dropped, re-read) pages.
    n = 200_000
    rows = [f'{i},"note {i}\nsecond line, é",{i % 97},2024-01-{i % 28 + 1:02d}\n' for i in range(n)]
    rows[-1] = rows[-1].replace(f",{(n - 1) % 97},", ",0.5,")
    text = "id,note,x,day\n" + "".join(rows)
    data = (b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"") + text.encode(
        "utf-8" if encoding == "utf-8-sig" else encoding
    )
    assert len(data) > 8 << 20
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    mapped = read_csv(path, encoding=encoding)
    assert mapped.schema == {"id": "int64", "note": "string", "x": "float64", "day": "date"}
    expected = mapped.to_pydict()
    assert expected["id"] == list(range(n))
    assert expected["x"][-1] == 0.5
    assert expected["x"][5] == 5.0
    assert expected["note"][3] == "note 3\nsecond line, é"
    assert read_csv(data, encoding=encoding).to_pydict() == expected
    assert read_csv(io.BytesIO(data), encoding=encoding).to_pydict() == expected
    with path.open(encoding=encoding, newline="") as f:
        assert read_csv(f).to_pydict() == expected


def test_a_mapped_path_error_has_its_position(tmp_path: Path) -> None:
    # The line number is counted in pages already dropped from the map.
    rows = "".join(f"{i},{i}\n" for i in range(1_500_000))
    path = tmp_path / "ragged.csv"
    path.write_text(f"a,b\n{rows}1,2,3\n")
    with pytest.raises(ReadError) as info:
        read_csv(path)
    assert info.value.line == 1_500_002
    assert info.value.byte_offset == len(f"a,b\n{rows}".encode())


def test_ctrl_c_stops_a_long_read() -> None:
    # A read of 4 MB or more runs on a worker thread while the calling thread checks for
    # signals; KeyboardInterrupt stops it at the next slice instead of after the whole read.
    data = b"id,x,note\n" + b"123456,7.25,abcdef\n" * 2_000_000
    start = time.perf_counter()
    assert read_csv(data, threads=1).num_rows == 2_000_000
    full = time.perf_counter() - start
    # Python ignores SIGINT (and interrupt_main) when started with it ignored, as in a
    # background job: put the default handler in place for this test.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        timer = threading.Timer(full / 10, _thread.interrupt_main)
        start = time.perf_counter()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            read_csv(data, threads=1)
        stopped = time.perf_counter() - start
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert stopped < full * 0.75, (stopped, full)
    # The reader is usable again at once.
    assert read_csv(data[: 10 + 19 * 50], threads=1).num_rows == 50


def test_repr_and_len() -> None:
    t = read_csv(b"a,b\n1,x\n")
    assert repr(t) == "<Table 1 rows x 2 columns: a: int64, b: string>"
    assert len(t) == 1
    wide = read_csv(",".join(f"c{i}" for i in range(10)).encode() + b"\n")
    assert repr(wide).endswith("c7: null, ... (2 more)>")
    assert isinstance(t, Table)


def test_table_is_frozen() -> None:
    t = read_csv(b"a\n1\n")
    with pytest.raises(AttributeError):
        t.num_rows = 3  # type: ignore[misc]
