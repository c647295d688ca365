//! `$recursiveRef` (2019-09): `"#"`, unless the current resource root has
//! `"$recursiveAnchor": true`, in which case the outermost run of such resources in the
//! dynamic scope wins.

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::SchemaError;
use crate::json::Json;
use crate::keywords::Keyword;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct RecursiveRef {
    node: NodeId,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() != Draft::Draft201909 {
        return Ok(None);
    }
    let reference = value
        .as_str()
        .ok_or_else(|| ctx.invalid("$recursiveRef", "a string"))?;
    Ok(Some(Keyword::RecursiveRef(RecursiveRef {
        node: ctx.resolve_ref(reference)?,
    })))
}

impl RecursiveRef {
    pub(crate) fn target<J: Json>(&self, ctx: &Ctx<'_, J>) -> NodeId {
        let resources = &ctx.compiled.resources;
        let static_resource = ctx.compiled.nodes[self.node as usize].resource;
        if resources[static_resource as usize].recursive_anchor != Some(self.node) {
            return self.node;
        }
        let mut target = self.node;
        for &resource in ctx.scope.iter().rev() {
            match resources[resource as usize].recursive_anchor {
                Some(node) => target = node,
                None => break,
            }
        }
        target
    }

    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let node = self.target(ctx);
        ctx.descend(node, instance, Seg::Here, None)
    }
}
