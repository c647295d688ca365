//! The numeric bounds: `maximum`, `minimum` (with draft 4's boolean `exclusiveMaximum` and
//! `exclusiveMinimum` beside them), and from draft 6 on the numeric `exclusiveMaximum` and
//! `exclusiveMinimum`. One type: they differ only in direction and strictness.

use std::cmp::Ordering;

use crate::compiler::SchemaCtx;
use crate::draft::Draft;
use crate::error::{ErrorKind, SchemaError};
use crate::json::Json;
use crate::keywords::{Keyword, number};
use crate::number::Number;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Bound {
    limit: Number,
    /// An upper bound (`maximum`, `exclusiveMaximum`), else a lower one.
    upper: bool,
    /// The limit itself is out of bounds.
    exclusive: bool,
}

/// `maximum`, exclusive in draft 4 with `"exclusiveMaximum": true` beside it.
pub(crate) fn maximum(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let bound = inclusive(ctx, value, "maximum", "exclusiveMaximum", true)?;
    Ok(Some(Keyword::Maximum(bound)))
}

/// `minimum`, exclusive in draft 4 with `"exclusiveMinimum": true` beside it.
pub(crate) fn minimum(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let bound = inclusive(ctx, value, "minimum", "exclusiveMinimum", false)?;
    Ok(Some(Keyword::Minimum(bound)))
}

/// Numeric `exclusiveMaximum` (draft 4's boolean form belongs to `maximum`).
pub(crate) fn exclusive_maximum(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(exclusive(ctx, value, "exclusiveMaximum", true)?.map(Keyword::ExclusiveMaximum))
}

/// Numeric `exclusiveMinimum` (draft 4's boolean form belongs to `minimum`).
pub(crate) fn exclusive_minimum(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(exclusive(ctx, value, "exclusiveMinimum", false)?.map(Keyword::ExclusiveMinimum))
}

fn inclusive(
    ctx: &SchemaCtx<'_, '_>,
    value: &Value,
    keyword: &'static str,
    draft4_flag: &str,
    upper: bool,
) -> Result<Bound, SchemaError> {
    let exclusive = ctx.draft() == Draft::Draft4
        && ctx.schema.get(draft4_flag).and_then(Value::as_bool) == Some(true);
    Ok(Bound {
        limit: number(ctx, keyword, value)?,
        upper,
        exclusive,
    })
}

fn exclusive(
    ctx: &SchemaCtx<'_, '_>,
    value: &Value,
    keyword: &'static str,
    upper: bool,
) -> Result<Option<Bound>, SchemaError> {
    if ctx.draft() == Draft::Draft4 {
        return Ok(None);
    }
    Ok(Some(Bound {
        limit: number(ctx, keyword, value)?,
        upper,
        exclusive: true,
    }))
}

impl Bound {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        let Some(n) = instance.as_number() else {
            return true;
        };
        let ok = match n.compare(&self.limit) {
            Some(Ordering::Equal) => !self.exclusive,
            Some(Ordering::Greater) => !self.upper,
            Some(Ordering::Less) => self.upper,
            // Incomparable (NaN): python-jsonschema's `>`/`<` tests are false, so it passes.
            None => true,
        };
        if !ok {
            let limit = self.limit.clone();
            ctx.error(instance, || match (self.upper, self.exclusive) {
                (true, false) => ErrorKind::Maximum { limit },
                (true, true) => ErrorKind::ExclusiveMaximum { limit },
                (false, false) => ErrorKind::Minimum { limit },
                (false, true) => ErrorKind::ExclusiveMinimum { limit },
            });
        }
        ok
    }
}
