//! `dependentSchemas` (2019-09 on): when a property is present, the object must also match a
//! schema.

use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{PathItem, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::{Keyword, dependent_members};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct DependentSchemas {
    pub(crate) schemas: Vec<(Arc<str>, NodeId)>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let Some(members) = dependent_members(ctx, "dependentSchemas", value)? else {
        return Ok(None);
    };
    let schemas = members
        .iter()
        .map(|(k, _)| (Arc::from(k.as_str()), ctx.sub(&["dependentSchemas", k])))
        .collect();
    Ok(Some(Keyword::DependentSchemas(DependentSchemas {
        schemas,
    })))
}

impl DependentSchemas {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Object {
            return true;
        }
        let mut valid = true;
        for (property, node) in &self.schemas {
            if instance.get(property).is_some()
                && !ctx.descend(
                    *node,
                    instance,
                    Seg::Here,
                    Some(PathItem::Key(Arc::clone(property))),
                )
            {
                valid = false;
                if !ctx.collect {
                    return false;
                }
            }
        }
        valid
    }
}
