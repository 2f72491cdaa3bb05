//! The bundled Luau runtime (mlua, feature `luau`, through the [`host`] layer): runs the Lua
//! entries of a project or a `.wapp` pack as Wippy processes, with Wippy's built-in modules
//! ([`modules`]).
//!
//! Design (reference/runtime-facts §4, §6): a [`sched::Node`] runs processes on a few worker
//! threads, one Luau state each; a process is an environment table of its own over a read-only
//! base of safe globals, and tasks (Luau threads) that yield to the worker when they block.
//! Chunks are compiled once (from lowered source, or taken from a pack after their SHA-256 is
//! checked) and loaded in binary mode only from those two trusted paths.

mod globals;
pub mod modules;
pub mod program;
pub mod sched;
pub mod services;
pub mod testing;
pub mod types;
pub mod vm;

pub use program::{Program, ProgramError};
pub use vm::{RunError, Runtime};
