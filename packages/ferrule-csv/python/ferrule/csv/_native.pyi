"""The compiled core of :mod:`ferrule.csv` (a drop-in for CPython's ``_csv``)."""

from collections.abc import Callable, Collection, Iterable
from typing import Any, Final, Protocol, final, type_check_only

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
    def _next_dict(
        self, owner: Any, names: Iterable[Any], restkey: Any, restval: Any, /
    ) -> dict[Any, Any] | None:
        """``DictReader.__next__`` in one call (internal)."""

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
        """Write every row of ``rows``; the file receives them in large batches."""
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
