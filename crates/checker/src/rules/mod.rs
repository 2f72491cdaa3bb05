//! The rules, one file per family; each code's family is in the [`crate::registry`].
//!
//! Rules that need the walk's scopes and types (`globals`, `members`, `calls`, `types`,
//! `records`, `operators`, `modules`, `unused`) are methods the walk calls at the point they apply; rules over a whole
//! chunk or entry (`syntax`, `lowering`, `entries`) are functions the project driver calls.
//! Every rule reports through [`crate::diagnostic::Diagnostic`] with a registry code, so
//! suppression and configuration can be applied in one place after all rules ran.

pub mod calls;
pub mod entries;
pub mod globals;
pub mod lowering;
pub mod members;
pub mod modules;
pub mod operators;
pub mod records;
pub mod syntax;
pub mod types;
pub mod unused;
