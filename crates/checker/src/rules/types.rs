//! `E0000` type mismatch: a value stored in an annotated local, passed as an argument, returned
//! from a function with declared returns or written to a declared field must fit the declared
//! type, by THE relation (`typedefs::relation`). The message names the cause the relation
//! found — "argument 2 (width) is number, not integer", "missing field `currency` in
//! {amount: number, currency: string}" — and, for a table literal, points at the field at fault.
//! A literal's field that the record does not have but is close to one it lacks is `E0004`:
//! "`timout_ms` is not a field of Options; did you mean `timeout_ms`?".

use std::ops::Range;

use full_moon::ast::{Expression, Field as AstField};
use typedefs::{Literal, Mismatch, Reason, Type};

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::{ident, span, Walker};

/// Where a value goes, for messages.
pub(crate) enum Site<'s> {
    /// Argument `index` (0-based) of a call of `callee` (its signature `signature`), for the
    /// parameter named `name`.
    Argument {
        index: usize,
        name: Option<&'s str>,
        callee: &'s str,
        signature: &'s typedefs::FunctionType,
    },
    /// An annotated local.
    Local(&'s str),
    /// Returned value `index` (0-based).
    Return(usize),
    /// Field `name` of a declared record named `owner`.
    Field { name: &'s str, owner: &'s str },
}

impl Site<'_> {
    /// The message for a mismatch at this site.
    fn message(&self, m: &Mismatch) -> String {
        match (self, m.simple()) {
            (Site::Argument { index, name, .. }, _) => {
                let subject = match name {
                    Some(n) => format!("argument {} ({n})", index + 1),
                    None => format!("argument {}", index + 1),
                };
                m.describe(&subject)
            }
            (Site::Local(name), Some((src, dst))) => {
                format!("cannot assign {src} to `{name}`, declared {dst}")
            }
            (Site::Local(name), None) => format!("cannot assign to `{name}`: {}", m.detail()),
            (Site::Return(i), _) => m.describe(&format!("returned value {}", i + 1)),
            (Site::Field { name, owner }, Some((src, dst))) => {
                format!("cannot assign {src} to field `{name}` of {owner}, declared {dst}")
            }
            (Site::Field { name, owner }, None) => {
                format!("cannot assign to field `{name}` of {owner}: {}", m.detail())
            }
        }
    }
}

impl Walker<'_> {
    /// Report `E0000` (or `E0004`) when `value` does not fit `target`; `expr` is the value's
    /// expression, to point into a table literal. Returns whether it fits.
    pub(crate) fn check_value(
        &mut self,
        site: Site<'_>,
        value: &Type,
        target: &Type,
        sp: Range<u32>,
        expr: Option<&Expression>,
    ) -> bool {
        let Err(m) = self.rel().relate(value, target) else {
            return true;
        };
        let code = match m.reason {
            Reason::UnknownField { .. } => Code::E0004,
            _ => Code::E0000,
        };
        let at = expr.and_then(|e| locate(e, &m)).unwrap_or(sp);
        let mut d = Diagnostic::new(code, self.file, at, site.message(&m));
        match (help(&m), &site) {
            (Some(h), _) => d = d.with_help(h),
            (
                None,
                Site::Argument {
                    callee, signature, ..
                },
            ) => {
                d = d.with_help(format!("`{callee}` is {signature}"));
            }
            _ => {}
        }
        self.report(d);
        false
    }

    /// `E0000` when a value of type `value` cannot be stored in `name` declared as `declared`.
    pub(crate) fn check_assignable(
        &mut self,
        value: &Type,
        declared: &Type,
        name: &str,
        sp: Range<u32>,
        expr: Option<&Expression>,
    ) {
        self.check_value(Site::Local(name), value, declared, sp, expr);
    }

    /// `E0000` when returned value `i` (0-based) of type `value` does not fit the declared
    /// return type `declared`.
    pub(crate) fn check_returned(
        &mut self,
        value: &Type,
        declared: &Type,
        i: usize,
        sp: Range<u32>,
        expr: Option<&Expression>,
    ) {
        self.check_value(Site::Return(i), value, declared, sp, expr);
    }
}

/// A hint for the commonest confusions.
fn help(m: &Mismatch) -> Option<String> {
    match &m.reason {
        Reason::Incompatible { src, dst, .. }
            if matches!(dst, Type::Integer)
                && matches!(src, Type::Number | Type::Literal(Literal::Number(_))) =>
        {
            Some("in Lua 5.3 `/` and `^` always give a float; `//`, `math.floor` or `math.tointeger` give an integer".into())
        }
        _ => None,
    }
}

/// The span in a table literal `e` of what `m` is about: the field's value for a wrong type,
/// the literal lacking a field, the key of an unknown field.
fn locate(e: &Expression, m: &Mismatch) -> Option<Range<u32>> {
    let mut e = strip(e);
    for name in m.fields() {
        let Expression::TableConstructor(t) = e else {
            return None;
        };
        e = strip(field_of(t, name)?.1);
    }
    match &m.reason {
        Reason::UnknownField { field, .. } => {
            let Expression::TableConstructor(t) = e else {
                return None;
            };
            Some(field_of(t, field)?.0)
        }
        Reason::MissingField { .. } => {
            matches!(e, Expression::TableConstructor(_)).then(|| span(e))
        }
        _ if m.fields().len() == m.path.len() && !m.path.is_empty() => Some(span(e)),
        _ => None,
    }
}

fn strip(e: &Expression) -> &Expression {
    match e {
        Expression::Parentheses { expression, .. } => strip(expression),
        e => e,
    }
}

/// The key span and value of field `name` of a table constructor.
fn field_of<'t>(
    t: &'t full_moon::ast::TableConstructor,
    name: &str,
) -> Option<(Range<u32>, &'t Expression)> {
    let fields: Vec<&AstField> = t.fields().iter().collect();
    fields.into_iter().rev().find_map(|f| match f {
        AstField::NameKey { key, value, .. } if ident(key) == name => Some((span(key), &**value)),
        AstField::ExpressionKey { key, value, .. } => match &**key {
            Expression::String(s) if crate::walk::string_literal(s) == name => {
                Some((span(&**key), &**value))
            }
            _ => None,
        },
        _ => None,
    })
}
