//! Locals and scopes: declaring, looking up, the type a local holds, and what an assignment does
//! to it.

use std::ops::Range;
use std::sync::Arc;

use full_moon::tokenizer::TokenReference;
use typedefs::relation::value_kind;
use typedefs::{Shape, Type};

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
    pub(crate) ty: Type,
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
        self.locals.push(LocalVar {
            name,
            span,
            ty,
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

    /// Replace the type local `id` holds from here on.
    pub(crate) fn set_local_type(&mut self, id: usize, ty: Type) {
        self.locals[id].ty = ty;
    }

    /// Mark a local's table as having fields the walk cannot see: its record type opens.
    pub(crate) fn mark_dynamic(&mut self, id: usize) {
        let l = &mut self.locals[id];
        l.dynamic = true;
        if let Type::Record(r) = &mut l.ty {
            if r.shape == Shape::Built {
                Arc::make_mut(r).shape = Shape::Open;
            }
        }
    }

    /// An unannotated local is assigned a value of type `new`: it keeps its type if `new`
    /// fits it, takes `new` if its type fits `new` (`integer` then `number`), joins two
    /// values of one kind, and else becomes `any`.
    pub(crate) fn reassign(&mut self, id: usize, new: Type) {
        if std::mem::take(&mut self.locals[id].pending) && !matches!(new, Type::Nil) {
            return self.set_local_type(id, new.widen());
        }
        let old = self.locals[id].ty.clone();
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
        if ty != old {
            self.set_local_type(id, ty);
        }
    }
}
