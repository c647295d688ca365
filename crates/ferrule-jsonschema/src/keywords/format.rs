//! `format`: an assertion only when asked for (the `validate_formats` option, or the 2020-12
//! format-assertion vocabulary); unknown formats always pass, as in python-jsonschema.

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::formats::{self, Checker};
use crate::json::Json;
use crate::keywords::Keyword;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Format {
    name: Arc<str>,
    check: Checker,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let Some(name) = value.as_str() else {
        return Ok(None);
    };
    if !(ctx.compiler.options.validate_formats || ctx.vocabularies().format_assertion) {
        return Ok(None);
    }
    Ok(formats::checker(name, ctx.draft()).map(|check| {
        Keyword::Format(Format {
            name: name.into(),
            check,
        })
    }))
}

impl Format {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let Some(s) = instance.as_str() else {
            return true;
        };
        let ok = (self.check)(s.as_ref());
        if !ok {
            ctx.error(instance, || ErrorKind::Format {
                format: Arc::clone(&self.name),
            });
        }
        ok
    }
}
