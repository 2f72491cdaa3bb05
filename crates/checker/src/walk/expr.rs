//! Expression types: literals, variables, casts, `if` expressions, interpolated strings;
//! operators are in `ops.rs`, table constructors in `table.rs`, calls in `call.rs`.

use full_moon::ast::punctuated::Punctuated;
use full_moon::ast::{Expression, UnOp, Var};
use full_moon::tokenizer::TokenType;
use typedefs::lexer::{parse_number, NumberValue};
use typedefs::{FunctionType, Literal, Type};

use super::{ident, span, Walker};

impl Walker<'_> {
    /// Type of the first value of an expression.
    pub(crate) fn expr(&mut self, e: &Expression) -> Type {
        self.expr_multi(e).into_iter().next().unwrap_or(Type::Nil)
    }

    /// Type of the first value of an expression whose value goes where `expected` is expected:
    /// a function literal takes its unannotated parameters' types from it.
    pub(crate) fn expr_expecting(&mut self, e: &Expression, expected: Option<&Type>) -> Type {
        match (e, expected.map(Type::non_nil)) {
            (Expression::Function(f), Some(Type::Function(sig))) => self.function_value(f, &sig),
            _ => self.expr(e),
        }
    }

    fn function_value(
        &mut self,
        f: &full_moon::ast::AnonymousFunction,
        sig: &FunctionType,
    ) -> Type {
        self.function_body(f.body(), None, Some(sig))
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
                one(self.unary(unop, &t, span(&**expression)))
            }
            Expression::BinaryOperator { lhs, binop, rhs } => {
                one(self.binary_expr(lhs, binop, rhs))
            }
            Expression::Function(f) => one(self.function_body(f.body(), None, None)),
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
                one(typedefs::join(tys.iter().map(Type::widen)))
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
}
