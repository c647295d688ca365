//! `$dynamicRef` (2020-12): like `$ref`, but when the statically resolved target declares a
//! matching `$dynamicAnchor`, the outermost resource of the dynamic scope declaring that anchor
//! wins.

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::SchemaError;
use crate::json::Json;
use crate::keywords::Keyword;
use crate::uri::split_fragment;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct DynamicRef {
    node: NodeId,
    /// The anchor name, when the static target declares it as a `$dynamicAnchor`.
    anchor: Option<String>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() < Draft::Draft202012 {
        return Ok(None);
    }
    let reference = value
        .as_str()
        .ok_or_else(|| ctx.invalid("$dynamicRef", "a string"))?;
    let node = ctx.resolve_ref(reference)?;
    let absolute = ctx.absolute_ref(reference);
    let (_, fragment) = split_fragment(&absolute);
    let anchor = if !fragment.is_empty() && !fragment.starts_with('/') {
        let target = ctx.value_at(&absolute);
        let declares = target
            .as_ref()
            .and_then(|t| t.get("$dynamicAnchor"))
            .and_then(Value::as_str)
            == Some(fragment);
        declares.then(|| fragment.to_string())
    } else {
        None
    };
    Ok(Some(Keyword::DynamicRef(DynamicRef { node, anchor })))
}

impl DynamicRef {
    /// The node this reference lands on in the current dynamic scope.
    pub(crate) fn target<J: Json>(&self, ctx: &Ctx<'_, J>) -> NodeId {
        if let Some(name) = &self.anchor {
            for &resource in &ctx.scope {
                if let Some(&node) = ctx.compiled.resources[resource as usize]
                    .dynamic_anchors
                    .get(name)
                {
                    return node;
                }
            }
        }
        self.node
    }

    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let node = self.target(ctx);
        ctx.descend(node, instance, Seg::Here, None)
    }
}
