//! `additionalItems` (before 2020-12): a schema for the items past a positional `items`
//! array; ignored when `items` is absent or a single schema.

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct AdditionalItems {
    pub(crate) node: NodeId,
    pub(crate) start: usize,
    is_false: bool,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() >= Draft::Draft202012 {
        return Ok(None);
    }
    let Some(items) = ctx.schema.get("items").and_then(Value::as_array) else {
        return Ok(None);
    };
    let start = items.len();
    let is_false = matches!(value, Value::Bool(false));
    Ok(Some(Keyword::AdditionalItems(AdditionalItems {
        node: ctx.sub(&["additionalItems"]),
        start,
        is_false,
    })))
}

impl AdditionalItems {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array || instance.len() <= self.start {
            return true;
        }
        if self.is_false {
            ctx.error(instance, || ErrorKind::AdditionalItems {
                allowed: self.start,
            });
            return false;
        }
        let mut valid = true;
        for (index, item) in instance.items().enumerate().skip(self.start) {
            if !ctx.descend(self.node, &item, Seg::Index(index), None) {
                valid = false;
                if !ctx.collect {
                    return false;
                }
            }
        }
        valid
    }
}
