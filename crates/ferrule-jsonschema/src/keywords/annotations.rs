//! Which properties and items a schema "evaluated", for `unevaluatedProperties` and
//! `unevaluatedItems`. Computed on demand, as python-jsonschema does, by walking the
//! in-place applicators of the schema over the instance (only successful branches of
//! `allOf`/`anyOf`/`oneOf`/`if` contribute).

use std::collections::HashSet;

use crate::compiler::NodeId;
use crate::json::Json;
use crate::keywords::Keyword;
use crate::keywords::items::Items;
use crate::validator::Ctx;

/// Adds to `out` the names of the instance's properties that `node` evaluates. `skip_self`
/// leaves out the `unevaluatedProperties` of `node` itself (the caller).
pub(crate) fn properties<J: Json>(
    ctx: &mut Ctx<'_, J>,
    node: NodeId,
    instance: &J,
    out: &mut HashSet<String>,
    depth: usize,
) {
    in_scope(ctx, node, depth, |ctx, keywords, depth| {
        let all = |out: &mut HashSet<String>| {
            for (k, _) in instance.members() {
                out.insert(k.as_ref().to_string());
            }
        };
        for keyword in keywords {
            match keyword {
                Keyword::Properties(p) => {
                    for (k, _) in instance.members() {
                        if p.contains(k.as_ref()) {
                            out.insert(k.as_ref().to_string());
                        }
                    }
                }
                Keyword::PatternProperties(p) => {
                    for (k, _) in instance.members() {
                        if p.matches(k.as_ref()) {
                            out.insert(k.as_ref().to_string());
                        }
                    }
                }
                Keyword::AdditionalProperties(_) => all(out),
                // A nested `unevaluatedProperties` that passed evaluated everything left over.
                Keyword::UnevaluatedProperties(_) if node != ctx.current_node() => all(out),
                Keyword::DependentSchemas(d) => {
                    for (property, sub) in &d.schemas {
                        if instance.get(property).is_some() {
                            properties(ctx, *sub, instance, out, depth);
                        }
                    }
                }
                other => {
                    follow(ctx, other, instance, out, depth, properties);
                }
            }
        }
    });
}

/// Marks in `out` (one flag per item) the items of the instance that `node` evaluates.
pub(crate) fn items<J: Json>(
    ctx: &mut Ctx<'_, J>,
    node: NodeId,
    instance: &J,
    out: &mut Vec<bool>,
    depth: usize,
) {
    in_scope(ctx, node, depth, |ctx, keywords, depth| {
        let is_self = node == ctx.current_node();
        for keyword in keywords {
            match keyword {
                Keyword::Items(Items::Rest { .. }) => out.iter_mut().for_each(|f| *f = true),
                Keyword::Items(Items::Tuple(nodes)) => mark(out, nodes.len()),
                Keyword::PrefixItems(p) => mark(out, p.nodes.len()),
                Keyword::AdditionalItems(_) => out.iter_mut().for_each(|f| *f = true),
                Keyword::Contains(c) => {
                    for (i, item) in instance.items().enumerate() {
                        if !out[i] && ctx.probe(c.node, &item) {
                            out[i] = true;
                        }
                    }
                }
                Keyword::UnevaluatedItems(u) if !is_self => {
                    for (i, item) in instance.items().enumerate() {
                        if !out[i] && ctx.probe(u.node, &item) {
                            out[i] = true;
                        }
                    }
                }
                other => {
                    follow(ctx, other, instance, out, depth, items);
                }
            }
        }
    });
}

/// Runs `walk` over `node`'s keywords one level deeper, inside `node`'s resource (so that
/// dynamic references resolve as in validation); nothing once `depth` is spent.
fn in_scope<'c, J: Json>(
    ctx: &mut Ctx<'c, J>,
    node: NodeId,
    depth: usize,
    walk: impl FnOnce(&mut Ctx<'c, J>, &[Keyword], usize),
) {
    let compiled = ctx.compiled;
    let Some(depth) = depth.checked_sub(1) else {
        return;
    };
    let n = &compiled.nodes[node as usize];
    let entered = ctx.scope.last() != Some(&n.resource);
    if entered {
        ctx.scope.push(n.resource);
    }
    walk(ctx, &n.keywords, depth);
    if entered {
        ctx.scope.pop();
    }
}

fn mark(out: &mut [bool], n: usize) {
    for f in out.iter_mut().take(n) {
        *f = true;
    }
}

type Collect<J, T> = fn(&mut Ctx<'_, J>, NodeId, &J, &mut T, usize);

/// Follows the in-place applicators both walks share (`allOf`, `anyOf`, `oneOf`, `if`, the
/// references) with `collect`; `false` for any other keyword.
fn follow<J: Json, T>(
    ctx: &mut Ctx<'_, J>,
    keyword: &Keyword,
    instance: &J,
    out: &mut T,
    depth: usize,
    collect: Collect<J, T>,
) -> bool {
    match keyword {
        Keyword::AllOf(a) => branches(ctx, &a.nodes, instance, out, depth, collect),
        Keyword::AnyOf(a) => branches(ctx, &a.nodes, instance, out, depth, collect),
        Keyword::OneOf(a) => branches(ctx, &a.nodes, instance, out, depth, collect),
        Keyword::If(i) => conditional(ctx, i, instance, out, depth, collect),
        Keyword::Ref(r) => collect(ctx, r.node, instance, out, depth),
        Keyword::DynamicRef(r) => {
            let target = r.target(ctx);
            collect(ctx, target, instance, out, depth);
        }
        Keyword::RecursiveRef(r) => {
            let target = r.target(ctx);
            collect(ctx, target, instance, out, depth);
        }
        _ => return false,
    }
    true
}

fn branches<J: Json, T>(
    ctx: &mut Ctx<'_, J>,
    nodes: &[NodeId],
    instance: &J,
    out: &mut T,
    depth: usize,
    collect: Collect<J, T>,
) {
    for &sub in nodes {
        if ctx.probe(sub, instance) {
            collect(ctx, sub, instance, out, depth);
        }
    }
}

fn conditional<J: Json, T>(
    ctx: &mut Ctx<'_, J>,
    i: &crate::keywords::if_::If,
    instance: &J,
    out: &mut T,
    depth: usize,
    collect: Collect<J, T>,
) {
    if ctx.probe(i.condition, instance) {
        collect(ctx, i.condition, instance, out, depth);
        if let Some(then) = i.then {
            collect(ctx, then, instance, out, depth);
        }
    } else if let Some(otherwise) = i.otherwise {
        collect(ctx, otherwise, instance, out, depth);
    }
}
