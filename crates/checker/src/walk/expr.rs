//! Expression types: literals, operators, table constructors, function bodies, variables.

use std::sync::Arc;

use full_moon::ast::punctuated::Punctuated;
use full_moon::ast::{
    BinOp, Expression, Field as AstField, FunctionBody, Parameter, TableConstructor, UnOp, Var,
    VarExpression,
};
use full_moon::tokenizer::TokenType;
use typedefs::lexer::{parse_number, NumberValue};
use typedefs::{Field, FunctionType, Literal, Param, Record, Type};

use super::{add_field, ident, span, LocalKind, Walker};

impl Walker<'_> {
    /// Type of the first value of an expression.
    pub(crate) fn expr(&mut self, e: &Expression) -> Type {
        self.expr_multi(e).into_iter().next().unwrap_or(Type::Nil)
    }

    /// All values of an expression (several for a call or `...`).
    pub(crate) fn expr_multi(&mut self, e: &Expression) -> Vec<Type> {
        let tys = self.expr_inner(e);
        let end = span(e).end;
        if let Some(cast) = self.prep.casts.get(&end) {
            return vec![cast.clone()];
        }
        if self.prep.non_nil.contains(&end) {
            return tys.into_iter().take(1).map(|t| t.non_nil()).collect();
        }
        tys
    }

    fn expr_inner(&mut self, e: &Expression) -> Vec<Type> {
        let one = |t: Type| vec![t];
        match e {
            Expression::Number(t) => one(match t.token_type() {
                TokenType::Number { text } => match parse_number(text) {
                    Some(NumberValue::Integer(i)) => Type::Literal(Literal::Integer(i)),
                    Some(NumberValue::Float(f)) => Type::Literal(Literal::Number(f)),
                    None => Type::Number,
                },
                _ => Type::Number,
            }),
            Expression::String(t) => one(match t.token_type() {
                TokenType::StringLiteral { literal, .. } => {
                    Type::Literal(Literal::String(literal.to_string()))
                }
                _ => Type::String,
            }),
            Expression::Symbol(t) => one(match t.token().to_string().as_str() {
                "nil" => Type::Nil,
                "true" => Type::Literal(Literal::Boolean(true)),
                "false" => Type::Literal(Literal::Boolean(false)),
                "..." => return vec![Type::Any; 1],
                _ => Type::Any,
            }),
            Expression::Parentheses { expression, .. } => one(self.expr(expression)),
            Expression::UnaryOperator { unop, expression } => {
                let probe = matches!(unop, UnOp::Not(_));
                self.probing += u32::from(probe);
                let t = self.expr(expression);
                self.probing -= u32::from(probe);
                one(match unop {
                    UnOp::Not(_) => Type::Boolean,
                    UnOp::Hash(_) => Type::Integer,
                    UnOp::Minus(_) => match t.widen() {
                        Type::Integer => Type::Integer,
                        _ => Type::Number,
                    },
                    UnOp::Tilde(_) => Type::Integer,
                    _ => Type::Any,
                })
            }
            Expression::BinaryOperator { lhs, binop, rhs } => {
                let probe = matches!(
                    binop,
                    BinOp::And(_) | BinOp::Or(_) | BinOp::TwoEqual(_) | BinOp::TildeEqual(_)
                );
                self.probing += u32::from(probe);
                let l = self.expr(lhs);
                let r = self.expr(rhs);
                self.probing -= u32::from(probe);
                one(binary(binop, &l, &r))
            }
            Expression::Function(f) => one(self.function_body(f.body(), None)),
            Expression::FunctionCall(c) => self.call(c),
            Expression::TableConstructor(t) => one(self.table(t)),
            Expression::Var(v) => one(self.read_var(v)),
            Expression::IfExpression(x) => {
                self.expr(x.condition());
                let a = self.expr(x.if_expression());
                let mut tys = vec![a];
                for ei in x.else_if_expressions().into_iter().flatten() {
                    self.expr(ei.condition());
                    tys.push(self.expr(ei.expression()));
                }
                tys.push(self.expr(x.else_expression()));
                one(Type::union(tys.iter().map(Type::widen)))
            }
            Expression::InterpolatedString(s) => {
                for seg in s.segments() {
                    self.expr(&seg.expression);
                }
                one(Type::String)
            }
            Expression::TypeAssertion { expression, .. } => {
                self.expr(expression);
                one(Type::Any)
            }
            _ => one(Type::Any),
        }
    }

    /// Values of an expression list, the last one expanded, padded with `nil` to `want`.
    pub(crate) fn expr_list(&mut self, list: &Punctuated<Expression>, want: usize) -> Vec<Type> {
        let n = list.len();
        let mut out = Vec::with_capacity(want.max(n));
        for (i, e) in list.iter().enumerate() {
            if i + 1 == n {
                out.extend(self.expr_multi(e));
            } else {
                out.push(self.expr(e));
            }
        }
        while out.len() < want {
            out.push(Type::Nil);
        }
        out
    }

    /// Read a variable (marks locals used, checks globals).
    pub(crate) fn read_var(&mut self, v: &Var) -> Type {
        match v {
            Var::Name(t) => self.read_name(ident(t), span(t)),
            Var::Expression(ve) => self
                .chain(ve.prefix(), ve.suffixes().collect::<Vec<_>>().as_slice())
                .into_iter()
                .next()
                .unwrap_or(Type::Any),
            _ => Type::Any,
        }
    }

    pub(crate) fn read_name(&mut self, name: &str, sp: std::ops::Range<u32>) -> Type {
        if let Some(id) = self.lookup(name) {
            self.record_use(id, sp);
            let l = &mut self.locals[id];
            l.used = true;
            return l.ty.clone();
        }
        self.read_global(name, sp)
    }

    /// A global read: ambient globals, imported `_G` globals, globals this chunk assigns.
    pub(crate) fn read_global(&mut self, name: &str, sp: std::ops::Range<u32>) -> Type {
        if let Some(g) = self.env.globals.get(name) {
            return g.ty.clone();
        }
        // The runtime also injects every `imports:` alias and every `modules:` entry as a
        // global (the Wippy runtime's own tests use `assert2.eq(…)` and `hub.x(…)` so).
        if let Some(import) = self.env.imports.get(name) {
            return import.clone().unwrap_or(Type::Any);
        }
        if self.env.allowed_modules.contains(name) {
            if let Some(m) = self.env.modules.get(name) {
                return m.value_type();
            }
            return Type::Any;
        }
        // A declared type is a runtime value too (`User:is(v)`, wippy-facts §1.5).
        if self.local_types.contains_key(name) {
            return Type::Any;
        }
        if name == "_G"
            || name == "_ENV"
            || self.file_globals.contains(name)
            || self.env.import_globals.contains(name)
        {
            return Type::Any;
        }
        self.undefined_global(name, sp);
        Type::Any
    }

    /// `t.k = v` / `t[k] = v`: reads `t`, records fields of local tables and `_G.name` writes.
    pub(crate) fn assign_field(&mut self, ve: &VarExpression, value: Type) {
        use full_moon::ast::{Index, Prefix, Suffix};
        let suffixes: Vec<&Suffix> = ve.suffixes().collect();
        let Some((last, init)) = suffixes.split_last() else {
            return;
        };
        let key = match last {
            Suffix::Index(Index::Dot { name, .. }) => Some(ident(name).to_owned()),
            Suffix::Index(Index::Brackets { expression, .. }) => {
                let k = self.expr(expression);
                match k {
                    Type::Literal(Literal::String(s)) => Some(s),
                    _ => None,
                }
            }
            _ => None,
        };
        if init.is_empty() {
            if let Prefix::Name(t) = ve.prefix() {
                let name = ident(t);
                if name == "_G" && self.lookup("_G").is_none() {
                    if let Some(k) = &key {
                        self.g_writes.push(k.clone());
                    }
                    return;
                }
                if let Some(id) = self.lookup(name) {
                    self.locals[id].used = true;
                    match key {
                        Some(k) => add_field(&mut self.locals[id].ty, &k, value.widen()),
                        None => self.locals[id].dynamic = true,
                    }
                    return;
                }
            }
        }
        self.chain(ve.prefix(), init);
    }

    /// A table constructor: positional items make an array, named keys an open record.
    pub(crate) fn table(&mut self, t: &TableConstructor) -> Type {
        let mut fields: Vec<Field> = Vec::new();
        let mut items: Vec<Type> = Vec::new();
        let mut other = false;
        for f in t.fields() {
            match f {
                AstField::NameKey { key, value, .. } => {
                    // `{x = nil}` declares a slot filled later: its type is unknown.
                    let ty = match self.expr(value) {
                        Type::Nil => Type::Any,
                        t => t,
                    };
                    fields.push(Field {
                        name: ident(key).to_owned(),
                        ty: ty.widen(),
                        optional: false,
                        description: None,
                    });
                }
                AstField::ExpressionKey { key, value, .. } => {
                    let k = self.expr(key);
                    let ty = self.expr(value);
                    match k {
                        Type::Literal(Literal::String(s)) => fields.push(Field {
                            name: s,
                            ty: ty.widen(),
                            optional: false,
                            description: None,
                        }),
                        _ => other = true,
                    }
                }
                AstField::NoKey(e) => {
                    items.extend(self.expr_multi(e).into_iter().map(|t| t.widen()))
                }
                _ => other = true,
            }
        }
        if !items.is_empty() && fields.is_empty() && !other {
            return Type::Array(Box::new(Type::union(items)));
        }
        if !items.is_empty() || other {
            return Type::AnyTable;
        }
        Type::Record(Arc::new(Record {
            name: None,
            fields,
            readonly: false,
            open: true,
        }))
    }

    /// Walk a function body in a new scope; returns its type. `self_ty` declares an implicit
    /// `self` (for `function t:m()`).
    pub(crate) fn function_body(&mut self, body: &FunctionBody, self_ty: Option<Type>) -> Type {
        let paren = span(body.parameters_parentheses().tokens().0).start;
        let end = if self.env.index {
            span(body).end
        } else {
            u32::MAX
        };
        let outer = std::mem::replace(&mut self.end_hint, end);
        self.push_scope();
        self.fn_returns.push(self.prep.returns.get(&paren).cloned());
        let mut f = FunctionType {
            returns_variadic: Some(Type::Any),
            ..FunctionType::default()
        };
        if let Some(t) = self_ty {
            f.params.push(Param {
                name: Some("self".into()),
                ty: Type::SelfType,
            });
            let id = self.declare_named("self".into(), 0..0, t, LocalKind::Param, false);
            self.locals[id].used = true;
        }
        for p in body.parameters() {
            match p {
                Parameter::Name(tok) => {
                    let ty = self.annotation(tok).unwrap_or(Type::Any);
                    f.params.push(Param {
                        name: Some(ident(tok).to_owned()),
                        ty: ty.clone(),
                    });
                    self.declare(tok, ty, LocalKind::Param);
                }
                Parameter::Ellipsis(tok) => {
                    f.variadic = Some(self.annotation(tok).unwrap_or(Type::Any))
                }
                _ => {}
            }
        }
        if let Some((returns, variadic)) = self.prep.returns.get(&paren) {
            f.returns.clone_from(returns);
            f.returns_variadic.clone_from(variadic);
        }
        self.block_in_scope(body.block());
        self.fn_returns.pop();
        self.pop_scope();
        self.end_hint = outer;
        Type::function(f)
    }
}

/// Result type of a binary operator.
fn binary(op: &BinOp, l: &Type, r: &Type) -> Type {
    let both_int = matches!(l.widen(), Type::Integer) && matches!(r.widen(), Type::Integer);
    match op {
        BinOp::And(_) => r.clone().widen(),
        BinOp::Or(_) => Type::union([l.non_nil().widen(), r.widen()]),
        BinOp::TwoDots(_) => Type::String,
        BinOp::TwoEqual(_)
        | BinOp::TildeEqual(_)
        | BinOp::LessThan(_)
        | BinOp::LessThanEqual(_)
        | BinOp::GreaterThan(_)
        | BinOp::GreaterThanEqual(_) => Type::Boolean,
        BinOp::Plus(_)
        | BinOp::Minus(_)
        | BinOp::Star(_)
        | BinOp::Percent(_)
        | BinOp::DoubleSlash(_) => {
            if both_int {
                Type::Integer
            } else if matches!(l.widen(), Type::Any | Type::Unknown)
                || matches!(r.widen(), Type::Any | Type::Unknown)
            {
                Type::Any
            } else {
                Type::Number
            }
        }
        BinOp::Slash(_) | BinOp::Caret(_) => Type::Number,
        BinOp::Ampersand(_)
        | BinOp::Pipe(_)
        | BinOp::Tilde(_)
        | BinOp::DoubleLessThan(_)
        | BinOp::DoubleGreaterThan(_) => Type::Integer,
        _ => Type::Any,
    }
}
