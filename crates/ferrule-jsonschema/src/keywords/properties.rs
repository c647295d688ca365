//! `properties`: a schema per named property.

use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{PathItem, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::keywords::names::Names;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Properties {
    /// Name -> node, in schema order.
    pub(crate) properties: Names<NodeId>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let members = value
        .as_object()
        .ok_or_else(|| ctx.invalid("properties", "an object"))?;
    let properties: Vec<(Arc<str>, NodeId)> = members
        .iter()
        .map(|(k, _)| (Arc::from(k.as_str()), ctx.sub(&["properties", k])))
        .collect();
    Ok(Some(Keyword::Properties(Properties {
        properties: Names::new(properties),
    })))
}

impl Properties {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Object {
            return true;
        }
        if !ctx.collect {
            // Fast path: one pass over the instance, whatever the order of errors.
            for (key, value) in instance.members() {
                if let Some(node) = self.lookup(key.as_ref()) {
                    if !ctx.validate(node, &value) {
                        return false;
                    }
                }
            }
            return true;
        }
        let mut valid = true;
        // Schema order, as python-jsonschema reports errors.
        for (name, node) in &self.properties.entries {
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

    fn lookup(&self, name: &str) -> Option<NodeId> {
        self.properties.get(name)
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.lookup(name).is_some()
    }
}
