//! Branch pruning for `oneOf`/`anyOf` by the instance's kind, when only validity is asked.
//! Recursive content models (`oneOf: [string, array of itself, object of tagged variants]`)
//! tell their branches apart by `type` first: a branch whose node the kind alone decides
//! invalid (`Node::by_kind`, seen through `$ref`-only branches) is invalid for every instance
//! of that kind, so skipping it keeps `oneOf`'s "exactly one" exact. Errors are still
//! collected from every branch, as python-jsonschema reports them.

use crate::compiler::{Node, NodeId};
use crate::json::Kind;
use crate::keywords::{Keyword, annotate_branch_lists};

/// Per instance kind, the branches its kind does not rule out.
#[derive(Debug)]
pub(crate) struct BranchKinds {
    /// Per kind (as an index), the indices of the branches that can be valid, ascending.
    by_kind: [Box<[u32]>; 6],
}

impl BranchKinds {
    /// The indices of the branches an instance of `kind` can be valid against, ascending.
    #[inline]
    pub(crate) fn of(&self, kind: Kind) -> &[u32] {
        &self.by_kind[kind as usize]
    }

    /// Does a branch survive the kind pruning of `kind`?
    pub(crate) fn keeps(&self, kind: Kind, branch: u32) -> bool {
        self.of(kind).binary_search(&branch).is_ok()
    }
}

/// Is `id` invalid for every instance of `kind`, by its boolean or `by_kind` alone?
fn ruled_out(nodes: &[Node], id: NodeId, kind: usize) -> bool {
    let node = &nodes[id as usize];
    let node = &nodes[node.forward.unwrap_or(id) as usize];
    node.boolean == Some(false) || node.by_kind[kind] == Some(false)
}

/// The kind table of a list of branches, when some kind rules out some branch.
fn find(nodes: &[Node], branches: &[NodeId]) -> Option<BranchKinds> {
    let mut pruned = false;
    let by_kind = std::array::from_fn(|kind| {
        let kept: Box<[u32]> = (0..branches.len() as u32)
            .filter(|&i| !ruled_out(nodes, branches[i as usize], kind))
            .collect();
        pruned |= kept.len() < branches.len();
        kept
    });
    pruned.then_some(BranchKinds { by_kind })
}

/// Gives every `oneOf`/`anyOf` of the arena its kind table, and drops from their
/// discriminators the branches no object can match. Runs after `$ref` forwarding (to see
/// through `$ref`-only branches) and after the discriminators are found.
pub(crate) fn annotate(nodes: &mut [Node]) {
    annotate_branch_lists(
        nodes,
        |nodes, _, branches| find(nodes, branches),
        |keyword, kinds| {
            let (discriminator, slot) = match keyword {
                Keyword::OneOf(k) => (&mut k.discriminator, &mut k.kinds),
                Keyword::AnyOf(k) => (&mut k.discriminator, &mut k.kinds),
                _ => return,
            };
            if let Some(d) = discriminator {
                d.retain(|branch| kinds.keeps(Kind::Object, branch));
            }
            *slot = Some(kinds);
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::test_support::assert_is_valid_agrees;
    use crate::{Validator, parse};

    /// Branches pruned by kind (`is_valid`) agree with every branch evaluated
    /// (`iter_errors`): kinds several branches accept, `$ref`-only and boolean branches,
    /// integer types, a tag discriminator beside the kinds, and `anyOf`.
    #[test]
    fn kind_pruning_agrees() {
        let schemas = [
            r##"{"definitions": {"c": {"oneOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/definitions/c"}},
                    {"type": "object", "oneOf": [
                        {"required": ["tag"], "additionalProperties": false,
                         "properties": {"tag": {"const": "br"}}},
                        {"required": ["tag"], "additionalProperties": false,
                         "properties": {"tag": {"enum": ["a", "b"]},
                                        "content": {"$ref": "#/definitions/c"}}}]}]}},
                "$ref": "#/definitions/c"}"##,
            r#"{"oneOf": [{"type": "string"}, {"type": ["string", "null"]}, {"minimum": 2}]}"#,
            r#"{"oneOf": [{"type": "integer"}, {"type": "number"}, false, true]}"#,
            r##"{"definitions": {"s": {"type": "string"}},
                "oneOf": [{"$ref": "#/definitions/s"}, {"maxLength": 2}]}"##,
            r#"{"oneOf": [{"type": "object", "properties": {"t": {"const": "a"}}},
                          {"type": "object", "properties": {"t": {"const": "b"}}},
                          {"type": "string"}, {"required": ["u"]}]}"#,
            r#"{"anyOf": [{"type": "string", "minLength": 2}, {"type": "array"},
                          {"type": "object", "properties": {"t": {"const": "a"}}},
                          {"type": "object", "properties": {"t": {"const": "b"}}}]}"#,
        ];
        let instances = [
            r#""x""#,
            r#""xyz""#,
            "null",
            "1",
            "1.5",
            "3",
            "true",
            "[]",
            r#"["x", ["y"], {"tag": "br"}]"#,
            "[1]",
            r#"{"tag": "br"}"#,
            r#"{"tag": "a", "content": ["x", {"tag": "b"}]}"#,
            r#"{"tag": "a", "content": [{"tag": "c"}]}"#,
            r#"{"tag": "br", "content": "x"}"#,
            r#"{"tag": 1}"#,
            r#"{"t": "a"}"#,
            r#"{"t": "b", "u": 1}"#,
            r#"{"t": "c"}"#,
            r#"{"u": 1}"#,
            "{}",
        ];
        for schema in schemas {
            let v = Validator::new(&parse(schema.as_bytes()).unwrap()).unwrap();
            assert_is_valid_agrees(&v, schema, &instances);
        }
    }

    /// The kinds decide alone: a string against `[string, array, object]` is valid and an
    /// array of strings too, where only one branch accepts each kind.
    #[test]
    fn one_branch_per_kind() {
        let schema = r#"{"oneOf": [{"type": "string"}, {"type": "array"},
                                   {"type": "object"}]}"#;
        let v = Validator::new(&parse(schema.as_bytes()).unwrap()).unwrap();
        for (text, valid) in [(r#""x""#, true), ("[1]", true), ("{}", true), ("1", false)] {
            assert_eq!(
                v.is_valid(&&parse(text.as_bytes()).unwrap()),
                valid,
                "{text}"
            );
        }
    }
}
