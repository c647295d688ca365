//! `const`: the instance equals the value.

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, equal};
use crate::keywords::Keyword;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Const {
    pub(crate) expected: Arc<Value>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() == crate::Draft::Draft4 {
        return Ok(None);
    }
    Ok(Some(Keyword::Const(Const {
        expected: Arc::new(value.clone()),
    })))
}

impl Const {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let ok = equal(instance, &&*self.expected);
        if !ok {
            ctx.error(instance, || ErrorKind::Const {
                expected: Arc::clone(&self.expected),
            });
        }
        ok
    }
}
