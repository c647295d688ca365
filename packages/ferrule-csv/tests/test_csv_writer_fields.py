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


def test_writerows_calls_write_once_per_row_on_other_files() -> None:
    # Only an exact io.StringIO or a buffered io.TextIOWrapper gets several rows per call.
    rows = [[*PLAIN[:10], i] for i in range(5000)]
    std_file, ferrule_file = CountingFile(), CountingFile()
    std_csv.writer(std_file).writerows(rows)
    fcsv.writer(ferrule_file).writerows(rows)
    assert ferrule_file.calls == std_file.calls
    assert len(ferrule_file.calls) == len(rows)


def seen_while_writing(module: Any, via: str) -> list[str]:
    """What Python code running inside ``writerows`` into a StringIO finds written."""
    buf = io.StringIO()
    seen: list[str] = []

    class Peek:
        def __str__(self) -> str:
            seen.append(buf.getvalue())
            return "peek"

    plain = [[f"{i}", "x" * 50, i * 0.5, None, True] for i in range(3000)]
    w = module.writer(buf)
    if via == "field":
        rows: Any = [*plain[:1500], ["a", Peek()], *plain[1500:], [Peek()]]
    else:

        def generate() -> Any:
            for i, row in enumerate(plain):
                if i % 700 == 0:
                    seen.append(buf.getvalue())
                yield row

        rows = generate()
    w.writerows(rows)
    seen.append(buf.getvalue())
    return seen


@pytest.mark.parametrize("via", ["field", "generator"])
def test_writerows_into_string_io_looks_row_by_row_to_running_code(via: str) -> None:
    std = seen_while_writing(std_csv, via)
    assert seen_while_writing(fcsv, via) == std
    assert len(std) >= 3
    assert 0 < len(std[1]) < len(std[-1])


class RawCounter(io.BytesIO):
    """The binary layer under a TextIOWrapper, recording each write that reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[bytes] = []

    def write(self, data: Any) -> int:
        self.calls.append(bytes(data))
        return super().write(data)


@pytest.mark.parametrize("mode", ["line_buffering", "write_through"])
def test_writerows_into_an_unbuffered_text_file_writes_row_by_row(mode: str) -> None:
    rows = [[f"{i}", "y" * 30] for i in range(2000)]

    def raw_writes(module: Any) -> list[bytes]:
        raw = RawCounter()
        f = io.TextIOWrapper(raw, encoding="utf-8", newline="", **{mode: True})
        module.writer(f).writerows(rows)
        f.flush()
        return raw.calls

    std = raw_writes(std_csv)
    assert raw_writes(fcsv) == std
    assert len(std) >= len(rows)


def test_writerows_into_a_reconfigured_text_file() -> None:
    rows = [[f"{i}", "z" * 30] for i in range(2000)]

    def raw_writes(module: Any) -> list[bytes]:
        raw = RawCounter()
        f = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        w = module.writer(f)
        f.reconfigure(line_buffering=True)
        w.writerows(rows)
        return raw.calls

    assert raw_writes(fcsv) == raw_writes(std_csv)


def test_writerows_into_string_io_and_buffered_text_file_text() -> None:
    rows = [[*PLAIN[:10], i, i / 3, None] for i in range(20_000)]
    std_buf, ferrule_buf = io.StringIO(), io.StringIO()
    std_csv.writer(std_buf).writerows(rows)
    fcsv.writer(ferrule_buf).writerows(tuple(rows))
    assert ferrule_buf.getvalue() == std_buf.getvalue()
    raw = io.BytesIO()
    f = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    fcsv.writer(f).writerows(rows)
    f.flush()
    assert raw.getvalue() == std_buf.getvalue().encode()


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
