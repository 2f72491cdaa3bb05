//! Nil safety: a value that may be nil where nil fails at run time — indexed (`E0023`, go-lua's
//! `ErrOptionalIndex`), called or used as a method receiver (`E0021`, `ErrOptionalCall`),
//! an operand of arithmetic, `..`, `<` or `#`, or passed, assigned or returned where a
//! non-optional type is declared (`E0000`). The message says where the nil comes from.
//!
//! How seriously depends on that origin ([`crate::walk::flow::OriginKind`]), in default mode:
//! the program's own declaration (an annotated `T?` local or parameter, the annotated return of
//! a Lua function) is an error; a contract written elsewhere (an optional field of a declared
//! record, the return of a manifest signature such as `tonumber`) and the value of a
//! `(value, error?)` pair whose error was kept but not checked are warnings; a nil only
//! inferred from code (an unannotated function that can `return nil`, the fields of tables
//! built in code, `local x` without a value), the value of a pair whose error was dropped, a
//! field of an upvalue read in a closure, and an element read from an array or a map are not
//! reported. Strict mode (go-lua's) reports all of them as errors. Dead code is not reported.

use std::ops::Range;
use std::sync::Arc;

use full_moon::ast::{BinOp, UnOp};
use typedefs::Type;

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::Code;
use crate::walk::flow::{Origin, OriginKind};
use crate::walk::{Cur, Walker};

/// An operand as the nil rule sees it: its type, where a nil in it comes from, its span.
pub(crate) type Operand<'t> = (&'t Type, Option<Arc<Origin>>, Range<u32>);

impl Walker<'_> {
    /// Whether strict mode is on (go-lua's: nil and any/unknown must be proven away).
    pub(crate) fn strict(&self) -> bool {
        self.env.strict()
    }

    /// How a use of a value that may be nil from `origin` is reported (`None`: not at all).
    pub(crate) fn nil_severity(&self, origin: Option<&Origin>) -> Option<Severity> {
        if !self.reachable() {
            return None;
        }
        let strict = self.strict();
        match origin.map(|o| o.kind) {
            _ if strict => Some(Severity::Error),
            Some(OriginKind::Declared) => Some(Severity::Error),
            Some(OriginKind::Contract | OriginKind::Pair { err: Some(_) }) => {
                Some(Severity::Warning)
            }
            _ => None,
        }
    }

    /// Report a use of a value that may be nil: `what` is the sentence up to the reason.
    pub(crate) fn report_nil(
        &mut self,
        code: Code,
        sp: Range<u32>,
        what: String,
        origin: Option<&Origin>,
    ) -> bool {
        let Some(severity) = self.nil_severity(origin) else {
            return false;
        };
        let mut msg = what;
        if let Some(o) = origin {
            msg.push_str(&format!(" ({})", o.source));
        }
        let mut d = Diagnostic::new(code, self.file, sp, msg);
        d.severity = severity;
        let help = match origin.map(|o| o.kind) {
            Some(OriginKind::Pair { err: Some(e) }) => format!(
                "check the error first: `if {} then return nil, {} end`",
                self.locals[e].name, self.locals[e].name
            ),
            _ => {
                "check it first (`if x then … end`), give a default (`x or …`), or assert it (`x!`)"
                    .into()
            }
        };
        self.report(d.with_help(help));
        true
    }

    /// Before `cur.f`, `cur[k]` (`E0023`), `cur(…)` (`E0021`), `cur:m(…)` (`E0021`, `method`):
    /// report a receiver that may be nil and go on with its non-nil part.
    pub(crate) fn nil_receiver(
        &mut self,
        mut cur: Cur,
        sp: Range<u32>,
        code: Code,
        method: bool,
    ) -> Cur {
        if !cur.ty.is_optional() {
            return cur;
        }
        let verb = if code == Code::E0021 { "call" } else { "index" };
        let subject = if method {
            format!("a method of `{}`", cur.path)
        } else {
            format!("`{}`", cur.path)
        };
        let what = if matches!(cur.ty, Type::Nil) {
            format!("cannot {verb} {subject}: it is nil")
        } else {
            format!("cannot {verb} {subject}: it may be nil")
        };
        self.report_nil(code, sp, what, cur.origin.as_deref());
        cur.ty = match cur.ty.non_nil() {
            Type::Nil => Type::Any,
            t => t,
        };
        cur.origin = None;
        cur
    }

    /// Operands of arithmetic, `..` and ordering that may be nil.
    pub(crate) fn nil_operands(&mut self, op: &BinOp, operands: [Operand<'_>; 2]) {
        let sym = match op {
            BinOp::Plus(_) => "+",
            BinOp::Minus(_) => "-",
            BinOp::Star(_) => "*",
            BinOp::Slash(_) => "/",
            BinOp::DoubleSlash(_) => "//",
            BinOp::Percent(_) => "%",
            BinOp::Caret(_) => "^",
            BinOp::TwoDots(_) => "..",
            BinOp::LessThan(_) => "<",
            BinOp::LessThanEqual(_) => "<=",
            BinOp::GreaterThan(_) => ">",
            BinOp::GreaterThanEqual(_) => ">=",
            _ => return,
        };
        for (side, (t, origin, sp)) in ["left", "right"].into_iter().zip(operands) {
            if t.is_optional() && !matches!(t, Type::Nil) {
                let what = format!("{side} operand of `{sym}` may be nil");
                if self.report_nil(Code::E0000, sp, what, origin.as_deref()) {
                    return;
                }
            }
        }
    }

    /// `#x` / `-x` of a value that may be nil.
    pub(crate) fn nil_unary(
        &mut self,
        op: &UnOp,
        t: &Type,
        origin: Option<Arc<Origin>>,
        sp: Range<u32>,
    ) {
        let what = match op {
            UnOp::Hash(_) => "the operand of `#` may be nil",
            UnOp::Minus(_) => "the operand of unary `-` may be nil",
            _ => return,
        };
        if t.is_optional() && !matches!(t, Type::Nil) {
            self.report_nil(Code::E0000, sp, what.to_owned(), origin.as_deref());
        }
    }
}
