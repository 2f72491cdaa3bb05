//! What an editor needs from a walked chunk (recorded when [`crate::env::Env::index`] is set):
//! every local with the range it is visible in and its type, every use of a local, and every
//! member access with the type of its receiver, plus the chunk's [`Outline`] (definitions, call
//! sites, blocks). The language server answers completion, hover, signature help, definition,
//! references, rename, symbols, inlay hints and semantic tokens from it.

use std::ops::Range;

use typedefs::{LocalTypes, Type};

pub use super::outline::{CallSite, Definition, Outline, Returned};

/// What a local is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// `local x`.
    Local,
    /// `local function f`.
    Function,
    /// `local m = require("m")`.
    Import,
    /// A function parameter.
    Param,
    /// A `for` variable.
    LoopVar,
}

/// One local.
#[derive(Clone, Debug)]
pub struct LocalSymbol {
    /// Name.
    pub name: String,
    /// Byte span of the declaring name (empty for an implicit `self`).
    pub decl: Range<u32>,
    /// Byte offset where its scope ends (`u32::MAX` for the chunk's top level).
    pub scope_end: u32,
    /// Its type at the end of the walk.
    pub ty: Type,
    /// What it is.
    pub kind: SymbolKind,
    /// Declared at the chunk's top level.
    pub top_level: bool,
    /// Its type was written (`local x: T`), not inferred.
    pub annotated: bool,
}

impl LocalSymbol {
    /// Whether the local is visible at byte `offset`.
    pub fn visible_at(&self, offset: u32) -> bool {
        self.decl.end <= offset && offset <= self.scope_end
    }
}

/// `recv.name` or `recv:name`.
#[derive(Clone, Debug)]
pub struct MemberAccess {
    /// Byte span of `name`.
    pub name: Range<u32>,
    /// The receiver's type.
    pub receiver: Type,
    /// Written with `:`.
    pub colon: bool,
}

/// The index of one chunk.
#[derive(Clone, Debug, Default)]
pub struct ChunkIndex {
    /// Locals in declaration order.
    pub locals: Vec<LocalSymbol>,
    /// Uses of locals: (index into `locals`, byte span), declarations excluded.
    pub uses: Vec<(usize, Range<u32>)>,
    /// Member accesses in source order.
    pub members: Vec<MemberAccess>,
    /// Types the chunk declares (`type Point = {…}`), for member lookups on its locals.
    pub local_types: LocalTypes,
    /// Definitions, returned fields, call sites, blocks and type ranges (see [`Outline`]).
    pub outline: Outline,
}

impl ChunkIndex {
    /// The local a name at byte `offset` refers to (its declaration or a use).
    pub fn local_at(&self, offset: u32) -> Option<usize> {
        self.locals
            .iter()
            .position(|l| l.decl.start <= offset && offset <= l.decl.end && !l.decl.is_empty())
            .or_else(|| {
                self.uses
                    .iter()
                    .find(|(_, s)| s.start <= offset && offset <= s.end)
                    .map(|(i, _)| *i)
            })
    }

    /// Every span naming local `id`: its declaration first, then its uses.
    pub fn occurrences(&self, id: usize) -> Vec<Range<u32>> {
        let mut out = vec![self.locals[id].decl.clone()];
        out.extend(
            self.uses
                .iter()
                .filter(|(i, _)| *i == id)
                .map(|(_, s)| s.clone()),
        );
        out
    }

    /// The member access whose name spans byte `offset`.
    pub fn member_at(&self, offset: u32) -> Option<&MemberAccess> {
        self.members
            .iter()
            .rev()
            .find(|m| m.name.start <= offset && offset <= m.name.end)
    }

    /// Locals visible at `offset`, innermost (latest declared) first, one per name.
    pub fn visible(&self, offset: u32) -> Vec<&LocalSymbol> {
        let mut seen = std::collections::HashSet::new();
        self.locals
            .iter()
            .rev()
            .filter(|l| l.visible_at(offset) && seen.insert(l.name.as_str()))
            .collect()
    }
}
