//! Globals no environment defines: `S0001` for a name the Wraith handler sandbox lacks (it is
//! in the entry environment or plain Lua, see [`project::env::missing_in_handlers`]), `E0001`
//! for any other undefined global, with a did-you-mean from the globals and locals in scope.

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::registry::Code;
use crate::walk::{suggest_from, Walker};

impl Walker<'_> {
    /// Report a read of global `name` that nothing defines.
    pub(crate) fn undefined_global(&mut self, name: &str, sp: Range<u32>) {
        if self.env.kind.is_twin() && project::env::missing_in_handlers(name, self.env.modules) {
            self.diag(Code::S0001, sp, format!("`{name}` is not available in Wraith handlers: they run in a Luau sandbox without it"));
            return;
        }
        if self.env.lenient_globals {
            return;
        }
        let mut d = Diagnostic::new(
            Code::E0001,
            self.file,
            sp,
            format!("undefined global `{name}`"),
        );
        let locals: Vec<String> = self
            .scopes
            .iter()
            .flatten()
            .map(|&id| self.locals[id].name.clone())
            .collect();
        let suggestion = suggest_from(name, self.env.globals.keys().chain(locals.iter()));
        if let Some(s) = suggestion {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        self.report(d);
    }
}
