//! `exclusiveMaximum` (draft 6 on; draft 4's boolean form is handled by the non-exclusive keyword).

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
pub(crate) struct ExclusiveMaximum {
    limit: Number,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() == Draft::Draft4 {
        return Ok(None);
    }
    Ok(Some(Keyword::ExclusiveMaximum(ExclusiveMaximum {
        limit: number(ctx, "exclusiveMaximum", value)?,
    })))
}

impl ExclusiveMaximum {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let Some(n) = instance.as_number() else {
            return true;
        };
        let ok = n.compare(&self.limit) == Some(Ordering::Less);
        if !ok {
            ctx.error(instance, || ErrorKind::ExclusiveMaximum {
                limit: self.limit.clone(),
            });
        }
        ok
    }
}
