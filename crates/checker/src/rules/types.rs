//! `E0000` type mismatch: a value stored in an annotated local, passed as an argument, returned
//! from a function with declared returns or written to a declared field must fit the declared
//! type, by THE relation (`typedefs::relation`). The message names the cause the relation
//! found — "argument 2 (width) is number, not integer", "missing field `currency` in
//! {amount: number, currency: string}" — and, for a table literal, points at the field at fault.
//! A literal's field that the record does not have but is close to one it lacks is `E0004`:
//! "`timout_ms` is not a field of Options; did you mean `timeout_ms`?".

use std::ops::Range;
use std::sync::Arc;

use full_moon::ast::{Expression, Field as AstField};
use typedefs::{Literal, Mismatch, Reason, Type};

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::flow::{Origin, OriginKind};
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
    /// The message for a value that may be nil here (`why` follows it).
    fn nil_message(&self, target: &Type) -> String {
        match self {
            Site::Argument { index, name, .. } => match name {
                Some(n) => format!("argument {} ({n}) may be nil, expected {target}", index + 1),
                None => format!("argument {} may be nil, expected {target}", index + 1),
            },
            Site::Local(name) => format!("cannot assign to `{name}` (declared {target}): the value may be nil"),
            Site::Return(i) => format!("returned value {} may be nil, declared {target}", i + 1),
            Site::Field { name, owner } => format!(
                "cannot assign to field `{name}` of {owner} (declared {target}): the value may be nil"
            ),
        }
    }

    /// go-lua's strict-mode message for a value of type any/unknown from a call.
    fn unproven_message(&self, target: &Type, expr: Option<&Expression>) -> String {
        let proof = format!("no proof shows it is {target}");
        match self {
            Site::Argument { index, name, .. } => match name {
                Some(n) => format!("argument {} ({n}) comes from any/unknown; {proof}", index + 1),
                None => format!("argument {} comes from any/unknown; {proof}", index + 1),
            },
            Site::Local(name) => {
                let what = expr.map_or_else(|| "the value".to_owned(), |e| {
                    let t = e.to_string();
                    // The expression without the comments that trail it.
                    let t = t.split("--").next().unwrap_or_default().trim();
                    if t.len() > 40 { "the value".to_owned() } else { t.to_owned() }
                });
                format!("cannot assign {what} to `{name}`: it comes from any/unknown; {proof}")
            }
            Site::Return(i) => format!("returned value {} comes from any/unknown; {proof}", i + 1),
            Site::Field { name, owner } => format!(
                "cannot assign to field `{name}` of {owner}: the value comes from any/unknown; {proof}"
            ),
        }
    }

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
        origin: Option<Arc<Origin>>,
    ) -> bool {
        let gradual_target = matches!(target, Type::Any | Type::Unknown | Type::Param(_))
            || matches!(target, Type::Optional(t) if matches!(**t, Type::Any | Type::Unknown));
        let optional =
            value.is_optional() && !matches!(value, Type::Nil) && !self.admits_nil(target);
        let core = if optional {
            value.non_nil()
        } else {
            value.clone()
        };
        if matches!(core, Type::Any | Type::Unknown) {
            if optional {
                let msg = site.nil_message(target);
                if self.report_nil(Code::E0000, sp.clone(), msg, origin.as_deref()) {
                    return false;
                }
            }
            // Strict mode: a value of type any/unknown that a call produced needs a proof.
            // What needs a proof: a value some expression produced (a call, a field of an any,
            // an operator), not the unannotated parameter or loop variable it names, which is
            // the function's own gradual contract (as go-lua's strict mode reads it).
            let from_call = match &origin {
                Some(o) => !matches!(o.kind, OriginKind::Element),
                None => !expr.is_some_and(|e| self.names_gradual_local(e)),
            };
            if self.strict() && from_call && !gradual_target && self.reachable() {
                let msg = site.unproven_message(target, expr);
                self.report(Diagnostic::new(Code::E0000, self.file, sp, msg));
                return false;
            }
            return true;
        }
        let m = match self.rel().relate(&core, target) {
            Ok(()) => {
                if optional {
                    let msg = site.nil_message(target);
                    return !self.report_nil(Code::E0000, sp, msg, origin.as_deref());
                }
                return true;
            }
            // The message names the value's whole type (`integer?`), as the user wrote it.
            Err(m) if optional => self.rel().relate(value, target).err().unwrap_or(m),
            Err(m) => m,
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
        origin: Option<Arc<Origin>>,
    ) {
        self.check_value(Site::Local(name), value, declared, sp, expr, origin);
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
        origin: Option<Arc<Origin>>,
    ) {
        self.check_value(Site::Return(i), value, declared, sp, expr, origin);
    }

    /// Whether `e` is the bare name of an unannotated parameter or loop variable.
    fn names_gradual_local(&self, e: &Expression) -> bool {
        let Expression::Var(full_moon::ast::Var::Name(t)) = e else {
            return false;
        };
        self.lookup(ident(t)).is_some_and(|id| {
            let l = &self.locals[id];
            !l.annotated
                && matches!(
                    l.kind,
                    crate::walk::LocalKind::Param | crate::walk::LocalKind::LoopVar
                )
        })
    }

    /// Whether nil is a value of `t` (through aliases; type parameters accept it).
    pub(crate) fn admits_nil(&self, t: &Type) -> bool {
        match t {
            Type::Named(_) => self.rel().alias(t).is_none_or(|a| self.admits_nil(&a)),
            Type::Param(_) | Type::SelfType => true,
            t => t.admits_nil(),
        }
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
