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

use super::flow::{Origin, OriginKind};
use super::narrow::origin;
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
    /// Where a nil (or `any`) in it came from.
    pub(crate) origin: Option<Arc<Origin>>,
    /// The field path of a local it is (`cfg.cache`: the local and `cache`), while the chain
    /// is only names and dots.
    pub(crate) key: Option<(usize, String)>,
}

impl Cur {
    /// A value of type `ty` reached through `path`.
    fn new(ty: Type, path: impl Into<String>) -> Cur {
        Cur {
            ty,
            path: path.into(),
            dot_method: None,
            origin: None,
            key: None,
        }
    }

    fn with_origin(mut self, origin: Option<Arc<Origin>>) -> Cur {
        self.origin = origin;
        self
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
    /// Where each argument's value came from.
    pub(crate) origins: Vec<Option<Arc<Origin>>>,
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
                        return self.continue_chain(
                            Cur::new(ty, "require(…)"),
                            None,
                            &suffixes[1..],
                        );
                    }
                }
                if name == "wraith" && self.env.kind.is_twin() && self.lookup(name).is_none() {
                    if let [Suffix::Index(Index::Dot { name, .. }), Suffix::Call(Call::AnonymousCall(args)), rest @ ..] =
                        suffixes
                    {
                        if ident(name) == "import" {
                            let ty = self.wraith_import(args);
                            return self.continue_chain(
                                Cur::new(ty, "wraith.import(…)"),
                                None,
                                rest,
                            );
                        }
                    }
                }
                let ty = self.read_name(name, span(t));
                let mut cur = Cur::new(ty, name).with_origin(self.last_origin.take());
                cur.key = self.lookup(name).map(|id| (id, String::new()));
                if self.prep.non_nil.is_empty() {
                    cur
                } else {
                    self.asserted(cur, span(t).end)
                }
            }
            Prefix::Expression(e) => {
                let ty = self.expr(e);
                Cur::new(ty, "(…)").with_origin(self.last_origin.take())
            }
            _ => Cur::new(Type::Any, "?"),
        };
        self.continue_chain(cur, Some(prefix), suffixes)
    }

    /// The rest of a chain after its prefix (`prefix`, to find call facts, when the chain is
    /// the source's own).
    fn continue_chain(
        &mut self,
        mut cur: Cur,
        prefix: Option<&Prefix>,
        suffixes: &[&Suffix],
    ) -> Vec<Type> {
        let mut values = vec![cur.ty.clone()];
        let mut origin_out = cur.origin.clone();
        let facts = prefix.filter(|_| {
            self.flow
                .paths
                .keys()
                .any(|(l, _)| *l == super::flow::CALL_FACT)
        });
        for (i, s) in suffixes.iter().enumerate() {
            match s {
                Suffix::Index(Index::Dot { name, .. }) => {
                    cur = self.nil_receiver(cur, span(name), Code::E0023, false);
                    cur = self.member(cur, ident(name).to_owned(), span(name));
                }
                Suffix::Index(Index::Brackets { expression, .. }) => {
                    cur = self.nil_receiver(cur, span(expression), Code::E0023, false);
                    let key = self.expr(expression);
                    cur = match key {
                        Type::Literal(Literal::String(s)) if is_identifier(&s) => {
                            self.member(cur, s, span(expression))
                        }
                        _ => {
                            // `t[1]`: a literal key is a field path too (`test.not_nil(t[1].x)`).
                            let key = cur.key.clone().zip(super::narrow::key_segment(expression));
                            let mut out = self.element(&cur);
                            if let Some(((id, p), seg)) = key {
                                let p = if p.is_empty() {
                                    seg
                                } else {
                                    format!("{p}.{seg}")
                                };
                                if let Some(v) = self.flow.paths.get(&(id, p.as_str().into())) {
                                    out.ty = v.ty.clone();
                                    out.origin = v.origin.clone();
                                }
                                out.key = Some((id, p));
                            }
                            out
                        }
                    };
                }
                Suffix::Call(Call::AnonymousCall(args)) => {
                    cur = self.nil_receiver(cur, span(args), Code::E0021, false);
                    values = self.call_value(&cur, args, false, &Type::Any);
                    let ty = values.first().cloned().unwrap_or(Type::Nil);
                    cur = Cur::new(ty, extend(&cur.path, "(…)"))
                        .with_origin(self.last_call_origin.take());
                }
                Suffix::Call(Call::MethodCall(mc)) => {
                    cur = self.nil_receiver(cur, span(mc.name()), Code::E0021, true);
                    let name = ident(mc.name()).to_owned();
                    let recv = cur.ty.clone();
                    self.record_member(span(mc.name()), &recv, true);
                    let lookup =
                        self.env
                            .modules
                            .member(&recv, &name, true, Some(&self.local_types));
                    let path = extend(&cur.path, &format!(":{name}"));
                    let union = self.union_member(&cur, &name, true, span(mc.name()));
                    let callee = match (union, lookup) {
                        (Some(Some(ty)), _) => Cur::new(ty, path),
                        (Some(None), _) => Cur::new(Type::Any, path),
                        (None, lookup) => match lookup {
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
                        },
                    };
                    values = self.call_value(&callee, mc.args(), true, &recv);
                    let ty = values.first().cloned().unwrap_or(Type::Nil);
                    cur = Cur::new(ty, extend(&callee.path, "(…)"))
                        .with_origin(self.last_call_origin.take());
                }
                _ => {
                    values = vec![Type::Any];
                    cur = Cur::new(Type::Any, cur.path.clone());
                }
            }
            if !self.prep.non_nil.is_empty() {
                cur = self.asserted(cur, span(*s).end);
            }
            if let (Some(p), Suffix::Call(_)) = (facts, s) {
                if self.is_call_fact(p, &suffixes[..=i]) {
                    cur.ty = cur.ty.non_nil();
                    cur.origin = None;
                }
            }
            if !matches!(s, Suffix::Call(_)) {
                values = vec![cur.ty.clone()];
            } else if let Some(first) = values.first_mut() {
                first.clone_from(&cur.ty);
            }
            origin_out = cur.origin.clone();
        }
        self.last_origin = origin_out;
        values
    }

    /// Whether the fields of `t` are declarations (an annotation, a `type`, a manifest), not
    /// what code built (a table constructor, the join of the tables an unannotated function
    /// returns, a library's table as its importers see it): only a declared optional field is
    /// a contract the reader must check.
    pub(crate) fn declared_shape(&self, t: &Type) -> bool {
        match t {
            Type::Record(r) => r.shape == typedefs::Shape::Declared,
            Type::Optional(t) => self.declared_shape(t),
            Type::Named(_) => self
                .rel()
                .alias(t)
                .is_none_or(|a| matches!(a, Type::Named(_)) || self.declared_shape(&a)),
            Type::Union(ms) => ms.iter().all(|m| self.declared_shape(m)),
            _ => true,
        }
    }

    /// Whether the call `prefix suffixes` was proven not nil (`f(x) and f(x).y`).
    fn is_call_fact(&self, prefix: &Prefix, suffixes: &[&Suffix]) -> bool {
        let mut text = prefix.to_string();
        for s in suffixes {
            text.push_str(&s.to_string());
        }
        let key = (super::flow::CALL_FACT, super::flow::call_key(&text));
        self.flow.paths.contains_key(&key)
    }

    /// `cur` followed by `!` (ending at `end`): the programmer asserts it is not nil.
    fn asserted(&self, mut cur: Cur, end: u32) -> Cur {
        if self.prep.non_nil.contains(&end) {
            cur.ty = cur.ty.non_nil();
            cur.origin = None;
        }
        cur
    }

    /// `cur[…]` with a key that is not a field name: the element of an array or a map (which
    /// may be nil in strict mode, as go-lua reads it).
    fn element(&mut self, cur: &Cur) -> Cur {
        let t = element_type(&cur.ty);
        let path = extend(&cur.path, "[…]");
        let strict = self.env.mode.nil_strict && !matches!(t, Type::Any | Type::Unknown);
        if strict && matches!(cur.ty, Type::Array(_) | Type::Map(..)) {
            let why = format!("an element read from `{}` may be absent", cur.path);
            return Cur::new(t.optional(), path)
                .with_origin(Some(origin(why, OriginKind::Element)));
        }
        let o = cur.origin.clone().filter(|_| matches!(t, Type::Any));
        Cur::new(t, path).with_origin(o)
    }

    /// `cur.name`.
    fn member(&mut self, cur: Cur, name: String, sp: std::ops::Range<u32>) -> Cur {
        self.record_member(sp.clone(), &cur.ty, false);
        let path = extend(&cur.path, &format!(".{name}"));
        let key = cur.key.as_ref().map(|(id, p)| {
            let p = if p.is_empty() {
                name.clone()
            } else {
                format!("{p}.{name}")
            };
            (*id, p)
        });
        let narrowed = key
            .as_ref()
            .and_then(|(id, p)| self.flow.paths.get(&(*id, p.as_str().into())).cloned());
        let found = self.lookup_member(&cur, &name, sp.clone());
        let mut out = match (narrowed, found) {
            (Some(v), Some(_) | None) => Cur::new(v.ty, path).with_origin(v.origin),
            (None, Some(c)) => c,
            (None, None) => return Cur::new(Type::Any, path),
        };
        out.key = key;
        out
    }

    /// The member `name` of `cur`, reported when missing (`None` then).
    fn lookup_member(&mut self, cur: &Cur, name: &str, sp: std::ops::Range<u32>) -> Option<Cur> {
        let name = name.to_owned();
        let path = extend(&cur.path, &format!(".{name}"));
        if let Some(c) = self.union_member(cur, &name, false, sp.clone()) {
            return c.map(|ty| Cur::new(ty, path));
        }
        Some(
            match self
                .env
                .modules
                .member(&cur.ty, &name, false, Some(&self.local_types))
            {
                Lookup::Found { ty, .. } => {
                    let o = if ty.is_optional() {
                        let upvalue = cur
                            .key
                            .as_ref()
                            .is_some_and(|(id, _)| self.locals[*id].depth < self.frames.len());
                        let kind = if !self.declared_shape(&cur.ty) {
                            OriginKind::Inferred
                        } else if upvalue {
                            OriginKind::Upvalue
                        } else {
                            OriginKind::Contract
                        };
                        Some(origin(format!("`{path}` is optional"), kind))
                    } else if matches!(ty, Type::Any) {
                        cur.origin.clone()
                    } else {
                        None
                    };
                    Cur::new(ty, path).with_origin(o)
                }
                Lookup::Method { func, owner, .. } => Cur {
                    ty: Type::Function(func),
                    path,
                    dot_method: Some((owner, cur.ty.clone())),
                    origin: None,
                    key: None,
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
                    return None;
                }
                Lookup::Unknown => {
                    let o = cur.origin.clone().filter(|_| matches!(cur.ty, Type::Any));
                    Cur::new(Type::Any, path).with_origin(o)
                }
            },
        )
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
        // `type(x.m)` and a test library's `is_nil(x.m)` test for a member's presence.
        let probe = callee.path == "type" || super::asserts::is_nil_assertion(&callee.path);
        self.probing += u32::from(probe);
        let mut origins = Vec::new();
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
                    origins.push(self.last_origin.take());
                    if let (Some(p), Some(inf)) = (&param, &mut inference) {
                        let loose = self.is_loose(e);
                        inf.argument(&self.rel_gradual(), p, &t, loose);
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
                inf.argument(&self.rel_gradual(), &p, t, true);
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
            self.last_pair = None;
            self.last_call_origin = None;
            self.last_open = true;
            return vec![Type::Any];
        };
        let solution = inference.map(|inf| {
            let s = inf.solve();
            let violations = inf.violations(&self.rel_gradual(), &s);
            (s, violations)
        });
        let (solution, violations) = solution.unwrap_or_default();
        let args = Args {
            types,
            origins,
            last_multi: exprs.last().is_some_and(|e| is_multi(e)),
            exprs,
            span: span(args),
        };
        self.check_call(callee, &f, &args, colon, recv, &solution, &violations);
        let out = returns_of(&f, recv, &solution);
        self.last_open = f.returns_variadic.is_some();
        self.last_pair = f.error_slot().map(|slot| (slot, callee.path.clone()));
        self.last_call_origin = out.first().and_then(|t| {
            let kind = match f.returns_from {
                // The value of a `(value, error?)` pair whose error is not kept (bound to
                // locals, `bind_pairs` makes the error's local guard it).
                _ if f.error_slot().is_some() => OriginKind::Pair { err: None },
                typedefs::ReturnsFrom::Inferred => OriginKind::Inferred,
                // `any?` is an escape hatch more than a contract.
                typedefs::ReturnsFrom::Annotated if !matches!(t.non_nil(), Type::Any) => {
                    OriginKind::Declared
                }
                _ => OriginKind::Contract,
            };
            if t.is_optional() {
                Some(origin(format!("`{}(…)` may return nil", callee.path), kind))
            } else if matches!(t, Type::Any | Type::Unknown) && !f.returns.is_empty() {
                Some(origin(format!("`{}(…)` returns {t}", callee.path), kind))
            } else {
                None
            }
        });
        out
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

pub(crate) fn is_identifier(s: &str) -> bool {
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
