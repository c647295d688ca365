//! The compiled `Validator` and the raw errors it hands to Python.
//!
//! A raw error is a tuple `(keyword, kind, data, instance, path, schema_path, location,
//! context)`: `kind` names the core's `ErrorKind` in snake case, `data` holds what its message
//! needs beyond the schema value, `location` is the absolute keyword location (resolved to
//! `schema`/`validator_value` by [`Validator::schema_at`]), and `context` holds the raw errors
//! of `anyOf`/`oneOf` branches and `propertyNames` with `instance` set to `None` and paths
//! relative to the parent. Python turns them into `ValidationError`s (messages with `repr`s).

use std::sync::{Arc, OnceLock};

use ferrule_jsonschema::{
    ContextError, Draft, ErrorKind, Options, OutputFormat, ParseError, PathItem, SchemaErrorKind,
    ValidationError, Value,
};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::errors::{json_error, schema_error, value_error};
use crate::instance::{PyJson, State, number_to_python, to_python};
use crate::retrieve::{PyRetrieve, schema_value};

fn draft_from_name(name: &str) -> PyResult<Draft> {
    Ok(match name {
        "draft4" => Draft::Draft4,
        "draft6" => Draft::Draft6,
        "draft7" => Draft::Draft7,
        "draft2019-09" => Draft::Draft201909,
        "draft2020-12" => Draft::Draft202012,
        _ => return Err(value_error(format!("unknown draft {name:?}"))),
    })
}

/// A compiled schema. Immutable, so one instance is safe to share between threads.
#[pyclass(frozen, module = "ferrule.jsonschema._native")]
pub(crate) struct Validator {
    inner: ferrule_jsonschema::Validator,
    schema: Py<PyAny>,
    draft: Option<String>,
    force_draft: bool,
    formats: Option<Vec<String>>,
    host_formats: Vec<String>,
    format_check: Option<Py<PyAny>>,
    retrieve: Option<Py<PyAny>>,
    /// [`ferrule_jsonschema::Validator::keys`] as interned Python strings.
    keys: Vec<Py<PyString>>,
}

/// JSON text longer than this is parsed and validated with the interpreter released.
const DETACH_BYTES: usize = 16 * 1024;

/// JSON text, borrowed without copying from `bytes`/`str` (and `bytearray`, copied).
enum Text {
    Bytes(PyBackedBytes),
    Str(PyBackedStr),
}

impl Text {
    fn new(data: &Bound<'_, PyAny>) -> PyResult<Text> {
        if data.is_instance_of::<PyString>() {
            Ok(Text::Str(data.extract()?))
        } else {
            data.extract().map(Text::Bytes).map_err(|_| {
                crate::errors::type_error(format!(
                    "JSON text must be str, bytes or bytearray, not {}",
                    data.get_type()
                        .qualname()
                        .map_or_else(|_| "?".into(), |n| n.to_string())
                ))
            })
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Bytes(b) => b.as_ref(),
            Text::Str(s) => s.as_bytes(),
        }
    }
}

/// `(schema, validator_value)` of an error location.
type SchemaAndValue<'py> = (Bound<'py, PyAny>, Option<Bound<'py, PyAny>>);

#[pymethods]
impl Validator {
    #[new]
    #[pyo3(signature = (schema, /, *, draft = None, force_draft = false, formats = None, host_formats = None, format_check = None, retrieve = None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "keyword-only options mirrored from Python"
    )]
    fn new(
        py: Python<'_>,
        schema: Bound<'_, PyAny>,
        draft: Option<String>,
        force_draft: bool,
        formats: Option<Vec<String>>,
        host_formats: Option<Vec<String>>,
        format_check: Option<Py<PyAny>>,
        retrieve: Option<Py<PyAny>>,
    ) -> PyResult<Self> {
        let value = schema_value(&schema)?;
        let mut options = Options::new();
        if let Some(name) = &draft {
            let d = draft_from_name(name)?;
            options = if force_draft {
                options.force_draft(d)
            } else {
                options.draft(d)
            };
        }
        if let Some(names) = &formats {
            options = options
                .validate_formats(true)
                .only_formats(names.iter().map(String::as_str));
        }
        let host_formats = host_formats.unwrap_or_default();
        options = options.host_formats(host_formats.iter().map(String::as_str));
        let retriever = retrieve.as_ref().map(|r| PyRetrieve(r.clone_ref(py)));
        let inner = options
            .build_shared(Arc::new(value), retriever.as_ref().map(|r| r as _))
            .map_err(|e| {
                let cause = match &e.kind {
                    SchemaErrorKind::Retrieve { source, .. } => {
                        source.downcast_ref::<PyErr>().map(|e| e.clone_ref(py))
                    }
                    _ => None,
                };
                schema_error(py, e, cause)
            })?;
        let keys = inner
            .keys()
            .iter()
            .map(|k| PyString::intern(py, k).unbind())
            .collect();
        Ok(Validator {
            keys,
            inner,
            schema: schema.unbind(),
            draft,
            force_draft,
            formats,
            host_formats,
            format_check,
            retrieve,
        })
    }

    /// The schema as given.
    #[getter]
    fn schema(&self, py: Python<'_>) -> Py<PyAny> {
        self.schema.clone_ref(py)
    }

    /// Is `instance` valid? Raises `TypeError`/`ValueError` for non-JSON values.
    fn is_valid(&self, instance: Bound<'_, PyAny>) -> PyResult<bool> {
        let state = self.state(instance.py());
        let valid = self.inner.is_valid(&PyJson::new(instance, &state));
        state.finish()?;
        Ok(valid)
    }

    /// Every error, as raw tuples.
    fn iter_errors<'py>(&self, instance: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let py = instance.py();
        let state = self.state(py);
        let errors: Vec<_> = self
            .inner
            .iter_errors(&PyJson::new(instance, &state))
            .collect();
        state.finish()?;
        raw_errors(py, errors, |j| Ok(j.obj.clone()))
    }

    /// The first error of `iter_errors`, found without looking for the others (`None` for a
    /// valid instance).
    fn first_error<'py>(
        &self,
        instance: Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let py = instance.py();
        let state = self.state(py);
        let error = self.inner.validate(&PyJson::new(instance, &state)).err();
        state.finish()?;
        error
            .map(|e| raw_error(py, &e, |j| Ok(j.obj.clone())))
            .transpose()
    }

    /// [`Validator::first_error`] of JSON text, parsed and validated with the interpreter
    /// released.
    fn first_error_json<'py>(
        &self,
        py: Python<'py>,
        data: Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyTuple>>> {
        self.on_text(
            &data,
            |obj| self.first_error(obj),
            ferrule_jsonschema::Validator::validate_json,
            |error| {
                error
                    .map(|e| raw_error(py, &e, |v: &Value| to_python(py, v)))
                    .transpose()
            },
        )
    }

    /// Validates JSON text (`bytes` or `str`) without building Python objects, the
    /// interpreter released; malformed text raises `JSONDecodeError`.
    fn is_valid_json(&self, data: Bound<'_, PyAny>) -> PyResult<bool> {
        self.on_text(
            &data,
            |obj| self.is_valid(obj),
            ferrule_jsonschema::Validator::is_valid_json,
            Ok,
        )
    }

    /// Every error of JSON text, as raw tuples (instances converted to Python objects).
    fn iter_errors_json<'py>(
        &self,
        py: Python<'py>,
        data: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.on_text(
            &data,
            |obj| self.iter_errors(obj),
            ferrule_jsonschema::Validator::errors_json,
            |errors| raw_errors(py, errors, |v: &Value| to_python(py, v)),
        )
    }

    /// The result in a JSON Schema output format (`flag`, `basic`, `detailed`, `verbose`),
    /// as plain dicts and lists.
    #[pyo3(signature = (instance, /, output = "basic"))]
    fn evaluate<'py>(
        &self,
        instance: Bound<'py, PyAny>,
        output: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = instance.py();
        let format = output_format(output)?;
        let state = self.state(py);
        let result = self.inner.evaluate(&PyJson::new(instance, &state), format);
        state.finish()?;
        to_python(py, &result)
    }

    /// [`Validator::evaluate`] on JSON text, parsed and evaluated with the interpreter
    /// released.
    #[pyo3(signature = (data, /, output = "basic"))]
    fn evaluate_json<'py>(
        &self,
        py: Python<'py>,
        data: Bound<'py, PyAny>,
        output: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let format = output_format(output)?;
        self.on_text(
            &data,
            |obj| self.evaluate(obj, output),
            |v, text| v.evaluate_json(text, format),
            |value| to_python(py, &value),
        )
    }

    /// `(schema, validator_value)` for an error's location and keyword: the schema object
    /// holding the keyword and the keyword's value (`None` when absent, as for a `false`
    /// schema, whose location is the schema itself).
    fn schema_at<'py>(
        &self,
        py: Python<'py>,
        location: &str,
        keyword: &str,
    ) -> PyResult<Option<SchemaAndValue<'py>>> {
        let found = if keyword == "false" {
            self.inner.subschema_at(location).map(|s| (s, None))
        } else {
            self.inner.schema_at(location)
        };
        let Some((schema, value)) = found else {
            return Ok(None);
        };
        let value = value.map(|v| to_python(py, v)).transpose()?;
        Ok(Some((to_python(py, schema)?, value)))
    }

    /// Pickling: the schema and options; unpickling compiles again.
    fn __getnewargs_ex__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("draft", &self.draft)?;
        kwargs.set_item("force_draft", self.force_draft)?;
        kwargs.set_item("formats", &self.formats)?;
        kwargs.set_item("host_formats", &self.host_formats)?;
        kwargs.set_item("format_check", &self.format_check)?;
        kwargs.set_item("retrieve", &self.retrieve)?;
        Ok((PyTuple::new(py, [self.schema.bind(py)])?, kwargs))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Validator({})", self.schema.bind(py).repr()?))
    }
}

impl Validator {
    fn state<'py>(&self, py: Python<'py>) -> State<'_, 'py> {
        State::new(
            self.format_check.as_ref().map(|f| f.bind(py).clone()),
            &self.keys,
        )
    }

    /// Runs `native` over JSON text (with the interpreter released for text longer than
    /// [`DETACH_BYTES`]) and `convert`s its result;
    /// with host format checkers, which are Python callables needing Python objects, runs
    /// `python` over the decoded text instead. Malformed text raises `JSONDecodeError`.
    fn on_text<'py, T: Send, R>(
        &self,
        data: &Bound<'py, PyAny>,
        python: impl FnOnce(Bound<'py, PyAny>) -> PyResult<R>,
        native: impl FnOnce(&ferrule_jsonschema::Validator, &[u8]) -> Result<T, ParseError> + Send,
        convert: impl FnOnce(T) -> PyResult<R>,
    ) -> PyResult<R> {
        let py = data.py();
        if !self.host_formats.is_empty() {
            return python(Self::parse(py, data)?);
        }
        let text = Text::new(data)?;
        let bytes = text.as_bytes();
        let inner = &self.inner;
        // Releasing and retaking the interpreter costs more than validating a small document
        // (a tool call's arguments); below the threshold the interpreter is held for a few
        // microseconds at most, far below its 5 ms switch interval.
        let result = if bytes.len() > DETACH_BYTES {
            py.detach(|| native(inner, bytes))
        } else {
            native(inner, bytes)
        };
        convert(result.map_err(|e| json_error(py, data, &e))?)
    }

    /// Parses JSON text into Python objects (the path for host format checkers).
    fn parse<'py>(py: Python<'py>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let text = Text::new(data)?;
        let bytes = text.as_bytes();
        let value = py
            .detach(|| ferrule_jsonschema::parse(bytes))
            .map_err(|e| json_error(py, data, &e))?;
        to_python(py, &value)
    }
}

fn output_format(name: &str) -> PyResult<OutputFormat> {
    OutputFormat::from_name(name).ok_or_else(|| {
        value_error(format!(
            "unknown output format '{name}': expected 'flag', 'basic', 'detailed' or 'verbose'"
        ))
    })
}

fn path_to_python<'py>(py: Python<'py>, path: &[PathItem]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for item in path {
        match item {
            PathItem::Key(k) => out.append(&**k)?,
            PathItem::Keyword(k) => out.append(*k)?,
            PathItem::Index(i) => out.append(*i)?,
        }
    }
    Ok(out)
}

fn without_refs(path: &[PathItem]) -> Vec<PathItem> {
    path.iter()
        .filter(|p| **p != PathItem::Keyword("$ref"))
        .cloned()
        .collect()
}

fn raw_errors<'py, J>(
    py: Python<'py>,
    errors: Vec<ValidationError<J>>,
    instance: impl Fn(&J) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for e in errors {
        out.append(raw_error(py, &e, &instance)?)?;
    }
    Ok(out)
}

fn raw_error<'py, J>(
    py: Python<'py>,
    e: &ValidationError<J>,
    instance: impl FnOnce(&J) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
    raw_tuple(
        py,
        e.keyword,
        &e.kind,
        instance(&e.instance)?,
        &e.instance_path,
        &e.python_schema_path(),
        &e.absolute_keyword_location,
    )
}

fn raw_context<'py>(py: Python<'py>, e: &ContextError) -> PyResult<Bound<'py, PyTuple>> {
    raw_tuple(
        py,
        e.keyword,
        &e.kind,
        py.None().into_bound(py),
        &e.relative_instance_path,
        &without_refs(&e.relative_schema_path),
        &e.absolute_keyword_location,
    )
}

/// The raw tuple of an error or a context error (see the module documentation).
fn raw_tuple<'py>(
    py: Python<'py>,
    keyword: &str,
    kind: &ErrorKind,
    instance: Bound<'py, PyAny>,
    instance_path: &[PathItem],
    schema_path: &[PathItem],
    location: &str,
) -> PyResult<Bound<'py, PyTuple>> {
    let (kind, data, context) = kind_to_python(py, kind)?;
    PyTuple::new(
        py,
        [
            PyString::new(py, keyword).into_any(),
            PyString::new(py, kind).into_any(),
            data.into_any(),
            instance,
            path_to_python(py, instance_path)?.into_any(),
            path_to_python(py, schema_path)?.into_any(),
            PyString::new(py, location).into_any(),
            context.into_any(),
        ],
    )
}

fn strs<'py>(py: Python<'py>, items: &[std::sync::Arc<str>]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, items.iter().map(|s| &**s))
}

#[expect(clippy::too_many_lines, reason = "one arm per error kind")]
fn kind_to_python<'py>(
    py: Python<'py>,
    kind: &ErrorKind,
) -> PyResult<(&'static str, Bound<'py, PyDict>, Bound<'py, PyList>)> {
    let data = PyDict::new(py);
    let context = PyList::empty(py);
    let add_context = |errors: &[ContextError]| -> PyResult<()> {
        for c in errors {
            context.append(raw_context(py, c)?)?;
        }
        Ok(())
    };
    let name = match kind {
        ErrorKind::FalseSchema => "false_schema",
        ErrorKind::Type { expected } => {
            data.set_item("expected", strs(py, expected)?)?;
            "type"
        }
        ErrorKind::Required { property } => {
            data.set_item("property", &**property)?;
            "required"
        }
        ErrorKind::DependentRequired { property, missing } => {
            data.set_item("property", &**property)?;
            data.set_item("missing", &**missing)?;
            "dependent_required"
        }
        ErrorKind::Enum { .. } => "enum",
        ErrorKind::Const { .. } => "const",
        ErrorKind::Minimum { limit }
        | ErrorKind::Maximum { limit }
        | ErrorKind::ExclusiveMinimum { limit }
        | ErrorKind::ExclusiveMaximum { limit } => {
            data.set_item("limit", number_to_python(py, limit)?)?;
            match kind {
                ErrorKind::Minimum { .. } => "minimum",
                ErrorKind::Maximum { .. } => "maximum",
                ErrorKind::ExclusiveMinimum { .. } => "exclusive_minimum",
                _ => "exclusive_maximum",
            }
        }
        ErrorKind::MultipleOf { .. } => "multiple_of",
        ErrorKind::MinLength { limit }
        | ErrorKind::MaxLength { limit }
        | ErrorKind::MinItems { limit }
        | ErrorKind::MaxItems { limit }
        | ErrorKind::MinProperties { limit }
        | ErrorKind::MaxProperties { limit } => {
            data.set_item("limit", limit)?;
            match kind {
                ErrorKind::MinLength { .. } => "min_length",
                ErrorKind::MaxLength { .. } => "max_length",
                ErrorKind::MinItems { .. } => "min_items",
                ErrorKind::MaxItems { .. } => "max_items",
                ErrorKind::MinProperties { .. } => "min_properties",
                _ => "max_properties",
            }
        }
        ErrorKind::UniqueItems => "unique_items",
        ErrorKind::Pattern { pattern } => {
            data.set_item("pattern", &**pattern)?;
            "pattern"
        }
        ErrorKind::Format { format } => {
            data.set_item("format", &**format)?;
            "format"
        }
        ErrorKind::AdditionalProperties {
            unexpected,
            patterns,
        } => {
            data.set_item("unexpected", strs(py, unexpected)?)?;
            data.set_item("patterns", strs(py, patterns)?)?;
            "additional_properties"
        }
        ErrorKind::AdditionalItems { allowed } => {
            data.set_item("allowed", allowed)?;
            "additional_items"
        }
        ErrorKind::UnevaluatedProperties {
            unexpected,
            is_false,
        } => {
            data.set_item("unexpected", strs(py, unexpected)?)?;
            data.set_item("is_false", is_false)?;
            "unevaluated_properties"
        }
        ErrorKind::UnevaluatedItems {
            unexpected,
            is_false,
        } => {
            data.set_item("unexpected", unexpected)?;
            data.set_item("is_false", is_false)?;
            "unevaluated_items"
        }
        ErrorKind::Contains => "contains",
        ErrorKind::MinContains { limit, matched } => {
            data.set_item("limit", limit)?;
            data.set_item("matched", matched)?;
            "min_contains"
        }
        ErrorKind::MaxContains { limit, matched } => {
            data.set_item("limit", limit)?;
            data.set_item("matched", matched)?;
            "max_contains"
        }
        ErrorKind::AnyOf { context } => {
            add_context(context)?;
            "any_of"
        }
        ErrorKind::OneOfNotValid { context } => {
            add_context(context)?;
            "one_of_not_valid"
        }
        ErrorKind::OneOfMultipleValid { valid } => {
            data.set_item("valid", valid)?;
            "one_of_multiple_valid"
        }
        ErrorKind::Not { .. } => "not",
        ErrorKind::PropertyNames { property, context } => {
            data.set_item("property", &**property)?;
            add_context(context)?;
            "property_names"
        }
        ErrorKind::RecursionLimit { limit } => {
            data.set_item("limit", limit)?;
            "recursion_limit"
        }
        _ => "unknown",
    };
    Ok((name, data, context))
}

/// Checks a string against a built-in format: `None` for a format the core does not know.
#[pyfunction]
#[pyo3(signature = (format, value, /, draft = "draft2020-12"))]
pub(crate) fn check_format(format: &str, value: &str, draft: &str) -> PyResult<Option<bool>> {
    Ok(ferrule_jsonschema::check_format(
        format,
        value,
        draft_from_name(draft)?,
    ))
}

/// The built-in format names of a draft.
#[pyfunction]
#[pyo3(signature = (draft = "draft2020-12"))]
pub(crate) fn known_formats(draft: &str) -> PyResult<Vec<&'static str>> {
    const ALL: &[&str] = &[
        "date",
        "time",
        "date-time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "uuid",
        "regex",
    ];
    let draft = draft_from_name(draft)?;
    Ok(ALL
        .iter()
        .copied()
        .filter(|f| ferrule_jsonschema::check_format(f, "", draft).is_some())
        .collect())
}

/// A draft's metaschema, as a new Python object.
#[pyfunction]
pub(crate) fn metaschema(py: Python<'_>, draft: &str) -> PyResult<Py<PyAny>> {
    static SCHEMAS: [OnceLock<Value>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let draft = draft_from_name(draft)?;
    let index = Draft::ALL.iter().position(|d| *d == draft).unwrap_or(4);
    let value = SCHEMAS[index].get_or_init(|| {
        let meta = ferrule_jsonschema::metaschema_validator(draft);
        let uri = format!("{}#", draft.metaschema_uri());
        meta.subschema_at(&uri).cloned().unwrap_or(Value::Null)
    });
    Ok(to_python(py, value)?.unbind())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_by_name() {
        assert_eq!(draft_from_name("draft7").ok(), Some(Draft::Draft7));
    }
}
