//! `uniqueItems`: no two items are equal (JSON Schema equality: `1 == 1.0`, `true != 1`).

use crate::compiler::SchemaCtx;
use crate::error::{ErrorKind, SchemaError};
use crate::json::{Json, Kind, equal};
use crate::keywords::Keyword;
use crate::keywords::names::sampled;
use crate::number::Number;
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
        // Most arrays are short (Swagger's parameter lists, MIME types): their hashes sit on
        // the stack, with no allocation per array. Only hashes are kept: the items are
        // fetched again by index for the rare exact comparison.
        let mut stack = [(0u64, 0usize); 16];
        let mut heap = Vec::new();
        let hashed: &mut [(u64, usize)] = if instance.len() <= stack.len() {
            let mut count = 0;
            for (item, slot) in instance.items().zip(stack.iter_mut()) {
                *slot = (shallow_hash(&item), count);
                count += 1;
            }
            &mut stack[..count]
        } else {
            heap.extend(
                instance
                    .items()
                    .enumerate()
                    .map(|(index, item)| (shallow_hash(&item), index)),
            );
            &mut heap
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
                    if let (Some(x), Some(y)) = (instance.item(a), instance.item(b))
                        && equal(&x, &y)
                    {
                        ctx.error(instance, || ErrorKind::UniqueItems);
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// One step of `FxHash`: a rotate, xor and multiply.
#[inline]
fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// Hashes a value so that values equal under JSON Schema equality (`1 == 1.0`, `true != 1`)
/// hash equally: scalars by value (strings by [`sampled`]: length, first and last 8 bytes; a
/// long one, a parameter's description, costs no more than a short one), containers by kind
/// and size only.
#[inline]
fn leaf_hash<J: Json>(value: &J) -> u64 {
    let kind = value.kind();
    let bits = match kind {
        Kind::Null => 0,
        Kind::Bool => u64::from(value.as_bool() == Some(true)),
        Kind::String => value.as_str().map_or(0, |s| sampled(s.as_ref().as_bytes())),
        Kind::Number => number_bits(value.as_number()),
        Kind::Array | Kind::Object => value.len() as u64,
    };
    mix(kind as u64, bits)
}

/// A number's hash word: equal numbers (`1 == 1.0`, `10**16 == 1e16`) share it.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "integral and below 2^53: exact; the sign only feeds a hash"
)]
fn number_bits(number: Option<Number>) -> u64 {
    // Below 2^53 every integer is exact as a float too, so both hash its value. From there
    // on an integer and an integral float may be equal (`10**16 == 1e16`) where their values
    // would hash apart: all of them share one word, and the exact comparison decides.
    const EXACT: f64 = 9.0e15;
    match number {
        Some(Number::Int(i)) if i.unsigned_abs() < 9_000_000_000_000_000 => i as u64,
        Some(Number::Float(f)) if f.fract() == 0.0 && f.abs() < EXACT => f as i64 as u64,
        Some(Number::Float(f)) if f.fract() != 0.0 || !f.is_finite() => f.to_bits(),
        Some(Number::Int(_) | Number::Float(_) | Number::Big(_)) | None => 0,
    }
}

/// A hash that equal values share: [`leaf_hash`], and for containers also their items (for
/// objects their members, in any order) hashed as leaves, so that hashing stays linear in the
/// top two levels; equal hashes are then compared exactly.
fn shallow_hash<J: Json>(item: &J) -> u64 {
    let hash = leaf_hash(item);
    match item.kind() {
        Kind::Array => item
            .items()
            .fold(hash, |h, value| mix(h, leaf_hash(&value))),
        Kind::Object => {
            // Summed, so that the members' order does not count.
            let members = item.members().fold(0u64, |sum, (name, value)| {
                sum.wrapping_add(mix(sampled(name.as_ref().as_bytes()), leaf_hash(&value)))
            });
            mix(hash, members)
        }
        _ => hash,
    }
}

#[cfg(test)]
mod tests {
    use crate::{Validator, parse};

    fn unique(text: &str) -> bool {
        let v = Validator::new(&parse(br#"{"uniqueItems": true}"#).unwrap()).unwrap();
        let instance = parse(text.as_bytes()).unwrap();
        let valid = v.is_valid(&&instance);
        assert_eq!(valid, v.iter_errors(&&instance).next().is_none(), "{text}");
        valid
    }

    /// Equal items hash alike whatever their representation: numbers across integer and
    /// float (also from 2^53 on, where an integer's value and a float's differ as hash
    /// words), objects across member order, strings alike but in their middle bytes.
    #[test]
    fn equal_items_are_found() {
        for text in [
            "[1, 1.0]",
            "[10000000000000000, 1e16]",
            "[-10000000000000000, -1e16]",
            "[9007199254740992, 9007199254740992.0]",
            "[1180591620717411303424, 1.1805916207174113e21]",
            "[0, -0.0]",
            r#"[{"a": 10000000000000000}, {"a": 1e16}]"#,
            r#"[{"a": 1, "b": [2]}, {"b": [2.0], "a": 1.0}]"#,
            r#"[[1, "x"], [1.0, "x"]]"#,
            r#"["abcdefgh-middle-ijklmnop", "x", "abcdefgh-middle-ijklmnop"]"#,
            "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 1.0]",
            "[null, null]",
            "[true, false, true]",
        ] {
            assert!(!unique(text), "{text}");
        }
    }

    /// Items that hash alike or nearly so but differ are told apart.
    #[test]
    fn distinct_items_pass() {
        for text in [
            "[1, true]",
            "[0, false, null]",
            "[10000000000000000, 10000000000000001, 1e17]",
            "[1.5, 2.5, 1e400]",
            r#"[{"a": 1, "b": 2}, {"a": 2, "b": 1}]"#,
            r#"[{"a": 1}, {"b": 1}]"#,
            "[[1, 2], [2, 1]]",
            "[[[1]], [[2]]]",
            r#"["abcdefgh-middle-ijklmnop", "abcdefgh-MIDDLE-ijklmnop"]"#,
            r#"["ab", "ba", "", "a", "abc", "acb"]"#,
            "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]",
        ] {
            assert!(unique(text), "{text}");
        }
    }
}
