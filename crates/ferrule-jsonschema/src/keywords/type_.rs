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
    /// The draft-6+ rule that `1.0` is an integer, read from the draft once.
    by_value: bool,
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
    Ok(Some(Keyword::Type(Type {
        mask,
        names: out,
        by_value: ctx.draft().integer_by_value(),
    })))
}

impl Type {
    // The most common keyword: kept small enough to inline into the dispatch.
    #[inline]
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let ok = self.matches(instance);
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

    /// Does the kind alone decide the type? `None` for a number when only `integer` is listed.
    pub(crate) fn decides(&self, kind: Kind) -> Option<bool> {
        let bits = match kind {
            Kind::Null => NULL,
            Kind::Bool => BOOLEAN,
            Kind::String => STRING,
            Kind::Array => ARRAY,
            Kind::Object => OBJECT,
            Kind::Number if self.mask & NUMBER != 0 => return Some(true),
            Kind::Number if self.mask & INTEGER != 0 => return None,
            Kind::Number => return Some(false),
        };
        Some(self.mask & bits != 0)
    }

    /// `Some(by_value)` when a number passes exactly if it is an integer (`integer` listed,
    /// `number` not): the rule [`Type::matches`] applies to numbers.
    pub(crate) fn integer_only(&self) -> Option<bool> {
        (self.mask & NUMBER == 0 && self.mask & INTEGER != 0).then_some(self.by_value)
    }

    /// Is the instance of one of the types?
    #[inline]
    pub(crate) fn matches<J: Json>(&self, instance: &J) -> bool {
        match instance.kind() {
            Kind::Null => self.mask & NULL != 0,
            Kind::Bool => self.mask & BOOLEAN != 0,
            Kind::String => self.mask & STRING != 0,
            Kind::Array => self.mask & ARRAY != 0,
            Kind::Object => self.mask & OBJECT != 0,
            Kind::Number => {
                self.mask & NUMBER != 0
                    || (self.mask & INTEGER != 0 && is_integer(instance, self.by_value))
            }
        }
    }
}

/// Is a number instance an `integer` (by its value, `1.0` too, from draft 6 on: `by_value`)?
#[inline]
pub(crate) fn is_integer<J: Json>(instance: &J, by_value: bool) -> bool {
    instance.is_int() || instance.as_number().is_some_and(|n| n.is_integer(by_value))
}
