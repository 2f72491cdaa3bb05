//! Member access and calls: `a.b.c`, `obj:m(…)`, `f(…)`, `require("x")`. A call of a known
//! function type — a manifest function or method, a function of the chunk, a library's export —
//! types its function-literal arguments from the signature, instantiates its generics from the
//! arguments (`typedefs::generics`), is checked by `rules/calls.rs`, and gives the signature's
//! returns.

use std::sync::Arc;

use full_moon::ast::{Call, Expression, FunctionArgs, FunctionCall, Index, Prefix, Suffix};
use full_moon::tokenizer::{TokenReference, TokenType};
use typedefs::generics::{Inference, Solution};
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
    /// It is an interface method reached with `.`: (owner, receiver type).
    pub(crate) dot_method: Option<(String, Type)>,
}

impl Cur {
    /// A value of type `ty` reached through `path`.
    fn new(ty: Type, path: impl Into<String>) -> Cur {
        Cur {
            ty,
            path: path.into(),
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

/// A call's arguments as the rules see them.
pub(crate) struct Args<'e> {
    /// Type of each argument (the first value of each).
    pub(crate) types: Vec<Type>,
    /// The argument expressions (empty for `f "s"` / `f {…}`).
    pub(crate) exprs: Vec<&'e Expression>,
    /// The last argument may give several values (a call or `...`).
    pub(crate) last_multi: bool,
    /// Byte range of the argument list.
    pub(crate) span: std::ops::Range<u32>,
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
                        return self.continue_chain(Cur::new(ty, "require(…)"), &suffixes[1..]);
                    }
                }
                if name == "wraith" && self.env.kind.is_twin() && self.lookup(name).is_none() {
                    if let [Suffix::Index(Index::Dot { name, .. }), Suffix::Call(Call::AnonymousCall(args)), rest @ ..] =
                        suffixes
                    {
                        if ident(name) == "import" {
                            let ty = self.wraith_import(args);
                            return self.continue_chain(Cur::new(ty, "wraith.import(…)"), rest);
                        }
                    }
                }
                Cur::new(self.read_name(name, span(t)), name)
            }
            Prefix::Expression(e) => Cur::new(self.expr(e), "(…)"),
            _ => Cur::new(Type::Any, "?"),
        };
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
                        _ => Cur::new(element_type(&cur.ty), extend(&cur.path, "[…]")),
                    };
                }
                Suffix::Call(Call::AnonymousCall(args)) => {
                    values = self.call_value(&cur, args, false, &Type::Any);
                    let ty = values.first().cloned().unwrap_or(Type::Nil);
                    cur = Cur::new(ty, extend(&cur.path, "(…)"));
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
                        Lookup::Method { func, .. } => Cur::new(Type::Function(func), path),
                        Lookup::Found { ty, .. } => Cur::new(ty, path),
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
                            Cur::new(Type::Any, path)
                        }
                        Lookup::Unknown => Cur::new(Type::Any, path),
                    };
                    values = self.call_value(&callee, mc.args(), true, &recv);
                    let ty = values.first().cloned().unwrap_or(Type::Nil);
                    cur = Cur::new(ty, extend(&callee.path, "(…)"));
                }
                _ => {
                    values = vec![Type::Any];
                    cur = Cur::new(Type::Any, cur.path.clone());
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
            Lookup::Found { ty, .. } => Cur::new(ty, path),
            Lookup::Method { func, owner, .. } => Cur {
                ty: Type::Function(func),
                path,
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
                Cur::new(Type::Any, path)
            }
            Lookup::Unknown => Cur::new(Type::Any, path),
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
        let exprs: Vec<&Expression> = match args {
            FunctionArgs::Parentheses { arguments, .. } => arguments.iter().collect(),
            _ => Vec::new(),
        };
        let f = match &callee.ty {
            Type::Function(f) => Some(f.clone()),
            _ => None,
        };
        let mut inference = f.as_ref().map(|f| Inference::new(f));
        // `type(x.m)` tests for a member's presence.
        let probe = callee.path == "type";
        self.probing += u32::from(probe);
        let types: Vec<Type> = match args {
            FunctionArgs::Parentheses { .. } => {
                let mut types = Vec::with_capacity(exprs.len());
                for (i, e) in exprs.iter().enumerate() {
                    let param = f.as_ref().and_then(|f| param_type(f, colon, i, recv));
                    // A function literal's parameters are typed by the signature, with the
                    // type parameters the arguments before it bound.
                    let expected = match (&param, &inference, e) {
                        (Some(t), Some(inf), Expression::Function(_)) if inf.is_generic() => {
                            Some(inf.solve().apply(t))
                        }
                        _ => param.clone(),
                    };
                    let t = self.expr_expecting(e, expected.as_ref());
                    if let (Some(p), Some(inf)) = (&param, &mut inference) {
                        let loose = self.is_loose(e);
                        inf.argument(&self.rel(), p, &t, loose);
                    }
                    types.push(t);
                }
                types
            }
            FunctionArgs::String(s) => vec![string_token_type(s)],
            FunctionArgs::TableConstructor(t) => vec![self.table(t)],
            _ => Vec::new(),
        };
        self.probing -= u32::from(probe);
        if let (FunctionArgs::String(_) | FunctionArgs::TableConstructor(_), Some(f), Some(inf)) =
            (args, &f, &mut inference)
        {
            if let (Some(p), Some(t)) = (param_type(f, colon, 0, recv), types.first()) {
                inf.argument(&self.rel(), &p, t, true);
            }
        }
        // A local table handed to a function may get fields the walk cannot see.
        for e in &exprs {
            if let Expression::Var(full_moon::ast::Var::Name(t)) = e {
                if let Some(id) = self.lookup(ident(t)) {
                    self.mark_dynamic(id);
                }
            }
        }
        let Some(f) = f else {
            return vec![Type::Any];
        };
        let solution = inference.map(|inf| {
            let s = inf.solve();
            let violations = inf.violations(&self.rel(), &s);
            (s, violations)
        });
        let (solution, violations) = solution.unwrap_or_default();
        let args = Args {
            types,
            last_multi: exprs.last().is_some_and(|e| is_multi(e)),
            exprs,
            span: span(args),
        };
        self.check_call(callee, &f, &args, colon, recv, &solution, &violations);
        returns_of(&f, recv, &solution)
    }
}

impl Walker<'_> {
    /// Whether an argument's type is only what the walk saw of a table built in code: a table
    /// literal, or a local without annotation.
    fn is_loose(&self, e: &Expression) -> bool {
        match e {
            Expression::TableConstructor(_) => true,
            Expression::Var(full_moon::ast::Var::Name(t)) => self
                .lookup(ident(t))
                .is_some_and(|id| !self.locals[id].annotated),
            _ => false,
        }
    }
}

/// The type of the parameter argument `i` fills (`self` in it is the receiver).
fn param_type(f: &FunctionType, colon: bool, i: usize, recv: &Type) -> Option<Type> {
    let t = match f.call_params(colon).get(i) {
        Some(p) => p.ty.clone(),
        None => f.variadic.clone()?,
    };
    Some(self_is(t, recv))
}

/// `t` with `self` replaced by the receiver's type. A function type inside `t` keeps its own
/// `self` (a method of a returned table has its own receiver).
pub(crate) fn self_is(t: Type, recv: &Type) -> Type {
    if !has_self(&t) {
        return t;
    }
    map_type(t, &mut |t| match t {
        Type::SelfType => Some(recv.clone()),
        Type::Function(_) => Some(t.clone()),
        _ => None,
    })
}

/// Whether `t` mentions `self` outside the function types it contains.
fn has_self(t: &Type) -> bool {
    match t {
        Type::SelfType => true,
        Type::Optional(t) | Type::Array(t) => has_self(t),
        Type::Map(k, v) => has_self(k) || has_self(v),
        Type::Union(ts) | Type::Intersection(ts) => ts.iter().any(has_self),
        Type::Record(r) => r.fields.iter().any(|f| has_self(&f.ty)),
        Type::Named(n) => n.args.iter().any(has_self),
        _ => false,
    }
}

/// The result values of calling `f` on receiver `recv`: `self` in the returns is the receiver,
/// `f`'s type parameters their bindings. Types that mention neither are shared, not rebuilt.
fn returns_of(f: &Arc<FunctionType>, recv: &Type, solution: &Solution) -> Vec<Type> {
    let value = |t: &Type| solution.apply(&self_is(t.clone(), recv));
    let mut out: Vec<Type> = f.returns.iter().map(value).collect();
    if let Some(v) = &f.returns_variadic {
        out.push(value(v));
    } else if out.is_empty() {
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

/// Whether an expression may give several values (a call or `...`).
pub(crate) fn is_multi(e: &Expression) -> bool {
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
