//! The checker's walk over one chunk: scopes, statements, expressions and the rules that need
//! them.
//!
//! One pass in source order infers expression types (`expr.rs`, `ops.rs`, `table.rs`), walks
//! statements (`stmt.rs`) and function bodies (`func.rs`, with the returns of unannotated
//! functions inferred by `returns.rs`), and checks calls (`call.rs`) against signatures of
//! manifests, of the chunk's own functions and of imported libraries. Types of locals live in
//! [`Walker::locals`] and change only through [`Walker::set_local_type`] and the narrowing of
//! `stmt.rs`, so a flow-sensitive environment (types per program point) can replace that one
//! place. A local keeps its declared type, or its initial type joined with what it is assigned
//! later; nothing the walk cannot prove is reported.

pub(crate) mod call;
mod expr;
mod func;
pub mod index;
mod ops;
pub mod outline;
mod returns;
mod scope;
mod stmt;
mod table;

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use full_moon::ast::{Ast, Var};
use full_moon::node::Node;
use full_moon::tokenizer::{TokenReference, TokenType};
use typedefs::manifest::{map_type, name_record};
use typedefs::{LocalTypes, Relation, Type, TypeDef};

use syntax::dialect::Prepared;

use crate::diagnostic::Diagnostic;
use crate::env::Env;
use crate::registry::Code;

pub(crate) use call::{string_literal, Cur};
pub(crate) use returns::Frame;
pub(crate) use scope::{LocalKind, LocalVar};

/// What the walk of a chunk produces.
#[derive(Debug, Default)]
pub struct ChunkResult {
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Type of the value the chunk returns (a library's exports), if it returns one. Names of
    /// the chunk's own types in it carry the chunk's entry id ([`typedefs::NamedRef::chunk`]).
    pub exports: Option<Type>,
    /// The types an importer needs to read `exports`: the chunk's own declarations (qualified
    /// like `exports`) and those of the libraries it imports.
    pub types: LocalTypes,
    /// Globals written through `_G.name = …`.
    pub g_writes: Vec<String>,
    /// Locals, uses and member accesses, when the environment asked for them.
    pub index: Option<index::ChunkIndex>,
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
    /// The enclosing function bodies, innermost last: declared returns and the returns seen.
    pub(crate) frames: Vec<Frame>,
    /// End offset of the innermost statement or function being walked (where a scope opened
    /// now ends), and the ends of the open scopes.
    pub(crate) end_hint: u32,
    pub(crate) scope_ends: Vec<u32>,
    /// Uses of locals and member accesses, when `env.index` is set.
    pub(crate) uses: Vec<(usize, Range<u32>)>,
    pub(crate) members: Vec<index::MemberAccess>,
    /// Names that qualify a type in an annotation (`geo` of `geo.Point`): such an import is
    /// used.
    pub(crate) type_qualifiers: HashSet<String>,
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
    let mut local_types = env.types.clone();
    for d in &prep.type_decls {
        local_types.insert(d.name.clone(), named_decl(&d.name, d.def.clone()));
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
        frames: Vec::new(),
        probing: 0,
        probed: Vec::new(),
        guards: Vec::new(),
        end_hint: u32::MAX,
        scope_ends: Vec::new(),
        uses: Vec::new(),
        members: Vec::new(),
        type_qualifiers: type_qualifiers(prep),
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
    let (exports, types) = qualify_exports(w.exports, &w.local_types, env.entry_id.as_deref());
    ChunkResult {
        diagnostics,
        exports,
        types,
        g_writes: w.g_writes,
        index,
    }
}

/// The names that qualify types in the chunk's annotations and declarations.
fn type_qualifiers(prep: &Prepared) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut visit = |t: &Type| {
        map_type(t.clone(), &mut |t| {
            if let Type::Named(n) = t {
                if let Some(m) = &n.module {
                    out.insert(m.clone());
                }
            }
            None
        });
    };
    prep.names.values().for_each(&mut visit);
    prep.casts.values().for_each(&mut visit);
    for (returns, variadic) in prep.returns.values() {
        returns.iter().for_each(&mut visit);
        variadic.iter().for_each(&mut visit);
    }
    for d in &prep.type_decls {
        if let TypeDef::Alias { ty, .. } = &d.def {
            visit(ty);
        }
    }
    out
}

/// A declared type as the chunk keeps it: a record alias is named after the declaration.
fn named_decl(name: &str, def: TypeDef) -> TypeDef {
    def.map_alias(|ty| name_record(ty, name.to_owned()))
}

/// The exports and the types an importer needs, with the chunk's own type names (and those it
/// names through an import alias, `geo.Point`) qualified by the declaring entry's id, so they
/// keep their meaning in the importer (whose own `Point` is another type).
fn qualify_exports(
    exports: Option<Type>,
    types: &LocalTypes,
    entry: Option<&str>,
) -> (Option<Type>, LocalTypes) {
    let mut out = LocalTypes::new();
    for ((chunk, name), def) in types.foreign() {
        out.insert_foreign(chunk.clone(), name.clone(), def.clone());
    }
    let chunk: Arc<str> = entry.unwrap_or_default().into();
    let q = Qualifier {
        own: types.own().map(|(n, _)| n.as_str()).collect(),
        chunk,
        types,
    };
    for (name, def) in types.own() {
        let def = def.clone().map_alias(|ty| q.apply(ty));
        out.insert_foreign(q.chunk.clone(), name.clone(), def);
    }
    (exports.map(|t| q.apply(t)), out)
}

/// Rewrites a chunk's type names into names that mean the same outside it.
struct Qualifier<'t> {
    own: HashSet<&'t str>,
    chunk: Arc<str>,
    types: &'t LocalTypes,
}

impl Qualifier<'_> {
    fn apply(&self, t: Type) -> Type {
        let local_name = |t: &Type| {
            matches!(t, Type::Named(n) if n.chunk.is_none()
                && (n.module.is_some() || self.own.contains(n.name.as_str())))
        };
        if !typedefs::generics::mentions(&t, &local_name) {
            return t;
        }
        map_type(t, &mut |t| {
            let Type::Named(n) = t else { return None };
            if n.chunk.is_some() {
                return None;
            }
            let chunk = match &n.module {
                None if self.own.contains(n.name.as_str()) => self.chunk.clone(),
                Some(alias) => self.types.alias(alias)?.clone(),
                None => return None,
            };
            let mut n = (**n).clone();
            n.chunk = Some(chunk);
            n.module = None;
            n.args = n.args.into_iter().map(|a| self.apply(a)).collect();
            Some(Type::Named(Arc::new(n)))
        })
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

    /// THE type relation in this chunk's context (its declared and imported types, the mode).
    pub(crate) fn rel(&self) -> Relation<'_> {
        Relation {
            set: self.env.modules,
            local: Some(&self.local_types),
            mode: self.env.mode,
        }
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
}

/// Find close names for an undefined global (locals in scope, known globals).
pub(crate) fn suggest_from<'s>(
    name: &str,
    names: impl IntoIterator<Item = &'s String>,
) -> Option<String> {
    typedefs::suggest(name, names)
}
