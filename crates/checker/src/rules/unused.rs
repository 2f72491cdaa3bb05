//! `W0004` unused local variable, `W0006` unused import (go-lua's no-unused-vars and
//! no-unused-imports, `wippy lint --rules`): reported when a local's scope closes. An import
//! named in a type annotation (`geo.Point`) is used.

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::{LocalKind, Walker};

impl Walker<'_> {
    /// Report local `id` if it was never read (parameters, loop variables and `_`-names are
    /// exempt).
    pub(crate) fn unused_local(&mut self, id: usize) {
        let l = &self.locals[id];
        if l.used
            || self.type_qualifiers.contains(&l.name)
            || l.name.starts_with('_')
            || matches!(l.kind, LocalKind::Param | LocalKind::LoopVar)
        {
            return;
        }
        let (code, msg) = match l.kind {
            LocalKind::Import => (Code::W0006, format!("unused import `{}`", l.name)),
            LocalKind::Function => (Code::W0004, format!("unused local function `{}`", l.name)),
            _ => (Code::W0004, format!("unused local `{}`", l.name)),
        };
        let d = Diagnostic::new(code, self.file, l.span.clone(), msg)
            .with_help(format!("remove it, or prefix it with `_` (`_{}`)", l.name));
        self.diags.push(d);
    }
}
