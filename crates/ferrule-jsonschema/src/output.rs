//! The JSON Schema output formats (2020-12 "Output Formatting", section 12): `flag`, `basic`,
//! `detailed` and `verbose`.
//!
//! Evaluation with a [`Trace`] records one output unit per keyword and one per subschema
//! application (the `verbose` tree, annotations included); `detailed` and `basic` are derived
//! from that tree as the specification describes, so the three cannot disagree. The trace
//! only exists on this path: `is_valid` and `iter_errors` never pay for it.

use std::collections::HashSet;
use std::fmt::{self, Write as _};

use crate::draft::Draft;
use crate::error::{ContextError, ErrorKind, PathItem, render_message};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::keywords::annotations;
use crate::keywords::items::Items;
use crate::resolver::{DEFAULT_BASE, encode_token};
use crate::validator::Ctx;
use crate::value::Value;

/// Which output format [`crate::Validator::evaluate`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// `{"valid": bool}` only.
    Flag,
    /// A flat list of the error (or annotation) units.
    Basic,
    /// A tree following the schema, without units that carry nothing.
    Detailed,
    /// The full tree: a unit for every keyword and subschema evaluated.
    Verbose,
}

impl OutputFormat {
    /// The format named `flag`, `basic`, `detailed` or `verbose`.
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        Some(match name {
            "flag" => OutputFormat::Flag,
            "basic" => OutputFormat::Basic,
            "detailed" => OutputFormat::Detailed,
            "verbose" => OutputFormat::Verbose,
            _ => return None,
        })
    }
}

/// One output unit while it is being evaluated (then a finished node of the tree).
#[derive(Debug)]
pub(crate) struct Unit {
    valid: bool,
    /// The keyword this unit stands for (`""` for a subschema application).
    keyword: &'static str,
    keyword_location: String,
    absolute: Option<String>,
    instance_location: String,
    error: Option<String>,
    annotation: Option<Value>,
    children: Vec<Unit>,
    /// Several errors of this keyword were recorded: each is a child unit of its own.
    split: bool,
    /// Evaluated for a yes/no answer (`if`, `contains`, ...): its errors are not errors of
    /// the evaluation, only its annotations count.
    probe: bool,
}

/// The units open during evaluation, innermost last, and the instance location.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    stack: Vec<Unit>,
    instance: Vec<PathItem>,
}

/// A unit's location strings: the evaluation path (references included) and the canonical
/// `uri#/pointer` of the keyword.
fn keyword_location(path: &[PathItem]) -> String {
    crate::error::json_pointer(path)
}

impl<J: Json> Ctx<'_, J> {
    /// Is an output trace being recorded (and not inside a validity-only probe)?
    pub(crate) fn tracing(&self) -> bool {
        self.collect && self.trace.is_some()
    }

    fn open(&mut self, keyword: &'static str, absolute: String) {
        let keyword_location = keyword_location(&self.schema_path);
        let Some(trace) = self.trace.as_mut() else {
            return;
        };
        let instance_location = crate::error::json_pointer(&trace.instance);
        trace.stack.push(Unit {
            valid: true,
            keyword,
            keyword_location,
            absolute: Some(absolute),
            instance_location,
            error: None,
            annotation: None,
            children: Vec::new(),
            split: false,
            probe: false,
        });
    }

    fn close(&mut self, valid: bool) {
        let Some(trace) = self.trace.as_mut() else {
            return;
        };
        let Some(mut unit) = trace.stack.pop() else {
            return;
        };
        unit.valid = valid;
        if !valid && unit.error.is_none() && !unit.children.iter().any(|c| !c.valid) {
            // Only the recursion limit fails a unit without saying why.
            unit.error = Some("evaluation stopped at the recursion limit".into());
        }
        match trace.stack.last_mut() {
            Some(parent) => parent.children.push(unit),
            None => trace.stack.push(unit),
        }
    }

    /// Opens the unit of a subschema applied at `seg` (its keyword location is the current
    /// schema path, already extended by the caller).
    // Off the hot path: only output formats trace, and inlining this bloats `validate`.
    #[cold]
    #[inline(never)]
    pub(crate) fn open_subschema(&mut self, id: crate::compiler::NodeId, seg: Option<PathItem>) {
        let absolute = self.compiled.nodes[id as usize].location.to_string();
        if let (Some(trace), Some(seg)) = (self.trace.as_mut(), seg.clone()) {
            trace.instance.push(seg);
        }
        self.open("", absolute);
    }

    // Off the hot path: only output formats trace, and inlining this bloats `validate`.
    #[cold]
    #[inline(never)]
    pub(crate) fn close_subschema(&mut self, valid: bool, seg: bool) {
        self.close(valid);
        if let (Some(trace), true) = (self.trace.as_mut(), seg) {
            trace.instance.pop();
        }
    }

    /// Opens the unit of a keyword of the current node (the schema path ends with it).
    // Off the hot path: only output formats trace, and inlining this bloats `validate`.
    #[cold]
    #[inline(never)]
    pub(crate) fn open_keyword(&mut self, keyword: &'static str) {
        let node = &self.compiled.nodes[self.current_node() as usize];
        let mut absolute = String::with_capacity(node.location.len() + keyword.len() + 1);
        absolute.push_str(&node.location);
        absolute.push('/');
        absolute.push_str(keyword);
        self.open(keyword, absolute);
    }

    /// Closes a keyword's unit, with the keyword's annotation when it passed.
    // Off the hot path: only output formats trace, and inlining this bloats `validate`.
    #[cold]
    #[inline(never)]
    pub(crate) fn close_keyword(&mut self, valid: bool, keyword: &Keyword, instance: &J) {
        if valid {
            let annotation = self.keyword_annotation(keyword, instance);
            if let Some(unit) = self.trace.as_mut().and_then(|t| t.stack.last_mut()) {
                unit.annotation = annotation;
            }
        }
        self.close(valid);
    }

    /// Marks the unit just closed as a probe's.
    // Off the hot path: only output formats trace, and inlining this bloats `validate`.
    #[cold]
    #[inline(never)]
    pub(crate) fn mark_probe(&mut self) {
        if let Some(unit) = self
            .trace
            .as_mut()
            .and_then(|t| t.stack.last_mut())
            .and_then(|u| u.children.last_mut())
        {
            unit.probe = true;
        }
    }

    /// Turns the failed subschemas of the open unit into probes (`oneOf` with several
    /// passing branches: the failing ones are no errors of it).
    // Off the hot path: only output formats trace, and inlining this bloats `validate`.
    #[cold]
    #[inline(never)]
    pub(crate) fn demote_failed_children(&mut self) {
        if let Some(unit) = self.trace.as_mut().and_then(|t| t.stack.last_mut()) {
            for child in unit.children.iter_mut().filter(|c| !c.valid) {
                child.probe = true;
            }
        }
    }

    /// Records the message of an error raised under `keyword` in the innermost unit (or, for
    /// a keyword reported by another, `minContains` by `contains`, in a unit of its own).
    // Off the hot path: only output formats trace, and inlining this bloats `validate`.
    #[cold]
    #[inline(never)]
    pub(crate) fn trace_error(&mut self, keyword: &'static str, kind: &ErrorKind, instance: &J) {
        let depth = self.compiled.max_depth;
        let Some(trace) = self.trace.as_mut() else {
            return;
        };
        let Some(unit) = trace.stack.last_mut() else {
            return;
        };
        let value = Value::from_json(instance, depth).unwrap_or(Value::Null);
        if let ErrorKind::PropertyNames { property, context } = kind {
            // The name's own errors, as python-jsonschema yields them (the name is no place in
            // the instance: they keep the object's location).
            let name = Value::String(property.to_string());
            let base = unit.keyword_location.clone();
            context_leaves(unit, &base, context, &name);
            unit.split = true;
            return;
        }
        let message = Message(kind, &value).to_string();
        if keyword == unit.keyword || keyword == "false" || unit.keyword.is_empty() {
            if unit.error.is_none() && !unit.split {
                unit.error = Some(message);
                return;
            }
            if let Some(first) = unit.error.take() {
                let leaf = leaf_like(unit, unit.keyword_location.clone(), first);
                unit.children.push(leaf);
            }
            let leaf = leaf_like(unit, unit.keyword_location.clone(), message);
            unit.children.push(leaf);
            unit.split = true;
            return;
        }
        let location = match unit.keyword_location.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{keyword}"),
            None => format!("/{keyword}"),
        };
        let mut leaf = leaf_like(unit, location, message);
        leaf.keyword = keyword;
        leaf.absolute = unit
            .absolute
            .as_ref()
            .and_then(|a| a.rsplit_once('/'))
            .map(|(base, _)| format!("{base}/{keyword}"));
        unit.children.push(leaf);
    }

    /// After a node's keywords passed: the annotations of keywords that are not compiled
    /// (`title`, `default`, unknown keywords, ...), one unit each.
    // Off the hot path: only output formats trace, and inlining this bloats `validate`.
    #[cold]
    #[inline(never)]
    pub(crate) fn trace_node_annotations(&mut self, id: crate::compiler::NodeId, instance: &J) {
        if !self.tracing() {
            return;
        }
        let compiled = self.compiled;
        let node = &compiled.nodes[id as usize];
        let Some(members) = compiled
            .value_at_node(&node.location)
            .and_then(Value::as_object)
        else {
            return;
        };
        if node.draft.ref_overrides_siblings() && members.iter().any(|(k, _)| k == "$ref") {
            return;
        }
        let is_string = instance.kind() == Kind::String;
        let has_media_type = members.iter().any(|(k, _)| k == "contentMediaType");
        for (name, value) in members {
            if !is_annotation(name, node.draft) || node.keywords.iter().any(|k| k.name() == name) {
                continue;
            }
            // The content vocabulary annotates strings only, `contentSchema` only beside
            // `contentMediaType`.
            if name.starts_with("content")
                && (!is_string || (name == "contentSchema" && !has_media_type))
            {
                continue;
            }
            let mut absolute = format!("{}/", node.location);
            encode_token(name, &mut absolute);
            let mut keyword_location = keyword_location(&self.schema_path);
            keyword_location.push('/');
            encode_token(name, &mut keyword_location);
            let Some(trace) = self.trace.as_mut() else {
                return;
            };
            let instance_location = crate::error::json_pointer(&trace.instance);
            if let Some(unit) = trace.stack.last_mut() {
                unit.children.push(Unit {
                    valid: true,
                    keyword: "",
                    keyword_location,
                    absolute: Some(absolute),
                    instance_location,
                    error: None,
                    annotation: Some(value.clone()),
                    children: Vec::new(),
                    split: false,
                    probe: false,
                });
            }
        }
    }

    /// The annotation a passing applicator keyword produces (2020-12 section 10).
    fn keyword_annotation(&mut self, keyword: &Keyword, instance: &J) -> Option<Value> {
        let names = |keep: &dyn Fn(&str) -> bool| -> Option<Value> {
            (instance.kind() == Kind::Object).then(|| {
                Value::Array(
                    instance
                        .members()
                        .filter(|(k, _)| keep(k.as_ref()))
                        .map(|(k, _)| Value::String(k.as_ref().to_string()))
                        .collect(),
                )
            })
        };
        let is_array = instance.kind() == Kind::Array;
        let len = instance.len();
        // The largest index a positional keyword applied to, or `true` for all of them.
        let positional = |count: usize| -> Option<Value> {
            if !is_array || len == 0 || count == 0 {
                None
            } else if count >= len {
                Some(Value::Bool(true))
            } else {
                Some(Value::Number(crate::number::Number::Int(
                    (count - 1) as i64,
                )))
            }
        };
        match keyword {
            Keyword::Properties(p) => names(&|k| p.contains(k)),
            Keyword::PatternProperties(p) => names(&|k| p.matches(k)),
            Keyword::AdditionalProperties(a) => names(&|k| a.is_additional(k)),
            Keyword::Items(Items::Tuple(nodes)) => positional(nodes.len()),
            Keyword::Items(Items::Rest { start, .. }) => {
                (is_array && len > *start).then_some(Value::Bool(true))
            }
            Keyword::PrefixItems(p) => positional(p.nodes.len()),
            Keyword::AdditionalItems(a) => (is_array && len > a.start).then_some(Value::Bool(true)),
            Keyword::UnevaluatedItems(_) => {
                if !is_array {
                    return None;
                }
                let mut evaluated = vec![false; len];
                let node = self.current_node();
                annotations::items(self, node, instance, &mut evaluated, self.remaining_depth());
                evaluated.contains(&false).then_some(Value::Bool(true))
            }
            Keyword::UnevaluatedProperties(_) => {
                if instance.kind() != Kind::Object {
                    return None;
                }
                let mut evaluated = HashSet::new();
                let node = self.current_node();
                annotations::properties(
                    self,
                    node,
                    instance,
                    &mut evaluated,
                    self.remaining_depth(),
                );
                names(&|k| !evaluated.contains(k))
            }
            Keyword::Contains(c) => {
                let draft = self.compiled.nodes[self.current_node() as usize].draft;
                if !is_array || draft < Draft::Draft202012 {
                    return None;
                }
                let items: Vec<J> = instance.items().collect();
                let matched: Vec<Value> = items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| self.probe(c.node, item))
                    .map(|(i, _)| Value::Number(crate::number::Number::Int(i as i64)))
                    .collect();
                Some(if matched.len() == len {
                    Value::Bool(true)
                } else {
                    Value::Array(matched)
                })
            }
            Keyword::Format(f) => Some(Value::String(f.name().to_string())),
            _ => None,
        }
    }
}

/// One leaf unit per error of a `propertyNames` name, nested `anyOf`/`oneOf` context included.
fn context_leaves(unit: &mut Unit, base: &str, context: &[ContextError], name: &Value) {
    for c in context {
        let mut location = base.to_string();
        location.push_str(&crate::error::json_pointer(&c.relative_schema_path));
        let mut leaf = leaf_like(unit, location.clone(), Message(&c.kind, name).to_string());
        leaf.keyword = c.keyword;
        leaf.absolute = Some(c.absolute_keyword_location.to_string());
        unit.children.push(leaf);
        if let ErrorKind::AnyOf { context } | ErrorKind::OneOfNotValid { context } = &c.kind {
            context_leaves(unit, &location, context, name);
        }
    }
}

fn leaf_like(parent: &Unit, keyword_location: String, message: String) -> Unit {
    Unit {
        valid: false,
        keyword: parent.keyword,
        keyword_location,
        absolute: parent.absolute.clone(),
        instance_location: parent.instance_location.clone(),
        error: Some(message),
        annotation: None,
        children: Vec::new(),
        split: false,
        probe: false,
    }
}

/// An error message rendered as the core's `Display` does.
struct Message<'a>(&'a ErrorKind, &'a Value);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render_message(self.0, self.1, f)
    }
}

/// Keywords that only annotate (or that no vocabulary knows: 2020-12 collects unknown
/// keywords' values as annotations).
fn is_annotation(name: &str, draft: Draft) -> bool {
    match name {
        "title" | "description" | "default" | "format" => true,
        "examples" => draft >= Draft::Draft6,
        "readOnly" | "writeOnly" | "contentMediaType" | "contentEncoding" => draft >= Draft::Draft7,
        "deprecated" | "contentSchema" => draft >= Draft::Draft201909,
        _ => !KNOWN.contains(&name),
    }
}

/// Every keyword of every draft that is not an annotation.
const KNOWN: &[&str] = &[
    "$anchor",
    "$comment",
    "$defs",
    "$dynamicAnchor",
    "$dynamicRef",
    "$id",
    "$recursiveAnchor",
    "$recursiveRef",
    "$ref",
    "$schema",
    "$vocabulary",
    "additionalItems",
    "additionalProperties",
    "allOf",
    "anyOf",
    "const",
    "contains",
    "definitions",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "else",
    "enum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "id",
    "if",
    "items",
    "maxContains",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minContains",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "not",
    "oneOf",
    "pattern",
    "patternProperties",
    "prefixItems",
    "properties",
    "propertyNames",
    "required",
    "then",
    "type",
    "unevaluatedItems",
    "unevaluatedProperties",
    "uniqueItems",
];

/// Starts a trace whose root unit is the root schema.
pub(crate) fn start<J: Json>(ctx: &mut Ctx<'_, J>) {
    ctx.trace = Some(Box::default());
    let root = ctx.compiled.root;
    ctx.open_subschema(root, None);
}

/// Ends the trace: the root unit, with the recursion-limit error if one stopped evaluation.
pub(crate) fn finish<J: Json>(ctx: &mut Ctx<'_, J>, valid: bool) -> Unit {
    ctx.close_subschema(valid, false);
    let mut root = ctx
        .trace
        .take()
        .and_then(|mut t| t.stack.pop())
        .expect("the root unit is open until finish");
    root.keyword_location = String::new();
    root
}

/// Renders the root unit in `format` (never [`OutputFormat::Flag`], which needs no trace).
pub(crate) fn render(root: Unit, format: OutputFormat) -> Value {
    match format {
        OutputFormat::Flag => object(vec![("valid", Value::Bool(root.valid))]),
        OutputFormat::Basic => {
            let mut flat = Vec::new();
            flatten(&root, root.valid, &mut flat);
            let mut members = head(&root);
            members.push((children_key(root.valid), Value::Array(flat)));
            object(members)
        }
        OutputFormat::Detailed => {
            let root = condense(root, true);
            to_value(&root, false)
        }
        OutputFormat::Verbose => to_value(&root, false),
    }
}

fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn children_key(valid: bool) -> &'static str {
    if valid { "annotations" } else { "errors" }
}

/// `valid`, the locations, and `error`/`annotation` of a unit.
fn head(unit: &Unit) -> Vec<(&'static str, Value)> {
    let mut members = vec![
        ("valid", Value::Bool(unit.valid)),
        (
            "keywordLocation",
            Value::String(unit.keyword_location.clone()),
        ),
    ];
    // Without an `$id` the core's placeholder base is no URI of the user's: the
    // specification lets the absolute location be left out then.
    if let Some(absolute) = unit
        .absolute
        .as_ref()
        .filter(|a| !a.starts_with(DEFAULT_BASE))
    {
        members.push((
            "absoluteKeywordLocation",
            Value::String(uri_escape(absolute)),
        ));
    }
    members.push((
        "instanceLocation",
        Value::String(unit.instance_location.clone()),
    ));
    members
}

/// A `uri#/json/pointer` location as a URI: the pointer percent-encoded where a fragment
/// cannot hold a character as it is (RFC 3986 section 3.5).
fn uri_escape(location: &str) -> String {
    let Some((uri, fragment)) = location.split_once('#') else {
        return location.to_string();
    };
    let mut out = String::with_capacity(location.len() + 8);
    out.push_str(uri);
    out.push('#');
    for byte in fragment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The basic format's list: error units under failing units, or annotation units under
/// passing units (a failed subschema's annotations are dropped).
fn flatten(unit: &Unit, want_valid: bool, out: &mut Vec<Value>) {
    if unit.valid != want_valid || (!want_valid && unit.probe) {
        return;
    }
    if want_valid {
        if let Some(annotation) = &unit.annotation {
            let mut members = head(unit);
            members.push(("annotation", annotation.clone()));
            out.push(object(members));
        }
    } else if let Some(error) = &unit.error {
        let mut members = head(unit);
        members.push(("error", Value::String(error.clone())));
        out.push(object(members));
    }
    for child in &unit.children {
        flatten(child, want_valid, out);
    }
}

/// The detailed tree: only units of the parent's outcome that carry something, and a unit
/// with nothing of its own and a single child replaced by that child.
fn condense(mut unit: Unit, is_root: bool) -> Unit {
    let valid = unit.valid;
    let children = std::mem::take(&mut unit.children);
    for child in children {
        if child.valid != valid || (!valid && child.probe) {
            continue;
        }
        let child = condense(child, false);
        if child.valid && child.annotation.is_none() && child.children.is_empty() {
            continue;
        }
        unit.children.push(child);
    }
    if !is_root && unit.error.is_none() && unit.annotation.is_none() && unit.children.len() == 1 {
        return unit.children.pop().expect("one child");
    }
    unit
}

fn to_value(unit: &Unit, drop_annotations: bool) -> Value {
    let drop_annotations = drop_annotations || !unit.valid;
    let mut members = head(unit);
    if let Some(error) = &unit.error {
        members.push(("error", Value::String(error.clone())));
    }
    if let (Some(annotation), false) = (&unit.annotation, drop_annotations) {
        members.push(("annotation", annotation.clone()));
    }
    if !unit.children.is_empty() {
        let children = unit
            .children
            .iter()
            .map(|c| to_value(c, drop_annotations))
            .collect();
        members.push((children_key(unit.valid), Value::Array(children)));
    }
    object(members)
}

#[cfg(test)]
mod tests {
    use super::OutputFormat;
    use crate::{Validator, Value, parse};

    fn evaluate(schema: &str, instance: &str, format: OutputFormat) -> Value {
        let schema = parse(schema.as_bytes()).unwrap();
        let instance = parse(instance.as_bytes()).unwrap();
        Validator::new(&schema)
            .unwrap()
            .evaluate(&&instance, format)
    }

    /// `(keywordLocation, instanceLocation)` of a basic result's units.
    fn units(out: &Value, key: &str) -> Vec<(String, String)> {
        out.get(key)
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .map(|u| {
                let s = |k: &str| u.get(k).and_then(Value::as_str).unwrap().to_string();
                (s("keywordLocation"), s("instanceLocation"))
            })
            .collect()
    }

    /// Schema, instance, `errors` or `annotations`, the units expected there.
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    );

    #[test]
    fn basic_lists_errors_and_annotations() {
        let cases: &[Case] = &[
            (
                r#"{"properties": {"a": {"type": "string"}}, "required": ["b", "c"]}"#,
                r#"{"a": 1}"#,
                "errors",
                &[
                    ("/properties/a/type", "/a"),
                    ("/required", ""),
                    ("/required", ""),
                ],
            ),
            (
                r#"{"items": {"title": "t"}, "x-y": 1}"#,
                "[0]",
                "annotations",
                &[("/items", ""), ("/items/title", "/0"), ("/x-y", "")],
            ),
            (
                r#"{"anyOf": [{"type": "null"}, {"minimum": 2, "title": "m"}]}"#,
                "3",
                "annotations",
                &[("/anyOf/1/title", "")],
            ),
            (
                r#"{"not": {"type": "null"}}"#,
                "null",
                "errors",
                &[("/not", "")],
            ),
        ];
        for (schema, instance, key, expected) in cases {
            let out = evaluate(schema, instance, OutputFormat::Basic);
            let want: Vec<(String, String)> = expected
                .iter()
                .map(|(k, i)| ((*k).to_string(), (*i).to_string()))
                .collect();
            assert_eq!(units(&out, key), want, "{schema} on {instance}");
        }
    }

    #[test]
    fn detailed_collapses_single_child_units() {
        let out = evaluate(
            r##"{"$id": "https://x.test/s", "$defs": {"p": {"required": ["x"]}},
                 "items": {"$ref": "#/$defs/p"}}"##,
            "[{}]",
            OutputFormat::Detailed,
        );
        let errors = out.get("errors").and_then(Value::as_array).unwrap();
        assert_eq!(errors.len(), 1);
        let unit = &errors[0];
        assert_eq!(
            unit.get("keywordLocation").and_then(Value::as_str),
            Some("/items/$ref/required")
        );
        assert_eq!(
            unit.get("absoluteKeywordLocation").and_then(Value::as_str),
            Some("https://x.test/s#/$defs/p/required")
        );
        assert_eq!(
            unit.get("instanceLocation").and_then(Value::as_str),
            Some("/0")
        );
    }

    #[test]
    fn flag_is_validity_only() {
        let out = evaluate(r#"{"type": "string"}"#, "1", OutputFormat::Flag);
        assert_eq!(
            out,
            Value::Object(vec![("valid".into(), Value::Bool(false))])
        );
    }
}
