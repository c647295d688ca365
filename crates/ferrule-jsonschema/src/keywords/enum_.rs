//! `enum`: the instance equals one of the listed values (`1 == 1.0`, `true != 1`).

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, equal};
use crate::keywords::Keyword;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Enum {
    options: Arc<Value>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if value.as_array().is_none() {
        return Err(ctx.invalid("enum", "an array"));
    }
    Ok(Some(Keyword::Enum(Enum {
        options: Arc::new(value.clone()),
    })))
}

impl Enum {
    /// The only option, when it is a single string (a `const` in all but name, which
    /// tagged unions such as Swagger 2.0's parameters use as their tag).
    pub(crate) fn single_string(&self) -> Option<&str> {
        match self.options.as_array()? {
            [only] => only.as_str(),
            _ => None,
        }
    }

    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let ok = self
            .options
            .as_array()
            .unwrap_or_default()
            .iter()
            .any(|option| equal(instance, &option));
        if !ok {
            ctx.error(instance, || ErrorKind::Enum {
                options: Arc::clone(&self.options),
            });
        }
        ok
    }
}
