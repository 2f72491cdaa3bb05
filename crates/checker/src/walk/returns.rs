//! `return`: values checked against the declared returns of the enclosing function, and the
//! returns of an unannotated function inferred by joining every `return` (a body whose end is
//! reachable, by the flow state, also returns nothing, i.e. nil). After a `return` the walk is
//! unreachable; `break` and Luau's `continue` join their loop (`loops.rs`).

use full_moon::ast::{Expression, LastStmt, Var};
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
    /// Locals of enclosing functions this function assigns (upvalues).
    pub(crate) upvalue_writes: Vec<usize>,
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
        self.unreachable_hint(span(s));
        let r = match s {
            LastStmt::Return(r) => r,
            LastStmt::Break(_) => return self.break_loop(),
            _ => {
                // `continue` (Luau): the state joins the next round like the body's end.
                return self.goto("continue");
            }
        };
        let exprs: Vec<&Expression> = r.returns().iter().collect();
        let (tys, origins) = self.expr_list_origins(r.returns());
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
                let o = origins.get(i).cloned().flatten();
                self.check_returned(t, d, i, sp, e, o);
            }
        }
        if self.frames.is_empty() && self.scopes.len() == 1 {
            self.exports = tys.into_iter().next();
            self.seal_exports(exprs.first().copied());
        }
        self.set_reachable(false);
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
