//! Verified chunk loading. Luau loads bytecode without checking it (runtime-facts §1.6: a
//! crafted chunk can corrupt the VM), so a [`Bytecode`] can only be made two ways: compiled by
//! this process ([`Bytecode::compile`]) or read from elsewhere and checked against the SHA-256
//! its entry declares ([`Bytecode::verified`]). Loading always sets `ChunkMode::Binary`, so a
//! text chunk can never sneak in as bytecode or the other way round.

use mlua::chunk::ChunkMode;
use mlua::{Function, Lua, Table};
use sha2::{Digest, Sha256};

use crate::compile::{compile, CompileError};

/// Luau bytecode that is safe to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bytecode(Vec<u8>);

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Bytecode {
    /// Compile Luau source (already lowered from Wippy Lua where needed).
    pub fn compile(source: &str) -> Result<Bytecode, CompileError> {
        compile(source).map(Bytecode)
    }

    /// Bytes from a pack, accepted only if their SHA-256 is `expected` (`sha256:<hex>`, as
    /// `wippy pack` writes entry hashes). The error says what did not match.
    pub fn verified(bytes: &[u8], expected: &str) -> Result<Bytecode, String> {
        let actual = format!("sha256:{}", sha256_hex(bytes));
        if actual != expected {
            return Err(format!(
                "bytecode does not match its hash (expected {expected}, got {actual})"
            ));
        }
        Ok(Bytecode(bytes.to_vec()))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Load as a function named `chunk_name` (shown in tracebacks as `@chunk_name`) whose
    /// environment is `env`.
    pub fn load(&self, lua: &Lua, chunk_name: &str, env: &Table) -> mlua::Result<Function> {
        lua.load(&self.0[..])
            .set_name(format!("@{chunk_name}"))
            .set_mode(ChunkMode::Binary)
            .set_environment(env.clone())
            .into_function()
    }
}

/// The message of a Lua error with its traceback, without mlua's wrapping.
pub fn error_text(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { traceback, cause } => {
            format!("{}\n{traceback}", error_text(cause))
        }
        mlua::Error::RuntimeError(m) => m.clone(),
        other => other.to_string(),
    }
}

/// The first line of a Lua error's message, without mlua's wrapping or the traceback.
pub fn error_line(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { cause, .. } => error_line(cause),
        mlua::Error::RuntimeError(m) => m.lines().next().unwrap_or_default().to_owned(),
        other => other
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_matching_hashes_load() {
        let bc = Bytecode::compile("return 1 + 1").unwrap();
        let hash = format!("sha256:{}", sha256_hex(bc.as_bytes()));
        assert!(Bytecode::verified(bc.as_bytes(), &hash).is_ok());
        let mut bad = bc.as_bytes().to_vec();
        bad[1] ^= 1;
        let e = Bytecode::verified(&bad, &hash).unwrap_err();
        assert!(e.contains("does not match"), "{e}");
        let lua = Lua::new();
        let env = lua.globals();
        let f = bc.load(&lua, "x.lua", &env).unwrap();
        assert_eq!(f.call::<i64>(()).unwrap(), 2);
    }
}
