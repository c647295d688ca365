//! A JSON Schema validator core: drafts 4, 6, 7, 2019-09 and 2020-12, compiled once,
//! validating any JSON-like representation in place.
//!
//! # Tour
//!
//! - [`Validator`] is a compiled schema: `Send + Sync`, cheap to clone (an `Arc`). Build one
//!   with [`Validator::new`] or, for options, [`Options`] and [`Options::build`].
//! - [`Json`] is the small trait the validator reads instances through (kind, string, number,
//!   items, members, lookups). The crate implements it for `&`[`Value`], its own parsed JSON
//!   ([`parse`]); the Python binding implements it for Python objects, so neither
//!   representation is converted into the other.
//! - [`Number`] keeps integers, big integers and floats apart, with Python's comparison and
//!   `multipleOf` semantics.
//! - [`ValidationError`] carries the keyword, instance path, schema path, absolute keyword
//!   location and a structured [`ErrorKind`]; [`SchemaError`] is a schema that cannot compile.
//! - [`Retrieve`] supplies documents for remote `$ref`s: the core never does I/O.
//! - [`check_schema`] validates a schema against its draft's metaschema (all five are embedded).
//!
//! ```
//! use ferrule_jsonschema::{Validator, parse};
//!
//! let schema = parse(br#"{"type": "object", "required": ["name"]}"#).unwrap();
//! let validator = Validator::new(&schema).unwrap();
//! let instance = parse(br#"{"age": 3}"#).unwrap();
//! assert!(!validator.is_valid(&&instance));
//! let errors: Vec<_> = validator.iter_errors(&&instance).collect();
//! assert_eq!(errors[0].keyword, "required");
//! assert_eq!(errors[0].to_string(), r#""name" is a required property"#);
//! ```
//!
//! # Layout
//!
//! `compiler.rs` turns a schema into an arena of nodes (`keywords/`, one file per keyword),
//! resolving references through `resolver.rs`; `validator.rs` walks that arena over an
//! instance. `ecma.rs` translates ECMA-262 patterns for the linear-time `regex` crate, and
//! `formats.rs` holds the `format` checkers.
//!
//! # Why an own parser
//!
//! [`parse`] produces [`Value`] rather than `serde_json::Value`: numbers keep their
//! representation exactly (`1.0` vs `1`, integers past `u64`) without `serde_json`'s
//! `arbitrary_precision` feature, which would unify across the workspace and change other
//! crates' behaviour; duplicate keys follow Python's `json` (last value wins); nesting is
//! bounded and parsed iteratively. Measured on a 7.7 MB array of 40,000 objects (release build,
//! best of 7, on a shared two-core machine, so noisy): 88-102 ms against 94-138 ms for
//! `serde_json::from_slice::<serde_json::Value>`, i.e. comparable. Validating that document
//! with a 13-keyword schema takes 75-92 ms with `is_valid` and about 130 ms with
//! `iter_errors` (instance paths are only built for errors).
//!
//! # For a binding
//!
//! - Implement [`Json`] for the host's values (see `tests/api.rs` for an implementation outside
//!   this crate). Convert schemas once with [`Value::from_json`].
//! - Messages: [`ErrorKind`] holds the data python-jsonschema's messages need; render reprs on
//!   the host side. [`ValidationError::python_schema_path`] is python-jsonschema's
//!   `relative_schema_path`; [`ErrorKind::AnyOf`]/[`ErrorKind::OneOfNotValid`] carry the
//!   branches' errors as `context`; [`ErrorKind::PropertyNames`] carries the errors of a
//!   property name (python-jsonschema yields those flat, with the name as instance).
//! - Draft-specific classes (`Draft7Validator(schema)`) map to [`Options::force_draft`];
//!   `FormatChecker` to [`Options::validate_formats`] and [`check_format`].
//!
//! # Limits
//!
//! Validation recursion is bounded by [`Options::max_depth`]: a `$ref` cycle that never
//! advances into the instance, or data nested past the limit under a recursive schema, yields
//! an [`ErrorKind::RecursionLimit`] error instead of overflowing the stack. [`parse`] bounds
//! nesting the same way.

#![deny(missing_docs)]

mod ascii_dfa;
mod compiler;
mod draft;
mod ecma;
mod error;
mod formats;
mod hash;
mod json;
mod keywords;
mod number;
mod output;
mod parser;
mod resolver;
mod scan;
mod tape;
mod uri;
mod validator;
mod value;

#[cfg(test)]
mod test_support;

use std::sync::Arc;

pub use draft::Draft;
pub use error::{
    ContextError, ErrorKind, PathItem, SchemaError, SchemaErrorKind, ValidationError, json_pointer,
};
pub use json::{ArrayKinds, ItemKinds, Json, Key, Kind, equal};
pub use keywords::names::same as same_bytes;
pub use number::{BigInt, Number};
pub use output::OutputFormat;
pub use parser::{DEFAULT_MAX_DEPTH, ParseError, ParseErrorKind, parse, parse_with_depth};
pub use resolver::Retrieve;
pub use value::Value;

use compiler::{Compiled, Compiler};
use validator::Ctx;

/// Default bound on validation recursion (nested subschema evaluations).
pub const DEFAULT_VALIDATION_DEPTH: usize = 512;

/// Compilation options.
#[derive(Clone, Debug)]
pub struct Options {
    draft: Draft,
    force_draft: bool,
    validate_formats: bool,
    only_formats: Option<Arc<[Arc<str>]>>,
    host_formats: Arc<[Arc<str>]>,
    max_depth: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            draft: Draft::default(),
            force_draft: false,
            validate_formats: false,
            only_formats: None,
            host_formats: Arc::new([]),
            max_depth: DEFAULT_VALIDATION_DEPTH,
        }
    }
}

impl Options {
    /// Default options: draft 2020-12 unless `$schema` says otherwise, formats not asserted.
    pub fn new() -> Self {
        Options::default()
    }

    /// The draft for schemas without `$schema`.
    #[must_use]
    pub fn draft(mut self, draft: Draft) -> Self {
        self.draft = draft;
        self
    }

    /// Use `draft` for the root schema even when its `$schema` names another, as
    /// python-jsonschema's draft-specific classes do (`Draft7Validator(schema)`); embedded
    /// resources with their own `$schema` still switch.
    #[must_use]
    pub fn force_draft(mut self, draft: Draft) -> Self {
        self.draft = draft;
        self.force_draft = true;
        self
    }

    /// Assert `format` (python-jsonschema's `format_checker`); off by default, as the
    /// specifications make `format` an annotation.
    #[must_use]
    pub fn validate_formats(mut self, yes: bool) -> Self {
        self.validate_formats = yes;
        self
    }

    /// With [`Options::validate_formats`], assert only these of the built-in formats (a
    /// python-jsonschema `FormatChecker` with a subset of the checkers).
    #[must_use]
    pub fn only_formats<S: Into<Arc<str>>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.only_formats = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Formats the host checks through [`Json::check_format`], on instances of every kind
    /// (python-jsonschema's custom format checkers); they take precedence over built-ins and
    /// are asserted whether or not [`Options::validate_formats`] is on.
    #[must_use]
    pub fn host_formats<S: Into<Arc<str>>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.host_formats = names.into_iter().map(Into::into).collect();
        self
    }

    /// Bound on nested subschema evaluations (and on schema nesting when compiling).
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Compiles `schema` with these options and no retriever.
    pub fn build(&self, schema: &Value) -> Result<Validator, SchemaError> {
        self.build_with_retriever(schema, None)
    }

    /// Compiles `schema`, fetching documents it references and the registry lacks through
    /// `retriever`.
    pub fn build_with_retriever(
        &self,
        schema: &Value,
        retriever: Option<&dyn Retrieve>,
    ) -> Result<Validator, SchemaError> {
        self.build_shared(Arc::new(schema.clone()), retriever)
    }

    /// [`Options::build_with_retriever`] taking the schema by `Arc`, for a caller that has
    /// just built it: a large schema (FHIR's is 3.4 MB) is not copied.
    pub fn build_shared(
        &self,
        schema: Arc<Value>,
        retriever: Option<&dyn Retrieve>,
    ) -> Result<Validator, SchemaError> {
        let compiled = Compiler::compile(schema, self, retriever)?;
        Ok(Validator {
            compiled: Arc::new(compiled),
        })
    }
}

/// A compiled schema. `Send + Sync`; clones share the compiled form.
#[derive(Clone, Debug)]
pub struct Validator {
    compiled: Arc<Compiled>,
}

impl Validator {
    /// Compiles a schema with default [`Options`].
    pub fn new(schema: &Value) -> Result<Validator, SchemaError> {
        Options::default().build(schema)
    }

    /// Is the instance valid? Stops at the first failure. An instance that hits the recursion
    /// limit is reported invalid (use [`Validator::iter_errors`] to tell why).
    pub fn is_valid<J: Json>(&self, instance: &J) -> bool {
        let mut ctx = Ctx::new(&self.compiled, false);
        ctx.validate(self.compiled.root, instance) && !ctx.aborted()
    }

    /// Every error, in schema order (collected eagerly, then iterated).
    pub fn iter_errors<J: Json>(&self, instance: &J) -> std::vec::IntoIter<ValidationError<J>> {
        let mut ctx = Ctx::new(&self.compiled, true);
        ctx.validate(self.compiled.root, instance);
        ctx.finish().into_iter()
    }

    /// The first error, if any.
    #[expect(
        clippy::result_large_err,
        reason = "the error is the cold path, and callers keep it"
    )]
    pub fn validate<J: Json>(&self, instance: &J) -> Result<(), ValidationError<J>> {
        if self.is_valid(instance) {
            return Ok(());
        }
        // Evaluation stops at the first error no `anyOf`/`oneOf` can take back: the first
        // error of `iter_errors`, without finding the others.
        let mut ctx = Ctx::new(&self.compiled, true);
        ctx.first = validator::FirstError::Looking;
        ctx.validate(self.compiled.root, instance);
        match ctx.finish().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// [`Validator::validate`] on JSON text (the error owns its part of the instance).
    pub fn validate_json(&self, text: &[u8]) -> Result<Option<ValidationError<Value>>, ParseError> {
        tape::with_tape(text, |tape| {
            self.validate(&tape.root())
                .err()
                .map(|e| e.map_instance(tape::TapeJson::to_value))
        })
        .unwrap_or_else(|| {
            let value = parse(text)?;
            Ok(self
                .validate(&&value)
                .err()
                .map(|e| e.map_instance(Value::clone)))
        })
    }

    /// The instance's result in one of the JSON Schema output formats (2020-12 section 12),
    /// as a JSON value: `{"valid": ..., "keywordLocation": ..., "instanceLocation": ...,
    /// "errors"|"annotations": [...]}`. `basic`, `detailed` and `verbose` include the
    /// annotations of a valid instance.
    ///
    /// ```
    /// use ferrule_jsonschema::{OutputFormat, Validator, Value, parse};
    ///
    /// let schema = parse(br#"{"properties": {"n": {"type": "integer"}}}"#).unwrap();
    /// let validator = Validator::new(&schema).unwrap();
    /// let out = validator.evaluate(&&parse(br#"{"n": "x"}"#).unwrap(), OutputFormat::Basic);
    /// let error = &out.get("errors").unwrap().as_array().unwrap()[0];
    /// assert_eq!(error.get("keywordLocation").unwrap().as_str(), Some("/properties/n/type"));
    /// assert_eq!(error.get("instanceLocation").unwrap().as_str(), Some("/n"));
    /// ```
    pub fn evaluate<J: Json>(&self, instance: &J, format: OutputFormat) -> Value {
        if format == OutputFormat::Flag {
            let valid = Value::Bool(self.is_valid(instance));
            return Value::Object(vec![("valid".into(), valid)]);
        }
        let mut ctx = Ctx::new(&self.compiled, true);
        output::start(&mut ctx);
        let valid = ctx.validate(self.compiled.root, instance) && !ctx.aborted();
        let root = output::finish(&mut ctx, valid);
        output::render(root, format)
    }

    /// [`Validator::evaluate`] on JSON text.
    pub fn evaluate_json(&self, text: &[u8], format: OutputFormat) -> Result<Value, ParseError> {
        tape::with_tape(text, |tape| self.evaluate(&tape.root(), format))
            .unwrap_or_else(|| Ok(self.evaluate(&&parse(text)?, format)))
    }

    /// Parses JSON text and checks it (the text-input path, without building errors).
    ///
    /// The text is read into a flat tape of nodes borrowing from it (buffers reused between
    /// calls on a thread), not into a [`Value`] tree; syntax errors are [`parse`]'s.
    pub fn is_valid_json(&self, text: &[u8]) -> Result<bool, ParseError> {
        tape::with_tape(text, |tape| self.is_valid(&tape.root()))
            .unwrap_or_else(|| Ok(self.is_valid(&&parse(text)?)))
    }

    /// Parses JSON text and returns every error, each owning its part of the instance.
    pub fn errors_json(&self, text: &[u8]) -> Result<Vec<ValidationError<Value>>, ParseError> {
        tape::with_tape(text, |tape| {
            self.iter_errors(&tape.root())
                .map(|e| e.map_instance(tape::TapeJson::to_value))
                .collect()
        })
        .unwrap_or_else(|| {
            let value = parse(text)?;
            Ok(self
                .iter_errors(&&value)
                .map(|e| e.map_instance(Value::clone))
                .collect())
        })
    }

    /// Every property name the compiled schema looks up, indexed by [`Key::id`].
    #[must_use]
    pub fn keys(&self) -> &[Arc<str>] {
        &self.compiled.keys
    }

    /// The schema this validator was compiled from.
    pub fn schema(&self) -> &Value {
        &self.compiled.schema
    }

    /// The schema object holding the keyword at `keyword_location` (an error's
    /// [`ValidationError::absolute_keyword_location`]) and the keyword's value: python-jsonschema's
    /// `error.schema` and `error.validator_value`. `None` for a location this validator did not
    /// produce. For a `false` schema's error (keyword `"false"`), whose location is the schema
    /// itself, use [`Validator::subschema_at`].
    pub fn schema_at(&self, keyword_location: &str) -> Option<(&Value, Option<&Value>)> {
        let (node, keyword) = keyword_location.rsplit_once('/')?;
        let schema = self.compiled.value_at_node(node)?;
        Some((schema, schema.get(keyword)))
    }

    /// The (sub)schema compiled at `location` (`uri#/json/pointer`), if any.
    pub fn subschema_at(&self, location: &str) -> Option<&Value> {
        self.compiled.value_at_node(location)
    }
}

/// Checks a string against a format by name: `None` for a format this crate does not know
/// (python-jsonschema's `FormatChecker.conforms` treats those as valid).
pub fn check_format(format: &str, value: &str, draft: Draft) -> Option<bool> {
    formats::checker(format, draft).map(|check| check(value))
}

/// The draft a schema declares with `$schema`, or `default`.
pub fn draft_of(schema: &Value, default: Draft) -> Draft {
    schema
        .get("$schema")
        .and_then(Value::as_str)
        .and_then(Draft::from_uri)
        .unwrap_or(default)
}

/// The compiled metaschema of a draft.
pub fn metaschema_validator(draft: Draft) -> &'static Validator {
    use std::sync::OnceLock;
    static VALIDATORS: [OnceLock<Validator>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let index = Draft::ALL.iter().position(|d| *d == draft).unwrap_or(4);
    VALIDATORS[index].get_or_init(|| {
        let reference = Value::Object(vec![(
            "$ref".into(),
            Value::String(draft.metaschema_uri().into()),
        )]);
        let reference = match draft {
            Draft::Draft4 | Draft::Draft6 | Draft::Draft7 => Value::Object(vec![
                (
                    "$schema".into(),
                    Value::String(format!("{}#", draft.metaschema_uri())),
                ),
                ("allOf".into(), Value::Array(vec![reference])),
            ]),
            _ => Value::Object(vec![
                (
                    "$schema".into(),
                    Value::String(draft.metaschema_uri().into()),
                ),
                ("$ref".into(), Value::String(draft.metaschema_uri().into())),
            ]),
        };
        Options::new()
            .draft(draft)
            .build(&reference)
            .expect("embedded metaschemas compile")
    })
}

/// Validates a schema against the metaschema of the draft it declares (or `default`); the
/// error's `instance_path` is the location in the schema.
#[expect(
    clippy::result_large_err,
    reason = "the error is the cold path, and callers keep it"
)]
pub fn check_schema(schema: &Value, default: Draft) -> Result<(), ValidationError<&Value>> {
    metaschema_validator(draft_of(schema, default)).validate(&schema)
}
