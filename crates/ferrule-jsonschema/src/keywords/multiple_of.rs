//! `multipleOf`: the number divided by the value is an integer (python-jsonschema's float
//! semantics, see [`crate::Number::is_multiple_of`]).

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::Json;
use crate::keywords::{Keyword, number};
use crate::number::Number;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct MultipleOf {
    divisor: Number,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(Some(Keyword::MultipleOf(MultipleOf {
        divisor: number(ctx, "multipleOf", value)?,
    })))
}

impl MultipleOf {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let Some(n) = instance.as_number() else {
            return true;
        };
        let ok = n.is_multiple_of(&self.divisor);
        if !ok {
            ctx.error(instance, || ErrorKind::MultipleOf {
                multiple_of: self.divisor.clone(),
            });
        }
        ok
    }
}
