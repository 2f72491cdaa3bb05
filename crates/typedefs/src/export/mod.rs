//! Exporting manifests for other tools: the JSON format the checker loads ([`json`]),
//! LuaCATS `---@meta` files for lua-language-server and EmmyLua ([`luacats`]), and Luau
//! declarations for luau-lsp ([`luau`]).

pub mod json;
pub mod luacats;
pub mod luau;

use crate::manifest::Module;
use crate::types::{Member, MemberKind};

/// One exported file: a relative file name and its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// File name relative to the output directory.
    pub name: String,
    /// Contents.
    pub text: String,
}

/// The manifests of the Lua standard library, which editors already know: exporters emit only
/// their functions, without redeclaring the library tables.
pub const STDLIB: &[&str] = &[
    "lua",
    "lua_unsafe",
    "string",
    "table",
    "math",
    "utf8",
    "coroutine",
    "os",
];

/// Named members of a table, in name order.
pub(crate) type Named<'a> = Vec<(&'a String, &'a Member)>;

/// Members of a table in name order, split into (functions, tables, constants).
pub(crate) fn split_members(
    members: &std::collections::BTreeMap<String, Member>,
) -> (Named<'_>, Named<'_>, Named<'_>) {
    let mut f = Vec::new();
    let mut t = Vec::new();
    let mut c = Vec::new();
    for (name, m) in members {
        match m.kind {
            MemberKind::Function(_) => f.push((name, m)),
            MemberKind::Table(_) => t.push((name, m)),
            MemberKind::Constant(..) => c.push((name, m)),
        }
    }
    (f, t, c)
}

/// Whether a name can be written as `a.name` in Lua.
pub(crate) fn is_lua_name(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
        "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ];
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// Sorted modules for deterministic output.
pub(crate) fn sorted<'a>(
    modules: impl IntoIterator<Item = &'a std::sync::Arc<Module>>,
) -> Vec<&'a Module> {
    let mut v: Vec<&Module> = modules.into_iter().map(|m| &**m).collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}
