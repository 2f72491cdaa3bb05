//! Statements: locals, assignments (with the `(value, error?)` pairs of a call), control flow
//! with the flow state joined where branches meet (`flow.rs`), narrowing by conditions in the
//! blocks they guard and after early exits (`narrow.rs`), loops (`loops.rs`), `assert(x)`,
//! `error(…)`, `goto` and labels, and function declarations.

use std::sync::Arc;

use full_moon::ast::{Block, Expression, FunctionDeclaration, Stmt, Var};
use full_moon::tokenizer::TokenReference;
use typedefs::Type;

use super::flow::{Origin, OriginKind, Val};
use super::narrow::origin;
use super::{ident, span, LocalKind, Walker};

/// A value of an expression list with where it came from.
pub(crate) struct Value {
    pub(crate) ty: Type,
    pub(crate) origin: Option<Arc<Origin>>,
    /// Index of the error of the `(value, error?)` pair this value belongs to, with the callee.
    pub(crate) pair: Option<(usize, String)>,
    /// No expression gives it (`local a, b = 1`): nil by padding.
    pub(crate) padded: bool,
}

impl Walker<'_> {
    pub(crate) fn block(&mut self, b: &Block) {
        self.push_scope();
        self.block_in_scope(b);
        self.pop_scope();
    }

    /// A block whose locals go into the current scope (function bodies declare params first).
    pub(crate) fn block_in_scope(&mut self, b: &Block) {
        for s in b.stmts() {
            self.unreachable_hint(span(s));
            self.stmt(s);
            if self.scopes.len() == 1 && self.frames.is_empty() && self.loops.is_empty() {
                // Between statements of the chunk's top level nothing can roll back.
                self.forget_trail();
            }
        }
        if let Some(last) = b.last_stmt() {
            self.last_stmt(last);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        // Scope ends only matter for the editor index; computing spans is not free.
        if !self.env.index {
            return self.stmt_inner(s);
        }
        let outer = std::mem::replace(&mut self.end_hint, span(s).end);
        self.stmt_inner(s);
        self.end_hint = outer;
    }

    fn stmt_inner(&mut self, s: &Stmt) {
        match s {
            Stmt::LocalAssignment(la) => {
                let exprs: Vec<&Expression> = la.expressions().iter().collect();
                let names: Vec<&TokenReference> = la.names().iter().collect();
                let values = self.values(la.expressions(), names.len());
                let mut ids = Vec::with_capacity(names.len());
                for (i, name) in names.iter().enumerate() {
                    let value = values.get(i).filter(|v| !v.padded);
                    if let (Some(declared), Some(value)) = (self.annotation(name), value) {
                        let e = exprs.get(i).copied().filter(|_| i < exprs.len());
                        let o = value.origin.clone();
                        self.check_assignable(&value.ty, &declared, ident(name), span(*name), e, o);
                    }
                    let ty = match value.map(|v| &v.ty) {
                        Some(Type::Nil) | None => Type::Any,
                        Some(t) => t.widen(),
                    };
                    let is_require =
                        names.len() == 1 && exprs.first().is_some_and(|e| self.is_require_call(e));
                    let kind = if is_require {
                        LocalKind::Import
                    } else {
                        LocalKind::Local
                    };
                    let id = self.declare(name, ty, kind);
                    let unset = matches!(value.map(|v| &v.ty), Some(Type::Nil) | None);
                    self.locals[id].pending = !self.locals[id].annotated && unset;
                    if unset {
                        if value.is_none() {
                            self.declare_unset(id);
                        } else if !self.locals[id].annotated {
                            self.locals[id].flow = Val::from(
                                Type::Nil,
                                Some(origin(
                                    format!("`{}` is assigned nil", ident(name)),
                                    OriginKind::Inferred,
                                )),
                            );
                        } else if !matches!(
                            self.locals[id].base.non_nil(),
                            Type::Any | Type::Unknown
                        ) {
                            self.locals[id].flow.ty = Type::Nil;
                        }
                    } else if let Some(v) = value {
                        let l = &self.locals[id];
                        let v2 = if l.annotated {
                            let ty = super::scope::assigned_narrow(&l.base, &v.ty);
                            let origin = if ty.is_optional() {
                                l.flow.origin.clone()
                            } else {
                                None
                            };
                            Val::from(ty, origin)
                        } else {
                            let keep = l.flow.ty.is_optional()
                                || matches!(l.flow.ty, Type::Any | Type::Unknown);
                            Val::from(l.flow.ty.clone(), v.origin.clone().filter(|_| keep))
                        };
                        let depth = self.locals[id].flow.depth;
                        self.locals[id].flow = Val { depth, ..v2 };
                    }
                    ids.push(Some(id));
                }
                self.bind_pairs(&ids, &values, &names);
            }
            Stmt::LocalFunction(lf) => {
                let sig = self.signature_of(lf.body(), None);
                let id = self.declare(lf.name(), sig, LocalKind::Function);
                let f = self.function_body(lf.body(), None, None);
                self.set_local_type(id, f);
            }
            Stmt::FunctionDeclaration(fd) => self.function_declaration(fd),
            Stmt::Assignment(a) => {
                let n = a.variables().len();
                let exprs: Vec<&Expression> = a.expressions().iter().collect();
                let values = self.values(a.expressions(), n);
                let mut ids = Vec::with_capacity(n);
                for (i, v) in a.variables().iter().enumerate() {
                    let value = values.get(i);
                    let ty = value.map_or(Type::Nil, |v| v.ty.clone());
                    let o = value.and_then(|v| v.origin.clone());
                    ids.push(self.assign(v, ty, exprs.get(i).copied(), o));
                }
                let names: Vec<&TokenReference> = a
                    .variables()
                    .iter()
                    .map(|v| match v {
                        Var::Name(t) => Some(t),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()
                    .unwrap_or_default();
                if names.len() == n {
                    self.bind_pairs(&ids, &values, &names);
                }
            }
            Stmt::FunctionCall(c) => {
                self.call(c);
                self.call_statement_flow(c);
            }
            Stmt::Do(d) => self.block(d.block()),
            Stmt::While(w) => {
                let cond = w.condition();
                let exit = self.narrow(cond, false);
                self.walk_loop(
                    |w2| {
                        let probed = w2.condition(cond);
                        let yes = w2.narrow(cond, true);
                        let mark = w2.mark();
                        w2.apply(yes);
                        w2.guarded_block(w.block(), probed);
                        let _ = mark;
                        None
                    },
                    exit,
                );
            }
            Stmt::Repeat(r) => {
                self.walk_loop(
                    |w| {
                        w.push_scope();
                        w.block_in_scope(r.block());
                        w.expr(r.until());
                        let until = w.narrow(r.until(), true);
                        w.pop_scope();
                        Some(until)
                    },
                    Default::default(),
                );
            }
            Stmt::If(i) => {
                let mut arms: Vec<(&Expression, &Block)> = vec![(i.condition(), i.block())];
                for ei in i.else_if().into_iter().flatten() {
                    arms.push((ei.condition(), ei.block()));
                }
                self.if_chain(&arms, i.else_block());
            }
            Stmt::NumericFor(f) => {
                let start = self.expr(f.start());
                self.expr(f.end());
                let step = f.step().map(|s| self.expr(s));
                let ty = super::loops::numeric_for_type(&start, step.as_ref());
                self.walk_loop(
                    |w| {
                        w.push_scope();
                        w.declare(f.index_variable(), ty.clone(), LocalKind::LoopVar);
                        w.block_in_scope(f.block());
                        w.pop_scope();
                        None
                    },
                    Default::default(),
                );
            }
            Stmt::GenericFor(f) => {
                let iter = self.expr_list(f.expressions(), 3);
                let elem = iteration_types(&iter);
                self.walk_loop(
                    |w| {
                        w.push_scope();
                        for (i, name) in f.names().iter().enumerate() {
                            w.declare(
                                name,
                                elem.get(i).cloned().unwrap_or(Type::Any),
                                LocalKind::LoopVar,
                            );
                        }
                        w.block_in_scope(f.block());
                        w.pop_scope();
                        None
                    },
                    Default::default(),
                );
            }
            Stmt::CompoundAssignment(c) => {
                self.expr(c.rhs());
                self.read_var(c.lhs());
            }
            Stmt::Goto(g) => self.goto(ident(g.label_name())),
            Stmt::Label(l) => self.label(ident(l.name())),
            _ => {}
        }
    }

    /// `if c1 then … elseif c2 then … else … end`: each block walked with its condition
    /// true and the earlier ones false; the states at the ends of the blocks that can reach
    /// the end are joined.
    fn if_chain(&mut self, arms: &[(&Expression, &Block)], else_block: Option<&Block>) {
        let mark = self.mark();
        let mut ends = Vec::with_capacity(arms.len());
        for (cond, block) in arms {
            let probed = self.condition(cond);
            let yes = self.narrow(cond, true);
            let no = self.narrow(cond, false);
            let m = self.mark();
            self.record_narrowed(&yes, span(*block));
            self.apply(yes);
            self.guarded_block(block, probed);
            ends.push(self.capture(mark));
            self.rollback(m);
            self.apply(no);
        }
        if let Some(b) = else_block {
            self.block(b);
        }
        let before = self.env.index.then(|| self.values_at(mark));
        self.merge(mark, ends);
        if let Some(before) = before {
            self.record_after_exit(before);
        }
    }

    /// For the editor: locals narrowed by an `if` whose other branches exit (`if not x then
    /// return end`) keep their narrowed type to the end of the enclosing block.
    fn record_after_exit(&mut self, before: std::collections::HashMap<usize, Val>) {
        let (Some(&end), start) = (self.scope_ends.last(), self.end_hint) else {
            return;
        };
        if start >= end {
            return;
        }
        for (id, old) in before {
            let Some(now) = self.locals.get(id).map(|l| &l.flow) else {
                continue;
            };
            if now.ty != old.ty && !now.ty.is_optional() {
                self.use_types.push(super::index::UseType {
                    local: id,
                    span: start..end,
                    ty: now.ty.clone(),
                });
            }
        }
    }

    /// For the editor: the narrowed type of each local narrowed for a block, over the block.
    fn record_narrowed(&mut self, n: &super::narrow::Narrowing, block: std::ops::Range<u32>) {
        if !self.env.index || block.is_empty() {
            return;
        }
        for (id, v) in &n.locals {
            self.use_types.push(super::index::UseType {
                local: *id,
                span: block.clone(),
                ty: v.ty.clone(),
            });
        }
    }

    /// Evaluate a condition as a presence test; returns the members it probed.
    pub(crate) fn condition(&mut self, cond: &Expression) -> Vec<(String, String)> {
        let before = self.probed.len();
        self.probing += 1;
        self.expr(cond);
        self.probing -= 1;
        self.probed.split_off(before)
    }

    /// Walk a block guarded by a condition that probed `probed` (usable inside it).
    fn guarded_block(&mut self, block: &Block, probed: Vec<(String, String)>) {
        let guards_before = self.guards.len();
        self.guards.extend(probed);
        self.block(block);
        self.guards.truncate(guards_before);
    }

    /// The values of an expression list for `want` targets, with their origins and the
    /// `(value, error?)` pair of a call that ends the list.
    pub(crate) fn values(
        &mut self,
        list: &full_moon::ast::punctuated::Punctuated<Expression>,
        want: usize,
    ) -> Vec<Value> {
        let n = list.len();
        let mut out: Vec<Value> = Vec::with_capacity(want.max(n));
        let mut open = false;
        for (i, e) in list.iter().enumerate() {
            self.last_pair = None;
            if i + 1 == n {
                self.last_open = false;
                let tys = self.expr_multi(e);
                open = self.last_open && super::call::is_multi(e);
                let origin = self.last_origin.take();
                let pair = match e {
                    Expression::FunctionCall(_) => self.last_pair.take(),
                    _ => None,
                };
                let first = out.len();
                for (k, ty) in tys.into_iter().enumerate() {
                    // Later values of a call: an any among them comes from the call too.
                    let origin = match (k, &ty, e) {
                        (0, _, _) => origin.clone(),
                        (_, Type::Any | Type::Unknown, Expression::FunctionCall(c)) => {
                            Some(call_origin(c, k, &ty))
                        }
                        _ => None,
                    };
                    out.push(Value {
                        ty,
                        origin,
                        pair: pair.as_ref().map(|(slot, c)| (first + slot, c.clone())),
                        padded: false,
                    });
                }
            } else {
                let ty = self.expr(e);
                let origin = self.last_origin.take();
                out.push(Value {
                    ty,
                    origin,
                    pair: None,
                    padded: false,
                });
            }
        }
        while out.len() < want {
            out.push(Value {
                ty: if open { Type::Any } else { Type::Nil },
                origin: None,
                pair: None,
                padded: !open,
            });
        }
        out
    }

    /// The values of a `(value, error?)` pair assigned to locals `ids`: each may be nil until
    /// its error is checked (or itself is); the error's local remembers its values.
    fn bind_pairs(&mut self, ids: &[Option<usize>], values: &[Value], names: &[&TokenReference]) {
        let Some((slot, callee)) = values.iter().find_map(|v| v.pair.clone()) else {
            return;
        };
        let err = ids
            .get(slot)
            .copied()
            .flatten()
            .filter(|_| names.get(slot).is_some_and(|n| ident(n) != "_"));
        let mut partners = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if i >= slot || v.pair.is_none() {
                continue;
            }
            let Some(Some(id)) = ids.get(i).copied() else {
                continue;
            };
            let l = &self.locals[id];
            if l.annotated && !l.base.is_optional() {
                continue;
            }
            let cur = l.flow.clone();
            let why = format!("{callee}(…) returns nil when it fails");
            let ty = match cur.ty {
                Type::Nil => Type::Nil,
                t => t.optional(),
            };
            self.set_flow(
                id,
                Val {
                    ty,
                    origin: Some(origin(why, OriginKind::Pair { err })),
                    ..cur
                },
            );
            partners.push(id);
        }
        if let Some(e) = err {
            if !partners.is_empty() {
                let v = Val {
                    partners: Some(partners.into()),
                    ..self.locals[e].flow.clone()
                };
                self.set_flow(e, v);
            }
        }
    }

    fn function_declaration(&mut self, fd: &FunctionDeclaration) {
        let names: Vec<&TokenReference> = fd.name().names().iter().collect();
        let method = fd.name().method_name();
        let Some(first) = names.first() else { return };
        let base = ident(first);
        let local = self.lookup(base);
        match local {
            Some(id) => self.locals[id].used |= names.len() > 1 || method.is_some(),
            None if names.len() == 1 && method.is_none() => {}
            None => {
                self.read_global(base, span(*first));
            }
        }
        // `self` is the table or an instance made with it as metatable: it has the table's
        // fields, and maybe more.
        let self_ty = method.map(|_| local.map_or(Type::Any, |id| opened(&self.locals[id].base)));
        let f = self.function_body(fd.body(), self_ty, None);
        let field = method.or_else(|| names.get(1..).and_then(|r| r.last().copied()));
        match (local, field) {
            (Some(id), Some(field)) if names.len() + usize::from(method.is_some()) == 2 => {
                self.define_field(id, ident(field), f, span(field));
            }
            (Some(id), None) => self.assign_local(id, f, None),
            _ => {}
        }
    }

    /// Assignment to a variable (`x = …`, `t.k = …`, `t[k] = …`); returns the local assigned.
    fn assign(
        &mut self,
        v: &Var,
        ty: Type,
        expr: Option<&Expression>,
        origin: Option<Arc<Origin>>,
    ) -> Option<usize> {
        match v {
            Var::Name(t) => {
                let name = ident(t);
                let id = self.lookup(name)?;
                if self.locals[id].annotated {
                    let declared = self.locals[id].base.clone();
                    self.check_assignable(&ty, &declared, name, span(t), expr, origin.clone());
                }
                self.assign_local(id, ty, origin);
                self.record_use(id, span(t));
                Some(id)
            }
            Var::Expression(ve) => {
                self.assign_field(ve, ty, expr, origin);
                None
            }
            _ => None,
        }
    }
}

/// A built record type as one that may have more fields.
fn opened(t: &Type) -> Type {
    match t {
        Type::Record(r) if r.shape == typedefs::Shape::Built => {
            let mut r = (**r).clone();
            r.shape = typedefs::Shape::Open;
            Type::Record(std::sync::Arc::new(r))
        }
        t => t.clone(),
    }
}

/// Loop variable types of `for k, v in <iter>`: the returns of the iterator function
/// (`ipairs`/`pairs` are generic, so typed tables give typed loop variables).
fn iteration_types(iter: &[Type]) -> Vec<Type> {
    match iter.first() {
        Some(Type::Function(f)) => {
            if f.returns.is_empty() {
                vec![Type::Any; 2]
            } else {
                f.returns.iter().map(Type::non_nil).collect()
            }
        }
        _ => vec![Type::Any; 2],
    }
}

/// Where value `k` (0-based) of call `c`, of type any/unknown, comes from.
fn call_origin(c: &full_moon::ast::FunctionCall, k: usize, ty: &Type) -> Arc<Origin> {
    let text = c.to_string();
    let text = text.trim();
    let callee = match text.find('(') {
        Some(p) if p <= 60 => format!("{}(…)", &text[..p]),
        _ => "the call".to_owned(),
    };
    origin(
        format!("value {} of `{callee}` is {ty}", k + 1),
        OriginKind::Contract,
    )
}
