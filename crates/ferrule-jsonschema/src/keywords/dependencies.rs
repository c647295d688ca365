//! `dependencies` (drafts 4 to 7): per property, either required siblings (array) or a
//! schema the whole object must match.

use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{PathItem, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::{Keyword, dependent_required, strings};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) enum Dependency {
    Required(Vec<Arc<str>>),
    Schema(NodeId),
}

#[derive(Debug)]
pub(crate) struct Dependencies {
    dependencies: Vec<(Arc<str>, Dependency)>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() > Draft::Draft7 {
        return Ok(None);
    }
    let members = value
        .as_object()
        .ok_or_else(|| ctx.invalid("dependencies", "an object"))?;
    let mut dependencies = Vec::with_capacity(members.len());
    for (k, v) in members {
        let dependency = match v {
            Value::Array(_) => Dependency::Required(strings(ctx, "dependencies", v)?),
            _ => Dependency::Schema(ctx.sub(&["dependencies", k])),
        };
        dependencies.push((Arc::from(k.as_str()), dependency));
    }
    Ok(Some(Keyword::Dependencies(Dependencies { dependencies })))
}

impl Dependencies {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Object {
            return true;
        }
        let mut valid = true;
        for (property, dependency) in &self.dependencies {
            if instance.get(property).is_none() {
                continue;
            }
            let ok = match dependency {
                Dependency::Required(required) => {
                    dependent_required::check(ctx, instance, property, required)
                }
                Dependency::Schema(node) => ctx.descend(
                    *node,
                    instance,
                    Seg::Here,
                    Some(PathItem::Key(Arc::clone(property))),
                ),
            };
            if !ok {
                valid = false;
                if !ctx.collect {
                    return false;
                }
            }
        }
        valid
    }
}
