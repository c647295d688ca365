//! `items`: a schema for every item (2020-12: every item after `prefixItems`), or, before
//! 2020-12, an array of schemas for the items by position.

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{ArrayKinds, ItemKinds, Json, Kind};
use crate::keywords::Keyword;
use crate::keywords::prefix_items::{positional_nodes, validate_positional};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) enum Items {
    /// One schema for the items from `start` on (`start` is `prefixItems`' length in 2020-12).
    Rest {
        node: NodeId,
        start: usize,
        /// 2020-12 `items: false` reports one error, as python-jsonschema does.
        is_false: bool,
        /// What the validity check needs of `node` when it is a leaf array schema
        /// ([`summarize_leaves`]).
        leaf: Option<Leaf>,
        /// The items' check when their kind decides it ([`summarize_leaves`]).
        kinds: Option<ItemKinds>,
    },
    /// Positional schemas (before 2020-12).
    Tuple(Vec<NodeId>),
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    match value {
        Value::Array(items) if ctx.draft() < Draft::Draft202012 => {
            let nodes = positional_nodes(ctx, "items", items.len());
            Ok(Some(Keyword::Items(Items::Tuple(nodes))))
        }
        Value::Object(_) | Value::Bool(_) => {
            let start = if ctx.draft() >= Draft::Draft202012 {
                ctx.schema
                    .get("prefixItems")
                    .and_then(Value::as_array)
                    .map_or(0, <[Value]>::len)
            } else {
                0
            };
            let is_false = ctx.draft() >= Draft::Draft202012 && matches!(value, Value::Bool(false));
            Ok(Some(Keyword::Items(Items::Rest {
                node: ctx.sub(&["items"]),
                start,
                is_false,
                leaf: None,
                kinds: None,
            })))
        }
        _ => Err(ctx.invalid("items", "a schema or an array of schemas")),
    }
}

/// An array schema whose validity check on an array is `minItems`, `maxItems` and one
/// `items` schema at most (the `[lon, lat]` positions of geographic data): checked in place
/// by the enclosing `items`, without entering the node and dispatching its keywords per item.
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    min: u64,
    max: u64,
    items: Option<LeafItems>,
}

/// What a [`Leaf`] checks its items with, copied from the `items` schema's node so that a
/// geographic position (two numbers) costs no lookup in the arena.
#[derive(Debug, Clone)]
struct LeafItems {
    node: NodeId,
    boolean: Option<bool>,
    by_kind: [Option<bool>; 6],
    /// The items' own [`Leaf`], when the `items` schema is a leaf array schema too (a ring of
    /// positions), up to [`LEAF_DEPTH`] levels.
    inner: Option<Box<Leaf>>,
    /// The items' check when their kind (and, for arrays, `inner`) decides it.
    kinds: Option<ItemKinds>,
}

/// The [`ItemKinds`] of items checked against a node whose `boolean` and `by_kind` are
/// these, and whose check of an array is `leaf`; `None` when their kind does not decide them.
fn item_kinds(
    boolean: Option<bool>,
    by_kind: [Option<bool>; 6],
    leaf: Option<&Leaf>,
) -> Option<ItemKinds> {
    let mut kinds = ItemKinds {
        accept: 0,
        arrays: None,
    };
    for (kind, decided) in by_kind.into_iter().enumerate() {
        match boolean.or(decided) {
            Some(true) => kinds.accept |= 1 << kind,
            Some(false) => {}
            None if kind == Kind::Array as usize => kinds.arrays = Some(leaf?.array_kinds()?),
            None => return None,
        }
    }
    Some(kinds)
}

/// How many leaf arrays deep a [`Leaf`] goes before handing over to the general path, which
/// counts the recursion limit: a bound on the native stack whatever the schema.
const LEAF_DEPTH: u32 = 8;

impl Leaf {
    /// The node's check of an array, if it is a leaf (other kinds take the node's general
    /// path), its items' leaves found `depth` levels deep at most.
    fn of(nodes: &[crate::compiler::Node], id: NodeId, depth: u32) -> Option<Leaf> {
        let node = &nodes[id as usize];
        if node.boolean.is_some() {
            return None;
        }
        let mut leaf = Leaf {
            min: 0,
            max: u64::MAX,
            items: None,
        };
        for &i in &node.active[Kind::Array as usize] {
            match &node.keywords[i as usize] {
                Keyword::MinItems(k) => leaf.min = leaf.min.max(k.limit),
                Keyword::MaxItems(k) => leaf.max = leaf.max.min(k.limit),
                Keyword::Items(Items::Rest {
                    node: items,
                    start: 0,
                    is_false: false,
                    ..
                }) if leaf.items.is_none() => {
                    let target = &nodes[*items as usize];
                    let inner = if depth > 0 && target.resource == node.resource {
                        Leaf::of(nodes, *items, depth - 1).map(Box::new)
                    } else {
                        None
                    };
                    let kinds = item_kinds(target.boolean, target.by_kind, inner.as_deref());
                    leaf.items = Some(LeafItems {
                        node: *items,
                        boolean: target.boolean,
                        by_kind: target.by_kind,
                        inner,
                        kinds,
                    });
                }
                _ => return None,
            }
        }
        Some(leaf)
    }

    /// This check as an [`ArrayKinds`], when its items' kinds decide it.
    fn array_kinds(&self) -> Option<ArrayKinds> {
        let accept = match &self.items {
            None => u8::MAX,
            Some(items) => {
                let kinds = item_kinds(items.boolean, items.by_kind, None)?;
                kinds.accept
            }
        };
        Some(ArrayKinds {
            min: self.min,
            max: self.max,
            accept,
        })
    }

    fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, array: &J) -> bool {
        let len = array.len() as u64;
        if len < self.min || len > self.max {
            return false;
        }
        let Some(items) = &self.items else {
            return true;
        };
        if let Some(valid) = items.kinds.and_then(|k| array.items_by_kind(0, &k)) {
            return valid;
        }
        if let Some(b) = items.boolean {
            return b || len == 0;
        }
        array.all_items(
            0,
            |kind| items.by_kind[kind as usize],
            |item| match &items.inner {
                Some(leaf) if item.kind() == Kind::Array => leaf.validate(ctx, item),
                _ => ctx.validate(items.node, item),
            },
        )
    }
}

/// Finds the `items` schemas that are leaf arrays ([`Leaf`]), for the validity check. Runs
/// after [`crate::keywords::active`]. A schema in another resource is left to the general path,
/// which keeps the dynamic scope.
pub(crate) fn summarize_leaves(nodes: &mut [crate::compiler::Node]) {
    let mut found = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        for (k, keyword) in node.keywords.iter().enumerate() {
            if let Keyword::Items(Items::Rest { node: id, .. }) = keyword {
                let target = &nodes[*id as usize];
                let leaf = if target.resource == node.resource {
                    Leaf::of(nodes, *id, LEAF_DEPTH - 1)
                } else {
                    None
                };
                let kinds = item_kinds(target.boolean, target.by_kind, leaf.as_ref());
                found.push((n, k, leaf, kinds));
            }
        }
    }
    for (n, k, found, found_kinds) in found {
        if let Keyword::Items(Items::Rest { leaf, kinds, .. }) = &mut nodes[n].keywords[k] {
            *leaf = found;
            *kinds = found_kinds;
        }
    }
}

impl Items {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array {
            return true;
        }
        let (node, start, is_false, leaf, kinds) = match self {
            Items::Tuple(nodes) => return validate_positional(ctx, instance, nodes),
            Items::Rest {
                node,
                start,
                is_false,
                leaf,
                kinds,
            } => (*node, *start, *is_false, leaf.as_ref(), kinds.as_ref()),
        };
        if is_false {
            if instance.len() > start {
                ctx.error(instance, || ErrorKind::AdditionalItems { allowed: start });
                return false;
            }
            return true;
        }
        if !ctx.collect {
            // Items that their kind decides (`"items": {"type": "number"}`, GeoJSON
            // coordinates) are checked without a handle on each.
            let compiled = ctx.compiled;
            let target = &compiled.nodes[node as usize];
            if let Some(b) = target.boolean {
                return b || instance.len() <= start;
            }
            if let Some(valid) = kinds.and_then(|k| instance.items_by_kind(start, k)) {
                return valid;
            }
            return instance.all_items(
                start,
                |kind| target.by_kind[kind as usize],
                |item| match leaf {
                    Some(leaf) if item.kind() == Kind::Array => leaf.validate(ctx, item),
                    _ => ctx.validate(node, item),
                },
            );
        }
        let mut valid = true;
        for (index, item) in instance.items().enumerate().skip(start) {
            if !ctx.descend(node, &item, Seg::Index(index), None) {
                valid = false;
                if !ctx.collect {
                    return false;
                }
            }
        }
        valid
    }
}

#[cfg(test)]
mod tests {
    use super::Items;
    use crate::json::{ArrayKinds, ItemKinds, Kind};
    use crate::keywords::Keyword;
    use crate::{Validator, parse};

    /// The root's `items` decided by kind ([`super::item_kinds`]): scalars by their kind,
    /// positions by their length and their items' kind, anything deeper or read by value not.
    #[test]
    fn item_kinds_of_scalars_and_positions() {
        let number = 1 << Kind::Number as u8;
        let position = |min, max, accept| ItemKinds {
            accept: 0,
            arrays: Some(ArrayKinds { min, max, accept }),
        };
        let cases = [
            (
                r#"{"items": {"type": "number"}}"#,
                Some(ItemKinds {
                    accept: number,
                    arrays: None,
                }),
            ),
            (r#"{"items": {"type": "integer"}}"#, None),
            (r#"{"items": {"minimum": 0}}"#, None),
            (
                r#"{"items": true}"#,
                Some(ItemKinds {
                    accept: 0x3F,
                    arrays: None,
                }),
            ),
            (
                r#"{"items": {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}}}"#,
                Some(position(2, 3, number)),
            ),
            (
                r#"{"items": {"type": "array", "maxItems": 1}}"#,
                Some(position(0, 1, u8::MAX)),
            ),
            (
                r#"{"items": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}}"#,
                None,
            ),
            (
                r#"{"items": {"type": ["array", "null"], "uniqueItems": true}}"#,
                None,
            ),
        ];
        for (schema, expected) in cases {
            let v = Validator::new(&parse(schema.as_bytes()).unwrap()).unwrap();
            let root = &v.compiled.nodes[v.compiled.root as usize];
            let kinds = root.keywords.iter().find_map(|k| match k {
                Keyword::Items(Items::Rest { kinds, .. }) => Some(*kinds),
                _ => None,
            });
            assert_eq!(kinds, Some(expected), "{schema}");
        }
    }

    /// Leaf arrays checked in place (`is_valid`) agree with the general path (`iter_errors`).
    #[test]
    fn leaf_arrays_agree() {
        let schemas = [
            r#"{"items": {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}}}"#,
            r#"{"items": {"minItems": 1, "items": {"type": "string"}}}"#,
            r#"{"items": {"type": "array", "items": false}}"#,
            r#"{"items": {"type": "array", "items": {"minimum": 0}}}"#,
            r#"{"items": {"type": "array", "maxItems": 0}}"#,
            r#"{"items": {"type": ["array", "null"], "minItems": 1}}"#,
            r#"{"prefixItems": [{}], "items": {"items": {"type": "integer"}}}"#,
            r#"{"items": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}}"#,
        ];
        let instances = [
            "[]",
            "[[1, 2]]",
            "[[1, 2], [3]]",
            "[[1, 2, 3, 4]]",
            r#"[[1, "a"]]"#,
            r#"[["a"], ["b", "c"]]"#,
            "[[-1, 2]]",
            "[null, [1]]",
            "[[]]",
            "[1, [2]]",
            "[[[1, 2]], [[3, \"x\"]]]",
            "[{}]",
        ];
        // Leaves nested deeper than `LEAF_DEPTH`, on items nested as deep.
        let deep_schema = format!(
            "{}{}",
            r#"{"items": "#.repeat(12),
            "{\"type\": \"integer\"}}".to_string() + &"}".repeat(11)
        );
        let deep_valid = format!("{}1{}", "[".repeat(13), "]".repeat(13));
        let deep_invalid = format!("{}1.5{}", "[".repeat(13), "]".repeat(13));
        for schema in schemas.iter().copied().chain([deep_schema.as_str()]) {
            let v = Validator::new(&parse(schema.as_bytes()).unwrap()).unwrap();
            for text in instances
                .iter()
                .copied()
                .chain([deep_valid.as_str(), deep_invalid.as_str()])
            {
                let instance = parse(text.as_bytes()).unwrap();
                assert_eq!(
                    v.is_valid(&&instance),
                    v.iter_errors(&&instance).next().is_none(),
                    "{schema} {text}"
                );
            }
        }
    }
}
