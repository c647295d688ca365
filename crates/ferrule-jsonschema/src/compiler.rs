//! Compiles a schema, once, into an arena of [`Node`]s (each a list of keyword validators).
//! Subschemas and `$ref` targets are queued rather than compiled recursively, so reference
//! cycles compile to cycles in the arena and deep schemas cannot overflow the stack.

use std::collections::hash_map::Entry;
use std::ptr::NonNull;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use crate::draft::{Draft, Vocabularies};
use crate::error::{SchemaError, SchemaErrorKind};
use crate::hash::Map;
use crate::json::Key;
use crate::keywords::{self, Keyword};
use crate::resolver::{DEFAULT_BASE, Loc, LocInfo, Registry, encode_token};
use crate::uri::resolve;
use crate::value::Value;
use crate::{Options, Retrieve};

/// Index of a node in [`Compiled::nodes`].
pub(crate) type NodeId = u32;

/// One compiled (sub)schema.
///
/// Laid out (`repr(C)`, aligned to a cache line) with what the validity check reads first:
/// a FHIR document enters nodes scattered over a 2 MB arena, and fields spread over three
/// lines cost a miss each. The first 64 bytes hold every field the check reads; only the
/// location, read for errors and output formats, lies in the second line.
#[derive(Debug)]
#[repr(C, align(64))]
pub(crate) struct Node {
    /// `Some` for a boolean schema.
    pub(crate) boolean: Option<bool>,
    /// Per [`crate::Kind`] (as an index), the node's validity when the instance's kind alone
    /// decides it ([`keywords::by_kind`]): the validity check then runs no keyword.
    pub(crate) by_kind: [Option<bool>; 6],
    /// `Some(by_value)` when the validity check of a number is only an `integer` type
    /// (`{"type": "integer"}`, `{"type": ["integer", "object"]}`): decided where the kind is,
    /// without entering the node ([`keywords::type_::Type::integer_only`]).
    pub(crate) integer: Option<bool>,
    /// For a node that is only a `$ref` (Swagger's `{"$ref": "#/definitions/schema"}`, every
    /// property of a meta-schema), the node at the end of the chain of such references: the
    /// validity check enters it directly ([`forward_refs`]). Errors and traces keep the
    /// `$ref` step of their paths.
    pub(crate) forward: Option<NodeId>,
    /// The schema resource the node belongs to (for the dynamic scope).
    pub(crate) resource: u32,
    pub(crate) draft: Draft,
    pub(crate) keywords: Vec<Keyword>,
    /// Per kind, the keywords the validity check runs ([`keywords::active`]).
    pub(crate) active: keywords::ActiveLists,
    /// Canonical location: `uri#/json/pointer`.
    pub(crate) location: Arc<str>,
}

/// A schema resource, as the validator needs it at run time.
#[derive(Debug, Default)]
pub(crate) struct ResourceEntry {
    pub(crate) uri: Arc<str>,
    /// `$dynamicAnchor` name -> node.
    pub(crate) dynamic_anchors: Map<String, NodeId>,
    /// The resource root when it declares `"$recursiveAnchor": true`.
    pub(crate) recursive_anchor: Option<NodeId>,
}

/// The compiled form of a schema and everything it references.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) nodes: Vec<Node>,
    pub(crate) resources: Vec<ResourceEntry>,
    pub(crate) root: NodeId,
    pub(crate) max_depth: usize,
    pub(crate) schema: Arc<Value>,
    /// Every document compiled from, for [`Compiled::value_at_node`].
    docs: Vec<Arc<Value>>,
    /// Where each node's schema is, by [`NodeId`].
    node_locs: Vec<Option<Loc>>,
    /// Node location (`uri#/pointer`) -> node, built when first needed (an error's `schema`,
    /// an output format's annotations): most validators never need it, and hashing every
    /// location of FHIR's 15,000 nodes was a cost of each compile.
    by_location: OnceLock<Map<Arc<str>, NodeId>>,
    /// The property names keywords look up, by [`Key::id`].
    pub(crate) keys: Vec<Arc<str>>,
    /// Does any node hold `$dynamicRef` or `$recursiveRef`? Else the validity check keeps no
    /// dynamic scope.
    pub(crate) dynamic: bool,
}

impl Compiled {
    /// The schema value of the node at `location` (a node's canonical location).
    pub(crate) fn value_at_node(&self, location: &str) -> Option<&Value> {
        let by_location = self.by_location.get_or_init(|| {
            self.nodes
                .iter()
                .enumerate()
                .map(|(id, node)| (Arc::clone(&node.location), id as NodeId))
                .collect()
        });
        let id = *by_location.get(location)?;
        let loc = self.node_locs.get(id as usize)?.as_ref()?;
        self.docs.get(loc.doc)?.pointer(&loc.pointer)
    }
}

pub(crate) struct Compiler<'r> {
    pub(crate) registry: Registry<'r>,
    nodes: Vec<Option<Node>>,
    by_loc: Map<Loc, NodeId>,
    /// Nodes to compile, with their schema value when the queuing keyword found it (see
    /// [`SchemaCtx::sub`]).
    queue: Vec<(NodeId, Loc, Option<NonNull<Value>>)>,
    resource_ids: Map<Arc<str>, u32>,
    resources: Vec<ResourceEntry>,
    pub(crate) options: Options,
    keys: Vec<Arc<str>>,
    key_ids: Map<Arc<str>, u32>,
    /// Resolved references by base URI and draft, then reference text: FHIR's schema holds
    /// 10,339 `$ref`s to 678 targets, and resolving one (URI joining, normalizing, a pointer
    /// walk) costs far more than a lookup.
    refs: Map<(Arc<str>, Draft), Map<Box<str>, NodeId>>,
    /// [`Node::active`] lists, shared between alike nodes.
    active: keywords::ActiveInterner,
    /// The lists of a node without keywords: every node's until the after-passes.
    no_keywords: keywords::ActiveLists,
    /// A buffer for building nodes' locations.
    scratch: String,
}

impl<'r> Compiler<'r> {
    pub(crate) fn compile(
        schema: Arc<Value>,
        options: &Options,
        retriever: Option<&'r dyn Retrieve>,
    ) -> Result<Compiled, SchemaError> {
        let mut active = Map::default();
        let mut compiler = Compiler {
            registry: Registry::new(retriever, options.draft, options.max_depth),
            nodes: Vec::new(),
            by_loc: Map::default(),
            queue: Vec::new(),
            resource_ids: Map::default(),
            resources: Vec::new(),
            options: options.clone(),
            keys: Vec::new(),
            key_ids: Map::default(),
            refs: Map::default(),
            no_keywords: keywords::active(&[], &mut active),
            active,
            scratch: String::new(),
        };
        let doc = compiler.registry.add_document_as(
            Arc::clone(&schema),
            DEFAULT_BASE,
            options.draft,
            options.force_draft,
        )?;
        let root = compiler.node_for(
            Loc {
                doc,
                pointer: String::new(),
            },
            None,
        );
        compiler.run()?;
        let mut nodes: Vec<Node> = std::mem::take(&mut compiler.nodes)
            .into_iter()
            .map(|n| n.expect("every queued node is compiled"))
            .collect();
        crate::keywords::discriminator::annotate(&mut nodes, &mut |name| compiler.key(name));
        crate::keywords::properties::merge_additional(&mut nodes);
        crate::keywords::properties::merge_patterns(&mut nodes);
        crate::keywords::properties::merge_required(&mut nodes);
        for node in &mut nodes {
            node.active = keywords::active(&node.keywords, &mut compiler.active);
            node.integer = match &node.active[crate::json::Kind::Number as usize] {
                [i] => match &node.keywords[*i as usize] {
                    Keyword::Type(t) => t.integer_only(),
                    _ => None,
                },
                _ => None,
            };
        }
        keywords::decide_applicators(&mut nodes);
        crate::keywords::items::summarize_leaves(&mut nodes);
        // Without `$dynamicRef`/`$recursiveRef` nothing reads the dynamic scope.
        let dynamic = nodes.iter().any(|n| {
            n.keywords
                .iter()
                .any(|k| matches!(k, Keyword::DynamicRef(_) | Keyword::RecursiveRef(_)))
        });
        if !dynamic {
            forward_refs(&mut nodes);
        }
        crate::keywords::one_of::annotate_needs(&mut nodes);
        crate::keywords::branch_kinds::annotate(&mut nodes);
        let mut node_locs = vec![None; nodes.len()];
        for (loc, id) in compiler.by_loc {
            node_locs[id as usize] = Some(loc);
        }
        Ok(Compiled {
            nodes,
            resources: compiler.resources,
            root,
            max_depth: options.max_depth,
            schema,
            docs: compiler.registry.docs,
            node_locs,
            by_location: OnceLock::new(),
            keys: compiler.keys,
            dynamic,
        })
    }

    /// The node for a location, queued for compilation on first sight. `value`, when given,
    /// is the schema at `loc`, inside a document of the registry.
    pub(crate) fn node_for(&mut self, loc: Loc, value: Option<&Value>) -> NodeId {
        match self.by_loc.entry(loc) {
            Entry::Occupied(found) => *found.get(),
            Entry::Vacant(slot) => {
                let id = self.nodes.len() as NodeId;
                self.nodes.push(None);
                self.queue
                    .push((id, slot.key().clone(), value.map(NonNull::from)));
                slot.insert(id);
                id
            }
        }
    }

    /// The key of a property name, numbered on first sight.
    pub(crate) fn key(&mut self, name: &str) -> Key {
        if let Some((name, &id)) = self.key_ids.get_key_value(name) {
            return Key::new(id, Arc::clone(name));
        }
        let id = u32::try_from(self.keys.len()).expect("fewer than 2^32 property names");
        let name: Arc<str> = Arc::from(name);
        self.keys.push(Arc::clone(&name));
        self.key_ids.insert(Arc::clone(&name), id);
        Key::new(id, name)
    }

    fn resource_id(&mut self, uri: &Arc<str>) -> u32 {
        if let Some(&id) = self.resource_ids.get(uri) {
            return id;
        }
        let id = self.resources.len() as u32;
        self.resources.push(ResourceEntry {
            uri: Arc::clone(uri),
            ..ResourceEntry::default()
        });
        self.resource_ids.insert(Arc::clone(uri), id);
        id
    }

    fn run(&mut self) -> Result<(), SchemaError> {
        loop {
            while let Some((id, loc, value)) = self.queue.pop() {
                let node = self.compile_node(&loc, value)?;
                self.nodes[id as usize] = Some(node);
            }
            // Dynamic and recursive anchors of every resource met so far are possible targets
            // of `$dynamicRef`/`$recursiveRef` at run time: compile them too, until no new
            // resource turns up.
            let mut added = false;
            for index in 0..self.resources.len() {
                let uri = Arc::clone(&self.resources[index].uri);
                let Some(resource) = self.registry.resources.get(&*uri).cloned() else {
                    continue;
                };
                for name in &resource.dynamic_anchors {
                    if !self.resources[index].dynamic_anchors.contains_key(name) {
                        let target = self
                            .registry
                            .lookup(&format!("{uri}#{name}"), self.options.draft)?;
                        let node = self.node_for(target, None);
                        self.resources[index]
                            .dynamic_anchors
                            .insert(name.clone(), node);
                        added = true;
                    }
                }
                if resource.recursive_anchor && self.resources[index].recursive_anchor.is_none() {
                    let node = self.node_for(resource.loc.clone(), None);
                    self.resources[index].recursive_anchor = Some(node);
                    added = true;
                }
            }
            if !added && self.queue.is_empty() {
                return Ok(());
            }
        }
    }

    fn compile_node(
        &mut self,
        loc: &Loc,
        known: Option<NonNull<Value>>,
    ) -> Result<Node, SchemaError> {
        let info = self.registry.info(loc);
        let doc = Arc::clone(&self.registry.docs[loc.doc]);
        self.registry
            .absolute_into(loc, &info.base, &mut self.scratch);
        let location: Arc<str> = Arc::from(self.scratch.as_str());
        let resource = self.resource_id(&info.base);
        let members = Rc::clone(&self.registry.members);
        let value = match known {
            // SAFETY: `known` points into the document `doc` holds (taken by `SchemaCtx::sub`
            // from the schema value of a node of the same document): the registry keeps its
            // documents, behind `Arc`s, unchanged for the compiler's whole life, so the value
            // is alive and has not moved.
            #[expect(unsafe_code, reason = "a value of a shared, immutable document")]
            Some(known) => unsafe { known.as_ref() },
            None => members
                .pointer(&doc, &loc.pointer)
                .unwrap_or(&Value::Bool(true)),
        };
        let mut node = Node {
            boolean: None,
            keywords: Vec::new(),
            by_kind: [None; 6],
            // Set by the after-passes: until then, the lists of a node without keywords.
            active: self.no_keywords.clone(),
            location,
            resource,
            draft: info.draft,
            forward: None,
            integer: None,
        };
        match value {
            Value::Bool(b) => node.boolean = Some(*b),
            Value::Object(_) => {
                let mut ctx = SchemaCtx {
                    compiler: self,
                    loc,
                    info: &info,
                    schema: value,
                };
                let keywords = keywords::compile_all(&mut ctx)?;
                node.by_kind = keywords::by_kind(&keywords);
                node.keywords = keywords;
            }
            // Non-schema values (a `$ref` to a number) accept everything, as python-jsonschema
            // ignores unknown shapes.
            _ => node.boolean = Some(true),
        }
        Ok(node)
    }
}

/// The `$ref` target of a node that holds nothing else.
fn only_ref(node: &Node) -> Option<NodeId> {
    match (node.boolean, node.keywords.as_slice()) {
        (None, [Keyword::Ref(r)]) => Some(r.node),
        _ => None,
    }
}

/// Sets [`Node::forward`]: a `$ref` hop costs the validity check a node entry and a keyword
/// dispatch, and large API schemas reach most subschemas through one or two. Only without
/// dynamic references, for which entering the referring node's resource can matter. A chain
/// that loops (`{"$ref": "#"}` at the root) is not forwarded: the general path reports it at
/// the recursion limit.
fn forward_refs(nodes: &mut [Node]) {
    for id in 0..nodes.len() {
        let Some(mut target) = only_ref(&nodes[id]) else {
            continue;
        };
        let mut steps = 0;
        while let Some(next) = only_ref(&nodes[target as usize]) {
            steps += 1;
            if next as usize == id || steps > 64 {
                break;
            }
            target = next;
        }
        if only_ref(&nodes[target as usize]).is_none() {
            nodes[id].forward = Some(target);
        }
    }
}

/// Patterns compiled so far in the process, by source (as Python's `re` keeps its compiled
/// patterns): large schemas repeat a few patterns hundreds of times (FHIR: 398 `pattern`s, 16
/// distinct), schemas share patterns (`"^x-"`), a schema may be compiled again and again
/// (`validate(instance, schema)` in a loop), and building a regex costs far more than
/// validating with it. A compiled pattern is immutable and shared behind `Arc`s.
static PATTERNS: OnceLock<Mutex<Map<Box<str>, crate::ecma::Pattern>>> = OnceLock::new();

/// Distinct patterns [`PATTERNS`] holds before it starts again (Python's `re` keeps 512).
const PATTERNS_KEPT: usize = 512;

/// The pattern cache, locked (a panic while it was held left no half-made entry).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What a keyword's `compile` sees: the schema object and a handle to queue subschemas.
pub(crate) struct SchemaCtx<'a, 'r> {
    pub(crate) compiler: &'a mut Compiler<'r>,
    pub(crate) loc: &'a Loc,
    pub(crate) info: &'a LocInfo,
    /// The schema object holding the keyword, inside a document of the registry (what
    /// [`SchemaCtx::sub`] queues with a subschema must stay valid while the compiler lives).
    pub(crate) schema: &'a Value,
}

impl SchemaCtx<'_, '_> {
    pub(crate) fn draft(&self) -> Draft {
        self.info.draft
    }

    pub(crate) fn vocabularies(&self) -> Vocabularies {
        self.info.vocabularies
    }

    /// The subschema at `path` below this schema. Its value is found from this schema's and
    /// queued with it: a walk from the document's root for each of FHIR's 15,000 subschemas
    /// was a tenth of compiling it.
    pub(crate) fn sub(&mut self, path: &[&str]) -> NodeId {
        // Sized up front: a clone grown by the pushes reallocates for most subschemas.
        let extra: usize = path.iter().map(|t| t.len() + 1).sum();
        let mut pointer = String::with_capacity(self.loc.pointer.len() + extra);
        pointer.push_str(&self.loc.pointer);
        for token in path {
            pointer.push('/');
            encode_token(token, &mut pointer);
        }
        let value = self.compiler.registry.members.child(self.schema, path);
        self.compiler.node_for(
            Loc {
                doc: self.loc.doc,
                pointer,
            },
            value,
        )
    }

    /// Resolves a reference against the base URI in force and queues its target.
    pub(crate) fn resolve_ref(&mut self, reference: &str) -> Result<NodeId, SchemaError> {
        let scope = (Arc::clone(&self.info.base), self.info.draft);
        if let Some(&node) = self
            .compiler
            .refs
            .get(&scope)
            .and_then(|refs| refs.get(reference))
        {
            return Ok(node);
        }
        let uri = resolve(&self.info.base, reference);
        let target = self.compiler.registry.lookup(&uri, self.info.draft)?;
        let node = self.compiler.node_for(target, None);
        self.compiler
            .refs
            .entry(scope)
            .or_default()
            .insert(reference.into(), node);
        Ok(node)
    }

    /// The absolute URI a reference resolves to.
    pub(crate) fn absolute_ref(&self, reference: &str) -> String {
        resolve(&self.info.base, reference)
    }

    /// The schema value at a resolved absolute URI (`None` if it does not resolve).
    pub(crate) fn value_at(&mut self, uri: &str) -> Option<Value> {
        let loc = self.compiler.registry.lookup(uri, self.info.draft).ok()?;
        self.compiler.registry.value(&loc).cloned()
    }

    pub(crate) fn invalid(&self, keyword: &'static str, expected: &'static str) -> SchemaError {
        SchemaError {
            kind: SchemaErrorKind::InvalidKeyword { keyword, expected },
            location: format!(
                "{}/{keyword}",
                self.compiler.registry.absolute(self.loc, &self.info.base)
            ),
        }
    }

    pub(crate) fn invalid_regex(
        &self,
        keyword: &str,
        pattern: &str,
        message: String,
    ) -> SchemaError {
        SchemaError {
            kind: SchemaErrorKind::InvalidRegex {
                pattern: pattern.to_string(),
                message,
            },
            location: format!(
                "{}/{keyword}",
                self.compiler.registry.absolute(self.loc, &self.info.base)
            ),
        }
    }

    /// Compiles an ECMA-262 pattern for `keyword`, once per process ([`PATTERNS`]).
    pub(crate) fn regex(
        &self,
        keyword: &str,
        pattern: &str,
    ) -> Result<crate::ecma::Pattern, SchemaError> {
        let cache = PATTERNS.get_or_init(Mutex::default);
        if let Some(found) = lock(cache).get(pattern) {
            return Ok(found.clone());
        }
        // Built unlocked: a large regex takes a while, and other threads may compile too.
        let compiled = crate::ecma::Pattern::new(pattern)
            .map_err(|e| self.invalid_regex(keyword, pattern, e))?;
        let mut patterns = lock(cache);
        if patterns.len() >= PATTERNS_KEPT {
            patterns.clear();
        }
        patterns.insert(pattern.into(), compiled.clone());
        Ok(compiled)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::assert_is_valid_agrees;
    use crate::{Validator, parse};

    /// The schema of a node is found by its location (an error's `schema`), through the
    /// location index built on first use, across resources and escaped names.
    #[test]
    fn subschemas_by_location() {
        let schema = r#"{"$id": "http://x/root", "properties": {"a/b": {"type": "integer"},
            "c": {"$id": "http://x/c", "items": {"minimum": 1}}, "d~": false}}"#;
        let parsed = parse(schema.as_bytes()).unwrap();
        let v = Validator::new(&parsed).unwrap();
        let at = |location: &str| v.subschema_at(location).map(ToString::to_string);
        for _ in 0..2 {
            assert_eq!(
                at("http://x/root#/properties/a~1b").as_deref(),
                Some(r#"{"type": "integer"}"#)
            );
            assert_eq!(
                at("http://x/c#/items").as_deref(),
                Some(r#"{"minimum": 1}"#)
            );
            assert_eq!(
                at("http://x/root#/properties/d~0").as_deref(),
                Some("false")
            );
            assert_eq!(v.subschema_at("http://x/root#"), Some(&parsed));
            assert_eq!(at("http://x/root#/properties/nope"), None);
            assert_eq!(at("http://x/root#/properties/c/items"), None);
        }
    }

    /// Nodes that are only a `$ref` are forwarded for `is_valid` and walked by `iter_errors`:
    /// both agree, through chains, boolean targets and loops.
    #[test]
    fn forwarded_refs_agree() {
        // (schema, whether some node is forwarded: not along a loop of references)
        let schemas = [
            (
                r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/c"}, "c": {"type": "integer"}},
                "items": {"$ref": "#/$defs/a"}}"##,
                true,
            ),
            (
                r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": false}, "items": {"$ref": "#/$defs/a"}}"##,
                true,
            ),
            (
                r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "items": {"$ref": "#/$defs/a"}}"##,
                false,
            ),
            (
                r##"{"$defs": {"n": {"properties": {"next": {"$ref": "#/$defs/m"}}, "required": ["v"]},
                "m": {"$ref": "#/$defs/n"}}, "$ref": "#/$defs/m"}"##,
                true,
            ),
            (r##"{"$ref": "#"}"##, false),
        ];
        let instances = [
            "[]",
            "[1, 2]",
            "[1, 1.5]",
            r#"{"v": 1, "next": {"v": 2}}"#,
            r#"{"v": 1, "next": {"w": 2}}"#,
            "1",
        ];
        let forwarded = |v: &Validator| v.compiled.nodes.iter().any(|n| n.forward.is_some());
        for (schema, forwards) in schemas {
            let parsed = parse(schema.as_bytes()).unwrap();
            let v = Validator::new(&parsed).unwrap();
            assert_eq!(forwarded(&v), forwards, "{schema}");
            assert_is_valid_agrees(&v, schema, &instances);
        }
    }
}

#[cfg(test)]
mod layout_tests {
    use super::Node;

    /// The fields the validity check reads lie in a node's first cache line (see [`Node`]).
    #[test]
    fn hot_fields_share_the_first_cache_line() {
        assert_eq!(align_of::<Node>(), 64);
        assert!(
            std::mem::offset_of!(Node, active) + size_of::<super::keywords::ActiveLists>() <= 64
        );
        assert!(std::mem::offset_of!(Node, location) >= 64);
    }
}
