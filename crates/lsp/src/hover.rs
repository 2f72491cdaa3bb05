//! Hover (signature and description of module members and methods, inferred type of locals)
//! and signature help (the innermost open call at the cursor, with the active parameter).

use std::path::Path;

use tower_lsp::lsp_types::{
    ParameterInformation, ParameterLabel, SignatureHelp, SignatureInformation,
};
use typedefs::types::FunctionType;
use typedefs::Type;

use crate::complete::word_start;
use crate::workspace::{Analysis, Workspace};

fn code(s: &str) -> String {
    format!("```wippy\n{s}\n```")
}

/// The identifier around byte `offset` (start, end).
pub fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let start = word_start(text, offset);
    let end = offset
        + text[offset..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - offset);
    (start < end).then_some((start, end))
}

/// The type and description of global `name` in the environment of the document at `path`
/// (or of module `name`).
pub fn global(ws: &Workspace, path: &Path, name: &str) -> Option<(Type, Option<String>)> {
    let env = ws.environment(path);
    if let Some(g) = env.globals(ws.modules).remove(name) {
        return Some((g.ty, g.description));
    }
    let m = ws.modules.get(name)?;
    Some((m.value_type(), m.description.clone()))
}

/// The member `name` of an access's receiver, through the shared lookup (with the chunk's
/// declared types).
fn member_of(
    ws: &Workspace,
    index: &checker::walk::index::ChunkIndex,
    access: &checker::walk::index::MemberAccess,
    name: &str,
) -> Option<typedefs::ListedMember> {
    ws.modules.listed_member(
        &access.receiver,
        name,
        access.colon,
        Some(&index.local_types),
    )
}

/// Markdown for a hover at byte `offset`.
pub fn hover(ws: &Workspace, path: &Path, a: &Analysis, offset: usize) -> Option<String> {
    let (start, end) = word_at(a.text.as_str(), offset)?;
    let name = &a.text.as_str()[start..end];
    let index = a.index.as_ref()?;
    if let Some(access) = index.member_at(start as u32) {
        let m = member_of(ws, index, access, name)?;
        let owner = access.receiver.to_string();
        let sep = if access.colon { ":" } else { "." };
        let mut s = code(&format!("{owner}{sep}{}: {}", m.name, m.detail));
        if let Some(d) = &m.doc {
            s.push_str("\n\n");
            s.push_str(d);
        }
        return Some(s);
    }
    if let Some(id) = index.local_at(start as u32) {
        let l = &index.locals[id];
        return Some(code(&format!("local {}: {}", l.name, l.ty)));
    }
    let (ty, doc) = global(ws, path, name)?;
    let mut s = code(&format!("{name}: {ty}"));
    if let Some(d) = doc {
        s.push_str("\n\n");
        s.push_str(&d);
    }
    Some(s)
}

/// The brackets `text` leaves open, closed in order (`f({ a = g(` → `)})`); strings and
/// comments are skipped.
pub fn closers(text: &str) -> String {
    let b = text.as_bytes();
    let mut stack = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => stack.push(b')'),
            b'[' => stack.push(b']'),
            b'{' => stack.push(b'}'),
            b')' | b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.iter().rev().map(|&c| c as char).collect()
}

/// The innermost `(` open at `offset` and the number of top-level commas after it.
fn open_call(text: &str, offset: usize) -> Option<(usize, u32)> {
    let bytes = text.as_bytes();
    let (mut depth, mut commas) = (0i32, 0u32);
    let mut i = offset;
    while i > 0 {
        i -= 1;
        match bytes[i] {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
            b'(' => return Some((i, commas)),
            b'[' | b'{' => return None,
            b',' if depth == 0 => commas += 1,
            _ => {}
        }
    }
    None
}

fn signature_of(f: &FunctionType, label_name: &str, colon: bool, active: u32) -> SignatureHelp {
    let params = f.call_params(colon);
    let mut label = format!("{label_name}(");
    let mut infos = Vec::new();
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            label.push_str(", ");
        }
        let text = match &p.name {
            Some(n) => format!("{n}: {}", p.ty),
            None => p.ty.to_string(),
        };
        let start = label.encode_utf16().count() as u32;
        label.push_str(&text);
        let end = label.encode_utf16().count() as u32;
        infos.push(ParameterInformation {
            label: ParameterLabel::LabelOffsets([start, end]),
            documentation: None,
        });
    }
    if let Some(v) = &f.variadic {
        if !params.is_empty() {
            label.push_str(", ");
        }
        label.push_str(&format!("...{v}"));
    }
    let returns: Vec<String> = f.returns.iter().map(ToString::to_string).collect();
    label.push(')');
    if !returns.is_empty() {
        label.push_str(&format!(" -> {}", returns.join(", ")));
    }
    let last = infos.len().saturating_sub(1) as u32;
    let active = if f.variadic.is_some() {
        active
    } else {
        active.min(last)
    };
    SignatureHelp {
        signatures: vec![SignatureInformation {
            label,
            documentation: None,
            parameters: Some(infos),
            active_parameter: Some(active),
        }],
        active_signature: Some(0),
        active_parameter: Some(active),
    }
}

/// Signature help at byte `offset` of `a`'s text (through nested calls: the innermost one).
pub fn signature(
    ws: &Workspace,
    path: &Path,
    a: &Analysis,
    offset: usize,
) -> Option<SignatureHelp> {
    let text = a.text.as_str();
    let (paren, commas) = open_call(text, offset)?;
    let callee_end = text[..paren].trim_end().len();
    let callee_start = word_start(text, callee_end);
    if callee_start == callee_end {
        return None;
    }
    let name = &text[callee_start..callee_end];
    let index = a.index.as_ref()?;
    if let Some(access) = index.member_at(callee_start as u32) {
        let m = member_of(ws, index, access, name)?;
        let f = m.function?;
        let mut help = signature_of(&f, name, access.colon, commas);
        if let Some(d) = m.doc {
            help.signatures[0].documentation = Some(tower_lsp::lsp_types::Documentation::String(d));
        }
        return Some(help);
    }
    let ty = match index.local_at(callee_start as u32) {
        Some(id) => index.locals[id].ty.clone(),
        None => global(ws, path, name)?.0,
    };
    match ty {
        Type::Function(f) => Some(signature_of(&f, name, false, commas)),
        _ => None,
    }
}
