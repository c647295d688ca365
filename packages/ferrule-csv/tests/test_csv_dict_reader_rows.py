"""DictReader rows against the standard module: short and long rows, restkey/restval,
duplicate and non-str field names, wide headers, and subclasses that override its methods.
"""

from __future__ import annotations

import csv as std_csv
import io
from typing import Any

import pytest

import ferrule.csv as fcsv

WIDE = ",".join(f"c{i}" for i in range(500))
TEXT = "\r\n".join(
    [
        "a,b,c",
        "1,2,3",
        "4,5",  # short
        "6,7,8,9,10",  # long
        "",  # blank, skipped
        'é,"x,y","q""q"',
        "11",
        ",,",
    ]
)


def read_both(text: str, **kwargs: Any) -> tuple[Any, Any]:
    out = []
    for module in (std_csv, fcsv):
        reader = module.DictReader(io.StringIO(text), **kwargs)
        rows: list[Any] = []
        try:
            rows.extend((row, reader.line_num) for row in reader)
        except Exception as e:  # compared between the modules
            rows.append((type(e).__name__, str(e)))
        out.append((rows, reader.fieldnames))
    return out[0], out[1]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"restkey": "rest"},
        {"restval": "R"},
        {"restkey": None, "restval": None},
        {"restkey": ("t",), "restval": 0},
        {"fieldnames": ["x", "y"]},
        {"fieldnames": ("x", "y", "z", "w")},
        {"fieldnames": ["x", "x", "y"]},
        {"fieldnames": [1, 2.5, None]},
        {"fieldnames": ["x", 1, "x", ("t",)], "restkey": "x"},
    ],
)
def test_rows_and_rest(kwargs: dict[str, Any]) -> None:
    std, ferrule = read_both(TEXT, **kwargs)
    assert ferrule == std


@pytest.mark.parametrize("width", [499, 500, 501, 1000])
def test_wide_rows(width: int) -> None:
    row = ",".join(f"v{i}" if i % 2 else str(i) for i in range(width))
    text = "\r\n".join([WIDE, row, row])
    std, ferrule = read_both(text, restkey="more", restval="-")
    assert ferrule == std


def test_subclass_overriding_methods() -> None:
    rows = {}
    for module in (std_csv, fcsv):

        class Upper(module.DictReader):  # type: ignore[name-defined, misc]
            @property
            def fieldnames(self) -> Any:
                names = super().fieldnames
                return None if names is None else [n.upper() for n in names]

            def __next__(self) -> Any:
                row = super().__next__()
                row["line"] = self.line_num
                return row

        rows[module.__name__] = list(Upper(io.StringIO(TEXT), restval="R"))
    assert rows["ferrule.csv"] == rows["csv"]
    assert rows["csv"][0] == {"A": "1", "B": "2", "C": "3", "line": 2}
