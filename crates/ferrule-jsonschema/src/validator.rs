//! The evaluation engine: walks the compiled arena over an instance, either short-circuiting
//! (`is_valid`) or collecting every error with its paths (`iter_errors`).

use std::sync::Arc;

use crate::compiler::{Compiled, Node, NodeId};
use crate::error::{ContextError, ErrorKind, PathItem, ValidationError};
use crate::json::{Json, Kind};

/// One step into the instance for [`Ctx::descend`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'a> {
    /// Same instance (in-place applicators: `allOf`, `$ref`, ...).
    Here,
    /// An object member.
    Key(&'a str),
    /// An array item.
    Index(usize),
}

pub(crate) struct Ctx<'c, J> {
    pub(crate) compiled: &'c Compiled,
    /// Collect errors (and maintain paths), or stop at the first failure.
    pub(crate) collect: bool,
    pub(crate) errors: Vec<ValidationError<J>>,
    pub(crate) schema_path: Vec<PathItem>,
    /// Resources entered, outermost first.
    pub(crate) scope: Vec<u32>,
    depth: usize,
    node: NodeId,
    keyword: &'static str,
    /// Whether the caller wants errors (`collect` is switched off temporarily by probes).
    report: bool,
    /// The recursion-limit error, kept apart so no applicator can swallow it.
    limit_error: Option<ValidationError<J>>,
    limit_hit: bool,
    /// The output-format trace, when [`crate::Validator::evaluate`] asked for one.
    pub(crate) trace: Option<Box<crate::output::Trace>>,
    /// Whether to stop at the first error no applicator can take back
    /// ([`crate::Validator::validate`]).
    pub(crate) first: FirstError,
    /// How many `anyOf`/`oneOf` branches are being evaluated: their errors may be dropped.
    branch_depth: u32,
}

/// The first-error mode of a [`Ctx`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstError {
    /// Every error is wanted.
    Off,
    /// Stop at the first final error.
    Looking,
    /// Found it: evaluation unwinds.
    Found,
}

impl<'c, J: Json> Ctx<'c, J> {
    pub(crate) fn new(compiled: &'c Compiled, collect: bool) -> Self {
        Ctx {
            compiled,
            collect,
            errors: Vec::new(),
            schema_path: Vec::new(),
            scope: Vec::new(),
            depth: 0,
            node: compiled.root,
            keyword: "",
            report: collect,
            limit_error: None,
            limit_hit: false,
            trace: None,
            first: FirstError::Off,
            branch_depth: 0,
        }
    }

    /// Has the recursion limit been hit? Evaluation then stops everywhere: retrying other
    /// `anyOf` branches after a runaway cycle would take exponential time.
    pub(crate) fn aborted(&self) -> bool {
        self.limit_error.is_some() || self.limit_hit
    }

    /// Evaluates `id` against `instance`.
    #[inline]
    pub(crate) fn validate(&mut self, id: NodeId, instance: &J) -> bool {
        if !self.collect {
            // Leaf schemas (`{"type": "string"}`, `{"maxLength": 3}` on a number) decided by
            // the instance's kind, without the bookkeeping of a subschema, which they cannot
            // recurse from. After a recursion-limit hit the caller's `aborted()` decides anyway.
            // Inlined into each keyword: a third of the subschemas an API document meets are
            // decided here, and the out-of-line entry's register saves cost as much.
            let node = &self.compiled.nodes[id as usize];
            if let Some(b) = node.boolean {
                return b;
            }
            let kind = instance.kind();
            if let Some(b) = node.by_kind[kind as usize] {
                return b;
            }
            if let (Some(by_value), Kind::Number) = (node.integer, kind) {
                // Ids and counts (`{"type": "integer"}`), as `Type::matches` decides them.
                return crate::keywords::type_::is_integer(instance, by_value);
            }
            // The node and the kind go along: the entry neither indexes the arena nor asks the
            // instance its kind again.
            return self.check(id, node, kind, instance);
        }
        self.validate_general(id, instance)
    }

    /// [`Ctx::validate`] with errors, traces and the recursion-limit error.
    fn validate_general(&mut self, id: NodeId, instance: &J) -> bool {
        let compiled = self.compiled;
        let node = &compiled.nodes[id as usize];
        let (saved_node, saved_keyword) = (self.node, self.keyword);
        self.node = id;
        if let Some(b) = node.boolean {
            if !b {
                self.keyword = "false";
                let referenced = saved_keyword == "$ref";
                self.error(instance, || ErrorKind::FalseSchema { referenced });
            }
            (self.node, self.keyword) = (saved_node, saved_keyword);
            return b;
        }
        if self.limit_hit || self.first == FirstError::Found {
            (self.node, self.keyword) = (saved_node, saved_keyword);
            return false;
        }
        if self.depth >= compiled.max_depth {
            self.limit_hit = true;
            if self.report {
                let location = format!("{}/$ref", node.location);
                self.limit_error = Some(ValidationError {
                    keyword: "$ref",
                    kind: ErrorKind::RecursionLimit {
                        limit: compiled.max_depth,
                    },
                    instance: instance.clone(),
                    instance_path: Vec::new(),
                    schema_path: self.schema_path.clone(),
                    absolute_keyword_location: Arc::from(location),
                });
            }
            (self.node, self.keyword) = (saved_node, saved_keyword);
            return false;
        }
        self.depth += 1;
        let entered = self.scope.last() != Some(&node.resource);
        if entered {
            self.scope.push(node.resource);
        }
        let mut valid = true;
        for keyword in &node.keywords {
            self.keyword = keyword.name();
            let ok = if self.collect {
                self.schema_path.push(PathItem::Keyword(self.keyword));
                let ok = if self.trace.is_some() {
                    self.open_keyword(self.keyword);
                    let ok = keyword.validate(self, instance);
                    self.close_keyword(ok, keyword, instance);
                    ok
                } else {
                    keyword.validate(self, instance)
                };
                self.schema_path.pop();
                if self.first == FirstError::Found {
                    valid = false;
                    break;
                }
                ok
            } else {
                keyword.validate(self, instance)
            };
            if !ok {
                valid = false;
                if !self.collect {
                    break;
                }
            }
        }
        if valid && self.trace.is_some() {
            self.trace_node_annotations(id, instance);
        }
        if entered {
            self.scope.pop();
        }
        self.depth -= 1;
        (self.node, self.keyword) = (saved_node, saved_keyword);
        valid
    }

    /// [`Ctx::validate`] past the kind-decided leaves, when only validity is asked: no schema
    /// path, no keyword names, a stop at the first failing keyword. `node` is `id`'s node, not
    /// boolean, and `kind` the instance's.
    #[inline(never)]
    fn check(&mut self, id: NodeId, node: &'c Node, kind: Kind, instance: &J) -> bool {
        if self.trace.is_some() {
            return self.validate_general(id, instance);
        }
        let compiled = self.compiled;
        // A node that is only a `$ref` is passed over (`Node::forward`); checked after
        // `by_kind`, which decides most leaves, so that they pay nothing for it.
        let (id, node) = match node.forward {
            None => (id, node),
            Some(target) => {
                let node = &compiled.nodes[target as usize];
                if let Some(b) = node.boolean {
                    return b;
                }
                if let Some(b) = node.by_kind[kind as usize] {
                    return b;
                }
                (target, node)
            }
        };
        if self.limit_hit || self.first == FirstError::Found {
            return false;
        }
        if self.depth >= compiled.max_depth {
            // The bookkeeping of the limit error lives in the general path.
            return self.validate_general(id, instance);
        }
        let saved_node = self.node;
        self.node = id;
        self.depth += 1;
        let entered = compiled.dynamic && self.scope.last() != Some(&node.resource);
        if entered {
            self.scope.push(node.resource);
        }
        let valid = node.active[kind as usize]
            .iter()
            .all(|&i| node.keywords[i as usize].validate(self, instance));
        if entered {
            self.scope.pop();
        }
        self.depth -= 1;
        self.node = saved_node;
        valid
    }

    /// Evaluates a subschema on a part of the instance, with the paths extended.
    pub(crate) fn descend(
        &mut self,
        id: NodeId,
        instance: &J,
        seg: Seg<'_>,
        schema: Option<PathItem>,
    ) -> bool {
        if !self.collect {
            return self.validate(id, instance);
        }
        if self.first == FirstError::Found {
            // `validate()` has its error: the remaining items and members of every
            // enclosing keyword skip the path bookkeeping as well as the subschema.
            return false;
        }
        let pushed_schema = schema.is_some();
        if let Some(item) = schema {
            self.schema_path.push(item);
        }
        let start = self.errors.len();
        let ok = if self.trace.is_some() {
            let item = match seg {
                Seg::Here => None,
                Seg::Key(k) => Some(PathItem::Key(k.into())),
                Seg::Index(i) => Some(PathItem::Index(i)),
            };
            let pushed_instance = item.is_some();
            self.open_subschema(id, item);
            let ok = self.validate(id, instance);
            self.close_subschema(ok, pushed_instance);
            ok
        } else {
            self.validate(id, instance)
        };
        if pushed_schema {
            self.schema_path.pop();
        }
        // Instance paths are built bottom-up, only for errors (reversed until
        // `finish_paths`): descending into a member allocates nothing unless it fails.
        if self.errors.len() > start {
            let item = match seg {
                Seg::Here => None,
                Seg::Key(k) => Some(PathItem::Key(k.into())),
                Seg::Index(i) => Some(PathItem::Index(i)),
            };
            if let Some(item) = item {
                for e in &mut self.errors[start..] {
                    e.instance_path.push(item.clone());
                }
            }
        }
        ok
    }

    /// Evaluates without collecting errors (for `not`, `if`, `contains`, annotations).
    pub(crate) fn probe(&mut self, id: NodeId, instance: &J) -> bool {
        let saved = std::mem::replace(&mut self.collect, false);
        let ok = self.validate(id, instance);
        self.collect = saved;
        ok
    }

    /// [`Ctx::probe`], except that an output trace records the subschema's units (its
    /// annotations count; its errors are not the caller's errors).
    pub(crate) fn probe_at(
        &mut self,
        id: NodeId,
        instance: &J,
        seg: Seg<'_>,
        schema: Option<PathItem>,
    ) -> bool {
        if !self.tracing() {
            return self.probe(id, instance);
        }
        let start = self.errors.len();
        let ok = self.descend(id, instance, seg, schema);
        self.errors.truncate(start);
        self.mark_probe();
        ok
    }

    /// Records an error for the current keyword (no-op when not collecting).
    pub(crate) fn error(&mut self, instance: &J, kind: impl FnOnce() -> ErrorKind) {
        let keyword = self.keyword;
        self.error_as(keyword, instance, kind);
    }

    /// Records an error under another keyword name (`minContains` reported by `contains`).
    pub(crate) fn error_as(
        &mut self,
        keyword: &'static str,
        instance: &J,
        kind: impl FnOnce() -> ErrorKind,
    ) {
        if !self.collect {
            return;
        }
        let node = &self.compiled.nodes[self.node as usize];
        let mut location = String::with_capacity(node.location.len() + keyword.len() + 1);
        location.push_str(&node.location);
        if keyword != "false" {
            location.push('/');
            location.push_str(keyword);
        }
        let schema_path = self.schema_path.clone();
        let kind = kind();
        if self.trace.is_some() {
            self.trace_error(keyword, &kind, instance);
        }
        self.errors.push(ValidationError {
            keyword,
            kind,
            instance: instance.clone(),
            instance_path: Vec::new(),
            schema_path,
            absolute_keyword_location: Arc::from(location),
        });
        if self.first == FirstError::Looking && self.branch_depth == 0 {
            self.first = FirstError::Found;
        }
    }

    /// Runs `f` over `anyOf`/`oneOf` branches, whose errors are not final.
    pub(crate) fn in_branches<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        self.branch_depth += 1;
        let result = f(self);
        self.branch_depth -= 1;
        result
    }

    /// Moves errors recorded since `start` into context errors of the current keyword, for
    /// `anyOf`/`oneOf`; the branch index is the first schema path step below the keyword.
    pub(crate) fn take_context(&mut self, start: usize) -> Vec<ContextError> {
        let schema_base = self.schema_path.len();
        self.errors
            .drain(start..)
            .map(|e| ContextError {
                branch: match e.schema_path.get(schema_base) {
                    Some(PathItem::Index(i)) => *i,
                    _ => 0,
                },
                keyword: e.keyword,
                kind: e.kind,
                relative_instance_path: e.instance_path.into_iter().rev().collect(),
                relative_schema_path: e.schema_path[schema_base.min(e.schema_path.len())..]
                    .to_vec(),
                absolute_keyword_location: e.absolute_keyword_location,
            })
            .collect()
    }

    /// How much deeper evaluation may go (annotation collection shares the budget).
    pub(crate) fn remaining_depth(&self) -> usize {
        self.compiled.max_depth.saturating_sub(self.depth)
    }

    /// The node whose keyword is being evaluated.
    pub(crate) fn current_node(&self) -> NodeId {
        self.node
    }

    /// The collected errors, their instance paths put in root-to-leaf order.
    pub(crate) fn finish(self) -> Vec<ValidationError<J>> {
        let mut errors = self.errors;
        for e in &mut errors {
            e.instance_path.reverse();
        }
        if let Some(limit) = self.limit_error {
            errors.insert(0, limit);
        }
        errors
    }
}
