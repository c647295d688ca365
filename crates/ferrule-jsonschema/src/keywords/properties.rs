//! `properties`: a schema per named property.

use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{PathItem, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Properties {
    /// In schema order, as python-jsonschema reports them.
    pub(crate) properties: Vec<(Arc<str>, NodeId)>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let members = value
        .as_object()
        .ok_or_else(|| ctx.invalid("properties", "an object"))?;
    let properties = members
        .iter()
        .map(|(k, _)| (Arc::from(k.as_str()), ctx.sub(&["properties", k])))
        .collect();
    Ok(Some(Keyword::Properties(Properties { properties })))
}

impl Properties {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Object {
            return true;
        }
        let mut valid = true;
        for (name, node) in &self.properties {
            let Some(value) = instance.get(name) else {
                continue;
            };
            if !ctx.descend(
                *node,
                &value,
                Seg::Key(name),
                Some(PathItem::Key(Arc::clone(name))),
            ) {
                valid = false;
                if !ctx.collect {
                    return false;
                }
            }
        }
        valid
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.properties.iter().any(|(k, _)| &**k == name)
    }
}
