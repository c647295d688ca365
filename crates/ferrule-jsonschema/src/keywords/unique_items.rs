//! `uniqueItems`: no two items are equal (JSON Schema equality: `1 == 1.0`, `true != 1`).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind, equal};
use crate::keywords::Keyword;
use crate::keywords::names::FxHasher;
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
        // Containers: compared pairwise only within groups of equal shallow hashes (arrays of
        // distinct objects, such as Swagger's parameter lists, were quadratic).
        let mut groups: HashMap<u64, Vec<usize>> = HashMap::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            groups.entry(shallow_hash(item)).or_default().push(index);
        }
        for group in groups.values().filter(|g| g.len() > 1) {
            for (i, &a) in group.iter().enumerate() {
                for &b in &group[i + 1..] {
                    if equal(&items[a], &items[b]) {
                        ctx.error(instance, || ErrorKind::UniqueItems);
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// A hash that equal values share under JSON Schema equality: scalars by [`ScalarKey`],
/// containers by kind, size and (for objects, in any member order) their members' names and
/// scalar values. Nested containers count by kind and size only, so hashing stays linear in
/// the top two levels; equal hashes are then compared exactly.
fn shallow_hash<J: Json>(item: &J) -> u64 {
    let leaf = |value: &J| -> u64 {
        let mut h = FxHasher::default();
        match scalar_key(value) {
            Some(key) => key.hash(&mut h),
            None => {
                (value.kind() as u8).hash(&mut h);
                if matches!(value.kind(), Kind::Array | Kind::Object) {
                    value.len().hash(&mut h);
                }
            }
        }
        h.finish()
    };
    let mut h = FxHasher::default();
    (item.kind() as u8).hash(&mut h);
    match item.kind() {
        Kind::Array => {
            item.len().hash(&mut h);
            for value in item.items() {
                leaf(&value).hash(&mut h);
            }
        }
        Kind::Object => {
            item.len().hash(&mut h);
            let mut members = 0u64;
            for (name, value) in item.members() {
                let mut m = FxHasher::default();
                name.as_ref().hash(&mut m);
                leaf(&value).hash(&mut m);
                members = members.wrapping_add(m.finish());
            }
            members.hash(&mut h);
        }
        _ => leaf(item).hash(&mut h),
    }
    h.finish()
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
