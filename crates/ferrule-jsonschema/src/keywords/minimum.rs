//! `minimum` (with draft 4's boolean `exclusiveMinimum` beside it).

use std::cmp::Ordering;

use crate::compiler::SchemaCtx;
use crate::draft::Draft;
use crate::error::{ErrorKind, SchemaError};
use crate::json::Json;
use crate::keywords::{Keyword, number};
use crate::number::Number;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Minimum {
    limit: Number,
    /// Draft 4's `"exclusiveMinimum": true`.
    exclusive: bool,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let exclusive = ctx.draft() == Draft::Draft4
        && ctx.schema.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
    Ok(Some(Keyword::Minimum(Minimum {
        limit: number(ctx, "minimum", value)?,
        exclusive,
    })))
}

impl Minimum {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let Some(n) = instance.as_number() else {
            return true;
        };
        let ok = match n.compare(&self.limit) {
            Some(Ordering::Less) => false,
            Some(Ordering::Equal) => !self.exclusive,
            _ => true,
        };
        if !ok {
            let limit = self.limit.clone();
            if self.exclusive {
                ctx.error(instance, || ErrorKind::ExclusiveMinimum { limit });
            } else {
                ctx.error(instance, || ErrorKind::Minimum { limit });
            }
        }
        ok
    }
}
