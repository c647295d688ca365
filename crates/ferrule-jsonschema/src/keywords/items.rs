//! `items`: a schema for every item (2020-12: every item after `prefixItems`), or, before
//! 2020-12, an array of schemas for the items by position.

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
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
            })))
        }
        _ => Err(ctx.invalid("items", "a schema or an array of schemas")),
    }
}

impl Items {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array {
            return true;
        }
        let (node, start, is_false) = match self {
            Items::Tuple(nodes) => return validate_positional(ctx, instance, nodes),
            Items::Rest {
                node,
                start,
                is_false,
            } => (*node, *start, *is_false),
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
            return instance.all_items(
                start,
                |kind| target.by_kind[kind as usize],
                |item| ctx.validate(node, item),
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
