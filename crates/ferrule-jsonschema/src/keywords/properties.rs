//! `properties`: a schema per named property.

use std::collections::HashMap;
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
    /// Name -> node, for large `properties` (small ones are scanned).
    index: Option<HashMap<Arc<str>, NodeId>>,
}

/// Below this many properties a linear scan beats hashing.
const INDEX_FROM: usize = 12;

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
    let index = (properties.len() >= INDEX_FROM).then(|| {
        properties
            .iter()
            .map(|(k, n)| (Arc::clone(k), *n))
            .collect()
    });
    Ok(Some(Keyword::Properties(Properties { properties, index })))
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

    fn lookup(&self, name: &str) -> Option<NodeId> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self
                .properties
                .iter()
                .find(|(k, _)| &**k == name)
                .map(|(_, n)| *n),
        }
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.lookup(name).is_some()
    }
}
