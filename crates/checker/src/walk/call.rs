//! Member access and calls: `a.b.c`, `obj:m(…)`, `f(…)`, `require("x")`, checked against the
//! manifests (arity, argument types, unknown members and methods).

use std::sync::Arc;

use full_moon::ast::{Call, Expression, FunctionArgs, FunctionCall, Index, Prefix, Suffix};
use full_moon::tokenizer::{TokenReference, TokenType};
use typedefs::manifest::map_type;
use typedefs::{FunctionType, Literal, Lookup, Type};

use super::{ident, span, Walker};
use crate::diagnostic::Diagnostic;

/// The value flowing through a suffix chain.
#[derive(Clone)]
struct Cur {
    ty: Type,
    /// Dotted description for messages (`json.decode`, `db:query`).
    path: String,
    /// The type came from a manifest (arity is then exact).
    strict: bool,
    /// It is an interface method reached with `.`: (owner, receiver type).
    dot_method: Option<(String, Type)>,
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

impl Walker<'_> {
    /// `E0004`/`E0022` for a member the receiver's type does not have.
    /// Not reported while probing (then recorded) or inside a block its condition probed.
    fn missing_member(
        &mut self,
        code: &'static str,
        sp: std::ops::Range<u32>,
        message: String,
        suggestion: Option<String>,
        key: (String, String),
    ) {
        if self.probing > 0 {
            self.probed.push(key);
            return;
        }
        if self.guards.contains(&key) {
            return;
        }
        let mut d = Diagnostic::new(code, self.file, sp, message);
        if let Some(s) = suggestion {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        self.report(d);
    }

    /// Type all values of a call statement or expression.
    pub(super) fn call(&mut self, c: &FunctionCall) -> Vec<Type> {
        let suffixes: Vec<&Suffix> = c.suffixes().collect();
        self.chain(c.prefix(), &suffixes)
    }

    /// Whether an expression is a direct `require("…")` call.
    pub(super) fn is_require_call(&self, e: &Expression) -> bool {
        match e {
            Expression::FunctionCall(c) => {
                matches!(c.prefix(), Prefix::Name(t) if ident(t) == "require")
                    && self.lookup("require").is_none()
            }
            _ => false,
        }
    }

    /// Evaluate `prefix suffix*`; returns all values of the last suffix.
    pub(super) fn chain(&mut self, prefix: &Prefix, suffixes: &[&Suffix]) -> Vec<Type> {
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
                            path: format!("{}[…]", cur.path),
                            strict: false,
                            dot_method: None,
                        },
                    };
                }
                Suffix::Call(Call::AnonymousCall(args)) => {
                    values = self.call_value(&cur, args, false, &cur.ty.clone());
                    cur = Cur {
                        ty: values.first().cloned().unwrap_or(Type::Nil),
                        path: format!("{}(…)", cur.path),
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
                    let path = format!("{}:{name}", cur.path);
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
                                ("E0022", "method")
                            } else {
                                ("E0004", "field")
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
                        path: format!("{}(…)", callee.path),
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
        let path = format!("{}.{name}", cur.path);
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
                self.missing_member("E0004", sp, message, suggestion, key);
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
        if let (Some((owner, recv_ty)), false) = (&callee.dot_method, colon) {
            let first_fits = arg_types.first().is_some_and(|t| {
                typedefs::fits(t, recv_ty, self.env.modules, Some(&self.local_types))
                    && !matches!(t, Type::Any | Type::Unknown)
                    || matches!(t, Type::Any | Type::Unknown) && !arg_exprs.is_empty()
            });
            if !first_fits {
                let method = callee.path.rsplit('.').next().unwrap_or("");
                let obj = callee.path.rsplit_once('.').map_or("obj", |(o, _)| o);
                let d = Diagnostic::new(
                    "E0000",
                    self.file,
                    call_span.clone(),
                    format!("`{method}` is a method of {owner} and must be called with `:`"),
                )
                .with_help(format!("write `{obj}:{method}(…)`"));
                self.report(d);
                return returns_of(&f, recv);
            }
        }
        if callee.strict {
            let (min, max) = f.arity(colon);
            let n = arg_types.len();
            let too_few = n < min && !(last_multi && n > 0);
            let too_many = max.is_some_and(|m| n > m && !(last_multi && n - 1 <= m));
            if too_few || too_many {
                let expect = match max {
                    Some(m) if m == min => format!("{min}"),
                    Some(m) => format!("{min} to {m}"),
                    None => format!("at least {min}"),
                };
                let plural = if expect == "1" || expect == "at least 1" {
                    "argument"
                } else {
                    "arguments"
                };
                self.diag(
                    "E0003",
                    call_span.clone(),
                    format!("`{}` expects {expect} {plural}, got {n}", callee.path),
                );
            }
        }
        {
            let params = f.call_params(colon);
            if last_multi {
                arg_types.pop();
            }
            for (i, at) in arg_types.iter().enumerate() {
                let (pname, pty) = match params.get(i) {
                    Some(p) => (p.name.clone(), p.ty.clone()),
                    None => match &f.variadic {
                        Some(v) => (None, v.clone()),
                        None => break,
                    },
                };
                let pty = map_type(pty, &mut |t| {
                    matches!(t, Type::SelfType).then(|| recv.clone())
                });
                if !typedefs::fits(at, &pty, self.env.modules, Some(&self.local_types)) {
                    let name = pname.map_or(String::new(), |n| format!(" (`{n}`)"));
                    let sp = arg_exprs.get(i).map_or(call_span.clone(), |e| span(*e));
                    self.diag(
                        "E0000",
                        sp,
                        format!(
                            "argument {}{name} of `{}` is {}, expected {pty}",
                            i + 1,
                            callee.path,
                            at.widen()
                        ),
                    );
                }
            }
        }
        returns_of(&f, recv)
    }

    /// `require("name")`: a module listed in `modules:`, an `imports:` alias, or a global module.
    fn require(&mut self, args: &FunctionArgs) -> Type {
        let arg = match args {
            FunctionArgs::Parentheses { arguments, .. } if arguments.len() == 1 => {
                arguments.iter().next().and_then(|e| match e {
                    Expression::String(s) => Some((string_literal(s), span(e))),
                    _ => None,
                })
            }
            FunctionArgs::String(s) => Some((string_literal(s), span(s))),
            _ => None,
        };
        if let FunctionArgs::Parentheses { arguments, .. } = args {
            for e in arguments {
                if !matches!(e, Expression::String(_)) {
                    self.expr(e);
                }
            }
        }
        let Some((name, sp)) = arg else {
            return Type::Any;
        };
        if let Some(import) = self.env.imports.get(&name) {
            return import.clone().unwrap_or(Type::Any);
        }
        let module = self.env.modules.get(&name).cloned();
        let declared =
            self.env.allowed_modules.contains(&name) || self.env.modules.is_ambient(&name);
        if !declared {
            let mut d = Diagnostic::new(
                "E0001",
                self.file,
                sp.start..sp.end,
                format!("require(\"{name}\") is not declared in _index.yaml imports or modules"),
            );
            d = match &module {
                Some(_) => d.with_help(format!("add `{name}` to the entry's `modules:`")),
                None => d.with_help(format!("add `{name}` to `modules:` if it is a module, or an import `{name}: namespace:library`")),
            };
            self.report(d);
        }
        let Some(module) = module else {
            return Type::Any;
        };
        if self.env.kind == crate::env::ChunkKind::Workflow && !module.workflow_safe() {
            self.diag(
                "D0001",
                sp,
                format!("module `{name}` ({}) cannot be used in a workflow: workflows only get deterministic or workflow modules", module.classes.join(", ")),
            );
        }
        module.value_type()
    }

    /// `wraith.import("name")` in twin code: the library's exports.
    fn wraith_import(&mut self, args: &FunctionArgs) -> Type {
        let name = match args {
            FunctionArgs::Parentheses { arguments, .. } => {
                arguments.iter().next().and_then(|e| match e {
                    Expression::String(s) => Some((string_literal(s), span(e))),
                    _ => None,
                })
            }
            FunctionArgs::String(s) => Some((string_literal(s), span(s))),
            _ => None,
        };
        let Some((name, sp)) = name else {
            return Type::Any;
        };
        match self.env.twin_libs.get(&name) {
            Some(t) => t.clone(),
            None => {
                let mut known: Vec<&String> = self.env.twin_libs.keys().collect();
                known.sort();
                let list = known
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.diag("E0001", sp, format!("wraith.import(\"{name}\"): no library `lua/lib/{name}.lua` in this twin (have: {list})"));
                Type::Any
            }
        }
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

fn string_literal(t: &TokenReference) -> String {
    match t.token_type() {
        TokenType::StringLiteral { literal, .. } => literal.to_string(),
        _ => String::new(),
    }
}

fn string_token_type(t: &TokenReference) -> Type {
    Type::Literal(Literal::String(string_literal(t)))
}
