//! Narrowing: what a condition proves about locals and field paths when it is true or false.
//!
//! Forms (wippy-facts §1.4; go-lua `compiler/check/abstract/cond`): truthiness (`if x`,
//! `not x`), `x == nil` / `x ~= nil`, `type(x) == "kind"` (also on `any`), literal equality
//! (`x == "a"` on a literal union), discriminant fields (`l.state == "loaded"` keeps the
//! members of a union of records whose `state` can be `"loaded"`), `and` / `or` / `not`
//! combinations, and the `(value, error?)` correlation: the error proven nil proves its values
//! non-nil. The subjects are locals and field paths of locals (`cfg.cache`, `self.conn`).

use std::sync::Arc;

use full_moon::ast::{BinOp, Call, Expression, FunctionArgs, Index, Prefix, Suffix, UnOp, Var};
use full_moon::tokenizer::TokenType;
use typedefs::relation::value_kind;
use typedefs::{Literal, Lookup, Type};

use super::flow::{join_vals, OriginKind, PathKey, Val};
use super::{ident, Walker};

/// What a condition narrows: new values for locals and field paths.
#[derive(Clone, Debug, Default)]
pub(crate) struct Narrowing {
    pub(crate) locals: Vec<(usize, Val)>,
    pub(crate) paths: Vec<(PathKey, Val)>,
    /// The outcome cannot happen (`while true` is never false).
    pub(crate) impossible: bool,
}

/// What a condition says of one subject.
#[derive(Clone, Debug)]
enum Test {
    Truthy(bool),
    Nil(bool),
    Kind(String, bool),
    Literal(Literal, bool),
    Field(String, Literal, bool),
}

/// A local or a field path of a local.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Subject {
    Local(usize),
    Path(usize, Box<str>),
    /// A call expression, by its text ([`super::flow::call_key`]).
    Call(Box<str>),
}

impl Narrowing {
    fn get_local(&self, id: usize) -> Option<&Val> {
        self.locals
            .iter()
            .rev()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| v)
    }

    fn get_path(&self, k: &PathKey) -> Option<&Val> {
        self.paths
            .iter()
            .rev()
            .find(|(i, _)| i == k)
            .map(|(_, v)| v)
    }

    fn extend(&mut self, other: Narrowing) {
        self.locals.extend(other.locals);
        self.paths.extend(other.paths);
        self.impossible |= other.impossible;
    }

    /// Either `a` or `b` holds: only what both narrow, joined.
    fn either(a: Narrowing, b: Narrowing) -> Narrowing {
        if a.impossible {
            return b;
        }
        if b.impossible {
            return a;
        }
        let mut out = Narrowing::default();
        for (id, _) in &a.locals {
            if out.locals.iter().any(|(i, _)| i == id) {
                continue;
            }
            if let (Some(x), Some(y)) = (a.get_local(*id), b.get_local(*id)) {
                out.locals.push((*id, join_vals([x, y])));
            }
        }
        for (k, _) in &a.paths {
            if out.paths.iter().any(|(i, _)| i == k) {
                continue;
            }
            if let (Some(x), Some(y)) = (a.get_path(k), b.get_path(k)) {
                out.paths.push((k.clone(), join_vals([x, y])));
            }
        }
        out
    }
}

/// `e` without parentheses.
fn strip(e: &Expression) -> &Expression {
    match e {
        Expression::Parentheses { expression, .. } => strip(expression),
        e => e,
    }
}

fn literal_of(e: &Expression) -> Option<Literal> {
    match strip(e) {
        Expression::String(t) => match t.token_type() {
            TokenType::StringLiteral { literal, .. } => Some(Literal::String(literal.to_string())),
            _ => None,
        },
        Expression::Number(t) => match t.token_type() {
            TokenType::Number { text } => match typedefs::lexer::parse_number(text)? {
                typedefs::lexer::NumberValue::Integer(i) => Some(Literal::Integer(i)),
                typedefs::lexer::NumberValue::Float(f) => Some(Literal::Number(f)),
            },
            _ => None,
        },
        Expression::Symbol(t) => match t.token().to_string().as_str() {
            "true" => Some(Literal::Boolean(true)),
            "false" => Some(Literal::Boolean(false)),
            _ => None,
        },
        _ => None,
    }
}

fn is_nil(e: &Expression) -> bool {
    matches!(strip(e), Expression::Symbol(t) if t.token().to_string() == "nil")
}

/// `type(<arg>)` → the argument.
fn type_call_arg(e: &Expression) -> Option<&Expression> {
    let Expression::FunctionCall(c) = strip(e) else {
        return None;
    };
    let Prefix::Name(f) = c.prefix() else {
        return None;
    };
    let suffixes: Vec<&Suffix> = c.suffixes().collect();
    let (true, [Suffix::Call(Call::AnonymousCall(args))]) = (ident(f) == "type", &suffixes[..])
    else {
        return None;
    };
    let FunctionArgs::Parentheses { arguments, .. } = &**args else {
        return None;
    };
    (arguments.len() == 1)
        .then(|| arguments.iter().next())
        .flatten()
}

/// The type values of `kind` (a `type()` result) have.
pub(crate) fn kind_type(kind: &str) -> Type {
    match kind {
        "string" => Type::String,
        "number" => Type::Number,
        "boolean" => Type::Boolean,
        "table" => Type::AnyTable,
        "function" => Type::AnyFunction,
        "nil" => Type::Nil,
        _ => Type::Any,
    }
}

impl Walker<'_> {
    /// The subject an expression names: a local, or a dotted field path of a local.
    pub(crate) fn subject(&self, e: &Expression) -> Option<Subject> {
        match strip(e) {
            Expression::Var(Var::Name(t)) => self.lookup(ident(t)).map(Subject::Local),
            Expression::Var(Var::Expression(ve)) => {
                let Prefix::Name(t) = ve.prefix() else {
                    return None;
                };
                let id = self.lookup(ident(t))?;
                let mut path = String::new();
                for s in ve.suffixes() {
                    let seg = match s {
                        Suffix::Index(Index::Dot { name, .. }) => ident(name).to_owned(),
                        Suffix::Index(Index::Brackets { expression, .. }) => {
                            key_segment(expression)?
                        }
                        _ => return None,
                    };
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&seg);
                }
                Some(Subject::Path(id, path.into()))
            }
            Expression::FunctionCall(c) => {
                let text = c.to_string();
                (text.len() <= 200).then(|| Subject::Call(super::flow::call_key(&text)))
            }
            _ => None,
        }
    }

    /// The current value of a subject, seen through `n` (narrowings not yet applied).
    fn subject_val(&self, s: &Subject, n: &Narrowing) -> Option<Val> {
        match s {
            Subject::Local(id) => Some(
                n.get_local(*id)
                    .cloned()
                    .unwrap_or_else(|| self.local_val(*id)),
            ),
            Subject::Path(id, p) => {
                let key = (*id, p.clone());
                if let Some(v) = n.get_path(&key) {
                    return Some(v.clone());
                }
                self.path_val(*id, p)
            }
            Subject::Call(_) => None,
        }
    }

    /// The value of field path `p` of local `id` here: narrowed, else by member lookup.
    pub(crate) fn path_val(&self, id: usize, p: &str) -> Option<Val> {
        if let Some(v) = self.flow.paths.get(&(id, p.into())) {
            return Some(v.clone());
        }
        let mut ty = self.local_val(id).ty.non_nil();
        for name in p.split('.') {
            if name.starts_with('[') {
                // A literal key (`t[1]`): the element of an array or a map.
                ty = match ty.non_nil() {
                    Type::Array(e) => (*e).clone(),
                    Type::Map(_, v) => (*v).clone(),
                    _ => return None,
                };
                continue;
            }
            ty = match self
                .env
                .modules
                .member(&ty.non_nil(), name, false, Some(&self.local_types))
            {
                Lookup::Found { ty, .. } => ty,
                _ => return None,
            };
        }
        Some(Val::of(ty))
    }

    /// What `cond` proves when it is `sense` (true or false).
    pub(crate) fn narrow(&self, cond: &Expression, sense: bool) -> Narrowing {
        let mut n = Narrowing::default();
        self.narrow_into(cond, sense, &mut n, 0);
        n
    }

    /// What `e == nil` (`nil`) or `e ~= nil` (`!nil`) proves.
    pub(crate) fn narrow_nil(&self, e: &Expression, nil: bool) -> Narrowing {
        let mut n = Narrowing::default();
        if let Some(s) = self.subject(e) {
            self.test(&s, Test::Nil(nil), &mut n);
        }
        n
    }

    fn narrow_into(&self, cond: &Expression, sense: bool, n: &mut Narrowing, depth: u8) {
        if depth > 24 {
            return;
        }
        let e = strip(cond);
        match e {
            Expression::UnaryOperator {
                unop: UnOp::Not(_),
                expression,
            } => self.narrow_into(expression, !sense, n, depth + 1),
            Expression::BinaryOperator { lhs, binop, rhs } => match binop {
                BinOp::And(_) | BinOp::Or(_) => {
                    let and = matches!(binop, BinOp::And(_));
                    if and == sense {
                        // Both hold (`a and b` true, `a or b` false).
                        self.narrow_into(lhs, sense, n, depth + 1);
                        let mut rest = n.clone();
                        self.narrow_into(rhs, sense, &mut rest, depth + 1);
                        *n = rest;
                    } else {
                        // One of: `a` is `sense`, or `a` is not and `b` is `sense`.
                        let mut first = n.clone();
                        self.narrow_into(lhs, sense, &mut first, depth + 1);
                        let mut second = n.clone();
                        self.narrow_into(lhs, !sense, &mut second, depth + 1);
                        self.narrow_into(rhs, sense, &mut second, depth + 1);
                        let base = n.clone();
                        let mut either = Narrowing::either(first, second);
                        either
                            .locals
                            .retain(|(id, v)| base.get_local(*id) != Some(v));
                        n.extend(either);
                    }
                }
                BinOp::TwoEqual(_) | BinOp::TildeEqual(_) => {
                    let eq = matches!(binop, BinOp::TwoEqual(_)) == sense;
                    self.narrow_comparison(lhs, rhs, eq, n);
                }
                _ => {}
            },
            Expression::Symbol(t) => {
                let s = t.token().to_string();
                let truthy = s == "true";
                if (s == "true" || s == "false" || s == "nil") && truthy != sense {
                    n.impossible = true;
                }
            }
            _ => {
                if let Some(s) = self.subject(e) {
                    // `if r.ok then` also narrows `r`, a union of records, by that field
                    // (`ok: true` members, or those where it is absent or false).
                    if let Subject::Path(id, p) = &s {
                        let (owner, field) = match p.rsplit_once('.') {
                            Some((o, f)) => (Subject::Path(*id, o.into()), f),
                            None => (Subject::Local(*id), &**p),
                        };
                        let test = Test::Field(field.to_owned(), Literal::Boolean(true), sense);
                        self.test(&owner, test, n);
                    }
                    self.test(&s, Test::Truthy(sense), n);
                }
            }
        }
    }

    /// `lhs == rhs` (`eq`) or `lhs ~= rhs` (`!eq`).
    fn narrow_comparison(&self, lhs: &Expression, rhs: &Expression, eq: bool, n: &mut Narrowing) {
        for (a, b) in [(lhs, rhs), (rhs, lhs)] {
            if is_nil(b) {
                if let Some(s) = self.subject(a) {
                    self.test(&s, Test::Nil(eq), n);
                }
                return;
            }
            if let (Some(arg), Some(Literal::String(kind))) = (type_call_arg(a), literal_of(b)) {
                if let Some(s) = self.subject(arg) {
                    self.test(&s, Test::Kind(kind, eq), n);
                }
                return;
            }
            if let Some(lit) = literal_of(b) {
                if let Some(s) = self.subject(a) {
                    // `x.kind == "a"` also narrows `x`, a union of records, by its field.
                    if let Subject::Path(id, p) = &s {
                        let (owner, field) = match p.rsplit_once('.') {
                            Some((o, f)) => (Subject::Path(*id, o.into()), f),
                            None => (Subject::Local(*id), &**p),
                        };
                        self.test(&owner, Test::Field(field.to_owned(), lit.clone(), eq), n);
                    }
                    self.test(&s, Test::Literal(lit, eq), n);
                }
                return;
            }
        }
    }

    /// Apply `test` to subject `s`, recording its new value (and the pair correlation).
    fn test(&self, s: &Subject, test: Test, n: &mut Narrowing) {
        if let Subject::Call(text) = s {
            // Only "not nil" is kept of a call (its type is known where it is called again).
            if matches!(test, Test::Truthy(true) | Test::Nil(false)) {
                n.paths
                    .push(((super::flow::CALL_FACT, text.clone()), Val::of(Type::Any)));
            }
            return;
        }
        let Some(v) = self.subject_val(s, n) else {
            return;
        };
        let ty = self.tested(&v.ty, &test);
        let proves_nil = matches!(test, Test::Truthy(false) | Test::Nil(true));
        let proves_set = matches!(test, Test::Truthy(true) | Test::Nil(false));
        let origin = keep_origin(&ty, &v.origin);
        let new = Val {
            ty,
            origin,
            unassigned: v.unassigned && !proves_set,
            ..v.clone()
        };
        match s {
            Subject::Local(id) => {
                // The error of a pair proven nil: the pair's values are not.
                if let (true, Some(partners)) = (proves_nil, &v.partners) {
                    for &p in partners.iter().filter(|&&p| p < self.locals.len()) {
                        let pv = n.get_local(p).cloned().unwrap_or_else(|| self.local_val(p));
                        let paired = pv.origin.as_ref().is_some_and(
                            |o| matches!(o.kind, OriginKind::Pair { err: Some(e) } if e == *id),
                        );
                        if paired {
                            let ty = pv.ty.non_nil();
                            let origin = keep_origin(&ty, &pv.origin);
                            n.locals.push((p, Val { ty, origin, ..pv }));
                        }
                    }
                }
                n.locals.push((*id, new));
            }
            Subject::Path(id, p) => n.paths.push(((*id, p.clone()), new)),
            Subject::Call(_) => {}
        }
    }

    /// `t` where `test` holds.
    fn tested(&self, t: &Type, test: &Test) -> Type {
        match test {
            // A value the walk holds to be nil tested non-nil: its inference fell short
            // (an assignment it cannot see): nothing is known of it here.
            Test::Truthy(true) | Test::Nil(false) if matches!(t, Type::Nil) => Type::Any,
            Test::Truthy(true) | Test::Nil(false) => {
                let nn = t.non_nil();
                match (test, &nn) {
                    (Test::Truthy(_), Type::Union(ms)) => Type::union(
                        ms.iter()
                            .filter(|m| !matches!(m, Type::Literal(Literal::Boolean(false))))
                            .cloned(),
                    ),
                    (Test::Truthy(_), Type::Literal(Literal::Boolean(false))) => Type::Never,
                    _ => nn,
                }
            }
            Test::Truthy(false) => match t {
                Type::Any | Type::Unknown => t.clone(),
                _ if t.is_optional() => {
                    let falsy_bool = self.members(&t.non_nil()).iter().any(|m| {
                        matches!(m, Type::Boolean | Type::Literal(Literal::Boolean(false)))
                    });
                    if falsy_bool {
                        Type::Literal(Literal::Boolean(false)).optional()
                    } else {
                        Type::Nil
                    }
                }
                _ => t.clone(),
            },
            Test::Nil(true) => match t {
                Type::Any | Type::Unknown => t.clone(),
                _ if t.admits_nil() => Type::Nil,
                _ => t.clone(),
            },
            Test::Kind(kind, yes) => {
                let members = self.members(t);
                if matches!(t.non_nil(), Type::Any | Type::Unknown) {
                    return if *yes {
                        kind_type(kind)
                    } else if kind == "nil" {
                        t.non_nil()
                    } else {
                        t.clone()
                    };
                }
                let mut keep = Vec::new();
                for m in members {
                    let k = value_kind(&m).or(match &m {
                        Type::Nil => Some("nil"),
                        _ => None,
                    });
                    match (k, *yes) {
                        (Some(k), true) if k == kind => keep.push(m),
                        (Some(k), false) if k != kind => keep.push(m),
                        // A member whose kind the walk does not know (a manifest interface:
                        // `error`, a handle) may be that kind: nothing is known of it there.
                        (None, true) => keep.push(Type::Any),
                        (None, false) => keep.push(m),
                        _ => {}
                    }
                }
                if keep.is_empty() && *yes {
                    return kind_type(kind);
                }
                Type::union(keep)
            }
            Test::Literal(lit, yes) => {
                let members = self.members(t);
                let has_literals = members.iter().any(|m| matches!(m, Type::Literal(_)));
                if !has_literals {
                    return if *yes { t.non_nil() } else { t.clone() };
                }
                let lit_t = Type::Literal(lit.clone());
                let kept: Vec<Type> = members
                    .into_iter()
                    .filter(|m| match m {
                        Type::Literal(l) => (l == lit) == *yes,
                        Type::Nil => !*yes,
                        _ => true,
                    })
                    .collect();
                if kept.is_empty() && *yes {
                    return lit_t;
                }
                Type::union(kept)
            }
            Test::Field(field, lit, yes) => {
                let members = self.members(t);
                if members.len() < 2 {
                    return t.clone();
                }
                let kept: Vec<Type> = members
                    .into_iter()
                    .filter(|m| {
                        if matches!(m, Type::Nil) {
                            return !*yes;
                        }
                        let r =
                            match self
                                .env
                                .modules
                                .member(m, field, false, Some(&self.local_types))
                            {
                                Lookup::Found { ty, .. } => ty,
                                Lookup::Missing { .. } => return !*yes,
                                _ => return true,
                            };
                        match (&r, *yes) {
                            (Type::Literal(l), true) => l == lit,
                            (Type::Literal(l), false) => l != lit,
                            (Type::Union(ls), true) => ls.iter().any(|x| match x {
                                Type::Literal(l) => l == lit,
                                _ => true,
                            }),
                            _ => true,
                        }
                    })
                    .collect();
                if kept.is_empty() {
                    return t.clone();
                }
                Type::union(kept)
            }
        }
    }

    /// The members of a type as a union (aliases resolved one level), nil included.
    pub(crate) fn members(&self, t: &Type) -> Vec<Type> {
        let mut out = Vec::new();
        let resolved = match t {
            Type::Named(_) => self.rel().alias(t).unwrap_or_else(|| t.clone()),
            t => t.clone(),
        };
        match resolved {
            Type::Optional(inner) => {
                out.extend(self.members(&inner));
                out.push(Type::Nil);
            }
            Type::Union(ms) => {
                for m in ms {
                    match &m {
                        Type::Named(_) => match self.rel().alias(&m) {
                            Some(a @ (Type::Union(_) | Type::Optional(_))) => {
                                out.extend(self.members(&a))
                            }
                            _ => out.push(m),
                        },
                        _ => out.push(m),
                    }
                }
            }
            t => out.push(t),
        }
        out
    }

    /// Apply a narrowing to the current state.
    pub(crate) fn apply(&mut self, n: Narrowing) {
        if n.impossible {
            self.set_reachable(false);
        }
        for (id, v) in n.locals {
            self.set_flow(id, v);
        }
        for (k, v) in n.paths {
            self.set_path(k, Some(v));
        }
    }

    /// Run `f` with `cond` assumed `sense` (`a and b`: `b` where `a` is true), then restore.
    pub(crate) fn assuming<T>(
        &mut self,
        cond: &Expression,
        sense: bool,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let n = self.narrow(cond, sense);
        if n.locals.is_empty() && n.paths.is_empty() {
            return f(self);
        }
        let mark = self.mark();
        let reachable = self.reachable();
        self.apply(n);
        self.set_reachable(reachable);
        let out = f(self);
        self.rollback(mark);
        out
    }
}

/// An origin shared by clones.
pub(crate) fn origin(source: impl Into<String>, kind: OriginKind) -> Arc<super::flow::Origin> {
    Arc::new(super::flow::Origin {
        source: source.into(),
        kind,
    })
}

/// The origin a narrowed value keeps: where its nil comes from while it may be nil, where its
/// `any` comes from while it is any (strict mode asks for a proof of it).
fn keep_origin(
    ty: &Type,
    origin: &Option<Arc<super::flow::Origin>>,
) -> Option<Arc<super::flow::Origin>> {
    let keep = ty.is_optional() || matches!(ty, Type::Any | Type::Unknown);
    origin.clone().filter(|_| keep)
}

/// The path segment of a literal key (`t["name"]` is `name`, `t[1]` is `[1]`, `t["a b"]` is
/// `["a b"]`), or `None` for a key that is not a literal.
pub(crate) fn key_segment(e: &Expression) -> Option<String> {
    match literal_of(e)? {
        Literal::String(s) if super::call::is_identifier(&s) => Some(s),
        Literal::String(s) => Some(format!("[{s:?}]")),
        Literal::Integer(i) => Some(format!("[{i}]")),
        _ => None,
    }
}
