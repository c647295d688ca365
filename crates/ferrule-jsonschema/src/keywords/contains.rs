//! `contains`, with `minContains`/`maxContains` (2019-09 on) read beside it: how many items
//! match a schema.

use crate::compiler::{NodeId, SchemaCtx};
use crate::draft::Draft;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind};
use crate::keywords::{Keyword, limit};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct Contains {
    pub(crate) node: NodeId,
    min: u64,
    max: Option<u64>,
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    _value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if ctx.draft() < Draft::Draft6 {
        return Ok(None);
    }
    let (mut min, mut max) = (1, None);
    if ctx.draft() >= Draft::Draft201909 && ctx.vocabularies().validation {
        if let Some(v) = ctx.schema.get("minContains") {
            min = limit(ctx, "minContains", v)?;
        }
        if let Some(v) = ctx.schema.get("maxContains") {
            max = Some(limit(ctx, "maxContains", v)?);
        }
    }
    Ok(Some(Keyword::Contains(Contains {
        node: ctx.sub(&["contains"]),
        min,
        max,
    })))
}

impl Contains {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array {
            return true;
        }
        let mut matched = 0usize;
        // An output trace evaluates every item, for the annotations of each match.
        let exhaustive = ctx.tracing();
        for (index, item) in instance.items().enumerate() {
            if ctx.probe_at(self.node, &item, Seg::Index(index), None) {
                matched += 1;
                if let Some(max) = self.max {
                    if matched as u64 > max {
                        ctx.error_as("maxContains", instance, || ErrorKind::MaxContains {
                            limit: max,
                            matched,
                        });
                        return false;
                    }
                } else if matched as u64 >= self.min && !exhaustive {
                    return true;
                }
            }
        }
        if (matched as u64) < self.min {
            if matched == 0 {
                ctx.error(instance, || ErrorKind::Contains);
            } else {
                let min = self.min;
                ctx.error_as("minContains", instance, || ErrorKind::MinContains {
                    limit: min,
                    matched,
                });
            }
            return false;
        }
        true
    }
}
