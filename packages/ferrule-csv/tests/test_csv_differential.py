"""Differential tests: ferrule.csv against the standard csv module on generated dialects and data.

Every input goes through both modules; rows, ``line_num`` after each row, written text and
exceptions must agree. A reader error of ferrule is the stdlib's message followed by
`` (line N)``, and its class is ``ferrule.csv.Error`` (a subclass of ``csv.Error``).
"""

from __future__ import annotations

import _csv
import csv
import io
import math
import os
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import ferrule.csv as fcsv
from ferrule.csv import _native

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Characters the dialect is built from: ASCII and non-ASCII, whitespace, NUL, line breaks, a
# lone surrogate.
DIALECT_CHARS = [
    ",",
    ";",
    "|",
    "\t",
    " ",
    '"',
    "'",
    "\\",
    "é",
    "€",
    "\0",
    "a",
    "\n",
    "\r",
    "\ud800",
]
# Characters the data is built from: the dialect's plus ordinary text, another lone surrogate
# and the private-use character a surrogate dialect character is swapped with in the binding.
DATA_CHARS = [
    *DIALECT_CHARS,
    *("b", "1", ".", "-", "😀", "ß", "\x85", "\u2028", "\r\n", "\udfff", "\U0010f800"),
]


# --- outcomes ------------------------------------------------------------------------------


def read_outcome(reader: Any) -> list[tuple[Any, ...]]:
    """Every row with the reader's line_num after it, then how the iteration ended."""
    out: list[tuple[Any, ...]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            out.append(("end", reader.line_num))
            return out
        except Exception as e:
            out.append(("raise", e, reader.line_num))
            return out
        out.append(("row", row, reader.line_num))


def same_float_or_equal(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def same_row(std: list[Any], ours: list[Any]) -> bool:
    return len(std) == len(ours) and all(map(same_float_or_equal, std, ours))


def assert_same_exception(std: BaseException, ours: BaseException, line_num: int | None) -> None:
    if isinstance(std, csv.Error):
        assert isinstance(ours, fcsv.Error), f"stdlib raised {std!r}, ferrule {ours!r}"
        if line_num is None:
            assert str(ours) == str(std)
        else:
            # Reader errors: the stdlib's message, then the line.
            assert str(ours).startswith(str(std)), f"{std!r} vs {ours!r}"
            assert str(ours) == f"{std} (line {line_num})"
            assert ours.line_num == line_num  # type: ignore[attr-defined]
    else:
        assert type(ours) is type(std), f"stdlib raised {std!r}, ferrule {ours!r}"
        assert str(ours) == str(std)


def assert_same_reads(
    std: list[tuple[Any, ...]], ours: list[tuple[Any, ...]], *, generated: bool = True
) -> None:
    assert len(std) == len(ours), f"\nstdlib:  {std}\nferrule: {ours}"
    for s, o in zip(std, ours, strict=True):
        assert s[0] == o[0], f"\nstdlib:  {std}\nferrule: {ours}"
        if s[0] == "row":
            assert same_row(s[1], o[1]), f"\nstdlib:  {std}\nferrule: {ours}"
            assert s[2] == o[2], f"line_num differs\nstdlib:  {std}\nferrule: {ours}"
        elif s[0] == "end":
            assert s[1] == o[1], f"line_num differs\nstdlib:  {std}\nferrule: {ours}"
        else:
            assert s[2] == o[2], f"line_num differs\nstdlib:  {std}\nferrule: {ours}"
            assert_same_exception(s[1], o[1], o[2])


def call(fn: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", fn())
    except Exception as e:
        return ("raise", e)


# --- dialects ------------------------------------------------------------------------------

DIALECT_ATTRS = (
    "delimiter",
    "quotechar",
    "escapechar",
    "doublequote",
    "skipinitialspace",
    "strict",
    "lineterminator",
    "quoting",
)
char_or_none = st.one_of(st.none(), st.sampled_from(DIALECT_CHARS))
dialect_kwargs = st.fixed_dictionaries(
    {},
    optional={
        "delimiter": st.sampled_from(DIALECT_CHARS),
        "quotechar": char_or_none,
        "escapechar": char_or_none,
        "quoting": st.sampled_from([0, 1, 2, 3]),
        "doublequote": st.booleans(),
        "skipinitialspace": st.booleans(),
        "strict": st.booleans(),
        "lineterminator": st.sampled_from(["\r\n", "\n", "\r", "|", "€\n", "", "\0"]),
    },
)


def valid_dialect(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Checks that both modules accept or reject ``kwargs`` alike; skips rejected ones."""
    std = call(lambda: _csv.Dialect(**kwargs))
    ours = call(lambda: _native.Dialect(**kwargs))
    assert std[0] == ours[0], f"{kwargs}: stdlib {std[1]!r}, ferrule {ours[1]!r}"
    if std[0] == "raise":
        assert type(ours[1]) is type(std[1])
        assert str(ours[1]) == str(std[1])
        assume(False)
    for attr in DIALECT_ATTRS:
        assert getattr(ours[1], attr) == getattr(std[1], attr), attr
    return kwargs


def text_from(chars: list[str], max_size: int = 60) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(chars), max_size=max_size).map("".join)


# (a) reading a list of lines ----------------------------------------------------------------


@SETTINGS
@given(kwargs=dialect_kwargs, text=text_from(DATA_CHARS, 80))
def test_read_lines_of_text(kwargs: dict[str, Any], text: str) -> None:
    kwargs = valid_dialect(kwargs)
    lines = text.splitlines(keepends=True)
    std = read_outcome(csv.reader(lines, **kwargs))
    ours = read_outcome(fcsv.reader(lines, **kwargs))
    assert_same_reads(std, ours)


@SETTINGS
@given(kwargs=dialect_kwargs, lines=st.lists(text_from(DATA_CHARS, 20), max_size=8))
def test_read_arbitrary_list_of_strings(kwargs: dict[str, Any], lines: list[str]) -> None:
    # Items that are not whole lines: line breaks in the middle, items without one, "" items.
    kwargs = valid_dialect(kwargs)
    std = read_outcome(csv.reader(lines, **kwargs))
    ours = read_outcome(fcsv.reader(lines, **kwargs))
    assert_same_reads(std, ours)


def test_nonnumeric_conversion_error_comes_first() -> None:
    # The stdlib converts ";" to float as the line break ends it, before seeing the ",".
    lines = [";\n,"]
    std = read_outcome(csv.reader(lines, quoting=csv.QUOTE_NONNUMERIC))
    ours = read_outcome(fcsv.reader(lines, quoting=csv.QUOTE_NONNUMERIC))
    assert type(std[0][1]) is ValueError
    assert type(ours[0][1]) is ValueError


@SETTINGS
@given(kwargs=dialect_kwargs, text=text_from(DATA_CHARS, 80))
def test_read_through_registered_dialect_and_class(kwargs: dict[str, Any], text: str) -> None:
    kwargs = valid_dialect(kwargs)
    lines = text.splitlines(keepends=True)
    csv.register_dialect("differential", **kwargs)
    fcsv.register_dialect("differential", **kwargs)
    try:
        std = read_outcome(csv.reader(lines, "differential"))
        ours = read_outcome(fcsv.reader(lines, "differential"))
    finally:
        csv.unregister_dialect("differential")
        fcsv.unregister_dialect("differential")
    assert_same_reads(std, ours)
    # A Dialect subclass with every attribute set, from the resolved dialect.
    attrs = {name: getattr(_csv.Dialect(**kwargs), name) for name in DIALECT_ATTRS}
    std_cls = type("D", (csv.Dialect,), attrs)
    ours_cls = type("D", (fcsv.Dialect,), attrs)
    std = read_outcome(csv.reader(lines, std_cls))
    ours = read_outcome(fcsv.reader(lines, ours_cls))
    assert_same_reads(std, ours)


# (b) reading a real text file --------------------------------------------------------------

NEWLINES = ["", None, "\n"]


def rest_after(module: Any, path: str, newline: str | None, kwargs: dict[str, Any], n: int) -> str:
    """What the file still holds after ``n`` rows were read and the reader dropped."""
    with open(path, encoding="utf-8", errors="surrogatepass", newline=newline) as f:
        r = module.reader(f, **kwargs)
        for _ in range(n):
            next(r)
        del r
        return f.read()


def read_file_both(
    path: str, newline: str | None, kwargs: dict[str, Any], *, generated: bool = True
) -> None:
    with open(path, encoding="utf-8", errors="surrogatepass", newline=newline) as f:
        std = read_outcome(csv.reader(f, **kwargs))
    with open(path, encoding="utf-8", errors="surrogatepass", newline=newline) as f:
        ours = read_outcome(fcsv.reader(f, **kwargs))
    assert_same_reads(std, ours, generated=generated)
    # A reader dropped midway leaves the file where line-by-line reading would have left it.
    n_rows = sum(1 for o in std if o[0] == "row")
    for n in sorted({0, min(1, n_rows), n_rows // 2, n_rows}):
        ours_rest = rest_after(fcsv, path, newline, kwargs, n)
        assert ours_rest == rest_after(csv, path, newline, kwargs, n), f"after {n} rows"


@SETTINGS
@given(kwargs=dialect_kwargs, text=text_from(DATA_CHARS, 80))
def test_read_text_file(kwargs: dict[str, Any], text: str) -> None:
    kwargs = valid_dialect(kwargs)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "data.csv")
        with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
            f.write(text)
        for newline in NEWLINES:
            read_file_both(path, newline, kwargs)


def block_edge_texts() -> list[Any]:
    """Texts whose interesting part straddles the fast path's read() blocks (2**18 chars)."""
    block = 1 << 18
    pieces = {
        "crlf": "x,y\r\nz,w\r\n",
        "cr": "x,y\rz,w\r",
        "lf": "x,y\nz,w\n",
        "quoted-crlf": 'x,"a\r\nb"\r\n',
        "quoted-cr": 'x,"a\rb"\r',
        "doubled-quote": 'x,"a""b"\r\n',
        "multibyte": "é€😀,ß\r\n",
        "nul": "\0,\0\r\n",
        "blank-lines": "\r\n\r\n\n\r\r\n",
    }
    cases = []
    for name, piece in pieces.items():
        for shift in (-3, -2, -1, 0, 1):
            filler_len = block + shift - 5
            # Filler lines of 10 characters, then a partial line to land exactly.
            filler = "123456789\n" * (filler_len // 10) + "a" * (filler_len % 10)
            cases.append(pytest.param(filler + piece + "end\r\n", id=f"{name}{shift:+d}"))
    return cases


@pytest.mark.parametrize("newline", NEWLINES, ids=repr)
@pytest.mark.parametrize("text", block_edge_texts())
def test_read_text_file_block_edges(tmp_path: Any, text: str, newline: str | None) -> None:
    path = tmp_path / "big.csv"
    path.write_text(text, encoding="utf-8", newline="")
    read_file_both(str(path), newline, {}, generated=False)


# (c) writing -------------------------------------------------------------------------------

values = st.one_of(
    text_from(DATA_CHARS, 12),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)
rows = st.lists(st.lists(values, max_size=6), max_size=5)


def write_outcome(module: Any, kwargs: dict[str, Any], rows: list[list[Any]], many: bool) -> Any:
    out = io.StringIO()
    w = module.writer(out, **kwargs)
    results: list[Any] = []
    try:
        if many:
            results.append(w.writerows(rows))
        else:
            for row in rows:
                results.append(w.writerow(row))  # noqa: PERF401 (keep results up to an error)
    except Exception as e:
        return out.getvalue(), results, e
    return out.getvalue(), results, None


@SETTINGS
@given(kwargs=dialect_kwargs, rows=rows, many=st.booleans())
def test_write_rows(kwargs: dict[str, Any], rows: list[list[Any]], many: bool) -> None:
    kwargs = valid_dialect(kwargs)
    std_text, std_results, std_exc = write_outcome(csv, kwargs, rows, many)
    ours_text, ours_results, ours_exc = write_outcome(fcsv, kwargs, rows, many)
    assert ours_text == std_text
    assert ours_results == std_results
    assert (std_exc is None) == (ours_exc is None), f"stdlib {std_exc!r}, ferrule {ours_exc!r}"
    if std_exc is not None:
        assert_same_exception(std_exc, ours_exc, None)


# (d) round trip ----------------------------------------------------------------------------

str_rows = st.lists(st.lists(text_from(DATA_CHARS, 12), max_size=6), max_size=5)


@SETTINGS
@given(kwargs=dialect_kwargs, rows=str_rows)
def test_round_trip(kwargs: dict[str, Any], rows: list[list[str]]) -> None:
    kwargs = valid_dialect(kwargs)
    std_text, _, std_exc = write_outcome(csv, kwargs, rows, True)
    ours_text, _, ours_exc = write_outcome(fcsv, kwargs, rows, True)
    assert ours_text == std_text
    assert (std_exc is None) == (ours_exc is None)
    assume(std_exc is None)
    std = read_outcome(csv.reader(io.StringIO(std_text, newline=""), **kwargs))
    ours = read_outcome(fcsv.reader(io.StringIO(ours_text, newline=""), **kwargs))
    assert_same_reads(std, ours)


@SETTINGS
@given(rows=str_rows)
def test_round_trip_default_dialect_is_lossless(rows: list[list[str]]) -> None:
    # With the excel dialect every row comes back as written (the stdlib agrees).
    out = io.StringIO()
    fcsv.writer(out).writerows(rows)
    back = list(fcsv.reader(io.StringIO(out.getvalue(), newline="")))
    assert back == rows
    assert back == list(csv.reader(io.StringIO(out.getvalue(), newline="")))


# Dialect construction errors ---------------------------------------------------------------


class Weird:
    def __str__(self) -> str:
        return ","


BAD_DIALECT_PARAMS: list[dict[str, Any]] = [
    {"delimiter": ""},
    {"delimiter": ",,"},
    {"delimiter": 1},
    {"delimiter": None},
    {"delimiter": b","},
    {"delimiter": Weird()},
    {"quotechar": ""},
    {"quotechar": "ab"},
    {"quotechar": 1},
    {"quotechar": None},
    {"quotechar": None, "quoting": csv.QUOTE_NONE},
    {"quotechar": None, "quoting": csv.QUOTE_ALL},
    {"escapechar": ""},
    {"escapechar": "ab"},
    {"escapechar": 1},
    {"escapechar": b"\\"},
    {"lineterminator": 1},
    {"lineterminator": None},
    {"lineterminator": b"\n"},
    {"quoting": 4},
    {"quoting": -1},
    {"quoting": "0"},
    {"quoting": 1.0},
    {"quoting": None},
    {"quoting": True},
    {"quoting": 2**70},
    {"doublequote": "no"},
    {"skipinitialspace": 0},
    {"strict": []},
    {"nonsense": 1},
    {"delimiter": "\n"},
    {"delimiter": "\r"},
    {"delimiter": " "},
    {"quotechar": "\n"},
    {"escapechar": "\r"},
    {"delimiter": ",", "quotechar": ","},
    {"delimiter": ",", "escapechar": ","},
    {"quotechar": '"', "escapechar": '"'},
    {"lineterminator": ""},
    {"delimiter": "\ud800"},
    {"delimiter": "😀"},
]


def bad_dialect_params() -> list[Any]:
    return [pytest.param(kwargs, id=repr(kwargs)) for kwargs in BAD_DIALECT_PARAMS]


@pytest.mark.parametrize("kwargs", bad_dialect_params())
@pytest.mark.parametrize("entry", ["Dialect", "reader", "writer", "register_dialect"])
def test_dialect_parameters(kwargs: dict[str, Any], entry: str) -> None:
    def make(module: Any) -> Any:
        if entry == "Dialect":
            return (_csv if module is csv else _native).Dialect(**kwargs)
        if entry == "reader":
            return module.reader([], **kwargs)
        if entry == "writer":
            return module.writer(io.StringIO(), **kwargs)
        try:
            return module.register_dialect("dialect-parameters", **kwargs)
        finally:
            if "dialect-parameters" in module.list_dialects():
                module.unregister_dialect("dialect-parameters")

    std = call(lambda: make(csv))
    ours = call(lambda: make(fcsv))
    assert std[0] == ours[0], f"stdlib {std[1]!r}, ferrule {ours[1]!r}"
    if std[0] == "raise":
        assert type(ours[1]) is type(std[1]), f"stdlib {std[1]!r}, ferrule {ours[1]!r}"
        assert str(ours[1]) == str(std[1])


@pytest.mark.parametrize("kwargs", bad_dialect_params())
def test_dialect_class_attributes(kwargs: dict[str, Any]) -> None:
    # The same values as class attributes of a Dialect subclass: instantiation validates them.
    kwargs = {k: v for k, v in kwargs.items() if k != "nonsense"}
    std = call(lambda: type("D", (csv.excel,), dict(kwargs))())
    ours = call(lambda: type("D", (fcsv.excel,), dict(kwargs))())
    assert std[0] == ours[0], f"stdlib {std[1]!r}, ferrule {ours[1]!r}"
    if std[0] == "raise":
        assert isinstance(ours[1], type(std[1]))
        assert str(ours[1]) == str(std[1])


def test_dialect_from_object_with_missing_attributes() -> None:
    class Partial:
        delimiter = ";"

    assert _native.Dialect(Partial).delimiter == _csv.Dialect(Partial).delimiter
    std = _csv.Dialect(Partial, quotechar="'")
    ours = _native.Dialect(Partial, quotechar="'")
    assert (ours.delimiter, ours.quotechar) == (std.delimiter, std.quotechar)


def iter_pairs(kwargs: dict[str, Any]) -> Iterable[tuple[str, Any, Any]]:
    std = _csv.Dialect(**kwargs)
    ours = _native.Dialect(**kwargs)
    for name in ("delimiter", "quotechar", "escapechar", "lineterminator", "quoting"):
        yield name, getattr(std, name), getattr(ours, name)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"quoting": csv.QUOTE_NONE, "quotechar": None}, {"escapechar": None}, {"strict": 1}],
    ids=repr,
)
def test_dialect_attribute_values(kwargs: dict[str, Any]) -> None:
    for name, std, ours in iter_pairs(kwargs):
        assert ours == std, name
