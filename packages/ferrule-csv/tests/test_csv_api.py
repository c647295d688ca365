"""The public API of ferrule.csv, name by name, against the standard csv module."""

from __future__ import annotations

import _csv
import csv
import inspect
import io
import pickle
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import ferrule.csv as fcsv
from ferrule.csv import _native

pytestmark = pytest.mark.timeout(60)


def outcome(fn: Callable[[Any], Any], module: Any) -> tuple[Any, ...]:
    try:
        return ("ok", fn(module))
    except Exception as e:
        kind = "csv.Error" if isinstance(e, csv.Error) else type(e).__name__
        return ("raise", kind, str(e))


def assert_same(fn: Callable[[Any], Any], *, message: bool = True) -> Any:
    std = outcome(fn, csv)
    ours = outcome(fn, fcsv)
    if not message:
        # Argument-count errors: CPython words them per calling convention.
        std, ours = std[:2], ours[:2]
    assert ours == std
    if std[0] == "raise" and std[1] == "csv.Error":
        with pytest.raises(fcsv.Error):
            fn(fcsv)
    return ours[1] if ours[0] == "ok" else None


def dialect_tuple(d: Any) -> tuple[Any, ...]:
    return (
        d.delimiter,
        d.quotechar,
        d.escapechar,
        d.doublequote,
        d.skipinitialspace,
        d.lineterminator,
        d.quoting,
        # The stdlib's Dialect classes lack `strict`: see test_dialect_strict_attribute.
        getattr(d, "strict", None) or False,
    )


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", csv.__all__)
def test_name_exists(name: str) -> None:
    assert hasattr(fcsv, name)
    assert name in fcsv.__all__


def signature_or_none(obj: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


@pytest.mark.parametrize(
    "name", [n for n in csv.__all__ if signature_or_none(getattr(csv, n)) is not None]
)
def test_signature_compatible(name: str) -> None:
    std = signature_or_none(getattr(csv, name))
    ours = signature_or_none(getattr(fcsv, name))
    assert std is not None
    assert ours is not None
    # Names, kinds and defaults; annotations are ferrule's own.
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == [
        (p.name, p.kind, p.default) for p in std.parameters.values()
    ]


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("reader", ([],), {"delimiter": ";"}),
        ("reader", ([], "excel"), {}),
        ("reader", (), {"csvfile": []}),
        ("reader", ([], "excel", "extra"), {}),
        ("reader", ([],), {"dialect": "excel"}),
        ("writer", (io.StringIO(),), {"quoting": 1}),
        ("writer", (), {}),
        ("field_size_limit", (), {"new_limit": 1000}),
        ("field_size_limit", (), {"limit": 1000}),
        ("register_dialect", (), {"name": "x"}),
        ("get_dialect", (), {"name": "excel"}),
        ("unregister_dialect", (), {"name": "nope"}),
        ("list_dialects", (1,), {}),
    ],
)
def test_call_conventions(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    # Positional-only and keyword arguments behave as in the stdlib (results or error types).
    saved = csv.field_size_limit(), fcsv.field_size_limit()
    try:
        assert_same(lambda m: getattr(m, name)(*args, **kwargs) and None, message=False)
    finally:
        csv.field_size_limit(saved[0])
        fcsv.field_size_limit(saved[1])


def test_error_and_constants() -> None:
    assert issubclass(fcsv.Error, csv.Error)
    assert issubclass(fcsv.Error, Exception)
    for name in ("QUOTE_MINIMAL", "QUOTE_ALL", "QUOTE_NONNUMERIC", "QUOTE_NONE"):
        assert getattr(fcsv, name) == getattr(csv, name)
        assert type(getattr(fcsv, name)) is int
    assert isinstance(fcsv.__version__, str)
    assert fcsv.__doc__


@pytest.mark.parametrize("name", ["excel", "excel_tab", "unix_dialect"])
def test_builtin_dialect_classes(name: str) -> None:
    std, ours = getattr(csv, name), getattr(fcsv, name)
    assert dialect_tuple(ours) == dialect_tuple(std)
    assert dialect_tuple(ours()) == dialect_tuple(std())
    assert issubclass(ours, fcsv.Dialect)


@pytest.mark.parametrize("name", ["excel", "excel-tab", "unix"])
def test_builtin_registered_dialects(name: str) -> None:
    assert dialect_tuple(fcsv.get_dialect(name)) == dialect_tuple(csv.get_dialect(name))


@pytest.mark.parametrize("name", ["Dialect", "excel", "excel_tab", "unix_dialect"])
def test_dialect_strict_attribute(name: str) -> None:
    assert hasattr(getattr(fcsv, name), "strict") == hasattr(getattr(csv, name), "strict")


def test_dialect_base_class_is_invalid() -> None:
    assert_same(lambda m: m.Dialect())
    assert_same(lambda m: m.reader([], m.Dialect))


# --- registry -----------------------------------------------------------------------------


@pytest.fixture
def registry() -> Iterator[None]:
    before = set(csv.list_dialects()), set(fcsv.list_dialects())
    yield
    for module, names in ((csv, before[0]), (fcsv, before[1])):
        for name in set(module.list_dialects()) - names:
            module.unregister_dialect(name)


def semi_class(m: Any) -> Any:
    class Semi(m.excel):
        delimiter = ";"

    return Semi


REGISTER_CASES: list[tuple[str, Callable[[Any], tuple[Any, ...]]]] = [
    ("kwargs", lambda m: ((), {"delimiter": "|", "quoting": m.QUOTE_ALL})),
    ("class", lambda m: ((semi_class(m),), {})),
    ("instance", lambda m: ((semi_class(m)(),), {})),
    ("name", lambda m: (("excel-tab",), {})),
    ("name-and-kwargs", lambda m: (("unix",), {"quoting": m.QUOTE_MINIMAL})),
    ("dialect-object", lambda m: ((m.get_dialect("excel"),), {"escapechar": "\\"})),
    ("class-and-kwargs", lambda m: ((semi_class(m),), {"delimiter": "\t"})),
    ("unknown-name", lambda m: (("nope",), {})),
    ("bad-kwarg", lambda m: ((), {"delimiter": ""})),
    ("unknown-kwarg", lambda m: ((), {"delim": ","})),
    ("two-dialects", lambda m: (("excel", "unix"), {})),
    ("non-dialect-object", lambda m: ((object(),), {})),
]


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("make", [pytest.param(f, id=k) for k, f in REGISTER_CASES])
def test_register_dialect(make: Callable[[Any], tuple[Any, ...]]) -> None:
    message = make is not REGISTER_CASES[-2][1]  # too many arguments: worded differently

    def run(m: Any) -> Any:
        args, kwargs = make(m)
        m.register_dialect("api-test", *args, **kwargs)
        d = m.get_dialect("api-test")
        out = io.StringIO()
        m.writer(out, "api-test").writerow(["a b", "c;d", 'e"f', 1])
        rows = list(m.reader(io.StringIO(out.getvalue(), newline=""), "api-test"))
        return dialect_tuple(d), "api-test" in m.list_dialects(), out.getvalue(), rows

    assert_same(run, message=message)


@pytest.mark.usefixtures("registry")
def test_registry_lifecycle() -> None:
    def run(m: Any) -> Any:
        m.register_dialect("api-life", delimiter=";")
        m.register_dialect("api-life", delimiter="|")  # replaces
        first = m.get_dialect("api-life").delimiter
        m.unregister_dialect("api-life")
        gone = "api-life" not in m.list_dialects()
        try:
            m.get_dialect("api-life")
        except m.Error as e:
            return first, gone, str(e)
        return first, gone, None

    assert assert_same(run) == ("|", True, "unknown dialect")


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.register_dialect(1),
        lambda m: m.register_dialect(None, delimiter=";"),
        lambda m: m.get_dialect(1),
        lambda m: m.get_dialect("nope"),
        lambda m: m.unregister_dialect("nope"),
        lambda m: m.unregister_dialect(1),
        lambda m: m.reader([], "nope"),
        lambda m: m.writer(io.StringIO(), "nope"),
        lambda m: m.reader([], 1),
        lambda m: m.reader([], None),
    ],
)
def test_registry_errors(call: Callable[[Any], Any]) -> None:
    assert_same(lambda m: call(m) and None)


def test_get_dialect_returns_shared_object() -> None:
    assert fcsv.get_dialect("excel") is fcsv.get_dialect("excel")
    assert fcsv.reader([], "excel").dialect is not None
    d = fcsv.get_dialect("excel")
    with pytest.raises(AttributeError):
        d.delimiter = ";"  # type: ignore[misc]


def test_reader_and_writer_dialect_attribute() -> None:
    def run(m: Any) -> Any:
        r = m.reader([], "excel-tab", quotechar="'")
        w = m.writer(io.StringIO(), delimiter=";")
        return dialect_tuple(r.dialect), dialect_tuple(w.dialect)

    assert_same(run)


# --- field_size_limit ---------------------------------------------------------------------


def test_field_size_limit_semantics() -> None:
    def run(m: Any) -> Any:
        default = m.field_size_limit()
        try:
            seen = [m.field_size_limit(5), m.field_size_limit(), m.field_size_limit(0)]
            try:
                list(m.reader(["a\r\n"]))
            except m.Error as e:
                seen.append(str(e).split(" (line")[0])
            m.field_size_limit(1)
            seen.append(list(m.reader(["a,b\r\n", '"c"\r\n'])))
            try:
                m.field_size_limit(True)
            except TypeError as e:
                seen.append(str(e))
        finally:
            m.field_size_limit(default)
        return default, seen

    assert assert_same(run)[0] == 128 * 1024


@pytest.mark.parametrize("value", ["10", 1.5, None, 2**63, -(2**63) - 1], ids=repr)
def test_field_size_limit_bad_values(value: Any) -> None:
    def run(m: Any) -> Any:
        before = m.field_size_limit()
        try:
            return m.field_size_limit(value)
        finally:
            m.field_size_limit(before)

    assert_same(run)


def test_field_size_limit_is_per_module() -> None:
    before = csv.field_size_limit(), fcsv.field_size_limit()
    try:
        fcsv.field_size_limit(7)
        assert csv.field_size_limit() == before[0]
    finally:
        fcsv.field_size_limit(before[1])


# --- DictReader ---------------------------------------------------------------------------

DICT_READER_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("basic", "a,b\r\n1,2\r\n", {}),
    ("restkey", "a,b\r\n1,2,3,4\r\n", {"restkey": "_"}),
    ("restkey-default", "a,b\r\n1,2,3\r\n", {}),
    ("restval", "a,b,c\r\n1\r\n", {"restval": "?"}),
    ("restval-default", "a,b,c\r\n1\r\n", {}),
    ("blank-lines", "a,b\r\n\r\n1,2\r\n\r\n\r\n3,4\r\n\r\n", {}),
    ("blank-lines-before-header", "\r\n\r\na,b\r\n1,2\r\n", {}),
    ("given-fieldnames", "1,2\r\n3,4\r\n", {"fieldnames": ["x", "y"]}),
    ("given-fieldnames-tuple", "1,2\r\n", {"fieldnames": ("x", "y")}),
    ("empty-file", "", {}),
    ("header-only", "a,b\r\n", {}),
    ("duplicate-names", "a,a\r\n1,2\r\n", {}),
    ("multiline-field", 'a,b\r\n"x\r\ny",2\r\n3,4\r\n', {}),
    ("dialect-kwargs", "a;b\r\n1;2\r\n", {"delimiter": ";"}),
    ("dialect-name", "a\tb\r\n1\t2\r\n", {"dialect": "excel-tab"}),
    ("row-of-empty-field", 'a,b\r\n""\r\n', {}),
    # The dict is filled from the record's fields with no row list in between: the extra
    # fields under restkey must be the right slices, ASCII or not.
    ("restkey-slices", "a,b\r\n1,22,333,4444\r\n,,x,\r\n", {}),
    ("restkey-non-ascii", "a,b\r\n\u00e9,\u00fc,\u00f6,x\r\n", {"restkey": "rest"}),
    ("restkey-quoted", 'a\r\n"1,2",3,"4\r\n5"\r\n', {}),
    ("restval-duplicates", "a,b,a\r\n1\r\n1,2\r\n1,2,3\r\n", {"restval": "?"}),
    ("single-field-rows", "a\r\nx\r\ny,z\r\n\u20ac\r\n", {}),
    ("non-ascii", "\u00e9,b\r\n\u20ac,\U0001f600\r\n1,2\r\n", {}),
]


@pytest.mark.parametrize(
    ("text", "kwargs"), [pytest.param(t, k, id=n) for n, t, k in DICT_READER_CASES]
)
@pytest.mark.parametrize("source", ["lines", "stringio", "file"])
def test_dict_reader(tmp_path: Path, text: str, kwargs: dict[str, Any], source: str) -> None:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8", newline="")

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            src: Any = {
                "lines": text.splitlines(keepends=True),
                "stringio": io.StringIO(text, newline=""),
                "file": f,
            }[source]
            r = m.DictReader(src, **kwargs)
            out: list[Any] = [r.line_num]
            for row in r:
                out.append((row, r.line_num, r.reader.line_num))  # noqa: PERF401
            out.append((r.fieldnames, r.line_num))
            return out

    assert_same(run)


def test_dict_reader_fieldnames_changed_between_rows() -> None:
    # The header's dict template must follow a fieldnames list changed in place, replaced,
    # or holding non-str keys.
    def run(m: Any) -> Any:
        r = m.DictReader(["a,b\r\n", "1,2\r\n", "3,4\r\n", "5,6\r\n", "7,8\r\n", "9,0\r\n"])
        out = [next(r)]
        r.fieldnames[1] = "c"
        out.append(next(r))
        r.fieldnames.append("d")
        out.append(next(r))
        r.fieldnames = (1, "x")
        out.append(next(r))
        r.fieldnames = ["p"]
        out.append(next(r))
        return out

    assert_same(run)


def test_dict_reader_fieldnames_lazy() -> None:
    def run(m: Any) -> Any:
        lines = iter(["a,b\r\n", "1,2\r\n"])
        r = m.DictReader(lines)
        before = next(lines, None)  # nothing read yet: the header is still there
        return before, r.fieldnames, r.line_num, list(r)

    assert_same(run)

    def run2(m: Any) -> Any:
        r = m.DictReader(["a,b\r\n", "1,2\r\n"])
        names = r.fieldnames
        r.fieldnames = ["x", "y"]
        return names, r.line_num, list(r)

    assert_same(run2)


def test_dict_reader_attributes() -> None:
    def run(m: Any) -> Any:
        r = m.DictReader([], restkey="k", restval="v", dialect="unix")
        return r.restkey, r.restval, r.dialect, r.line_num, iter(r) is r

    assert_same(run)


def test_dict_reader_generic_alias() -> None:
    assert fcsv.DictReader[str].__origin__ is fcsv.DictReader  # type: ignore[attr-defined]
    assert fcsv.DictWriter[str].__origin__ is fcsv.DictWriter  # type: ignore[attr-defined]


# --- DictWriter ---------------------------------------------------------------------------

DICT_WRITER_CASES: list[tuple[str, dict[str, Any], list[dict[Any, Any]]]] = [
    ("basic", {}, [{"a": 1, "b": "x,y"}]),
    ("missing-keys-restval", {"restval": "-"}, [{"a": 1}]),
    ("missing-keys-default", {}, [{"b": 2}]),
    ("extra-keys-raise", {}, [{"a": 1, "c": 3, "d": 4}]),
    ("extra-keys-ignore", {"extrasaction": "ignore"}, [{"a": 1, "c": 3}]),
    ("extrasaction-uppercase", {"extrasaction": "IGNORE"}, [{"a": 1, "c": 3}]),
    ("extrasaction-bad", {"extrasaction": "drop"}, [{"a": 1}]),
    ("none-values", {}, [{"a": None, "b": None}]),
    ("dialect-kwargs", {"delimiter": ";", "quoting": csv.QUOTE_ALL}, [{"a": 1, "b": 2}]),
    ("dialect-name", {"dialect": "unix"}, [{"a": 1, "b": 2}]),
    ("empty-dict", {}, [{}]),
    ("many", {}, [{"a": i, "b": str(i) * 3} for i in range(50)]),
]


@pytest.mark.parametrize(
    ("kwargs", "rows"), [pytest.param(k, r, id=n) for n, k, r in DICT_WRITER_CASES]
)
@pytest.mark.parametrize("many", [False, True], ids=["writerow", "writerows"])
def test_dict_writer(kwargs: dict[str, Any], rows: list[dict[Any, Any]], many: bool) -> None:
    def run(m: Any) -> Any:
        out = io.StringIO()
        w = m.DictWriter(out, ["a", "b"], **kwargs)
        header = w.writeheader()
        results = [w.writerows(rows)] if many else [w.writerow(r) for r in rows]
        return header, results, out.getvalue(), w.restval, w.extrasaction, w.fieldnames

    assert_same(run)


def test_dict_writer_fieldnames_not_strings() -> None:
    def run(m: Any) -> Any:
        out = io.StringIO()
        w = m.DictWriter(out, [1, (2, 3), None])
        w.writeheader()
        w.writerow({1: "one", None: "none"})
        return out.getvalue()

    assert_same(run)


class _Text(str):
    """A str subclass: written as its value, like an exact str (its __str__ is not called)."""

    def __str__(self) -> str:
        return "never"


class _Mutates:
    """A field whose __str__ empties the row (list or dict) it came from."""

    def __init__(self, target: Any) -> None:
        self.target = target

    def __str__(self) -> str:
        self.target.clear()
        return "m"


FIELD_KINDS: list[Any] = [
    "plain",
    "with,comma",
    'with "quote"',
    "line\r\nbreak",
    "",
    "é€😀",
    "lone \udc80 surrogate",
    _Text("sub,class"),
    None,
    1,
    -2.5,
    10**30,
]


@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])
@pytest.mark.parametrize("container", [list, tuple, iter])
def test_writer_field_kinds(quoting: int, container: Callable[[list[Any]], Any]) -> None:
    # Exact str items of a list are read in place; every other kind goes the general way.
    def run(m: Any) -> Any:
        out = io.StringIO()
        w = m.writer(out, quoting=quoting)
        results = [w.writerow(container(FIELD_KINDS)), w.writerow(container(FIELD_KINDS[::-1]))]
        w.writerows([container(FIELD_KINDS), container([]), container(["x"])])
        return results, out.getvalue()

    assert_same(run)


@pytest.mark.parametrize("extrasaction", ["raise", "ignore"])
@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_NONNUMERIC])
def test_dict_writer_value_kinds(extrasaction: str, quoting: int) -> None:
    # Exact str values are read in place from the dict; every other kind goes the general way.
    names = [f"k{i}" for i in range(len(FIELD_KINDS))]

    def run(m: Any) -> Any:
        out = io.StringIO()
        w = m.DictWriter(out, names, restval="R", extrasaction=extrasaction, quoting=quoting)
        row = dict(zip(names, FIELD_KINDS, strict=True))
        partial = {k: v for k, v in row.items() if k != "k1"}
        w.writerows([row, partial, {}])
        return out.getvalue()

    assert_same(run)


def test_writer_field_str_changes_its_row() -> None:
    def run(m: Any) -> Any:
        out = io.StringIO()
        row: list[Any] = ["a", "b"]
        row.insert(1, _Mutates(row))
        m.writer(out).writerow(row)
        d: dict[str, Any] = {"x": "1", "z": "3"}
        d["y"] = _Mutates(d)
        m.DictWriter(out, ["x", "y", "z"], restval="gone").writerow(d)
        return out.getvalue()

    assert_same(run)


def test_dict_reader_subclasses_share_a_reader() -> None:
    # Whether a class may use the native path is remembered per class: two classes, one
    # overriding `fieldnames`, take turns on the same underlying reader.
    def run(m: Any) -> Any:
        class Plain(m.DictReader):  # type: ignore[misc,name-defined]
            pass

        class Upper(m.DictReader):  # type: ignore[misc,name-defined]
            @property
            def fieldnames(self) -> Any:
                names = m.DictReader.fieldnames.fget(self)
                return None if names is None else [n.upper() for n in names]

        lines = ["a,b\r\n"] + [f"{i},{i * 2}\r\n" for i in range(6)]
        first = Plain(lines)
        rows = [next(first)]
        second = Upper([], fieldnames=["a", "b"])
        second.reader = first.reader
        rows.extend((type(r).__name__, next(r), r.line_num) for r in (second, first, second, first))
        return rows

    rows = assert_same(run)
    assert rows is not None
    assert rows[1] == ("Upper", {"A": "1", "B": "2"}, 3)


# --- Sniffer ------------------------------------------------------------------------------

SNIFF_SAMPLES = [
    "a,b,c\r\n1,2,3\r\n4,5,6\r\n",
    "name;age;city\nAda;36;London\nAlan;41;Wilmslow\n",
    "a\tb\tc\n1\t2\t3\n",
    "'a'|'b c'|'d'\n'1'|'2'|'3'\n",
    '"x", "y", "z"\n"1", "2", "3"\n',
    "id:value\n1:abc\n2:def\n",
    "no delimiters here\nat all\n",
    "",
    'a,"b ""quoted"" c",d\r\n1,"2,3",4\r\n',
]


@pytest.mark.parametrize("sample", SNIFF_SAMPLES, ids=range(len(SNIFF_SAMPLES)))
def test_sniffer(sample: str) -> None:
    def sniff(m: Any) -> Any:
        d = m.Sniffer().sniff(sample)
        rows = list(m.reader(io.StringIO(sample, newline=""), d))
        return dialect_tuple(d), rows, issubclass(d, m.Dialect)

    assert_same(sniff)
    assert_same(lambda m: m.Sniffer().sniff(sample, delimiters=";,") and None)
    assert_same(lambda m: m.Sniffer().has_header(sample))


# --- the reader's fast path for real text files -------------------------------------------


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    path.write_text('h1,h2\r\n1,"a\r\nb"\r\n2,c\r\n3,d\r\n', encoding="utf-8", newline="")
    return path


def test_two_readers_in_sequence(data_file: Path) -> None:
    def run(m: Any) -> Any:
        with data_file.open(encoding="utf-8", newline="") as f:
            header = next(m.reader(f))
            rows = list(m.DictReader(f, fieldnames=header))
            return header, rows, f.read()

    assert_same(run)

    def run2(m: Any) -> Any:
        with data_file.open(encoding="utf-8", newline="") as f:
            r1 = m.reader(f)
            first = next(r1)
            del r1
            second = next(m.reader(f))
            rest = list(m.reader(f))
            return first, second, rest

    assert_same(run2)


def test_seek_zero_reads_again(data_file: Path) -> None:
    def run(m: Any) -> Any:
        with data_file.open(encoding="utf-8", newline="") as f:
            r = m.reader(f)
            first = list(r)
            n1 = r.line_num
            f.seek(0)
            second = list(r)
            return first, n1, second, r.line_num

    assert_same(run)


def test_seek_zero_midway(data_file: Path) -> None:
    # After a seek in the middle of iteration the rows that follow depend on buffering;
    # both modules must at least read the whole file again after exhausting.
    def run(m: Any) -> Any:
        with data_file.open(encoding="utf-8", newline="") as f:
            r = m.reader(f)
            all_rows = list(r)
            f.seek(0)
            f.readline()  # skip the header by hand
            return all_rows, list(r)

    assert_same(run)


def test_reading_after_next_on_file(data_file: Path) -> None:
    def run(m: Any) -> Any:
        with data_file.open(encoding="utf-8", newline="") as f:
            skipped = next(f)
            r = m.reader(f)
            return skipped, list(r), r.line_num

    assert_same(run)


def test_readline_then_reader(data_file: Path) -> None:
    def run(m: Any) -> Any:
        with data_file.open(encoding="utf-8", newline="") as f:
            skipped = f.readline()
            r = m.reader(f)
            return skipped, list(r), r.line_num

    assert_same(run)


@pytest.mark.parametrize("newline", ["", None, "\n", "\r", "\r\n"], ids=repr)
@pytest.mark.parametrize(
    "text",
    [
        "a,b\r\nc,d\r\n",
        "a,b\nc,d\n",
        "a,b\rc,d\r",
        'a,"x\ry"\r"p\r\nq",2\n3,"\n"\r\n',
        "a\r\r\n\n\rb",
        "no newline at all",
    ],
    ids=["crlf", "lf", "cr", "mixed-quoted", "blank-mix", "no-newline"],
)
def test_newline_modes(tmp_path: Path, newline: str | None, text: str) -> None:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8", newline="")

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline=newline) as f:
            r = m.reader(f)
            rows: list[Any] = []
            try:
                for row in r:
                    rows.append((row, r.line_num))  # noqa: PERF401 (keep rows up to an error)
            except m.Error as e:
                rows.append(str(e).split(" (line ")[0])
            return rows

    assert_same(run)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-8-sig", "utf-16-le"])
@pytest.mark.parametrize("size", ["small", "over-one-block"])
def test_encodings(tmp_path: Path, encoding: str, size: str) -> None:
    chars = "àéîõü€ß" if encoding != "latin-1" else "àéîõüß¤"
    line = f'{chars},"q{chars}\r\nz",x\r\n'
    text = line * (1 if size == "small" else (1 << 18) // len(line) + 7)
    path = tmp_path / "data.csv"
    path.write_text(text, encoding=encoding, newline="")

    def run(m: Any, n: int) -> Any:
        with path.open(encoding=encoding, newline="") as f:
            r = m.reader(f)
            rows = [next(r) for _ in range(n)]
            line_num = r.line_num
            del r
            return rows, line_num, f.read()

    n_rows = text.count(line)
    for n in sorted({1, n_rows // 2, n_rows}):
        assert run(fcsv, n) == run(csv, n)


def test_reader_from_two_threads_on_a_file(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("".join(f"{i},x\r\n" for i in range(200000)), newline="")
    got: list[list[int]] = [[], []]
    errors: list[BaseException] = []
    with path.open(newline="") as f:
        r = fcsv.reader(f)

        def work(k: int) -> None:
            try:
                for row in r:
                    got[k].append(int(row[0]))
            except RuntimeError as e:
                errors.append(e)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for part in got:
        assert part == sorted(part)
    if not errors:
        assert sorted(got[0] + got[1]) == list(range(200000))
    else:
        assert len(set(got[0]) & set(got[1])) == 0


def test_writer_from_two_threads() -> None:
    out = io.StringIO()
    w = fcsv.writer(out)
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(5000):
                w.writerow([k, i])
        except RuntimeError as e:
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert all(len(row) == 2 for row in rows)
    if not errors:
        assert len(rows) == 10000


# --- pickling and copying -----------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.get_dialect("excel"),
        lambda m: m.reader([]).dialect,
        lambda m: (_csv if m is csv else _native).Dialect(delimiter=";"),
    ],
    ids=["registered", "reader-dialect", "native-class"],
)
@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_pickle_dialect_raises_type_error(make: Callable[[Any], Any], protocol: int) -> None:
    for m in (csv, fcsv):
        with pytest.raises(TypeError):
            pickle.dumps(make(m), protocol)


@pytest.mark.parametrize(
    "make", [lambda m: m.reader([]), lambda m: m.writer(io.StringIO())], ids=["reader", "writer"]
)
@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_reader_writer_fails(make: Callable[[Any], Any], protocol: int) -> None:
    # The stdlib raises TypeError, or PicklingError under protocols 0 and 1.
    for m in (csv, fcsv):
        with pytest.raises((TypeError, pickle.PicklingError)):
            pickle.dumps(make(m), protocol)


@pytest.mark.parametrize("protocol", [0, 1])
def test_pickle_reader_writer_protocol_0_1_raises_at_dumps(protocol: int) -> None:
    # Protocols 0 and 1 used to pickle them through copyreg; only loads() then failed.
    with pytest.raises(TypeError, match="cannot pickle 'Reader' object"):
        pickle.dumps(fcsv.reader([]), protocol)
    with pytest.raises(TypeError, match="cannot pickle 'Writer' object"):
        pickle.dumps(fcsv.writer(io.StringIO()), protocol)


def test_dialect_classes_pickle_by_reference() -> None:
    # Dialect subclasses and their instances pickle like any class of a module.
    assert pickle.loads(pickle.dumps(fcsv.excel)) is fcsv.excel
    d = pickle.loads(pickle.dumps(fcsv.unix_dialect()))
    assert dialect_tuple(d) == dialect_tuple(csv.unix_dialect())
