//! `if` / `then` / `else` (draft 7 on): `then` applies when `if` matches, `else` when not.
//! Errors come from `then`/`else`, with that keyword in their schema path.

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{PathItem, SchemaError};
use crate::json::Json;
use crate::keywords::Keyword;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct If {
    pub(crate) condition: NodeId,
    pub(crate) then: Option<NodeId>,
    pub(crate) otherwise: Option<NodeId>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    _value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() < Draft::Draft7 {
        return Ok(None);
    }
    let then = ctx.schema.get("then").is_some().then(|| ctx.sub(&["then"]));
    let otherwise = ctx.schema.get("else").is_some().then(|| ctx.sub(&["else"]));
    Ok(Some(Keyword::If(If {
        condition: ctx.sub(&["if"]),
        then,
        otherwise,
    })))
}

impl If {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let (branch, name) = if ctx.probe_at(self.condition, instance, Seg::Here, None) {
            (self.then, "then")
        } else {
            (self.otherwise, "else")
        };
        let Some(node) = branch else { return true };
        if !ctx.collect {
            return ctx.validate(node, instance);
        }
        // python-jsonschema's path for these is `then/...`, not `if/then/...`.
        let saved = ctx.schema_path.pop();
        let ok = ctx.descend(node, instance, Seg::Here, Some(PathItem::Keyword(name)));
        if let Some(s) = saved {
            ctx.schema_path.push(s);
        }
        ok
    }
}
