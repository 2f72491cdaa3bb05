//! The checker's walk over one chunk: scopes, statements and the rules that need them.
//!
//! One pass in source order infers expression types (see `expr.rs`), checks calls against
//! manifests (`call.rs`) and tracks locals for the unused-variable rules. It is not yet
//! flow-sensitive: a local keeps its declared or initial type, and a reassignment with an
//! incompatible type widens it to `any`, so nothing the walk cannot prove is reported.

pub(crate) mod call;
mod expr;
pub mod index;
pub mod outline;

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use full_moon::ast::{Ast, Block, LastStmt, Stmt, Var};
use full_moon::node::Node;
use full_moon::tokenizer::{TokenReference, TokenType};
use typedefs::{LocalTypes, Record, Type};

use syntax::dialect::Prepared;

use crate::diagnostic::Diagnostic;
use crate::env::Env;
use crate::registry::Code;

/// What the walk of a chunk produces.
#[derive(Debug, Default)]
pub struct ChunkResult {
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Type of the value the chunk returns (a library's exports), if it returns one.
    pub exports: Option<Type>,
    /// Globals written through `_G.name = …`.
    pub g_writes: Vec<String>,
    /// Locals, uses and member accesses, when the environment asked for them.
    pub index: Option<index::ChunkIndex>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LocalKind {
    Local,
    Function,
    Import,
    Param,
    LoopVar,
}

#[derive(Debug)]
pub(crate) struct LocalVar {
    pub(crate) name: String,
    pub(crate) span: Range<u32>,
    pub(crate) ty: Type,
    pub(crate) kind: LocalKind,
    pub(crate) used: bool,
    /// The type came from an annotation (never widened by assignments).
    pub(crate) annotated: bool,
    /// Byte offset where its scope ends.
    pub(crate) scope_end: u32,
    /// Declared in the chunk's top-level scope.
    pub(crate) top_level: bool,
    /// Fields were written with a computed key (`t[k] = v`): its record type is not exhaustive.
    pub(crate) dynamic: bool,
}

pub(crate) struct Walker<'a> {
    pub(crate) env: &'a Env<'a>,
    pub(crate) prep: &'a Prepared,
    pub(crate) file: usize,
    pub(crate) locals: Vec<LocalVar>,
    pub(crate) scopes: Vec<Vec<usize>>,
    pub(crate) local_types: LocalTypes,
    /// Names assigned as globals anywhere in the chunk (defined for the undefined-global rule).
    pub(crate) file_globals: HashSet<String>,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) exports: Option<Type>,
    pub(crate) g_writes: Vec<String>,
    /// Inside a presence test (`if x.m then`, `type(x.m)`, `x.m or d`, `x.m == nil`): a missing
    /// member is a probe, not a mistake.
    pub(crate) probing: u32,
    /// Members found missing while probing (receiver path, name).
    pub(crate) probed: Vec<(String, String)>,
    /// Members a guarding condition probed: used inside its block without a diagnostic.
    pub(crate) guards: Vec<(String, String)>,
    /// Declared returns of the enclosing functions (innermost last; `None` when unannotated).
    pub(crate) fn_returns: Vec<Option<(Vec<Type>, Option<Type>)>>,
    /// End offset of the innermost statement or function being walked (where a scope opened
    /// now ends), and the ends of the open scopes.
    pub(crate) end_hint: u32,
    pub(crate) scope_ends: Vec<u32>,
    /// Uses of locals and member accesses, when `env.index` is set.
    pub(crate) uses: Vec<(usize, Range<u32>)>,
    pub(crate) members: Vec<index::MemberAccess>,
}

/// Byte range of a syntax node.
pub(crate) fn span(n: &impl Node) -> Range<u32> {
    let s = n.start_position().map_or(0, |p| p.bytes() as u32);
    let e = n.end_position().map_or(s, |p| p.bytes() as u32);
    s..e
}

/// The identifier text of a name token ("" for other tokens).
pub(crate) fn ident(t: &TokenReference) -> &str {
    match t.token_type() {
        TokenType::Identifier { identifier } => identifier.as_str(),
        _ => "",
    }
}

/// Check one parsed chunk.
pub fn walk_chunk(ast: &Ast, prep: &Prepared, env: &Env<'_>, file: usize) -> ChunkResult {
    let mut local_types = LocalTypes::new();
    for d in &prep.type_decls {
        local_types.insert(d.name.clone(), d.def.clone());
    }
    let mut w = Walker {
        env,
        prep,
        file,
        locals: Vec::new(),
        scopes: Vec::new(),
        local_types,
        file_globals: collect_globals(ast),
        diags: Vec::new(),
        exports: None,
        g_writes: Vec::new(),
        fn_returns: Vec::new(),
        probing: 0,
        probed: Vec::new(),
        guards: Vec::new(),
        end_hint: u32::MAX,
        scope_ends: Vec::new(),
        uses: Vec::new(),
        members: Vec::new(),
    };
    w.block(ast.nodes());
    let mut diagnostics = w.diags;
    for d in &mut diagnostics {
        d.entry_id.clone_from(&env.entry_id);
    }
    let index = env.index.then(|| index::ChunkIndex {
        locals: w
            .locals
            .iter()
            .map(|l| index::LocalSymbol {
                name: l.name.clone(),
                decl: l.span.clone(),
                scope_end: l.scope_end,
                ty: l.ty.clone(),
                kind: match l.kind {
                    LocalKind::Local => index::SymbolKind::Local,
                    LocalKind::Function => index::SymbolKind::Function,
                    LocalKind::Import => index::SymbolKind::Import,
                    LocalKind::Param => index::SymbolKind::Param,
                    LocalKind::LoopVar => index::SymbolKind::LoopVar,
                },
                top_level: l.top_level,
                annotated: l.annotated,
            })
            .collect(),
        uses: w.uses,
        members: w.members,
        local_types: w.local_types.clone(),
        outline: outline::Outline::default(),
    });
    ChunkResult {
        diagnostics,
        exports: w.exports,
        g_writes: w.g_writes,
        index,
    }
}

/// Names assigned without `local` anywhere in the chunk (`x = …`, `function x() end`).
fn collect_globals(ast: &Ast) -> HashSet<String> {
    use full_moon::ast::{Assignment, FunctionDeclaration};
    use full_moon::visitors::Visitor;
    struct C(HashSet<String>);
    impl Visitor for C {
        fn visit_assignment(&mut self, a: &Assignment) {
            for v in a.variables() {
                if let Var::Name(t) = v {
                    self.0.insert(ident(t).to_owned());
                }
            }
        }
        fn visit_function_declaration(&mut self, f: &FunctionDeclaration) {
            let names = f.name().names();
            if names.len() == 1 && f.name().method_name().is_none() {
                if let Some(n) = names.iter().next() {
                    self.0.insert(ident(n).to_owned());
                }
            }
        }
    }
    let mut c = C(HashSet::new());
    c.visit_ast(ast);
    c.0
}

impl<'a> Walker<'a> {
    pub(crate) fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub(crate) fn diag(&mut self, code: Code, span: Range<u32>, msg: impl Into<String>) {
        self.report(Diagnostic::new(code, self.file, span, msg));
    }

    fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
        self.scope_ends.push(self.end_hint);
    }

    fn pop_scope(&mut self) {
        let Some(ids) = self.scopes.pop() else { return };
        let end = self.scope_ends.pop().unwrap_or(u32::MAX);
        for &id in &ids {
            self.locals[id].scope_end = end;
        }
        for id in ids {
            self.unused_local(id);
        }
    }

    /// Declare a local from its name token; an annotation recorded by the pre-pass wins over `ty`.
    fn declare(&mut self, tok: &TokenReference, ty: Type, kind: LocalKind) -> usize {
        let sp = span(tok);
        let (ty, annotated) = match self.prep.names.get(&sp.start) {
            Some(t) => (t.clone(), true),
            None => (ty, false),
        };
        self.declare_named(ident(tok).to_owned(), sp, ty, kind, annotated)
    }

    fn declare_named(
        &mut self,
        name: String,
        span: Range<u32>,
        ty: Type,
        kind: LocalKind,
        annotated: bool,
    ) -> usize {
        let id = self.locals.len();
        let top_level = self.scopes.len() == 1;
        self.locals.push(LocalVar {
            name,
            span,
            ty,
            kind,
            used: false,
            annotated,
            dynamic: false,
            scope_end: u32::MAX,
            top_level,
        });
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(id);
        }
        id
    }

    /// Mark a local's table as having fields we cannot see.
    pub(crate) fn mark_dynamic(&mut self, id: usize) {
        self.locals[id].dynamic = true;
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .copied()
            .find(|&id| self.locals[id].name == name)
    }

    /// The annotation of a name token, if any.
    fn annotation(&self, tok: &TokenReference) -> Option<Type> {
        self.prep.names.get(&span(tok).start).cloned()
    }

    fn block(&mut self, b: &Block) {
        self.push_scope();
        self.block_in_scope(b);
        self.pop_scope();
    }

    /// A block whose locals go into the current scope (function bodies declare params first).
    fn block_in_scope(&mut self, b: &Block) {
        for s in b.stmts() {
            self.stmt(s);
        }
        if let Some(last) = b.last_stmt() {
            self.last_stmt(last);
        }
    }

    fn last_stmt(&mut self, s: &LastStmt) {
        if let LastStmt::Return(r) = s {
            let tys = self.expr_list(r.returns(), 0);
            if let Some(Some((declared, variadic))) = self.fn_returns.last().cloned() {
                let exprs: Vec<&full_moon::ast::Expression> = r.returns().iter().collect();
                for (i, t) in tys.iter().enumerate() {
                    let Some(d) = declared.get(i).or(variadic.as_ref()) else {
                        break;
                    };
                    let sp = exprs
                        .get(i.min(exprs.len().saturating_sub(1)))
                        .map_or(span(r), |e| span(*e));
                    self.check_returned(t, d, i, sp);
                }
            }
            if self.fn_returns.is_empty() && self.scopes.len() == 1 {
                self.exports = tys.into_iter().next();
                self.seal_exports(r.returns().iter().next());
            }
        }
    }

    /// A returned local table becomes exhaustive for importers unless fields were added with
    /// computed keys.
    fn seal_exports(&mut self, first: Option<&full_moon::ast::Expression>) {
        let dynamic = match first {
            Some(full_moon::ast::Expression::Var(Var::Name(t))) => self
                .lookup(ident(t))
                .is_some_and(|id| self.locals[id].dynamic),
            _ => false,
        };
        if let Some(Type::Record(r)) = &self.exports {
            let mut r: Record = (**r).clone();
            r.open = dynamic;
            self.exports = Some(Type::Record(Arc::new(r)));
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

    /// Record a use of local `id` at `sp` (for the editor index).
    pub(crate) fn record_use(&mut self, id: usize, sp: Range<u32>) {
        if self.env.index && !sp.is_empty() {
            self.uses.push((id, sp));
        }
    }

    /// Record `recv.name` / `recv:name` (for the editor index).
    pub(crate) fn record_member(&mut self, name: Range<u32>, receiver: &Type, colon: bool) {
        if self.env.index {
            self.members.push(index::MemberAccess {
                name,
                receiver: receiver.clone(),
                colon,
            });
        }
    }

    fn stmt_inner(&mut self, s: &Stmt) {
        match s {
            Stmt::LocalAssignment(la) => {
                let tys = self.expr_list(la.expressions(), 0);
                let is_require: Vec<bool> = la
                    .expressions()
                    .iter()
                    .map(|e| self.is_require_call(e))
                    .collect();
                for (i, name) in la.names().iter().enumerate() {
                    if let (Some(declared), Some(value)) = (self.annotation(name), tys.get(i)) {
                        self.check_assignable(value, &declared, ident(name), span(name));
                    }
                    let ty = match tys.get(i) {
                        Some(Type::Nil) | None => Type::Any,
                        Some(t) => widen_for_local(t),
                    };
                    let kind =
                        if is_require.get(i).copied().unwrap_or(false) && la.names().len() == 1 {
                            LocalKind::Import
                        } else {
                            LocalKind::Local
                        };
                    self.declare(name, ty, kind);
                }
            }
            Stmt::LocalFunction(lf) => {
                let id = self.declare(lf.name(), Type::AnyFunction, LocalKind::Function);
                let f = self.function_body(lf.body(), None);
                self.locals[id].ty = f;
            }
            Stmt::FunctionDeclaration(fd) => self.function_declaration(fd),
            Stmt::Assignment(a) => {
                let n = a.variables().len();
                let tys = self.expr_list(a.expressions(), n);
                for (i, v) in a.variables().iter().enumerate() {
                    let ty = tys.get(i).cloned().unwrap_or(Type::Nil);
                    self.assign(v, ty);
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
                self.expr(f.start());
                self.expr(f.end());
                if let Some(step) = f.step() {
                    self.expr(step);
                }
                self.push_scope();
                self.declare(f.index_variable(), Type::Number, LocalKind::LoopVar);
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

    /// Walk a block guarded by `cond`, with locals tested by `type(x) == "kind"` (possibly
    /// joined by `and`) narrowed to that kind inside it.
    /// Evaluate a condition as a presence test; returns the members it probed.
    pub(crate) fn condition(&mut self, cond: &full_moon::ast::Expression) -> Vec<(String, String)> {
        let before = self.probed.len();
        self.probing += 1;
        self.expr(cond);
        self.probing -= 1;
        self.probed.split_off(before)
    }

    fn narrowed_block(
        &mut self,
        cond: &full_moon::ast::Expression,
        block: &Block,
        probed: Vec<(String, String)>,
    ) {
        let guards_before = self.guards.len();
        self.guards.extend(probed);
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
        self.block(block);
        self.guards.truncate(guards_before);
        for (id, ty) in saved.into_iter().rev() {
            self.locals[id].ty = ty;
        }
    }

    fn function_declaration(&mut self, fd: &full_moon::ast::FunctionDeclaration) {
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
        let self_ty = method.map(|_| local.map_or(Type::Any, |id| self.locals[id].ty.clone()));
        let f = self.function_body(fd.body(), self_ty);
        let field = method.or_else(|| names.get(1..).and_then(|r| r.last().copied()));
        match (local, field) {
            (Some(id), Some(field)) if names.len() + usize::from(method.is_some()) == 2 => {
                add_field(&mut self.locals[id].ty, ident(field), f);
            }
            (Some(id), None) => {
                self.locals[id].ty = f;
            }
            _ => {}
        }
    }

    /// Assignment to a variable (`x = …`, `t.k = …`, `t[k] = …`).
    fn assign(&mut self, v: &Var, ty: Type) {
        match v {
            Var::Name(t) => {
                let name = ident(t);
                if let Some(id) = self.lookup(name) {
                    self.record_use(id, span(t));
                    let l = &self.locals[id];
                    if l.annotated {
                        let declared = l.ty.clone();
                        self.check_assignable(&ty, &declared, name, span(t));
                    } else if !typedefs::fits(&ty, &l.ty, self.env.modules, Some(&self.local_types))
                    {
                        self.locals[id].ty = Type::Any;
                    }
                }
            }
            Var::Expression(ve) => self.assign_field(ve, ty),
            _ => {}
        }
    }
}

/// The type a local takes from its initializer: literals widen (`"x"` → string) except inside
/// table constructors, which stay open records.
fn widen_for_local(t: &Type) -> Type {
    t.widen()
}

/// Collect `type(name) == "kind"` tests of a condition (through `and` and parentheses).
fn type_tests(e: &full_moon::ast::Expression, out: &mut Vec<(String, String)>) {
    use full_moon::ast::{BinOp, Call, Expression, FunctionArgs, Prefix, Suffix};
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

/// Add or replace a field of an open record type.
fn add_field(ty: &mut Type, name: &str, value: Type) {
    if let Type::Record(r) = ty {
        if !r.open {
            return;
        }
        let r = Arc::make_mut(r);
        match r.fields.iter_mut().find(|f| f.name == name) {
            Some(f) => {
                if f.ty != value {
                    f.ty = Type::Any;
                }
            }
            None => r.fields.push(typedefs::Field {
                name: name.to_owned(),
                ty: value,
                optional: false,
                description: None,
            }),
        }
    }
}

/// Loop variable types of `for k, v in <iter>`: `ipairs(array)` and `pairs(map)` are understood.
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

/// Find close names for an undefined global (locals in scope, known globals).
pub(crate) fn suggest_from<'s>(
    name: &str,
    names: impl IntoIterator<Item = &'s String>,
) -> Option<String> {
    typedefs::suggest(name, names)
}
