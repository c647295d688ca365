//! `allOf`: the instance matches every subschema.

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{PathItem, SchemaError};
use crate::json::Json;
use crate::keywords::{Keyword, subschemas};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct AllOf {
    pub(crate) nodes: Vec<NodeId>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let nodes = subschemas(ctx, "allOf", value)?;
    Ok(Some(Keyword::AllOf(AllOf { nodes })))
}

impl AllOf {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let mut valid = true;
        for (index, node) in self.nodes.iter().enumerate() {
            if !ctx.descend(*node, instance, Seg::Here, Some(PathItem::Index(index))) {
                valid = false;
                if !ctx.collect {
                    return false;
                }
            }
        }
        valid
    }
}
