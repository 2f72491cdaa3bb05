//! `L0001`: a `goto` that cannot be compiled — no visible label, a jump into the scope of a
//! local, a jump out of its function. Lua 5.3 refuses these at compile time (go-lua's compiler:
//! "no visible label", "jumps into the scope of local"), and the lowering to Luau
//! (`syntax::lower::goto_problems`) cannot translate them, so `wippy pack --bytecode` and
//! `wippy run` would refuse the chunk; reporting it here puts the finding in `wippy check` and
//! the editor first.

use full_moon::ast::Ast;

use crate::diagnostic::Diagnostic;
use crate::registry::Code;

/// Diagnostics for the parts of `ast` that cannot be lowered.
pub fn unlowerable(ast: &Ast, file: usize, entry_id: Option<&str>) -> Vec<Diagnostic> {
    syntax::lower::goto_problems(ast)
        .into_iter()
        .map(|e| {
            let mut d = Diagnostic::new(Code::L0001, file, e.span, e.message)
                .with_help("Lua 5.3 refuses this jump when it compiles the chunk");
            d.entry_id = entry_id.map(str::to_owned);
            d
        })
        .collect()
}
