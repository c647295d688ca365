//! `Dialect`: the eight formatting parameters, validated exactly as `_csv.Dialect` does.

use ferrule_csv::Quoting;
use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::errors::{csv_error, type_error};
use crate::registry;

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
}

#[pymethods]
impl Dialect {
    #[new]
    #[pyo3(signature = (dialect = None, **kwargs))]
    fn py_new(
        dialect: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let core = build(dialect, kwargs)?;
        Ok(Self { core })
    }

    #[getter]
    fn delimiter(&self) -> String {
        self.core.delimiter.to_string()
    }

    #[getter]
    fn doublequote(&self) -> bool {
        self.core.doublequote
    }

    #[getter]
    fn escapechar(&self) -> Option<String> {
        self.core.escapechar.map(String::from)
    }

    #[getter]
    fn lineterminator(&self) -> &str {
        &self.core.lineterminator
    }

    #[getter]
    fn quotechar(&self) -> Option<String> {
        self.core.quotechar.map(String::from)
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
    Bound::new(
        py,
        Dialect {
            core: build(dialect, fmtparams)?,
        },
    )
}

fn build(
    dialect: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<ferrule_csv::Dialect> {
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
fn convert(values: [Option<Bound<'_, PyAny>>; 8]) -> PyResult<ferrule_csv::Dialect> {
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
        None => ',',
        Some(v) => one_char("delimiter", v, false)?.unwrap_or(','),
    };
    let doublequote = truthy(doublequote.as_ref(), true)?;
    let escapechar = match &escapechar {
        None => None,
        Some(v) => one_char("escapechar", v, true)?,
    };
    let lineterminator = match &lineterminator {
        None => Some("\r\n".to_owned()),
        Some(v) if v.is_none() => None,
        Some(v) => Some(
            v.cast::<PyString>()
                .map_err(|_| type_error("\"lineterminator\" must be a string"))?
                .to_str()?
                .to_owned(),
        ),
    };
    let quotechar_is_none = quotechar.as_ref().is_some_and(Bound::is_none);
    let quotechar = match &quotechar {
        None => Some('"'),
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
    Ok(ferrule_csv::Dialect {
        delimiter,
        quotechar,
        escapechar,
        doublequote,
        skipinitialspace,
        lineterminator,
        quoting,
        strict,
    })
}

/// A one-character string parameter; `None` is allowed only where `_csv` allows it.
fn one_char(name: &str, value: &Bound<'_, PyAny>, or_none: bool) -> PyResult<Option<char>> {
    if or_none && value.is_none() {
        return Ok(None);
    }
    let Ok(s) = value.cast::<PyString>() else {
        let kind = if or_none { "string or None" } else { "string" };
        let tp = value.get_type().name()?;
        return Err(type_error(format!("\"{name}\" must be {kind}, not {tp}")));
    };
    let s = s.to_cow()?;
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(Some(c)),
        _ => Err(type_error(format!(
            "\"{name}\" must be a 1-character string"
        ))),
    }
}

fn truthy(value: Option<&Bound<'_, PyAny>>, default: bool) -> PyResult<bool> {
    value.map_or(Ok(default), Bound::is_truthy)
}

/// `dialect` must be a registered name or an object with dialect attributes.
pub(crate) fn unknown_dialect() -> PyErr {
    csv_error("unknown dialect")
}
