//! python-jsonschema's message texts. They quote values with Python's `repr` (not JSON), so
//! they are rendered here, against the Python objects, rather than by the core.

use std::fmt::Write as _;

use ferrule_jsonschema::ErrorKind;
use pyo3::exceptions::PyRecursionError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PySlice, PyString};

use crate::instance::number_to_python;

/// What a message may quote besides the instance: the keyword's value and the schema holding
/// it (either is python-jsonschema's `_unset` sentinel when the location was not found).
pub(crate) struct SchemaSide<'a, 'py> {
    pub(crate) value: &'a Bound<'py, PyAny>,
    pub(crate) schema: &'a Bound<'py, PyAny>,
    /// The validator class's draft (`"draft7"`, ...): `contains` is worded per draft.
    pub(crate) draft: &'a str,
}

/// `repr(value)`, bounded: data too deeply nested to print does not hide the error.
pub(crate) fn repr(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = value.cast_exact::<PyString>() {
        return Ok(repr_str(&s.to_cow()?).unwrap_or_else(|| python_repr(value)));
    }
    match value.repr() {
        Ok(r) => Ok(r.to_cow()?.into_owned()),
        Err(e) if e.is_instance_of::<PyRecursionError>(value.py()) => Ok(format!(
            "<{} nested too deeply to show>",
            value.get_type().name()?
        )),
        Err(e) => Err(e),
    }
}

fn python_repr(value: &Bound<'_, PyAny>) -> String {
    value
        .repr()
        .and_then(|r| r.to_cow().map(std::borrow::Cow::into_owned))
        .unwrap_or_default()
}

/// The repr of a str when Python's is plain: printable ASCII with no quote or backslash is
/// quoted as is (the common case: keys, keywords, short values); `None` otherwise.
fn repr_str(s: &str) -> Option<String> {
    if s.bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'\'' && b != b'\\')
    {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('\'');
        out.push_str(s);
        out.push('\'');
        Some(out)
    } else {
        None
    }
}

/// `repr` of a Rust string as Python writes it.
fn repr_of_str(py: Python<'_>, s: &str) -> PyResult<String> {
    match repr_str(s) {
        Some(r) => Ok(r),
        None => repr(PyString::new(py, s).as_any()),
    }
}

fn str_of(value: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(value.str()?.to_cow()?.into_owned())
}

/// A `minContains`/`maxContains` limit as python-jsonschema prints it: `str()` of the keyword's
/// value in the schema when there is one, else the core's limit.
fn contains_limit(value: &Bound<'_, PyAny>, limit: u64) -> PyResult<String> {
    if value.is_none() {
        Ok(limit.to_string())
    } else {
        str_of(value)
    }
}

/// `", ".join(repr(x) for x in items)` and "was"/"were".
fn extras(items: &[String]) -> (String, &'static str) {
    let verb = if items.len() == 1 { "was" } else { "were" };
    (items.join(", "), verb)
}

fn reprs_of_strs(
    py: Python<'_>,
    items: &[std::sync::Arc<str>],
    sort: bool,
) -> PyResult<Vec<String>> {
    let mut items: Vec<&str> = items.iter().map(|s| &**s).collect();
    if sort {
        // UTF-8 byte order is code point order, Python's order of str.
        items.sort_unstable();
    }
    items.into_iter().map(|s| repr_of_str(py, s)).collect()
}

/// `python-jsonschema`'s boundary words of the size keywords: (at the boundary, otherwise,
/// the boundary).
fn size_words(kind: &ErrorKind) -> Option<(&'static str, &'static str, i64)> {
    Some(match kind {
        ErrorKind::MinItems { .. } | ErrorKind::MinLength { .. } => {
            ("should be non-empty", "is too short", 1)
        }
        ErrorKind::MaxItems { .. } | ErrorKind::MaxLength { .. } => {
            ("is expected to be empty", "is too long", 0)
        }
        ErrorKind::MinProperties { .. } => {
            ("should be non-empty", "does not have enough properties", 1)
        }
        ErrorKind::MaxProperties { .. } => {
            ("is expected to be empty", "has too many properties", 0)
        }
        _ => return None,
    })
}

/// The python-jsonschema message of one error.
#[expect(clippy::too_many_lines, reason = "one arm per error kind")]
pub(crate) fn message(
    keyword: &str,
    kind: &ErrorKind,
    instance: &Bound<'_, PyAny>,
    at: &SchemaSide<'_, '_>,
) -> PyResult<String> {
    let py = instance.py();
    let value = at.value;
    let i = || repr(instance);
    let mut out = String::new();
    match kind {
        ErrorKind::FalseSchema { .. } => write!(out, "False schema does not allow {}", i()?),
        ErrorKind::Type { expected } => {
            let names = reprs_of_strs(py, expected, false)?;
            write!(out, "{} is not of type {}", i()?, names.join(", "))
        }
        ErrorKind::Required { property } => {
            write!(out, "{} is a required property", repr_of_str(py, property)?)
        }
        ErrorKind::DependentRequired { property, missing } => write!(
            out,
            "{} is a dependency of {}",
            repr_of_str(py, missing)?,
            repr_of_str(py, property)?
        ),
        ErrorKind::Enum { .. } => write!(out, "{} is not one of {}", i()?, repr(value)?),
        ErrorKind::Const { .. } => write!(out, "{} was expected", repr(value)?),
        ErrorKind::Minimum { limit }
        | ErrorKind::Maximum { limit }
        | ErrorKind::ExclusiveMinimum { limit }
        | ErrorKind::ExclusiveMaximum { limit } => {
            // Draft 4's boolean `exclusiveMinimum` reports the limit of `minimum`.
            let limit = if value.is_none() || value.is_instance_of::<pyo3::types::PyBool>() {
                repr(&number_to_python(py, limit)?)?
            } else {
                repr(value)?
            };
            let cmp = match kind {
                ErrorKind::Minimum { .. } => "less than the minimum",
                ErrorKind::ExclusiveMinimum { .. } => "less than or equal to the minimum",
                ErrorKind::Maximum { .. } => "greater than the maximum",
                _ => "greater than or equal to the maximum",
            };
            write!(out, "{} is {cmp} of {limit}", i()?)
        }
        ErrorKind::MultipleOf { .. } => {
            write!(out, "{} is not a multiple of {}", i()?, str_of(value)?)
        }
        ErrorKind::MinLength { .. }
        | ErrorKind::MaxLength { .. }
        | ErrorKind::MinItems { .. }
        | ErrorKind::MaxItems { .. }
        | ErrorKind::MinProperties { .. }
        | ErrorKind::MaxProperties { .. } => {
            let (empty, other, boundary) = size_words(kind).unwrap_or(("", "", 0));
            let words = if value.eq(boundary)? { empty } else { other };
            write!(out, "{} {words}", i()?)
        }
        ErrorKind::UniqueItems => write!(out, "{} has non-unique elements", i()?),
        ErrorKind::Pattern { pattern } => {
            write!(out, "{} does not match {}", i()?, repr_of_str(py, pattern)?)
        }
        ErrorKind::Format { format } => {
            write!(out, "{} is not a {}", i()?, repr_of_str(py, format)?)
        }
        ErrorKind::AdditionalProperties { unexpected, .. } => {
            let patterns = at
                .schema
                .cast::<PyDict>()
                .ok()
                .map(|s| s.get_item("patternProperties"))
                .transpose()?
                .flatten();
            if let Some(patterns) = patterns {
                let verb = if unexpected.len() == 1 { "does" } else { "do" };
                let joined = reprs_of_strs(py, unexpected, true)?.join(", ");
                let sorted = py.import("builtins")?.call_method1("sorted", (patterns,))?;
                let mut reprs = Vec::new();
                for p in sorted.try_iter()? {
                    reprs.push(repr(&p?)?);
                }
                write!(
                    out,
                    "{joined} {verb} not match any of the regexes: {}",
                    reprs.join(", ")
                )
            } else {
                let (joined, verb) = extras(&reprs_of_strs(py, unexpected, true)?);
                write!(
                    out,
                    "Additional properties are not allowed ({joined} {verb} unexpected)"
                )
            }
        }
        ErrorKind::AdditionalItems { allowed } => {
            let prefix = *allowed;
            let len = instance.len()?;
            let rest = instance.get_item(PySlice::new(py, isize_of(prefix), isize_of(len), 1))?;
            if keyword == "additionalItems" {
                let mut items = Vec::new();
                for item in rest.try_iter()? {
                    items.push(repr(&item?)?);
                }
                let (joined, verb) = extras(&items);
                write!(
                    out,
                    "Additional items are not allowed ({joined} {verb} unexpected)"
                )
            } else {
                let extra = isize_of(len) - isize_of(prefix);
                let rest = if extra == 1 {
                    instance.get_item(prefix)?
                } else {
                    rest
                };
                let item = if prefix == 1 { "item" } else { "items" };
                write!(
                    out,
                    "Expected at most {prefix} {item} but found {extra} extra: {}",
                    repr(&rest)?
                )
            }
        }
        ErrorKind::UnevaluatedProperties {
            unexpected,
            is_false,
        } => {
            let (joined, verb) = extras(&reprs_of_strs(py, unexpected, *is_false)?);
            if *is_false {
                write!(
                    out,
                    "Unevaluated properties are not allowed ({joined} {verb} unexpected)"
                )
            } else {
                write!(
                    out,
                    "Unevaluated properties are not valid under the given schema \
                     ({joined} {verb} unevaluated and invalid)"
                )
            }
        }
        ErrorKind::UnevaluatedItems { unexpected, .. } => {
            let mut items = Vec::with_capacity(unexpected.len());
            for &k in unexpected {
                items.push(repr(&instance.get_item(k)?)?);
            }
            let (joined, verb) = extras(&items);
            write!(
                out,
                "Unevaluated items are not allowed ({joined} {verb} unexpected)"
            )
        }
        ErrorKind::Contains => {
            if matches!(at.draft, "draft6" | "draft7") {
                write!(out, "None of {} are valid under the given schema", i()?)
            } else {
                write!(
                    out,
                    "{} does not contain items matching the given schema",
                    i()?
                )
            }
        }
        ErrorKind::MinContains { limit, matched } => {
            let limit = contains_limit(value, *limit)?;
            write!(
                out,
                "Too few items match the given schema (expected at least {limit} but only \
                 {matched} matched)"
            )
        }
        ErrorKind::MaxContains { limit, .. } => {
            let limit = contains_limit(value, *limit)?;
            write!(
                out,
                "Too many items match the given schema (expected at most {limit})"
            )
        }
        ErrorKind::AnyOf { .. } | ErrorKind::OneOfNotValid { .. } => {
            write!(out, "{} is not valid under any of the given schemas", i()?)
        }
        ErrorKind::OneOfMultipleValid { valid } => {
            // python-jsonschema names the branches found valid after the first, then the first.
            let order = valid.iter().skip(1).chain(valid.first());
            let mut reprs = Vec::with_capacity(valid.len());
            for &k in order {
                reprs.push(repr(&value.get_item(k)?)?);
            }
            write!(out, "{} is valid under each of {}", i()?, reprs.join(", "))
        }
        ErrorKind::Not { .. } => {
            write!(out, "{} should not be valid under {}", i()?, repr(value)?)
        }
        ErrorKind::RecursionLimit { limit } => write!(
            out,
            "maximum validation depth of {limit} exceeded (a $ref cycle, or too deeply nested data)"
        ),
        _ => write!(
            out,
            "{} is not valid under {}",
            i()?,
            repr_of_str(py, keyword)?
        ),
    }
    .map_err(|e| crate::errors::runtime_error(e.to_string()))?;
    Ok(out)
}

fn isize_of(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}
