"""The writer's per-field paths, each against the standard module.

Exact ``str`` fields are read in place and plain ones are pushed by an inlined fast path;
every other kind of field (``str`` subclasses, numbers, ``None``, objects with ``__str__``)
and every field that needs quoting or escaping takes the general path. Each test writes the
same rows with both modules and compares the text, the errors and the ``write`` calls.
"""

from __future__ import annotations

import csv as std_csv
import io
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import ferrule.csv as fcsv


class Text(str):
    """A ``str`` subclass: not read in place, written through ``str()``."""

    def __str__(self) -> str:
        return "sub:" + str.__str__(self)


class Shown:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


class CountingFile:
    """A file object that records each ``write`` call."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def write(self, text: str) -> int:
        self.calls.append(text)
        return len(text)


class FailingFile:
    """Raises on the ``fail_at``-th call to ``write`` (counting from 0)."""

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at
        self.calls: list[str] = []

    def write(self, text: str) -> int:
        if len(self.calls) == self.fail_at:
            raise OSError("disk full")
        self.calls.append(text)
        return len(text)


# Every length up to 20 on both sides of the short-field pieces, ASCII and not.
LENGTHS = [*range(21), 31, 32, 33, 100]
PLAIN = ["".join(chr(ord("a") + (i + n) % 26) for i in range(n)) for n in LENGTHS]
NON_ASCII = ["é", "ñandú", "日本語", "😀x", "a" * 7 + "é", "ü" * 9, "Ωmega" * 5]
SPECIAL = [",", '"', "\r", "\n", "a,b", 'say "hi"', "line\r\nbreak", "x" * 15 + ",", "\\", "tab\t"]
OTHERS: list[Any] = [
    0,
    -12345,
    10**30,
    1.5,
    float("nan"),
    True,
    None,
    Decimal("1.10"),
    Fraction(1, 3),
    complex(1, 2),
    Text("sub"),
    Text("a,b"),
    Shown("shown"),
    Shown("sh,own"),
    b"bytes",
]

QUOTING_NAMES = (
    "QUOTE_MINIMAL",
    "QUOTE_ALL",
    "QUOTE_NONNUMERIC",
    "QUOTE_NONE",
    "QUOTE_NOTNULL",
    "QUOTE_STRINGS",
)
# The modes of the running Python (QUOTE_NOTNULL and QUOTE_STRINGS are new in 3.12).
QUOTINGS = [getattr(std_csv, name) for name in QUOTING_NAMES if hasattr(std_csv, name)]


def write_both(
    rows: list[list[Any]], make: Callable[[list[Any]], Any] = list, **fmt: Any
) -> tuple[Any, Any]:
    """What each module writes for `rows`, each made by `make` (or the error it raises)."""
    out = []
    for module in (std_csv, fcsv):
        f = io.StringIO()
        w = module.writer(f, **fmt)
        try:
            for row in rows:
                w.writerow(make(row))
        except Exception as e:  # compared between the modules
            out.append((f.getvalue(), type(e).__name__, str(e)))
        else:
            out.append((f.getvalue(), None, None))
    return out[0], out[1]


@pytest.mark.parametrize("quoting", QUOTINGS)
@pytest.mark.parametrize("escapechar", [None, "\\"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "é"])
def test_fields_of_every_kind(quoting: int, escapechar: str | None, delimiter: str) -> None:
    fields: list[Any] = [*PLAIN, *NON_ASCII, *SPECIAL, *OTHERS]
    # Each field alone (where errors are per field), then all in one row, then each field
    # between plain neighbours.
    rows = [[f] for f in fields]
    rows.append(fields)
    rows += [["ab", f, "cd"] for f in fields]
    for row in rows:
        std, ferrule = write_both(
            [row], quoting=quoting, escapechar=escapechar, delimiter=delimiter
        )
        assert ferrule == std, row


@pytest.mark.parametrize("container", [list, tuple, iter])
def test_rows_of_any_iterable(container: Any) -> None:
    row = [*PLAIN[:12], *NON_ASCII, 7, None, Text("t")]
    std, ferrule = write_both([row], container)
    assert ferrule == std


def test_lone_surrogates_in_fields() -> None:
    rows = [["a\udc80b", "\ud800"], ["plain", "x\udfff,y"]]
    std, ferrule = write_both(rows)
    assert ferrule == std


def test_writerow_calls_write_once_per_row() -> None:
    rows = [PLAIN[:8], ["a,b", 1, None], [], NON_ASCII]
    std_file, ferrule_file = CountingFile(), CountingFile()
    std_w, ferrule_w = std_csv.writer(std_file), fcsv.writer(ferrule_file)
    for row in rows:
        assert ferrule_w.writerow(row) == std_w.writerow(row)
    assert ferrule_file.calls == std_file.calls
    assert len(ferrule_file.calls) == len(rows)


def test_writerows_text_is_the_same_in_fewer_calls() -> None:
    # The documented difference: writerows batches its rows (docs/csv/differences.rst).
    rows = [[*PLAIN[:10], i] for i in range(5000)]
    std_file, ferrule_file = CountingFile(), CountingFile()
    std_csv.writer(std_file).writerows(rows)
    fcsv.writer(ferrule_file).writerows(rows)
    assert "".join(ferrule_file.calls) == "".join(std_file.calls)
    assert len(std_file.calls) == len(rows)
    assert 1 < len(ferrule_file.calls) < len(rows)


def test_write_raising_mid_writerows() -> None:
    rows = [[f"{i}", "x" * 200] for i in range(5000)]
    f = FailingFile(fail_at=1)
    w = fcsv.writer(f)
    with pytest.raises(OSError, match="disk full"):
        w.writerows(rows)
    written = "".join(f.calls)
    # What reached the file is whole rows, the first rows of the input, in order.
    expected = io.StringIO()
    std_csv.writer(expected).writerows(rows)
    assert written
    assert expected.getvalue().startswith(written)
    assert written.endswith("\r\n")
    # The writer is usable afterwards.
    f.fail_at = -1
    assert w.writerow(["after", 1]) == len("after,1\r\n")
    assert f.calls[-1] == "after,1\r\n"


def test_field_raising_mid_writerows_writes_the_rows_before() -> None:
    class Bad:
        def __str__(self) -> str:
            raise ValueError("no text")

    rows: list[list[Any]] = [["a", "b"], ["c", "d"], ["e", Bad()], ["never", "written"]]
    out = {}
    for module in (std_csv, fcsv):
        f = io.StringIO()
        with pytest.raises(ValueError, match="no text"):
            module.writer(f).writerows(rows)
        out[module.__name__] = f.getvalue()
    assert out["ferrule.csv"] == out["csv"] == "a,b\r\nc,d\r\n"


def shrunk_row_written(module: Any) -> str:
    row: list[Any] = ["a", "b", "c", "d"]

    class Shrink:
        def __str__(self) -> str:
            del row[2:]
            return "s"

    row.insert(1, Shrink())
    f = io.StringIO()
    module.writer(f).writerow(row)
    return f.getvalue()


def test_str_changing_the_row_while_written() -> None:
    # A field's __str__ that shortens the list being written: the list is read again after
    # it, as the list iterator would.
    assert shrunk_row_written(fcsv) == shrunk_row_written(std_csv) == "a,s\r\n"
