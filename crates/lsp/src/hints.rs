//! Inlay hints, folding ranges and document highlight, from an analysis.
//!
//! Hints (each kind can be turned off, see [`crate::workspace::Config`]): parameter names at
//! call sites of functions whose signature names them (library and local functions; not when
//! the argument is already that name), and the inferred type of a local declared without an
//! annotation (not for `any`, functions or imports).

use std::ops::Range;

use checker::walk::index::{ChunkIndex, SymbolKind as LocalKind};
use checker::walk::outline::is_multiline;
use tower_lsp::lsp_types::{DocumentHighlightKind, FoldingRangeKind};
use typedefs::{ModuleSet, Type};

use crate::analysis::Analysis;
use crate::hover::short_type;
use crate::resolve::{global, member_of, receiver_text, word_at};

/// Longest type shown in a hint.
const MAX_HINT_CHARS: usize = 40;

/// One hint at a byte offset.
#[derive(Clone, Debug, PartialEq)]
pub struct Hint {
    /// Where it shows.
    pub at: usize,
    /// What it says (`name:` or `: type`).
    pub label: String,
    /// A parameter name (else a type).
    pub parameter: bool,
}

/// The hints of `a` in bytes `range` of its text.
pub fn inlay_hints(
    modules: &ModuleSet,
    a: &Analysis,
    range: Range<usize>,
    parameters: bool,
    types: bool,
) -> Vec<Hint> {
    let Some(index) = a.index.as_deref() else {
        return Vec::new();
    };
    let text = a.text.as_str();
    let inside = |o: usize| range.start <= o && o <= range.end;
    let mut out = Vec::new();
    if parameters {
        for call in index
            .outline
            .calls
            .iter()
            .filter(|c| c.args.first().is_some_and(|a0| inside(a0.start as usize)))
        {
            let start = call.callee.start;
            let name = text
                .get(call.callee.start as usize..call.callee.end as usize)
                .unwrap_or("");
            let (function, colon) = match index.member_at(start) {
                Some(access) => (
                    member_of(modules, index, access, name).and_then(|m| m.function),
                    access.colon,
                ),
                None => (
                    match index.local_at(start) {
                        Some(id) => match &index.locals[id].ty {
                            Type::Function(f) => Some(f.clone()),
                            _ => None,
                        },
                        None => match global(a, modules, name) {
                            Some((Type::Function(f), _)) => Some(f),
                            _ => None,
                        },
                    },
                    false,
                ),
            };
            let Some(f) = function else { continue };
            if name == "require" && index.local_at(start).is_none() {
                continue;
            }
            let params = f.call_params(colon);
            for (arg, p) in call.args.iter().zip(params) {
                let Some(pname) = p.name.as_deref().filter(|n| *n != "self") else {
                    continue;
                };
                let arg_text = text.get(arg.start as usize..arg.end as usize).unwrap_or("");
                let last = arg_text.rsplit(['.', ':']).next().unwrap_or("");
                if last == pname || arg_text.is_empty() {
                    continue;
                }
                out.push(Hint {
                    at: arg.start as usize,
                    label: format!("{pname}:"),
                    parameter: true,
                });
            }
        }
    }
    if types {
        for l in &index.locals {
            let at = l.decl.end as usize;
            if l.annotated
                || l.decl.is_empty()
                || l.name.starts_with('_')
                || !matches!(l.kind, LocalKind::Local | LocalKind::LoopVar)
                || matches!(
                    l.ty,
                    Type::Any | Type::Unknown | Type::Nil | Type::Function(_) | Type::AnyFunction
                )
                || !inside(at)
            {
                continue;
            }
            let ty = short_type(&l.ty);
            if ty.chars().count() > MAX_HINT_CHARS {
                continue;
            }
            out.push(Hint {
                at,
                label: format!(": {ty}"),
                parameter: false,
            });
        }
    }
    out.sort_by_key(|h| h.at);
    out
}

/// Foldable regions of `a`'s text: (first byte, last byte, kind) — multi-line blocks and runs
/// of two or more comment lines.
pub fn folding(a: &Analysis) -> Vec<(usize, usize, Option<FoldingRangeKind>)> {
    let text = a.text.as_str();
    let mut out: Vec<(usize, usize, Option<FoldingRangeKind>)> = Vec::new();
    if let Some(index) = a.index.as_deref() {
        for b in &index.outline.blocks {
            if is_multiline(text, b) {
                out.push((b.start as usize, b.end as usize, None));
            }
        }
    }
    let mut run: Option<(usize, usize, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let comment = line.trim_start().starts_with("--");
        match (&mut run, comment) {
            (Some((_, end, n)), true) => {
                *end = offset + line.trim_end().len();
                *n += 1;
            }
            (None, true) => run = Some((offset, offset + line.trim_end().len(), 1)),
            (Some((s, e, n)), false) => {
                if *n >= 2 {
                    out.push((*s, *e, Some(FoldingRangeKind::Comment)));
                }
                run = None;
            }
            (None, false) => {}
        }
        offset += line.len();
    }
    if let Some((s, e, n)) = run {
        if n >= 2 {
            out.push((s, e, Some(FoldingRangeKind::Comment)));
        }
    }
    out.sort_by_key(|f| f.0);
    out
}

/// Occurrences of what is at byte `offset` of `a`: a local (its declaration a write), or a
/// member written with the same receiver (`json.encode` everywhere in the file).
pub fn highlight(
    index: &ChunkIndex,
    a: &Analysis,
    offset: usize,
) -> Vec<(Range<usize>, DocumentHighlightKind)> {
    let text = a.text.as_str();
    let Some((start, end)) = word_at(text, offset) else {
        return Vec::new();
    };
    if let Some(id) = index.local_at(start as u32) {
        let decl = index.locals[id].decl.start as usize;
        return crate::navigate::local_occurrences(index, id)
            .into_iter()
            .map(|s| {
                let kind = if s.start == decl {
                    DocumentHighlightKind::WRITE
                } else {
                    DocumentHighlightKind::READ
                };
                (s, kind)
            })
            .collect();
    }
    let name = &text[start..end];
    let receiver = receiver_text(text, start);
    let is_member = index.member_at(start as u32).is_some()
        || index
            .outline
            .definitions
            .iter()
            .any(|d| d.name.start as usize == start);
    if !is_member || receiver.is_none() {
        return Vec::new();
    }
    let mut out: Vec<(Range<usize>, DocumentHighlightKind)> = index
        .members
        .iter()
        .map(|m| m.name.start as usize..m.name.end as usize)
        .chain(
            index
                .outline
                .definitions
                .iter()
                .map(|d| d.name.start as usize..d.name.end as usize),
        )
        .filter(|s| text.get(s.clone()) == Some(name) && receiver_text(text, s.start) == receiver)
        .map(|s| (s, DocumentHighlightKind::TEXT))
        .collect();
    out.sort_by_key(|(s, _)| s.start);
    out.dedup_by_key(|(s, _)| s.start);
    out
}
