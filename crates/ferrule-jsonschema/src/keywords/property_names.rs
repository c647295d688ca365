//! `propertyNames`: every property name, as a string instance, matches a schema.
//!
//! A name is not a value of the instance representation (a `&str` key of a parsed object has
//! no `&Value`), so names are validated as [`Value`] strings and their errors reported as the
//! context of one `propertyNames` error on the object; a binding that wants python-jsonschema's
//! flat errors yields the context errors with the name as their instance.

use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{ContextError, ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct PropertyNames {
    node: NodeId,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    _value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() < Draft::Draft6 {
        return Ok(None);
    }
    Ok(Some(Keyword::PropertyNames(PropertyNames {
        node: ctx.sub(&["propertyNames"]),
    })))
}

impl PropertyNames {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Object {
            return true;
        }
        let mut valid = true;
        for (key, _) in instance.members() {
            let name = Value::String(key.as_ref().to_string());
            let mut inner: Ctx<'_, &Value> = Ctx::new(ctx.compiled, ctx.collect);
            inner.scope.clone_from(&ctx.scope);
            if inner.validate(self.node, &&name) {
                continue;
            }
            valid = false;
            if !ctx.collect {
                return false;
            }
            let context: Vec<ContextError> = inner.take_context(0);
            let property: Arc<str> = key.as_ref().into();
            ctx.error(instance, || ErrorKind::PropertyNames { property, context });
        }
        valid
    }
}
