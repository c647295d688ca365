"""The reader's fast paths against the standard csv module: ASCII fields made in place, and
DictReader's native ``__next__`` with every way a caller can steer it back to Python."""

from __future__ import annotations

import copy
import csv
import gc
import io
import pickle
import weakref
from pathlib import Path
from typing import Any

import pytest

import ferrule.csv as fcsv

pytestmark = pytest.mark.timeout(60)

MODULES = pytest.mark.parametrize("m", [csv, fcsv], ids=["stdlib", "ferrule"])


def same(run: Any) -> Any:
    """`run(module)` for both modules; asserts equal results (or equal exceptions)."""

    def outcome(m: Any) -> Any:
        try:
            return ("ok", run(m))
        except Exception as e:
            return ("raise", type(e).__name__, str(e))

    std, ours = outcome(csv), outcome(fcsv)
    assert ours == std
    return ours


# --- ASCII fields -------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["lines", "file"])
def test_ascii_fields_of_every_length_and_character(tmp_path: Path, source: str) -> None:
    # Every printable and control ASCII character the dialect leaves alone, in fields from
    # empty to longer than a cache line, plain and quoted, and next to non-ASCII records.
    chars = "".join(chr(c) for c in range(1, 128) if chr(c) not in ',"\r\n')
    rows = [[chars[i : i + n] for i in range(0, 3 * n + 1, max(n, 1))] for n in range(70)]
    rows += [["", "x", "yz"], ["\u00e9", "ab"], ["quoted, with comma", 'a "q"', "z"]]
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    text = buf.getvalue()
    path = tmp_path / "ascii.csv"
    path.write_text(text, encoding="utf-8", newline="")

    def run(m: Any) -> Any:
        if source == "lines":
            return list(m.reader(list(io.StringIO(text, newline=""))))
        with path.open(encoding="utf-8", newline="") as f:
            return list(m.reader(f))

    got = same(run)
    assert got[1] == rows


def test_ascii_fields_are_independent_strings() -> None:
    # Each field is its own str (not a view into a shared buffer): equal, hashable,
    # usable as dict keys, and unchanged after the reader moves on.
    r = fcsv.reader(["abc,abcd,abc\r\n", "xyz,xyzw,xyz\r\n"])
    first = next(r)
    second = next(r)
    assert first == ["abc", "abcd", "abc"]
    assert second == ["xyz", "xyzw", "xyz"]
    assert hash(first[0]) == hash("abc")
    assert {first[0]: 1}["abc"] == 1
    assert first[0].isascii()
    assert len(first[1]) == 4
    # One-character and empty fields are CPython's shared singletons, as the stdlib gives.
    row = next(fcsv.reader(["a,,b\r\n"]))
    assert row[0] is next(csv.reader(["a\r\n"]))[0]
    assert row[1] is ""  # noqa: F632


# --- DictReader's native __next__ ---------------------------------------------------------

LINES = ["a,b\r\n", "1,2\r\n", "\r\n", "3,4,5\r\n", "6\r\n", "7,8\r\n"]


def test_dict_reader_attributes_changed_between_rows() -> None:
    def run(m: Any) -> Any:
        r = m.DictReader(list(LINES))
        out: list[Any] = [next(r), r.line_num]
        r.restkey = "rest"
        r.restval = "-"
        out += [next(r), next(r), r.line_num]
        r.line_num = 0
        # line_num 0 again: the header step runs again (a no-op once fieldnames are known).
        out += [next(r), r.line_num, r.fieldnames]
        return out

    same(run)


def test_dict_reader_line_num_not_an_int() -> None:
    def run(m: Any) -> Any:
        r = m.DictReader(list(LINES))
        r.line_num = 0.0  # == 0: reads the header
        out: list[Any] = [next(r), r.line_num]
        r.line_num = "x"
        out += [r.line_num, next(r), r.line_num]
        return out

    same(run)

    class Bad:
        def __eq__(self, other: object) -> bool:
            raise ZeroDivisionError

    def run_bad(m: Any) -> Any:
        r = m.DictReader(list(LINES))
        r.line_num = Bad()
        return next(r)

    same(run_bad)


def test_dict_reader_with_a_replaced_reader() -> None:
    def run(m: Any) -> Any:
        r = m.DictReader(list(LINES))
        out: list[Any] = [next(r)]

        class Rows:
            line_num = 42

            def __init__(self) -> None:
                self.rows = iter([["p", "q"], [], ["r"]])

            def __iter__(self) -> Any:
                return self

            def __next__(self) -> Any:
                return next(self.rows)

        r.reader = Rows()
        out += [next(r), r.line_num, next(r)]
        with pytest.raises(StopIteration):
            next(r)
        return out

    same(run)


@pytest.mark.parametrize(
    "names",
    [{"a": 1, "b": 2}.keys(), range(2), "ab", ["a"], ("a", "b", "c"), [1, 2.5]],
    ids=["dict-keys", "range", "str", "list", "tuple", "non-str"],
)
def test_dict_reader_fieldnames_of_any_kind(names: Any) -> None:
    same(lambda m: list(m.DictReader(["1,2\r\n", "3\r\n", "4,5,6\r\n"], fieldnames=names)))


def test_dict_reader_subclass_overriding_next() -> None:
    def run(m: Any) -> Any:
        class Counted(m.DictReader):  # type: ignore[misc,name-defined]
            count = 0

            def __next__(self) -> Any:
                self.count += 1
                return {"n": self.count, **super().__next__()}

        r = Counted(list(LINES))
        return list(r), r.count, r.line_num

    same(run)


def test_dict_reader_subclass_with_class_attributes() -> None:
    # A class attribute named like an instance attribute the stdlib reads: the instance's
    # value (set in __init__) must still win, as it does for the stdlib's plain class.
    def run(m: Any) -> Any:
        class Defaults(m.DictReader):  # type: ignore[misc,name-defined]
            restval = "class-level"
            restkey = "class-key"

        r = Defaults(list(LINES), restval="inst")
        return list(r), r.restval, r.restkey

    same(run)


def test_dict_reader_subclass_with_setattr() -> None:
    def run(m: Any) -> Any:
        seen: list[str] = []

        class Watched(m.DictReader):  # type: ignore[misc,name-defined]
            def __setattr__(self, name: str, value: Any) -> None:
                seen.append(name)
                super().__setattr__(name, value)

        r = Watched(list(LINES))
        rows = list(r)
        return rows, seen

    same(run)


def test_dict_reader_subclass_with_reader_property() -> None:
    def run(m: Any) -> Any:
        reads: list[int] = []

        class Logged(m.DictReader):  # type: ignore[misc,name-defined]
            @property
            def reader(self) -> Any:
                reads.append(1)
                return self._reader

            @reader.setter
            def reader(self, value: Any) -> None:
                self._reader = value

        r = Logged(list(LINES))
        rows = list(r)
        return rows, len(reads)

    same(run)


@MODULES
def test_dict_reader_is_collected_in_a_cycle(m: Any) -> None:
    r = m.DictReader(list(LINES))
    r.restval = r
    r.restkey = (r,)
    list(r)
    ref = weakref.ref(r)
    del r
    gc.collect()
    assert ref() is None


def test_dict_reader_copy_and_pickle() -> None:
    def run(m: Any) -> Any:
        r = m.DictReader(list(LINES), restval="-")
        first = next(r)
        c = copy.copy(r)
        out: list[Any] = [first, c.reader is r.reader, c.line_num, c.restval, next(c), r.line_num]
        out.append(sorted(k for k in vars(c) if k not in vars(r)))
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            try:
                pickle.dumps(r, protocol)
            except TypeError:
                out.append("TypeError")
        return out

    same(run)


def test_dict_reader_errors_keep_line_num(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('a,b\r\n1,2\r\n\r\n"x\r\n', encoding="utf-8", newline="")

    def run(m: Any) -> Any:
        with path.open(encoding="utf-8", newline="") as f:
            r = m.DictReader(f, strict=True)
            out: list[Any] = [next(r), r.line_num]
            try:
                next(r)
            except m.Error as e:
                # ferrule's messages add " (line N)": see docs/csv/differences.rst.
                out += ["error", str(e).split(" (line")[0], r.line_num, r.reader.line_num]
            return out

    same(run)


def test_dict_reader_used_from_its_own_restval() -> None:
    # Python code run while the native __next__ is at work (a key's __eq__ during the
    # header step) may touch the DictReader's attributes without deadlocking.
    def run(m: Any) -> Any:
        holder: list[Any] = []

        class Zero:
            def __eq__(self, other: object) -> bool:
                holder[0].restval = "set-during-next"
                return other == 0

            __hash__ = object.__hash__

        r = m.DictReader(["a,b,c\r\n", "1\r\n"])
        holder.append(r)
        r.line_num = Zero()
        return next(r), r.restval

    same(run)


# --- DictWriter.writerows: each name looked up once ---------------------------------------


class _Clears:
    """A value whose __str__ empties the dict it came from: later values become restval."""

    def __init__(self, target: dict[str, Any]) -> None:
        self.target = target

    def __str__(self) -> str:
        self.target.clear()
        return "cleared"


class _Adds:
    """A restval whose __str__ adds a key that is not a field name to the row being written."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def __str__(self) -> str:
        for row in self.rows:
            row["extra"] = "late"
        return "R"


def test_dict_writer_rows_changed_while_written() -> None:
    def run(m: Any) -> Any:
        out = io.StringIO()
        d: dict[str, Any] = {"x": "1", "z": "3"}
        d["y"] = _Clears(d)
        restval = _Adds()
        e: dict[str, Any] = {"x": "4"}
        restval.rows.append(e)
        w = m.DictWriter(out, ["x", "y", "z"], restval=restval)
        w.writerows([d, {"x": "a", "y": "b", "z": "c"}, e, {"z": "only z"}])
        return out.getvalue()

    same(run)


@pytest.mark.parametrize(
    "rows",
    [
        [{"a": "1", "b": "2"}, {"a": "3", "c": "4"}],
        [{"a": "1", "b": "2"}, {"c": "x"}],
        [{"a": "1", "b": "2", 3: "int key"}],
        [{"b": "only b"}, {"a": 1.5, "b": None}, {}],
    ],
    ids=["extra-after-good-row", "only-extra", "non-str-extra", "missing-and-non-str"],
)
@pytest.mark.parametrize("names", [["a", "b"], ("a", "b"), ["a", "b", "a"]], ids=str)
def test_dict_writer_extra_keys_checked_before_writing(rows: Any, names: Any) -> None:
    def run(m: Any) -> Any:
        out = io.StringIO()
        w = m.DictWriter(out, names)
        try:
            w.writerows(rows)
        except ValueError as e:
            return "error", str(e), out.getvalue()
        return "ok", out.getvalue()

    same(run)


def test_dict_writer_fieldnames_changed_between_calls() -> None:
    def run(m: Any) -> Any:
        out = io.StringIO()
        names = ["a", "b"]
        w = m.DictWriter(out, names)
        w.writerows([{"a": "1", "b": "2"}])
        names.append("c")
        w.writerows([{"a": "1", "b": "2", "c": "3"}])
        names[0] = "z"
        try:
            w.writerows([{"a": "1"}])
        except ValueError as e:
            return out.getvalue(), str(e)
        return out.getvalue()

    same(run)
