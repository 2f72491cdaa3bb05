//! Operators as Lua 5.3 defines their result types: `+ - *` of integers are integers, `/` and
//! `^` are always floats (`number`), `//` and `%` of integers are integers, `#` is an integer,
//! comparisons are booleans, `..` a string, bitwise operators integers. Their operands are
//! checked by `rules/operators.rs`.

use std::ops::Range;

use full_moon::ast::{BinOp, Expression, UnOp};
use typedefs::Type;

use super::{span, Walker};

impl Walker<'_> {
    /// `lhs binop rhs`: walk both sides (`and`/`or`/`==`/`~=` as presence tests), check the
    /// operands, and give the result type.
    pub(crate) fn binary_expr(
        &mut self,
        lhs: &Expression,
        binop: &BinOp,
        rhs: &Expression,
    ) -> Type {
        let probe = matches!(
            binop,
            BinOp::And(_) | BinOp::Or(_) | BinOp::TwoEqual(_) | BinOp::TildeEqual(_)
        );
        self.probing += u32::from(probe);
        let l = self.expr(lhs);
        // `type(x) == "kind" and …`: `x` is of that kind on the right.
        let r = if matches!(binop, BinOp::And(_)) {
            self.with_type_tests(lhs, |w| w.expr(rhs))
        } else {
            self.expr(rhs)
        };
        self.probing -= u32::from(probe);
        let (ls, rs) = (span(lhs), span(rhs));
        let constants = is_constant(lhs) && is_constant(rhs);
        if !constants {
            self.check_binary(binop, &l, &r, ls.clone(), rs.clone(), ls.start..rs.end);
        }
        binary(binop, &l, &r)
    }

    /// A unary operator's result; checks its operand.
    pub(crate) fn unary(&mut self, op: &UnOp, t: &Type, sp: Range<u32>) -> Type {
        self.check_unary(op, t, sp);
        match op {
            UnOp::Not(_) => Type::Boolean,
            UnOp::Hash(_) | UnOp::Tilde(_) => Type::Integer,
            UnOp::Minus(_) => match t.non_nil().widen() {
                Type::Integer => Type::Integer,
                Type::Any | Type::Unknown => Type::Any,
                _ => Type::Number,
            },
            _ => Type::Any,
        }
    }
}

/// A literal written in the source (comparing two is deliberate, however pointless).
fn is_constant(e: &Expression) -> bool {
    matches!(
        e,
        Expression::Number(_) | Expression::String(_) | Expression::Symbol(_)
    )
}

/// Whether `t` is an integer (or nil: arithmetic on nil fails at run time, not here).
fn is_integer(t: &Type) -> bool {
    matches!(t.non_nil().widen(), Type::Integer)
}

fn is_gradual(t: &Type) -> bool {
    matches!(t.non_nil().widen(), Type::Any | Type::Unknown)
}

/// Result type of a binary operator.
fn binary(op: &BinOp, l: &Type, r: &Type) -> Type {
    match op {
        BinOp::And(_) => r.widen(),
        BinOp::Or(_) => typedefs::join([l.non_nil().widen(), r.widen()]),
        BinOp::TwoDots(_) => Type::String,
        BinOp::TwoEqual(_)
        | BinOp::TildeEqual(_)
        | BinOp::LessThan(_)
        | BinOp::LessThanEqual(_)
        | BinOp::GreaterThan(_)
        | BinOp::GreaterThanEqual(_) => Type::Boolean,
        BinOp::Plus(_)
        | BinOp::Minus(_)
        | BinOp::Star(_)
        | BinOp::Percent(_)
        | BinOp::DoubleSlash(_) => {
            if is_integer(l) && is_integer(r) {
                Type::Integer
            } else if is_gradual(l) || is_gradual(r) {
                Type::Any
            } else {
                Type::Number
            }
        }
        BinOp::Slash(_) | BinOp::Caret(_) => Type::Number,
        BinOp::Ampersand(_)
        | BinOp::Pipe(_)
        | BinOp::Tilde(_)
        | BinOp::DoubleLessThan(_)
        | BinOp::DoubleGreaterThan(_) => Type::Integer,
        _ => Type::Any,
    }
}
