//! `maximum` (with draft 4's boolean `exclusiveMaximum` beside it).

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
pub(crate) struct Maximum {
    limit: Number,
    /// Draft 4's `"exclusiveMaximum": true`.
    exclusive: bool,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let exclusive = ctx.draft() == Draft::Draft4
        && ctx.schema.get("exclusiveMaximum").and_then(Value::as_bool) == Some(true);
    Ok(Some(Keyword::Maximum(Maximum {
        limit: number(ctx, "maximum", value)?,
        exclusive,
    })))
}

impl Maximum {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let Some(n) = instance.as_number() else {
            return true;
        };
        let ok = match n.compare(&self.limit) {
            Some(Ordering::Greater) => false,
            Some(Ordering::Equal) => !self.exclusive,
            _ => true,
        };
        if !ok {
            let limit = self.limit.clone();
            if self.exclusive {
                ctx.error(instance, || ErrorKind::ExclusiveMaximum { limit });
            } else {
                ctx.error(instance, || ErrorKind::Maximum { limit });
            }
        }
        ok
    }
}
