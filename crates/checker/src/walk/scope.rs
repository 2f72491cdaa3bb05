//! Locals and scopes: declaring, looking up, the type a local holds, and what an assignment does
//! to it.

use std::ops::Range;
use std::sync::Arc;

use full_moon::tokenizer::TokenReference;
use typedefs::relation::value_kind;
use typedefs::{Shape, Type};

use super::flow::{Origin, OriginKind, Val};
use super::narrow::origin;
use super::{ident, span, Walker};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LocalKind {
    Local,
    Function,
    Import,
    Param,
    LoopVar,
}

#[derive(Debug)]
pub(crate) struct LocalVar {
    pub(crate) name: String,
    pub(crate) span: Range<u32>,
    /// Its value at the current program point (flow-sensitive, see `flow.rs`).
    pub(crate) flow: Val,
    /// Its type over its whole scope: the declared type, or the initial type joined with
    /// what it is assigned (what the editor shows at the declaration, and what a closure
    /// sees of a local assigned after it was declared).
    pub(crate) base: Type,
    /// Function nesting depth at the declaration (0: the chunk's top level).
    pub(crate) depth: usize,
    /// Assigned again after its declaration, somewhere in the chunk.
    pub(crate) reassigned: bool,
    pub(crate) kind: LocalKind,
    pub(crate) used: bool,
    /// The type came from an annotation (never widened by assignments).
    pub(crate) annotated: bool,
    /// Byte offset where its scope ends.
    pub(crate) scope_end: u32,
    /// Declared in the chunk's top-level scope.
    pub(crate) top_level: bool,
    /// Fields were written where the walk cannot see them (`t[k] = v`, handed to a function):
    /// its record type is not exhaustive.
    pub(crate) dynamic: bool,
    /// Declared without a value (`local x`, `local x = nil`): the first assignment gives it
    /// its type.
    pub(crate) pending: bool,
}

impl Walker<'_> {
    pub(crate) fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
        self.scope_ends.push(self.end_hint);
    }

    pub(crate) fn pop_scope(&mut self) {
        let Some(ids) = self.scopes.pop() else { return };
        let end = self.scope_ends.pop().unwrap_or(u32::MAX);
        for &id in &ids {
            self.locals[id].scope_end = end;
        }
        for id in ids {
            self.unused_local(id);
        }
    }

    /// Declare a local from its name token; an annotation recorded by the pre-pass wins over `ty`.
    pub(crate) fn declare(&mut self, tok: &TokenReference, ty: Type, kind: LocalKind) -> usize {
        let sp = span(tok);
        let (ty, annotated) = match self.prep.names.get(&sp.start) {
            Some(t) => (t.clone(), true),
            None => (ty, false),
        };
        self.declare_named(ident(tok).to_owned(), sp, ty, kind, annotated)
    }

    pub(crate) fn declare_named(
        &mut self,
        name: String,
        span: Range<u32>,
        ty: Type,
        kind: LocalKind,
        annotated: bool,
    ) -> usize {
        let id = self.locals.len();
        let top_level = self.scopes.len() == 1;
        let reassigned = self
            .assigned_names
            .get(name.as_str())
            .is_some_and(|offs| offs.iter().any(|&o| o > span.start));
        let origin = (annotated && ty.is_optional())
            .then(|| origin(format!("`{name}` is declared {ty}"), OriginKind::Declared));
        self.locals.push(LocalVar {
            name,
            span,
            flow: Val {
                depth: self.frames.len() as u32,
                ..Val::from(ty.clone(), origin)
            },
            base: ty,
            depth: self.frames.len(),
            reassigned,
            kind,
            used: false,
            annotated,
            dynamic: false,
            pending: false,
            scope_end: u32::MAX,
            top_level,
        });
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(id);
        }
        id
    }

    /// The local a name refers to here.
    pub(crate) fn lookup(&self, name: &str) -> Option<usize> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .copied()
            .find(|&id| self.locals[id].name == name)
    }

    /// The annotation of a name token, if any.
    pub(crate) fn annotation(&self, tok: &TokenReference) -> Option<Type> {
        self.prep.names.get(&span(tok).start).cloned()
    }

    /// Replace the type local `id` holds from here on (its value here and over its scope).
    pub(crate) fn set_local_type(&mut self, id: usize, ty: Type) {
        self.locals[id].base = ty.clone();
        let v = Val {
            ty,
            ..self.locals[id].flow.clone()
        };
        self.set_flow(id, v);
    }

    /// The value of local `id` as read here: its flow value, except in a function nested in
    /// the one that declared it, where a local assigned after its declaration has its type over
    /// its whole scope (the closure may run at any later point).
    pub(crate) fn local_val(&self, id: usize) -> Val {
        self.effective(id, self.locals[id].flow.clone())
    }

    /// `local x` (no value): nil until assigned; an annotated local is unassigned (E0015).
    pub(crate) fn declare_unset(&mut self, id: usize) {
        let l = &self.locals[id];
        let depth = l.flow.depth;
        let v = if l.annotated {
            Val {
                unassigned: true,
                ..l.flow.clone()
            }
        } else {
            Val::from(
                Type::Nil,
                Some(origin(
                    format!("`{}` is declared without a value", l.name),
                    OriginKind::Inferred,
                )),
            )
        };
        self.locals[id].flow = Val { depth, ..v };
    }

    /// Mark a local's table as having fields the walk cannot see: its record type opens.
    pub(crate) fn mark_dynamic(&mut self, id: usize) {
        let l = &mut self.locals[id];
        l.dynamic = true;
        for t in [&mut l.base, &mut l.flow.ty] {
            if let Type::Record(r) = t {
                if r.shape == Shape::Built {
                    Arc::make_mut(r).shape = Shape::Open;
                }
            }
        }
    }

    /// Local `id` is assigned a value of type `new` from `origin` (`expr_origin` of the value).
    /// Its value here becomes the assigned one (an annotated local: its declared type narrowed
    /// by the value); its type over its scope follows [`Walker::reassign`].
    pub(crate) fn assign_local(&mut self, id: usize, new: Type, origin: Option<Arc<Origin>>) {
        self.forget_paths(id, "");
        let l = &self.locals[id];
        let ty = if l.annotated {
            assigned_narrow(&l.base, &new)
        } else {
            match &new {
                Type::Literal(typedefs::Literal::Boolean(false)) => Type::Boolean,
                t => t.widen(),
            }
        };
        let origin = match origin {
            Some(o) if ty.is_optional() || matches!(ty, Type::Any | Type::Unknown) => Some(o),
            _ if ty.is_optional() && l.annotated => Some(super::narrow::origin(
                format!("`{}` is declared {}", l.name, l.base),
                OriginKind::Declared,
            )),
            _ => None,
        };
        if l.depth < self.frames.len() {
            if let Some(f) = self.frames.last_mut() {
                f.upvalue_writes.push(id);
            }
        }
        if !self.locals[id].annotated {
            self.reassign(id, new);
        }
        self.set_flow(id, Val::from(ty, origin));
    }

    /// The base type of an unannotated local assigned a value of type `new`: it keeps its type
    /// if `new` fits it, takes `new` if its type fits `new` (`integer` then `number`), joins two
    /// values of one kind, and else becomes `any`.
    fn reassign(&mut self, id: usize, new: Type) {
        if std::mem::take(&mut self.locals[id].pending) && !matches!(new, Type::Nil) {
            self.locals[id].base = new.widen();
            return;
        }
        let old = self.locals[id].base.clone();
        if matches!(old, Type::Any) || new == old {
            return;
        }
        let rel = self.rel();
        let ty = if matches!(new, Type::Nil) {
            old.clone().optional()
        } else if matches!(old, Type::Function(_)) || matches!(new, Type::Function(_)) {
            // Two different functions: calls cannot be checked against either.
            Type::AnyFunction
        } else if rel.fits(&new, &old) {
            old.clone()
        } else if rel.fits(&old, &new) {
            new.widen()
        } else if value_kind(&old.non_nil()).is_some()
            && value_kind(&old.non_nil()) == value_kind(&new.non_nil())
        {
            typedefs::join([old.clone(), new.widen()])
        } else {
            Type::Any
        };
        self.locals[id].base = ty;
    }
}

/// An annotated local's value after an assignment of `new` (checked against `declared`
/// already): `nil` if nil was assigned, the declared type without nil if the value cannot be
/// nil, else the declared type.
pub(crate) fn assigned_narrow(declared: &Type, new: &Type) -> Type {
    // `any` (or `any?`) declared is the programmer's escape hatch: it stays any.
    if matches!(declared.non_nil(), Type::Any | Type::Unknown) {
        return Type::Any;
    }
    match new {
        Type::Nil if declared.admits_nil() => Type::Nil,
        _ if new.is_optional() || matches!(new, Type::Any | Type::Unknown) => declared.clone(),
        _ if declared.is_optional() => declared.non_nil(),
        _ => declared.clone(),
    }
}
