//! `unevaluatedProperties` (2019-09 on): a schema for the properties no other keyword of this
//! schema (or of its successful in-place subschemas) evaluated.

use std::collections::HashSet;
use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::{Keyword, annotations};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct UnevaluatedProperties {
    pub(crate) node: NodeId,
    is_false: bool,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() < Draft::Draft201909 {
        return Ok(None);
    }
    let is_false = matches!(value, Value::Bool(false));
    Ok(Some(Keyword::UnevaluatedProperties(
        UnevaluatedProperties {
            node: ctx.sub(&["unevaluatedProperties"]),
            is_false,
        },
    )))
}

impl UnevaluatedProperties {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Object {
            return true;
        }
        let mut evaluated = HashSet::new();
        let node = ctx.current_node();
        annotations::properties(ctx, node, instance, &mut evaluated, ctx.remaining_depth());
        let mut unexpected: Vec<Arc<str>> = Vec::new();
        for (key, value) in instance.members() {
            let key = key.as_ref();
            if evaluated.contains(key) {
                continue;
            }
            if !ctx.probe_at(self.node, &value, Seg::Key(key), None) {
                if !ctx.collect {
                    return false;
                }
                unexpected.push(key.into());
            }
        }
        if unexpected.is_empty() {
            return true;
        }
        let is_false = self.is_false;
        ctx.error(instance, || ErrorKind::UnevaluatedProperties {
            unexpected,
            is_false,
        });
        false
    }
}
