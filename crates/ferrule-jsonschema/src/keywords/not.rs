//! `not`: the instance does not match the subschema.

use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{ErrorKind, SchemaError};
use crate::json::Json;
use crate::keywords::Keyword;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Not {
    node: NodeId,
    schema: Arc<Value>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(Some(Keyword::Not(Not {
        node: ctx.sub(&["not"]),
        schema: Arc::new(value.clone()),
    })))
}

impl Not {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if ctx.probe(self.node, instance) {
            ctx.error(instance, || ErrorKind::Not {
                schema: Arc::clone(&self.schema),
            });
            return false;
        }
        true
    }
}
