//! The dialect pre-pass: makes Wippy Lua parseable by full_moon while keeping every byte offset.
//!
//! Wippy's type syntax (wippy-facts §1.2) is read here with the shared type parser
//! ([`typedefs::TypeParser`]) and then blanked out — replaced by spaces, newlines kept — so that
//! full_moon sees plain Lua at the very same offsets. The parsed types are kept in side tables
//! keyed by byte offset, which the checker looks up when it meets the annotated name, parameter
//! list or expression:
//!
//! | syntax | key |
//! |---|---|
//! | `local x: T`, parameter `x: T`, `...: T` | start of the name (or `...`) token |
//! | `function f(…): R` | start of the `(` of the parameter list |
//! | `e as T`, `e :: T`, `e!` | end of the expression `e` |
//! | `type X = T`, `interface X … end` | collected in [`Prepared::type_decls`] |
//!
//! It also separates a `::label::` that follows an expression statement with a `;` (else full_moon
//! reads it as a Luau type assertion, anchors-lsp §3) and refuses input nested deeper than the
//! parser's stack can take, so deep nesting is a P0001 diagnostic, never a stack overflow.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use typedefs::lexer::{lex, Token, TokenKind};
use typedefs::{FunctionType, Interface, Param, Type, TypeDef, TypeParam, TypeParser};

/// Which language a chunk is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Wippy Lua (Lua 5.3 + Wippy types): entries of the `*.lua` kinds.
    Wippy,
    /// Luau: Wraith twin handlers (they run in mlua's Luau sandbox).
    Luau,
}

/// Deepest bracket/block nesting accepted (each level costs parser stack).
pub const MAX_NESTING: usize = 400;
/// Most operators accepted on one path of an expression tree: the operators of an expression
/// plus those of every expression around it (`(a) .. (b) .. …` counts each `..`), and Luau's
/// `->` of function types. Each costs stack in full_moon, in the checker's walk and in `Drop`.
pub const MAX_CHAIN: usize = 3000;
/// Largest chunk accepted, in bytes. full_moon keeps every token with its trivia: ordinary code
/// (`a = a + 1` lines) costs about 570 bytes of memory a source byte, so this bounds one parse
/// to about 300 MiB; the largest file of the public Wippy code is under 100 KiB.
pub const MAX_SOURCE_BYTES: usize = 512 << 10;

/// A type declared in Lua code.
#[derive(Clone, Debug)]
pub struct TypeDecl {
    /// Its name.
    pub name: String,
    /// Byte range of the declaration.
    pub span: Range<u32>,
    /// The definition.
    pub def: TypeDef,
}

/// The pre-pass result.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The source with type syntax blanked; same length and line breaks as the input.
    pub text: String,
    /// Annotated locals and parameters: name token start → type.
    pub names: HashMap<u32, Type>,
    /// Return annotations: `(` of the parameter list → (returns, variadic return).
    pub returns: HashMap<u32, (Vec<Type>, Option<Type>)>,
    /// Generic parameters of a Lua function (`function f<T: B>(…)`): `(` of its parameter list
    /// → the parameters.
    pub generics: HashMap<u32, Vec<TypeParam>>,
    /// Casts (`as`, `::`): expression end → type.
    pub casts: HashMap<u32, Type>,
    /// Non-nil assertions (`!`): expression ends.
    pub non_nil: HashSet<u32>,
    /// `type` and `interface` declarations.
    pub type_decls: Vec<TypeDecl>,
    /// The first syntax error the pre-pass found (type syntax, nesting): span and message.
    pub error: Option<(Range<u32>, String)>,
}

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

struct Pass<'a> {
    src: &'a str,
    toks: &'a [Token],
    out: Vec<u8>,
    dialect: Dialect,
    p: Prepared,
}

/// Run the pre-pass over a chunk.
pub fn prepare(src: &str, dialect: Dialect) -> Prepared {
    if src.len() > MAX_SOURCE_BYTES {
        return Prepared {
            text: String::new(),
            error: Some((
                0..0,
                format!(
                    "the chunk is {} bytes, over the {} KiB limit of the parser: split it into modules",
                    src.len(),
                    MAX_SOURCE_BYTES >> 10
                ),
            )),
            ..Prepared::default()
        };
    }
    let toks = lex(src);
    let mut pass = Pass {
        src,
        toks: &toks,
        out: src.as_bytes().to_vec(),
        dialect,
        p: Prepared::default(),
    };
    pass.run();
    // What full_moon will see is bounded, not what was blanked (the type parser bounds itself).
    if let Some(err) = nesting_error(src, &toks, &pass.out) {
        pass.p.error = Some(err);
        pass.p.text = src.to_owned();
        return pass.p;
    }
    // Only ASCII spaces and ';' were written over whole tokens, so the bytes stay UTF-8.
    pass.p.text = String::from_utf8(pass.out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    pass.p
}

/// Bracket and block depth, and operators on the current path of the expression tree, over the
/// tokens full_moon will see (those the pass did not blank in `out`). An open bracket keeps the
/// operators counted outside it (they are all on the path to what is inside) and a close
/// restores the count from before the bracket, so `(a) .. (a) .. …` and `((a .. a) .. a) …`
/// count alike. A separator (`,`, `;`, `=`, a statement keyword) or a name right after a
/// complete operand (the next statement) starts a new expression at the same level. Linear in
/// the tokens.
fn nesting_error(src: &str, toks: &[Token], out: &[u8]) -> Option<(Range<u32>, String)> {
    // Operators on the path at each open bracket.
    let mut outer: Vec<usize> = Vec::new();
    let mut chain = 0usize;
    let mut after_operand = false;
    for t in toks {
        if out.get(t.start as usize).is_none_or(|&b| b == b' ') {
            continue; // blanked type syntax
        }
        let text = t.text(src);
        let next_statement =
            after_operand && t.kind == TokenKind::Name && !matches!(text, "and" | "or" | "not");
        after_operand = ends_operand(src, t);
        if next_statement {
            chain = outer.last().copied().unwrap_or(0);
        }
        match text {
            "(" | "{" | "[" | "function" | "do" | "if" | "repeat" => outer.push(chain),
            ")" | "}" | "]" | "end" | "until" => chain = outer.pop().unwrap_or(0),
            "+" | "-" | "*" | "/" | "//" | "%" | "^" | ".." | "and" | "or" | "not" | "=="
            | "~=" | "<" | ">" | "<=" | ">=" | "&" | "|" | "~" | "<<" | ">>" | "#" | "->" => {
                chain += 1
            }
            "local" | "return" | "=" | "," | ";" | "then" | "else" | "elseif" | "while" | "for"
            | "in" | "goto" | "break" => chain = outer.last().copied().unwrap_or(0),
            _ => {}
        }
        let depth = outer.len();
        if depth > MAX_NESTING {
            return Some((
                t.start..t.end,
                format!("nesting deeper than {MAX_NESTING} levels: split this code into functions"),
            ));
        }
        if chain > MAX_CHAIN {
            return Some((
                t.start..t.end,
                format!("expression with more than {MAX_CHAIN} operators: split it"),
            ));
        }
    }
    None
}

fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Whether token `t` can end an expression (a following `as`/`::`/`!` applies to it; a name
/// after it starts the next statement).
fn ends_operand(src: &str, t: &Token) -> bool {
    let text = t.text(src);
    match t.kind {
        TokenKind::Name => !is_keyword(text) || matches!(text, "nil" | "true" | "false" | "end"),
        TokenKind::String | TokenKind::Number => true,
        TokenKind::Symbol => matches!(text, ")" | "]" | "}" | "..."),
        TokenKind::Unknown => false,
    }
}

impl Pass<'_> {
    fn text(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.text(self.src))
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_name(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Name) && !is_keyword(self.text(i))
    }

    /// Whether token `i` can end an expression (so a following `as`/`::`/`!` applies to it).
    fn ends_expression(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| ends_operand(self.src, t))
    }

    fn blank(&mut self, from: u32, to: u32) {
        for b in &mut self.out[from as usize..(to as usize).min(self.src.len())] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }

    /// Record the first error; its span is kept inside the source (an error at the end of
    /// input points at the end, not one byte past it).
    fn fail(&mut self, span: Range<u32>, message: String) {
        if self.p.error.is_none() {
            let len = self.src.len() as u32;
            let end = span.end.min(len);
            self.p.error = Some((span.start.min(end)..end, message));
        }
    }

    /// Report a type-syntax error: always in Wippy Lua; in Luau only a passed limit (other
    /// syntax our parser does not know is Luau's own, left for full_moon).
    fn type_error(&mut self, e: &typedefs::SyntaxError, what: &str) {
        if self.dialect == Dialect::Wippy || e.limit {
            self.fail(e.offset..e.offset + 1, format!("{what}: {}", e.message));
        }
    }

    /// Parse a type at token `i`; on success blank `[blank_from, type end)` and return the type
    /// and the next token index. In Luau handlers a type our parser does not know is left for
    /// full_moon (Luau's own type syntax) and read as `any`.
    fn type_at(&mut self, i: usize, blank_from: u32, generics: &[String]) -> Option<(Type, usize)> {
        let mut tp = TypeParser::new(self.src, self.toks, i);
        tp.type_params = generics.to_vec();
        match tp.parse_type() {
            Ok(ty) => {
                let end = tp.end_offset();
                self.blank(blank_from, end);
                Some((ty, tp.pos()))
            }
            Err(e) => {
                self.type_error(&e, "invalid type");
                None
            }
        }
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            i = match self.text(i) {
                "local" => self.local(i),
                "function" => self.function(i),
                "type" if self.type_decl_at(i) => self.type_decl(i, i),
                "export" if self.text(i + 1) == "type" && self.type_decl_at(i + 1) => {
                    self.type_decl(i, i + 1)
                }
                "interface"
                    if self.is_name(i + 1)
                        && !matches!(self.text(i.wrapping_sub(1)), "." | ":") =>
                {
                    self.interface(i)
                }
                "as" if i > 0 && self.ends_expression(i - 1) && self.text(i + 1) != "=" => {
                    self.cast(i)
                }
                "::" => self.double_colon(i),
                "!" if i > 0 && self.ends_expression(i - 1) && self.text(i + 1) != "=" => {
                    let t = self.toks[i];
                    self.p.non_nil.insert(self.toks[i - 1].end);
                    self.blank(t.start, t.end);
                    i + 1
                }
                _ => i + 1,
            };
        }
    }

    /// `type Name [<T>] = T` where `type` starts a statement.
    fn type_decl_at(&self, i: usize) -> bool {
        let prev_ok = i == 0 || {
            let p = self.text(i - 1);
            !matches!(
                p,
                "." | ":"
                    | "="
                    | ","
                    | "("
                    | "["
                    | "{"
                    | "local"
                    | "return"
                    | "function"
                    | "and"
                    | "or"
                    | "not"
                    | "if"
                    | "elseif"
                    | "while"
                    | "until"
                    | "in"
            ) && (self.kind(i - 1) != Some(TokenKind::Symbol)
                || matches!(p, ")" | "]" | "}" | ";" | ">" | ">>" | "?"))
        };
        prev_ok && self.is_name(i + 1) && matches!(self.text(i + 2), "=" | "<")
    }

    fn type_decl(&mut self, start_tok: usize, type_tok: usize) -> usize {
        let name_tok = type_tok + 1;
        let name = self.text(name_tok).to_owned();
        let mut j = name_tok + 1;
        let mut type_params = Vec::new();
        if self.text(j) == "<" {
            let mut tp = TypeParser::new(self.src, self.toks, j);
            match tp.parse_type_params() {
                Ok(ps) => {
                    type_params = ps;
                    j = tp.pos();
                }
                Err(e) => {
                    self.fail(
                        e.offset..e.offset + 1,
                        format!("invalid type parameters: {}", e.message),
                    );
                    return j;
                }
            }
        }
        if self.text(j) != "=" {
            return j;
        }
        let generics: Vec<String> = type_params.iter().map(|p| p.name.clone()).collect();
        let start = self.toks[start_tok].start;
        match self.type_at(j + 1, start, &generics) {
            Some((ty, next)) => {
                let end = self.toks[next - 1].end;
                self.p.type_decls.push(TypeDecl {
                    name,
                    span: start..end,
                    def: TypeDef::Alias {
                        type_params,
                        ty,
                        description: None,
                    },
                });
                next
            }
            None => j + 1,
        }
    }

    /// `interface Name [: A, B] {function m(params): R} end`.
    fn interface(&mut self, i: usize) -> usize {
        let start = self.toks[i].start;
        let name = self.text(i + 1).to_owned();
        let mut j = i + 2;
        if self.text(j) == ":" {
            j += 1;
            while self.is_name(j) {
                j += 1;
                if self.text(j) == "." {
                    j += 2;
                }
                if self.text(j) != "," {
                    break;
                }
                j += 1;
            }
        }
        let mut methods = std::collections::BTreeMap::new();
        while self.text(j) == "function" && self.is_name(j + 1) {
            let mname = self.text(j + 1).to_owned();
            match self.signature(j + 2, &[]) {
                Some((f, next)) => {
                    methods.insert(
                        mname,
                        typedefs::types::Method {
                            ty: Arc::new(f),
                            description: None,
                        },
                    );
                    j = next;
                }
                None => return j + 2,
            }
        }
        if self.text(j) != "end" {
            let off = self.toks.get(j).map_or(self.src.len() as u32, |t| t.start);
            if self.dialect == Dialect::Wippy {
                self.fail(
                    off..off + 1,
                    format!("expected `function` or `end` in interface `{name}`"),
                );
            }
            return j;
        }
        let end = self.toks[j].end;
        self.blank(start, end);
        let def = TypeDef::Interface(Arc::new(Interface {
            name: name.clone(),
            methods,
            ..Interface::default()
        }));
        self.p.type_decls.push(TypeDecl {
            name,
            span: start..end,
            def,
        });
        j + 1
    }

    /// `local a [: T] {, b [: T]}` (also skips Lua 5.4 `<attrib>`).
    fn local(&mut self, i: usize) -> usize {
        if self.text(i + 1) == "function" {
            return i + 1;
        }
        let mut j = i + 1;
        while self.is_name(j) {
            let name_start = self.toks[j].start;
            j += 1;
            if self.text(j) == "<" && self.is_name(j + 1) && self.text(j + 2) == ">" {
                j += 3;
            }
            if self.text(j) == ":" {
                let colon = self.toks[j].start;
                match self.type_at(j + 1, colon, &[]) {
                    Some((ty, next)) => {
                        self.p.names.insert(name_start, ty);
                        j = next;
                    }
                    None => return j + 1,
                }
            }
            if self.text(j) != "," {
                break;
            }
            j += 1;
        }
        j
    }

    /// `function [a.b:c] [<T>] (params) [: returns]`: records and blanks the annotations.
    fn function(&mut self, i: usize) -> usize {
        let mut j = i + 1;
        if self.is_name(j) {
            j += 1;
            while matches!(self.text(j), "." | ":") && self.kind(j + 1) == Some(TokenKind::Name) {
                j += 2;
            }
        }
        match self.signature(j, &[]) {
            Some((_, next)) => next,
            None => j,
        }
    }

    /// A Lua function header from its generics or `(`: `[<T>] (a: A, b, ...: C) [: R]`.
    /// Blanks the annotations, records them, and returns the signature and the next token index
    /// (after the returns, at the body).
    fn signature(&mut self, mut j: usize, outer: &[String]) -> Option<(FunctionType, usize)> {
        let mut generics = outer.to_vec();
        let mut type_params: Vec<TypeParam> = Vec::new();
        if self.text(j) == "<" {
            let lt = self.toks[j].start;
            let mut tp = TypeParser::new(self.src, self.toks, j);
            match tp.parse_type_params() {
                Ok(ps) => {
                    let end = tp.end_offset();
                    generics.extend(ps.iter().map(|p| p.name.clone()));
                    type_params = ps;
                    self.blank(lt, end);
                    j = tp.pos();
                }
                Err(e) => {
                    self.type_error(&e, "invalid type parameters");
                    return None;
                }
            }
        }
        if self.text(j) != "(" {
            return None;
        }
        let paren = self.toks[j].start;
        if !type_params.is_empty() {
            self.p.generics.insert(paren, type_params.clone());
        }
        j += 1;
        let mut f = FunctionType {
            type_params,
            ..FunctionType::default()
        };
        while self.text(j) != ")" {
            let is_vararg = self.text(j) == "...";
            if !is_vararg && self.kind(j) != Some(TokenKind::Name) {
                return None;
            }
            let name_tok = j;
            let name = self.text(j).to_owned();
            j += 1;
            let mut ty = if name == "self" {
                Type::SelfType
            } else {
                Type::Any
            };
            if self.text(j) == ":" {
                let colon = self.toks[j].start;
                let (t, next) = self.type_at(j + 1, colon, &generics)?;
                self.p.names.insert(self.toks[name_tok].start, t.clone());
                ty = t;
                j = next;
            }
            if is_vararg {
                f.variadic = Some(ty);
            } else {
                f.params.push(Param {
                    name: Some(name),
                    ty,
                });
            }
            if self.text(j) != "," {
                break;
            }
            j += 1;
        }
        if self.text(j) != ")" {
            return None;
        }
        j += 1;
        f.returns_variadic = Some(Type::Any);
        if self.text(j) == ":" {
            let colon = self.toks[j].start;
            let mut tp = TypeParser::new(self.src, self.toks, j + 1);
            tp.type_params = generics;
            match tp.parse_return_list() {
                Ok((returns, variadic)) => {
                    let end = tp.end_offset();
                    self.blank(colon, end);
                    self.p
                        .returns
                        .insert(paren, (returns.clone(), variadic.clone()));
                    f.returns = returns;
                    f.returns_variadic = variadic;
                    j = tp.pos();
                }
                Err(e) => {
                    self.type_error(&e, "invalid return type");
                    return None;
                }
            }
        }
        Some((f, j))
    }

    /// `e as T`.
    fn cast(&mut self, i: usize) -> usize {
        let expr_end = self.toks[i - 1].end;
        let from = self.toks[i].start;
        match self.type_at(i + 1, from, &[]) {
            Some((ty, next)) => {
                self.p.casts.insert(expr_end, ty);
                next
            }
            None => i + 1,
        }
    }

    /// `::label::` (kept, separated from a preceding expression) or the cast `e :: T`.
    fn double_colon(&mut self, i: usize) -> usize {
        if self.kind(i + 1) == Some(TokenKind::Name) && self.text(i + 2) == "::" {
            if i > 0 && self.ends_expression(i - 1) {
                let gap = self.toks[i - 1].end as usize..self.toks[i].start as usize;
                if let Some(k) = gap.clone().find(|&k| matches!(self.out[k], b' ' | b'\t')) {
                    self.out[k] = b';';
                }
            }
            return i + 3;
        }
        if i > 0 && self.ends_expression(i - 1) {
            let expr_end = self.toks[i - 1].end;
            let from = self.toks[i].start;
            if let Some((ty, next)) = self.type_at(i + 1, from, &[]) {
                self.p.casts.insert(expr_end, ty);
                return next;
            }
        }
        i + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_types_and_keeps_offsets() {
        let src = "local x: {[string]: number}? = f(a :: string, b as integer, c!)\nfunction g<T>(a: T, ...: any): (T, error?)\n  return a\nend\n";
        let p = prepare(src, Dialect::Wippy);
        assert_eq!(p.text.len(), src.len());
        assert_eq!(p.error, None);
        assert_eq!(
            p.text.lines().next().unwrap().trim_end(),
            "local x                      = f(a          , b           , c )"
        );
        assert_eq!(
            p.text.lines().nth(1).unwrap().trim_end(),
            "function g   (a   , ...     )"
        );
        assert_eq!(p.names[&6].to_string(), "{[string]: number}?");
        assert_eq!(p.casts.len(), 2);
        assert_eq!(p.non_nil.len(), 1);
        let ret_paren = src.find("(a: T").unwrap() as u32;
        assert_eq!(p.returns[&ret_paren].0.len(), 2);
        assert!(matches!(
            p.names[&(src.find("a: T").unwrap() as u32)],
            Type::Param(_)
        ));
    }

    #[test]
    fn type_and_interface_declarations_vanish() {
        let src = "type Point = {x: number, y: number}\ninterface Shape\n  function area(self): number\nend\nlocal t = type(x)\n";
        let p = prepare(src, Dialect::Wippy);
        assert_eq!(p.type_decls.len(), 2);
        assert_eq!(
            p.text.lines().take(4).map(str::trim).collect::<String>(),
            ""
        );
        assert!(p.text.contains("local t = type(x)"));
    }

    #[test]
    fn labels_after_expressions_get_a_separator() {
        let p = prepare("for i = 1, 3 do\n  f(i) ::continue::\nend", Dialect::Wippy);
        assert!(p.text.contains("f(i);::continue::"));
    }

    #[test]
    fn method_calls_and_table_keys_are_not_types() {
        let src = "local s = obj:method(1) local t = {as = 1} t.as = s:upper()";
        let p = prepare(src, Dialect::Wippy);
        assert_eq!(p.text, src);
        assert_eq!(p.error, None);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = format!(
            "x = {}1{}",
            "(".repeat(MAX_NESTING + 5),
            ")".repeat(MAX_NESTING + 5)
        );
        let p = prepare(&src, Dialect::Wippy);
        assert!(p.error.is_some_and(|e| e.1.contains("nesting")));
    }

    #[test]
    fn bad_type_is_an_error_in_wippy_only() {
        assert!(prepare("local x: {a: } = 1", Dialect::Wippy)
            .error
            .is_some());
        assert!(prepare("local x: typeof(y) = 1", Dialect::Luau)
            .error
            .is_none());
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn type_after_generic_close_and_field_validators() {
        let src = "type P = Pair<string, number>\ntype User = {id: string @min_len(2)}\n";
        let p = prepare(src, Dialect::Wippy);
        assert_eq!(p.error, None);
        assert_eq!(p.type_decls.len(), 2, "{:?}", p.text);
    }
}
