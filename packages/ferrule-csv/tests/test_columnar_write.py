"""write_csv: from any Arrow stream exporter, back through read_csv unchanged."""

from __future__ import annotations

import csv as std_csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule.csv as fcsv
from ferrule.csv import read_csv, write_csv

DATA = b'i,f,s,d\n1,1.5,"a,""b""",2024-02-29\n,-0.0,"x\ny",\n3,1e300,,1999-01-01\n'


def test_round_trip_to_bytes_path_and_files(tmp_path: Path) -> None:
    t = read_csv(DATA)
    out = write_csv(t)
    assert out == b'i,f,s,d\n1,1.5,"a,""b""",2024-02-29\n,-0.0,"x\ny",\n3,1e300,,1999-01-01\n'
    path = tmp_path / "out.csv"
    assert write_csv(t, path) is None
    assert path.read_bytes() == out
    write_csv(t, str(path))
    assert path.read_bytes() == out
    binary = io.BytesIO()
    write_csv(t, binary)
    assert binary.getvalue() == out
    text = io.StringIO()
    write_csv(t, text)
    assert text.getvalue() == out.decode()
    assert read_csv(out).to_pydict() == t.to_pydict()


def test_dialect_options() -> None:
    t = read_csv(b"a,b\nx;y,1\n")
    assert write_csv(t, delimiter=";", lineterminator="\r\n") == b'a;b\r\n"x;y";1\r\n'
    assert write_csv(t, quoting=fcsv.QUOTE_ALL, header=False) == b'"x;y","1"\n'
    none = fcsv.QUOTE_NONE
    assert write_csv(t, delimiter=";", quoting=none, escapechar="\\") == b"a;b\nx\\;y;1\n"
    with pytest.raises(TypeError, match="quotechar must be set"):
        write_csv(t, quotechar=None)
    with pytest.raises(fcsv.Error, match="need to escape"):
        write_csv(t, delimiter=";", quoting=fcsv.QUOTE_NONE)


def test_bad_data() -> None:
    with pytest.raises(TypeError, match="__arrow_c_stream__"):
        write_csv([1, 2])  # type: ignore[arg-type]


def test_from_pyarrow_and_polars() -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table(
        {
            "i8": pa.array([1, None], pa.int8()),
            "u64": pa.array([2**64 - 1, 0], pa.uint64()),
            "f32": pa.array([0.5, None], pa.float32()),
            "ts": pa.array([dt.datetime(2024, 1, 1, 1, 2, 3, 4), None], pa.timestamp("ns")),
            "tz": pa.array([0, 1_500], pa.timestamp("ms", tz="Europe/Paris")),
            "lg": pa.array(["x", "y"], pa.large_string()),
            "sv": pa.array(["p", None], pa.string_view()),
            "d64": pa.array([dt.date(2000, 1, 2), None], pa.date64()),
            "b": pa.array([True, None]),
        }
    )
    assert write_csv(table) == (
        b"i8,u64,f32,ts,tz,lg,sv,d64,b\n"
        b"1,18446744073709551615,0.5,2024-01-01T01:02:03.000004,1970-01-01T00:00:00Z,x,p,2000-01-02,true\n"
        b",0,,,1970-01-01T00:00:01.500000Z,y,,,\n"
    )
    with pytest.raises(ValueError, match="cannot write a column of type List"):
        write_csv(pa.table({"l": [[1]]}))
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1, None], "s": ["x", "y,z"]})
    assert write_csv(frame) == b'a,s\n1,x\n,"y,z"\n'
    assert write_csv(frame) == frame.write_csv().encode()


def test_matches_the_row_writer_for_strings() -> None:
    rows = [["a", 'b"c', "d,e"], ["", "f\ng", " h"]]
    out = io.StringIO()
    std_csv.writer(out, lineterminator="\n").writerows([["x", "y", "z"], *rows])
    t = read_csv(out.getvalue().encode(), infer_types=False, null_values=[])
    assert write_csv(t) == out.getvalue().encode()


cells = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(str),
    st.floats(allow_nan=False).map(repr),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00\r"), max_size=8),
    st.dates().map(str),
    st.sampled_from(["", "true", "False"]),
)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(st.lists(cells, min_size=n, max_size=n), max_size=15)
    )
)
def test_generated_tables_round_trip(rows: list[list[str]]) -> None:
    width = len(rows[0]) if rows else 1
    out = io.StringIO()
    std_csv.writer(out, lineterminator="\n").writerows([[f"c{i}" for i in range(width)], *rows])
    t = read_csv(out.getvalue().encode())
    again = read_csv(write_csv(t) or b"")
    assert again.schema == t.schema
    assert again.to_pydict() == t.to_pydict()


def test_write_speed_sanity() -> None:
    # Not a benchmark: a whole table of 100k rows must take well under a second.
    data = b"a,b,c\n" + b"".join(b"%d,%d.5,word %d\n" % (i, i, i) for i in range(100_000))
    t = read_csv(data)
    out: Any = write_csv(t)
    assert out.count(b"\n") == 100_001
