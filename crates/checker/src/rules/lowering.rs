//! `L0001`: valid Wippy Lua that the bundled Luau runtime cannot run, because the lowering to
//! Luau (`syntax::lower`) has no translation for it — today a `goto` other than a jump to the
//! label that ends the enclosing loop body. `wippy pack --bytecode` and `wippy run` refuse such
//! a chunk; reporting it here puts the same finding in `wippy check` and the editor first.
//! A warning: the real Wippy runtime runs the code.

use full_moon::ast::Ast;

use crate::diagnostic::Diagnostic;
use crate::registry::Code;

/// Diagnostics for the parts of `ast` that cannot be lowered.
pub fn unlowerable(ast: &Ast, file: usize, entry_id: Option<&str>) -> Vec<Diagnostic> {
    syntax::lower::goto_problems(ast)
        .into_iter()
        .map(|e| {
            let mut d = Diagnostic::new(Code::L0001, file, e.span, e.message).with_help(
                "the real Wippy runtime runs it; `wippy pack --bytecode` and `wippy run` cannot",
            );
            d.entry_id = entry_id.map(str::to_owned);
            d
        })
        .collect()
}
