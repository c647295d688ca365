//! `additionalProperties`: a schema for the properties neither `properties` nor
//! `patternProperties` cover.

use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::keywords::names::Names;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct AdditionalProperties {
    pub(crate) node: NodeId,
    is_false: bool,
    properties: Names<()>,
    patterns: Vec<crate::ecma::Pattern>,
    sources: Vec<Arc<str>>,
    /// Checked by the node's `properties` when only validity is asked.
    pub(crate) merged: bool,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let applicators = ctx.vocabularies().applicator;
    let properties = match ctx.schema.get("properties").and_then(Value::as_object) {
        Some(m) if applicators => m.iter().map(|(k, _)| (Arc::from(k.as_str()), ())).collect(),
        _ => Vec::new(),
    };
    let (mut patterns, mut sources) = (Vec::new(), Vec::new());
    if let Some(m) = ctx
        .schema
        .get("patternProperties")
        .and_then(Value::as_object)
    {
        for (k, _) in m {
            patterns.push(ctx.regex("patternProperties", k)?);
            sources.push(Arc::from(k.as_str()));
        }
    }
    sources.sort();
    let is_false = matches!(value, Value::Bool(false));
    Ok(Some(Keyword::AdditionalProperties(AdditionalProperties {
        node: ctx.sub(&["additionalProperties"]),
        is_false,
        properties: Names::new(properties),
        patterns,
        sources,
        merged: false,
    })))
}

impl AdditionalProperties {
    pub(crate) fn is_additional(&self, name: &str) -> bool {
        !self.properties.contains(name) && !self.patterns.iter().any(|r| r.is_match(name))
    }

    /// For a name `properties` does not list: does no pattern match it either?
    #[inline]
    pub(crate) fn matches_no_pattern(&self, name: &str) -> bool {
        !self.patterns.iter().any(|r| r.is_match(name))
    }

    pub(crate) fn is_false(&self) -> bool {
        self.is_false
    }

    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if self.merged && !ctx.collect {
            return true;
        }
        if instance.kind() != Kind::Object {
            return true;
        }
        if self.is_false {
            let mut unexpected: Vec<Arc<str>> = Vec::new();
            for (key, _) in instance.members() {
                let key = key.as_ref();
                if self.is_additional(key) {
                    if !ctx.collect {
                        return false;
                    }
                    unexpected.push(key.into());
                }
            }
            if unexpected.is_empty() {
                return true;
            }
            unexpected.sort();
            ctx.error(instance, || ErrorKind::AdditionalProperties {
                unexpected,
                patterns: self.sources.clone(),
            });
            return false;
        }
        let mut valid = true;
        for (key, value) in instance.members() {
            let key = key.as_ref();
            if self.is_additional(key) && !ctx.descend(self.node, &value, Seg::Key(key), None) {
                valid = false;
                if !ctx.collect {
                    return false;
                }
            }
        }
        valid
    }
}
