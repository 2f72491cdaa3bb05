//! `return`: values checked against the declared returns of the enclosing function, and the
//! returns of an unannotated function inferred by joining every `return` (a body that can end
//! without one also returns nothing, i.e. nil).

use full_moon::ast::{Block, Expression, LastStmt, Stmt, Var};
use typedefs::{Record, Shape, Type};

use super::{ident, span, Walker};

/// Returns as a list of values and the type of any further values (`...T`).
pub(crate) type Returns = (Vec<Type>, Option<Type>);

/// A function body being walked.
#[derive(Debug, Default)]
pub(crate) struct Frame {
    /// Its declared returns, if annotated.
    pub(crate) declared: Option<Returns>,
    /// The returns of each `return` statement walked so far.
    pub(crate) seen: Vec<Returns>,
}

impl Frame {
    /// The function's returns: the declared ones, else the join of those seen (with an empty
    /// return when the body can fall off its end).
    pub(crate) fn returns(self, falls_through: bool) -> Returns {
        if let Some(d) = self.declared {
            return d;
        }
        let mut seen = self.seen;
        if falls_through {
            seen.push((Vec::new(), None));
        }
        join_returns(&seen)
    }
}

/// The join of several returns, position by position (a missing value is nil).
fn join_returns(all: &[Returns]) -> Returns {
    let width = all.iter().map(|(v, _)| v.len()).max().unwrap_or(0);
    let values = (0..width)
        .map(|i| {
            typedefs::join(all.iter().map(|(v, tail)| match v.get(i) {
                Some(t) => t.clone(),
                None => tail.clone().unwrap_or(Type::Nil),
            }))
        })
        .collect();
    let tails: Vec<Type> = all.iter().filter_map(|(_, t)| t.clone()).collect();
    let tail = (!tails.is_empty()).then(|| typedefs::join(tails));
    (values, tail)
}

impl Walker<'_> {
    pub(crate) fn last_stmt(&mut self, s: &LastStmt) {
        let LastStmt::Return(r) = s else { return };
        let exprs: Vec<&Expression> = r.returns().iter().collect();
        let tys = self.expr_list(r.returns(), 0);
        let multi = exprs.last().is_some_and(|e| super::call::is_multi(e));
        if let Some(frame) = self.frames.last_mut() {
            let tail = multi.then_some(Type::Any);
            frame
                .seen
                .push((tys.iter().map(widen_returned).collect(), tail));
        }
        if let Some(Some((declared, variadic))) = self.frames.last().map(|f| f.declared.clone()) {
            for (i, t) in tys.iter().enumerate() {
                let Some(d) = declared.get(i).or(variadic.as_ref()) else {
                    break;
                };
                let e = exprs.get(i).copied();
                let sp = exprs
                    .get(i.min(exprs.len().saturating_sub(1)))
                    .map_or(span(r), |e| span(*e));
                self.check_returned(t, d, i, sp, e);
            }
        }
        if self.frames.is_empty() && self.scopes.len() == 1 {
            self.exports = tys.into_iter().next();
            self.seal_exports(exprs.first().copied());
        }
    }

    /// A returned local table becomes exhaustive for importers unless fields were added where
    /// the walk cannot see.
    fn seal_exports(&mut self, first: Option<&Expression>) {
        let dynamic = match first {
            Some(Expression::Var(Var::Name(t))) => self
                .lookup(ident(t))
                .is_some_and(|id| self.locals[id].dynamic),
            _ => false,
        };
        if let Some(Type::Record(r)) = &self.exports {
            let mut r: Record = (**r).clone();
            r.shape = if dynamic { Shape::Open } else { Shape::Sealed };
            self.exports = Some(Type::Record(std::sync::Arc::new(r)));
        }
    }
}

/// A returned value's type as the function's return: literals widen, except `false` (the
/// failure value of `return false, err`, set aside by the gradual relation like nil).
fn widen_returned(t: &Type) -> Type {
    match t {
        Type::Literal(typedefs::Literal::Boolean(false)) => t.clone(),
        t => t.widen(),
    }
}

/// Whether running `b` can reach its end (and so return nothing from a function body): it
/// cannot when it ends in `return`, in a call to `error`, or in an `if` whose every branch
/// cannot.
pub(crate) fn falls_through(b: &Block) -> bool {
    if b.last_stmt()
        .is_some_and(|s| matches!(s, LastStmt::Return(_)))
    {
        return false;
    }
    match b.stmts().last() {
        Some(Stmt::FunctionCall(c)) => !is_error_call(c),
        Some(Stmt::If(i)) => {
            let Some(else_block) = i.else_block() else {
                return true;
            };
            falls_through(i.block())
                || i.else_if()
                    .into_iter()
                    .flatten()
                    .any(|e| falls_through(e.block()))
                || falls_through(else_block)
        }
        Some(Stmt::Do(d)) => falls_through(d.block()),
        _ => true,
    }
}

fn is_error_call(c: &full_moon::ast::FunctionCall) -> bool {
    matches!(c.prefix(), full_moon::ast::Prefix::Name(t) if ident(t) == "error")
        && c.suffixes().count() == 1
}
