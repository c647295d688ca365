//! `enum`: the instance equals one of the listed values (`1 == 1.0`, `true != 1`).

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind, equal};
use crate::keywords::Keyword;
use crate::keywords::names::same;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Enum {
    options: Arc<Value>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if value.as_array().is_none() {
        return Err(ctx.invalid("enum", "an array"));
    }
    Ok(Some(Keyword::Enum(Enum {
        options: Arc::new(value.clone()),
    })))
}

impl Enum {
    /// The options when every one is a string: the tags of a tagged union's branch for
    /// [`super::discriminator`] (one string is a `const` in all but name, as Swagger 2.0's
    /// parameters use it; several are a branch shared by a few tags).
    pub(crate) fn all_strings(&self) -> Option<Vec<&str>> {
        self.options.as_array()?.iter().map(Value::as_str).collect()
    }

    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let options = self.options.as_array().unwrap_or_default();
        let ok = if instance.kind() == Kind::String {
            // The instance's text read once, not once per option (a Python string's UTF-8
            // view costs a call); only a string option can equal a string. `same` compares
            // short options (`"query"`, `"string"`) without a call to `memcmp`.
            instance.as_str().is_some_and(|s| {
                let s = s.as_ref().as_bytes();
                options
                    .iter()
                    .any(|option| option.as_str().is_some_and(|o| same(o.as_bytes(), s)))
            })
        } else {
            options.iter().any(|option| equal(instance, &option))
        };
        if !ok {
            ctx.error(instance, || ErrorKind::Enum {
                options: Arc::clone(&self.options),
            });
        }
        ok
    }
}
