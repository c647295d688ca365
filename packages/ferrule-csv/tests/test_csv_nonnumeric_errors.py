"""QUOTE_NONNUMERIC conversion errors in records that span lines.

The stdlib converts an unquoted field with ``float()`` the moment the field is saved, so a bad
field raises in the line that holds it: the rest of that line is dropped and the next ``next()``
starts at the following line, even when the record would have gone on over more lines (an open
quoted field later in the line). ferrule parses whole records, so it must check each line's
fields before reading the next line to raise at the same place.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

import ferrule.csv as fcsv

NN = {"quoting": csv.QUOTE_NONNUMERIC}

CASES: list[tuple[str, dict[str, Any]]] = [
    # the bad field before an open quote: the record would end two lines later
    ('abc,"x\r\ny"\r\n1,2\r\n', NN),
    ('1,abc,"x\ny\nz"\n3\n', NN),
    # the bad field on the second line of a record (after a quoted newline)
    ('"a\nb",abc,"c\nd"\n5\n', NN),
    # quotechar equal to the delimiter (hypothesis found this one)
    (",,,,\r\n;,,,,\r\n\r\n", {**NN, "quotechar": ","}),
    # a parse error later in the same line: the ValueError still wins
    ('abc,"x"y\n1\n', {**NN, "strict": True}),
    # several bad records in a row
    ('a,"\nb,"\nc,"\n2\n', NN),
]


def outcomes(rows: Iterable[Any], reader: Any, limit: int = 20) -> list[tuple[Any, ...]]:
    """Every step of the iteration, going on after errors as a caller catching them would."""
    out: list[tuple[Any, ...]] = []
    it = iter(rows)
    for _ in range(limit):
        try:
            row = next(it)
        except StopIteration:
            out.append(("end", reader.line_num))
            return out
        except ValueError as e:
            out.append(("ValueError", str(e), reader.line_num))
        except csv.Error as e:
            out.append(("csv.Error", str(e), reader.line_num))
        else:
            out.append(("row", row, reader.line_num))
    return out


def sources(text: str, tmp_path: Path, files: ExitStack) -> dict[str, Callable[[], Any]]:
    path = tmp_path / "data.csv"
    path.write_text(text, newline="", encoding="utf-8")
    return {
        "lines": lambda: text.splitlines(keepends=True),
        "stringio": lambda: io.StringIO(text, newline=""),
        "file": lambda: files.enter_context(path.open(newline="", encoding="utf-8")),
    }


@pytest.mark.parametrize(("text", "kwargs"), CASES)
@pytest.mark.parametrize("source", ["lines", "stringio", "file"])
def test_reader_resumes_where_the_stdlib_does(
    text: str, kwargs: dict[str, Any], source: str, tmp_path: Path
) -> None:
    with ExitStack() as files:
        make = sources(text, tmp_path, files)[source]
        std_reader = csv.reader(make(), **kwargs)
        ours_reader = fcsv.reader(make(), **kwargs)
        std = outcomes(std_reader, std_reader)
        ours = outcomes(ours_reader, ours_reader)
    assert ours == std
    assert any(step[0] == "ValueError" for step in std)


@pytest.mark.parametrize(("text", "kwargs"), CASES)
@pytest.mark.parametrize("source", ["lines", "file"])
def test_dictreader_resumes_where_the_stdlib_does(
    text: str, kwargs: dict[str, Any], source: str, tmp_path: Path
) -> None:
    names = ["a", "b", "c"]
    with ExitStack() as files:
        make = sources(text, tmp_path, files)[source]
        std_reader = csv.DictReader(make(), fieldnames=names, **kwargs)
        ours_reader = fcsv.DictReader(make(), fieldnames=names, **kwargs)
        std = outcomes(std_reader, std_reader)
        ours = outcomes(ours_reader, ours_reader)
    assert ours == std
