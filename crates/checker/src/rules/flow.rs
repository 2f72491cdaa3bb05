//! Control flow: `E0009` unreachable code (a hint: statements after `return`, `break`,
//! `error(…)`, or an `if` whose every branch ends so), `E0010` missing return (a function with
//! declared returns whose end is reachable, go-lua's `ErrMissingReturn`), `E0015` use before
//! assignment (an annotated local declared without a value, read before any assignment on
//! some path, go-lua's `ErrUseBeforeAssign`). Reachability comes from the flow state
//! (`walk/flow.rs`).

use std::ops::Range;

use full_moon::ast::FunctionBody;

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::{span, Walker};

impl Walker<'_> {
    /// Before a statement at `sp`: `E0009` once for the first statement of a dead stretch.
    pub(crate) fn unreachable_hint(&mut self, sp: Range<u32>) {
        if self.reachable() {
            self.dead_hinted = false;
            return;
        }
        if std::mem::replace(&mut self.dead_hinted, true) {
            return;
        }
        let d = Diagnostic::new(
            Code::E0009,
            self.file,
            sp,
            "unreachable code: the statements before it always return, break or raise an error",
        )
        .with_help("remove it, or move it before the statement that ends the block");
        self.report(d);
    }

    /// The end of function `body` is reachable: `E0010` if its declared returns need a value.
    pub(crate) fn missing_return(&mut self, body: &FunctionBody) {
        let Some(Some((returns, _))) = self.frames.last().map(|f| f.declared.clone()) else {
            return;
        };
        let Some(first) = returns.first() else { return };
        if returns.iter().all(|t| self.admits_nil(t)) {
            return;
        }
        let sp = span(body.parameters_parentheses());
        let shown = if returns.len() == 1 {
            first.to_string()
        } else {
            format!(
                "({})",
                returns
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let d = Diagnostic::new(
            Code::E0010,
            self.file,
            sp,
            format!("missing return: the function is declared to return {shown} but can reach its end without a `return`"),
        )
        .with_help("return a value on every path, or declare the return optional (`T?`)");
        self.report(d);
    }

    /// `E0015`: local `id`, annotated and declared without a value, is read at `sp` before it
    /// is assigned on some path.
    pub(crate) fn use_before_assign(&mut self, id: usize, sp: Range<u32>) {
        if !self.reachable() {
            return;
        }
        let l = &self.locals[id];
        let msg = format!(
            "`{}` is used before it is assigned (declared {} without a value)",
            l.name, l.base
        );
        let d = Diagnostic::new(Code::E0015, self.file, sp, msg)
            .with_help(format!("assign `{}` on every path before this use", l.name));
        self.report(d);
    }
}
