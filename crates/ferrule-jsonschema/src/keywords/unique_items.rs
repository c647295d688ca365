//! `uniqueItems`: no two items are equal (JSON Schema equality: `1 == 1.0`, `true != 1`).

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind, equal};
use crate::keywords::Keyword;
use crate::validator::Ctx;
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct UniqueItems;

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    match value.as_bool() {
        Some(true) => Ok(Some(Keyword::UniqueItems(UniqueItems))),
        Some(false) => Ok(None),
        None => Err(ctx.invalid("uniqueItems", "a boolean")),
    }
}

impl UniqueItems {
    #[expect(clippy::unused_self, reason = "uniform keyword interface")]
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if instance.kind() != Kind::Array {
            return true;
        }
        // Quadratic, like python-jsonschema's fallback; hashing would need a canonical form
        // across both representations.
        let items: Vec<J> = instance.items().collect();
        for (i, a) in items.iter().enumerate() {
            for b in &items[i + 1..] {
                if equal(a, b) {
                    ctx.error(instance, || ErrorKind::UniqueItems);
                    return false;
                }
            }
        }
        true
    }
}
