//! `type`: the instance's JSON type is one of those listed.

use std::sync::Arc;

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::Keyword;
use crate::validator::Ctx;
use crate::value::Value;

const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const INTEGER: u8 = 4;
const NUMBER: u8 = 8;
const STRING: u8 = 16;
const ARRAY: u8 = 32;
const OBJECT: u8 = 64;

#[derive(Debug)]
pub(crate) struct Type {
    mask: u8,
    names: Vec<Arc<str>>,
}

fn bit(name: &str) -> Option<u8> {
    Some(match name {
        "null" => NULL,
        "boolean" => BOOLEAN,
        "integer" => INTEGER,
        "number" => NUMBER,
        "string" => STRING,
        "array" => ARRAY,
        "object" => OBJECT,
        _ => return None,
    })
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let names: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut mask = 0;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let name = name
            .as_str()
            .ok_or_else(|| ctx.invalid("type", "a type name or an array of them"))?;
        mask |= bit(name)
            .ok_or_else(|| ctx.invalid("type", "one of the seven JSON Schema type names"))?;
        out.push(Arc::from(name));
    }
    Ok(Some(Keyword::Type(Type { mask, names: out })))
}

impl Type {
    // The most common keyword: kept small enough to inline into the dispatch.
    #[inline]
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let ok = self.matches(instance, ctx.integer_by_value());
        if !ok {
            self.report(ctx, instance);
        }
        ok
    }

    #[cold]
    #[inline(never)]
    fn report<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) {
        ctx.error(instance, || ErrorKind::Type {
            expected: self.names.clone(),
        });
    }

    /// Is the instance of one of the types? (`integer_by_value`: the draft-6+ rule that
    /// `1.0` is an integer.)
    #[inline]
    pub(crate) fn matches<J: Json>(&self, instance: &J, integer_by_value: bool) -> bool {
        match instance.kind() {
            Kind::Null => self.mask & NULL != 0,
            Kind::Bool => self.mask & BOOLEAN != 0,
            Kind::String => self.mask & STRING != 0,
            Kind::Array => self.mask & ARRAY != 0,
            Kind::Object => self.mask & OBJECT != 0,
            Kind::Number => {
                self.mask & NUMBER != 0
                    || (self.mask & INTEGER != 0
                        && instance
                            .as_number()
                            .is_some_and(|n| n.is_integer(integer_by_value)))
            }
        }
    }
}
