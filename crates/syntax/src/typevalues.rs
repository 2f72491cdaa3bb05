//! `type` declarations lowered to run-time type values (wippy-facts §1.5: types are
//! first-class values, `T:is(v)`, `T(v)`). Each `type X = …` becomes, at its own place,
//! `if X == nil then X = __wippy_type_scope("<declaration>", {m = function() return m end})
//! end` — a global, set unless one exists (as go-lua's `injectProtoTypes` does), built by the
//! runtime's `__wippy_types` scope that the chunk opens on its first line. The declaration text
//! travels as it is written (validators included); `typeof(x)` is replaced by the annotation of
//! the local `x` declared before it, and each `m.T` prefix gets a function that reads `m`
//! where the declaration stands, so a type exported by an imported library is found when a
//! value is checked. Interfaces have no run-time value.

use crate::dialect::Prepared;
use typedefs::lexer::{lex, TokenKind};
use typedefs::TypeDef;

/// The local that holds the chunk's type scope.
pub const SCOPE: &str = "__wippy_type_scope";

/// `(start, end, text)` replacements, and the scope declaration for the chunk's start (if any
/// type is declared).
pub(crate) fn edits(src: &str, p: &Prepared) -> (Vec<(u32, u32, String)>, Option<String>) {
    let mut out = Vec::new();
    for d in &p.type_decls {
        if !matches!(d.def, TypeDef::Alias { .. }) {
            continue;
        }
        let (s, e) = (d.span.start as usize, d.span.end as usize);
        let Some(decl) = src.get(s..e) else { continue };
        let text = with_typeof(src, p, s, decl);
        let prefixes = prefixes(&text);
        let resolvers: Vec<String> = prefixes
            .iter()
            .map(|m| format!("{m} = function() return {m} end"))
            .collect();
        let stmt = format!(
            "if {n} == nil then {n} = {SCOPE}({}, {{{}}}) end",
            quote(&text),
            resolvers.join(", "),
            n = d.name,
        );
        let line_end = decl.find('\n').map_or(e, |i| s + i);
        out.push((d.span.start, line_end as u32, stmt));
    }
    let scope = (!out.is_empty()).then(|| format!("local {SCOPE} = __wippy_types();"));
    (out, scope)
}

/// The declaration with `typeof(x)` replaced by the type annotation of the local `x` declared
/// last before it (left as it is when there is none).
fn with_typeof(src: &str, p: &Prepared, at: usize, decl: &str) -> String {
    let toks = lex(decl);
    let mut out = String::new();
    let mut last = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let t = |k: usize| toks.get(k).map_or("", |tok| tok.text(decl));
        if t(i) == "typeof" && t(i + 1) == "(" && t(i + 3) == ")" {
            let name = t(i + 2);
            let found = p
                .names
                .iter()
                .filter(|(off, _)| {
                    let o = **off as usize;
                    o < at && src.get(o..o + name.len()) == Some(name) && {
                        let next = src.as_bytes().get(o + name.len()).copied().unwrap_or(b' ');
                        !(next.is_ascii_alphanumeric() || next == b'_')
                    }
                })
                .max_by_key(|(off, _)| **off)
                .map(|(_, ty)| ty.to_string());
            if let Some(ty) = found {
                out.push_str(&decl[last..toks[i].start as usize]);
                out.push_str(&ty);
                last = toks[i + 3].end as usize;
                i += 4;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&decl[last..]);
    out
}

/// The `m` of every `m.T` in a type.
fn prefixes(text: &str) -> Vec<String> {
    let toks = lex(text);
    let mut out: Vec<String> = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        let prev_dot = i > 0 && toks[i - 1].text(text) == ".";
        if tok.kind == TokenKind::Name
            && !prev_dot
            && toks.get(i + 1).is_some_and(|t| t.text(text) == ".")
            && toks.get(i + 2).is_some_and(|t| t.kind == TokenKind::Name)
        {
            let m = tok.text(text).to_owned();
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// A Lua string literal on one line.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\{}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
