//! `uniqueItems`: no two items are equal (JSON Schema equality: `1 == 1.0`, `true != 1`).

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
        // Most arrays under `uniqueItems` in API documents hold one item (Swagger's
        // `schemes`, `tags`, `consumes`): nothing to compare, nothing to collect or hash.
        if instance.kind() != Kind::Array || instance.len() < 2 {
            return true;
        }
        // Most arrays are short (Swagger's parameter lists, MIME types): their items and
        // hashes sit on the stack, with no allocation per array.
        let mut stack_items: [Option<J>; 16] = std::array::from_fn(|_| None);
        let mut heap_items: Vec<J> = Vec::new();
        let mut stack = [(0u64, 0usize); 16];
        let mut heap = Vec::new();
        let small = instance.len() <= stack.len();
        let hashed: &mut [(u64, usize)] = if small {
            let mut count = 0;
            for (item, slot) in instance.items().zip(stack_items.iter_mut()) {
                stack[count] = (shallow_hash(&item), count);
                *slot = Some(item);
                count += 1;
            }
            &mut stack[..count]
        } else {
            heap_items = instance.items().collect();
            heap.extend(
                heap_items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| (shallow_hash(item), index)),
            );
            &mut heap
        };
        let item = |index: usize| -> &J {
            if small {
                stack_items[index]
                    .as_ref()
                    .expect("every hashed index holds an item")
            } else {
                &heap_items[index]
            }
        };
        // Items are compared exactly only within runs of equal hashes: linear for distinct
        // items (arrays of distinct objects, such as Swagger's parameter lists, were
        // quadratic), and no allocation per string.
        hashed.sort_unstable();
        for run in hashed
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
        {
            for (i, &(_, a)) in run.iter().enumerate() {
                for &(_, b) in &run[i + 1..] {
                    if equal(item(a), item(b)) {
                        ctx.error(instance, || ErrorKind::UniqueItems);
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// Hashes a value so that values equal under JSON Schema equality (`1 == 1.0`, `true != 1`)
/// hash equally: scalars by value, containers by kind and size only.
fn hash_leaf<J: Json>(value: &J, h: &mut FxHasher) {
    use crate::number::Number;
    let kind = value.kind();
    (kind as u8).hash(h);
    match kind {
        Kind::Null => {}
        Kind::Bool => value.as_bool().hash(h),
        Kind::String => {
            if let Some(s) = value.as_str() {
                hash_str(s.as_ref(), h);
            }
        }
        Kind::Number => match value.as_number() {
            Some(Number::Int(i)) => i.hash(h),
            #[expect(
                clippy::cast_possible_truncation,
                reason = "integral and below 2^53: exact"
            )]
            Some(Number::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => (f as i64).hash(h),
            // A big integer can equal a huge integral float: both hash alike (compared exactly).
            Some(Number::Float(f)) if f.is_finite() && f.fract() == 0.0 => {}
            Some(Number::Big(_)) | None => {}
            Some(Number::Float(f)) => f.to_bits().hash(h),
        },
        Kind::Array | Kind::Object => value.len().hash(h),
    }
}

/// Hashes a string by its length and at most its first and last 8 bytes: equal strings hash
/// alike, and a long one (a parameter's description) costs no more than a short one. Strings
/// that differ only in the middle are told apart by the exact comparison.
fn hash_str(s: &str, h: &mut FxHasher) {
    let bytes = s.as_bytes();
    h.write_usize(bytes.len());
    if bytes.len() <= 16 {
        h.write(bytes);
    } else {
        h.write(&bytes[..8]);
        h.write(&bytes[bytes.len() - 8..]);
    }
}

/// A hash that equal values share: [`hash_leaf`], and for containers also their items (for
/// objects their members, in any order) hashed as leaves, so that hashing stays linear in the
/// top two levels; equal hashes are then compared exactly.
fn shallow_hash<J: Json>(item: &J) -> u64 {
    let mut h = FxHasher::default();
    hash_leaf(item, &mut h);
    match item.kind() {
        Kind::Array => {
            for value in item.items() {
                hash_leaf(&value, &mut h);
            }
        }
        Kind::Object => {
            let mut members = 0u64;
            for (name, value) in item.members() {
                let mut m = FxHasher::default();
                hash_str(name.as_ref(), &mut m);
                hash_leaf(&value, &mut m);
                members = members.wrapping_add(m.finish());
            }
            members.hash(&mut h);
        }
        _ => {}
    }
    h.finish()
}
