//! The compiled `Validator`; its errors become Python `ValidationError`s in
//! [`crate::validation_error`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ferrule_jsonschema::{Draft, Options, OutputFormat, ParseError, SchemaErrorKind, Value};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::errors::{json_error, schema_error, value_error};
use crate::instance::{PyJson, State, is_valid_in_place, to_python};
use crate::lazy_error::lazy;
use crate::retrieve::{PyRetrieve, schema_value};
use crate::text::with_text;
use crate::validation_error::{Errors, PyValidationError};

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
    /// [`Validator::schema_at`] by location and keyword: the errors of one location share
    /// their `schema` and `validator_value` objects, converted once.
    schema_cache: Mutex<SchemaCache>,
}

/// `(schema, validator_value)` of an error location, `None` standing for an absent value.
type SchemaAndValuePy = (Py<PyAny>, Py<PyAny>);

/// Location -> keyword -> what [`Validator::schema_at`] found there.
type SchemaCache = HashMap<Box<str>, Vec<(Box<str>, Option<SchemaAndValuePy>)>>;

/// JSON text longer than this is parsed and validated with the interpreter released.
const DETACH_BYTES: usize = 16 * 1024;

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
            schema_cache: Mutex::default(),
        })
    }

    /// The schema as given.
    #[getter]
    fn schema(&self, py: Python<'_>) -> Py<PyAny> {
        self.schema.clone_ref(py)
    }

    /// Is `instance` valid? Raises `TypeError`/`ValueError` for non-JSON values.
    pub(crate) fn is_valid(&self, instance: Bound<'_, PyAny>) -> PyResult<bool> {
        // Host formats are the only Python code the walk itself can call.
        let format_check = if self.host_formats.is_empty() {
            None
        } else {
            self.format_check
                .as_ref()
                .map(|f| f.bind(instance.py()).clone())
        };
        is_valid_in_place(&instance, format_check, &self.keys, |j| {
            self.inner.is_valid(j)
        })
    }

    /// Every error, as `ValidationError`s.
    pub(crate) fn iter_errors<'py>(
        slf: &Bound<'py, Self>,
        instance: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, Errors>> {
        let py = instance.py();
        let this = slf.get();
        let state = this.state(py);
        let errors: Vec<PyValidationError> = this
            .inner
            .iter_errors(&PyJson::new(instance, &state))
            .map(|e| e.map_instance(|j| j.into_object().unbind()))
            .collect();
        state.finish()?;
        Errors::new(py, slf.clone().unbind(), errors)
    }

    /// The first error of `iter_errors`, found without looking for the others, as a lazy
    /// `ValidationError` (`None` for a valid instance).
    pub(crate) fn first_error<'py>(
        slf: &Bound<'py, Self>,
        instance: Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let this = slf.get();
        let state = this.state(slf.py());
        let error = this.inner.validate(&PyJson::new(instance, &state)).err();
        state.finish()?;
        error
            .map(|e| lazy(slf, e.map_instance(|j| j.into_object().unbind())))
            .transpose()
    }

    /// [`Validator::first_error`] of JSON text, parsed and validated with the interpreter
    /// released.
    pub(crate) fn first_error_json<'py>(
        slf: &Bound<'py, Self>,
        data: Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let py = slf.py();
        slf.get().on_text(
            &data,
            |obj| Self::first_error(slf, obj),
            ferrule_jsonschema::Validator::validate_json,
            |error| {
                error
                    .map(|e| {
                        let instance = to_python(py, &e.instance)?.unbind();
                        lazy(slf, e.map_instance(|_| instance))
                    })
                    .transpose()
            },
        )
    }

    /// Validates JSON text (`bytes` or `str`) without building Python objects, the
    /// interpreter released; malformed text raises `JSONDecodeError`.
    pub(crate) fn is_valid_json(&self, data: Bound<'_, PyAny>) -> PyResult<bool> {
        self.on_text(
            &data,
            |obj| self.is_valid(obj),
            ferrule_jsonschema::Validator::is_valid_json,
            Ok,
        )
    }

    /// Every error of JSON text, as `ValidationError`s (instances converted to Python
    /// objects).
    fn iter_errors_json<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
        data: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, Errors>> {
        slf.get().on_text(
            &data,
            |obj| Self::iter_errors(slf, obj),
            ferrule_jsonschema::Validator::errors_json,
            |errors| {
                let errors = errors
                    .into_iter()
                    .map(|e| {
                        let instance = to_python(py, &e.instance)?.unbind();
                        Ok(e.map_instance(|_| instance))
                    })
                    .collect::<PyResult<Vec<PyValidationError>>>()?;
                Errors::new(py, slf.clone().unbind(), errors)
            },
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
        Ok(self
            .cached_schema_at(py, location, keyword)?
            .map(|(schema, value)| {
                let value = value.into_bound(py);
                (schema.into_bound(py), (!value.is_none()).then_some(value))
            }))
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
    /// The draft of the validator class (python-jsonschema words some messages per draft).
    pub(crate) fn draft_name(&self) -> &str {
        self.draft.as_deref().unwrap_or("draft2020-12")
    }

    /// [`Validator::schema_at`], converted once per location and keyword.
    pub(crate) fn cached_schema_at(
        &self,
        py: Python<'_>,
        location: &str,
        keyword: &str,
    ) -> PyResult<Option<SchemaAndValuePy>> {
        let poisoned = |_| crate::errors::runtime_error("schema cache poisoned by a panic");
        if let Some(found) = self
            .schema_cache
            .lock()
            .map_err(poisoned)?
            .get(location)
            .and_then(|entries| entries.iter().find(|(k, _)| &**k == keyword))
        {
            return Ok(found
                .1
                .as_ref()
                .map(|(s, v)| (s.clone_ref(py), v.clone_ref(py))));
        }
        // Converted outside the lock: two threads converting the same location get equal
        // objects, and the first one stored wins.
        let found = if keyword == "false" {
            self.inner.subschema_at(location).map(|s| (s, None))
        } else {
            self.inner.schema_at(location)
        };
        let converted = match found {
            Some((schema, value)) => Some((
                to_python(py, schema)?.unbind(),
                match value {
                    Some(v) => to_python(py, v)?.unbind(),
                    None => py.None(),
                },
            )),
            None => None,
        };
        let mut cache = self.schema_cache.lock().map_err(poisoned)?;
        let entries = cache.entry(location.into()).or_default();
        if let Some((_, stored)) = entries.iter().find(|(k, _)| &**k == keyword) {
            return Ok(stored
                .as_ref()
                .map(|(s, v)| (s.clone_ref(py), v.clone_ref(py))));
        }
        entries.push((
            keyword.into(),
            converted
                .as_ref()
                .map(|(s, v)| (s.clone_ref(py), v.clone_ref(py))),
        ));
        Ok(converted)
    }

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
        let inner = &self.inner;
        // Releasing and retaking the interpreter costs more than validating a small document
        // (a tool call's arguments); below the threshold the interpreter is held for a few
        // microseconds at most, far below its 5 ms switch interval.
        let result = with_text(data, |bytes| {
            if bytes.len() > DETACH_BYTES {
                py.detach(|| native(inner, bytes))
            } else {
                native(inner, bytes)
            }
        })?;
        convert(result.map_err(|e| json_error(py, data, &e))?)
    }

    /// Parses JSON text into Python objects (the path for host format checkers).
    fn parse<'py>(py: Python<'py>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let value = with_text(data, |bytes| py.detach(|| ferrule_jsonschema::parse(bytes)))?
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
