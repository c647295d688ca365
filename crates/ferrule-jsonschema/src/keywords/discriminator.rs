//! Branch pruning for `oneOf`/`anyOf` when only validity is asked. Tagged unions such as
//! FHIR's (146 resource branches) give most branches a property whose subschema is a string
//! `const` (`"resourceType": {"const": "Patient"}`). When the instance is an object holding
//! that property, a branch whose tag differs fails that `const`, so it is invalid and need not
//! be evaluated (a one-string `enum` tags a branch as well). Found once, after compilation: the
//! branches of each tag in a hash map, so that a tagged instance costs one member lookup and
//! one probe, not a comparison per branch. Errors are still collected from every branch, as
//! python-jsonschema reports them.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use crate::compiler::{Node, NodeId};
use crate::json::{Json, Key, Kind};
use crate::keywords::names::FxHasher;
use crate::keywords::{Keyword, annotate_branch_lists};
use crate::value::Value;

/// How many `$ref`/`allOf` steps to follow from a branch looking for tags.
const FOLLOW: u8 = 4;

#[derive(Debug)]
pub(crate) struct Discriminator {
    /// The tag property, as a key of the validator's table: a representation looks it up
    /// without making its own form of the name per instance (a Python `str`).
    property: Key,
    /// Per tag, the indices of the branches carrying it, ascending. Hashed with `FxHash`
    /// (`SipHash` cost a twentieth of validating a recursive tagged document): the table is
    /// built from the schema and only looked up by instances, as in `names.rs`.
    by_tag: HashMap<Arc<str>, Box<[u32]>, BuildHasherDefault<FxHasher>>,
    /// The branches without a tag (they may match whatever the tag), ascending.
    untagged: Box<[u32]>,
}

impl Discriminator {
    /// The indices of the branches that can be valid for `instance`, ascending (the order
    /// evaluation would take without pruning); `None` when pruning does not apply to this
    /// instance (not an object, or without the property). A tag that is not a string matches
    /// no tagged branch.
    #[inline]
    pub(crate) fn candidates<J: Json>(&self, instance: &J) -> Option<Candidates<'_>> {
        if instance.kind() != Kind::Object {
            return None;
        }
        let value = instance.get_key(&self.property)?;
        let tagged = match value.as_str() {
            Some(tag) => self.by_tag.get(tag.as_ref()).map_or(&[][..], |b| &**b),
            None => &[],
        };
        Some(Candidates {
            tagged,
            untagged: &self.untagged,
        })
    }

    /// Keeps only the branches `keep` accepts (those an object can match at all).
    pub(crate) fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        for branches in self.by_tag.values_mut() {
            *branches = branches.iter().copied().filter(|&b| keep(b)).collect();
        }
        self.untagged = self.untagged.iter().copied().filter(|&b| keep(b)).collect();
    }
}

/// Two ascending lists of branch indices, merged.
pub(crate) struct Candidates<'d> {
    tagged: &'d [u32],
    untagged: &'d [u32],
}

impl Iterator for Candidates<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        let take_tagged = match (self.tagged.first(), self.untagged.first()) {
            (Some(t), Some(u)) => t < u,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        let list = if take_tagged {
            &mut self.tagged
        } else {
            &mut self.untagged
        };
        let (&first, rest) = list.split_first()?;
        *list = rest;
        Some(first as usize)
    }
}

/// A property and the tags its value is one of.
type Tags = (Arc<str>, Vec<Arc<str>>);

/// `(property, tags)` pairs every instance valid under `id` satisfies when it has the
/// property: its value is one of the tags (a string `const`, or an `enum` of strings).
fn tags_of(nodes: &[Node], id: NodeId, follow: u8, out: &mut Vec<Tags>) {
    for keyword in &nodes[id as usize].keywords {
        match keyword {
            Keyword::Ref(r) if follow > 0 => tags_of(nodes, r.node, follow - 1, out),
            Keyword::AllOf(a) if follow > 0 => {
                for &n in &a.nodes {
                    tags_of(nodes, n, follow - 1, out);
                }
            }
            Keyword::Properties(p) => {
                for (name, (node, _)) in &p.by_name.entries {
                    for k in &nodes[*node as usize].keywords {
                        let tags = match k {
                            Keyword::Const(c) => match &*c.expected {
                                Value::String(s) => Some(vec![s.as_str()]),
                                _ => None,
                            },
                            Keyword::Enum(e) => e.all_strings(),
                            _ => None,
                        };
                        if let Some(tags) = tags {
                            let tags = tags.into_iter().map(Arc::from).collect();
                            out.push((Arc::clone(name), tags));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The discriminator of a list of branches: the tagged property most branches share, if at
/// least two do.
fn find(
    nodes: &[Node],
    branches: &[NodeId],
    key: &mut dyn FnMut(&str) -> Key,
) -> Option<Discriminator> {
    if branches.len() < 2 {
        return None;
    }
    let per_branch: Vec<Vec<Tags>> = branches
        .iter()
        .map(|&b| {
            let mut out = Vec::new();
            tags_of(nodes, b, FOLLOW, &mut out);
            out
        })
        .collect();
    let mut counts: Vec<(Arc<str>, usize)> = Vec::new();
    for tags in &per_branch {
        let mut seen: Vec<&str> = Vec::new();
        // The property is chosen by single tags (`const`s), as they were chosen before enums
        // of several strings tagged branches: a shared multi-valued property (Swagger's
        // parameter `type`) would tie with the real tag and prune nothing.
        for (name, _) in tags.iter().filter(|(_, t)| t.len() == 1) {
            if seen.contains(&&**name) {
                continue;
            }
            seen.push(name);
            match counts.iter_mut().find(|(n, _)| n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((Arc::clone(name), 1)),
            }
        }
    }
    let (property, count) = counts.into_iter().max_by_key(|(_, c)| *c)?;
    if count < 2 {
        return None;
    }
    let mut by_tag: HashMap<Arc<str>, Vec<u32>> = HashMap::new();
    let mut untagged = Vec::new();
    for (index, tags) in per_branch.iter().enumerate() {
        let index = index as u32;
        // A branch with two tags for the property needs both: the first decides.
        match tags.iter().find(|(n, _)| *n == property) {
            Some((_, tags)) => {
                for tag in tags {
                    let branches = by_tag.entry(Arc::clone(tag)).or_default();
                    // An enum listing a tag twice names its branch once.
                    if branches.last() != Some(&index) {
                        branches.push(index);
                    }
                }
            }
            None => untagged.push(index),
        }
    }
    Some(Discriminator {
        property: key(&property),
        by_tag: by_tag
            .into_iter()
            .map(|(tag, branches)| (tag, branches.into_boxed_slice()))
            .collect(),
        untagged: untagged.into_boxed_slice(),
    })
}

/// Gives every `oneOf`/`anyOf` of the arena its discriminator.
/// `key` numbers a property name in the validator's key table.
pub(crate) fn annotate(nodes: &mut [Node], key: &mut dyn FnMut(&str) -> Key) {
    annotate_branch_lists(
        nodes,
        |nodes, _, branches| find(nodes, branches, key),
        |keyword, d| match keyword {
            Keyword::OneOf(k) => k.discriminator = Some(d),
            Keyword::AnyOf(k) => k.discriminator = Some(d),
            _ => {}
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::{Validator, parse};

    /// Pruned (`is_valid`) and unpruned (`iter_errors`) evaluation agree.
    #[test]
    fn pruning_agrees_with_full_evaluation() {
        let schema = parse(
            br##"{
            "definitions": {
                "A": {"properties": {"t": {"const": "a"}, "x": {"type": "integer"}}},
                "B": {"allOf": [{"properties": {"t": {"const": "b"}}}], "required": ["y"]},
                "C": {"properties": {"x": {"type": "string"}}}
            },
            "oneOf": [
                {"$ref": "#/definitions/A"},
                {"$ref": "#/definitions/B"},
                {"$ref": "#/definitions/C"}
            ]
        }"##,
        )
        .unwrap();
        let any_of = parse(
            br#"{"anyOf": [
                {"properties": {"t": {"const": "a"}}, "required": ["x"]},
                {"properties": {"t": {"const": "b"}}, "required": ["y"]}
            ]}"#,
        )
        .unwrap();
        for schema in [schema, any_of] {
            let v = Validator::new(&schema).unwrap();
            for text in [
                r#"{"t": "a", "x": 1}"#,
                r#"{"t": "a", "x": "s"}"#,
                r#"{"t": "b", "y": 1}"#,
                r#"{"t": "b", "x": 1}"#,
                r#"{"t": "c", "x": "s"}"#,
                r#"{"t": "c", "x": 1}"#,
                r#"{"t": 1, "x": "s"}"#,
                r#"{"t": null, "y": 1}"#,
                r#"{"x": 1}"#,
                r#"{"x": "s", "y": 1}"#,
                "[]",
                "1",
            ] {
                let instance = parse(text.as_bytes()).unwrap();
                assert_eq!(
                    v.is_valid(&&instance),
                    v.iter_errors(&&instance).next().is_none(),
                    "{text}"
                );
            }
        }
    }
}
