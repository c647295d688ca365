//! `Dialect`: the eight formatting parameters, validated exactly as `_csv.Dialect` does.

use ferrule_csv::{Quoting, Swap};
use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::errors::{csv_error, type_error};
use crate::reader::wtf8_str;
use crate::registry;
use crate::source::surrogatepass;

const PARAMS: [&str; 8] = [
    "delimiter",
    "doublequote",
    "escapechar",
    "lineterminator",
    "quotechar",
    "quoting",
    "skipinitialspace",
    "strict",
];

/// Describes a CSV dialect: how fields are delimited, quoted and escaped.
#[pyclass(frozen, subclass, module = "ferrule.csv._native", name = "Dialect")]
#[derive(Debug)]
pub(crate) struct Dialect {
    pub(crate) core: ferrule_csv::Dialect,
    /// Set when a dialect character or the line terminator holds a lone surrogate: `core`
    /// then holds them swapped, and so must the text read and written with it.
    pub(crate) swap: Option<Swap>,
}

#[pymethods]
impl Dialect {
    #[new]
    #[pyo3(signature = (dialect = None, **kwargs))]
    fn py_new(
        dialect: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        build(dialect, kwargs)
    }

    #[getter]
    fn delimiter<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        self.char_str(py, self.core.delimiter)
    }

    #[getter]
    fn doublequote(&self) -> bool {
        self.core.doublequote
    }

    #[getter]
    fn escapechar<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyString>>> {
        self.core
            .escapechar
            .map(|c| self.char_str(py, c))
            .transpose()
    }

    #[getter]
    fn lineterminator<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        self.text_str(py, self.core.lineterminator.as_bytes())
    }

    #[getter]
    fn quotechar<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyString>>> {
        self.core
            .quotechar
            .map(|c| self.char_str(py, c))
            .transpose()
    }

    #[getter]
    fn quoting(&self) -> u8 {
        quoting_value(self.core.quoting)
    }

    #[getter]
    fn skipinitialspace(&self) -> bool {
        self.core.skipinitialspace
    }

    #[getter]
    fn strict(&self) -> bool {
        self.core.strict
    }
}

impl Dialect {
    /// Text of the core (a dialect character, a field, a message) as the `str` it stands for.
    pub(crate) fn text_str<'py>(
        &self,
        py: Python<'py>,
        text: &[u8],
    ) -> PyResult<Bound<'py, PyString>> {
        match self.swap {
            None => wtf8_str(py, text),
            Some(swap) => wtf8_str(py, &swap.text(text)),
        }
    }

    fn char_str<'py>(&self, py: Python<'py>, c: char) -> PyResult<Bound<'py, PyString>> {
        self.text_str(py, c.encode_utf8(&mut [0; 4]).as_bytes())
    }
}

fn quoting_value(q: Quoting) -> u8 {
    match q {
        Quoting::Minimal => 0,
        Quoting::All => 1,
        Quoting::NonNumeric => 2,
        Quoting::None => 3,
    }
}

/// The `Dialect` for a reader or writer: `dialect` may be a registered name, a `Dialect`, or any
/// object with the dialect attributes; `fmtparams` override it. A `Dialect` given alone is reused.
pub(crate) fn resolve<'py>(
    py: Python<'py>,
    dialect: Option<&Bound<'py, PyAny>>,
    fmtparams: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, Dialect>> {
    let no_params = fmtparams.is_none_or(PyDictMethods::is_empty);
    if let Some(d) = dialect {
        if no_params {
            if let Ok(d) = d.cast::<Dialect>() {
                return Ok(d.clone());
            }
            if d.is_instance_of::<PyString>() {
                return registry::lookup(py, d);
            }
        }
    }
    Bound::new(py, build(dialect, fmtparams)?)
}

fn build(
    dialect: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Dialect> {
    convert(gather(dialect, kwargs)?)
}

/// The eight parameters in `PARAMS` order: keyword arguments first, then the base dialect's
/// attributes; `None` where neither gives one.
fn gather<'py>(
    dialect: Option<&Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<[Option<Bound<'py, PyAny>>; 8]> {
    let mut values: [Option<Bound<'_, PyAny>>; 8] = Default::default();
    let named = |name: &str| PARAMS.iter().position(|p| *p == name);
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            let key_str: String = key.extract().unwrap_or_default();
            if key_str == "dialect" {
                continue;
            }
            let Some(i) = named(&key_str) else {
                return Err(type_error(format!(
                    "'{key_str}' is an invalid keyword argument for this function"
                )));
            };
            values[i] = Some(value);
        }
    }
    let keyword_dialect = match kwargs {
        Some(kw) => kw.get_item("dialect")?,
        None => None,
    };
    let base = match (dialect, keyword_dialect) {
        (Some(_), Some(_)) => {
            return Err(type_error(
                "argument for Dialect() given by name ('dialect') and position (1)",
            ));
        }
        (Some(d), None) => Some(d.clone()),
        (None, kw) => kw.filter(|d| !d.is_none()),
    };
    let base = match base {
        Some(d) if d.is_instance_of::<PyString>() => Some(registry::lookup(d.py(), &d)?.into_any()),
        other => other,
    };
    if let Some(base) = &base {
        for (i, name) in PARAMS.iter().enumerate() {
            if values[i].is_none() {
                // A missing attribute means "use the default", as in `_csv`.
                values[i] = base.getattr(*name).ok();
            }
        }
    }
    Ok(values)
}

/// Checks and converts the parameters in `_csv`'s order, with its messages.
fn convert(values: [Option<Bound<'_, PyAny>>; 8]) -> PyResult<Dialect> {
    let [
        delimiter,
        doublequote,
        escapechar,
        lineterminator,
        quotechar,
        quoting,
        skipinitialspace,
        strict,
    ] = values;

    let delimiter = match &delimiter {
        None => u32::from(','),
        Some(v) => one_char("delimiter", v, false)?.unwrap_or(u32::from(',')),
    };
    let doublequote = truthy(doublequote.as_ref(), true)?;
    let escapechar = match &escapechar {
        None => None,
        Some(v) => one_char("escapechar", v, true)?,
    };
    let lineterminator = match &lineterminator {
        None => Some(b"\r\n".to_vec()),
        Some(v) if v.is_none() => None,
        Some(v) => {
            Some(wtf8_of(v.cast::<PyString>().map_err(|_| {
                type_error("\"lineterminator\" must be a string")
            })?)?)
        }
    };
    let quotechar_is_none = quotechar.as_ref().is_some_and(Bound::is_none);
    let quotechar = match &quotechar {
        None => Some(u32::from('"')),
        Some(v) => one_char("quotechar", v, true)?,
    };
    let quoting_given = quoting.is_some();
    let quoting = match &quoting {
        None => 0,
        Some(v) => {
            if !v.get_type().is(v.py().get_type::<pyo3::types::PyInt>()) {
                return Err(type_error("\"quoting\" must be an integer"));
            }
            // `_csv` reads it as a C int; its overflow message names that type.
            v.extract::<i32>()
                .map_err(|_| PyOverflowError::new_err("Python int too large to convert to C int"))?
        }
    };
    let skipinitialspace = truthy(skipinitialspace.as_ref(), false)?;
    let strict = truthy(strict.as_ref(), false)?;

    let mut quoting = match quoting {
        0 => Quoting::Minimal,
        1 => Quoting::All,
        2 => Quoting::NonNumeric,
        3 => Quoting::None,
        _ => return Err(type_error("bad \"quoting\" value")),
    };
    if quotechar_is_none && !quoting_given {
        quoting = Quoting::None;
    }
    if quoting != Quoting::None && quotechar.is_none() {
        return Err(type_error("quotechar must be set if quoting enabled"));
    }
    let Some(lineterminator) = lineterminator else {
        return Err(type_error("lineterminator must be set"));
    };
    let (swap, [delimiter, quotechar, escapechar], lineterminator) =
        to_chars([Some(delimiter), quotechar, escapechar], &lineterminator)?;
    Ok(Dialect {
        core: ferrule_csv::Dialect {
            delimiter: delimiter.unwrap_or(','),
            quotechar,
            escapechar,
            doublequote,
            skipinitialspace,
            lineterminator,
            quoting,
            strict,
        },
        swap,
    })
}

/// The dialect characters and line terminator (code points and WTF-8) as the core holds them:
/// unchanged, or swapped when one holds a lone surrogate (see [`Swap`]).
fn to_chars(
    chars: [Option<u32>; 3],
    lineterminator: &[u8],
) -> PyResult<(Option<Swap>, [Option<char>; 3], String)> {
    let scalar = |c: &Option<u32>| c.is_none_or(|c| char::from_u32(c).is_some());
    let swap = if chars.iter().all(scalar) && std::str::from_utf8(lineterminator).is_ok() {
        None
    } else {
        let mut used: Vec<u32> = chars.iter().flatten().copied().collect();
        let mut at = 0;
        while at < lineterminator.len() {
            let (c, len) = Swap::code_point_at(lineterminator, at);
            used.push(c);
            at += len;
        }
        Some(Swap::avoiding(&used).ok_or_else(|| {
            PyValueError::new_err("too many private-use characters beside a lone surrogate")
        })?)
    };
    let to_char = |c: u32| match swap {
        None => char::from_u32(c),
        Some(swap) => swap.to_char(c),
    };
    let lineterminator = match swap {
        None => lineterminator.to_vec(),
        Some(swap) => swap.text(lineterminator),
    };
    let lineterminator = String::from_utf8(lineterminator)
        .map_err(|_| PyValueError::new_err("the line terminator is not text"))?;
    Ok((swap, chars.map(|c| c.and_then(to_char)), lineterminator))
}

/// `s` as WTF-8: UTF-8, or `surrogatepass`'s bytes when it holds a lone surrogate.
fn wtf8_of(s: &Bound<'_, PyString>) -> PyResult<Vec<u8>> {
    match s.to_str() {
        Ok(text) => Ok(text.as_bytes().to_vec()),
        Err(_) => Ok(surrogatepass(s)?.as_bytes().to_vec()),
    }
}

/// A one-character string parameter, as its code point (a lone surrogate included); `None`
/// is allowed only where `_csv` allows it.
fn one_char(name: &str, value: &Bound<'_, PyAny>, or_none: bool) -> PyResult<Option<u32>> {
    if or_none && value.is_none() {
        return Ok(None);
    }
    let Ok(s) = value.cast::<PyString>() else {
        let kind = if or_none { "string or None" } else { "string" };
        let tp = value.get_type().name()?;
        return Err(type_error(format!("\"{name}\" must be {kind}, not {tp}")));
    };
    if s.len()? != 1 {
        return Err(type_error(format!(
            "\"{name}\" must be a 1-character string"
        )));
    }
    let text = wtf8_of(s)?;
    Ok(Some(Swap::code_point_at(&text, 0).0))
}

fn truthy(value: Option<&Bound<'_, PyAny>>, default: bool) -> PyResult<bool> {
    value.map_or(Ok(default), Bound::is_truthy)
}

/// `dialect` must be a registered name or an object with dialect attributes.
pub(crate) fn unknown_dialect() -> PyErr {
    csv_error("unknown dialect")
}
