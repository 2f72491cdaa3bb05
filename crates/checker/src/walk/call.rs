//! Member access and calls: `a.b.c`, `obj:m(…)`, `f(…)`, `require("x")`, checked against the
//! manifests (arity, argument types, unknown members and methods).

use std::sync::Arc;

use full_moon::ast::{Call, Expression, FunctionArgs, FunctionCall, Index, Prefix, Suffix};
use full_moon::tokenizer::{TokenReference, TokenType};
use typedefs::manifest::map_type;
use typedefs::{FunctionType, Literal, Lookup, Type};

use super::{ident, span, Walker};
use crate::registry::Code;

/// The value flowing through a suffix chain.
#[derive(Clone)]
pub(crate) struct Cur {
    pub(crate) ty: Type,
    /// Dotted description for messages (`json.decode`, `db:query`).
    pub(crate) path: String,
    /// The type came from a manifest (arity is then exact).
    pub(crate) strict: bool,
    /// It is an interface method reached with `.`: (owner, receiver type).
    pub(crate) dot_method: Option<(String, Type)>,
}

impl Cur {
    /// A value of unknown type reached through `path`.
    fn unknown(path: String) -> Cur {
        Cur {
            ty: Type::Any,
            path,
            strict: false,
            dot_method: None,
        }
    }
}

/// Longest description of a chain kept for messages (bytes): a chain of 100k suffixes
/// (`f''''…`, `f()()…`) would otherwise copy a growing path at every suffix, quadratic time.
const MAX_PATH: usize = 120;

/// `path` followed by `tail`, or `path` cut off with ` …` once it is [`MAX_PATH`] long.
fn extend(path: &str, tail: &str) -> String {
    if path.ends_with(" …") {
        path.to_owned()
    } else if path.len() >= MAX_PATH {
        format!("{path} …")
    } else {
        format!("{path}{tail}")
    }
}

impl Walker<'_> {
    /// Type all values of a call statement or expression.
    pub(crate) fn call(&mut self, c: &FunctionCall) -> Vec<Type> {
        let suffixes: Vec<&Suffix> = c.suffixes().collect();
        self.chain(c.prefix(), &suffixes)
    }

    /// Whether an expression is a direct `require("…")` call.
    pub(crate) fn is_require_call(&self, e: &Expression) -> bool {
        match e {
            Expression::FunctionCall(c) => {
                matches!(c.prefix(), Prefix::Name(t) if ident(t) == "require")
                    && self.lookup("require").is_none()
            }
            _ => false,
        }
    }

    /// Evaluate `prefix suffix*`; returns all values of the last suffix.
    pub(crate) fn chain(&mut self, prefix: &Prefix, suffixes: &[&Suffix]) -> Vec<Type> {
        let cur = match prefix {
            Prefix::Name(t) => {
                let name = ident(t);
                if name == "require" && self.lookup("require").is_none() && !self.env.kind.is_twin()
                {
                    if let Some(Suffix::Call(Call::AnonymousCall(args))) = suffixes.first() {
                        let ty = self.require(args);
                        return self.continue_chain(
                            Cur {
                                ty,
                                path: "require(…)".into(),
                                strict: false,
                                dot_method: None,
                            },
                            &suffixes[1..],
                        );
                    }
                }
                let ty = self.read_name(name, span(t));
                let strict = self.lookup(name).is_none() && self.env.globals.contains_key(name);
                Cur {
                    ty,
                    path: name.to_owned(),
                    strict,
                    dot_method: None,
                }
            }
            Prefix::Expression(e) => {
                let ty = self.expr(e);
                Cur {
                    ty,
                    path: "(…)".into(),
                    strict: false,
                    dot_method: None,
                }
            }
            _ => Cur::unknown("?".into()),
        };
        if let Prefix::Name(t) = prefix {
            if ident(t) == "wraith" && self.env.kind.is_twin() {
                if let [Suffix::Index(Index::Dot { name, .. }), Suffix::Call(Call::AnonymousCall(args)), rest @ ..] =
                    suffixes
                {
                    if ident(name) == "import" {
                        let ty = self.wraith_import(args);
                        return self.continue_chain(
                            Cur {
                                ty,
                                path: "wraith.import(…)".into(),
                                strict: false,
                                dot_method: None,
                            },
                            rest,
                        );
                    }
                }
            }
        }
        self.continue_chain(cur, suffixes)
    }

    fn continue_chain(&mut self, mut cur: Cur, suffixes: &[&Suffix]) -> Vec<Type> {
        let mut values = vec![cur.ty.clone()];
        for s in suffixes {
            match s {
                Suffix::Index(Index::Dot { name, .. }) => {
                    cur = self.member(cur, ident(name).to_owned(), span(name));
                }
                Suffix::Index(Index::Brackets { expression, .. }) => {
                    let key = self.expr(expression);
                    cur = match key {
                        Type::Literal(Literal::String(s)) if is_identifier(&s) => {
                            self.member(cur, s, span(expression))
                        }
                        _ => Cur {
                            ty: element_type(&cur.ty),
                            path: extend(&cur.path, "[…]"),
                            strict: false,
                            dot_method: None,
                        },
                    };
                }
                Suffix::Call(Call::AnonymousCall(args)) => {
                    values = self.call_value(&cur, args, false, &cur.ty.clone());
                    cur = Cur {
                        ty: values.first().cloned().unwrap_or(Type::Nil),
                        path: extend(&cur.path, "(…)"),
                        strict: false,
                        dot_method: None,
                    };
                }
                Suffix::Call(Call::MethodCall(mc)) => {
                    let name = ident(mc.name()).to_owned();
                    let recv = cur.ty.clone();
                    self.record_member(span(mc.name()), &recv, true);
                    let lookup =
                        self.env
                            .modules
                            .member(&recv, &name, true, Some(&self.local_types));
                    let path = extend(&cur.path, &format!(":{name}"));
                    let callee = match lookup {
                        Lookup::Method { func, .. } => Cur {
                            ty: Type::Function(func),
                            path,
                            strict: true,
                            dot_method: None,
                        },
                        Lookup::Found { ty, .. } => Cur {
                            ty,
                            path,
                            strict: cur.strict,
                            dot_method: None,
                        },
                        Lookup::Missing {
                            owner,
                            is_object,
                            suggestion,
                        } => {
                            let (code, what) = if is_object {
                                (Code::E0022, "method")
                            } else {
                                (Code::E0004, "field")
                            };
                            let message = format!("no {what} `{name}` on {owner}");
                            self.missing_member(
                                code,
                                span(mc.name()),
                                message,
                                suggestion,
                                (cur.path.clone(), name.clone()),
                            );
                            Cur::unknown(path)
                        }
                        Lookup::Unknown => Cur::unknown(path),
                    };
                    values = self.call_value(&callee, mc.args(), true, &recv);
                    cur = Cur {
                        ty: values.first().cloned().unwrap_or(Type::Nil),
                        path: extend(&callee.path, "(…)"),
                        strict: false,
                        dot_method: None,
                    };
                }
                _ => {
                    values = vec![Type::Any];
                    cur = Cur::unknown(cur.path.clone());
                }
            }
            if !matches!(s, Suffix::Call(_)) {
                values = vec![cur.ty.clone()];
            }
        }
        values
    }

    /// `cur.name`.
    fn member(&mut self, cur: Cur, name: String, sp: std::ops::Range<u32>) -> Cur {
        self.record_member(sp.clone(), &cur.ty, false);
        let path = extend(&cur.path, &format!(".{name}"));
        match self
            .env
            .modules
            .member(&cur.ty, &name, false, Some(&self.local_types))
        {
            Lookup::Found { ty, .. } => Cur {
                ty,
                path,
                strict: cur.strict || matches!(cur.ty, Type::Namespace(_)),
                dot_method: None,
            },
            Lookup::Method { func, owner, .. } => Cur {
                ty: Type::Function(func),
                path,
                strict: true,
                dot_method: Some((owner, cur.ty)),
            },
            Lookup::Missing {
                owner, suggestion, ..
            } => {
                let mut message = format!("no field `{name}` in {owner}");
                if let Some(s) = &suggestion {
                    message.push_str(&format!("; did you mean `{s}`?"));
                }
                let key = (cur.path.clone(), name.clone());
                self.missing_member(Code::E0004, sp, message, suggestion, key);
                Cur::unknown(path)
            }
            Lookup::Unknown => Cur::unknown(path),
        }
    }

    /// Call `callee` with `args`; `colon` when written `recv:m(…)`. Returns all result values.
    fn call_value(
        &mut self,
        callee: &Cur,
        args: &FunctionArgs,
        colon: bool,
        recv: &Type,
    ) -> Vec<Type> {
        let arg_exprs: Vec<&Expression> = match args {
            FunctionArgs::Parentheses { arguments, .. } => arguments.iter().collect(),
            _ => Vec::new(),
        };
        // `type(x.m)` tests for a member's presence.
        let probe = callee.path == "type";
        self.probing += u32::from(probe);
        let mut arg_types: Vec<Type> = match args {
            FunctionArgs::Parentheses { arguments, .. } => {
                arguments.iter().map(|e| self.expr(e)).collect()
            }
            FunctionArgs::String(s) => vec![string_token_type(s)],
            FunctionArgs::TableConstructor(t) => vec![self.table(t)],
            _ => Vec::new(),
        };
        self.probing -= u32::from(probe);
        let last_multi = arg_exprs.last().is_some_and(|e| is_multi(e));
        // A local table handed to a function may get fields we cannot see.
        for e in &arg_exprs {
            if let Expression::Var(full_moon::ast::Var::Name(t)) = e {
                if let Some(id) = self.lookup(ident(t)) {
                    self.mark_dynamic(id);
                }
            }
        }
        let Type::Function(f) = &callee.ty else {
            return vec![Type::Any];
        };
        let f = f.clone();
        let call_span = span(args);
        if !self.check_call(
            callee,
            &f,
            &mut arg_types,
            &arg_exprs,
            colon,
            recv,
            last_multi,
            call_span,
        ) {
            return returns_of(&f, recv);
        }
        returns_of(&f, recv)
    }
}

/// The result values of calling `f` on receiver `recv` (`self` in returns becomes `recv`).
fn returns_of(f: &Arc<FunctionType>, recv: &Type) -> Vec<Type> {
    let mut out: Vec<Type> = f
        .returns
        .iter()
        .map(|t| {
            map_type(t.clone(), &mut |t| {
                matches!(t, Type::SelfType | Type::Param(_)).then(|| {
                    if matches!(t, Type::SelfType) {
                        recv.clone()
                    } else {
                        Type::Any
                    }
                })
            })
        })
        .collect();
    if f.returns_variadic.is_some() || out.is_empty() {
        out.push(Type::Any);
    }
    out
}

fn element_type(t: &Type) -> Type {
    match t {
        Type::Array(e) => (**e).clone(),
        Type::Map(_, v) => (**v).clone(),
        _ => Type::Any,
    }
}

fn is_identifier(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_multi(e: &Expression) -> bool {
    matches!(e, Expression::FunctionCall(_))
        || matches!(e, Expression::Symbol(t) if t.token().to_string() == "...")
}

pub(crate) fn string_literal(t: &TokenReference) -> String {
    match t.token_type() {
        TokenType::StringLiteral { literal, .. } => literal.to_string(),
        _ => String::new(),
    }
}

fn string_token_type(t: &TokenReference) -> Type {
    Type::Literal(Literal::String(string_literal(t)))
}

#[cfg(test)]
mod tests {
    use super::{extend, MAX_PATH};

    #[test]
    fn chain_descriptions_stay_short() {
        // Each suffix of `f''''…` or `f()()…` used to copy the whole description so far:
        // 100k suffixes copied 400 KB each, quadratic time.
        let mut path = "f".to_owned();
        for i in 0..100_000 {
            path = extend(&path, if i % 2 == 0 { "(…)" } else { ".x" });
        }
        assert!(path.len() <= MAX_PATH + 8, "{} bytes", path.len());
        assert!(
            path.starts_with("f(…).x(…)") && path.ends_with(" …"),
            "{path}"
        );
    }
}
