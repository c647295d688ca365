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
    /// For the lower bound of a node with one lower and one upper bound (`minimum` and
    /// `maximum`: counts, ports, percentages), the upper one's limit and strictness: the
    /// validity check reads the number once and dispatches one keyword ([`Bound::merged`]).
    upper_too: Option<(Number, bool)>,
    /// An upper bound whose validity check its node's lower bound makes (`upper_too`).
    pub(crate) merged: bool,
}

/// The node's one lower and one upper bound, by keyword name, when it has exactly one of
/// each (draft 4: `minimum` and `maximum`, whose exclusiveness is a flag beside them).
fn pair(ctx: &SchemaCtx<'_, '_>) -> Option<(&'static str, &'static str)> {
    let one = |names: &[&'static str]| -> Option<&'static str> {
        let mut present = names
            .iter()
            .filter(|n| ctx.schema.get(n).is_some_and(|v| v.as_number().is_some()));
        let first = present.next()?;
        present.next().is_none().then_some(*first)
    };
    if ctx.draft() == Draft::Draft4 {
        return Some((one(&["minimum"])?, one(&["maximum"])?));
    }
    Some((
        one(&["minimum", "exclusiveMinimum"])?,
        one(&["maximum", "exclusiveMaximum"])?,
    ))
}

/// The bound `keyword` of the schema, once compiled (`upper` tells which side it is).
fn bound_of(ctx: &SchemaCtx<'_, '_>, keyword: &'static str, upper: bool) -> Option<Bound> {
    let value = ctx.schema.get(keyword)?;
    match keyword {
        "minimum" => inclusive(ctx, value, keyword, "exclusiveMinimum", upper).ok(),
        "maximum" => inclusive(ctx, value, keyword, "exclusiveMaximum", upper).ok(),
        _ => exclusive(ctx, value, keyword, upper).ok().flatten(),
    }
}

/// `bound` (compiled from `keyword`) paired with its node's other bound, if [`pair`] finds
/// one: a lower bound takes the upper one's check, an upper one is marked merged.
fn paired(ctx: &SchemaCtx<'_, '_>, keyword: &'static str, mut bound: Bound) -> Bound {
    if let Some((lower, upper)) = pair(ctx) {
        if keyword == lower {
            bound.upper_too = bound_of(ctx, upper, true).map(|b| (b.limit, b.exclusive));
        } else if keyword == upper {
            bound.merged = bound_of(ctx, lower, false).is_some();
        }
    }
    bound
}

/// `maximum`, exclusive in draft 4 with `"exclusiveMaximum": true` beside it.
pub(crate) fn maximum(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let bound = inclusive(ctx, value, "maximum", "exclusiveMaximum", true)?;
    Ok(Some(Keyword::Maximum(paired(ctx, "maximum", bound))))
}

/// `minimum`, exclusive in draft 4 with `"exclusiveMinimum": true` beside it.
pub(crate) fn minimum(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let bound = inclusive(ctx, value, "minimum", "exclusiveMinimum", false)?;
    Ok(Some(Keyword::Minimum(paired(ctx, "minimum", bound))))
}

/// Numeric `exclusiveMaximum` (draft 4's boolean form belongs to `maximum`).
pub(crate) fn exclusive_maximum(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(exclusive(ctx, value, "exclusiveMaximum", true)?
        .map(|b| Keyword::ExclusiveMaximum(paired(ctx, "exclusiveMaximum", b))))
}

/// Numeric `exclusiveMinimum` (draft 4's boolean form belongs to `minimum`).
pub(crate) fn exclusive_minimum(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    Ok(exclusive(ctx, value, "exclusiveMinimum", false)?
        .map(|b| Keyword::ExclusiveMinimum(paired(ctx, "exclusiveMinimum", b))))
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
        upper_too: None,
        merged: false,
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
        upper_too: None,
        merged: false,
    }))
}

impl Bound {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if self.merged && !ctx.collect {
            return true;
        }
        let Some(n) = instance.as_number() else {
            return true;
        };
        let ok = admits(&n, &self.limit, self.upper, self.exclusive);
        if !ok {
            let limit = self.limit.clone();
            ctx.error(instance, || match (self.upper, self.exclusive) {
                (true, false) => ErrorKind::Maximum { limit },
                (true, true) => ErrorKind::ExclusiveMaximum { limit },
                (false, false) => ErrorKind::Minimum { limit },
                (false, true) => ErrorKind::ExclusiveMinimum { limit },
            });
            return false;
        }
        match &self.upper_too {
            // Errors stay with each keyword: only the validity check takes the upper bound.
            Some((limit, exclusive)) if !ctx.collect => admits(&n, limit, true, *exclusive),
            _ => true,
        }
    }
}

/// Is `n` within the bound `limit` (an upper one, or a lower one; strict or not)?
#[inline]
fn admits(n: &Number, limit: &Number, upper: bool, exclusive: bool) -> bool {
    match n.compare(limit) {
        Some(Ordering::Equal) => !exclusive,
        Some(Ordering::Greater) => !upper,
        Some(Ordering::Less) => upper,
        // Incomparable (NaN): python-jsonschema's `>`/`<` tests are false, so it passes.
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::assert_is_valid_agrees;
    use crate::{Validator, parse};

    fn validator(schema: &str) -> Validator {
        Validator::new(&parse(schema.as_bytes()).unwrap()).unwrap()
    }

    /// A lower bound that checks its node's upper bound (`is_valid`) agrees with the two
    /// keywords run apart (`iter_errors`), on each side of both limits, in every pairing.
    #[test]
    fn paired_bounds_agree() {
        let schemas = [
            r#"{"minimum": 1, "maximum": 10}"#,
            r#"{"maximum": 10, "minimum": 1}"#,
            r#"{"exclusiveMinimum": 1, "maximum": 10}"#,
            r#"{"minimum": 1, "exclusiveMaximum": 10}"#,
            r#"{"exclusiveMinimum": 1.5, "exclusiveMaximum": 10.5}"#,
            r#"{"minimum": 1, "exclusiveMinimum": 2, "maximum": 10}"#,
            r#"{"minimum": 1, "maximum": 10, "exclusiveMaximum": 5}"#,
            r#"{"$schema": "http://json-schema.org/draft-04/schema#",
                "minimum": 1, "maximum": 10, "exclusiveMaximum": true}"#,
            r#"{"$schema": "http://json-schema.org/draft-04/schema#",
                "minimum": 1, "exclusiveMinimum": true, "maximum": 10}"#,
            r#"{"type": "integer", "minimum": 1, "maximum": 10}"#,
        ];
        let instances = [
            "0", "1", "1.5", "2", "5", "9.99", "10", "10.5", "11", "-1e300", "1e300", "\"5\"",
            "null",
        ];
        for schema in schemas {
            assert_is_valid_agrees(&validator(schema), schema, &instances);
        }
    }

    /// The merge is real: with both bounds, `is_valid` still rejects above the upper one.
    #[test]
    fn paired_upper_bound_still_checked() {
        let v = validator(r#"{"minimum": 1, "maximum": 10}"#);
        assert!(v.is_valid(&&parse(b"10").unwrap()));
        assert!(!v.is_valid(&&parse(b"11").unwrap()));
        assert!(!v.is_valid(&&parse(b"0").unwrap()));
        let v = validator(r#"{"minimum": 1, "exclusiveMaximum": 10}"#);
        assert!(!v.is_valid(&&parse(b"10").unwrap()));
        assert!(v.is_valid(&&parse(b"9").unwrap()));
    }
}
