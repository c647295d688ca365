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
        let items: Vec<J> = instance.items().collect();
        if let Some(unique) = scalars_unique(&items) {
            if !unique {
                ctx.error(instance, || ErrorKind::UniqueItems);
            }
            return unique;
        }
        // Containers: pairwise, like python-jsonschema's fallback.
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

/// A hashable identity for a scalar under JSON Schema equality (`1 == 1.0`, `true != 1`).
#[derive(Hash, PartialEq, Eq)]
enum ScalarKey {
    Null,
    Bool(bool),
    Int(i64),
    /// A non-integral (or out-of-range) float, by bits (`-0.0` was folded into `Int(0)`).
    Float(u64),
    Big(String),
    String(String),
}

fn scalar_key<J: Json>(item: &J) -> Option<ScalarKey> {
    use crate::number::Number;
    Some(match item.kind() {
        Kind::Null => ScalarKey::Null,
        Kind::Bool => ScalarKey::Bool(item.as_bool()?),
        Kind::String => ScalarKey::String(item.as_str()?.as_ref().to_string()),
        Kind::Number => match item.as_number()? {
            Number::Int(i) => ScalarKey::Int(i),
            Number::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => ScalarKey::Int(f as i64),
            // Big integers and huge integral floats can be equal across representations:
            // let the exact pairwise comparison decide.
            Number::Float(f) if f.is_finite() && f.fract() == 0.0 => return None,
            Number::Float(f) => ScalarKey::Float(f.to_bits()),
            Number::Big(b) => ScalarKey::Big(b.to_string()),
        },
        Kind::Array | Kind::Object => return None,
    })
}

/// `Some(all distinct)` when every item is a scalar (linear time), `None` otherwise.
fn scalars_unique<J: Json>(items: &[J]) -> Option<bool> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    for item in items {
        if !seen.insert(scalar_key(item)?) {
            return Some(false);
        }
    }
    // A big integer equal to a huge float cannot be told apart by keys; Big only appears
    // past i64, where floats returned `None` above, so keys are exact here.
    Some(true)
}
