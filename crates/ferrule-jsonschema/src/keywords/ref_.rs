//! `$ref`: the instance matches the referenced schema. Resolved once, at compile time, to a
//! node of the arena (cycles are cycles of node ids).

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::SchemaError;
use crate::json::Json;
use crate::keywords::Keyword;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Ref {
    pub(crate) node: NodeId,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let reference = value
        .as_str()
        .ok_or_else(|| ctx.invalid("$ref", "a string"))?;
    Ok(Some(Keyword::Ref(Ref {
        node: ctx.resolve_ref(reference)?,
    })))
}

impl Ref {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        ctx.descend(self.node, instance, Seg::Here, None)
    }
}
