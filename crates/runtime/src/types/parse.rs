//! Reading a `type` declaration's text for run-time checks: Wippy's type syntax (wippy-facts
//! §1.2) with the validators the checker's model does not keep (`@min`, `@max`, `@min_len`,
//! `@max_len`, `@pattern`). Function types are read only as "a function"; `typeof(x)` that the
//! lowering could not replace stays [`Ty::Unchecked`].

use std::fmt;

use regex::Regex;
use typedefs::lexer::{lex, Token, TokenKind};

/// A literal type's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    /// `"text"`.
    Str(String),
    /// `3`, `2.5`.
    Num(f64),
    /// `true`, `false`.
    Bool(bool),
}

/// A validator annotation.
#[derive(Clone, Debug)]
pub enum Ann {
    /// `@min(n)`: a number at least `n`.
    Min(f64),
    /// `@max(n)`.
    Max(f64),
    /// `@min_len(n)`: a string or array of at least `n` elements.
    MinLen(f64),
    /// `@max_len(n)`.
    MaxLen(f64),
    /// `@pattern("re")`: a string matching the (Go-syntax) regular expression.
    Pattern(Regex),
}

/// A record field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// `name?:`.
    pub optional: bool,
}

/// A type as the run-time check sees it.
#[derive(Clone, Debug)]
pub enum Ty {
    /// `any`, `unknown`.
    Any,
    /// `never`.
    Never,
    /// `nil`.
    Nil,
    /// `boolean`.
    Boolean,
    /// `number`.
    Number,
    /// `integer`: a number with no fraction.
    Integer,
    /// `string`.
    String,
    /// `table`.
    Table,
    /// `function` or any function type.
    Function,
    /// A literal.
    Lit(Lit),
    /// `T?`.
    Optional(Box<Ty>),
    /// `A | B`.
    Union(Vec<Ty>),
    /// `A & B`.
    Inter(Vec<Ty>),
    /// `{T}`.
    Array(Box<Ty>),
    /// `{[K]: V}`.
    Map(Box<Ty>, Box<Ty>),
    /// `{a: T, b?: U}`.
    Record(Vec<Field>),
    /// A named type: `Point`, `Box<string>`, `mod.Type`.
    Ref {
        /// The prefix of `mod.Type`.
        module: Option<String>,
        /// The name.
        name: String,
        /// Type arguments.
        args: Vec<Ty>,
    },
    /// A type with validators.
    Annotated(Box<Ty>, Vec<Ann>),
    /// What cannot be checked at run time, and why.
    Unchecked(String),
}

/// A declaration: `type Name<P…> = T`.
#[derive(Clone, Debug)]
pub struct Decl {
    /// The name.
    pub name: String,
    /// Generic parameters.
    pub params: Vec<String>,
    /// The type.
    pub ty: Ty,
}

struct P<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    /// A `>` left over from splitting `>>`.
    pending_gt: bool,
}

type R<T> = Result<T, String>;

impl P<'_> {
    fn text(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.text(self.src))
    }
    fn peek(&self) -> &str {
        if self.pending_gt {
            return ">";
        }
        self.text(self.pos)
    }
    fn kind(&self) -> Option<TokenKind> {
        self.toks.get(self.pos).map(|t| t.kind)
    }
    fn bump(&mut self) -> String {
        if self.pending_gt {
            self.pending_gt = false;
            self.pos += 1;
            return ">".into();
        }
        let t = self.text(self.pos).to_owned();
        self.pos += 1;
        t
    }
    fn eat(&mut self, s: &str) -> bool {
        if self.peek() == s {
            self.bump();
            return true;
        }
        if s == ">" && self.peek() == ">>" {
            self.pending_gt = true;
            return true;
        }
        false
    }
    fn expect(&mut self, s: &str) -> R<()> {
        if self.eat(s) {
            Ok(())
        } else {
            Err(format!("expected `{s}`, found `{}`", self.peek()))
        }
    }
    fn name(&mut self) -> R<String> {
        if self.kind() == Some(TokenKind::Name) && !self.pending_gt {
            Ok(self.bump())
        } else {
            Err(format!("expected a name, found `{}`", self.peek()))
        }
    }

    fn decl(&mut self) -> R<Decl> {
        self.eat("local");
        self.expect("type")?;
        let name = self.name()?;
        let mut params = Vec::new();
        if self.eat("<") {
            loop {
                params.push(self.name()?);
                if self.eat(":") {
                    self.ty()?;
                }
                if !self.eat(",") {
                    break;
                }
            }
            self.expect(">")?;
        }
        self.expect("=")?;
        let ty = self.ty()?;
        Ok(Decl { name, params, ty })
    }

    fn ty(&mut self) -> R<Ty> {
        let mut parts = vec![self.inter()?];
        while self.eat("|") {
            parts.push(self.inter()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Ty::Any)
        } else {
            Ty::Union(parts)
        })
    }

    fn inter(&mut self) -> R<Ty> {
        let mut parts = vec![self.postfix()?];
        while self.eat("&") {
            parts.push(self.postfix()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Ty::Any)
        } else {
            Ty::Inter(parts)
        })
    }

    fn postfix(&mut self) -> R<Ty> {
        let mut t = self.primary()?;
        loop {
            if self.eat("?") {
                t = Ty::Optional(Box::new(t));
            } else if self.peek() == "[" && self.text(self.pos + 1) == "]" {
                self.bump();
                self.bump();
                t = Ty::Array(Box::new(t));
            } else {
                break;
            }
        }
        self.annotated(t)
    }

    fn annotated(&mut self, t: Ty) -> R<Ty> {
        let mut anns = Vec::new();
        while self.eat("@") {
            let name = self.name()?;
            let mut args = Vec::new();
            if self.eat("(") {
                while !self.eat(")") {
                    if self.pos >= self.toks.len() {
                        return Err("unclosed annotation".into());
                    }
                    let a = self.bump();
                    if a != "," {
                        args.push(a);
                    }
                }
            }
            let num = |i: usize| args.get(i).and_then(|a| a.parse::<f64>().ok());
            let ann = match name.as_str() {
                "min" => num(0).map(Ann::Min),
                "max" => num(0).map(Ann::Max),
                "min_len" => num(0).map(Ann::MinLen),
                "max_len" => num(0).map(Ann::MaxLen),
                "pattern" => match args.first().map(|a| unquote(a)) {
                    Some(re) => Some(Ann::Pattern(
                        Regex::new(&re).map_err(|e| format!("@pattern: {e}"))?,
                    )),
                    None => None,
                },
                _ => None,
            };
            anns.extend(ann);
        }
        Ok(if anns.is_empty() {
            t
        } else {
            Ty::Annotated(Box::new(t), anns)
        })
    }

    fn primary(&mut self) -> R<Ty> {
        match self.kind() {
            Some(TokenKind::String) if !self.pending_gt => {
                let s = self.bump();
                return Ok(Ty::Lit(Lit::Str(unquote(&s))));
            }
            Some(TokenKind::Number) if !self.pending_gt => {
                let s = self.bump();
                return s
                    .parse::<f64>()
                    .map(|n| Ty::Lit(Lit::Num(n)))
                    .map_err(|_| format!("bad number {s}"));
            }
            _ => {}
        }
        match self.peek() {
            "{" => return self.table(),
            "(" => return self.paren(),
            "-" if self.toks.get(self.pos + 1).map(|t| t.kind) == Some(TokenKind::Number) => {
                self.bump();
                let s = self.bump();
                return s
                    .parse::<f64>()
                    .map(|n| Ty::Lit(Lit::Num(-n)))
                    .map_err(|_| format!("bad number {s}"));
            }
            _ => {}
        }
        let name = self.name()?;
        Ok(match name.as_str() {
            "nil" => Ty::Nil,
            "true" => Ty::Lit(Lit::Bool(true)),
            "false" => Ty::Lit(Lit::Bool(false)),
            "any" | "unknown" => Ty::Any,
            "never" => Ty::Never,
            "boolean" => Ty::Boolean,
            "number" => Ty::Number,
            "integer" => Ty::Integer,
            "string" => Ty::String,
            "table" => Ty::Table,
            "function" => Ty::Function,
            "readonly" => return self.primary(),
            "fun" => {
                self.skip_group()?;
                if self.eat(":") {
                    if self.peek() == "(" {
                        self.skip_group()?;
                    } else {
                        self.ty()?;
                    }
                }
                Ty::Function
            }
            "typeof" => {
                let start = self.pos;
                self.skip_group()?;
                let inner: Vec<String> =
                    (start..self.pos).map(|i| self.text(i).to_owned()).collect();
                Ty::Unchecked(format!("typeof{} is not known at run time", inner.join("")))
            }
            _ => {
                let (module, name) = if self.eat(".") {
                    (Some(name), self.name()?)
                } else {
                    (None, name)
                };
                let mut args = Vec::new();
                if self.eat("<") {
                    loop {
                        args.push(self.ty()?);
                        if !self.eat(",") {
                            break;
                        }
                    }
                    self.expect(">")?;
                }
                Ty::Ref { module, name, args }
            }
        })
    }

    /// Skip a balanced `( … )`.
    fn skip_group(&mut self) -> R<()> {
        self.expect("(")?;
        let mut depth = 1;
        while depth > 0 {
            if self.pos >= self.toks.len() {
                return Err("unclosed `(`".into());
            }
            match self.bump().as_str() {
                "(" => depth += 1,
                ")" => depth -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    /// `( T )` or a function type `( … ) -> R`.
    fn paren(&mut self) -> R<Ty> {
        let start = self.pos;
        self.skip_group()?;
        if self.eat("->") {
            if self.peek() == "(" {
                self.skip_group()?;
            } else {
                self.ty()?;
            }
            return Ok(Ty::Function);
        }
        let end = self.pos;
        self.pos = start + 1;
        let t = self.ty()?;
        if self.pos != end - 1 {
            return Err("unexpected tokens in parentheses".into());
        }
        self.pos = end;
        Ok(t)
    }

    /// `{}`, `{T}`, `{[K]: V}`, `{a: T, b?: U, …}`.
    fn table(&mut self) -> R<Ty> {
        self.expect("{")?;
        if self.eat("}") {
            return Ok(Ty::Table);
        }
        if self.eat("[") {
            let k = self.ty()?;
            self.expect("]")?;
            self.expect(":")?;
            let v = self.ty()?;
            self.eat(",");
            self.expect("}")?;
            return Ok(Ty::Map(Box::new(k), Box::new(v)));
        }
        let is_field = self.kind() == Some(TokenKind::Name)
            && matches!(self.text(self.pos + 1), ":" | "?:" | "?");
        if !is_field {
            let t = self.ty()?;
            self.expect("}")?;
            return Ok(Ty::Array(Box::new(t)));
        }
        let mut fields = Vec::new();
        while !self.eat("}") {
            let name = self.name()?;
            let optional = if self.eat("?:") {
                true
            } else if self.eat("?") {
                self.expect(":")?;
                true
            } else {
                self.expect(":")?;
                false
            };
            let ty = self.ty()?;
            fields.push(Field { name, ty, optional });
            if !self.eat(",") && !self.eat(";") {
                self.expect("}")?;
                break;
            }
        }
        Ok(Ty::Record(fields))
    }
}

/// The text of a string token without quotes (simple escapes decoded).
fn unquote(s: &str) -> String {
    let inner = s
        .strip_prefix(['"', '\''])
        .and_then(|r| r.strip_suffix(['"', '\'']))
        .unwrap_or(s);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(o) => out.push(o),
            None => {}
        }
    }
    out
}

/// Read a declaration.
pub fn decl(src: &str) -> Result<Decl, String> {
    let mut p = P {
        src,
        toks: lex(src),
        pos: 0,
        pending_gt: false,
    };
    let d = p.decl()?;
    if p.pos < p.toks.len() {
        return Err(format!("unexpected `{}`", p.peek()));
    }
    Ok(d)
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Any => f.write_str("any"),
            Ty::Never => f.write_str("never"),
            Ty::Nil => f.write_str("nil"),
            Ty::Boolean => f.write_str("boolean"),
            Ty::Number => f.write_str("number"),
            Ty::Integer => f.write_str("integer"),
            Ty::String => f.write_str("string"),
            Ty::Table => f.write_str("table"),
            Ty::Function => f.write_str("function"),
            Ty::Lit(Lit::Str(s)) => write!(f, "{s:?}"),
            Ty::Lit(Lit::Num(n)) => write!(f, "{n}"),
            Ty::Lit(Lit::Bool(b)) => write!(f, "{b}"),
            Ty::Optional(t) => write!(f, "{t}?"),
            Ty::Union(ts) | Ty::Inter(ts) => {
                let sep = if matches!(self, Ty::Union(_)) {
                    " | "
                } else {
                    " & "
                };
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    write!(f, "{t}")?;
                }
                Ok(())
            }
            Ty::Array(t) => write!(f, "{{{t}}}"),
            Ty::Map(k, v) => write!(f, "{{[{k}]: {v}}}"),
            Ty::Record(fields) => {
                f.write_str("{")?;
                for (i, fl) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let q = if fl.optional { "?" } else { "" };
                    write!(f, "{}{q}: {}", fl.name, fl.ty)?;
                }
                f.write_str("}")
            }
            Ty::Ref { module, name, args } => {
                if let Some(m) = module {
                    write!(f, "{m}.")?;
                }
                f.write_str(name)?;
                if !args.is_empty() {
                    f.write_str("<")?;
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{a}")?;
                    }
                    f.write_str(">")?;
                }
                Ok(())
            }
            Ty::Annotated(t, _) => write!(f, "{t}"),
            Ty::Unchecked(_) => f.write_str("unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_of_type_declarations() {
        for (src, shown) in [
            (
                "type P = {x: number, y?: string}",
                "{x: number, y?: string}",
            ),
            ("type R = \"a\" | \"b\" | 3", "\"a\" | \"b\" | 3"),
            ("type B<T> = {value: T}", "{value: T}"),
            ("type S = Box<Box<string>>", "Box<Box<string>>"),
            (
                "type M = readonly {[string]: number} @min_len(1)",
                "{[string]: number}",
            ),
            ("type F = (number, string) -> (boolean, string)", "function"),
            ("type Q = mod.Inner", "mod.Inner"),
            ("type E = string @pattern(\"^.+@.+\\\\..+$\")", "string"),
        ] {
            let d = decl(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            assert_eq!(d.ty.to_string(), shown, "{src}");
        }
        assert_eq!(decl("type B<T, U> = {a: T}").unwrap().params, ["T", "U"]);
        assert!(decl("type = 1").is_err());
    }
}
