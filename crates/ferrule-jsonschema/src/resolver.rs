//! The registry of schema resources: every document the compiler has seen (the root schema,
//! embedded metaschemas, documents from the caller's [`Retrieve`]), indexed by base URI,
//! anchor, and the base URI / draft in force at each subschema location.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use crate::draft::{Draft, METASCHEMAS, Shape, Vocabularies};
use crate::error::{SchemaError, SchemaErrorKind};
use crate::hash::Map;
use crate::uri::{encode_pointer_token, percent_decode, resolve, split_fragment};
use crate::value::Value;

/// Supplies remote documents for `$ref`s the registry does not hold. The core never touches the
/// network or the file system itself.
pub trait Retrieve: Send + Sync {
    /// Returns the document at `uri` (absolute, without fragment).
    fn retrieve(&self, uri: &str) -> Result<Value, Box<dyn std::error::Error + Send + Sync>>;
}

/// The base URI given to a root schema without `$id` (as python-jsonschema uses `""`, refs
/// like `#/$defs/a` and relative `$id`s still resolve against it).
pub(crate) const DEFAULT_BASE: &str = "json-schema:///";

/// A location inside a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Loc {
    pub(crate) doc: usize,
    /// JSON pointer (decoded tokens re-encoded per RFC 6901, no URI encoding).
    pub(crate) pointer: String,
}

/// What is in force at a subschema location.
#[derive(Debug, Clone)]
pub(crate) struct LocInfo {
    /// Base URI (the enclosing resource's URI).
    pub(crate) base: Arc<str>,
    pub(crate) draft: Draft,
    pub(crate) vocabularies: Vocabularies,
}

#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub(crate) loc: Loc,
    pub(crate) recursive_anchor: bool,
    /// `$dynamicAnchor` names declared directly in this resource.
    pub(crate) dynamic_anchors: Vec<String>,
}

pub(crate) struct Registry<'r> {
    pub(crate) docs: Vec<Arc<Value>>,
    pub(crate) resources: Map<String, Resource>,
    anchors: Map<(String, String), Loc>,
    /// Per document, by pointer: looked up by `&str`, so probing a location's ancestors
    /// allocates nothing.
    info: Vec<Map<String, LocInfo>>,
    retriever: Option<&'r dyn Retrieve>,
    default_draft: Draft,
    max_depth: usize,
    /// Shared with the compiler, which reads values while it holds the registry mutably.
    pub(crate) members: Rc<MemberIndex>,
}

/// Member positions of the large objects of the registry's documents, built on first lookup:
/// a pointer through FHIR's 680 `definitions` would otherwise compare keys one by one, for
/// each of the 15,000 subschemas compiled. Keyed by the object's address, which is stable
/// because documents are shared and never change while the registry lives.
#[derive(Default)]
pub(crate) struct MemberIndex(RefCell<Map<usize, Map<Box<str>, usize>>>);

/// Objects with more members than this are indexed; smaller ones are scanned.
const INDEXED_MEMBERS: usize = 32;

impl MemberIndex {
    /// [`Value::pointer`], through the index for large objects.
    pub(crate) fn pointer<'v>(&self, root: &'v Value, pointer: &str) -> Option<&'v Value> {
        if pointer.is_empty() {
            return Some(root);
        }
        let mut current = root;
        for raw in pointer.strip_prefix('/')?.split('/') {
            current = self.step(current, &crate::value::unescape_token(raw))?;
        }
        Some(current)
    }

    /// The value below `parent` at the (decoded) `tokens`: a subschema found from the schema
    /// that holds it, not by a pointer walk from the document's root.
    pub(crate) fn child<'v>(&self, parent: &'v Value, tokens: &[&str]) -> Option<&'v Value> {
        tokens
            .iter()
            .try_fold(parent, |v, token| self.step(v, token))
    }

    /// The member or item `token` (decoded) names in `current`.
    fn step<'v>(&self, current: &'v Value, token: &str) -> Option<&'v Value> {
        match current {
            Value::Object(members) if members.len() > INDEXED_MEMBERS => {
                let mut index = self.0.borrow_mut();
                let positions = index
                    .entry(std::ptr::from_ref(current) as usize)
                    .or_insert_with(|| {
                        let mut positions = crate::hash::with_capacity(members.len());
                        for (i, (k, _)) in members.iter().enumerate() {
                            // The first of repeated keys, as `Value::get` finds it.
                            positions.entry(k.as_str().into()).or_insert(i);
                        }
                        positions
                    });
                Some(&members[*positions.get(token)?].1)
            }
            Value::Object(_) => current.get(token),
            Value::Array(items) => crate::value::item_at(items, token),
            _ => None,
        }
    }
}

impl<'r> Registry<'r> {
    pub(crate) fn new(
        retriever: Option<&'r dyn Retrieve>,
        default_draft: Draft,
        max_depth: usize,
    ) -> Self {
        Registry {
            docs: Vec::new(),
            resources: Map::default(),
            anchors: Map::default(),
            info: Vec::new(),
            retriever,
            default_draft,
            max_depth,
            members: Rc::default(),
        }
    }

    /// Adds a document under `uri` (its own `$id`, when present, is registered too).
    pub(crate) fn add_document(
        &mut self,
        value: Arc<Value>,
        uri: &str,
        inherited: Draft,
    ) -> Result<usize, SchemaError> {
        self.add_document_as(value, uri, inherited, false)
    }

    /// [`Registry::add_document`]; with `force`, `inherited` applies even if the document
    /// declares another draft (python-jsonschema's `Draft7Validator(schema)`).
    pub(crate) fn add_document_as(
        &mut self,
        value: Arc<Value>,
        uri: &str,
        inherited: Draft,
        force: bool,
    ) -> Result<usize, SchemaError> {
        let doc = self.docs.len();
        self.docs.push(Arc::clone(&value));
        self.info.push(Map::default());
        let (draft, vocabularies) = if force {
            (inherited, Vocabularies::ALL)
        } else {
            self.draft_of(&value, inherited)
        };
        let uri = normalize(uri);
        self.resources.insert(
            uri.clone(),
            Resource {
                loc: Loc {
                    doc,
                    pointer: String::new(),
                },
                recursive_anchor: false,
                dynamic_anchors: Vec::new(),
            },
        );
        self.walk(doc, &value, &uri, draft, vocabularies)?;
        Ok(doc)
    }

    /// The draft (and vocabularies) a schema declares through `$schema`, else `inherited`.
    fn draft_of(&mut self, value: &Value, inherited: Draft) -> (Draft, Vocabularies) {
        let Some(uri) = value.get("$schema").and_then(Value::as_str) else {
            return (inherited, Vocabularies::ALL);
        };
        if let Some(draft) = Draft::from_uri(uri) {
            return (draft, Vocabularies::ALL);
        }
        // A custom metaschema: its own `$schema` gives the draft, its `$vocabulary` which
        // keywords are in force.
        let (uri, _) = split_fragment(uri);
        let Ok(loc) = self.lookup(uri, inherited) else {
            // An unknown metaschema: python-jsonschema warns and validates with its default
            // draft; so do we (the binding can warn).
            return (inherited, Vocabularies::ALL);
        };
        let meta = self.docs[loc.doc]
            .pointer(&loc.pointer)
            .cloned()
            .unwrap_or(Value::Null);
        let draft = meta
            .get("$schema")
            .and_then(Value::as_str)
            .and_then(Draft::from_uri)
            .unwrap_or(inherited);
        let vocabularies = meta
            .get("$vocabulary")
            .map_or(Vocabularies::ALL, Vocabularies::from_declaration);
        (draft, vocabularies)
    }

    /// Indexes every subschema of a document: resources, anchors, and the base URI, draft and
    /// vocabularies at each location. Iterative (a work list), so schema depth costs heap.
    fn walk(
        &mut self,
        doc: usize,
        root: &Value,
        base: &str,
        draft: Draft,
        vocabularies: Vocabularies,
    ) -> Result<(), SchemaError> {
        let mut work: Vec<Walk<'_>> = vec![Walk {
            value: root,
            pointer: String::new(),
            base: base.into(),
            draft,
            vocabularies,
            depth: 0,
        }];
        while let Some(item) = work.pop() {
            if item.depth > self.max_depth {
                return Err(SchemaError {
                    kind: SchemaErrorKind::TooDeep,
                    location: format!("{}#{}", item.base, item.pointer),
                });
            }
            self.visit(doc, item, &mut work);
        }
        Ok(())
    }

    /// Indexes one subschema and queues its children.
    #[expect(
        clippy::too_many_lines,
        reason = "one pass over the identifying keywords"
    )]
    fn visit<'v>(&mut self, doc: usize, item: Walk<'v>, work: &mut Vec<Walk<'v>>) {
        let Walk {
            value,
            pointer,
            mut base,
            mut draft,
            mut vocabularies,
            depth,
        } = item;
        let is_root = depth == 0;
        let loc = Loc { doc, pointer };
        let Value::Object(members) = value else {
            self.info[doc].insert(
                loc.pointer,
                LocInfo {
                    base,
                    draft,
                    vocabularies,
                },
            );
            return;
        };
        let has_ref = value.get("$ref").is_some();
        let id = value.get(draft.id_keyword()).and_then(Value::as_str);
        let id = if draft.ref_overrides_siblings() && has_ref {
            None
        } else {
            id
        };
        if let Some(id) = id {
            if !is_root && value.get("$schema").is_some() {
                (draft, vocabularies) = self.draft_of(value, draft);
            }
            let resolved = resolve(&base, id);
            let (uri, fragment) = split_fragment(&resolved);
            if draft <= Draft::Draft7 && id.starts_with('#') {
                // `"$id": "#foo"` is a location-independent name before 2019-09.
                self.anchors
                    .insert((base.to_string(), fragment.to_string()), loc.clone());
            } else {
                let uri = normalize(uri);
                self.resources.insert(
                    uri.clone(),
                    Resource {
                        loc: loc.clone(),
                        recursive_anchor: false,
                        dynamic_anchors: Vec::new(),
                    },
                );
                if !fragment.is_empty() && draft <= Draft::Draft7 {
                    self.anchors
                        .insert((uri.clone(), fragment.to_string()), loc.clone());
                }
                base = uri.into();
            }
        }
        if draft >= Draft::Draft201909 {
            if let Some(anchor) = value.get("$anchor").and_then(Value::as_str) {
                self.anchors
                    .insert((base.to_string(), anchor.to_string()), loc.clone());
            }
            if draft >= Draft::Draft202012 {
                if let Some(anchor) = value.get("$dynamicAnchor").and_then(Value::as_str) {
                    self.anchors
                        .insert((base.to_string(), anchor.to_string()), loc.clone());
                    if let Some(r) = self.resources.get_mut(&*base) {
                        r.dynamic_anchors.push(anchor.to_string());
                    }
                }
            } else if value.get("$recursiveAnchor").and_then(Value::as_bool) == Some(true) {
                if let Some(r) = self.resources.get_mut(&*base) {
                    if r.loc == loc {
                        r.recursive_anchor = true;
                    }
                }
            }
        }
        let ref_only = draft.ref_overrides_siblings() && has_ref;
        for (key, child) in members {
            let Some(shape) = draft.subschema_shape(key) else {
                continue;
            };
            // Siblings of `$ref` are ignored up to draft 7, but their `definitions` may still
            // be targets of pointers.
            if ref_only && key != "definitions" {
                continue;
            }
            let mut push = |suffix: &[&str], v: &'v Value| {
                let extra: usize = suffix.iter().map(|t| t.len() + 1).sum();
                let mut p = String::with_capacity(loc.pointer.len() + extra);
                p.push_str(&loc.pointer);
                for token in suffix {
                    p.push('/');
                    encode_token(token, &mut p);
                }
                work.push(Walk {
                    value: v,
                    pointer: p,
                    base: Arc::clone(&base),
                    draft,
                    vocabularies,
                    depth: depth + 1,
                });
            };
            match (shape, child) {
                (Shape::Single | Shape::SingleOrArray, Value::Object(_) | Value::Bool(_)) => {
                    push(&[key], child);
                }
                (Shape::Array | Shape::SingleOrArray, Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        push(&[key, &i.to_string()], item);
                    }
                }
                (Shape::Map | Shape::MapOfSchemaOrOther, Value::Object(map)) => {
                    for (k, v) in map {
                        if matches!(v, Value::Object(_) | Value::Bool(_)) {
                            push(&[key, k], v);
                        }
                    }
                }
                _ => {}
            }
        }
        self.info[doc].insert(
            loc.pointer,
            LocInfo {
                base,
                draft,
                vocabularies,
            },
        );
    }

    /// Resolves an absolute URI (with optional fragment) to a location, loading embedded
    /// metaschemas and retrieving remote documents as needed.
    pub(crate) fn lookup(&mut self, uri: &str, inherited: Draft) -> Result<Loc, SchemaError> {
        let (base, fragment) = split_fragment(uri);
        let base = normalize(base);
        if !self.resources.contains_key(&base) {
            self.load(&base, inherited)?;
        }
        let unresolvable = |reason: &str| SchemaError {
            kind: SchemaErrorKind::UnresolvableRef {
                reference: uri.to_string(),
                reason: reason.to_string(),
            },
            location: uri.to_string(),
        };
        let resource = &self.resources[&base];
        let fragment = percent_decode(fragment);
        if fragment.is_empty() {
            return Ok(resource.loc.clone());
        }
        if fragment.starts_with('/') {
            let loc = Loc {
                doc: resource.loc.doc,
                pointer: format!("{}{}", resource.loc.pointer, fragment),
            };
            if self
                .members
                .pointer(&self.docs[loc.doc], &loc.pointer)
                .is_none()
            {
                return Err(unresolvable("no such location"));
            }
            return Ok(loc);
        }
        self.anchors
            .get(&(base, fragment))
            .cloned()
            .ok_or_else(|| unresolvable("no such anchor"))
    }

    fn load(&mut self, uri: &str, inherited: Draft) -> Result<(), SchemaError> {
        if let Some(index) = METASCHEMAS.iter().position(|(u, _)| *u == uri) {
            // Parsed once per process: Swagger's schema refers to draft 4's, and parsing it
            // again for each compile cost a twentieth of compiling the schema.
            static PARSED: [OnceLock<Arc<Value>>; METASCHEMAS.len()] =
                [const { OnceLock::new() }; METASCHEMAS.len()];
            let value = PARSED[index].get_or_init(|| {
                Arc::new(
                    crate::parser::parse(METASCHEMAS[index].1.as_bytes())
                        .expect("embedded metaschemas are valid JSON"),
                )
            });
            let draft = value
                .get("$schema")
                .and_then(Value::as_str)
                .and_then(Draft::from_uri)
                .unwrap_or(inherited);
            self.add_document(Arc::clone(value), uri, draft)?;
            return Ok(());
        }
        let Some(retriever) = self.retriever else {
            return Err(SchemaError {
                kind: SchemaErrorKind::UnresolvableRef {
                    reference: uri.to_string(),
                    reason: "not in the registry, and no retriever was given".to_string(),
                },
                location: uri.to_string(),
            });
        };
        match retriever.retrieve(uri) {
            Ok(value) => {
                self.add_document(Arc::new(value), uri, inherited)?;
                Ok(())
            }
            Err(source) => Err(SchemaError {
                kind: SchemaErrorKind::Retrieve {
                    uri: uri.to_string(),
                    source,
                },
                location: uri.to_string(),
            }),
        }
    }

    /// The base URI, draft and vocabularies in force at `loc`. Locations the walk did not
    /// index (a pointer into an unknown keyword) inherit from the nearest indexed ancestor.
    pub(crate) fn info(&self, loc: &Loc) -> LocInfo {
        let mut pointer = loc.pointer.as_str();
        loop {
            if let Some(info) = self.info.get(loc.doc).and_then(|doc| doc.get(pointer)) {
                return info.clone();
            }
            match pointer.rfind('/') {
                Some(i) => pointer = &pointer[..i],
                None => {
                    return LocInfo {
                        base: DEFAULT_BASE.into(),
                        draft: self.default_draft,
                        vocabularies: Vocabularies::ALL,
                    };
                }
            }
        }
    }

    /// The value at a location.
    pub(crate) fn value(&self, loc: &Loc) -> Option<&Value> {
        self.members.pointer(&self.docs[loc.doc], &loc.pointer)
    }

    /// `uri#pointer` for a location, the pointer taken relative to its resource.
    pub(crate) fn absolute(&self, loc: &Loc, base: &str) -> String {
        let mut out = String::with_capacity(base.len() + loc.pointer.len() + 1);
        self.absolute_into(loc, base, &mut out);
        out
    }

    /// [`Registry::absolute`], written into `out` (cleared first): the compiler reuses one
    /// buffer for every node's location, then copies it into the node's `Arc<str>`.
    pub(crate) fn absolute_into(&self, loc: &Loc, base: &str, out: &mut String) {
        out.clear();
        let resource_pointer = self.resources.get(base).map_or("", |r| {
            if r.loc.doc == loc.doc && loc.pointer.starts_with(&r.loc.pointer) {
                r.loc.pointer.as_str()
            } else {
                ""
            }
        });
        out.push_str(base);
        out.push('#');
        let tail = &loc.pointer[resource_pointer.len()..];
        // Decoding then re-encoding each token changes nothing when no token holds `~` or a
        // character the fragment percent-encodes: the common case, copied whole.
        // A byte scan: `str::contains` with a set of `char`s decodes every character and
        // took two thirds of this function on FHIR's 15,000 locations.
        if !tail
            .bytes()
            .any(|b| matches!(b, b'~' | b'%' | b'"' | b' ' | b'#'))
        {
            out.push_str(tail);
            return;
        }
        for token in tail.split('/').skip(1) {
            out.push('/');
            encode_pointer_token(&crate::value::unescape_token(token), out);
        }
    }
}

/// A subschema waiting to be indexed.
struct Walk<'v> {
    value: &'v Value,
    pointer: String,
    base: Arc<str>,
    draft: Draft,
    vocabularies: Vocabularies,
    depth: usize,
}

/// Encodes a JSON pointer token (RFC 6901).
pub(crate) fn encode_token(token: &str, out: &mut String) {
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Registry keys: no empty fragment (`http://x/s#` is `http://x/s`).
pub(crate) fn normalize(uri: &str) -> String {
    uri.trim_end_matches('#').to_string()
}
