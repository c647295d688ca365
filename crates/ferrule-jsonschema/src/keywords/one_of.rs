//! `oneOf`: the instance matches exactly one subschema.

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{ErrorKind, PathItem, SchemaError};
use crate::json::Json;
use crate::keywords::discriminator::Discriminator;
use crate::keywords::{Keyword, subschemas};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct OneOf {
    pub(crate) nodes: Vec<NodeId>,
    /// Prunes branches when only validity is asked.
    pub(crate) discriminator: Option<Discriminator>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let nodes = subschemas(ctx, "oneOf", value)?;
    Ok(Some(Keyword::OneOf(OneOf {
        nodes,
        discriminator: None,
    })))
}

impl OneOf {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if !ctx.collect {
            if let Some(branches) = self
                .discriminator
                .as_ref()
                .and_then(|d| d.candidates(instance))
            {
                let mut matched = false;
                for index in branches {
                    if ctx.validate(self.nodes[index], instance) {
                        if matched {
                            return false;
                        }
                        matched = true;
                    }
                }
                return matched;
            }
        }
        let start = ctx.errors.len();
        let first_valid = ctx.in_branches(|ctx| {
            self.nodes.iter().enumerate().position(|(index, node)| {
                ctx.descend(*node, instance, Seg::Here, Some(PathItem::Index(index)))
            })
        });
        let Some(first) = first_valid else {
            if ctx.collect {
                let context = ctx.take_context(start);
                ctx.error(instance, || ErrorKind::OneOfNotValid { context });
            }
            return false;
        };
        ctx.errors.truncate(start);
        if !ctx.collect {
            // Validity only: a second valid branch decides, without a list of them.
            return !self.nodes[first + 1..]
                .iter()
                .any(|node| ctx.validate(*node, instance));
        }
        let mut valid = vec![first];
        for (index, node) in self.nodes.iter().enumerate().skip(first + 1) {
            if ctx.probe_at(*node, instance, Seg::Here, Some(PathItem::Index(index))) {
                valid.push(index);
                if !ctx.collect {
                    return false;
                }
            }
        }
        if valid.len() > 1 {
            if ctx.tracing() {
                ctx.demote_failed_children();
            }
            ctx.error(instance, || ErrorKind::OneOfMultipleValid { valid });
            return false;
        }
        true
    }
}
