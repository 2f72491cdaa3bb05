//! Wippy Lua syntax, shared by the checker, the packer and the runtimes:
//!
//! - [`dialect`]: the pre-pass that reads Wippy's type syntax (annotations, `type` and
//!   `interface` declarations, casts), keeps the types in tables keyed by byte offset and blanks
//!   them at the same offsets, so full_moon only ever sees Lua;
//! - [`parse`]: full_moon 3 over the blanked text, panics caught and nesting bounded;
//! - [`lower`]: Wippy Lua (Lua 5.3 operators, `goto`) rewritten to Luau source line for line,
//!   and [`lower::goto_problems`], the `goto`s Luau cannot express, which the checker reports;
//! - [`goto`]: the lowering of `goto` and labels to Luau loops, `continue` and `break`;
//! - [`typevalues`]: `type` declarations as run-time type values.
//!
//! *Invariant:* knows nothing of projects, entries or diagnostics codes.

pub mod dialect;
pub mod goto;
pub mod lower;
pub mod parse;
pub mod typevalues;

pub use dialect::Dialect;
pub use parse::{
    parse_chunk, parse_chunk_recovering, with_parse_stack, Parsed, Recovered, PARSE_STACK,
};
