//! `oneOf`: the instance matches exactly one subschema.

use crate::compiler::{NodeId, SchemaCtx};
use crate::error::{ErrorKind, PathItem, SchemaError};
use crate::json::{Json, Key, Kind};
use crate::keywords::branch_kinds::BranchKinds;
use crate::keywords::discriminator::Discriminator;
use crate::keywords::{Keyword, annotate_branch_lists, subschemas};
use crate::validator::{Ctx, Seg};
use crate::value::Value;

#[derive(Debug)]
pub(crate) struct OneOf {
    pub(crate) nodes: Vec<NodeId>,
    /// Prunes branches when only validity is asked.
    pub(crate) discriminator: Option<Discriminator>,
    /// Per branch, a property the branch requires and some other branch does not
    /// ([`annotate_needs`]): an object without it fails the branch's `required`, so the
    /// validity check skips the branch after one lookup (Swagger's `{"$ref": ...}` objects
    /// against the `response`/`jsonReference` union).
    pub(crate) needs: Option<Box<[Option<Key>]>>,
    /// Prunes, when only validity is asked, the branches the instance's kind rules out.
    pub(crate) kinds: Option<BranchKinds>,
}

/// Sets [`OneOf::needs`] on every `oneOf` without a discriminator. Runs after
/// [`crate::compiler`]'s `$ref` forwarding, to see through branches that are only a `$ref`.
pub(crate) fn annotate_needs(nodes: &mut [crate::compiler::Node]) {
    annotate_branch_lists(nodes, needs, |keyword, needs| {
        if let Keyword::OneOf(k) = keyword {
            k.needs = Some(needs);
        }
    });
}

/// [`OneOf::needs`] of a `oneOf` without a discriminator, when some branch has one.
fn needs(
    nodes: &[crate::compiler::Node],
    keyword: &Keyword,
    branches: &[NodeId],
) -> Option<Box<[Option<Key>]>> {
    let Keyword::OneOf(one_of) = keyword else {
        return None;
    };
    if one_of.discriminator.is_some() {
        return None;
    }
    let required: Vec<&[Key]> = branches
        .iter()
        .map(|&id| {
            let target = &nodes[nodes[id as usize].forward.unwrap_or(id) as usize];
            target
                .keywords
                .iter()
                .find_map(|k| match k {
                    Keyword::Required(r) => Some(&r.properties[..]),
                    _ => None,
                })
                .unwrap_or(&[])
        })
        .collect();
    let needs: Box<[Option<Key>]> = required
        .iter()
        .map(|names| {
            names
                .iter()
                .find(|name| !required.iter().all(|other| other.contains(name)))
                .cloned()
        })
        .collect();
    needs.iter().any(Option::is_some).then_some(needs)
}

pub(crate) fn compile(
    ctx: &mut SchemaCtx<'_, '_>,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let nodes = subschemas(ctx, "oneOf", value)?;
    Ok(Some(Keyword::OneOf(OneOf {
        nodes,
        discriminator: None,
        needs: None,
        kinds: None,
    })))
}

impl OneOf {
    pub(crate) fn validate<J: Json>(&self, ctx: &mut Ctx<'_, J>, instance: &J) -> bool {
        if !ctx.collect {
            if let Some(branches) = self
                .discriminator
                .as_ref()
                .and_then(|d| d.candidates(instance))
            {
                return self.exactly_one(ctx, instance, branches);
            }
            let kind = instance.kind();
            let needs = self.needs.as_ref().filter(|_| kind == Kind::Object);
            return match (&self.kinds, needs) {
                (Some(kinds), None) => {
                    let branches = kinds.of(kind).iter().map(|&i| i as usize);
                    self.exactly_one(ctx, instance, branches)
                }
                (Some(kinds), Some(needs)) => {
                    let branches = kinds.of(kind).iter().map(|&i| i as usize);
                    self.exactly_one(ctx, instance, needed(instance, needs, branches))
                }
                (None, Some(needs)) => {
                    let branches = needed(instance, needs, 0..self.nodes.len());
                    self.exactly_one(ctx, instance, branches)
                }
                (None, None) => self.exactly_one(ctx, instance, 0..self.nodes.len()),
            };
        }
        let start = ctx.errors.len();
        let first_valid = ctx.in_branches(|ctx| {
            self.nodes.iter().enumerate().position(|(index, node)| {
                ctx.descend(*node, instance, Seg::Here, Some(PathItem::Index(index)))
            })
        });
        let Some(first) = first_valid else {
            if ctx.collect {
                let context = ctx.take_context(start);
                ctx.error(instance, || ErrorKind::OneOfNotValid { context });
            }
            return false;
        };
        ctx.errors.truncate(start);
        let mut valid = vec![first];
        for (index, node) in self.nodes.iter().enumerate().skip(first + 1) {
            if ctx.probe_at(*node, instance, Seg::Here, Some(PathItem::Index(index))) {
                valid.push(index);
            }
        }
        if valid.len() > 1 {
            if ctx.tracing() {
                ctx.demote_failed_children();
            }
            ctx.error(instance, || ErrorKind::OneOfMultipleValid { valid });
            return false;
        }
        true
    }

    /// The validity check over `branches` (indices, ascending; every branch left out is
    /// invalid for `instance`): exactly one is valid. Stops at a second valid branch.
    #[inline]
    fn exactly_one<J: Json>(
        &self,
        ctx: &mut Ctx<'_, J>,
        instance: &J,
        branches: impl Iterator<Item = usize>,
    ) -> bool {
        let mut matched = false;
        for index in branches {
            if ctx.validate(self.nodes[index], instance) {
                if matched {
                    return false;
                }
                matched = true;
            }
        }
        matched
    }
}

/// `branches` less those whose needed property ([`OneOf::needs`]) the object lacks.
fn needed<'s, J: Json>(
    instance: &'s J,
    needs: &'s [Option<Key>],
    branches: impl Iterator<Item = usize> + 's,
) -> impl Iterator<Item = usize> + 's {
    branches.filter(move |&i| {
        needs[i]
            .as_ref()
            .is_none_or(|k| instance.get_key(k).is_some())
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::assert_is_valid_agrees;
    use crate::{Validator, parse};

    /// Branches skipped by a required property (`is_valid`) agree with every branch
    /// evaluated (`iter_errors`), overlapping branches included.
    #[test]
    fn required_pruning_agrees() {
        let schemas = [
            r#"{"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}"#,
            r#"{"oneOf": [{"required": ["a", "c"]}, {"required": ["c"]}, {"minProperties": 2}]}"#,
            r##"{"$defs": {"r": {"required": ["$ref"], "additionalProperties": false}},
                "oneOf": [{"$ref": "#/$defs/r"}, {"required": ["d"]}]}"##,
        ];
        let instances = [
            "{}",
            r#"{"a": 1}"#,
            r#"{"a": 1, "b": 2}"#,
            r#"{"c": 1}"#,
            r#"{"a": 1, "c": 2}"#,
            r#"{"$ref": "x"}"#,
            r#"{"$ref": "x", "d": 1}"#,
            "1",
        ];
        for schema in schemas {
            let v = Validator::new(&parse(schema.as_bytes()).unwrap()).unwrap();
            assert_is_valid_agrees(&v, schema, &instances);
        }
    }
}
