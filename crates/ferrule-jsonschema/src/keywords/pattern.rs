//! `pattern`: the string matches an ECMA-262 regex (searched, not anchored).

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::Json;
use crate::keywords::Keyword;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Pattern {
    regex: crate::ecma::Pattern,
    source: Arc<str>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let source = value
        .as_str()
        .ok_or_else(|| ctx.invalid("pattern", "a string"))?;
    let regex = ctx.regex("pattern", source)?;
    Ok(Some(Keyword::Pattern(Pattern {
        regex,
        source: source.into(),
    })))
}

impl Pattern {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let Some(s) = instance.as_str() else {
            return true;
        };
        let ok = self.regex.is_match(s.as_ref());
        if !ok {
            ctx.error(instance, || ErrorKind::Pattern {
                pattern: Arc::clone(&self.source),
            });
        }
        ok
    }
}
