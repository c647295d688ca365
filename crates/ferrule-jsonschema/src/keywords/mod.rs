//! One file per keyword: each defines the compiled form, its `compile` from the schema value,
//! and its `validate` over any [`Json`] instance. [`Keyword`] is the closed set, dispatched
//! with a `match` (generic validation cannot go through trait objects).

#![expect(
    clippy::unnecessary_wraps,
    reason = "every keyword's `compile` has the signature the dispatch macro calls"
)]

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::draft::Draft;
use crate::error::SchemaError;
use crate::json::{Json, Kind};
use crate::validator::Ctx;
use crate::value::Value;

pub(crate) mod additional_items;
pub(crate) mod additional_properties;
pub(crate) mod all_of;
pub(crate) mod annotations;
pub(crate) mod any_of;
pub(crate) mod bounds;
pub(crate) mod branch_kinds;
pub(crate) mod const_;
pub(crate) mod contains;
pub(crate) mod dependencies;
pub(crate) mod dependent_required;
pub(crate) mod dependent_schemas;
pub(crate) mod discriminator;
pub(crate) mod dynamic_ref;
pub(crate) mod enum_;
pub(crate) mod format;
pub(crate) mod if_;
pub(crate) mod items;
pub(crate) mod max_items;
pub(crate) mod max_length;
pub(crate) mod max_properties;
pub(crate) mod min_items;
pub(crate) mod min_length;
pub(crate) mod min_properties;
pub(crate) mod multiple_of;
pub(crate) mod names;
pub(crate) mod not;
pub(crate) mod one_of;
pub(crate) mod pattern;
pub(crate) mod pattern_properties;
pub(crate) mod prefix_items;
pub(crate) mod properties;
pub(crate) mod property_names;
pub(crate) mod recursive_ref;
pub(crate) mod ref_;
pub(crate) mod required;
pub(crate) mod type_;
pub(crate) mod unevaluated;
pub(crate) mod unique_items;

/// The compile function of a keyword: its module's `compile`, or a named one when several
/// keywords share a module.
macro_rules! compile_fn {
    ($module:ident) => {
        $module::compile
    };
    ($module:ident $function:ident) => {
        $module::$function
    };
}

macro_rules! keywords {
    ($($variant:ident($module:ident::$ty:ident $(, $compile:ident)?) = $name:literal,)*) => {
        /// A compiled keyword.
        #[derive(Debug)]
        pub(crate) enum Keyword {
            $($variant($module::$ty),)*
        }

        impl Keyword {
            /// The keyword's name in the schema.
            pub(crate) fn name(&self) -> &'static str {
                match self {
                    $(Keyword::$variant(_) => $name,)*
                }
            }

            /// Each keyword's check runs out of line: inlined, every check made the dispatch
            /// save the registers the largest one needs, on every keyword of every node.
            #[inline]
            pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
                match self {
                    $(Keyword::$variant(k) => {
                        #[inline(never)]
                        fn run<J: Json>(k: &$module::$ty, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
                            k.validate(ctx, instance)
                        }
                        run(k, ctx, instance)
                    })*
                }
            }
        }

        /// Compiles one keyword by name (`None`: not a keyword of this draft, or ignored).
        fn compile_one(ctx: &mut SchemaCtx<'_, '_>, name: &str, value: &Value) -> Result<Option<Keyword>, SchemaError> {
            match name {
                $($name => compile_fn!($module $($compile)?)(ctx, value),)*
                _ => Ok(None),
            }
        }
    };
}

keywords! {
    AdditionalItems(additional_items::AdditionalItems) = "additionalItems",
    AdditionalProperties(additional_properties::AdditionalProperties) = "additionalProperties",
    AllOf(all_of::AllOf) = "allOf",
    AnyOf(any_of::AnyOf) = "anyOf",
    Const(const_::Const) = "const",
    Contains(contains::Contains) = "contains",
    Dependencies(dependencies::Dependencies) = "dependencies",
    DependentRequired(dependent_required::DependentRequired) = "dependentRequired",
    DependentSchemas(dependent_schemas::DependentSchemas) = "dependentSchemas",
    DynamicRef(dynamic_ref::DynamicRef) = "$dynamicRef",
    Enum(enum_::Enum) = "enum",
    ExclusiveMaximum(bounds::Bound, exclusive_maximum) = "exclusiveMaximum",
    ExclusiveMinimum(bounds::Bound, exclusive_minimum) = "exclusiveMinimum",
    Format(format::Format) = "format",
    If(if_::If) = "if",
    Items(items::Items) = "items",
    MaxItems(max_items::MaxItems) = "maxItems",
    MaxLength(max_length::MaxLength) = "maxLength",
    MaxProperties(max_properties::MaxProperties) = "maxProperties",
    Maximum(bounds::Bound, maximum) = "maximum",
    MinItems(min_items::MinItems) = "minItems",
    MinLength(min_length::MinLength) = "minLength",
    MinProperties(min_properties::MinProperties) = "minProperties",
    Minimum(bounds::Bound, minimum) = "minimum",
    MultipleOf(multiple_of::MultipleOf) = "multipleOf",
    Not(not::Not) = "not",
    OneOf(one_of::OneOf) = "oneOf",
    Pattern(pattern::Pattern) = "pattern",
    PatternProperties(pattern_properties::PatternProperties) = "patternProperties",
    PrefixItems(prefix_items::PrefixItems) = "prefixItems",
    Properties(properties::Properties) = "properties",
    PropertyNames(property_names::PropertyNames) = "propertyNames",
    RecursiveRef(recursive_ref::RecursiveRef) = "$recursiveRef",
    Ref(ref_::Ref) = "$ref",
    Required(required::Required) = "required",
    Type(type_::Type) = "type",
    UnevaluatedItems(unevaluated::Unevaluated, items) = "unevaluatedItems",
    UnevaluatedProperties(unevaluated::Unevaluated, properties) = "unevaluatedProperties",
    UniqueItems(unique_items::UniqueItems) = "uniqueItems",
}

/// The instance kinds a keyword can fail on, as a mask of `1 << Kind as u8`: the others pass
/// it without a look (`maxLength` on a number). Keywords of every kind (applicators, `enum`,
/// `format`, whose host checkers see any instance) say [`ALL_KINDS`].
pub(crate) const ALL_KINDS: u8 = 0b11_1111;

/// Every kind, in the order of their discriminants (`Kind as usize` indexes per-kind tables).
const KINDS: [Kind; 6] = [
    Kind::Null,
    Kind::Bool,
    Kind::Number,
    Kind::String,
    Kind::Array,
    Kind::Object,
];

const fn kind_bit(kind: Kind) -> u8 {
    1 << kind as u8
}

impl Keyword {
    fn kinds(&self) -> u8 {
        match self {
            Keyword::AdditionalItems(_)
            | Keyword::Contains(_)
            | Keyword::Items(_)
            | Keyword::MaxItems(_)
            | Keyword::MinItems(_)
            | Keyword::PrefixItems(_)
            | Keyword::UnevaluatedItems(_)
            | Keyword::UniqueItems(_) => kind_bit(Kind::Array),
            Keyword::AdditionalProperties(_)
            | Keyword::Dependencies(_)
            | Keyword::DependentRequired(_)
            | Keyword::DependentSchemas(_)
            | Keyword::MaxProperties(_)
            | Keyword::MinProperties(_)
            | Keyword::PatternProperties(_)
            | Keyword::Properties(_)
            | Keyword::PropertyNames(_)
            | Keyword::Required(_)
            | Keyword::UnevaluatedProperties(_) => kind_bit(Kind::Object),
            Keyword::MaxLength(_) | Keyword::MinLength(_) | Keyword::Pattern(_) => {
                kind_bit(Kind::String)
            }
            Keyword::ExclusiveMaximum(_)
            | Keyword::ExclusiveMinimum(_)
            | Keyword::Maximum(_)
            | Keyword::Minimum(_)
            | Keyword::MultipleOf(_) => kind_bit(Kind::Number),
            _ => ALL_KINDS,
        }
    }
}

/// Per instance kind, the validity of a list of keywords when the kind alone decides it:
/// `type` rejects the kind, or no keyword can fail on it. `None` where the keywords must run
/// (an `integer` type on a number looks at the value).
pub(crate) fn by_kind(keywords: &[Keyword]) -> [Option<bool>; 6] {
    let (valid, invalid) = keywords
        .iter()
        .map(decided_kinds)
        .fold((ALL_KINDS, 0), |(t, f), (kt, kf)| (t & kt, f | kf));
    KINDS.map(|kind| {
        if invalid & kind_bit(kind) != 0 {
            Some(false)
        } else if valid & kind_bit(kind) != 0 {
            Some(true)
        } else {
            None
        }
    })
}

/// The kinds (bits of [`kind_bit`]) for which `keyword` on its own is decided valid, and
/// those for which it is decided invalid: `type` by the kind, any other keyword valid for
/// the kinds it cannot fail on.
fn decided_kinds(keyword: &Keyword) -> (u8, u8) {
    match keyword {
        Keyword::Type(ty) => KINDS
            .iter()
            .fold((0, 0), |(t, f), &kind| match ty.decides(kind) {
                Some(true) => (t | kind_bit(kind), f),
                Some(false) => (t, f | kind_bit(kind)),
                None => (t, f),
            }),
        k => (ALL_KINDS & !k.kinds(), 0),
    }
}

/// Extends [`Node::by_kind`](crate::compiler::Node::by_kind) through in-place applicators:
/// a node whose `$ref`, `allOf`, `anyOf` and `oneOf` subschemas the kind decides is decided
/// too (a content model's `oneOf: [{"type": "string"}, ...]` on a string, an `OpenAPI` nullable
/// `anyOf: [{"$ref": ...}, {"type": "null"}]` on `null`), and its check enters no node.
/// Subschemas are decided before the nodes that hold them, a node looked at again when one of
/// its subschemas is decided, until nothing changes; a cycle of references decides nothing.
/// `anyOf` and `oneOf` are decided only when every branch is (the check evaluates earlier
/// branches first, and one of them may hit the recursion limit); a decided invalid keyword
/// decides the node invalid, as `type` does in [`by_kind`]. Runs after [`active`], before
/// anything copies `by_kind`.
pub(crate) fn decide_applicators(nodes: &mut [crate::compiler::Node]) {
    use crate::compiler::NodeId;
    // The subschemas of a node's in-place applicators.
    fn children(node: &crate::compiler::Node) -> impl Iterator<Item = NodeId> + '_ {
        node.keywords
            .iter()
            .flat_map(|k| match k {
                Keyword::Ref(r) => std::slice::from_ref(&r.node),
                Keyword::AllOf(k) => &k.nodes[..],
                Keyword::AnyOf(k) => &k.nodes[..],
                Keyword::OneOf(k) => &k.nodes[..],
                _ => &[],
            })
            .copied()
    }
    // Only these nodes can change: an applicator and a kind still undecided.
    let pending: Vec<usize> = (0..nodes.len())
        .filter(|&i| {
            let node = &nodes[i];
            node.boolean.is_none()
                && node.by_kind.contains(&None)
                && children(node).next().is_some()
        })
        .collect();
    // Which pending nodes hold each pending node (a node that cannot change wakes nobody).
    let mut slot = vec![u32::MAX; nodes.len()];
    for (s, &i) in pending.iter().enumerate() {
        slot[i] = s as u32;
    }
    let mut holders: Vec<Vec<u32>> = vec![Vec::new(); pending.len()];
    for (s, &i) in pending.iter().enumerate() {
        for child in children(&nodes[i]) {
            let c = slot[child as usize];
            if c != u32::MAX && holders[c as usize].last() != Some(&(s as u32)) {
                holders[c as usize].push(s as u32);
            }
        }
    }
    // Subschemas are numbered after the schemas that first name them: taken from the last
    // node back, most are decided before their holders are looked at.
    let mut queued = vec![true; pending.len()];
    let mut work: Vec<u32> = (0..pending.len() as u32).collect();
    while let Some(s) = work.pop() {
        queued[s as usize] = false;
        let i = pending[s as usize];
        let (valid, invalid) = decide(nodes, i);
        let mut changed = false;
        for (kind, slot) in nodes[i].by_kind.iter_mut().enumerate() {
            if slot.is_none() && (valid | invalid) & 1 << kind != 0 {
                *slot = Some(invalid & 1 << kind == 0);
                changed = true;
            }
        }
        if changed {
            for &h in &holders[s as usize] {
                if !queued[h as usize] {
                    queued[h as usize] = true;
                    work.push(h);
                }
            }
        }
    }
}

/// The kinds (bits of `1 << Kind as u8`) for which node `id`'s keywords and the subschemas of
/// its in-place applicators decide it valid, and those for which they decide it invalid (an
/// invalid keyword wins).
fn decide(nodes: &[crate::compiler::Node], id: usize) -> (u8, u8) {
    // The kinds a node is decided valid and invalid for.
    let of = |id: &crate::compiler::NodeId| {
        let node = &nodes[*id as usize];
        (0..KINDS.len()).fold((0u8, 0u8), |(t, f), k| {
            match node.boolean.or(node.by_kind[k]) {
                Some(true) => (t | 1 << k, f),
                Some(false) => (t, f | 1 << k),
                None => (t, f),
            }
        })
    };
    let (mut valid, mut invalid) = (ALL_KINDS, 0u8);
    for keyword in &nodes[id].keywords {
        let (t, f) = match keyword {
            Keyword::Ref(r) => of(&r.node),
            Keyword::AllOf(k) => k
                .nodes
                .iter()
                .map(of)
                .fold((ALL_KINDS, 0), |(t, f), (ct, cf)| (t & ct, f | cf)),
            // Decided only where every branch is; valid where at least one (`anyOf`) or
            // exactly one (`oneOf`) branch is.
            Keyword::AnyOf(k) => {
                let (all, one, _) = branch_counts(k.nodes.iter().map(of));
                (all & one, all & !one)
            }
            Keyword::OneOf(k) => {
                let (all, one, two) = branch_counts(k.nodes.iter().map(of));
                let exactly_one = one & !two;
                (all & exactly_one, all & !exactly_one)
            }
            k => decided_kinds(k),
        };
        valid &= t;
        invalid |= f;
    }
    (valid & !invalid, invalid)
}

/// Over branches' `(valid, invalid)` kinds: the kinds every branch decides, those at least
/// one branch is valid for, and those at least two are valid for.
fn branch_counts(branches: impl Iterator<Item = (u8, u8)>) -> (u8, u8, u8) {
    branches.fold((ALL_KINDS, 0, 0), |(all, one, two), (t, f)| {
        (all & (t | f), one | t, two | (one & t))
    })
}
/// Per instance kind, the indices of the keywords a node's validity check runs, shared
/// between the nodes whose keywords run for the same kinds. One allocation holds the six
/// lists behind seven offsets (`[o0, .., o6, lists..]`, kind `k`'s list at `o[k]..o[k + 1]`):
/// a fat pointer per kind made [`Node`](crate::compiler::Node) 96 bytes longer, and its hot
/// fields no longer fit one cache line.
#[derive(Debug, Clone)]
pub(crate) struct ActiveLists(Arc<[u32]>);

impl std::ops::Index<usize> for ActiveLists {
    type Output = [u32];

    /// The list of the kind `Kind as usize`.
    #[inline]
    fn index(&self, kind: usize) -> &[u32] {
        let all = &*self.0;
        &all[all[kind] as usize..all[kind + 1] as usize]
    }
}

/// [`ActiveLists`] by the per-keyword kind masks they were built from: most nodes of a large
/// schema are alike (FHIR's 15,000 are mostly `$ref` or `type` alone), and lists allocated per
/// node (and freed when the validator goes) were a seventh of compiling FHIR's schema.
pub(crate) type ActiveInterner = crate::hash::Map<Box<[u8]>, ActiveLists>;

/// Per instance kind, the indices of the keywords the validity check runs: those that can fail
/// on the kind, less a `type` the kind satisfies, the `required`, `additionalProperties`
/// and `patternProperties` whose check `properties` makes in its pass, and an upper bound
/// its node's lower bound checks (`merged`). Built after the merges.
pub(crate) fn active(keywords: &[Keyword], interner: &mut ActiveInterner) -> ActiveLists {
    // The kinds each keyword runs for, then one exact list per kind.
    let mut stack = [0u8; 32];
    let mut heap = Vec::new();
    let masks: &mut [u8] = if keywords.len() <= stack.len() {
        &mut stack[..keywords.len()]
    } else {
        heap.resize(keywords.len(), 0);
        &mut heap
    };
    for (keyword, mask) in keywords.iter().zip(masks.iter_mut()) {
        for (bit, kind) in KINDS.iter().enumerate() {
            let runs = match keyword {
                Keyword::Type(t) => t.decides(*kind) != Some(true),
                Keyword::Required(r) if r.merged => false,
                Keyword::AdditionalProperties(a) if a.merged => false,
                Keyword::PatternProperties(p) if p.merged => false,
                Keyword::Maximum(b) | Keyword::ExclusiveMaximum(b) if b.merged => false,
                k => k.kinds() & kind_bit(*kind) != 0,
            };
            *mask |= u8::from(runs) << bit;
        }
    }
    let masks = &*masks;
    if let Some(lists) = interner.get(masks) {
        return lists.clone();
    }
    // A schema object holds each keyword once: a few dozen at most, far below `u32::MAX`.
    let mut all: Vec<u32> = vec![0; KINDS.len() + 1];
    for bit in 0..KINDS.len() {
        all[bit] = all.len() as u32;
        all.extend(
            masks
                .iter()
                .enumerate()
                .filter(|(_, m)| *m & (1 << bit) != 0)
                .map(|(i, _)| i as u32),
        );
    }
    all[KINDS.len()] = all.len() as u32;
    let lists = ActiveLists(all.into());
    interner.insert(masks.into(), lists.clone());
    lists
}

/// Which vocabulary a keyword belongs to (for `$vocabulary`), `None` for core keywords.
fn vocabulary_enabled(ctx: &SchemaCtx<'_, '_>, name: &str) -> bool {
    let v = ctx.vocabularies();
    match name {
        "$ref" | "$dynamicRef" | "$recursiveRef" | "format" => true,
        "unevaluatedItems" | "unevaluatedProperties" => v.unevaluated,
        "allOf"
        | "anyOf"
        | "oneOf"
        | "not"
        | "if"
        | "then"
        | "else"
        | "dependentSchemas"
        | "prefixItems"
        | "items"
        | "contains"
        | "properties"
        | "patternProperties"
        | "additionalProperties"
        | "propertyNames"
        | "additionalItems"
        | "dependencies" => v.applicator,
        _ => v.validation,
    }
}

/// Compiles every keyword of a schema object, in document order (python-jsonschema reports
/// errors in that order).
pub(crate) fn compile_all(ctx: &mut SchemaCtx<'_, '_>) -> Result<Vec<Keyword>, SchemaError> {
    let schema = ctx.schema;
    let Some(members) = schema.as_object() else {
        return Ok(Vec::new());
    };
    if ctx.draft().ref_overrides_siblings() {
        if let Some(reference) = schema.get("$ref") {
            return Ok(compile_one(ctx, "$ref", reference)?.into_iter().collect());
        }
    }
    let mut out = Vec::with_capacity(members.len());
    for (name, value) in members {
        if !vocabulary_enabled(ctx, name) {
            continue;
        }
        if let Some(keyword) = compile_one(ctx, name, value)? {
            out.push(keyword);
        }
    }
    Ok(out)
}

/// The compiler's after-passes over branch lists: `find` looks at every `oneOf` and `anyOf`
/// of the arena (the keyword and its branches) and `apply` writes what it found into that
/// keyword. Two passes, because `find` reads other nodes of the arena (`$ref` targets) while
/// `apply` needs the keyword mutably.
pub(crate) fn annotate_branch_lists<T>(
    nodes: &mut [crate::compiler::Node],
    mut find: impl FnMut(&[crate::compiler::Node], &Keyword, &[crate::compiler::NodeId]) -> Option<T>,
    mut apply: impl FnMut(&mut Keyword, T),
) {
    let mut found = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        for (j, keyword) in node.keywords.iter().enumerate() {
            let branches = match keyword {
                Keyword::OneOf(k) => &k.nodes,
                Keyword::AnyOf(k) => &k.nodes,
                _ => continue,
            };
            if let Some(t) = find(nodes, keyword, branches) {
                found.push((i, j, t));
            }
        }
    }
    for (i, j, t) in found {
        apply(&mut nodes[i].keywords[j], t);
    }
}

/// Compiles a non-empty array of subschemas (`allOf`, `anyOf`, `oneOf`).
pub(crate) fn subschemas(
    ctx: &mut SchemaCtx<'_, '_>,
    keyword: &'static str,
    value: &Value,
) -> Result<Vec<crate::compiler::NodeId>, SchemaError> {
    let count = value
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ctx.invalid(keyword, "a non-empty array of schemas"))?
        .len();
    Ok((0..count)
        .map(|i| ctx.sub(&[keyword, &i.to_string()]))
        .collect())
}

/// Reads a non-negative integer limit (`2` or, from draft 6 on, `2.0`).
pub(crate) fn limit(
    ctx: &SchemaCtx<'_, '_>,
    keyword: &'static str,
    value: &Value,
) -> Result<u64, SchemaError> {
    use crate::number::Number;
    match value.as_number() {
        Some(Number::Int(i)) if *i >= 0 => Ok(*i as u64),
        Some(Number::Float(f)) if *f >= 0.0 && f.fract() == 0.0 && ctx.draft() != Draft::Draft4 => {
            Ok(*f as u64)
        }
        Some(Number::Big(b)) if !b.is_negative() => Ok(u64::MAX),
        _ => Err(ctx.invalid(keyword, "a non-negative integer")),
    }
}

/// Reads an array of strings.
pub(crate) fn strings(
    ctx: &SchemaCtx<'_, '_>,
    keyword: &'static str,
    value: &Value,
) -> Result<Vec<Arc<str>>, SchemaError> {
    let items = value
        .as_array()
        .ok_or_else(|| ctx.invalid(keyword, "an array of strings"))?;
    items
        .iter()
        .map(|v| {
            v.as_str()
                .map(Arc::from)
                .ok_or_else(|| ctx.invalid(keyword, "an array of strings"))
        })
        .collect()
}

/// The members of a 2019-09-on keyword whose value is an object (`dependentRequired`,
/// `dependentSchemas`); `None` before 2019-09, which has no such keyword.
pub(crate) fn dependent_members<'v>(
    ctx: &SchemaCtx<'_, '_>,
    keyword: &'static str,
    value: &'v Value,
) -> Result<Option<&'v [(String, Value)]>, SchemaError> {
    if ctx.draft() < Draft::Draft201909 {
        return Ok(None);
    }
    value
        .as_object()
        .map(Some)
        .ok_or_else(|| ctx.invalid(keyword, "an object"))
}

/// Reads a number.
pub(crate) fn number(
    ctx: &SchemaCtx<'_, '_>,
    keyword: &'static str,
    value: &Value,
) -> Result<crate::number::Number, SchemaError> {
    value
        .as_number()
        .cloned()
        .ok_or_else(|| ctx.invalid(keyword, "a number"))
}

#[cfg(test)]
mod tests {
    use crate::json::Kind;

    /// Each kind's list of [`super::ActiveLists`] holds exactly the keywords that can fail on
    /// that kind, in schema order; lists are shared between alike nodes.
    #[test]
    fn active_lists_per_kind() {
        let schema = r#"{"type": ["string", "object", "integer"], "maxLength": 3, "minimum": 1,
            "properties": {"a": {}}, "enum": ["a", 1, {}]}"#;
        let mut interner = super::ActiveInterner::default();
        let v = Validator::new(&parse(schema.as_bytes()).unwrap()).unwrap();
        let node = &v.compiled.nodes[v.compiled.root as usize];
        let lists = super::active(&node.keywords, &mut interner);
        let names = |kind: Kind| -> Vec<&str> {
            lists[kind as usize]
                .iter()
                .map(|&i| node.keywords[i as usize].name())
                .collect()
        };
        assert_eq!(names(Kind::Null), ["type", "enum"]);
        assert_eq!(names(Kind::Bool), ["type", "enum"]);
        assert_eq!(names(Kind::Number), ["type", "minimum", "enum"]);
        assert_eq!(names(Kind::String), ["maxLength", "enum"]);
        assert_eq!(names(Kind::Array), ["type", "enum"]);
        assert_eq!(names(Kind::Object), ["properties", "enum"]);
        let shared = super::active(&node.keywords, &mut interner);
        assert!(std::ptr::eq(shared[0].as_ptr(), lists[0].as_ptr()));
        let empty = super::active(&[], &mut interner);
        assert!((0..6).all(|k| empty[k].is_empty()));
    }
    use crate::test_support::assert_is_valid_agrees;
    use crate::{Validator, parse};

    /// Applicator nodes decided by kind ([`super::decide_applicators`]) agree with every
    /// keyword evaluated (`iter_errors`): unions of leaves, nullable references, `oneOf` with
    /// two matching branches, `allOf` with a failing branch, undecided branches, reference
    /// cycles and a recursive content model.
    #[test]
    fn decided_applicators_agree() {
        // (schema, the root's expected `by_kind` for string and null)
        let schemas = [
            (
                r#"{"oneOf": [{"type": "string"}, {"type": "array"}, {"type": "object", "required": ["a"]}]}"#,
                [Some(true), Some(false)],
            ),
            (
                r##"{"$defs": {"s": {"type": "string"}}, "anyOf": [{"$ref": "#/$defs/s"}, {"type": "null"}]}"##,
                [Some(true), Some(true)],
            ),
            (
                r#"{"oneOf": [{"type": "string"}, {"type": ["string", "null"]}]}"#,
                [Some(false), Some(true)],
            ),
            (
                r#"{"allOf": [{"type": "string"}, {"maxLength": 3}, {"type": ["string", "null"]}]}"#,
                [None, Some(false)],
            ),
            (
                r#"{"anyOf": [{"type": "string"}, {"minLength": 2}]}"#,
                [None, Some(true)],
            ),
            (
                r##"{"anyOf": [{"$ref": "#"}, {"type": "string"}]}"##,
                [None, None],
            ),
            (
                r##"{"$defs": {"c": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/$defs/c"}},
                {"type": "object", "additionalProperties": {"$ref": "#/$defs/c"}}]}},
                "$ref": "#/$defs/c", "minProperties": 1}"##,
                [Some(true), Some(false)],
            ),
            (
                r#"{"type": "object", "allOf": [{"type": "string"}]}"#,
                [Some(false), Some(false)],
            ),
        ];
        let instances = [
            "null",
            "\"x\"",
            "\"abcd\"",
            "1",
            "[]",
            "[\"a\", [\"b\"], {\"k\": \"v\"}]",
            "[1]",
            "{}",
            "{\"a\": 1}",
            "{\"k\": [\"v\", {\"j\": 2}]}",
        ];
        for (schema, [string, null]) in schemas {
            let v = Validator::new(&parse(schema.as_bytes()).unwrap()).unwrap();
            let root = &v.compiled.nodes[v.compiled.root as usize];
            assert_eq!(root.by_kind[Kind::String as usize], string, "{schema}");
            assert_eq!(root.by_kind[Kind::Null as usize], null, "{schema}");
            assert_is_valid_agrees(&v, schema, &instances);
        }
    }
}
