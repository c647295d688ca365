"""The Table through the Arrow PyCapsule interface into pyarrow, polars, pandas and duckdb, and
to NumPy; each library is optional for users but part of the test dependency group."""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule.csv import read_csv

DATA = (
    b"i,f,b,d,ts,s\n"
    b"1,1.5,true,2024-02-29,2024-01-01T10:00:00,x\n"
    b",2.5,false,,2024-01-01 10:00:00.250,\n"
    b'3,,,1999-12-31,,"q,r"\n'
)
EXPECTED = {
    "i": [1, None, 3],
    "f": [1.5, 2.5, None],
    "b": [True, False, None],
    "d": [dt.date(2024, 2, 29), None, dt.date(1999, 12, 31)],
    "ts": [dt.datetime(2024, 1, 1, 10), dt.datetime(2024, 1, 1, 10, 0, 0, 250000), None],
    "s": ["x", None, "q,r"],
}


def test_pyarrow() -> None:
    pa = pytest.importorskip("pyarrow")
    t = pa.table(read_csv(DATA))
    assert t.to_pydict() == EXPECTED
    assert str(t.schema.field("i").type) == "int64"
    assert str(t.schema.field("d").type) == "date32[day]"
    assert str(t.schema.field("ts").type) == "timestamp[us]"
    schema = pa.schema(read_csv(DATA))
    assert schema.names == list(EXPECTED)
    # Many batches, from a file parsed in several slices.
    big = b"a,b\n" + b"".join(b'%d,"x\ny"\n' % i for i in range(50_000))
    t = pa.table(read_csv(big, threads=3))
    assert t.num_rows == 50_000
    assert t.column("a").to_pylist()[-1] == 49_999


def test_polars() -> None:
    pl = pytest.importorskip("polars")
    df = pl.DataFrame(read_csv(DATA))
    assert df.to_dict(as_series=False) == EXPECTED
    assert df.schema["i"] == pl.Int64
    # polars turns any non-pyarrow stream exporter into a struct Series; unnest gives the frame.
    series = pl.from_arrow(read_csv(DATA))
    assert isinstance(series, pl.Series)
    assert series.struct.unnest().to_dict(as_series=False) == EXPECTED


def test_pandas() -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    if hasattr(pd.DataFrame, "from_arrow"):
        df = pd.DataFrame.from_arrow(read_csv(DATA))
    else:
        import pyarrow as pa

        df = pa.table(read_csv(DATA)).to_pandas()
    assert list(df.columns) == list(EXPECTED)
    assert df["i"].isna().tolist() == [False, True, False]


def test_duckdb() -> None:
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    t = read_csv(DATA)  # noqa: F841 (duckdb finds it by name)
    assert duckdb.sql("select sum(i), count(s) from t").fetchall() == [(4, 2)]


def test_numpy() -> None:
    np = pytest.importorskip("numpy")
    t = read_csv(DATA)
    i = t.to_numpy("i")
    assert isinstance(i, np.ma.MaskedArray)
    assert i.dtype == np.int64
    assert i.mask.tolist() == [False, True, False]
    assert i.compressed().tolist() == [1, 3]
    f = read_csv(b"x\n1.5\n2\n").to_numpy(0)
    assert not isinstance(f, np.ma.MaskedArray)
    assert f.tolist() == [1.5, 2.0]
    assert f.flags.writeable
    assert t.to_numpy("b").dtype == np.bool_
    assert t.to_numpy("d").dtype == np.dtype("datetime64[D]")
    assert t.to_numpy("d").compressed().tolist() == [dt.date(2024, 2, 29), dt.date(1999, 12, 31)]
    assert t.to_numpy("ts").dtype == np.dtype("datetime64[us]")
    assert t.to_numpy(-1).tolist() == ["x", None, "q,r"]
    with pytest.raises(KeyError):
        t.to_numpy("nope")
    with pytest.raises(IndexError):
        t.to_numpy(6)


def test_capsules_are_named_per_the_protocol() -> None:
    t = read_csv(DATA)
    assert "arrow_array_stream" in repr(t.__arrow_c_stream__())
    assert "arrow_schema" in repr(t.__arrow_c_schema__())
    # An unconsumed capsule releases its stream when collected (no leak, no crash).
    for _ in range(100):
        t.__arrow_c_stream__()
