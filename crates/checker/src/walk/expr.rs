//! Expression types: literals, variables, casts, `if` expressions, interpolated strings;
//! operators are in `ops.rs`, table constructors in `table.rs`, calls in `call.rs`.

use full_moon::ast::punctuated::Punctuated;
use full_moon::ast::{Expression, UnOp, Var};
use full_moon::tokenizer::TokenType;
use typedefs::lexer::{parse_number, NumberValue};
use typedefs::{FunctionType, Literal, Type};

use super::flow::Val;
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

    /// All values of an expression (several for a call or `...`). Where the first came from
    /// is left in [`Walker::last_origin`].
    pub(crate) fn expr_multi(&mut self, e: &Expression) -> Vec<Type> {
        self.last_origin = None;
        let tys = self.expr_inner(e);
        let end = span(e).end;
        // `e as T` and `e!` are the programmer's proof: no origin survives them.
        if let Some(cast) = self.prep.casts.get(&end) {
            self.last_origin = None;
            return vec![cast.clone()];
        }
        if self.prep.non_nil.contains(&end) {
            self.last_origin = None;
            return tys.into_iter().take(1).map(|t| t.non_nil()).collect();
        }
        tys
    }

    /// Types of an expression list (the last expanded) with the origin of each value.
    pub(crate) fn expr_list_origins(
        &mut self,
        list: &Punctuated<Expression>,
    ) -> (Vec<Type>, Vec<Option<std::sync::Arc<super::flow::Origin>>>) {
        let values = self.values(list, 0);
        let origins = values.iter().map(|v| v.origin.clone()).collect();
        (values.into_iter().map(|v| v.ty).collect(), origins)
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
                "..." => {
                    self.last_open = true;
                    return vec![Type::Any; 1];
                }
                _ => Type::Any,
            }),
            Expression::Parentheses { expression, .. } => {
                let t = self.expr(expression);
                let o = self.last_origin.take();
                self.last_origin = o;
                one(t)
            }
            Expression::UnaryOperator { unop, expression } => {
                let probe = matches!(unop, UnOp::Not(_));
                self.probing += u32::from(probe);
                let t = self.expr(expression);
                let o = self.last_origin.take();
                self.probing -= u32::from(probe);
                self.nil_unary(unop, &t, o, span(&**expression));
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
                let mark = self.mark();
                self.condition(x.condition());
                let cond = x.condition();
                let a = self.assuming(cond, true, |w| w.expr(x.if_expression()));
                let no = self.narrow(cond, false);
                self.apply(no);
                let mut tys = vec![a];
                for ei in x.else_if_expressions().into_iter().flatten() {
                    self.condition(ei.condition());
                    tys.push(self.assuming(ei.condition(), true, |w| w.expr(ei.expression())));
                    let no = self.narrow(ei.condition(), false);
                    self.apply(no);
                }
                tys.push(self.expr(x.else_expression()));
                self.rollback(mark);
                self.last_origin = None;
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
        let mut open = false;
        for (i, e) in list.iter().enumerate() {
            if i + 1 == n {
                self.last_open = false;
                out.extend(self.expr_multi(e));
                open = self.last_open && super::call::is_multi(e);
            } else {
                out.push(self.expr(e));
            }
        }
        let pad = if open { Type::Any } else { Type::Nil };
        while out.len() < want {
            out.push(pad.clone());
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
            self.record_use(id, sp.clone());
            self.locals[id].used = true;
            let v = self.local_val(id);
            // A presence test (`if not x`, `x == nil`) of an unassigned local is fine.
            if v.unassigned && self.locals[id].depth == self.frames.len() && self.probing == 0 {
                self.use_before_assign(id, sp);
                let cleared = Val {
                    unassigned: false,
                    ..v.clone()
                };
                self.set_flow(id, cleared);
            }
            self.last_origin = v.origin;
            return v.ty;
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
