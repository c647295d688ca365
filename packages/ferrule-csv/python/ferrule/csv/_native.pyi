"""The compiled core of :mod:`ferrule.csv` (a drop-in for CPython's ``_csv``)."""

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from os import PathLike
from typing import IO, Any, Final, Protocol, Self, final, type_check_only

from typing_extensions import disjoint_base

QUOTE_MINIMAL: Final = 0
QUOTE_ALL: Final = 1
QUOTE_NONNUMERIC: Final = 2
QUOTE_NONE: Final = 3
__version__: str

class Error(Exception):
    """Raised for CSV errors; a subclass of the standard ``csv.Error``.

    Parse errors carry the reader's ``line_num`` as an attribute and in the message.

    >>> import csv as std_csv
    >>> import ferrule.csv
    >>> issubclass(ferrule.csv.Error, std_csv.Error)
    True
    """

@disjoint_base
class Dialect:
    """Describes a CSV dialect: how fields are delimited, quoted and escaped.

    Built from another dialect (a registered name or any object with the attributes) and
    keyword overrides, validated with the standard module's rules and messages.

    >>> from ferrule.csv._native import Dialect
    >>> d = Dialect(delimiter=";")
    >>> d.delimiter, d.quotechar, d.lineterminator
    (';', '"', '\\r\\n')
    """

    def __new__(cls, dialect: Any = None, **kwargs: Any) -> Dialect: ...
    @property
    def delimiter(self) -> str:
        """The one-character field separator."""
    @property
    def doublequote(self) -> bool:
        """Whether a quote inside a quoted field is doubled."""
    @property
    def escapechar(self) -> str | None:
        """The character that makes the next one literal, or ``None``."""
    @property
    def lineterminator(self) -> str:
        """What the writer ends each row with."""
    @property
    def quotechar(self) -> str | None:
        """The quoting character, or ``None``."""
    @property
    def quoting(self) -> int:
        """One of the ``QUOTE_*`` constants."""
    @property
    def skipinitialspace(self) -> bool:
        """Whether spaces right after a delimiter are skipped."""
    @property
    def strict(self) -> bool:
        """Whether bad quoting and an unexpected end of data raise :class:`Error`."""

@type_check_only
class _Writable(Protocol):
    def write(self, s: str, /) -> object: ...

@final
class Reader:
    """A CSV reader: iterate over it for rows. Create one with :func:`reader`.

    >>> import io
    >>> from ferrule.csv import reader
    >>> r = reader(io.StringIO("a,b\\r\\n"))
    >>> next(r), r.line_num
    (['a', 'b'], 1)
    """

    @property
    def dialect(self) -> Dialect:
        """The dialect this reader was created with."""
    @property
    def line_num(self) -> int:
        """The number of lines read from the source so far."""
    def __iter__(self) -> Reader: ...
    def __next__(self) -> list[Any]: ...

@disjoint_base
class DictReaderBase:
    """The native base of :class:`ferrule.csv.DictReader` (internal): its attributes and
    ``__next__``.
    """

    reader: Any
    _fieldnames: Any
    restkey: Any
    restval: Any
    line_num: Any
    def __new__(cls, *args: Any, **kwargs: Any) -> Self: ...
    def __next__(self) -> Any: ...

@final
class Writer:
    """A CSV writer: call :meth:`writerow` or :meth:`writerows`. Create one with :func:`writer`.

    >>> import io
    >>> from ferrule.csv import writer
    >>> out = io.StringIO()
    >>> writer(out).writerows([["a", 1], ["b,c", None]])
    >>> out.getvalue()
    'a,1\\r\\n"b,c",\\r\\n'
    """

    @property
    def dialect(self) -> Dialect:
        """The dialect this writer was created with."""
    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row and return what the file's ``write()`` returned."""
    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row of ``rows``, as ``writerow`` would, one after another."""
    def _write_dicts(
        self,
        fieldnames: Collection[Any],
        restval: Any,
        raise_extras: bool,
        rowdicts: Iterable[Any],
        dict_to_list: Callable[[Any], Iterable[Any]],
        /,
    ) -> None:
        """``DictWriter.writerows`` in one call (internal)."""

def reader(csvfile: Iterable[str], dialect: Any = None, /, **fmtparams: Any) -> Reader:
    """Return a reader that yields each row of ``csvfile`` as a list of strings.

    ``csvfile`` is any iterable of strings (a text file opened with ``newline=''``, a list of
    lines); ``dialect`` is a registered name, a :class:`Dialect` or a dialect class, and
    ``fmtparams`` override single attributes.

    >>> import io
    >>> from ferrule.csv import reader
    >>> list(reader(io.StringIO("a;'b;c'\\n"), delimiter=";", quotechar="'"))
    [['a', 'b;c']]
    """

def writer(csvfile: _Writable, dialect: Any = None, /, **fmtparams: Any) -> Writer:
    """Return a writer that formats rows as delimited text into ``csvfile.write``.

    >>> import io
    >>> from ferrule.csv import writer
    >>> out = io.StringIO()
    >>> writer(out, delimiter="\\t").writerow(["a b", 2.5])
    9
    >>> out.getvalue()
    'a b\\t2.5\\r\\n'
    """

def register_dialect(name: str, dialect: Any = None, /, **fmtparams: Any) -> None:
    """Register a dialect under ``name``.

    >>> from ferrule.csv import register_dialect, get_dialect, unregister_dialect
    >>> register_dialect("pipes", delimiter="|")
    >>> get_dialect("pipes").delimiter
    '|'
    >>> unregister_dialect("pipes")
    """

def unregister_dialect(name: str) -> None:
    """Remove the dialect registered under ``name``; :class:`Error` if there is none.

    >>> from ferrule.csv import unregister_dialect, Error
    >>> try:
    ...     unregister_dialect("no-such-dialect")
    ... except Error as e:
    ...     print(e)
    unknown dialect
    """

def get_dialect(name: str) -> Dialect:
    """Return the dialect registered under ``name``.

    >>> from ferrule.csv import get_dialect
    >>> get_dialect("unix").lineterminator
    '\\n'
    """

def list_dialects() -> list[str]:
    """Return the names of all registered dialects.

    >>> from ferrule.csv import list_dialects
    >>> sorted(list_dialects())
    ['excel', 'excel-tab', 'unix']
    """

def field_size_limit(new_limit: int = ...) -> int:
    """Return the largest field the reader accepts (in characters); set it if given.

    >>> from ferrule.csv import field_size_limit
    >>> old = field_size_limit(1000)
    >>> field_size_limit(old)
    1000
    """

__all__ = [
    "QUOTE_ALL",
    "QUOTE_MINIMAL",
    "QUOTE_NONE",
    "QUOTE_NONNUMERIC",
    "Dialect",
    "DictReaderBase",
    "Error",
    "Reader",
    "Writer",
    "__version__",
    "field_size_limit",
    "get_dialect",
    "list_dialects",
    "reader",
    "register_dialect",
    "unregister_dialect",
    "writer",
]

# The columnar reader (issue #5).

class ReadError(Error):
    """Raised by :func:`read_csv` for bad input; says where in the message and as attributes.

    ``line`` (1-based), ``column`` (1-based: the field for record errors, the character for
    decoding errors) and ``byte_offset`` (0-based, in the input bytes for UTF-8).

    >>> from ferrule.csv import ReadError, read_csv
    >>> try:
    ...     read_csv(b"a,b\\n1,2\\n3\\n")
    ... except ReadError as e:
    ...     print(e, (e.line, e.column, e.byte_offset))
    expected 2 fields, found 1 at line 3 (byte 8) (3, 2, 8)
    """

    line: int | None
    column: int | None
    byte_offset: int | None

@final
class Table:
    """Typed columns read by :func:`read_csv`, exported through the Arrow PyCapsule interface.

    ``pyarrow.table(t)``, ``polars.DataFrame(t)`` and ``duckdb.sql("select * from t")`` read it
    without copying; :meth:`to_pydict` and :meth:`to_numpy` need no Arrow library.

    >>> from ferrule.csv import read_csv
    >>> t = read_csv(b"id,name\\n1,ada\\n2,\\n")
    >>> t
    <Table 2 rows x 2 columns: id: int64, name: string>
    >>> t.num_rows, t.num_columns, t.column_names, t.schema
    (2, 2, ['id', 'name'], {'id': 'int64', 'name': 'string'})
    >>> len(t)
    2
    """

    @property
    def num_rows(self) -> int:
        """The number of rows."""
    @property
    def num_columns(self) -> int:
        """The number of columns."""
    @property
    def column_names(self) -> list[str]:
        """The column names, in order."""
    @property
    def schema(self) -> dict[str, str]:
        """Each column's name and type: ``null``, ``bool``, ``int64``, ``float64``, ``date``,
        ``datetime``, ``datetime_tz`` (UTC) or ``string``."""
    def __len__(self) -> int: ...
    def to_pydict(self) -> dict[str, list[Any]]:
        """The table as a dict of column name to list of Python values (``None`` for nulls).

        >>> from ferrule.csv import read_csv
        >>> read_csv(b"n,d\\n1,2024-01-31\\n,\\n").to_pydict()
        {'n': [1, None], 'd': [datetime.date(2024, 1, 31), None]}
        """
    def to_numpy(self, column: str | int) -> Any:
        """One column (by name or index) as a NumPy array; a ``numpy.ma.MaskedArray`` when it
        has nulls, an ``object`` array for strings. Needs NumPy (which the docs build lacks, so
        this example is not run there; the tests run the same calls).

        .. code-block:: python

           from ferrule.csv import read_csv

           t = read_csv(b"x,y\\n1,a\\n,b\\n")
           t.to_numpy("x")  # masked_array(data=[1, --], mask=[False,  True])
           t.to_numpy(1)  # array(['a', 'b'], dtype=object)
        """
    def __arrow_c_schema__(self) -> Any:
        """The schema as an ``arrow_schema`` PyCapsule (Arrow PyCapsule interface)."""
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The record batches as an ``arrow_array_stream`` PyCapsule (Arrow PyCapsule
        interface); ``requested_schema`` is ignored, as the protocol allows."""

def read_csv(
    source: str | PathLike[str] | bytes | bytearray | memoryview | IO[str] | IO[bytes],
    /,
    *,
    delimiter: str = ",",
    quotechar: str | None = '"',
    escapechar: str | None = None,
    doublequote: bool = True,
    skipinitialspace: bool = False,
    lineterminator: str = "\r\n",
    has_header: bool = True,
    columns: str | Iterable[str | int] | None = None,
    n_rows: int | None = None,
    skip_rows: int = 0,
    dtypes: Mapping[str | int, str] | Sequence[str] | None = None,
    schema: Mapping[str, str] | None = None,
    null_values: Sequence[str] | None = None,
    encoding: str = "utf-8",
    encoding_errors: str = "strict",
    on_bad_lines: str | Callable[[list[str]], object] | None = None,
    ragged: str = "error",
    threads: int | None = None,
    infer_types: bool = True,
) -> Table:
    """Read CSV into typed columns: a :class:`Table`.

    ``source`` is a path, a file object (text or binary) or bytes. Records are split by the same
    state machine as :func:`reader` (with the dialect options named as in :mod:`csv`;
    ``lineterminator`` is accepted for symmetry and, as in :mod:`csv`, not used to read). Each
    column's type is inferred from all its cells (``bool``, ``int64``, ``float64``, ``date``,
    ``datetime``, ``datetime_tz``, ``string``, ``null``), promoting rather than failing: ints
    with missing values stay ints. ``dtypes`` gives types instead, by column name or index (or a
    list, by position). ``schema`` is the whole schema, as polars' ``schema=``: a mapping of
    every column, in order, to its type (``Table.schema`` fits); its names replace the header's,
    nothing is inferred, an input with another number of columns raises :class:`ValueError`, and
    ``dtypes`` still applies on top. Cells equal to one of ``null_values`` (default: the empty
    string) are null. The input is parsed in slices on ``threads`` threads (default: one per
    core) with the GIL released; quoted fields spanning lines stay correct. Ctrl-C stops a read
    of 4 MB or more at its next slice with ``KeyboardInterrupt``.

    A record whose field count differs from the header's is bad unless ``ragged`` is
    ``'pad'`` (short records get nulls) or ``'truncate'`` (also drops extra fields); so is a
    record cut off by the end of the input inside quotes. ``on_bad_lines`` is ``'error'``
    (default: :class:`ReadError`), ``'skip'``, ``'warn'`` (a :class:`RuntimeWarning` each) or
    a callable given each bad record's fields, returning ``None`` (the record is dropped) or,
    as in pandas, a list of strings: the row to put in its place (the input is then read again
    with those rows in place, so that they take part in type inference).

    >>> from ferrule.csv import read_csv
    >>> t = read_csv(b'id,score,note\\n1,2.5,"multi\\nline"\\n2,,x\\n')
    >>> t.schema
    {'id': 'int64', 'score': 'float64', 'note': 'string'}
    >>> t.to_pydict()
    {'id': [1, 2], 'score': [2.5, None], 'note': ['multi\\nline', 'x']}
    >>> read_csv(b"a;b\\n1;x\\n", delimiter=";", columns=["b"]).to_pydict()
    {'b': ['x']}
    """

@type_check_only
class _ArrowStreamExporter(Protocol):
    def __arrow_c_stream__(self, requested_schema: Any = None, /) -> Any: ...

def write_csv(
    data: _ArrowStreamExporter,
    dest: str | PathLike[str] | IO[str] | IO[bytes] | None = None,
    /,
    *,
    delimiter: str = ",",
    quotechar: str | None = '"',
    escapechar: str | None = None,
    doublequote: bool = True,
    lineterminator: str = "\n",
    quoting: int = 0,
    header: bool = True,
) -> bytes | None:
    """Write anything exporting ``__arrow_c_stream__`` (a :class:`Table`, a pyarrow table, a
    polars frame...) as CSV to ``dest``: a path, a text or binary file object, or ``None`` to
    get the bytes back.

    Quoting follows :func:`writer` (``quoting`` takes the ``QUOTE_*`` constants). Nulls are
    empty fields, floats are written in their shortest round-trip form, dates as
    ``YYYY-MM-DD`` and timestamps in ISO 8601 (with ``Z`` when they have a time zone). The
    batches are imported without copying and formatted with the GIL released.

    >>> from ferrule.csv import read_csv, write_csv
    >>> t = read_csv(b'n,x,d\\n1,"a,b",2024-01-31\\n,1.0,\\n')
    >>> write_csv(t)
    b'n,x,d\\n1,"a,b",2024-01-31\\n,1.0,\\n'
    """

def infer_schema(
    source: str | PathLike[str] | bytes | bytearray | memoryview | IO[str] | IO[bytes],
    /,
    *,
    n_rows: int | None = 10000,
    **options: Any,
) -> dict[str, str]:
    """The column types :func:`read_csv` would give, from the first ``n_rows`` records (all of
    them when ``None``); ``options`` are :func:`read_csv`'s.

    >>> from ferrule.csv import infer_schema
    >>> infer_schema(b"a;b\\n1;2024-01-02\\n", delimiter=";")
    {'a': 'int64', 'b': 'date'}
    """

def sniff(sample: str | bytes, /) -> dict[str, Any]:
    """Guess the ``delimiter``, ``quotechar`` and ``has_header`` of a sample, as
    :func:`read_csv` keywords. Only ``,``, tab, ``;``, ``|`` and ``:`` compete, each judged by
    how consistently the reader splits the records with it, so words or digits that happen to
    be evenly spread are never taken for delimiters (``csv.Sniffer``'s known failure); a
    sample that none splits is one column, reported with ``,``. Raises :class:`Error` for a
    sample without records.

    >>> from ferrule.csv import read_csv, sniff
    >>> data = b"name;note\\nada;'a;b'\\nbob;x\\n"
    >>> sniff(data)
    {'delimiter': ';', 'quotechar': "'", 'has_header': True}
    >>> read_csv(data, **sniff(data)).to_pydict()
    {'name': ['ada', 'bob'], 'note': ['a;b', 'x']}
    """

@final
class CsvScanner:
    """The iterator :func:`scan_csv` returns: one :class:`Table` per block of input."""

    def __iter__(self) -> CsvScanner: ...
    def __next__(self) -> Table: ...

def scan_csv(
    source: str | PathLike[str] | IO[str] | IO[bytes],
    /,
    *,
    block_bytes: int = 16777216,
    infer_all: bool = True,
    **options: Any,
) -> CsvScanner:
    """Read input larger than memory as a sequence of tables, one per ``block_bytes`` read
    (each holding the records the block completes); ``options`` are :func:`read_csv`'s.

    With ``infer_all`` (the default) a path or a seekable file object is first read once to
    the end, block by block, only to infer the types (this call does it, so it costs about one
    more read of the input, in time, not memory); every table then has the types
    :func:`read_csv` would infer over the whole input, so a column that turns from int to
    ``1.5`` late is ``float64`` in every table. A file object that cannot seek, or
    ``infer_all=False``, keeps the first table's types for the rest (a column empty in the
    whole first block is read as ``string``), and a later value that does not fit raises
    :class:`ReadError` with its position in the whole input: give ``dtypes`` for such columns.
    Paths are read with the GIL released. ``utf-16`` is decoded block by block (a code unit
    or surrogate pair cut by a block's end waits for the next one).

    >>> import io
    >>> from ferrule.csv import scan_csv
    >>> data = io.BytesIO(b'id,note\\n1,"a\\nb"\\n2,c\\n3,d\\n')
    >>> [t.to_pydict() for t in scan_csv(data, block_bytes=16)]
    [{'id': [1], 'note': ['a\\nb']}, {'id': [2, 3], 'note': ['c', 'd']}]
    """

__all__ += [
    "CsvScanner",
    "ReadError",
    "Table",
    "infer_schema",
    "read_csv",
    "scan_csv",
    "sniff",
    "write_csv",
]
