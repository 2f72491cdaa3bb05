//! The shape of a chunk for an editor, read from its syntax tree in one visitor pass (separate
//! from the type walk): function and field definitions (`function M.x`, `M.x = function`,
//! `local function f`), what the chunk returns (a module table's fields), call sites with the
//! spans of their arguments, foldable blocks, and the byte ranges of Wippy type annotations.
//! The language server builds document symbols, cross-file rename, inlay hints, folding ranges
//! and semantic tokens from it. All positions are byte offsets into the chunk's text.

use std::ops::Range;

use full_moon::ast::{
    Assignment, Ast, Call, Do, Expression, Field, FunctionArgs, FunctionBody, FunctionCall,
    FunctionDeclaration, GenericFor, If, LastStmt, LocalAssignment, LocalFunction, NumericFor,
    Parameter, Prefix, Repeat, Suffix, TableConstructor, Var, While,
};
use full_moon::visitors::Visitor;

use super::{ident, span};

/// A named definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// The name as a path: `["M", "trim"]` for `function M.trim` or `M.trim = …`, `["f"]` for
    /// `local function f` and `function f`.
    pub path: Vec<String>,
    /// Written `function M:name` (an implicit `self` parameter).
    pub method: bool,
    /// Its value is a function.
    pub function: bool,
    /// Declared `local` (`local function f`, `local f = function`).
    pub local: bool,
    /// Byte span of the last name of the path (what rename replaces).
    pub name: Range<u32>,
    /// Byte span of the whole definition (statement or table field).
    pub span: Range<u32>,
    /// Parameter names (functions only; `...` for a vararg).
    pub params: Vec<String>,
}

/// What the chunk's final `return` gives.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Returned {
    /// Nothing, or an expression of another shape.
    #[default]
    Other,
    /// `return M`: a local (name and span of the name in the `return`).
    Name(String, Range<u32>),
    /// `return { a = …, b = function … end }`: the named fields.
    Table(Vec<Definition>),
}

/// A call with its arguments: `f(a, b)`, `m.f(a)`, `obj:m(a)`, `f "s"`, `f {…}`.
#[derive(Clone, Debug, PartialEq)]
pub struct CallSite {
    /// Byte span of the name called (`f`, the `f` of `m.f`, the `m` of `obj:m`).
    pub callee: Range<u32>,
    /// A method call (`obj:m(…)`).
    pub colon: bool,
    /// Byte span of each argument expression.
    pub args: Vec<Range<u32>>,
}

/// The outline of one chunk.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outline {
    /// Definitions in source order (nested ones included; containment is by span).
    pub definitions: Vec<Definition>,
    /// What the chunk returns.
    pub returned: Returned,
    /// Call sites in source order.
    pub calls: Vec<CallSite>,
    /// Blocks an editor may fold: function bodies, control statements, table constructors.
    pub blocks: Vec<Range<u32>>,
    /// Byte ranges of type syntax the dialect pre-pass blanked (`: number`, `type X = …`,
    /// `as T`), one per run on a line.
    pub type_spans: Vec<Range<u32>>,
}

/// Read the outline of `ast`, the tree of `prepared` (the pre-pass text of `src`).
pub fn collect(ast: &Ast, src: &str, prepared: &str) -> Outline {
    let mut c = Collector(Outline::default());
    c.visit_ast(ast);
    let mut out = c.0;
    if let Some(LastStmt::Return(r)) = ast.nodes().last_stmt() {
        out.returned = match r.returns().iter().next() {
            Some(Expression::Var(Var::Name(t))) => Returned::Name(ident(t).to_owned(), span(t)),
            Some(Expression::TableConstructor(t)) => Returned::Table(table_fields(t)),
            _ => Returned::Other,
        };
    }
    out.type_spans = type_spans(src, prepared);
    out
}

struct Collector(Outline);

fn params(body: &FunctionBody) -> Vec<String> {
    body.parameters()
        .iter()
        .map(|p| match p {
            Parameter::Name(t) => ident(t).to_owned(),
            _ => "...".to_owned(),
        })
        .collect()
}

fn function_value(e: &Expression) -> Option<&FunctionBody> {
    match e {
        Expression::Function(f) => Some(f.body()),
        _ => None,
    }
}

/// The named fields of a table constructor.
fn table_fields(t: &TableConstructor) -> Vec<Definition> {
    t.fields()
        .iter()
        .filter_map(|f| match f {
            Field::NameKey { key, value, .. } => {
                let body = function_value(value);
                Some(Definition {
                    path: vec![ident(key).to_owned()],
                    method: false,
                    function: body.is_some(),
                    local: false,
                    name: span(key),
                    span: span(f),
                    params: body.map(params).unwrap_or_default(),
                })
            }
            _ => None,
        })
        .collect()
}

/// `a.b.c` as a path with the span of its last name, for a plain dotted variable.
fn var_path(v: &Var) -> Option<(Vec<String>, Range<u32>)> {
    match v {
        Var::Name(t) => Some((vec![ident(t).to_owned()], span(t))),
        Var::Expression(ve) => {
            let Prefix::Name(first) = ve.prefix() else {
                return None;
            };
            let mut path = vec![ident(first).to_owned()];
            let mut last = span(first);
            for s in ve.suffixes() {
                match s {
                    Suffix::Index(full_moon::ast::Index::Dot { name, .. }) => {
                        path.push(ident(name).to_owned());
                        last = span(name);
                    }
                    _ => return None,
                }
            }
            Some((path, last))
        }
        _ => None,
    }
}

fn arg_spans(args: &FunctionArgs) -> Vec<Range<u32>> {
    match args {
        FunctionArgs::Parentheses { arguments, .. } => arguments.iter().map(span).collect(),
        other => vec![span(other)],
    }
}

impl Visitor for Collector {
    fn visit_function_declaration(&mut self, f: &FunctionDeclaration) {
        let mut path: Vec<String> = f
            .name()
            .names()
            .iter()
            .map(|t| ident(t).to_owned())
            .collect();
        let mut name = f.name().names().iter().last().map(span).unwrap_or_default();
        if let Some(m) = f.name().method_name() {
            path.push(ident(m).to_owned());
            name = span(m);
        }
        self.0.definitions.push(Definition {
            path,
            method: f.name().method_name().is_some(),
            function: true,
            local: false,
            name,
            span: span(f),
            params: params(f.body()),
        });
        self.0.blocks.push(span(f));
    }

    fn visit_local_function(&mut self, f: &LocalFunction) {
        self.0.definitions.push(Definition {
            path: vec![ident(f.name()).to_owned()],
            method: false,
            function: true,
            local: true,
            name: span(f.name()),
            span: span(f),
            params: params(f.body()),
        });
        self.0.blocks.push(span(f));
    }

    fn visit_local_assignment(&mut self, a: &LocalAssignment) {
        for (n, e) in a.names().iter().zip(a.expressions().iter()) {
            if let Some(body) = function_value(e) {
                self.0.definitions.push(Definition {
                    path: vec![ident(n).to_owned()],
                    method: false,
                    function: true,
                    local: true,
                    name: span(n),
                    span: span(a),
                    params: params(body),
                });
            }
        }
    }

    fn visit_assignment(&mut self, a: &Assignment) {
        for (v, e) in a.variables().iter().zip(a.expressions().iter()) {
            let Some((path, name)) = var_path(v) else {
                continue;
            };
            if path.len() < 2 {
                continue;
            }
            let body = function_value(e);
            self.0.definitions.push(Definition {
                path,
                method: false,
                function: body.is_some(),
                local: false,
                name,
                span: span(a),
                params: body.map(params).unwrap_or_default(),
            });
        }
    }

    fn visit_function_call(&mut self, c: &FunctionCall) {
        let mut last = match c.prefix() {
            Prefix::Name(t) => Some(span(t)),
            _ => None,
        };
        for s in c.suffixes() {
            match s {
                Suffix::Index(full_moon::ast::Index::Dot { name, .. }) => last = Some(span(name)),
                Suffix::Call(Call::AnonymousCall(args)) => {
                    if let Some(callee) = last.take() {
                        self.0.calls.push(CallSite {
                            callee,
                            colon: false,
                            args: arg_spans(args),
                        });
                    }
                }
                Suffix::Call(Call::MethodCall(m)) => {
                    self.0.calls.push(CallSite {
                        callee: span(m.name()),
                        colon: true,
                        args: arg_spans(m.args()),
                    });
                    last = None;
                }
                _ => last = None,
            }
        }
    }

    fn visit_anonymous_function(&mut self, f: &full_moon::ast::AnonymousFunction) {
        self.0.blocks.push(span(f));
    }

    fn visit_table_constructor(&mut self, t: &TableConstructor) {
        self.0.blocks.push(span(t));
    }

    fn visit_do(&mut self, n: &Do) {
        self.0.blocks.push(span(n));
    }

    fn visit_while(&mut self, n: &While) {
        self.0.blocks.push(span(n));
    }

    fn visit_repeat(&mut self, n: &Repeat) {
        self.0.blocks.push(span(n));
    }

    fn visit_if(&mut self, n: &If) {
        self.0.blocks.push(span(n));
    }

    fn visit_numeric_for(&mut self, n: &NumericFor) {
        self.0.blocks.push(span(n));
    }

    fn visit_generic_for(&mut self, n: &GenericFor) {
        self.0.blocks.push(span(n));
    }
}

/// Runs of bytes the pre-pass blanked in `src` (type syntax), joined across blanks on a line.
fn type_spans(src: &str, prepared: &str) -> Vec<Range<u32>> {
    let (a, b) = (src.as_bytes(), prepared.as_bytes());
    let mut out: Vec<Range<u32>> = Vec::new();
    let mut i = 0;
    while i < a.len().min(b.len()) {
        if a[i] == b[i] || !b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < a.len().min(b.len()) && a[i] != b[i] {
            i += 1;
        }
        let joins = out.last().is_some_and(|last| {
            let gap = &a[last.end as usize..start];
            gap.iter().all(|&c| c == b' ' || c == b'\t')
        });
        match out.last_mut() {
            Some(last) if joins => last.end = i as u32,
            _ => out.push(start as u32..i as u32),
        }
    }
    out
}

/// Whether a node's span covers more than one line of `src` (for folding).
pub fn is_multiline(src: &str, sp: &Range<u32>) -> bool {
    let (s, e) = (sp.start as usize, (sp.end as usize).min(src.len()));
    s < e && src.get(s..e).is_some_and(|t| t.contains('\n'))
}
