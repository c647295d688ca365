"""DictWriter.writerows' native row paths, each against the standard module.

A dict whose keys are the field names themselves, in order, is read in one walk of its
entries; any other dict (keys in another order, equal but distinct key objects, missing or
extra keys, a subclass) is looked up name by name or goes through ``_dict_to_list``.
"""

from __future__ import annotations

import csv as std_csv
import io
from collections import OrderedDict
from typing import Any

import pytest

import ferrule.csv as fcsv

NAMES = [f"c{i}" for i in range(12)]


def fresh(name: str) -> str:
    """An equal `str` that is not the same object."""
    return "".join(list(name))


def write_both(
    rowdicts: list[Any], names: Any = NAMES, **kwargs: Any
) -> tuple[tuple[str, Any], tuple[str, Any]]:
    out = []
    for module in (std_csv, fcsv):
        f = io.StringIO()
        w = module.DictWriter(f, names, **kwargs)
        try:
            w.writerows(rowdicts)
        except Exception as e:  # compared between the modules
            out.append((f.getvalue(), (type(e).__name__, str(e))))
        else:
            out.append((f.getvalue(), None))
    return out[0], out[1]


def in_order() -> dict[str, Any]:
    return dict(zip(NAMES, [f"v{i}" for i in range(len(NAMES))], strict=True))


def readded(key: str) -> dict[str, Any]:
    """A dict in order but for `key`, deleted and set again (so it comes last)."""
    d = in_order()
    del d[key]
    d[key] = "back"
    return d


ROWS: dict[str, Any] = {
    "in order": in_order(),
    "reversed": dict(reversed(list(in_order().items()))),
    "equal keys": {fresh(k): v for k, v in in_order().items()},
    "one missing": {k: v for k, v in in_order().items() if k != "c5"},
    "last missing": {k: v for k, v in in_order().items() if k != NAMES[-1]},
    "one extra": {**in_order(), "extra": "x"},
    "extra first": {"extra": "x", **in_order()},
    "same size, one swapped": {**{k: v for k, v in in_order().items() if k != "c3"}, "zz": 1},
    "values of every kind": dict(
        zip(
            NAMES,
            [1, 2.5, None, "a,b", 'q"', "é", b"x", True, 10**20, "", " ", "\n"],
            strict=True,
        )
    ),
    "ordered dict": OrderedDict(in_order()),
    "deleted and added back": readded("c0"),
}


@pytest.mark.parametrize("extrasaction", ["raise", "ignore"])
@pytest.mark.parametrize("kind", list(ROWS))
def test_row_kinds(kind: str, extrasaction: str) -> None:
    rows = [in_order(), ROWS[kind], in_order()]
    std, ferrule = write_both(rows, extrasaction=extrasaction, restval="R")
    assert ferrule == std


@pytest.mark.parametrize("names", [NAMES, tuple(NAMES), [*NAMES[:3], NAMES[0]]])
def test_fieldnames_list_tuple_and_duplicates(names: Any) -> None:
    rows = [in_order(), {k: k for k in NAMES[:4]}, in_order()]
    std, ferrule = write_both(rows, names=names)
    assert ferrule == std


def changed_mid_row(module: Any) -> str:
    row = in_order()

    class Change:
        def __str__(self) -> str:
            row["c9"] = "changed"
            del row["c10"]
            return "s"

    row["c4"] = Change()
    f = io.StringIO()
    module.DictWriter(f, NAMES, restval="R").writerows([row])
    return f.getvalue()


def test_str_changing_the_dict_mid_row() -> None:
    # The values after a field whose __str__ ran are looked up again, as the stdlib's
    # generator reads each value only when the writer asks for it.
    std = changed_mid_row(std_csv)
    assert changed_mid_row(fcsv) == std
    assert "changed" in std
    assert ",R," in std


def test_many_rows_in_batches() -> None:
    rows = [
        dict(zip(NAMES, [f"{i}-{j}" for j in range(len(NAMES))], strict=True)) for i in range(3000)
    ]
    rows[1500] = {**rows[1500], "bad": 1}
    std, ferrule = write_both(rows)
    assert ferrule == std
    assert std[1] is not None
    assert std[1][0] == "ValueError"


def names_changed_by(how: str, module: Any) -> tuple[str, str | None]:
    """What `module` writes when `fieldnames` (a list) changes in the middle of writerows."""
    names = list(NAMES)

    class Rename:
        def __str__(self) -> str:
            if how == "grow":
                names.append("c3")
            elif how == "shrink":
                del names[5:]
            else:
                names[1], names[2] = names[2], names[1]
            return "r"

    rows: list[Any] = [in_order() for _ in range(6)]

    def gen() -> Any:
        for i, row in enumerate(rows):
            if i == 3:
                names.reverse()
            yield row

    if how == "generator":
        source: Any = gen()
    else:
        rows[2]["c0"] = Rename()
        source = rows
    f = io.StringIO()
    try:
        module.DictWriter(f, names).writerows(source)
    except ValueError as e:
        # After the shrink, the next row has keys that are no longer field names (the key
        # order in the message is a set's, so only the type is compared).
        return f.getvalue(), type(e).__name__
    return f.getvalue(), None


@pytest.mark.parametrize("how", ["__str__", "grow", "shrink", "generator"])
def test_fieldnames_changed_while_writing(how: str) -> None:
    std, ferrule = names_changed_by(how, std_csv), names_changed_by(how, fcsv)
    assert ferrule == std
    lines = std[0].splitlines()
    assert lines[0] != lines[-1]
    assert (std[1] is not None) == (how == "shrink")


def test_dict_values_running_code_find_the_rows_before_written() -> None:
    def seen(module: Any) -> list[str]:
        buf = io.StringIO()
        found: list[str] = []

        class Peek:
            def __str__(self) -> str:
                found.append(buf.getvalue())
                return "peek"

        rows: list[dict[str, Any]] = [
            dict(zip(NAMES, [f"{i}-{j}" for j in range(len(NAMES))], strict=True))
            for i in range(2000)
        ]
        rows[700] = {**rows[700], NAMES[3]: Peek()}
        rows[1400] = {NAMES[0]: Peek()}
        w = module.DictWriter(buf, fieldnames=NAMES, restval=0)
        w.writerows(rows)
        found.append(buf.getvalue())
        return found

    std = seen(std_csv)
    assert seen(fcsv) == std
    assert 0 < len(std[0]) < len(std[1]) < len(std[2])
