//! The Wippy type checker.
//!
//! Pipeline: a [`project::Project`] (entries, twins) → [`check::check_project`] parses each Lua
//! chunk ([`syntax`]: the dialect pre-pass, then full_moon), walks it ([`walk`]: scopes and
//! inference) against its [`env::Env`], with the rules of [`rules`] reporting
//! [`diagnostic::Diagnostic`]s whose codes come from [`registry`] → [`output`] renders them as
//! text, JSON, SARIF, GitHub workflow commands or one line each; [`suppress`] and
//! [`config`] apply inline suppressions and per-code levels after every rule has run. `wippy check` and `wippy lsp` both call this crate, so they report the same
//! diagnostics.

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod env;
pub mod output;
pub mod registry;
mod report;
pub mod rules;
pub mod summary;
pub mod suppress;
pub mod walk;

pub use check::{check_project, check_with, Report, Stats};
pub use config::Settings;
pub use diagnostic::{Diagnostic, Severity};
pub use registry::Code;
