//! The bundled Luau runtime (mlua, feature `luau`, through the [`host`] layer): runs the Lua
//! entries of a project or a `.wapp` pack, with Wippy's built-in modules ([`modules`]).
//!
//! Design (reference/runtime-facts §4): one VM state per runtime (one per worker thread), a fresh
//! environment table per invocation whose `__index` is a read-only table of safe globals, so the
//! globals one call writes are invisible to the next; chunks are compiled once (from lowered
//! source, or taken from a pack after their SHA-256 is checked) and loaded in binary mode only
//! from those two trusted paths.

pub mod modules;
pub mod program;
pub mod vm;

pub use program::{Program, ProgramError};
pub use vm::{RunError, Runtime};
