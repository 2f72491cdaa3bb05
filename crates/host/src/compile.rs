//! Compiling lowered Luau source to Luau bytecode with mlua's bundled Luau compiler.
//!
//! Options are fixed so packs are reproducible (Luau's output is byte-identical across
//! recompiles: reference/runtime-facts §1.5): optimization level 1, debug level 1 (line info and
//! function names, so tracebacks point at the original lines).

use mlua::chunk::Compiler;

/// Luau optimization level used for packs.
pub const OPTIMIZATION_LEVEL: u8 = 1;
/// Luau debug level used for packs (1 = lines and function names).
pub const DEBUG_LEVEL: u8 = 1;

/// A compile failure: message from Luau's compiler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError(pub String);

/// Compile Luau source to bytecode.
pub fn compile(source: &str) -> Result<Vec<u8>, CompileError> {
    Compiler::new()
        .set_optimization_level(OPTIMIZATION_LEVEL)
        .set_debug_level(DEBUG_LEVEL)
        .compile(source)
        .map_err(|e| CompileError(e.to_string()))
}

/// The bundled Luau's `_VERSION` (e.g. `Luau 0.740`), recorded in pack metadata.
pub fn luau_version() -> String {
    mlua::Lua::new()
        .globals()
        .get::<String>("_VERSION")
        .unwrap_or_else(|_| "Luau".into())
}

/// The Luau bytecode version of a compiled chunk (its first byte).
pub fn bytecode_version(bytecode: &[u8]) -> u8 {
    bytecode.first().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_lowered_code_deterministically() {
        let src = "local x = bit32.band(5, 3)\nreturn { main = function() return x end }\n";
        let a = compile(src).expect("compile");
        assert_eq!(a, compile(src).expect("compile"));
        assert!(bytecode_version(&a) >= 3);
    }

    #[test]
    fn syntax_errors_are_errors() {
        assert!(compile("local = 1").is_err());
    }
}
