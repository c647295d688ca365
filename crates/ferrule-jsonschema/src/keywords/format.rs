//! `format`: an assertion only when asked for (the `validate_formats` option, or the 2020-12
//! format-assertion vocabulary); unknown formats always pass, as in python-jsonschema.
//! Host formats ([`crate::Options::host_formats`]) are checked by the instance's
//! [`Json::check_format`], whatever its kind (python-jsonschema's custom checkers see every
//! instance).

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
    /// `None`: a host format, checked by [`Json::check_format`] on any instance kind.
    check: Option<Checker>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let Some(name) = value.as_str() else {
        return Ok(None);
    };
    let options = &ctx.compiler.options;
    if options.host_formats.iter().any(|f| &**f == name) {
        return Ok(Some(Keyword::Format(Format {
            name: name.into(),
            check: None,
        })));
    }
    if !(options.validate_formats || ctx.vocabularies().format_assertion) {
        return Ok(None);
    }
    if let Some(only) = &options.only_formats {
        if !only.iter().any(|f| &**f == name) {
            return Ok(None);
        }
    }
    Ok(formats::checker(name, ctx.draft()).map(|check| {
        Keyword::Format(Format {
            name: name.into(),
            check: Some(check),
        })
    }))
}

impl Format {
    /// The format's name (its annotation).
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let ok = match self.check {
            Some(check) => match instance.as_str() {
                Some(s) => check(s.as_ref()),
                None => return true,
            },
            None => instance.check_format(&self.name).unwrap_or(true),
        };
        if !ok {
            ctx.error(instance, || ErrorKind::Format {
                format: Arc::clone(&self.name),
            });
        }
        ok
    }
}
