//! `dependentRequired` (2019-09 on): when a property is present, others must be too.

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::{Keyword, dependent_members, strings};
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct DependentRequired {
    pub(crate) dependencies: Vec<(Arc<str>, Vec<Arc<str>>)>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let Some(members) = dependent_members(ctx, "dependentRequired", value)? else {
        return Ok(None);
    };
    let mut dependencies = Vec::with_capacity(members.len());
    for (k, v) in members {
        dependencies.push((Arc::from(k.as_str()), strings(ctx, "dependentRequired", v)?));
    }
    Ok(Some(Keyword::DependentRequired(DependentRequired {
        dependencies,
    })))
}

/// Shared with the array form of draft 4-7 `dependencies`.
pub(crate) fn check<J: Json>(
    ctx: &mut Ctx<'_, J>,
    instance: &J,
    property: &Arc<str>,
    required: &[Arc<str>],
) -> bool {
    let mut valid = true;
    for missing in required {
        if instance.get(missing).is_none() {
            valid = false;
            if !ctx.collect {
                return false;
            }
            ctx.error(instance, || ErrorKind::DependentRequired {
                property: Arc::clone(property),
                missing: Arc::clone(missing),
            });
        }
    }
    valid
}

impl DependentRequired {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Object {
            return true;
        }
        let mut valid = true;
        for (property, required) in &self.dependencies {
            if instance.get(property).is_some() && !check(ctx, instance, property, required) {
                valid = false;
                if !ctx.collect {
                    return false;
                }
            }
        }
        valid
    }
}
