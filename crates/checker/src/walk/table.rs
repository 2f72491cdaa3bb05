//! Tables: the type of a table constructor, and writes to fields (`t.k = v`, `function t.f()`):
//! a table built in code gains the field, a declared record checks it (`rules/records.rs`).

use std::ops::Range;
use std::sync::Arc;

use full_moon::ast::{
    Expression, Field as AstField, Index, Prefix, Suffix, TableConstructor, VarExpression,
};
use typedefs::{Field, Literal, Record, Shape, Type};

use super::{ident, span, Walker};

impl Walker<'_> {
    /// A table constructor: positional items make an array, named keys a built record.
    pub(crate) fn table(&mut self, t: &TableConstructor) -> Type {
        let mut fields: Vec<Field> = Vec::new();
        let mut items: Vec<Type> = Vec::new();
        let mut other = false;
        for f in t.fields() {
            match f {
                AstField::NameKey { key, value, .. } => {
                    let ty = self.expr(value);
                    push_field(&mut fields, ident(key), ty);
                }
                AstField::ExpressionKey { key, value, .. } => {
                    let k = self.expr(key);
                    let ty = self.expr(value);
                    match k {
                        Type::Literal(Literal::String(s)) => push_field(&mut fields, &s, ty),
                        _ => other = true,
                    }
                }
                AstField::NoKey(e) => {
                    items.extend(self.expr_multi(e).into_iter().map(|t| t.widen()))
                }
                _ => other = true,
            }
        }
        if !items.is_empty() && fields.is_empty() && !other {
            // Items of different kinds make a tuple (`{"active", list}`): its element is any.
            let kind = typedefs::relation::value_kind(&items[0]);
            let same = kind.is_some()
                && items
                    .iter()
                    .all(|t| typedefs::relation::value_kind(t) == kind);
            let elem = if same {
                typedefs::join(items)
            } else {
                Type::Any
            };
            return Type::Array(Box::new(elem));
        }
        if !items.is_empty() || other {
            return Type::AnyTable;
        }
        Type::Record(Arc::new(Record {
            name: None,
            fields,
            readonly: false,
            shape: Shape::Built,
        }))
    }

    /// `t.k = v` / `t[k] = v`: a local table built in code gains the field; a declared record
    /// checks the write; `_G.name = …` defines a global for importers.
    pub(crate) fn assign_field(
        &mut self,
        ve: &VarExpression,
        value: Type,
        expr: Option<&Expression>,
    ) {
        let suffixes: Vec<&Suffix> = ve.suffixes().collect();
        let Some((last, init)) = suffixes.split_last() else {
            return;
        };
        let (key, key_span) = match last {
            Suffix::Index(Index::Dot { name, .. }) => (Some(ident(name).to_owned()), span(name)),
            Suffix::Index(Index::Brackets { expression, .. }) => {
                let k = self.expr(expression);
                match k {
                    Type::Literal(Literal::String(s)) => (Some(s), span(expression)),
                    _ => (None, span(expression)),
                }
            }
            _ => (None, 0..0),
        };
        if init.is_empty() {
            if let Prefix::Name(t) = ve.prefix() {
                let name = ident(t);
                if name == "_G" && self.lookup("_G").is_none() {
                    if let Some(k) = &key {
                        self.g_writes.push(k.clone());
                    }
                    return;
                }
                if let Some(id) = self.lookup(name) {
                    self.locals[id].used = true;
                    self.record_use(id, span(t));
                    match key {
                        Some(k) => self.write_local_field(id, &k, value, key_span, expr),
                        None => self.mark_dynamic(id),
                    }
                    return;
                }
            }
        }
        let recv = self
            .chain(ve.prefix(), init)
            .into_iter()
            .next()
            .unwrap_or(Type::Any);
        if let Some(k) = key {
            self.check_field_write(&recv, &k, &value, key_span, expr);
        }
    }

    /// `function t.f() … end` on local `t`.
    pub(crate) fn define_field(&mut self, id: usize, name: &str, f: Type, sp: Range<u32>) {
        self.write_local_field(id, name, f, sp, None);
    }

    /// Write field `name` of local `id`.
    fn write_local_field(
        &mut self,
        id: usize,
        name: &str,
        value: Type,
        sp: Range<u32>,
        expr: Option<&Expression>,
    ) {
        let ty = self.locals[id].ty.clone();
        match &ty {
            Type::Record(r) if !r.closed() => {
                let merged = self.add_field(r, name, value);
                self.set_local_type(id, merged);
            }
            _ => self.check_field_write(&ty, name, &value, sp, expr),
        }
    }

    /// The record `r` with field `name` assigned a value of type `value`.
    fn add_field(&self, r: &Arc<Record>, name: &str, value: Type) -> Type {
        let mut r = (**r).clone();
        let value = match value {
            Type::Nil => Type::Any,
            v => v.widen(),
        };
        match r.fields.iter_mut().find(|f| f.name == name) {
            Some(f) => {
                if f.ty != value {
                    f.ty = merge_field(&self.rel(), &f.ty, &value);
                }
            }
            None => r.fields.push(Field {
                name: name.to_owned(),
                ty: value,
                optional: false,
                description: None,
            }),
        }
        Type::Record(Arc::new(r))
    }
}

/// A field's type after another assignment: kept when the new value fits it, the new one's
/// when the old fits that, else `any`.
fn merge_field(rel: &typedefs::Relation<'_>, old: &Type, new: &Type) -> Type {
    if rel.fits(new, old) {
        old.clone()
    } else if rel.fits(old, new) && !matches!(new, Type::Nil) {
        new.clone()
    } else {
        Type::Any
    }
}

/// Add a constructor field (`{x = nil}` declares a slot filled later: its type is unknown).
fn push_field(fields: &mut Vec<Field>, name: &str, ty: Type) {
    let ty = match ty {
        Type::Nil => Type::Any,
        t => t.widen(),
    };
    fields.retain(|f| f.name != name);
    fields.push(Field {
        name: name.to_owned(),
        ty,
        optional: false,
        description: None,
    });
}
