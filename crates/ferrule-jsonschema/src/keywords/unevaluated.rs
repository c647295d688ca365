//! `unevaluatedItems` and `unevaluatedProperties` (2019-09 on): a schema for the items or
//! properties no other keyword of this schema (or of its successful in-place subschemas)
//! evaluated. One type: they differ only in which part of the instance they look at.

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
pub(crate) struct Unevaluated {
    pub(crate) node: NodeId,
    /// `unevaluatedItems` (arrays), else `unevaluatedProperties` (objects).
    items: bool,
    is_false: bool,
}

/// `unevaluatedItems`.
pub(crate) fn items(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(compile(ctx, value, true).map(Keyword::UnevaluatedItems))
}

/// `unevaluatedProperties`.
pub(crate) fn properties(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(compile(ctx, value, false).map(Keyword::UnevaluatedProperties))
}

fn compile(ctx: &mut SchemaCtx<'_, '_>, value: &Value, items: bool) -> Option<Unevaluated> {
    if ctx.draft() < Draft::Draft201909 {
        return None;
    }
    let keyword = if items {
        "unevaluatedItems"
    } else {
        "unevaluatedProperties"
    };
    Some(Unevaluated {
        node: ctx.sub(&[keyword]),
        items,
        is_false: matches!(value, Value::Bool(false)),
    })
}

impl Unevaluated {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if self.items {
            self.validate_items(ctx, instance)
        } else {
            self.validate_properties(ctx, instance)
        }
    }

    fn validate_items<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array {
            return true;
        }
        let mut evaluated = vec![false; instance.len()];
        let node = ctx.current_node();
        annotations::items(ctx, node, instance, &mut evaluated, ctx.remaining_depth());
        let mut unexpected = Vec::new();
        for (index, item) in instance.items().enumerate() {
            if !evaluated[index] && !ctx.probe_at(self.node, &item, Seg::Index(index), None) {
                if !ctx.collect {
                    return false;
                }
                unexpected.push(index);
            }
        }
        if unexpected.is_empty() {
            return true;
        }
        let is_false = self.is_false;
        ctx.error(instance, || ErrorKind::UnevaluatedItems {
            unexpected,
            is_false,
        });
        false
    }

    fn validate_properties<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
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
