"""read_csv's validity bitmaps: a column with no null gets none (no scan, no bitmap), and every
null is still found wherever it falls: first or last row of a slice, only in one of several
slices, in rows missing from short records, in cells equal to another null value, and in typed
columns before and after a late change of type."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.csv import read_csv

pa = pytest.importorskip("pyarrow")

SLICE = 4 << 20


def arrow_columns(data: bytes, **options: Any) -> dict[str, Any]:
    table = pa.table(read_csv(data, threads=2, **options))
    return {name: table.column(name).combine_chunks() for name in table.column_names}


def big_file(rows: int, null_rows: set[int]) -> bytes:
    """Rows of an int, a float, a date and two strings; the rows in ``null_rows`` have every
    cell empty (the file is over a slice long, so that the nulls fall in chosen slices)."""
    lines = ["i,f,d,s,t"]
    for r in range(rows):
        if r in null_rows:
            lines.append(",,,,")
        else:
            lines.append(f'{r},{r}.25,2024-01-{1 + r % 28:02},w{r % 9},"x, {r}"')
    return ("\n".join(lines) + "\n").encode()


def slice_edges(data: bytes) -> set[int]:
    """The first and last row of every slice (a batch each) of ``data``."""
    edges: set[int] = set()
    start = 0
    for batch in pa.table(read_csv(data, threads=2)).to_batches():
        edges |= {start, start + batch.num_rows - 1}
        start += batch.num_rows
    return edges


def test_columns_without_nulls_have_no_bitmap() -> None:
    rows = 250_000
    columns = arrow_columns(big_file(rows, set()))
    assert len(big_file(rows, set())) > 2 * SLICE
    for name, array in columns.items():
        assert array.null_count == 0, name
        for chunk in pa.table(read_csv(big_file(rows, set()), threads=2)).column(name).chunks:
            assert chunk.buffers()[0] is None, name
    assert columns["i"].to_pylist() == list(range(rows))
    assert columns["s"].to_pylist()[:3] == ["w0", "w1", "w2"]


@pytest.mark.parametrize("where", ["first", "last", "one slice", "slice edges"])
def test_nulls_are_found_wherever_they_fall(where: str) -> None:
    rows = 250_000
    null_rows = {
        "first": {0},
        "last": {rows - 1},
        "one slice": {150_000},
        "slice edges": slice_edges(big_file(rows, set())),
    }[where]
    data = big_file(rows, null_rows)
    columns = arrow_columns(data)
    assert str(columns["i"].type) == "int64"
    assert str(columns["f"].type) == "double"
    assert str(columns["d"].type) == "date32[day]"
    for name, array in columns.items():
        assert array.null_count == len(null_rows), name
        values = array.to_pylist()
        assert {r for r, v in enumerate(values) if v is None} == null_rows, name


def test_missing_cells_of_short_records_are_null_in_string_columns() -> None:
    data = b"a,b,c\nx,y,z\nx,y\nx,y,z\n"
    columns = arrow_columns(data, ragged="pad")
    assert columns["c"].to_pylist() == ["z", None, "z"]
    assert columns["c"].null_count == 1
    assert columns["b"].buffers()[0] is None


def test_other_null_values_in_columns_without_empty_cells() -> None:
    data = b"s,n\nx,1\nNA,NA\ny,3\n"
    columns = arrow_columns(data, null_values=["", "NA"])
    assert columns["s"].to_pylist() == ["x", None, "y"]
    assert columns["n"].to_pylist() == [1, None, 3]
    # Without "" among the null values, an empty cell is a value of a string column.
    columns = arrow_columns(b"s,k\nx,1\n,2\ny,3\n", null_values=["NA"])
    assert columns["s"].to_pylist() == ["x", "", "y"]
    assert columns["s"].null_count == 0


def late_change(cells: list[str]) -> Any:
    # A second column: a one-column file's empty cell would be a blank line, skipped.
    data = ("v,k\n" + "".join(f"{c},k\n" for c in cells)).encode()
    return arrow_columns(data)["v"]


def test_a_late_change_of_type_keeps_earlier_nulls() -> None:
    # Nulls before the first value, between values and right before the cell that makes an
    # int column a float one, then a string one.
    rows = ["", "1", "", "2", "", "2.5", "", "3"]
    column = late_change(rows)
    assert str(column.type) == "double"
    assert column.to_pylist() == [None, 1.0, None, 2.0, None, 2.5, None, 3.0]
    column = late_change([*rows, "x", ""])
    assert str(column.type) == "string"
    assert column.to_pylist() == [None, "1", None, "2", None, "2.5", None, "3", "x", None]
    # A null only in the rows after the change.
    assert late_change(["1", "2", "2.5", "", "4"]).to_pylist() == [1.0, 2.0, 2.5, None, 4.0]
    column = late_change(["1", "2", "2.5", "4"])
    assert column.null_count == 0
    assert column.buffers()[0] is None
