//! Hover (a member's signature and description — never its container's whole type —, the
//! inferred type of a local, a global's type and description) and signature help (the
//! innermost open call at the cursor, library and local functions, with the active
//! parameter). Both read an analysis; signature help also types callees the last analysis did
//! not see yet (a call being typed) from the scope there.

use tower_lsp::lsp_types::{
    Documentation, ParameterInformation, ParameterLabel, SignatureHelp, SignatureInformation,
};
use typedefs::types::FunctionType;
use typedefs::{ModuleSet, Type};

use crate::analysis::Analysis;
use crate::resolve::{
    chain_type, global, member_of, receiver_chain, receiver_text, visible, word_at, word_start,
};
use crate::text::Shift;

fn code(s: &str) -> String {
    format!("```wippy\n{s}\n```")
}

/// Longest type rendering shown whole in a hover or hint.
pub const MAX_TYPE_CHARS: usize = 120;

/// A type for a hover or an inlay hint: whole when short, else a record's field names or a
/// cut rendering.
pub fn short_type(ty: &Type) -> String {
    let s = ty.to_string();
    if s.chars().count() <= MAX_TYPE_CHARS {
        return s;
    }
    if let Type::Record(r) = ty {
        let names: Vec<&str> = r.fields.iter().take(8).map(|f| f.name.as_str()).collect();
        let more = if r.fields.len() > names.len() {
            ", …"
        } else {
            ""
        };
        return format!("{{ {}{more} }}", names.join(", "));
    }
    let cut: String = s.chars().take(MAX_TYPE_CHARS).collect();
    format!("{cut}…")
}

fn with_doc(mut s: String, doc: Option<&str>) -> String {
    if let Some(d) = doc.filter(|d| !d.is_empty()) {
        s.push_str("\n\n");
        s.push_str(d);
    }
    s
}

/// Markdown for a hover at byte `offset` of `a`'s text.
pub fn hover(modules: &ModuleSet, a: &Analysis, offset: usize) -> Option<String> {
    let text = a.text.as_str();
    let (start, end) = word_at(text, offset)?;
    let name = &text[start..end];
    let index = a.index.as_deref()?;
    if let Some(access) = index.member_at(start as u32) {
        let m = member_of(modules, index, access, name)?;
        let sep = if access.colon { ":" } else { "." };
        let owner = receiver_text(text, start)
            .map(|r| format!("{r}{sep}"))
            .unwrap_or_default();
        let line = match &m.function {
            Some(_) => format!("function {owner}{}{}", m.name, signature_tail(&m.detail)),
            None => format!("{owner}{}: {}", m.name, m.detail),
        };
        return Some(with_doc(code(&line), m.doc.as_deref()));
    }
    if let Some(id) = index.local_at(start as u32) {
        let l = &index.locals[id];
        return Some(code(&format!("local {}: {}", l.name, short_type(&l.ty))));
    }
    let (ty, doc) = global(a, modules, name)?;
    Some(with_doc(
        code(&format!("{name}: {}", short_type(&ty))),
        doc.as_deref(),
    ))
}

/// `(a: T) -> R` from a function detail written `(a: T) -> R` or `fun(a: T): R`: the detail
/// as rendered, after the name.
fn signature_tail(detail: &str) -> String {
    if detail.starts_with(['(', '<']) {
        detail.to_owned()
    } else {
        format!(": {detail}")
    }
}

/// The innermost `(` open at `offset` and the number of top-level commas after it.
fn open_call(text: &str, offset: usize) -> Option<(usize, u32)> {
    let bytes = text.as_bytes();
    let (mut depth, mut commas) = (0i32, 0u32);
    let mut i = offset.min(bytes.len());
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

/// The function a callee names, with its description: from the access or local the analysis
/// recorded at the callee, else typed from the scope (a call the analysis did not see).
fn callee(
    modules: &ModuleSet,
    a: &Analysis,
    start: usize,
    name: &str,
    colon: bool,
    receiver: Option<&[String]>,
) -> Option<(std::sync::Arc<FunctionType>, Option<String>)> {
    let index = a.index.as_deref()?;
    let text = a.text.as_str();
    let recorded = text.get(start..start + name.len()) == Some(name);
    if recorded {
        if let Some(access) = index.member_at(start as u32) {
            let m = member_of(modules, index, access, name)?;
            return Some((m.function?, m.doc));
        }
        if let Some(id) = index.local_at(start as u32) {
            return match &index.locals[id].ty {
                Type::Function(f) => Some((f.clone(), None)),
                _ => None,
            };
        }
    }
    let (ty, doc) = match receiver {
        Some(names) => {
            let recv = chain_type(a, modules, start, names)?;
            let m = modules.listed_member(&recv, name, colon, Some(&index.local_types))?;
            (m.ty, m.doc)
        }
        None => match visible(index, start).into_iter().find(|l| l.name == name) {
            Some(l) => (l.ty.clone(), None),
            None => global(a, modules, name)?,
        },
    };
    match ty {
        Type::Function(f) => Some((f, doc)),
        _ => None,
    }
}

/// Signature help at byte `offset` of `text` (the current buffer), from `analyses` (each with
/// the mapping of its text to `text`).
pub fn signature(
    modules: &ModuleSet,
    analyses: &[(&Analysis, Shift)],
    text: &str,
    offset: usize,
) -> Option<SignatureHelp> {
    let (paren, commas) = open_call(text, offset)?;
    let callee_end = text[..paren].trim_end().len();
    let callee_start = word_start(text, callee_end);
    if callee_start == callee_end {
        return None;
    }
    let name = &text[callee_start..callee_end];
    let before = text[..callee_start].trim_end_matches([' ', '\t']);
    let colon = before.ends_with(':') && !before.ends_with("::");
    let dot = before.ends_with('.') && !before.ends_with("..");
    let receiver = if colon || dot {
        Some(receiver_chain(text, callee_start)?)
    } else {
        None
    };
    for (a, shift) in analyses {
        let at = shift.to_old(callee_start);
        if let Some((f, doc)) = callee(modules, a, at, name, colon, receiver.as_deref()) {
            let mut help = signature_of(&f, name, colon, commas);
            help.signatures[0].documentation = doc.map(Documentation::String);
            return Some(help);
        }
    }
    None
}
