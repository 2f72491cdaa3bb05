//! Wippy project loader, dialect parser and type checker.
//!
//! Pipeline: [`project::load_project`] reads entry YAML and twins → [`check::check_project`]
//! parses each Lua chunk ([`parse`], after the [`dialect`] pre-pass), walks it ([`walk`]) against
//! its [`env::Env`], and collects [`diagnostic::Diagnostic`]s → [`output`] renders them as text or
//! JSON. `wippy check` and `wippy lsp` both call this crate, so they report the same diagnostics.

pub mod check;
pub mod diagnostic;
pub mod dialect;
pub mod env;
pub mod files;
pub mod output;
pub mod parse;
pub mod project;
pub mod walk;
pub mod yaml;

pub use check::{check_project, Report, Stats};
pub use diagnostic::{Diagnostic, Severity};
pub use files::Files;
pub use project::{load_project, Project};
