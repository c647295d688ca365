//! `unevaluatedItems` (2019-09 on): a schema for the items no other keyword of this schema (or
//! of its successful in-place subschemas) evaluated.

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::{Keyword, annotations};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct UnevaluatedItems {
    pub(crate) node: NodeId,
    is_false: bool,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() < Draft::Draft201909 {
        return Ok(None);
    }
    let is_false = matches!(value, Value::Bool(false));
    Ok(Some(Keyword::UnevaluatedItems(UnevaluatedItems {
        node: ctx.sub(&["unevaluatedItems"]),
        is_false,
    })))
}

impl UnevaluatedItems {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array {
            return true;
        }
        let mut evaluated = vec![false; instance.len()];
        let node = ctx.current_node();
        annotations::items(ctx, node, instance, &mut evaluated, ctx.remaining_depth());
        let mut unexpected = Vec::new();
        for (index, item) in instance.items().enumerate() {
            if !evaluated[index] && !ctx.probe_at(self.node, &item, Seg::Index(index), None) {
                if !ctx.collect {
                    return false;
                }
                unexpected.push(index);
            }
        }
        if unexpected.is_empty() {
            return true;
        }
        let is_false = self.is_false;
        ctx.error(instance, || ErrorKind::UnevaluatedItems {
            unexpected,
            is_false,
        });
        false
    }
}
