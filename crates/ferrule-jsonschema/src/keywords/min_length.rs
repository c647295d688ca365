//! `minLength`: a bound on the string's size in code points (as Python's `len`).

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::{Keyword, limit};
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct MinLength {
    limit: u64,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(Some(Keyword::MinLength(MinLength {
        limit: limit(ctx, "minLength", value)?,
    })))
}

impl MinLength {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::String {
            return true;
        }
        let ok = instance.len() as u64 >= self.limit;
        if !ok {
            ctx.error(instance, || ErrorKind::MinLength { limit: self.limit });
        }
        ok
    }
}
