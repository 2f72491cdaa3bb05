//! Semantic tokens: each name in a Lua file classified from the analysis — parameters,
//! locals, local functions, `require`d modules (namespace, readonly), members (property,
//! function or method by what the shared member lookup says), the functions a file defines,
//! the environment's globals (defaultLibrary, readonly) and the names inside Wippy type
//! annotations (type). Keywords, strings and comments are left to the editor's grammar.

use std::collections::HashMap;

use checker::walk::index::{ChunkIndex, SymbolKind as LocalKind};
use tower_lsp::lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend,
};
use typedefs::lexer::{lex, TokenKind};
use typedefs::{MemberRole, ModuleSet, Type};

use crate::analysis::Analysis;
use crate::resolve::{member_of, KEYWORDS};
use crate::text::{Encoding, Text};
use crate::workspace::globals_of;

const NAMESPACE: u32 = 0;
const TYPE: u32 = 1;
const PARAMETER: u32 = 2;
const VARIABLE: u32 = 3;
const PROPERTY: u32 = 4;
const FUNCTION: u32 = 5;
const METHOD: u32 = 6;

const DECLARATION: u32 = 1;
const READONLY: u32 = 2;
const DEFAULT_LIBRARY: u32 = 4;

/// The token types and modifiers, in the order the encoded tokens index them.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::NAMESPACE,
            SemanticTokenType::TYPE,
            SemanticTokenType::PARAMETER,
            SemanticTokenType::VARIABLE,
            SemanticTokenType::PROPERTY,
            SemanticTokenType::FUNCTION,
            SemanticTokenType::METHOD,
        ],
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::READONLY,
            SemanticTokenModifier::DEFAULT_LIBRARY,
        ],
    }
}

fn classify_local(index: &ChunkIndex, id: usize, at: u32) -> (u32, u32) {
    let l = &index.locals[id];
    let decl = if l.decl.start == at { DECLARATION } else { 0 };
    match (l.kind, &l.ty) {
        (LocalKind::Param, _) => (PARAMETER, decl),
        (LocalKind::Import, _) => (NAMESPACE, decl | READONLY),
        (LocalKind::Function, _) | (_, Type::Function(_)) => (FUNCTION, decl),
        _ => (VARIABLE, decl),
    }
}

/// What the index says about the names of a chunk, by start offset.
struct Names<'i> {
    definitions: HashMap<u32, bool>,
    locals: HashMap<u32, usize>,
    members: HashMap<u32, &'i checker::walk::index::MemberAccess>,
}

impl<'i> Names<'i> {
    fn of(index: &'i ChunkIndex) -> Names<'i> {
        let mut locals: HashMap<u32, usize> =
            index.uses.iter().map(|(id, s)| (s.start, *id)).collect();
        for (id, l) in index.locals.iter().enumerate() {
            if !l.decl.is_empty() {
                locals.insert(l.decl.start, id);
            }
        }
        Names {
            definitions: index
                .outline
                .definitions
                .iter()
                .filter(|d| d.function)
                .map(|d| (d.name.start, d.method))
                .collect(),
            locals,
            members: index.members.iter().map(|m| (m.name.start, m)).collect(),
        }
    }
}

/// Token type and modifiers of the name starting at `start` of `a`'s text, if it is
/// classified (`in_type`: it lies in a type annotation).
fn classify(
    modules: &ModuleSet,
    a: &Analysis,
    index: &ChunkIndex,
    names: &Names<'_>,
    start: u32,
    name: &str,
    in_type: bool,
) -> Option<(u32, u32)> {
    if in_type {
        return Some((TYPE, 0));
    }
    if let Some(&method) = names.definitions.get(&start) {
        return Some((if method { METHOD } else { FUNCTION }, DECLARATION));
    }
    if let Some(&id) = names.locals.get(&start) {
        return Some(classify_local(index, id, start));
    }
    if let Some(access) = names.members.get(&start) {
        let kind = match member_of(modules, index, access, name).map(|m| m.role) {
            Some(MemberRole::Function) if access.colon => METHOD,
            Some(MemberRole::Function) => FUNCTION,
            Some(MemberRole::Table) => NAMESPACE,
            _ if access.colon => METHOD,
            _ => PROPERTY,
        };
        return Some((kind, 0));
    }
    if let Some(g) = globals_of(a.environment()).get(name) {
        let kind = match g.ty {
            Type::Namespace(_) => NAMESPACE,
            Type::Function(_) | Type::AnyFunction => FUNCTION,
            _ => VARIABLE,
        };
        return Some((kind, DEFAULT_LIBRARY | READONLY));
    }
    let entry = a.entry()?;
    let is_alias = entry.modules.iter().any(|m| m.value == name)
        || entry.imports.iter().any(|i| i.alias == name);
    is_alias.then_some((NAMESPACE, READONLY))
}

/// The semantic tokens of `a`'s text, encoded as LSP deltas in `enc`.
pub fn tokens(modules: &ModuleSet, a: &Analysis, enc: Encoding) -> Vec<SemanticToken> {
    let Some(index) = a.index.as_deref() else {
        return Vec::new();
    };
    let text: &Text = &a.text;
    let src = text.as_str();
    let names = Names::of(index);
    let spans = &index.outline.type_spans;
    let mut next_span = 0;
    let mut out = Vec::new();
    let (mut line, mut col) = (0u32, 0u32);
    for t in lex(src) {
        if t.kind != TokenKind::Name {
            continue;
        }
        let name = t.text(src);
        if KEYWORDS.contains(&name) || name.is_empty() {
            continue;
        }
        while next_span < spans.len() && spans[next_span].end <= t.start {
            next_span += 1;
        }
        let in_type = spans
            .get(next_span)
            .is_some_and(|s| s.start <= t.start && t.start < s.end);
        let Some((kind, mods)) = classify(modules, a, index, &names, t.start, name, in_type) else {
            continue;
        };
        let p = text.pos(t.start as usize, enc);
        let q = text.pos(t.end as usize, enc);
        if q.line != p.line {
            continue;
        }
        let delta_start = if p.line == line {
            p.character - col
        } else {
            p.character
        };
        out.push(SemanticToken {
            delta_line: p.line - line,
            delta_start,
            length: q.character - p.character,
            token_type: kind,
            token_modifiers_bitset: mods,
        });
        line = p.line;
        col = p.character;
    }
    out
}
