//! `anyOf`: the instance matches at least one subschema.

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{ErrorKind, PathItem, SchemaError};
use crate::json::Json;
use crate::keywords::branch_kinds::BranchKinds;
use crate::keywords::discriminator::Discriminator;
use crate::keywords::{Keyword, subschemas};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct AnyOf {
    pub(crate) nodes: Vec<NodeId>,
    /// Prunes branches when only validity is asked.
    pub(crate) discriminator: Option<Discriminator>,
    /// Prunes, when only validity is asked, the branches the instance's kind rules out.
    pub(crate) kinds: Option<BranchKinds>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let nodes = subschemas(ctx, "anyOf", value)?;
    Ok(Some(Keyword::AnyOf(AnyOf {
        nodes,
        discriminator: None,
        kinds: None,
    })))
}

impl AnyOf {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if !ctx.collect {
            if let Some(mut branches) = self
                .discriminator
                .as_ref()
                .and_then(|d| d.candidates(instance))
            {
                return branches.any(|index| ctx.validate(self.nodes[index], instance));
            }
            if let Some(kinds) = &self.kinds {
                return kinds
                    .of(instance.kind())
                    .iter()
                    .any(|&index| ctx.validate(self.nodes[index as usize], instance));
            }
        }
        let start = ctx.errors.len();
        let passed = ctx.in_branches(|ctx| {
            for (index, node) in self.nodes.iter().enumerate() {
                if ctx.descend(*node, instance, Seg::Here, Some(PathItem::Index(index))) {
                    ctx.errors.truncate(start);
                    if ctx.tracing() {
                        // Output formats report the annotations of every passing branch.
                        for (later, node) in self.nodes.iter().enumerate().skip(index + 1) {
                            ctx.probe_at(*node, instance, Seg::Here, Some(PathItem::Index(later)));
                        }
                    }
                    return true;
                }
            }
            false
        });
        if passed {
            return true;
        }
        if ctx.collect {
            let context = ctx.take_context(start);
            ctx.error(instance, || ErrorKind::AnyOf { context });
        }
        false
    }
}
