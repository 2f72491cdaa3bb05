//! Flow-sensitive state: the type each local (and each narrowed field path such as `cfg.db` or
//! `self.conn`) has at the current program point, whether the point is reachable, and where a
//! value that may be nil came from.
//!
//! The state lives in place — a local's current [`Val`] in [`super::LocalVar::flow`], field
//! paths in [`Flow::paths`] — and every change is logged on a trail, so a branch is walked,
//! its end state captured ([`Walker::capture`]), and the state rolled back to where the branch
//! began ([`Walker::rollback`]); branches meet by joining their values ([`Walker::merge`]).
//! Costs follow the number of changes, not the number of locals, so the walk stays near
//! linear. Design after go-lua's flow state (`compiler/check`, SEMANTIC_MODEL.md: point state,
//! joins at merges) and the usual dataflow formulation of narrowing.

use std::collections::HashMap;
use std::sync::Arc;

use typedefs::Type;

use super::Walker;

/// Where a value that may be nil (or that is `any`) came from, for messages and for how
/// seriously a use is reported (see [`crate::rules::nil`]).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Origin {
    /// The source as messages name it: "json.decode(…)", "field `cache` of Config".
    pub(crate) source: String,
    /// What kind of source it is.
    pub(crate) kind: OriginKind,
}

/// Kinds of [`Origin`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OriginKind {
    /// The program's own declaration says so: an annotated local or parameter `T?`, the
    /// annotated return of a function of the chunk or of a library it imports.
    Declared,
    /// A contract written elsewhere says so: an optional field of a declared record (often
    /// present by an invariant the type does not express, `kind == "x"`), the return of a
    /// manifest signature (`tonumber`, `string.match`: the caller may know its input is valid).
    Contract,
    /// A field of a local of an enclosing function, read in a closure: the closure may run
    /// after code the walk cannot order with it set the field (a test's `before_each`).
    Upvalue,
    /// The value of a `(value, error?)` pair: nil when the call failed. `err` is the local
    /// holding the error, if the error was kept.
    Pair {
        /// The local holding the pair's error.
        err: Option<usize>,
    },
    /// Inferred: the returns of an unannotated function, `nil` assigned in code.
    Inferred,
    /// An element read from an array or a map (`t[1]`, `m[k]`; strict mode only).
    Element,
}

/// The flow value of a local or a field path at a program point.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Val {
    /// Its type here (narrowed).
    pub(crate) ty: Type,
    /// Where a nil (or `any`) in it came from.
    pub(crate) origin: Option<Arc<Origin>>,
    /// For a local holding the error of a `(value, error?)` pair: the locals holding the
    /// values, narrowed to non-nil when the error is.
    pub(crate) partners: Option<Arc<[usize]>>,
    /// An annotated local declared without a value and not assigned on some path here.
    pub(crate) unassigned: bool,
    /// Function nesting depth where this value was established (a closure does not trust
    /// what its enclosing function knew of a local assigned later).
    pub(crate) depth: u32,
}

impl Val {
    /// A value of type `ty` without history.
    pub(crate) fn of(ty: Type) -> Val {
        Val {
            ty,
            origin: None,
            partners: None,
            unassigned: false,
            depth: 0,
        }
    }

    /// A value of type `ty` from `origin`.
    pub(crate) fn from(ty: Type, origin: Option<Arc<Origin>>) -> Val {
        Val {
            origin,
            ..Val::of(ty)
        }
    }
}

/// A narrowed field path: local id and the dotted field names after it (`conn`, `cache.ttl`);
/// or, with [`CALL_FACT`] for the id, the text of a call proven not nil (`version:previous()`
/// in `version:previous() and version:previous():id()`).
pub(crate) type PathKey = (usize, Box<str>);

/// The "local" of a [`PathKey`] that is the text of a call expression (whitespace removed).
pub(crate) const CALL_FACT: usize = usize::MAX;

/// The key of a call expression's text: whitespace removed (comments are rare inside one).
pub(crate) fn call_key(text: &str) -> Box<str> {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One undo record of the trail.
#[derive(Debug)]
enum Undo {
    Local(usize, Val),
    Path(PathKey, Option<Val>),
    Reach(bool),
}

/// The non-local part of the flow state and the trail.
#[derive(Debug)]
pub(crate) struct Flow {
    /// Whether the current point can be reached.
    pub(crate) reachable: bool,
    /// Field paths narrowed by a condition or an assignment.
    pub(crate) paths: HashMap<PathKey, Val>,
    trail: Vec<Undo>,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            reachable: true,
            paths: HashMap::new(),
            trail: Vec::new(),
        }
    }
}

/// The end state of a branch, relative to the mark it started at: the values it changed.
#[derive(Debug, Default)]
pub(crate) struct Capture {
    /// Whether the branch's end is reachable (an unreachable capture joins as nothing).
    pub(crate) reachable: bool,
    pub(crate) locals: Vec<(usize, Val)>,
    pub(crate) paths: Vec<(PathKey, Option<Val>)>,
}

/// The join of flow values: types joined, nil kept even through `any` (`any?`), the first
/// origin of a member that may be nil, partners kept when all agree.
pub(crate) fn join_vals<'v>(vals: impl IntoIterator<Item = &'v Val>) -> Val {
    let vals: Vec<&Val> = vals.into_iter().collect();
    let Some(first) = vals.first() else {
        return Val::of(Type::Never);
    };
    if vals.iter().all(|v| v == first) {
        return (*first).clone();
    }
    let ty = join_types(vals.iter().map(|v| &v.ty));
    let origin = vals
        .iter()
        .find(|v| v.ty.is_optional() && v.origin.is_some())
        .or_else(|| vals.iter().find(|v| v.origin.is_some()))
        .and_then(|v| v.origin.clone());
    let partners = if vals.iter().all(|v| v.partners == first.partners) {
        first.partners.clone()
    } else {
        None
    };
    Val {
        ty,
        origin,
        partners,
        unassigned: vals.iter().any(|v| v.unassigned),
        depth: vals.iter().map(|v| v.depth).max().unwrap_or(0),
    }
}

/// Join of types at a merge: a nil in any member survives, also next to `any`.
pub(crate) fn join_types<'t>(tys: impl IntoIterator<Item = &'t Type>) -> Type {
    let tys: Vec<&Type> = tys.into_iter().collect();
    if let Some(first) = tys.first() {
        if tys.iter().all(|t| t == first) {
            return (*first).clone();
        }
    }
    let nil = tys.iter().any(|t| t.is_optional());
    let core = typedefs::join(
        tys.iter()
            .filter(|t| !matches!(t, Type::Nil))
            .map(|t| t.non_nil()),
    );
    match (nil, core) {
        (true, Type::Never) => Type::Nil,
        (true, core) => core.optional(),
        (false, core) => core,
    }
}

impl Walker<'_> {
    /// The current trail position: what [`Walker::capture`], [`Walker::rollback`] and
    /// [`Walker::merge`] are relative to.
    pub(crate) fn mark(&self) -> usize {
        self.flow.trail.len()
    }

    /// Drop the undo records: only where no mark is held (between top-level statements), so
    /// a chunk's trail does not keep every value its module table ever had.
    pub(crate) fn forget_trail(&mut self) {
        self.flow.trail.clear();
    }

    /// Whether the current point is reachable.
    pub(crate) fn reachable(&self) -> bool {
        self.flow.reachable
    }

    /// Set whether the current point is reachable (`false` after `return`, `break`, `error`).
    pub(crate) fn set_reachable(&mut self, r: bool) {
        if self.flow.reachable != r {
            self.flow.trail.push(Undo::Reach(self.flow.reachable));
            self.flow.reachable = r;
        }
    }

    /// Replace the flow value of local `id` from here on.
    pub(crate) fn set_flow(&mut self, id: usize, mut v: Val) {
        v.depth = self.frames.len() as u32;
        if self.locals[id].flow == v {
            return;
        }
        let old = std::mem::replace(&mut self.locals[id].flow, v);
        self.flow.trail.push(Undo::Local(id, old));
    }

    /// Replace (or with `None`, forget) the narrowed value of a field path.
    pub(crate) fn set_path(&mut self, key: PathKey, v: Option<Val>) {
        let old = match &v {
            Some(v) => {
                if self.flow.paths.get(&key) == Some(v) {
                    return;
                }
                self.flow.paths.insert(key.clone(), v.clone())
            }
            None => match self.flow.paths.remove(&key) {
                Some(old) => Some(old),
                None => return,
            },
        };
        self.flow.trail.push(Undo::Path(key, old));
    }

    /// Forget the narrowed field paths of local `id` at `prefix` and under it (`""`: all).
    /// Assigning the local (`prefix` `""`) also forgets the call facts that mention it.
    pub(crate) fn forget_paths(&mut self, id: usize, prefix: &str) {
        if self.flow.paths.is_empty() {
            return;
        }
        if prefix.is_empty() && id < self.locals.len() {
            let name = self.locals[id].name.as_str();
            let stale: Vec<PathKey> = self
                .flow
                .paths
                .keys()
                .filter(|(l, text)| *l == CALL_FACT && text.contains(name))
                .cloned()
                .collect();
            for k in stale {
                self.set_path(k, None);
            }
        }
        let keys: Vec<PathKey> = self
            .flow
            .paths
            .keys()
            .filter(|(l, p)| {
                *l == id
                    && (prefix.is_empty()
                        || &**p == prefix
                        || p.strip_prefix(prefix).is_some_and(|r| r.starts_with('.')))
            })
            .cloned()
            .collect();
        for k in keys {
            self.set_path(k, None);
        }
    }

    /// The end state of the branch walked since `mark`.
    pub(crate) fn capture(&self, mark: usize) -> Capture {
        if !self.flow.reachable {
            return Capture::default();
        }
        let mut locals: Vec<(usize, Val)> = Vec::new();
        let mut paths: Vec<(PathKey, Option<Val>)> = Vec::new();
        let mut seen_l = std::collections::HashSet::new();
        let mut seen_p = std::collections::HashSet::new();
        for u in &self.flow.trail[mark..] {
            match u {
                Undo::Local(id, _) if *id < self.locals.len() && seen_l.insert(*id) => {
                    locals.push((*id, self.locals[*id].flow.clone()));
                }
                Undo::Path(k, _) if seen_p.insert(k.clone()) => {
                    paths.push((k.clone(), self.flow.paths.get(k).cloned()));
                }
                _ => {}
            }
        }
        Capture {
            reachable: true,
            locals,
            paths,
        }
    }

    /// The values at `mark` of the locals changed since.
    pub(crate) fn values_at(&self, mark: usize) -> HashMap<usize, Val> {
        let mut out: HashMap<usize, Val> = HashMap::new();
        for u in &self.flow.trail[mark..] {
            if let Undo::Local(id, v) = u {
                out.entry(*id).or_insert_with(|| v.clone());
            }
        }
        out
    }

    /// `v` as the value of local `id` is read here: in a function nested in the one that
    /// declared a local assigned after its declaration, a value established outside the
    /// function stands for the local's whole-scope type (the closure may run at any point).
    pub(crate) fn effective(&self, id: usize, v: Val) -> Val {
        let l = &self.locals[id];
        let here = self.frames.len();
        if l.depth < here && l.reassigned && (v.depth as usize) < here {
            let origin = l.base.is_optional().then(|| {
                super::narrow::origin(
                    format!("`{}` is assigned elsewhere and read in a closure", l.name),
                    OriginKind::Upvalue,
                )
            });
            Val::from(l.base.clone(), origin)
        } else {
            v
        }
    }

    /// The value of local `id` over its whole scope (its base type), with where a nil in it
    /// comes from: its declaration, or code.
    pub(crate) fn whole_scope_val(&self, id: usize) -> Val {
        let l = &self.locals[id];
        let origin = l.base.is_optional().then(|| {
            let (why, kind) = if l.annotated {
                (
                    format!("`{}` is declared {}", l.name, l.base),
                    OriginKind::Declared,
                )
            } else {
                (
                    format!("`{}` may be assigned nil", l.name),
                    OriginKind::Inferred,
                )
            };
            super::narrow::origin(why, kind)
        });
        Val::from(l.base.clone(), origin)
    }

    /// Undo every change since `mark`.
    pub(crate) fn rollback(&mut self, mark: usize) {
        while self.flow.trail.len() > mark {
            match self.flow.trail.pop() {
                Some(Undo::Local(id, v)) => {
                    if let Some(l) = self.locals.get_mut(id) {
                        l.flow = v;
                    }
                }
                Some(Undo::Path(k, v)) => match v {
                    Some(v) => {
                        self.flow.paths.insert(k, v);
                    }
                    None => {
                        self.flow.paths.remove(&k);
                    }
                },
                Some(Undo::Reach(r)) => self.flow.reachable = r,
                None => break,
            }
        }
    }

    /// Join the current state (one branch, walked since `mark`) with `others` (branches
    /// captured relative to the same mark): each value changed by any branch becomes the join
    /// of its values over the branches that reach the merge.
    pub(crate) fn merge(&mut self, mark: usize, others: Vec<Capture>) {
        let others: Vec<Capture> = others.into_iter().filter(|c| c.reachable).collect();
        if others.is_empty() {
            return;
        }
        let current_live = self.flow.reachable;
        // Values at the mark of everything changed since.
        let mut at_mark_l: HashMap<usize, Val> = HashMap::new();
        let mut at_mark_p: HashMap<PathKey, Option<Val>> = HashMap::new();
        for u in &self.flow.trail[mark..] {
            match u {
                Undo::Local(id, v) => {
                    at_mark_l.entry(*id).or_insert_with(|| v.clone());
                }
                Undo::Path(k, v) => {
                    at_mark_p.entry(k.clone()).or_insert_with(|| v.clone());
                }
                Undo::Reach(_) => {}
            }
        }
        let mut local_keys: Vec<usize> = at_mark_l.keys().copied().collect();
        let mut path_keys: Vec<PathKey> = at_mark_p.keys().cloned().collect();
        for c in &others {
            local_keys.extend(c.locals.iter().map(|(id, _)| *id));
            path_keys.extend(c.paths.iter().map(|(k, _)| k.clone()));
        }
        local_keys.sort_unstable();
        local_keys.dedup();
        path_keys.sort();
        path_keys.dedup();
        for id in local_keys {
            if id >= self.locals.len() {
                continue;
            }
            let base = at_mark_l
                .get(&id)
                .cloned()
                .unwrap_or_else(|| self.locals[id].flow.clone());
            let mut vals: Vec<Val> = Vec::with_capacity(others.len() + 1);
            if current_live {
                vals.push(self.effective(id, self.locals[id].flow.clone()));
            }
            for c in &others {
                let v = c
                    .locals
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map_or_else(|| base.clone(), |(_, v)| v.clone());
                vals.push(self.effective(id, v));
            }
            let joined = join_vals(vals.iter());
            self.set_flow(id, joined);
        }
        for k in path_keys {
            let base = match at_mark_p.get(&k) {
                Some(v) => v.clone(),
                None => self.flow.paths.get(&k).cloned(),
            };
            let mut vals: Vec<Option<Val>> = Vec::new();
            if current_live {
                vals.push(self.flow.paths.get(&k).cloned());
            }
            for c in &others {
                vals.push(
                    c.paths
                        .iter()
                        .find(|(i, _)| *i == k)
                        .map_or_else(|| base.clone(), |(_, v)| v.clone()),
                );
            }
            // A path not narrowed in some branch has its declared type there.
            let joined = if vals.iter().all(Option::is_some) {
                Some(join_vals(vals.iter().flatten()))
            } else {
                None
            };
            self.set_path(k, joined);
        }
        self.set_reachable(true);
    }
}
