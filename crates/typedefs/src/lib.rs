//! The Wippy type model and module manifests.
//!
//! - [`types`]: the one type model (used by the checker, the language server and manifests);
//! - [`lexer`] and [`syntax`]: Wippy's type syntax, parsed from manifest strings and from Lua
//!   annotations alike;
//! - [`manifest`]: the JSON manifest format (see `MANIFESTS.md`);
//! - [`modules`]: the bundled and user manifests, globals per environment, named types;
//! - [`members`]: THE member lookup and listing of a type (checker and language server);
//! - [`compat`]: assignability between types.

pub mod compat;
pub mod counts;
pub mod export;
pub mod lexer;
pub mod manifest;
pub mod members;
pub mod modules;
pub mod render;
pub mod syntax;
pub mod types;

pub use compat::fits;
pub use manifest::{Environment, Expose, ManifestError, ManifestFile, Module};
pub use members::{suggest, ListedMember, Lookup, MemberRole};
pub use modules::{Global, LocalTypes, ModuleSet};
pub use syntax::{parse_type_str, SyntaxError, TypeParser};
pub use types::{
    Field, FunctionType, Interface, Literal, Member, MemberKind, NamedRef, Namespace, Param,
    Record, TableDef, Type, TypeDef, TypeParam,
};
