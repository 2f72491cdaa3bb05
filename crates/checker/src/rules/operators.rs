//! `E0019` invalid operand (go-lua's `ErrInvalidOperand`): arithmetic on a value that is
//! certainly not a number (a boolean, nil, a function), concatenation of one that is certainly
//! not a string or number, ordering of values that are not both numbers or both strings, `#` of
//! a number or boolean, and `==`/`~=` between values that can never be equal (an `integer`
//! field compared with a string literal is always false).
//!
//! Only types of certain kind count: `any`, unknown names, interfaces and tables (which may have
//! metamethods) are never reported, and strings are accepted in arithmetic (Lua coerces them).

use std::ops::Range;

use full_moon::ast::{BinOp, UnOp};
use typedefs::relation::value_kind;
use typedefs::{Literal, Type};

use crate::registry::Code;
use crate::walk::Walker;

/// The kinds of value (`type()` names) a type's values may have; `None` when uncertain.
fn kinds(t: &Type, w: &Walker<'_>, depth: u8) -> Option<Vec<&'static str>> {
    if depth > 6 {
        return None;
    }
    match t {
        Type::Optional(inner) => {
            let mut k = kinds(inner, w, depth + 1)?;
            k.push("nil");
            Some(k)
        }
        Type::Union(ts) => {
            let mut out = Vec::new();
            for t in ts {
                out.extend(kinds(t, w, depth + 1)?);
            }
            Some(out)
        }
        Type::Named(_) => kinds(&w.rel().alias(t)?, w, depth + 1),
        t => value_kind(t).map(|k| vec![k]),
    }
}

/// Every kind of `t` is in `bad` (and `t`'s kind is certain).
fn all_in(t: &Type, w: &Walker<'_>, bad: &[&str]) -> bool {
    kinds(t, w, 0).is_some_and(|k| !k.is_empty() && k.iter().all(|k| bad.contains(k)))
}

/// The literal values of a type made only of literals of one kind.
fn literals(t: &Type) -> Option<Vec<&Literal>> {
    match t {
        Type::Literal(l) => Some(vec![l]),
        Type::Union(ts) => ts
            .iter()
            .map(|t| match t {
                Type::Literal(l) => Some(l),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

impl Walker<'_> {
    pub(crate) fn check_binary(
        &mut self,
        op: &BinOp,
        l: &Type,
        r: &Type,
        ls: Range<u32>,
        rs: Range<u32>,
        whole: Range<u32>,
    ) {
        match op {
            BinOp::Plus(_)
            | BinOp::Minus(_)
            | BinOp::Star(_)
            | BinOp::Slash(_)
            | BinOp::DoubleSlash(_)
            | BinOp::Percent(_)
            | BinOp::Caret(_) => {
                self.bad_operand(l, r, ls, rs, "cannot perform arithmetic on", "number")
            }
            BinOp::TwoDots(_) => {
                self.bad_operand(l, r, ls, rs, "cannot concatenate", "string or number")
            }
            BinOp::LessThan(_)
            | BinOp::LessThanEqual(_)
            | BinOp::GreaterThan(_)
            | BinOp::GreaterThanEqual(_) => {
                for (t, sp) in [(l, ls), (r, rs)] {
                    if all_in(t, self, &["boolean", "function"]) {
                        self.diag(
                            Code::E0019,
                            sp,
                            format!(
                                "cannot compare {}, expected a number or a string",
                                t.widen()
                            ),
                        );
                        return;
                    }
                }
                let scalar = |t: &Type| {
                    kinds(&t.non_nil(), self, 0).and_then(|k| match k.as_slice() {
                        [one] if *one == "number" || *one == "string" => Some(*one),
                        _ => None,
                    })
                };
                if let (Some(a), Some(b)) = (scalar(l), scalar(r)) {
                    if a != b {
                        self.diag(
                            Code::E0019,
                            whole,
                            format!("cannot compare {} with {}, expected both operands to be numbers or both strings", l.widen(), r.widen()),
                        );
                    }
                }
            }
            BinOp::TwoEqual(_) | BinOp::TildeEqual(_) => self.check_equality(op, l, r, whole),
            _ => {}
        }
    }

    /// `E0019` for the first operand that is certainly a boolean, nil or function:
    /// "{what} {type}, expected {expected}".
    fn bad_operand(
        &mut self,
        l: &Type,
        r: &Type,
        ls: Range<u32>,
        rs: Range<u32>,
        what: &str,
        expected: &str,
    ) {
        for (t, sp) in [(l, ls), (r, rs)] {
            if all_in(t, self, &["boolean", "nil", "function"]) {
                let msg = format!("{what} {}, expected {expected}", t.widen());
                self.diag(Code::E0019, sp, msg);
                return;
            }
        }
    }

    /// `==`/`~=` of values that can never be equal.
    fn check_equality(&mut self, op: &BinOp, l: &Type, r: &Type, whole: Range<u32>) {
        let (a, b) = (l.non_nil(), r.non_nil());
        if matches!(l, Type::Nil) || matches!(r, Type::Nil) {
            return;
        }
        let (Some(ka), Some(kb)) = (kinds(&a, self, 0), kinds(&b, self, 0)) else {
            return;
        };
        let disjoint_kinds = !ka.iter().any(|k| kb.contains(k));
        let resolve = |t: &Type| match t {
            Type::Named(_) => self.rel().alias(t).unwrap_or_else(|| t.clone()),
            t => t.clone(),
        };
        let (ra, rb) = (resolve(&a), resolve(&b));
        let disjoint_literals = !disjoint_kinds
            && match (literals(&ra), literals(&rb)) {
                (Some(x), Some(y)) => !x.iter().any(|v| y.contains(v)),
                _ => false,
            };
        if !disjoint_kinds && !disjoint_literals {
            return;
        }
        let (sa, sb) = if disjoint_kinds {
            (a.widen().to_string(), b.widen().to_string())
        } else {
            (a.to_string(), b.to_string())
        };
        let outcome = if matches!(op, BinOp::TwoEqual(_)) {
            "always false"
        } else {
            "always true"
        };
        self.diag(
            Code::E0019,
            whole,
            format!("comparison of {sa} with {sb} is {outcome}: the values can never be equal"),
        );
    }

    pub(crate) fn check_unary(&mut self, op: &UnOp, t: &Type, sp: Range<u32>) {
        match op {
            UnOp::Minus(_) if all_in(t, self, &["boolean", "nil", "function"]) => {
                self.diag(
                    Code::E0019,
                    sp,
                    format!("cannot apply unary - to {}, expected number", t.widen()),
                );
            }
            UnOp::Hash(_) if all_in(t, self, &["boolean", "number", "function"]) => {
                self.diag(
                    Code::E0019,
                    sp,
                    format!(
                        "cannot apply the length operator to {}, expected a string or a table",
                        t.widen()
                    ),
                );
            }
            _ => {}
        }
    }
}
