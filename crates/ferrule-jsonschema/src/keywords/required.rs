//! `required`: the object has each listed property.

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Key, Kind};
use crate::keywords::{Keyword, strings};
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Required {
    pub(crate) properties: Vec<Key>,
    /// Checked by the node's `properties` when only validity is asked.
    pub(crate) merged: bool,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let names = strings(ctx, "required", value)?;
    if names.is_empty() {
        return Ok(None);
    }
    let properties = names.iter().map(|n| ctx.compiler.key(n)).collect();
    Ok(Some(Keyword::Required(Required {
        properties,
        merged: false,
    })))
}

impl Required {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if self.merged && !ctx.collect {
            return true;
        }
        if instance.kind() != Kind::Object {
            return true;
        }
        let mut valid = true;
        for property in &self.properties {
            if instance.get_key(property).is_none() {
                valid = false;
                if !ctx.collect {
                    return false;
                }
                ctx.error(instance, || ErrorKind::Required {
                    property: Arc::clone(property.name_arc()),
                });
            }
        }
        valid
    }
}
