//! Parser of Wippy's type syntax (wippy-facts §1.2), shared by manifests and Lua annotations.
//!
//! It works on [`crate::lexer`] tokens so that the checker's dialect pre-pass can start it at any
//! token of a Lua chunk and learn where the type ends. Constructs the model has no place for
//! (`typeof(…)`, `keyof(…)`, indexed access `T[K]`, conditional types, `asserts x is T`) parse
//! and become `any`, so they never cause false errors.

use std::sync::Arc;

use crate::lexer::{lex, parse_number, string_value, NumberValue, Token, TokenKind};
use crate::types::{Field, FunctionType, Literal, Param, Record, Shape, Type, TypeParam};

/// Deepest nesting of types accepted (`fun(): fun(): …`, `Box<Box<…>>`, `T[][]…`): each level
/// costs parser stack here and in every walk over the type, so deeper input is an error rather
/// than a stack overflow. Real code nests a handful of levels.
pub const MAX_TYPE_DEPTH: usize = 100;

/// A type-syntax error at a byte offset of the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset where the error was found.
    pub offset: u32,
    /// What was expected.
    pub message: String,
    /// The input passed a size limit ([`MAX_TYPE_DEPTH`]) rather than being unknown syntax:
    /// callers must report it and never hand the text to another parser.
    pub limit: bool,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

type Result<T> = std::result::Result<T, SyntaxError>;

/// Parse a whole string as one type: `"{[string]: any}"`, `"(s: string) -> (number, error?)"`.
pub fn parse_type_str(text: &str) -> Result<Type> {
    let toks = lex(text);
    let mut p = TypeParser::new(text, &toks, 0);
    let ty = p.parse_type()?;
    p.expect_end()?;
    Ok(ty)
}

/// Parse a whole string as a function type; a non-function type is an error.
pub fn parse_function_str(text: &str) -> Result<FunctionType> {
    match parse_type_str(text)? {
        Type::Function(f) => Ok(Arc::unwrap_or_clone(f)),
        _ => Err(SyntaxError {
            offset: 0,
            message: "expected a function type `(params) -> returns`".into(),
            limit: false,
        }),
    }
}

/// An item of a parenthesised list: a function parameter or one of several returns.
struct Item {
    name: Option<String>,
    ty: Type,
    variadic: bool,
}

/// A type parser positioned on a token slice.
pub struct TypeParser<'a> {
    src: &'a str,
    toks: &'a [Token],
    pos: usize,
    /// A `>>` token half-consumed while closing nested generics.
    pending_gt: bool,
    /// Generic parameter names in scope (parsed as [`Type::Param`]).
    pub type_params: Vec<String>,
    /// Types being parsed around the current position (bounded by [`MAX_TYPE_DEPTH`]).
    depth: usize,
}

impl<'a> TypeParser<'a> {
    /// A parser over `toks` (lexed from `src`) starting at token index `pos`.
    pub fn new(src: &'a str, toks: &'a [Token], pos: usize) -> Self {
        TypeParser {
            src,
            toks,
            pos,
            pending_gt: false,
            type_params: Vec::new(),
            depth: 0,
        }
    }

    /// Index of the next unconsumed token.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Byte offset where the parsed text ends (end of the last consumed token).
    pub fn end_offset(&self) -> u32 {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map_or(0, |t| t.end)
    }

    fn peek(&self) -> &'a str {
        self.toks.get(self.pos).map_or("", |t| t.text(self.src))
    }

    fn peek_at(&self, n: usize) -> &'a str {
        self.toks.get(self.pos + n).map_or("", |t| t.text(self.src))
    }

    fn kind(&self) -> Option<TokenKind> {
        self.toks.get(self.pos).map(|t| t.kind)
    }

    fn offset(&self) -> u32 {
        self.toks
            .get(self.pos)
            .map_or_else(|| self.toks.last().map_or(0, |t| t.end), |t| t.start)
    }

    fn bump(&mut self) -> &'a str {
        let t = self.peek();
        self.pos += 1;
        t
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.peek() == s && !self.pending_gt {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T> {
        let found = match self.peek() {
            "" => "end of input".to_owned(),
            t => format!("`{t}`"),
        };
        Err(SyntaxError {
            offset: self.offset(),
            message: format!("{}, found {found}", message.into()),
            limit: false,
        })
    }

    /// The error for a type nested deeper than [`MAX_TYPE_DEPTH`] at the current token.
    fn too_deep<T>(&self) -> Result<T> {
        Err(SyntaxError {
            offset: self.offset(),
            message: format!(
                "type nested deeper than {MAX_TYPE_DEPTH} levels: name the inner types with `type`"
            ),
            limit: true,
        })
    }

    fn expect(&mut self, s: &str) -> Result<()> {
        if self.eat(s) {
            Ok(())
        } else {
            self.err(format!("expected `{s}`"))
        }
    }

    /// Fail unless every token was consumed.
    pub fn expect_end(&self) -> Result<()> {
        if self.pos < self.toks.len() || self.pending_gt {
            return self.err("expected end of type");
        }
        Ok(())
    }

    fn name(&mut self) -> Result<String> {
        if self.kind() == Some(TokenKind::Name) {
            Ok(self.bump().to_owned())
        } else {
            self.err("expected a name")
        }
    }

    /// `type := inter { '|' inter }`, with a conditional type `A extends B ? X : Y` read as `any`.
    /// Every recursion of the grammar passes through here, so this is where the depth is bounded.
    pub fn parse_type(&mut self) -> Result<Type> {
        if self.depth >= MAX_TYPE_DEPTH {
            return self.too_deep();
        }
        self.depth += 1;
        let ty = self.parse_union();
        self.depth -= 1;
        ty
    }

    fn parse_union(&mut self) -> Result<Type> {
        self.eat("|");
        let mut members = vec![self.parse_intersection()?];
        while self.eat("|") {
            members.push(self.parse_intersection()?);
        }
        if self.peek() == "extends" {
            self.bump();
            self.parse_postfix()?;
            self.expect("?")?;
            self.parse_type()?;
            self.expect(":")?;
            self.parse_type()?;
            return Ok(Type::Any);
        }
        Ok(if members.len() == 1 {
            members.pop().unwrap_or(Type::Any)
        } else {
            Type::union(members)
        })
    }

    fn parse_intersection(&mut self) -> Result<Type> {
        let first = self.parse_postfix()?;
        if self.peek() != "&" {
            return Ok(first);
        }
        let mut members = vec![first];
        while self.eat("&") {
            members.push(self.parse_postfix()?);
        }
        Ok(Type::Intersection(members))
    }

    fn parse_postfix(&mut self) -> Result<Type> {
        let mut ty = self.parse_primary()?;
        let mut arrays = 0;
        loop {
            if self.eat("?") {
                ty = ty.optional();
            } else if self.peek() == "[" && self.peek_at(1) == "]" {
                arrays += 1;
                if self.depth + arrays > MAX_TYPE_DEPTH {
                    return self.too_deep();
                }
                self.pos += 2;
                ty = Type::Array(Box::new(ty));
            } else if self.peek() == "[" {
                // Indexed access `T["field"]`.
                self.bump();
                self.parse_type()?;
                self.expect("]")?;
                ty = Type::Any;
            } else if self.peek() == "@" {
                self.skip_annotation()?;
            } else {
                return Ok(ty);
            }
        }
    }

    /// `@name` or `@name(args)`: a runtime validator, kept out of the static type.
    fn skip_annotation(&mut self) -> Result<()> {
        self.expect("@")?;
        self.name()?;
        if self.peek() == "(" {
            self.skip_balanced()?;
        }
        Ok(())
    }

    /// Skip a balanced `( … )` group (contents are expressions, not types).
    fn skip_balanced(&mut self) -> Result<()> {
        let mut depth = 0usize;
        loop {
            match self.bump() {
                "(" | "{" | "[" => depth += 1,
                ")" | "}" | "]" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                "" => return self.err("unbalanced parentheses"),
                _ => {}
            }
        }
    }

    fn parse_primary(&mut self) -> Result<Type> {
        let tok = self.peek();
        match self.kind() {
            Some(TokenKind::String) => {
                self.bump();
                return Ok(Type::Literal(Literal::String(string_value(tok))));
            }
            Some(TokenKind::Number) => {
                self.bump();
                return Ok(number_literal(tok, false));
            }
            None => return self.err("expected a type"),
            _ => {}
        }
        match tok {
            "-" if self
                .toks
                .get(self.pos + 1)
                .is_some_and(|t| t.kind == TokenKind::Number) =>
            {
                self.bump();
                let n = self.bump();
                Ok(number_literal(n, true))
            }
            "{" => self.parse_table(false),
            "(" => self.parse_paren(),
            "<" => self.parse_generic_function(),
            "fun" | "function" if self.peek_at(1) == "(" || self.peek_at(1) == "<" => {
                self.bump();
                self.parse_fun()
            }
            "readonly" => {
                self.bump();
                self.parse_table(true)
            }
            "interface" if self.peek_at(1) == "{" => {
                self.bump();
                self.parse_table(false)
            }
            "typeof" | "keyof" if self.peek_at(1) == "(" => {
                self.bump();
                self.skip_balanced()?;
                Ok(Type::Any)
            }
            "asserts" => {
                self.bump();
                self.name()?;
                if self.eat("is") {
                    // Through `parse_type`, so `asserts x is asserts …` is depth-bounded too.
                    self.parse_type()?;
                }
                Ok(Type::Nil)
            }
            _ if self.kind() == Some(TokenKind::Name) => self.parse_named(),
            _ => self.err("expected a type"),
        }
    }

    fn parse_named(&mut self) -> Result<Type> {
        let first = self.bump();
        let prim = match first {
            "string" => Some(Type::String),
            "number" => Some(Type::Number),
            "integer" => Some(Type::Integer),
            "boolean" | "bool" => Some(Type::Boolean),
            "nil" => Some(Type::Nil),
            "any" => Some(Type::Any),
            "unknown" => Some(Type::Unknown),
            "never" => Some(Type::Never),
            "table" => Some(Type::AnyTable),
            "function" => Some(Type::AnyFunction),
            "self" | "Self" => Some(Type::SelfType),
            "error" => Some(Type::Error),
            "true" => Some(Type::Literal(Literal::Boolean(true))),
            "false" => Some(Type::Literal(Literal::Boolean(false))),
            "userdata" | "thread" => Some(Type::Any),
            _ => None,
        };
        if let Some(t) = prim {
            return Ok(t);
        }
        if self.type_params.iter().any(|p| p == first) && self.peek() != "." {
            return Ok(Type::Param(first.into()));
        }
        let (module, name) = if self.peek() == "."
            && self
                .toks
                .get(self.pos + 1)
                .is_some_and(|t| t.kind == TokenKind::Name)
        {
            self.bump();
            (Some(first), self.bump())
        } else {
            (None, first)
        };
        let mut args = Vec::new();
        if self.eat("<") {
            loop {
                args.push(self.parse_type()?);
                if !self.eat(",") {
                    break;
                }
            }
            self.close_angle()?;
        }
        Ok(Type::named(module, name, args))
    }

    /// Consume a closing `>`, splitting a `>>` token across two nested generic lists.
    fn close_angle(&mut self) -> Result<()> {
        if self.pending_gt {
            self.pending_gt = false;
            self.pos += 1;
            return Ok(());
        }
        match self.peek() {
            ">" => {
                self.pos += 1;
                Ok(())
            }
            ">>" => {
                self.pending_gt = true;
                Ok(())
            }
            _ => self.err("expected `>`"),
        }
    }

    /// `{T}`, `{[K]: V}`, `{a: T, b?: U}`, `{}`.
    fn parse_table(&mut self, readonly: bool) -> Result<Type> {
        self.expect("{")?;
        if self.eat("}") {
            return Ok(if readonly {
                Type::Record(Arc::new(Record {
                    readonly,
                    shape: Shape::Declared,
                    ..Record::default()
                }))
            } else {
                Type::AnyTable
            });
        }
        if self.eat("[") {
            let key = self.parse_type()?;
            self.expect("]")?;
            self.expect(":")?;
            let value = self.parse_type()?;
            self.eat(",");
            self.expect("}")?;
            return Ok(Type::Map(Box::new(key), Box::new(value)));
        }
        let is_record =
            self.kind() == Some(TokenKind::Name) && matches!(self.peek_at(1), ":" | "?:" | "?");
        if !is_record {
            let elem = self.parse_type()?;
            self.eat(",");
            self.expect("}")?;
            return Ok(Type::Array(Box::new(elem)));
        }
        let mut fields = Vec::new();
        while self.peek() != "}" {
            let name = self.name()?;
            let optional = match self.bump() {
                ":" => false,
                "?:" => true,
                "?" if self.peek() == ":" => {
                    self.bump();
                    true
                }
                _ => {
                    self.pos -= 1;
                    return self.err("expected `:` or `?:` after a field name");
                }
            };
            let ty = self.parse_type()?;
            fields.push(Field {
                name,
                ty,
                optional,
                description: None,
            });
            if !self.eat(",") && !self.eat(";") {
                break;
            }
        }
        self.expect("}")?;
        Ok(Type::Record(Arc::new(Record {
            fields,
            readonly,
            // Declared records are structural: a value may carry more fields (wippy-facts
            // §1.5), but only these may be read.
            shape: Shape::Declared,
            name: None,
        })))
    }

    /// A parenthesised group: a function type's parameters, a parenthesised type, or (after
    /// `->`) several return values.
    fn parse_paren(&mut self) -> Result<Type> {
        let items = self.parse_items()?;
        if self.eat("->") {
            let (returns, returns_variadic) = self.parse_arrow_returns()?;
            return Ok(Type::function(make_function(
                Vec::new(),
                items,
                returns,
                returns_variadic,
            )));
        }
        match <[Item; 1]>::try_from(items) {
            Ok([item]) if item.name.is_none() && !item.variadic => Ok(item.ty),
            _ => self.err("expected `->` after a parameter list"),
        }
    }

    /// `<T, U: Bound>(params) -> returns`: a generic function type (manifests: `table.clone`).
    fn parse_generic_function(&mut self) -> Result<Type> {
        let outer = self.type_params.len();
        let type_params = self.parse_type_params()?;
        let items = self.parse_items()?;
        self.expect("->")?;
        let (returns, returns_variadic) = self.parse_arrow_returns()?;
        self.type_params.truncate(outer);
        Ok(Type::function(make_function(
            type_params,
            items,
            returns,
            returns_variadic,
        )))
    }

    /// `( [item {',' item}] )` where item = `Name ':' type` | `'...' [type]` | type.
    fn parse_items(&mut self) -> Result<Vec<Item>> {
        self.expect("(")?;
        let mut items = Vec::new();
        while self.peek() != ")" {
            if self.eat("...") {
                let ty = if matches!(self.peek(), ")" | ",") {
                    Type::Any
                } else {
                    self.eat(":");
                    self.parse_type()?
                };
                items.push(Item {
                    name: None,
                    ty,
                    variadic: true,
                });
            } else if self.kind() == Some(TokenKind::Name) && matches!(self.peek_at(1), ":" | "?:")
            {
                let name = self.bump().to_owned();
                let optional = self.bump() == "?:";
                let ty = self.parse_type()?;
                items.push(Item {
                    name: Some(name),
                    ty: if optional { ty.optional() } else { ty },
                    variadic: false,
                });
            } else if self.peek() == "self" && matches!(self.peek_at(1), "," | ")") {
                self.bump();
                items.push(Item {
                    name: Some("self".into()),
                    ty: Type::SelfType,
                    variadic: false,
                });
            } else {
                let ty = self.parse_type()?;
                items.push(Item {
                    name: None,
                    ty,
                    variadic: false,
                });
            }
            if !self.eat(",") {
                break;
            }
        }
        self.expect(")")?;
        Ok(items)
    }

    /// Returns after `->`: `T`, `()`, `(T, U, ...V)`.
    fn parse_arrow_returns(&mut self) -> Result<(Vec<Type>, Option<Type>)> {
        if self.eat("...") {
            return Ok((Vec::new(), Some(self.parse_type()?)));
        }
        if self.peek() == "(" {
            let save = self.pos;
            let items = self.parse_items()?;
            if self.peek() == "->" {
                // `-> (a: A) -> B`: the return is itself a function type.
                self.pos = save;
                return Ok((vec![self.parse_type()?], None));
            }
            if items.len() == 1 && !items[0].variadic && items[0].name.is_none() {
                // `-> (T)` then maybe `?`/`|` continuing the single type.
                self.pos = save;
                return Ok((vec![self.parse_type()?], None));
            }
            return Ok(split_returns(items));
        }
        Ok((vec![self.parse_type()?], None))
    }

    /// `fun(params)[: returns]`, after the `fun` keyword.
    fn parse_fun(&mut self) -> Result<Type> {
        let f = self.parse_signature()?;
        Ok(Type::function(f))
    }

    /// A signature `[<T>] (params) [: returns]` as in `fun(…)` types; without `: returns` the
    /// returns are unspecified.
    pub fn parse_signature(&mut self) -> Result<FunctionType> {
        let type_params = if self.peek() == "<" {
            self.parse_type_params()?
        } else {
            Vec::new()
        };
        let items = self.parse_items()?;
        let (returns, returns_variadic) = if self.eat(":") {
            self.parse_return_list()?
        } else {
            (Vec::new(), Some(Type::Any))
        };
        Ok(make_function(type_params, items, returns, returns_variadic))
    }

    /// Return annotation of a Lua function after its `:`: `T`, `T, U`, `(T, U)` or `()`.
    pub fn parse_return_list(&mut self) -> Result<(Vec<Type>, Option<Type>)> {
        if self.peek() == "(" {
            let save = self.pos;
            let items = self.parse_items()?;
            let single = items.len() == 1 && !items[0].variadic && items[0].name.is_none();
            if !single || self.peek() == "->" {
                if self.peek() == "->" {
                    self.pos = save;
                } else {
                    return Ok(split_returns(items));
                }
            } else {
                self.pos = save;
            }
        }
        let mut returns = vec![self.parse_type()?];
        let mut variadic = None;
        while self.eat(",") {
            if self.eat("...") {
                variadic = Some(if matches!(self.peek(), ")" | "," | "") {
                    Type::Any
                } else {
                    self.parse_type()?
                });
                break;
            }
            returns.push(self.parse_type()?);
        }
        Ok((returns, variadic))
    }

    /// `<T, U: Bound>`; also adds the names to [`Self::type_params`].
    pub fn parse_type_params(&mut self) -> Result<Vec<TypeParam>> {
        self.expect("<")?;
        let mut params = Vec::new();
        loop {
            let name = self.name()?;
            self.type_params.push(name.clone());
            let bound = if self.eat(":") {
                Some(self.parse_type()?)
            } else {
                None
            };
            params.push(TypeParam { name, bound });
            if !self.eat(",") {
                break;
            }
        }
        self.close_angle()?;
        Ok(params)
    }
}

fn number_literal(text: &str, negative: bool) -> Type {
    match parse_number(text) {
        Some(NumberValue::Integer(i)) => Type::Literal(Literal::Integer(if negative {
            i.wrapping_neg()
        } else {
            i
        })),
        Some(NumberValue::Float(f)) => {
            Type::Literal(Literal::Number(if negative { -f } else { f }))
        }
        None => Type::Number,
    }
}

fn split_returns(items: Vec<Item>) -> (Vec<Type>, Option<Type>) {
    let mut returns = Vec::new();
    let mut variadic = None;
    for item in items {
        if item.variadic {
            variadic = Some(item.ty);
        } else {
            returns.push(item.ty);
        }
    }
    (returns, variadic)
}

fn make_function(
    type_params: Vec<TypeParam>,
    items: Vec<Item>,
    returns: Vec<Type>,
    returns_variadic: Option<Type>,
) -> FunctionType {
    let mut params = Vec::new();
    let mut variadic = None;
    for item in items {
        if item.variadic {
            variadic = Some(item.ty);
        } else {
            params.push(Param {
                name: item.name,
                ty: item.ty,
            });
        }
    }
    FunctionType {
        type_params,
        params,
        variadic,
        returns,
        returns_variadic,
        returns_from: crate::types::ReturnsFrom::Signature,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(s: &str) -> String {
        parse_type_str(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .to_string()
    }

    #[test]
    fn parses_and_renders_the_manifest_forms() {
        for s in [
            "string",
            "string?",
            "{[string]: any}",
            "{string}",
            "{a: number, b?: string}",
            "(data: string, raw: boolean?) -> (string, error?)",
            "(self, sql: string, ...any) -> ({{[string]: any}}, error?)",
            "() -> ()",
            "(string) -> number",
            "Channel<string>",
            "sql.DB",
            "\"a\" | \"b\" | 3",
            "(a: number) -> (b: string) -> boolean",
            "string | number | nil",
            "A & B",
        ] {
            assert_eq!(
                round(s),
                s.replace("| nil", "")
                    .replace("string | number ", "(string | number)?")
            );
        }
    }

    #[test]
    fn normalises_other_spellings() {
        assert_eq!(round("number[]"), "{number}");
        assert_eq!(round("fun(x: string): integer"), "(x: string) -> integer");
        assert_eq!(round("integer @min(0) @max(10)"), "integer");
        assert_eq!(round("readonly {string}"), "{string}");
        assert_eq!(round("Box<Box<string>>"), "Box<Box<string>>");
        assert_eq!(round("(string)?"), "string?");
        assert_eq!(round("typeof(x) | nil"), "any");
        assert_eq!(round("-1"), "-1");
    }

    #[test]
    fn reports_errors_with_offsets() {
        let e = parse_type_str("{a: }").unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(parse_type_str("(a: string").is_err());
        assert!(parse_type_str("string string").is_err());
        assert!(parse_type_str("").is_err());
        assert!(parse_type_str("Box<string").is_err());
    }

    #[test]
    fn optional_params_set_arity() {
        let f = parse_function_str("(self, a: string, b: number?) -> ()").unwrap();
        assert!(f.is_method());
        assert_eq!(f.arity(true), (1, Some(2)));
        assert_eq!(f.arity(false), (2, Some(3)));
        let v = parse_function_str("(fmt: string, ...any) -> string").unwrap();
        assert_eq!(v.arity(false), (1, None));
    }
}
