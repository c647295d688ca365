"""sniff and infer_schema."""

from __future__ import annotations

import csv as std_csv

import pytest

import ferrule.csv as fcsv
from ferrule.csv import infer_schema, read_csv, sniff


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a,b,c\n1,2,3\n4,5,6\n", (",", '"', True)),
        ("1,2,3\n4,5,6\n", (",", '"', False)),
        ("name;city\nada;london\nbob;paris\n", (";", '"', True)),
        ("x\ty\n1.5\t2\n", ("\t", '"', True)),
        ("a|b\n'x|y'|2\n'z'|3\n", ("|", "'", True)),
        ('id,text\n1,"a, b; c"\n2,"d; e"\n', (",", '"', True)),
    ],
)
def test_sniff(sample: str, expected: tuple[str, str, bool]) -> None:
    found = sniff(sample)
    assert (found["delimiter"], found["quotechar"], found["has_header"]) == expected
    assert sniff(sample.encode()) == found


@pytest.mark.parametrize("sample", ["2024-01-01\n2024-01-02\n", "aXb\ncXd\n"])
def test_sniff_beats_the_stdlib_on_evenly_spread_characters(sample: str) -> None:
    # csv.Sniffer takes '0' and 'X' for delimiters: these are one-column files.
    assert std_csv.Sniffer().sniff(sample).delimiter in "0X"
    assert sniff(sample)["delimiter"] == ","
    assert read_csv(sample.encode(), **sniff(sample)).num_columns == 1


def test_sniff_fails_cleanly() -> None:
    with pytest.raises(fcsv.Error, match="could not determine delimiter"):
        sniff("\n\n")
    with pytest.raises(TypeError):
        sniff(3)  # type: ignore[arg-type]


def test_infer_schema() -> None:
    data = b"a,b\n" + b"1,x\n" * 20 + b"1.5,y\n"
    assert infer_schema(data) == {"a": "float64", "b": "string"}
    assert infer_schema(data, n_rows=5) == {"a": "int64", "b": "string"}
    assert infer_schema(data, n_rows=5, dtypes={"b": "string"}) == read_csv(data, n_rows=5).schema
    with pytest.raises(TypeError):
        infer_schema(data, nonsense=1)
