//! `prefixItems` (2020-12): schemas for the first items, by position.

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{PathItem, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct PrefixItems {
    pub(crate) nodes: Vec<NodeId>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() < crate::Draft::Draft202012 {
        return Ok(None);
    }
    let items = value
        .as_array()
        .ok_or_else(|| ctx.invalid("prefixItems", "an array of schemas"))?;
    let nodes = positional_nodes(ctx, "prefixItems", items.len());
    Ok(Some(Keyword::PrefixItems(PrefixItems { nodes })))
}

/// The subschemas of an array of schemas by position (`prefixItems`, draft 4-2019 `items`).
pub(crate) fn positional_nodes(
    ctx: &mut SchemaCtx<'_, '_>,
    keyword: &'static str,
    len: usize,
) -> Vec<NodeId> {
    (0..len)
        .map(|i| ctx.sub(&[keyword, &i.to_string()]))
        .collect()
}

/// Validates the first items against schemas by position.
pub(crate) fn validate_positional<J: Json>(
    ctx: &mut Ctx<'_, J>,
    instance: &J,
    nodes: &[NodeId],
) -> bool {
    let mut valid = true;
    for ((index, item), node) in instance.items().enumerate().zip(nodes) {
        if !ctx.descend(
            *node,
            &item,
            Seg::Index(index),
            Some(PathItem::Index(index)),
        ) {
            valid = false;
            if !ctx.collect {
                return false;
            }
        }
    }
    valid
}

impl PrefixItems {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array {
            return true;
        }
        validate_positional(ctx, instance, &self.nodes)
    }
}
