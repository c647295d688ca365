//! Validation errors (an instance does not match a schema) and schema errors (a schema cannot
//! be compiled), kept apart: the first are data, the second are failures.

use std::fmt;
use std::sync::Arc;

use crate::number::Number;
use crate::value::{Value, write_json_string};

/// One step of a path into an instance or a schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathItem {
    /// An object member (in a schema path: a property name or pattern under a keyword).
    Key(Arc<str>),
    /// An array item.
    Index(usize),
    /// A keyword, in a schema path only (kept apart from [`PathItem::Key`] so that a property
    /// literally named `"$ref"` is not mistaken for the keyword).
    Keyword(&'static str),
}

impl PathItem {
    /// The step as a string (keys and keywords as written, indices in decimal).
    pub fn as_key(&self) -> std::borrow::Cow<'_, str> {
        match self {
            PathItem::Key(k) => std::borrow::Cow::Borrowed(k),
            PathItem::Keyword(k) => std::borrow::Cow::Borrowed(k),
            PathItem::Index(i) => std::borrow::Cow::Owned(i.to_string()),
        }
    }
}

impl fmt::Display for PathItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathItem::Key(k) => f.write_str(k),
            PathItem::Keyword(k) => f.write_str(k),
            PathItem::Index(i) => write!(f, "{i}"),
        }
    }
}

/// Renders a path as a JSON pointer (`/a/0/b~1c`).
pub fn json_pointer(path: &[PathItem]) -> String {
    let mut out = String::new();
    for item in path {
        out.push('/');
        match item {
            PathItem::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            PathItem::Keyword(k) => out.push_str(k),
            PathItem::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// What failed, with the data python-jsonschema's messages need. Instance values are in
/// [`ValidationError::instance`]; schema values are kept here as [`Value`]s, unformatted, so a
/// binding can render them its own way (Python reprs).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The schema is `false`: `False schema does not allow 1`.
    FalseSchema {
        /// Reached through a `$ref`: python-jsonschema's paths then keep the member or item
        /// that led to the reference, which they drop for a `false` subschema met directly.
        referenced: bool,
    },
    /// `type`: `3 is not of type 'string'` (several types: `'string', 'null'`).
    Type {
        /// The allowed type names, in schema order.
        expected: Vec<Arc<str>>,
    },
    /// `required`: `'foo' is a required property`.
    Required {
        /// The missing property.
        property: Arc<str>,
    },
    /// `dependentRequired` / array-form `dependencies`: `'bar' is a dependency of 'foo'`.
    DependentRequired {
        /// The property that is present.
        property: Arc<str>,
        /// The property it requires, which is missing.
        missing: Arc<str>,
    },
    /// `enum`: `3 is not one of [1, 2]`.
    Enum {
        /// The `enum` array.
        options: Arc<Value>,
    },
    /// `const`: `3 was expected`.
    Const {
        /// The expected value.
        expected: Arc<Value>,
    },
    /// `minimum`: `1 is less than the minimum of 2`.
    Minimum {
        /// The limit.
        limit: Number,
    },
    /// `maximum`: `3 is greater than the maximum of 2`.
    Maximum {
        /// The limit.
        limit: Number,
    },
    /// `exclusiveMinimum` (and draft 4's boolean form): `1 is less than or equal to the
    /// minimum of 1`.
    ExclusiveMinimum {
        /// The limit.
        limit: Number,
    },
    /// `exclusiveMaximum`: `2 is greater than or equal to the maximum of 2`.
    ExclusiveMaximum {
        /// The limit.
        limit: Number,
    },
    /// `multipleOf`: `7 is not a multiple of 2`.
    MultipleOf {
        /// The divisor.
        multiple_of: Number,
    },
    /// `minLength`: `'' is too short`.
    MinLength {
        /// The limit.
        limit: u64,
    },
    /// `maxLength`: `'abc' is too long`.
    MaxLength {
        /// The limit.
        limit: u64,
    },
    /// `minItems`: `[] should be non-empty` / `[1] is too short`.
    MinItems {
        /// The limit.
        limit: u64,
    },
    /// `maxItems`: `[1, 2] is too long` / `[1] is expected to be empty`.
    MaxItems {
        /// The limit.
        limit: u64,
    },
    /// `minProperties`: `{} should be non-empty` / `{} does not have enough properties`.
    MinProperties {
        /// The limit.
        limit: u64,
    },
    /// `maxProperties`: `{'a': 1} has too many properties` / `... is expected to be empty`.
    MaxProperties {
        /// The limit.
        limit: u64,
    },
    /// `uniqueItems`: `[1, 1] has non-unique elements`.
    UniqueItems,
    /// `pattern`: `'abc' does not match '^a$'`.
    Pattern {
        /// The pattern as written in the schema.
        pattern: Arc<str>,
    },
    /// `format`: `'x' is not a 'date'`.
    Format {
        /// The format name.
        format: Arc<str>,
    },
    /// `additionalProperties: false`: `Additional properties are not allowed ('a', 'b' were
    /// unexpected)`; with patterns, `'a' does not match any of the regexes: '^x'`.
    AdditionalProperties {
        /// The unexpected property names, in instance order.
        unexpected: Vec<Arc<str>>,
        /// The `patternProperties` patterns, when the schema has some.
        patterns: Vec<Arc<str>>,
    },
    /// `additionalItems: false` / `items: false` after `prefixItems`: `Expected at most 2
    /// items but found 1 extra: 3`.
    AdditionalItems {
        /// How many items the tuple form allows.
        allowed: usize,
    },
    /// `unevaluatedProperties`: `Unevaluated properties are not allowed ('a' was unexpected)`.
    UnevaluatedProperties {
        /// The offending properties.
        unexpected: Vec<Arc<str>>,
        /// True when the keyword is `false` ("not allowed"), false for a schema ("not valid").
        is_false: bool,
    },
    /// `unevaluatedItems`: `Unevaluated items are not allowed (3 was unexpected)`.
    UnevaluatedItems {
        /// Indices of the offending items.
        unexpected: Vec<usize>,
        /// True when the keyword is `false`.
        is_false: bool,
    },
    /// `contains`: `[1] does not contain items matching the given schema`.
    Contains,
    /// `minContains`: `Too few items match the given schema (expected at least 2 but only 1
    /// matched)`.
    MinContains {
        /// The limit.
        limit: u64,
        /// How many matched.
        matched: usize,
    },
    /// `maxContains`: `Too many items match the given schema (expected at most 1)`.
    MaxContains {
        /// The limit.
        limit: u64,
        /// How many matched.
        matched: usize,
    },
    /// `anyOf`: `3 is not valid under any of the given schemas`; the branches' errors are the
    /// context.
    AnyOf {
        /// Errors of every branch, in order (their schema paths start at the branch index).
        context: Vec<ContextError>,
    },
    /// `oneOf` with no valid branch: `3 is not valid under any of the given schemas`.
    OneOfNotValid {
        /// Errors of every branch.
        context: Vec<ContextError>,
    },
    /// `oneOf` with several valid branches: `3 is valid under each of {...}, {...}`.
    OneOfMultipleValid {
        /// Indices of the valid branches (at least two).
        valid: Vec<usize>,
    },
    /// `not`: `3 should not be valid under {'type': 'integer'}`.
    Not {
        /// The negated schema.
        schema: Arc<Value>,
    },
    /// `propertyNames`: a property name failed the schema; `context` holds its errors (their
    /// instance is the name itself).
    PropertyNames {
        /// The failing property name.
        property: Arc<str>,
        /// Errors of the name against the `propertyNames` schema.
        context: Vec<ContextError>,
    },
    /// The validator recursed past its depth limit: an endless `$ref` cycle, or an instance
    /// nested deeper than the limit. Validation stops there (the instance is invalid), and
    /// this error comes first; its `instance_path` is not tracked (empty) and its
    /// `schema_path` is the path at the point the limit was hit when known.
    RecursionLimit {
        /// The limit in force.
        limit: usize,
    },
}

/// A sub-error inside an `anyOf`/`oneOf` error: the error without its instance value, which a
/// binding finds again from the parent's instance and `relative_instance_path`.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextError {
    /// Index of the branch it came from.
    pub branch: usize,
    /// The keyword that failed.
    pub keyword: &'static str,
    /// What failed.
    pub kind: ErrorKind,
    /// Path from the parent error's instance to this error's instance.
    pub relative_instance_path: Vec<PathItem>,
    /// Path from the branch schema to the failing keyword.
    pub relative_schema_path: Vec<PathItem>,
    /// Absolute location of the failing keyword (`uri#/json/pointer`).
    pub absolute_keyword_location: Arc<str>,
}

/// An instance failed one keyword.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ValidationError<J> {
    /// The keyword that failed (`"type"`, `"required"`, ...), or `"false"` for a false schema
    /// and `"$ref"` for a recursion limit hit while following references.
    pub keyword: &'static str,
    /// What failed, with the data needed to render a message.
    pub kind: ErrorKind,
    /// The failing part of the instance.
    pub instance: J,
    /// Path from the root instance to [`ValidationError::instance`].
    pub instance_path: Vec<PathItem>,
    /// Path through the schema as evaluated, from the root schema to the failing keyword,
    /// references included as [`PathItem::Keyword`]`("$ref")` steps (the output formats'
    /// `keywordLocation`). python-jsonschema's `relative_schema_path` is the same path without
    /// the `$ref` steps: see [`ValidationError::python_schema_path`]. As there, `minContains`
    /// and `maxContains` failures end in `contains`, and `then`/`else` replace `if`.
    pub schema_path: Vec<PathItem>,
    /// Canonical location of the failing keyword: the URI of the schema resource holding it
    /// plus a JSON pointer fragment (the output formats' `absoluteKeywordLocation`).
    pub absolute_keyword_location: Arc<str>,
}

impl<J> ValidationError<J> {
    /// The schema path as python-jsonschema reports it (`$ref` steps left out).
    pub fn python_schema_path(&self) -> Vec<PathItem> {
        self.schema_path
            .iter()
            .filter(|p| **p != PathItem::Keyword("$ref"))
            .cloned()
            .collect()
    }

    /// Maps the instance handle (e.g. to an owned value that outlives the input).
    pub fn map_instance<K>(self, f: impl FnOnce(J) -> K) -> ValidationError<K> {
        ValidationError {
            keyword: self.keyword,
            kind: self.kind,
            instance: f(self.instance),
            instance_path: self.instance_path,
            schema_path: self.schema_path,
            absolute_keyword_location: self.absolute_keyword_location,
        }
    }
}

impl<J: std::borrow::Borrow<Value>> fmt::Display for ValidationError<J> {
    /// The python-jsonschema message, with values rendered as JSON instead of Python reprs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render_message(&self.kind, self.instance.borrow(), f)
    }
}

fn quoted_list(items: &[Arc<str>], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_json_string(item, f)?;
    }
    Ok(())
}

fn was_were(n: usize) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

/// Writes the message for `kind` about `instance` (JSON rendering).
#[expect(clippy::too_many_lines, reason = "one arm per error kind")]
pub(crate) fn render_message(
    kind: &ErrorKind,
    instance: &Value,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let i = instance;
    match kind {
        ErrorKind::FalseSchema { .. } => write!(f, "False schema does not allow {i}"),
        ErrorKind::Type { expected } => {
            write!(f, "{i} is not of type ")?;
            quoted_list(expected, f)
        }
        ErrorKind::Required { property } => {
            write_json_string(property, f)?;
            f.write_str(" is a required property")
        }
        ErrorKind::DependentRequired { property, missing } => {
            write_json_string(missing, f)?;
            f.write_str(" is a dependency of ")?;
            write_json_string(property, f)
        }
        ErrorKind::Enum { options } => write!(f, "{i} is not one of {options}"),
        ErrorKind::Const { expected } => write!(f, "{expected} was expected"),
        ErrorKind::Minimum { limit } => write!(f, "{i} is less than the minimum of {limit}"),
        ErrorKind::Maximum { limit } => write!(f, "{i} is greater than the maximum of {limit}"),
        ErrorKind::ExclusiveMinimum { limit } => {
            write!(f, "{i} is less than or equal to the minimum of {limit}")
        }
        ErrorKind::ExclusiveMaximum { limit } => {
            write!(f, "{i} is greater than or equal to the maximum of {limit}")
        }
        ErrorKind::MultipleOf { multiple_of } => {
            write!(f, "{i} is not a multiple of {multiple_of}")
        }
        ErrorKind::MinLength { .. } | ErrorKind::MinItems { .. } => {
            if matches!(kind, ErrorKind::MinItems { limit: 1 }) {
                write!(f, "{i} should be non-empty")
            } else {
                write!(f, "{i} is too short")
            }
        }
        ErrorKind::MaxLength { .. } => write!(f, "{i} is too long"),
        ErrorKind::MaxItems { limit } => {
            if *limit == 0 {
                write!(f, "{i} is expected to be empty")
            } else {
                write!(f, "{i} is too long")
            }
        }
        ErrorKind::MinProperties { limit } => {
            if *limit == 1 {
                write!(f, "{i} should be non-empty")
            } else {
                write!(f, "{i} does not have enough properties")
            }
        }
        ErrorKind::MaxProperties { limit } => {
            if *limit == 0 {
                write!(f, "{i} is expected to be empty")
            } else {
                write!(f, "{i} has too many properties")
            }
        }
        ErrorKind::UniqueItems => write!(f, "{i} has non-unique elements"),
        ErrorKind::Pattern { pattern } => {
            write!(f, "{i} does not match ")?;
            write_json_string(pattern, f)
        }
        ErrorKind::Format { format } => {
            write!(f, "{i} is not a ")?;
            write_json_string(format, f)
        }
        ErrorKind::AdditionalProperties {
            unexpected,
            patterns,
        } => {
            if patterns.is_empty() {
                f.write_str("Additional properties are not allowed (")?;
                quoted_list(unexpected, f)?;
                write!(f, " {} unexpected)", was_were(unexpected.len()))
            } else {
                quoted_list(unexpected, f)?;
                let verb = if unexpected.len() == 1 { "does" } else { "do" };
                write!(f, " {verb} not match any of the regexes: ")?;
                quoted_list(patterns, f)
            }
        }
        ErrorKind::AdditionalItems { allowed } => {
            let found = i
                .as_array()
                .map_or(0, <[Value]>::len)
                .saturating_sub(*allowed);
            write!(
                f,
                "Expected at most {allowed} items but found {found} extra"
            )
        }
        ErrorKind::UnevaluatedProperties {
            unexpected,
            is_false,
        } => {
            if *is_false {
                f.write_str("Unevaluated properties are not allowed (")?;
                quoted_list(unexpected, f)?;
                write!(f, " {} unexpected)", was_were(unexpected.len()))
            } else {
                f.write_str("Unevaluated properties are not valid under the given schema (")?;
                quoted_list(unexpected, f)?;
                write!(
                    f,
                    " {} unevaluated and invalid)",
                    was_were(unexpected.len())
                )
            }
        }
        ErrorKind::UnevaluatedItems {
            unexpected,
            is_false,
        } => {
            let items = i.as_array().unwrap_or_default();
            let rendered: Vec<String> = unexpected
                .iter()
                .filter_map(|&k| items.get(k))
                .map(ToString::to_string)
                .collect();
            if *is_false {
                write!(
                    f,
                    "Unevaluated items are not allowed ({} {} unexpected)",
                    rendered.join(", "),
                    was_were(rendered.len())
                )
            } else {
                write!(
                    f,
                    "Unevaluated items are not valid under the given schema ({} {} unevaluated and invalid)",
                    rendered.join(", "),
                    was_were(rendered.len())
                )
            }
        }
        ErrorKind::Contains => write!(f, "{i} does not contain items matching the given schema"),
        ErrorKind::MinContains { limit, matched } => write!(
            f,
            "Too few items match the given schema (expected at least {limit} but only {matched} matched)"
        ),
        ErrorKind::MaxContains { limit, .. } => {
            write!(
                f,
                "Too many items match the given schema (expected at most {limit})"
            )
        }
        ErrorKind::AnyOf { .. } | ErrorKind::OneOfNotValid { .. } => {
            write!(f, "{i} is not valid under any of the given schemas")
        }
        ErrorKind::OneOfMultipleValid { valid } => {
            write!(f, "{i} is valid under each of the schemas at {valid:?}")
        }
        ErrorKind::PropertyNames { property, .. } => {
            f.write_str("property name ")?;
            write_json_string(property, f)?;
            f.write_str(" does not match the propertyNames schema")
        }
        ErrorKind::Not { schema } => write!(f, "{i} should not be valid under {schema}"),
        ErrorKind::RecursionLimit { limit } => {
            write!(
                f,
                "maximum validation depth of {limit} exceeded (a $ref cycle, or too deeply nested data)"
            )
        }
    }
}

/// Why a schema could not be compiled.
#[derive(Debug)]
#[non_exhaustive]
pub enum SchemaErrorKind {
    /// A keyword's value has the wrong shape (`"minLength": "x"`).
    InvalidKeyword {
        /// The keyword.
        keyword: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// A `pattern` or `patternProperties` regex cannot be compiled.
    InvalidRegex {
        /// The pattern as written.
        pattern: String,
        /// Why.
        message: String,
    },
    /// A `$ref` (or `$dynamicRef`, `$recursiveRef`) does not resolve.
    UnresolvableRef {
        /// The reference, resolved to an absolute URI.
        reference: String,
        /// Why.
        reason: String,
    },
    /// The retriever failed to supply a remote document.
    Retrieve {
        /// The URI asked for.
        uri: String,
        /// The retriever's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The schema is nested deeper than the limit.
    TooDeep,
    /// The schema failed validation against its metaschema (from `check_schema`).
    Invalid {
        /// The metaschema's message about the first error.
        message: String,
    },
}

/// A schema could not be compiled; `location` says where (`uri#/json/pointer`).
#[derive(Debug)]
pub struct SchemaError {
    /// What went wrong.
    pub kind: SchemaErrorKind,
    /// Where in the schema (absolute URI plus JSON pointer fragment).
    pub location: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SchemaErrorKind::InvalidKeyword { keyword, expected } => {
                write!(f, "invalid {keyword:?}: expected {expected}")?;
            }
            SchemaErrorKind::InvalidRegex { pattern, message } => {
                write!(f, "invalid regex {pattern:?}: {message}")?;
            }
            SchemaErrorKind::UnresolvableRef { reference, reason } => {
                write!(f, "unresolvable reference {reference:?}: {reason}")?;
            }
            SchemaErrorKind::Retrieve { uri, source } => {
                write!(f, "cannot retrieve {uri:?}: {source}")?;
            }
            SchemaErrorKind::TooDeep => f.write_str("schema nested too deeply")?,
            SchemaErrorKind::Invalid { message } => f.write_str(message)?,
        }
        write!(f, " at {}", self.location)
    }
}

impl std::error::Error for SchemaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            SchemaErrorKind::Retrieve { source, .. } => Some(&**source),
            _ => None,
        }
    }
}
