//! `minItems`: a bound on the array's size.

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::{Keyword, limit};
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct MinItems {
    pub(crate) limit: u64,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(Some(Keyword::MinItems(MinItems {
        limit: limit(ctx, "minItems", value)?,
    })))
}

impl MinItems {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array {
            return true;
        }
        let ok = instance.len() as u64 >= self.limit;
        if !ok {
            ctx.error(instance, || ErrorKind::MinItems { limit: self.limit });
        }
        ok
    }
}
