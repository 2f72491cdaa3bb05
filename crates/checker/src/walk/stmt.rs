//! Statements: locals, assignments, control flow, loops, function declarations, and the
//! narrowing of `type(x) == "kind"` tests inside the block they guard.

use full_moon::ast::{Block, Expression, FunctionDeclaration, Stmt, Var};
use full_moon::tokenizer::TokenReference;
use typedefs::Type;

use super::{ident, span, LocalKind, Walker};

impl Walker<'_> {
    pub(crate) fn block(&mut self, b: &Block) {
        self.push_scope();
        self.block_in_scope(b);
        self.pop_scope();
    }

    /// A block whose locals go into the current scope (function bodies declare params first).
    pub(crate) fn block_in_scope(&mut self, b: &Block) {
        for s in b.stmts() {
            self.stmt(s);
        }
        if let Some(last) = b.last_stmt() {
            self.last_stmt(last);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        // Scope ends only matter for the editor index; computing spans is not free.
        if !self.env.index {
            return self.stmt_inner(s);
        }
        let outer = std::mem::replace(&mut self.end_hint, span(s).end);
        self.stmt_inner(s);
        self.end_hint = outer;
    }

    fn stmt_inner(&mut self, s: &Stmt) {
        match s {
            Stmt::LocalAssignment(la) => {
                let exprs: Vec<&Expression> = la.expressions().iter().collect();
                let names: Vec<&TokenReference> = la.names().iter().collect();
                let tys = self.expr_list(la.expressions(), 0);
                for (i, name) in names.iter().enumerate() {
                    let value = tys.get(i);
                    if let (Some(declared), Some(value)) = (self.annotation(name), value) {
                        let e = exprs.get(i).copied().filter(|_| i < exprs.len());
                        self.check_assignable(value, &declared, ident(name), span(*name), e);
                    }
                    let ty = match value {
                        Some(Type::Nil) | None => Type::Any,
                        Some(t) => t.widen(),
                    };
                    let is_require =
                        names.len() == 1 && exprs.first().is_some_and(|e| self.is_require_call(e));
                    let kind = if is_require {
                        LocalKind::Import
                    } else {
                        LocalKind::Local
                    };
                    let id = self.declare(name, ty, kind);
                    self.locals[id].pending =
                        !self.locals[id].annotated && matches!(value, Some(Type::Nil) | None);
                }
            }
            Stmt::LocalFunction(lf) => {
                let sig = self.signature_of(lf.body(), None);
                let id = self.declare(lf.name(), sig, LocalKind::Function);
                let f = self.function_body(lf.body(), None, None);
                self.set_local_type(id, f);
            }
            Stmt::FunctionDeclaration(fd) => self.function_declaration(fd),
            Stmt::Assignment(a) => {
                let n = a.variables().len();
                let exprs: Vec<&Expression> = a.expressions().iter().collect();
                let tys = self.expr_list(a.expressions(), n);
                for (i, v) in a.variables().iter().enumerate() {
                    let ty = tys.get(i).cloned().unwrap_or(Type::Nil);
                    self.assign(v, ty, exprs.get(i).copied());
                }
            }
            Stmt::FunctionCall(c) => {
                self.call(c);
            }
            Stmt::Do(d) => self.block(d.block()),
            Stmt::While(w) => {
                self.condition(w.condition());
                self.block(w.block());
            }
            Stmt::Repeat(r) => {
                self.push_scope();
                self.block_in_scope(r.block());
                self.expr(r.until());
                self.pop_scope();
            }
            Stmt::If(i) => {
                let probed = self.condition(i.condition());
                self.narrowed_block(i.condition(), i.block(), probed);
                for ei in i.else_if().into_iter().flatten() {
                    let probed = self.condition(ei.condition());
                    self.narrowed_block(ei.condition(), ei.block(), probed);
                }
                if let Some(b) = i.else_block() {
                    self.block(b);
                }
            }
            Stmt::NumericFor(f) => {
                let start = self.expr(f.start());
                self.expr(f.end());
                let step = f.step().map(|s| self.expr(s));
                // Lua 5.3: the loop is over integers when the start and the step are integers.
                let int = |t: &Type| matches!(t.widen(), Type::Integer);
                let ty = if int(&start) && step.as_ref().is_none_or(int) {
                    Type::Integer
                } else {
                    Type::Number
                };
                self.push_scope();
                self.declare(f.index_variable(), ty, LocalKind::LoopVar);
                self.block_in_scope(f.block());
                self.pop_scope();
            }
            Stmt::GenericFor(f) => {
                let iter = self.expr_list(f.expressions(), 3);
                let elem = iteration_types(&iter);
                self.push_scope();
                for (i, name) in f.names().iter().enumerate() {
                    self.declare(
                        name,
                        elem.get(i).cloned().unwrap_or(Type::Any),
                        LocalKind::LoopVar,
                    );
                }
                self.block_in_scope(f.block());
                self.pop_scope();
            }
            Stmt::CompoundAssignment(c) => {
                self.expr(c.rhs());
                self.read_var(c.lhs());
            }
            _ => {}
        }
    }

    /// Evaluate a condition as a presence test; returns the members it probed.
    pub(crate) fn condition(&mut self, cond: &Expression) -> Vec<(String, String)> {
        let before = self.probed.len();
        self.probing += 1;
        self.expr(cond);
        self.probing -= 1;
        self.probed.split_off(before)
    }

    /// Walk a block guarded by `cond`, with locals tested by `type(x) == "kind"` (possibly
    /// joined by `and`) narrowed to that kind inside it, and the members `cond` probed usable.
    fn narrowed_block(&mut self, cond: &Expression, block: &Block, probed: Vec<(String, String)>) {
        let guards_before = self.guards.len();
        self.guards.extend(probed);
        self.with_type_tests(cond, |w| w.block(block));
        self.guards.truncate(guards_before);
    }

    /// Run `f` with the locals `cond` tests by `type(x) == "kind"` narrowed to that kind.
    pub(crate) fn with_type_tests<T>(
        &mut self,
        cond: &Expression,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let mut tests = Vec::new();
        type_tests(cond, &mut tests);
        let mut saved = Vec::new();
        for (name, kind) in tests {
            if let Some(id) = self.lookup(&name) {
                let ty = match kind.as_str() {
                    "string" => Type::String,
                    "number" => Type::Number,
                    "boolean" => Type::Boolean,
                    "table" => Type::AnyTable,
                    "function" => Type::AnyFunction,
                    _ => Type::Any,
                };
                saved.push((id, std::mem::replace(&mut self.locals[id].ty, ty)));
            }
        }
        let out = f(self);
        for (id, ty) in saved.into_iter().rev() {
            self.set_local_type(id, ty);
        }
        out
    }

    fn function_declaration(&mut self, fd: &FunctionDeclaration) {
        let names: Vec<&TokenReference> = fd.name().names().iter().collect();
        let method = fd.name().method_name();
        let Some(first) = names.first() else { return };
        let base = ident(first);
        let local = self.lookup(base);
        match local {
            Some(id) => self.locals[id].used |= names.len() > 1 || method.is_some(),
            None if names.len() == 1 && method.is_none() => {}
            None => {
                self.read_global(base, span(*first));
            }
        }
        // `self` is the table or an instance made with it as metatable: it has the table's
        // fields, and maybe more.
        let self_ty = method.map(|_| local.map_or(Type::Any, |id| opened(&self.locals[id].ty)));
        let f = self.function_body(fd.body(), self_ty, None);
        let field = method.or_else(|| names.get(1..).and_then(|r| r.last().copied()));
        match (local, field) {
            (Some(id), Some(field)) if names.len() + usize::from(method.is_some()) == 2 => {
                self.define_field(id, ident(field), f, span(field));
            }
            (Some(id), None) => self.reassign(id, f),
            _ => {}
        }
    }

    /// Assignment to a variable (`x = …`, `t.k = …`, `t[k] = …`).
    fn assign(&mut self, v: &Var, ty: Type, expr: Option<&Expression>) {
        match v {
            Var::Name(t) => {
                let name = ident(t);
                if let Some(id) = self.lookup(name) {
                    self.record_use(id, span(t));
                    if self.locals[id].annotated {
                        let declared = self.locals[id].ty.clone();
                        self.check_assignable(&ty, &declared, name, span(t), expr);
                    } else {
                        self.reassign(id, ty);
                    }
                }
            }
            Var::Expression(ve) => self.assign_field(ve, ty, expr),
            _ => {}
        }
    }
}

/// A built record type as one that may have more fields.
fn opened(t: &Type) -> Type {
    match t {
        Type::Record(r) if r.shape == typedefs::Shape::Built => {
            let mut r = (**r).clone();
            r.shape = typedefs::Shape::Open;
            Type::Record(std::sync::Arc::new(r))
        }
        t => t.clone(),
    }
}

/// Collect `type(name) == "kind"` tests of a condition (through `and` and parentheses).
fn type_tests(e: &Expression, out: &mut Vec<(String, String)>) {
    use full_moon::ast::{BinOp, Call, FunctionArgs, Prefix, Suffix};
    match e {
        Expression::Parentheses { expression, .. } => type_tests(expression, out),
        Expression::BinaryOperator {
            lhs,
            binop: BinOp::And(_),
            rhs,
        } => {
            type_tests(lhs, out);
            type_tests(rhs, out);
        }
        Expression::BinaryOperator {
            lhs,
            binop: BinOp::TwoEqual(_),
            rhs,
        } => {
            let (call, lit) = match (&**lhs, &**rhs) {
                (Expression::FunctionCall(c), Expression::String(s))
                | (Expression::String(s), Expression::FunctionCall(c)) => (c, s),
                _ => return,
            };
            let Prefix::Name(f) = call.prefix() else {
                return;
            };
            let suffixes: Vec<&Suffix> = call.suffixes().collect();
            let (true, [Suffix::Call(Call::AnonymousCall(args))]) =
                (ident(f) == "type", suffixes.as_slice())
            else {
                return;
            };
            let FunctionArgs::Parentheses { arguments, .. } = &**args else {
                return;
            };
            if let (1, Some(Expression::Var(Var::Name(n)))) =
                (arguments.len(), arguments.iter().next())
            {
                if let full_moon::tokenizer::TokenType::StringLiteral { literal, .. } =
                    lit.token_type()
                {
                    out.push((ident(n).to_owned(), literal.to_string()));
                }
            }
        }
        _ => {}
    }
}

/// Loop variable types of `for k, v in <iter>`: the returns of the iterator function
/// (`ipairs`/`pairs` are generic, so typed tables give typed loop variables).
fn iteration_types(iter: &[Type]) -> Vec<Type> {
    match iter.first() {
        Some(Type::Function(f)) => {
            if f.returns.is_empty() {
                vec![Type::Any; 2]
            } else {
                f.returns.iter().map(Type::non_nil).collect()
            }
        }
        _ => vec![Type::Any; 2],
    }
}
