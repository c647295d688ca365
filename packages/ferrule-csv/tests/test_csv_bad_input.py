"""Bad and hostile input: ferrule.csv ends with the stdlib's answer or its exception.

Never a crash or a hang: every test has a timeout. Reader parse errors are the stdlib's message
followed by `` (line N)``, with ``line_num`` as an attribute.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import ferrule.csv as fcsv

pytestmark = pytest.mark.timeout(60)


def outcome(fn: Callable[[Any], Any], module: Any) -> tuple[Any, ...]:
    try:
        return ("ok", fn(module))
    except Exception as e:
        return ("raise", type(e), str(e), getattr(e, "line_num", None))


def assert_same(fn: Callable[[Any], Any], *, reader_error: bool = False) -> Any:
    """Runs ``fn`` with each module; the results or the errors must match."""
    std = outcome(fn, csv)
    ours = outcome(fn, fcsv)
    assert std[0] == ours[0], f"stdlib {std}, ferrule {ours}"
    if std[0] == "ok":
        # repr: NaN fields are equal only that way.
        assert ours[1] == std[1] or repr(ours[1]) == repr(std[1])
        return ours[1]
    if issubclass(std[1], csv.Error):
        assert issubclass(ours[1], fcsv.Error), f"stdlib {std}, ferrule {ours}"
        if reader_error:
            assert ours[2] == f"{std[2]} (line {ours[3]})"
        else:
            assert ours[2] == std[2]
    else:
        assert ours[1] is std[1], f"stdlib {std}, ferrule {ours}"
        assert ours[2] == std[2]
    return None


def read_all(lines: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """A reader run to its end: rows with line_num, and line_num on an error."""

    def run(m: Any) -> Any:
        r = m.reader(lines() if callable(lines) else lines, **kwargs)
        out: list[Any] = []
        try:
            for row in r:
                out.append((row, r.line_num))  # noqa: PERF401 (keep rows up to an error)
        except m.Error as e:
            # Parse errors carry the line; errors about the input itself do not.
            if m is fcsv and hasattr(e, "line_num"):
                assert e.line_num == r.line_num  # noqa: PT017 (then re-raised)
            out.append(("error", r.line_num))
            raise
        return out

    return run


# --- parse errors and odd but valid input -------------------------------------------------

READ_CASES = [
    ("unterminated-quote", ['a,"bc\r\n', "de"], {}),
    ("unterminated-quote-strict", ['a,"bc\r\n', "de"], {"strict": True}),
    ("unterminated-quote-at-eof-only", ['"'], {}),
    ("unterminated-quote-at-eof-only-strict", ['"'], {"strict": True}),
    ("unterminated-quote-blank-lines", ['"\r\n', "\r\n", "\n"], {"strict": True}),
    ("escape-at-eof", ["a\\"], {"escapechar": "\\"}),
    ("escape-at-eof-strict", ["a\\"], {"escapechar": "\\", "strict": True}),
    ("escape-in-quotes-at-eof", ['"a\\'], {"escapechar": "\\", "strict": True}),
    ("quote-after-quoted-strict", ['"a"b,c\r\n'], {"strict": True}),
    ("quote-after-quoted", ['"a"b,c\r\n'], {}),
    ("nul-bytes", ["a\0b,\0\r\n", '"\0"\r\n', "\0\0\0"], {}),
    ("nul-delimiter", ["a\0b\0\r\n"], {"delimiter": "\0"}),
    ("nul-quotechar", ["\0a,b\0,c\r\n"], {"quotechar": "\0"}),
    ("newline-in-unquoted-field", ["a\rb,c\r\n"], {}),
    ("newline-in-middle-of-item", ["a,b\nc,d\n"], {}),
    ("mixed-line-endings", ["a\r", "b\n", "c\r\n", "d\n", "\r", "e"], {}),
    ("cr-only", ["a,b\r", "c,d\r", '"e\r', 'f"\r'], {}),
    ("only-delimiters", [",,,,\r\n", ",\r\n", ","], {}),
    ("only-delimiters-tab", ["\t\t\t\n"], {"delimiter": "\t"}),
    ("only-quotes", ['""""""\r\n', '"""\r\n'], {}),
    ("only-blank-lines", ["\r\n", "\n", "\r", ""], {}),
    ("empty-input", [], {}),
    ("empty-strings", ["", "", ""], {}),
    ("nonnumeric-bad-float", ["1,abc\r\n"], {"quoting": csv.QUOTE_NONNUMERIC}),
    ("nonnumeric-nan-inf", ["nan,inf,-inf,1_0,  2 \r\n"], {"quoting": csv.QUOTE_NONNUMERIC}),
    ("quote-none-stray-quotes", ['a"b,"c\r\n'], {"quoting": csv.QUOTE_NONE}),
    ("skipinitialspace-only-spaces", ["   ,  ,\r\n"], {"skipinitialspace": True}),
    ("unicode-line-separators", ["a\x85b,c\u2028d\x0c\x1c\r\n"], {}),
]


@pytest.mark.parametrize(
    ("lines", "kwargs"), [pytest.param(lines, kw, id=name) for name, lines, kw in READ_CASES]
)
def test_read(lines: list[str], kwargs: dict[str, Any]) -> None:
    assert_same(read_all(lines, **kwargs), reader_error=True)


@pytest.mark.parametrize(
    ("lines", "kwargs"),
    [
        (['a,"bc\r\n', "de"], {"strict": True}),
        (["ok\r\n", '"a"b\r\n'], {"strict": True}),
        (["ok\r\n", "ok\r\n", "a\rb\r\n"], {}),
    ],
)
def test_parse_errors_carry_line_num(lines: list[str], kwargs: dict[str, Any]) -> None:
    r = fcsv.reader(lines, **kwargs)
    with pytest.raises(fcsv.Error) as e:
        list(r)
    assert e.value.line_num == r.line_num == len(lines)  # type: ignore[attr-defined]
    assert str(e.value).endswith(f" (line {r.line_num})")


@pytest.mark.parametrize(
    ("lines", "kwargs"), [pytest.param(lines, kw, id=name) for name, lines, kw in READ_CASES]
)
def test_read_file(tmp_path: Path, lines: list[str], kwargs: dict[str, Any]) -> None:
    # The same through a real file (ferrule's block-reading path).
    path = tmp_path / "data.csv"
    path.write_text("".join(lines), encoding="utf-8", newline="")

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            return read_all(f, **kwargs)(m)

    assert_same(run, reader_error=True)


# --- field_size_limit ---------------------------------------------------------------------


@pytest.fixture
def restore_limits() -> Iterator[None]:
    saved = csv.field_size_limit(), fcsv.field_size_limit()
    yield
    csv.field_size_limit(saved[0])
    fcsv.field_size_limit(saved[1])


@pytest.mark.usefixtures("restore_limits")
@pytest.mark.parametrize(
    "lines",
    [
        ["a" * 10 + "\n", "b" * 11 + "\n"],
        ['"' + "a" * 11 + '"\n'],
        ['"' + "a" * 5 + "\n", "a" * 5 + '"\n'],
        ["x," + "a" * 11],
        ["x,'" + "a" * 11],
    ],
    ids=["unquoted", "quoted", "across-lines", "at-eof", "at-eof-quote"],
)
def test_field_over_limit(lines: list[str]) -> None:
    def run(m: Any) -> Any:
        m.field_size_limit(10)
        return read_all(lines)(m)

    assert_same(run, reader_error=True)


@pytest.mark.usefixtures("restore_limits")
def test_limit_changed_mid_iteration() -> None:
    def run(m: Any) -> Any:
        r = m.reader(["a" * 20 + "\n", "b" * 20 + "\n", "c\n"])
        out = [next(r)]
        m.field_size_limit(10)
        try:
            out.append(next(r))
        except m.Error as e:
            out.append(("error", r.line_num, e.line_num if m is fcsv else r.line_num))
        m.field_size_limit(100)
        out.append(next(r))
        return out

    assert assert_same(run) == [["a" * 20], ("error", 2, 2), ["c"]]


@pytest.mark.usefixtures("restore_limits")
def test_limit_raised_mid_iteration() -> None:
    def run(m: Any) -> Any:
        m.field_size_limit(5)
        r = m.reader(["a\n", "b" * 20 + "\n"])
        out = [next(r)]
        m.field_size_limit(50)
        out.append(next(r))
        return out

    assert_same(run)


@pytest.mark.usefixtures("restore_limits")
def test_100_mb_field_with_raised_limit(tmp_path: Path) -> None:
    # The stdlib holds such a field in a 4-byte-per-character buffer (400 MB): it reads the
    # same layout at 2 MB, and ferrule alone the 100 MB one, compared by length.
    def write(path: Path, size: int) -> None:
        chunk = "x" * (1 << 20)
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write('a,"')
            for _ in range(size >> 20):
                f.write(chunk)
            f.write('",b\r\nc\r\n')

    def lengths(m: Any, path: Path) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            r = m.reader(f)
            first = [len(field) for field in next(r)]
            return first, r.line_num, next(r), r.line_num, next(r, None)

    small = tmp_path / "small.csv"
    write(small, 2 << 20)
    csv.field_size_limit(3 << 20)
    fcsv.field_size_limit(3 << 20)
    assert lengths(fcsv, small) == lengths(csv, small)

    big = tmp_path / "big.csv"
    size = 100 << 20
    write(big, size)
    fcsv.field_size_limit(size)
    assert lengths(fcsv, big) == ([1, size, 1], 1, ["c"], 2, None)
    fcsv.field_size_limit(size - 1)
    with big.open(encoding="utf-8", newline="") as f:
        r = fcsv.reader(f)  # kept alive: test_reader_dropped_during_exception
        with pytest.raises(fcsv.Error) as e:
            next(r)
    assert str(e.value) == f"field larger than field limit ({size - 1}) (line 1)"


# --- the wrong kind of input --------------------------------------------------------------


class Weird:
    def __str__(self) -> str:
        return "a,b\n"


NOT_STRINGS = [
    ("bytes", [b"a,b\r\n"]),
    ("bytearray", [bytearray(b"a,b\r\n")]),
    ("int-after-a-line", ["a\r\n", 1]),
    ("none", [None]),
    ("str-subclass-like", [Weird()]),
    ("list", [["a", "b"]]),
]


@pytest.mark.parametrize("lines", [pytest.param(v, id=k) for k, v in NOT_STRINGS])
def test_non_string_items(lines: list[Any]) -> None:
    assert_same(read_all(lines))


def test_str_subclass_items() -> None:
    class S(str):
        pass

    assert_same(read_all([S("a,b\r\n"), S('"c\r\n'), S('d"\r\n')]))


@pytest.mark.parametrize("make", [lambda: io.BytesIO(b"a,b\r\nc,d\r\n"), lambda: iter([b"x"])])
def test_binary_file(make: Callable[[], Any]) -> None:
    assert_same(read_all(make))


def test_binary_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\r\nc,d\r\n")

    def run(m: Any) -> Any:
        with path.open("rb") as f:
            return read_all(f)(m)

    assert_same(run)


@pytest.mark.parametrize("lines", [1, None, object(), "a,b\r\nc"], ids=repr)
def test_input_not_iterable_or_a_string(lines: Any) -> None:
    # A plain string is iterable: one character per line, as the stdlib does.
    assert_same(read_all(lines), reader_error=True)


def test_iterator_raises() -> None:
    def lines() -> Iterator[str]:
        yield "a,b\r\n"
        yield '"c\r\n'
        raise KeyError("gone")

    assert_same(read_all(lines))


def test_closed_file(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a\r\n")

    def run(m: Any) -> Any:
        f = path.open(newline="")
        f.close()
        return m.reader(f)

    assert_same(run)


# --- encodings ----------------------------------------------------------------------------


def wrapped(data: bytes, **kwargs: Any) -> Callable[[], io.TextIOWrapper]:
    return lambda: io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="", **kwargs)


@pytest.mark.parametrize(
    "data",
    [b"\xff,b\r\n", b"a,b\r\n\xc3", b"a,b\r\nc,\xe2\x82\r\n", b'"a\r\n\xed\xa0\x80"\r\n'],
    ids=["first-byte", "truncated-at-eof", "truncated-mid-line", "encoded-surrogate"],
)
def test_invalid_utf8_in_binary_file(data: bytes) -> None:
    assert_same(read_all(wrapped(data)))


def test_invalid_utf8_replaced() -> None:
    assert_same(read_all(wrapped(b"a,\xff\r\n\xfe\r\n", errors="replace")))


def test_invalid_utf8_surrogateescape() -> None:
    # errors="surrogateescape" puts lone surrogates in the lines.
    assert_same(read_all(wrapped(b"a,\xff\r\n", errors="surrogateescape")))


def test_invalid_utf8_late_in_file(tmp_path: Path) -> None:
    # The stdlib yields every row of the chunks that decoded before the error.
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\r\n" * 30000 + b"\xff,x\r\n")

    def run(m: Any) -> Any:
        rows = 0
        with path.open(encoding="utf-8", newline="") as f:
            try:
                for _ in m.reader(f):
                    rows += 1
            except UnicodeDecodeError:
                return ("UnicodeDecodeError", rows)
        return rows

    std = assert_same(run)
    assert std[0] == "UnicodeDecodeError"


def late_bad_byte_run(path: Path, tail: int) -> Callable[[Any], Any]:
    """Rows, ``line_num`` and the file's next line when ``UnicodeDecodeError`` stops a reader."""

    def run(m: Any) -> Any:
        rows = []
        with path.open(encoding="utf-8", newline="") as f:
            r = m.reader(f)
            try:
                for row in r:
                    rows.append(row)  # noqa: PERF402 (keep rows up to the error)
            except UnicodeDecodeError as e:
                return ("UnicodeDecodeError", len(rows), rows[-tail:], r.line_num, e.start)
        return ("ok", len(rows))

    return run


@pytest.mark.parametrize(
    "lines", [60_000, 70_000, 100_003], ids=["second-block", "mid-chunk", "third-block"]
)
def test_rows_before_late_invalid_utf8_are_yielded(tmp_path: Path, lines: int) -> None:
    # The bad byte lies past the text-file fast path's first 256K-character read: the rows
    # the fast path returned, and those the stdlib's own 8K reads reach, come first.
    path = tmp_path / "bad.csv"
    path.write_bytes(b"".join(b"%d,\xc3\xa9\r\n" % i for i in range(lines)) + b"x,\xff\r\n")
    std = assert_same(late_bad_byte_run(path, 3))
    assert std[0] == "UnicodeDecodeError"
    assert std[1] > 0


# --- lone surrogates ----------------------------------------------------------------------

SURROGATE_LINES = [
    ("unquoted", ["a\ud800,b\r\n"]),
    ("quoted", ['"\udcff,x"\r\n']),
    ("pair-halves-in-two-fields", ["\ud83d,\ude00\r\n"]),
    ("alone", ["\udfff"]),
]


@pytest.mark.parametrize("lines", [pytest.param(v, id=k) for k, v in SURROGATE_LINES])
def test_lone_surrogates_read(lines: list[str]) -> None:
    assert_same(read_all(lines))
    assert list(fcsv.reader(lines)) == list(csv.reader(lines))


@pytest.mark.parametrize("row", [["\ud800", 1], ["a,\udcff"], ["\udfff" * 3, "x"]], ids=repr)
def test_lone_surrogates_write(row: list[Any]) -> None:
    def run(m: Any) -> Any:
        out = io.StringIO()
        return m.writer(out).writerow(row), out.getvalue()

    assert_same(run)


def test_lone_surrogates_surrogateescape_file_round_trip(tmp_path: Path) -> None:
    # Regression: surrogateescape files (the fast path, whose read() cannot hand lone
    # surrogates over as UTF-8) and surrogates in the writer's fields and dialect-free
    # QUOTE_NONNUMERIC and escape paths.
    path = tmp_path / "escape.csv"
    path.write_bytes(b"a,\xff\r\n" * 50_000 + b'"q\xfe,",\\\xfd\r\n')

    def run(m: Any, **kwargs: Any) -> Any:
        with path.open(encoding="utf-8", errors="surrogateescape", newline="") as f:
            r = m.reader(f, **kwargs)
            rows = list(r)
            out = io.StringIO()
            m.writer(out, **kwargs).writerows(rows)
            return rows[-2:], len(rows), r.line_num, out.getvalue()[-40:]

    for kwargs in [{}, {"escapechar": "\\"}, {"quoting": csv.QUOTE_ALL}]:
        assert_same(lambda m, kw=kwargs: run(m, **kw))


# Lone surrogates as dialect characters: the stdlib accepts any code point. The data mixes
# the dialect's surrogate, other surrogates and the private-use code points the binding swaps
# surrogates with (U+10F800 and up, and U+10E800 when the dialect uses U+10F800).
SURROGATE_DIALECTS = [
    {"delimiter": "\ud800"},
    {"quotechar": "\udfff"},
    {"delimiter": "\udc00", "quotechar": "\ud800", "escapechar": "\udbff"},
    {"delimiter": "\ud800", "quotechar": "\U0010f800", "strict": True},
    {"escapechar": "\ud800", "quoting": csv.QUOTE_NONE},
    {"delimiter": "\ud800", "quoting": csv.QUOTE_NONNUMERIC},
    {"lineterminator": "\udcff\n"},
    {"delimiter": "\ud800", "skipinitialspace": True, "doublequote": False, "escapechar": "\\"},
]
SURROGATE_DIALECT_TEXT = [
    "a\ud800b\ud800\r\n",
    '"x\ud800y"\ud800z\r\n',
    "\udfffq\udfff\udfff,\udc00\U0010f800\U0010ffff\n",
    "\udbff\ud800\ud800\udbff\udc00\r\n",
    "\U0010e800,\U0010f801\ud801\udc01\r\n",
    "1.5\ud8002\r\n",
    "\ud800 a\ud800\\\ud800\r\n",
    '"open\ud800\nmore"\r\n',
    '"bad"x\ud800\r\n',
    '"unterminated\ud800\r\n',
]


@pytest.mark.parametrize("kwargs", SURROGATE_DIALECTS, ids=repr)
def test_surrogate_dialect_attributes(kwargs: dict[str, Any]) -> None:
    std = csv.reader([], **kwargs).dialect
    ours = fcsv.reader([], **kwargs).dialect
    for name in ("delimiter", "quotechar", "escapechar", "lineterminator", "quoting"):
        assert getattr(ours, name) == getattr(std, name), name
    fcsv.register_dialect("surrogates", **kwargs)
    try:
        got = fcsv.get_dialect("surrogates")
        assert (got.delimiter, got.quotechar) == (std.delimiter, std.quotechar)
    finally:
        fcsv.unregister_dialect("surrogates")


@pytest.mark.parametrize("kwargs", SURROGATE_DIALECTS, ids=repr)
@pytest.mark.parametrize("text", SURROGATE_DIALECT_TEXT, ids=ascii)
def test_surrogate_dialect_read(kwargs: dict[str, Any], text: str) -> None:
    lines = io.StringIO(text, newline="").readlines()
    assert_same(read_all(lines, **kwargs), reader_error=True)


@pytest.mark.parametrize("kwargs", SURROGATE_DIALECTS, ids=repr)
def test_surrogate_dialect_file(kwargs: dict[str, Any], tmp_path: Path) -> None:
    # A real text file takes the line-by-line path with such a dialect, and ends where the
    # stdlib's reader leaves it.
    path = tmp_path / "s.csv"
    path.write_bytes("".join(SURROGATE_DIALECT_TEXT[:6]).encode("utf-8", "surrogatepass"))

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", errors="surrogatepass", newline="") as f:
            r = m.reader(f, **kwargs)
            first = next(r)
            del r
            return first, f.readline(), list(m.reader(f, **kwargs))

    assert_same(run)


@pytest.mark.parametrize("kwargs", SURROGATE_DIALECTS, ids=repr)
def test_surrogate_dialect_write(kwargs: dict[str, Any]) -> None:
    rows: list[list[Any]] = [
        ["a\ud800b", "\udfff", "\udc00\U0010f800", "\udbff", None, 1, 2.5],
        ["\U0010e800 \U0010ffff", "", "\\", '"', "x,y\ny"],
        [],
    ]

    def run(m: Any) -> Any:
        results = []
        for row in [*rows, *([r] for r in rows[0])]:
            out = io.StringIO()
            try:
                results.append((m.writer(out, **kwargs).writerow(row), out.getvalue()))
            except csv.Error as e:
                results.append(("error", str(e)))
        out = io.StringIO()
        m.DictWriter(out, ["a", "b"], **kwargs).writerows(
            [{"a": "\ud800", "b": "\U0010f800"}, {"a": "x\udfffy"}]
        )
        return results, out.getvalue()

    assert_same(run)


def test_surrogate_dialect_round_trip_dictreader() -> None:
    kwargs = {"delimiter": "\ud800", "quotechar": "\udc01"}
    rows = [{"k\ud800": "v\ud800\n\udc01", "\U0010f800": "w"}] * 3

    def run(m: Any) -> Any:
        out = io.StringIO()
        w = m.DictWriter(out, list(rows[0]), **kwargs)
        w.writeheader()
        w.writerows(rows)
        text = out.getvalue()
        return text, list(m.DictReader(io.StringIO(text, newline=""), **kwargs))

    assert_same(run)


# --- writer errors ------------------------------------------------------------------------


class StrRaises:
    def __str__(self) -> str:
        raise ZeroDivisionError("no str")


class ReprOnly:
    def __repr__(self) -> str:
        return 'r,e"pr'


class FloatSubclass(float):
    def __repr__(self) -> str:
        return "float-repr"


class IntSubclass(int):
    def __str__(self) -> str:
        return "int-str"


class FailingIter:
    def __iter__(self) -> Iterator[Any]:
        yield "a"
        raise KeyError("row iteration")


WRITE_ROWS: list[tuple[str, Callable[[], list[Any]]]] = [
    ("str-raises", lambda: [["a", StrRaises()]]),
    ("str-raises-second-row", lambda: [["a"], ["b", StrRaises()]]),
    ("repr-only", lambda: [[ReprOnly()]]),
    ("float-subclass", lambda: [[FloatSubclass(1.5)]]),
    ("int-subclass", lambda: [[IntSubclass(2)]]),
    ("row-int", lambda: [1]),
    ("row-none", lambda: [None]),
    ("row-str", lambda: ["abc"]),
    ("row-dict", lambda: [{"k": 1, "v": 2}]),
    ("row-generator", lambda: [(x for x in ["a", 1])]),
    ("row-iter-raises", lambda: [["ok"], FailingIter()]),
    ("empty-row", lambda: [[]]),
    ("single-empty-field", lambda: [[""]]),
    ("single-none", lambda: [[None]]),
    ("bytes-field", lambda: [[b"a,b"]]),
    ("complex-field", lambda: [[1j]]),
    ("nested-list-field", lambda: [[["a", "b"]]]),
    ("quote-and-escape-chars", lambda: [['a"b\\c', "\r\n", " lead"]]),
]


@pytest.mark.parametrize("make_rows", [pytest.param(v, id=k) for k, v in WRITE_ROWS])
@pytest.mark.parametrize("quoting", [0, 1, 2, 3])
@pytest.mark.parametrize("many", [False, True], ids=["writerow", "writerows"])
def test_write(make_rows: Callable[[], list[Any]], quoting: int, many: bool) -> None:
    def run(m: Any) -> Any:
        rows = make_rows()  # fresh: generators are used up by the first module
        out = io.StringIO()
        w = m.writer(out, quoting=quoting, escapechar="\\")
        results: list[Any] = []
        try:
            if many:
                results.append(w.writerows(rows))
            else:
                for row in rows:
                    results.append(w.writerow(row))  # noqa: PERF401 (keep results up to an error)
        except Exception as e:
            kind = "csv.Error" if isinstance(e, csv.Error) else type(e).__name__
            return "raise", kind, str(e), out.getvalue(), results
        return out.getvalue(), results

    assert_same(run)


@pytest.mark.parametrize("many", [False, True], ids=["writerow", "writerows"])
def test_write_raises(many: bool) -> None:
    class Full:
        def write(self, s: str) -> None:
            raise OSError(28, "No space left on device")

    def run(m: Any) -> Any:
        w = m.writer(Full())
        return w.writerows([["a"]]) if many else w.writerow(["a"])

    assert_same(run)


def test_write_is_not_callable() -> None:
    class NoWrite:
        write = 1

    assert_same(lambda m: m.writer(NoWrite()))
    assert_same(lambda m: m.writer(object()))


def test_write_returns_anything() -> None:
    class Odd:
        def write(self, s: str) -> object:
            return {"wrote": s}

    assert_same(lambda m: m.writer(Odd()).writerow(["a", "b"]))


def test_rows_not_iterable() -> None:
    assert_same(lambda m: m.writer(io.StringIO()).writerows(1))
    assert_same(lambda m: m.writer(io.StringIO()).writerows(None))


def test_quote_none_needs_escape() -> None:
    def run(m: Any) -> Any:
        out = io.StringIO()
        m.writer(out, quoting=csv.QUOTE_NONE).writerows([["a"], ["b,c"]])
        return out.getvalue()

    assert_same(run)


# --- concurrency --------------------------------------------------------------------------


def test_reader_from_two_threads() -> None:
    # Either a RuntimeError for the thread that finds the reader busy, or correct rows: every
    # row read exactly once, in order within each thread.
    lines = [f"{i},x\r\n" for i in range(20000)]
    r = fcsv.reader(iter(lines))
    got: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for row in r:
                got[k].append(int(row[0]))
        except RuntimeError as e:
            errors.append(e)
        except Exception as e:
            errors.append(e)
            raise

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(e, RuntimeError) for e in errors), errors
    for part in got:
        assert part == sorted(part)
    if not errors:
        assert sorted(got[0] + got[1]) == list(range(20000))


def test_pipe_is_not_seekable() -> None:
    # A text file that cannot seek (a pipe) is read line by line.
    rfd, wfd = os.pipe()
    with open(wfd, "w", encoding="utf-8", newline="") as w:
        w.write('a,b\r\n"c\r\nd",e\r\n')
    with open(rfd, encoding="utf-8", newline="") as f:
        r = fcsv.reader(f)
        assert list(r) == [["a", "b"], ["c\r\nd", "e"]]
        assert r.line_num == 3


# --- a reader dropped while an exception propagates ---------------------------------------
# Run in a subprocess: the failure mode is a crash of the interpreter.

DROP_CASES = [
    ("for-loop-body-raises", "", "for row in csv.reader(f):\n    raise KeyError('user')"),
    ("for-loop-strict-error", "", "for row in csv.reader(f, strict=True):\n    pass"),
    (
        "for-loop-nonnumeric-error",
        "",
        "for row in csv.reader(f, quoting=csv.QUOTE_NONNUMERIC):\n    pass",
    ),
    ("next-of-temporary-reader", "", "next(csv.reader(f, strict=True))"),
    ("field-limit", "csv.field_size_limit(1)", "for row in csv.reader(f):\n    pass"),
    ("dict-reader-body-raises", "", "for row in csv.DictReader(f):\n    raise KeyError('user')"),
]


def drop_script(module: str, setup: str, body: str, path: Path) -> str:
    lines = [
        f"import {module} as csv",
        setup,
        "def run():",
        f"    with open({str(path)!r}, encoding='utf-8', newline='') as f:",
        textwrap.indent(body, " " * 8),
        "try:",
        "    run()",
        "except Exception as e:",
        "    print(type(e).__name__, str(e).split(' (line ')[0])",
        "print('survived')",
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("setup", "body"), [pytest.param(s, b, id=k) for k, s, b in DROP_CASES])
def test_reader_dropped_during_exception(tmp_path: Path, setup: str, body: str) -> None:
    # Lines left in the reader's block: dropping it puts the file back where it would be.
    path = tmp_path / "data.csv"
    path.write_text('a,"b"c\r\n2,3\r\n4,5\r\n', encoding="utf-8", newline="")
    results = []
    for module in ("csv", "ferrule.csv"):
        proc = subprocess.run(
            [sys.executable, "-c", drop_script(module, setup, body, path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        results.append((proc.returncode, proc.stdout, proc.stderr))
    assert results[0][0] == 0, results[0]
    assert results[1] == results[0]
