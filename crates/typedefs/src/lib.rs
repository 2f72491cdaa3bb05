//! The Wippy type model and module manifests.
//!
//! - [`types`]: the one type model (used by the checker, the language server and manifests);
//! - [`lexer`] and [`syntax`]: Wippy's type syntax, parsed from manifest strings and from Lua
//!   annotations alike;
//! - [`manifest`]: the JSON manifest format (see `MANIFESTS.md`);
//! - [`modules`]: the bundled and user manifests, globals per environment, named types;
//! - [`members`]: THE member lookup and listing of a type (checker and language server);
//! - [`relation`]: THE type relation (assignability with reasons) and [`join`] of types;
//! - [`generics`]: instantiating generic signatures at a call by unification.

pub mod counts;
pub mod export;
pub mod generics;
pub mod join;
pub mod lexer;
pub mod manifest;
pub mod members;
pub mod modules;
pub mod relation;
pub mod render;
pub mod syntax;
pub mod types;

pub use join::join;
pub use manifest::{Environment, Expose, ManifestError, ManifestFile, Module};
pub use members::{suggest, ListedMember, Lookup, MemberRole};
pub use modules::{Global, LocalTypes, ModuleSet};
pub use relation::{Mismatch, Mode, Reason, Relation, Step};
pub use syntax::{parse_type_str, SyntaxError, TypeParser};
pub use types::{
    Field, FunctionType, Interface, Literal, Member, MemberKind, NamedRef, Namespace, Param,
    Record, Shape, TableDef, Type, TypeDef, TypeParam,
};
