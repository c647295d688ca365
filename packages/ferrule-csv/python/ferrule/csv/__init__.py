"""CSV parsing and writing: the standard :mod:`csv` module, rebuilt in Rust.

``import ferrule.csv as csv`` in code written for the standard module changes nothing but the
speed: the same names, signatures, dialects, errors and results, with the reader, writer,
``DictReader`` and ``DictWriter`` running on a Rust core.

>>> import io
>>> import ferrule.csv as csv
>>> list(csv.reader(io.StringIO('a,"b,c"\\r\\n1,2\\r\\n')))
[['a', 'b,c'], ['1', '2']]
"""

from __future__ import annotations

import csv as _std_csv
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._native import (
    QUOTE_ALL,
    QUOTE_MINIMAL,
    QUOTE_NONE,
    QUOTE_NONNUMERIC,
    CsvScanner,
    Error,
    ReadError,
    Table,
    Writer,
    __version__,
    field_size_limit,
    get_dialect,
    infer_schema,
    list_dialects,
    read_csv,
    reader,
    register_dialect,
    scan_csv,
    sniff,
    unregister_dialect,
    write_csv,
    writer,
)
from ._native import Dialect as _Dialect
from ._native import DictReaderBase as _DictReaderBase
from ._native import Reader as Reader  # the type of `DictReader.reader`

__all__ = [
    "QUOTE_ALL",
    "QUOTE_MINIMAL",
    "QUOTE_NONE",
    "QUOTE_NONNUMERIC",
    "CsvScanner",
    "Dialect",
    "DictReader",
    "DictWriter",
    "Error",
    "ReadError",
    "Sniffer",
    "Table",
    "__doc__",
    "__version__",
    "excel",
    "excel_tab",
    "field_size_limit",
    "get_dialect",
    "infer_schema",
    "list_dialects",
    "read_csv",
    "reader",
    "register_dialect",
    "scan_csv",
    "sniff",
    "unix_dialect",
    "unregister_dialect",
    "write_csv",
    "writer",
]

_T = TypeVar("_T")


class Dialect:
    """Describe a CSV dialect; subclass it and set the attributes (see :class:`excel`).

    The attributes are ``delimiter``, ``quotechar``, ``escapechar``, ``doublequote``,
    ``skipinitialspace``, ``lineterminator``, ``quoting`` and ``strict``; instantiating a
    subclass validates them and raises :class:`Error` for a bad one.

    >>> class pipes(Dialect):
    ...     delimiter = "|"
    ...     quotechar = '"'
    ...     doublequote = True
    ...     skipinitialspace = False
    ...     lineterminator = "\\n"
    ...     quoting = QUOTE_MINIMAL
    >>> import io
    >>> next(reader(io.StringIO("a|b\\n"), pipes))
    ['a', 'b']
    """

    _name = ""
    _valid = False
    delimiter: str | None = None
    quotechar: str | None = None
    escapechar: str | None = None
    doublequote: bool | None = None
    skipinitialspace: bool | None = None
    lineterminator: str | None = None
    quoting: int | None = None

    def __init__(self) -> None:
        if self.__class__ != Dialect:
            self._valid = True
        self._validate()

    def _validate(self) -> None:
        try:
            _Dialect(self)
        except TypeError as e:
            # The stdlib reports invalid dialect classes as csv.Error, not TypeError.
            raise Error(str(e)) from None


class excel(Dialect):
    """The usual properties of Excel-generated CSV files.

    >>> excel.delimiter, excel.lineterminator
    (',', '\\r\\n')
    """

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = QUOTE_MINIMAL


register_dialect("excel", excel)


class excel_tab(excel):
    """The usual properties of Excel-generated tab-delimited files.

    >>> get_dialect("excel-tab").delimiter
    '\\t'
    """

    delimiter = "\t"


register_dialect("excel-tab", excel_tab)


class unix_dialect(Dialect):
    """The usual properties of Unix-generated CSV files: ``\\n`` line ends, every field quoted.

    >>> import io
    >>> out = io.StringIO()
    >>> writer(out, unix_dialect).writerow(["a", 1])
    8
    >>> out.getvalue()
    '"a","1"\\n'
    """

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\n"
    quoting = QUOTE_ALL


register_dialect("unix", unix_dialect)


# What the stdlib's `DictReader.__next__` reads from the instance: a subclass that redefines any
# of them gets that algorithm in Python rather than the native one.
_DICT_READER_NAMES = (
    "fieldnames",
    "_fieldnames",
    "reader",
    "restkey",
    "restval",
    "line_num",
    "__getattribute__",
    "__setattr__",
)


class DictReader(_DictReaderBase, Generic[_T]):
    """Read rows as dicts keyed by ``fieldnames`` (by default, the first row).

    Rows longer than the header put the extra values in a list under ``restkey``; shorter rows
    fill the missing keys with ``restval``. Blank rows are skipped.

    >>> import io
    >>> rows = DictReader(io.StringIO("name,age\\r\\nAda,36\\r\\n"))
    >>> list(rows)
    [{'name': 'Ada', 'age': '36'}]
    """

    def __init__(
        self,
        f: Iterable[str],
        fieldnames: Collection[_T] | None = None,
        restkey: Any = None,
        restval: Any = None,
        dialect: Any = "excel",
        *args: Any,
        **kwds: Any,
    ) -> None:
        # The attributes `reader`, `_fieldnames`, `restkey`, `restval` and `line_num` are kept
        # by the native base, whose `__next__` reads them without a lookup.
        self._fieldnames = fieldnames
        self.restkey = restkey
        self.restval = restval
        self.reader = reader(f, dialect, *args, **kwds)
        self.dialect = dialect
        self.line_num = 0

    def __iter__(self) -> DictReader[_T]:
        return self

    @property
    def fieldnames(self) -> Collection[_T] | None:
        """The keys of every row: the given ``fieldnames``, or else the first row, read lazily."""
        if self._fieldnames is None:
            try:
                self._fieldnames = next(self.reader)
            except StopIteration:
                pass
        self.line_num = self.reader.line_num
        return self._fieldnames

    @fieldnames.setter
    def fieldnames(self, value: Collection[_T]) -> None:
        self._fieldnames = value

    def __getstate__(self) -> dict[str, Any]:
        # The stdlib's instance dict, for copy.copy() and pickle: the native attributes too.
        state = dict(self.__dict__)
        for name in ("_fieldnames", "restkey", "restval", "reader", "line_num"):
            state[name] = getattr(self, name)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._native = all(
            getattr(cls, name, None) is getattr(DictReader, name, None)
            for name in _DICT_READER_NAMES
        )

    _native = True

    if TYPE_CHECKING:
        # At run time `__next__` is the native base's: a definition here would replace it.
        def __next__(self) -> dict[_T | Any, str | Any]: ...

    def _stdlib_next(self) -> dict[_T | Any, str | Any]:
        # The standard module's `__next__`, step by step, for classes that redefine what it
        # reads (see `_DICT_READER_NAMES`).
        if self.line_num == 0:
            # For its side effect: reads the header row when no fieldnames were given.
            self.fieldnames  # noqa: B018
        return self._next_row()

    def _next_row(self) -> dict[_T | Any, str | Any]:
        # The rest of the standard module's `__next__`: also for a `reader` replaced by
        # another iterator and for fieldnames that are neither a list nor a tuple.
        row = next(self.reader)
        self.line_num = self.reader.line_num
        # Blank lines would become dicts full of restval: skip them.
        while row == []:
            row = next(self.reader)
        result: dict[Any, Any] = dict(zip(self.fieldnames, row, strict=False))  # type: ignore[arg-type]
        lf = len(self.fieldnames)  # type: ignore[arg-type]
        lr = len(row)
        if lf < lr:
            result[self.restkey] = row[lf:]
        elif lf > lr:
            for key in self.fieldnames[lr:]:  # type: ignore[index]
                result[key] = self.restval
        return result


class DictWriter(Generic[_T]):
    """Write dicts as rows, in the order of ``fieldnames``.

    Missing keys are written as ``restval``; keys not in ``fieldnames`` raise ``ValueError``
    unless ``extrasaction="ignore"``.

    >>> import io
    >>> out = io.StringIO()
    >>> w = DictWriter(out, fieldnames=["name", "age"])
    >>> w.writeheader()
    10
    >>> w.writerow({"name": "Ada", "age": 36})
    8
    >>> out.getvalue()
    'name,age\\r\\nAda,36\\r\\n'
    """

    def __init__(
        self,
        f: Any,
        fieldnames: Collection[_T],
        restval: Any = "",
        extrasaction: str = "raise",
        dialect: Any = "excel",
        *args: Any,
        **kwds: Any,
    ) -> None:
        self.fieldnames = fieldnames
        self.restval = restval
        if extrasaction.lower() not in ("raise", "ignore"):
            raise ValueError(f"extrasaction ({extrasaction}) must be 'raise' or 'ignore'")
        self.extrasaction = extrasaction
        self.writer: Writer = writer(f, dialect, *args, **kwds)

    def writeheader(self) -> Any:
        """Write a row of the field names; returns what the file's ``write()`` returned."""
        header = dict(zip(self.fieldnames, self.fieldnames, strict=False))
        return self.writerow(header)

    def _dict_to_list(self, rowdict: Mapping[_T, Any]) -> Iterator[Any]:
        if self.extrasaction == "raise":
            wrong_fields = rowdict.keys() - self.fieldnames
            if wrong_fields:
                raise ValueError(
                    "dict contains fields not in fieldnames: "
                    + ", ".join([repr(x) for x in wrong_fields])
                )
        return (rowdict.get(key, self.restval) for key in self.fieldnames)

    def writerow(self, rowdict: Mapping[_T, Any]) -> Any:
        """Write one dict as a row; returns what the file's ``write()`` returned."""
        return self.writer.writerow(self._dict_to_list(rowdict))

    def writerows(self, rowdicts: Iterable[Mapping[_T, Any]]) -> None:
        """Write every dict of an iterable as a row."""
        # Typed Any: callers may replace `writer` with any object that has `writerows`.
        writer: Any = self.writer
        names = self.fieldnames
        if (
            type(writer) is Writer
            and (type(names) is list or type(names) is tuple)
            and type(self)._dict_to_list is DictWriter._dict_to_list
        ):
            # Dict rows are turned into fields natively, without a generator per row; the
            # rest, and the extra-keys error, go through `_dict_to_list`.
            writer._write_dicts(
                names, self.restval, self.extrasaction == "raise", rowdicts, self._dict_to_list
            )
        else:
            writer.writerows(map(self._dict_to_list, rowdicts))


class Sniffer(_std_csv.Sniffer):
    """Deduce the format of a CSV file from a sample: :meth:`sniff` and :meth:`has_header`.

    The heuristics are the standard library's own (so results are identical); the dialect
    returned is a :class:`ferrule.csv.Dialect` and failures raise :class:`ferrule.csv.Error`.

    >>> d = Sniffer().sniff("a;b;c\\n1;2;3\\n")
    >>> d.delimiter
    ';'
    """

    # The dialect class is ferrule's own, which the stdlib's annotation cannot know.
    def sniff(  # type: ignore[override]
        self, sample: str, delimiters: str | None = None
    ) -> type[Dialect]:
        """Return a :class:`Dialect` subclass describing ``sample``."""
        # The heuristics are private methods of the stdlib's Sniffer, absent from its stubs.
        heuristics: Any = self
        quotechar, doublequote, delimiter, skipinitialspace = heuristics._guess_quote_and_delimiter(
            sample, delimiters
        )
        if not delimiter:
            delimiter, skipinitialspace = heuristics._guess_delimiter(sample, delimiters)
        if not delimiter:
            raise Error("Could not determine delimiter")

        class dialect(Dialect):
            _name = "sniffed"
            lineterminator = "\r\n"
            quoting = QUOTE_MINIMAL

        dialect.doublequote = doublequote
        dialect.delimiter = delimiter
        # A quotechar of '' is not accepted by the reader.
        dialect.quotechar = quotechar or '"'
        dialect.skipinitialspace = skipinitialspace
        return dialect

    def has_header(self, sample: str) -> bool:
        """Guess whether the first row of ``sample`` is a header."""
        try:
            return bool(super().has_header(sample))
        except _std_csv.Error as e:
            if isinstance(e, Error):
                raise
            raise Error(*e.args) from None
