//! The Luau host layer shared by `wippy run`/`wippy test` (the `runtime` crate) and
//! `wippy serve` (the `twin` crate):
//!
//! - [`compile`]: Luau source → bytecode with fixed, reproducible options;
//! - [`chunk`]: [`chunk::Bytecode`], the only way to load a chunk (compiled here or
//!   hash-verified, always `ChunkMode::Binary`), and error texts without mlua's wrapping;
//! - [`sandbox`]: the read-only base environment built from THE environment lists
//!   ([`project::env`]) and per-call environments over it;
//! - [`limits`]: instruction budget, wall clock and memory from a raw Luau interrupt;
//! - [`value`]: Lua values ⇄ JSON by the Wippy `json` module's rules.
//!
//! *Invariant:* knows nothing of the checker; only bytecode this process compiled or whose hash
//! it checked is ever loaded.

pub mod chunk;
pub mod compile;
pub mod limits;
pub mod sandbox;
pub mod value;

pub use chunk::{error_line, error_text, sha256_hex, Bytecode};
pub use limits::{Budget, Limits, Tripped};
pub use sandbox::{build_base, Base, EnvFactory};
