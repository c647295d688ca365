//! `patternProperties`: a schema for the properties whose names match a regex.

use std::sync::Arc;

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{PathItem, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct PatternProperties {
    pub(crate) patterns: Vec<(crate::ecma::Pattern, Arc<str>, NodeId)>,
    /// Checked by the node's `properties` when only validity is asked.
    pub(crate) merged: bool,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let members = value
        .as_object()
        .ok_or_else(|| ctx.invalid("patternProperties", "an object"))?;
    let mut patterns = Vec::with_capacity(members.len());
    for (k, _) in members {
        let regex = ctx.regex("patternProperties", k)?;
        patterns.push((
            regex,
            Arc::from(k.as_str()),
            ctx.sub(&["patternProperties", k]),
        ));
    }
    Ok(Some(Keyword::PatternProperties(PatternProperties {
        patterns,
        merged: false,
    })))
}

impl PatternProperties {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if self.merged && !ctx.collect {
            return true;
        }
        if instance.kind() != Kind::Object {
            return true;
        }
        let mut valid = true;
        for (regex, source, node) in &self.patterns {
            for (key, value) in instance.members() {
                let key = key.as_ref();
                if regex.is_match(key)
                    && !ctx.descend(
                        *node,
                        &value,
                        Seg::Key(key),
                        Some(PathItem::Key(Arc::clone(source))),
                    )
                {
                    valid = false;
                    if !ctx.collect {
                        return false;
                    }
                }
            }
        }
        valid
    }

    /// The validity check of one member, for the merged pass of `properties`: `None` when a
    /// matching pattern's schema fails, else whether any pattern matched.
    pub(crate) fn validate_member<J: Json>(
        &self,
        ctx: &mut Ctx<'_, J>,
        key: &str,
        value: &J,
    ) -> Option<bool> {
        let mut matched = false;
        for (regex, _, node) in &self.patterns {
            if regex.is_match(key) {
                matched = true;
                if !ctx.validate(*node, value) {
                    return None;
                }
            }
        }
        Some(matched)
    }

    pub(crate) fn matches(&self, name: &str) -> bool {
        self.patterns.iter().any(|(r, _, _)| r.is_match(name))
    }
}
