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
    /// The index of the node's `additionalProperties` among its keywords, when
    /// [`merge_additional`] gave its validity check to this keyword: one pass over the
    /// members instead of two.
    additional: Option<usize>,
}

/// Lets `properties` check its node's `additionalProperties` in the same pass when only
/// validity is asked (errors still come from each keyword, in schema order).
pub(crate) fn merge_additional(nodes: &mut [crate::compiler::Node]) {
    for node in nodes {
        let find = |want: fn(&Keyword) -> bool| node.keywords.iter().position(want);
        let (Some(p), Some(a)) = (
            find(|k| matches!(k, Keyword::Properties(_))),
            find(|k| matches!(k, Keyword::AdditionalProperties(_))),
        ) else {
            continue;
        };
        if let Keyword::AdditionalProperties(k) = &mut node.keywords[a] {
            k.merged = true;
        }
        if let Keyword::Properties(k) = &mut node.keywords[p] {
            k.additional = Some(a);
        }
    }
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
        additional: None,
    })))
}

impl Properties {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Object {
            return true;
        }
        if !ctx.collect {
            // Fast path: one pass over the instance, whatever the order of errors.
            let compiled = ctx.compiled;
            let additional = self.additional.and_then(|i| {
                match &compiled.nodes[ctx.current_node() as usize].keywords[i] {
                    Keyword::AdditionalProperties(k) => Some(k),
                    _ => None,
                }
            });
            for (key, value) in instance.members() {
                let key = key.as_ref();
                let node = match self.lookup(key) {
                    Some(node) => node,
                    None => match additional {
                        Some(a) if a.matches_no_pattern(key) => {
                            if a.is_false() {
                                return false;
                            }
                            a.node
                        }
                        _ => continue,
                    },
                };
                if !ctx.validate(node, &value) {
                    return false;
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
