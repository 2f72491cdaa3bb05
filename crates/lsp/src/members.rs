//! The members of a type, from the one type model the checker and the manifests share: module
//! tables (and nested tables), interface methods and fields, record fields.

use typedefs::types::{MemberKind, TypeDef};
use typedefs::{ModuleSet, Type};

/// What a member is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A function or method.
    Function,
    /// A nested table (`crypto.random`).
    Table,
    /// A constant or field.
    Value,
}

/// One member: name, what it is, its type (rendered), its description.
#[derive(Clone, Debug)]
pub struct Member {
    /// Name.
    pub name: String,
    /// Function, table or value.
    pub kind: Kind,
    /// The member's type in Wippy syntax (a function's signature).
    pub detail: String,
    /// Manifest description.
    pub doc: Option<String>,
    /// The function type (for call snippets and signature help).
    pub function: Option<std::sync::Arc<typedefs::types::FunctionType>>,
    /// Its type.
    pub ty: Type,
}

/// Members of `ty`; with `colon`, only methods (what `recv:` can call).
pub fn members(ty: &Type, modules: &ModuleSet, colon: bool) -> Vec<Member> {
    let mut out = Vec::new();
    collect(ty, modules, colon, &mut out, 0);
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.dedup_by(|a, b| a.name == b.name);
    out
}

fn function_member(
    name: &str,
    f: &std::sync::Arc<typedefs::types::FunctionType>,
    doc: Option<String>,
) -> Member {
    Member {
        name: name.to_owned(),
        kind: Kind::Function,
        detail: Type::Function(f.clone()).to_string(),
        doc,
        function: Some(f.clone()),
        ty: Type::Function(f.clone()),
    }
}

fn collect(ty: &Type, modules: &ModuleSet, colon: bool, out: &mut Vec<Member>, depth: usize) {
    if depth > 8 {
        return;
    }
    match ty {
        Type::Optional(inner) => collect(inner, modules, colon, out, depth + 1),
        Type::Union(ts) => {
            for t in ts.iter().filter(|t| !matches!(t, Type::Nil)) {
                collect(t, modules, colon, out, depth + 1);
            }
        }
        Type::Namespace(ns) => {
            for (name, m) in &ns.table.members {
                match &m.kind {
                    MemberKind::Function(f) => {
                        out.push(function_member(name, f, m.description.clone()))
                    }
                    MemberKind::Table(t) if !colon => out.push(Member {
                        name: name.clone(),
                        kind: Kind::Table,
                        detail: format!("{}.{name}", ns.path),
                        doc: m.description.clone().or_else(|| t.description.clone()),
                        function: None,
                        ty: Type::Namespace(std::sync::Arc::new(typedefs::types::Namespace {
                            path: format!("{}.{name}", ns.path),
                            module: ns.module.clone(),
                            table: t.clone(),
                        })),
                    }),
                    MemberKind::Constant(t, v) if !colon => out.push(Member {
                        name: name.clone(),
                        kind: Kind::Value,
                        detail: match v {
                            Some(v) => format!("{t} = {v}"),
                            None => t.to_string(),
                        },
                        doc: m.description.clone(),
                        function: None,
                        ty: t.clone(),
                    }),
                    _ => {}
                }
            }
        }
        Type::Named(n) => match modules.resolve(n, None) {
            Some(TypeDef::Interface(iface)) => {
                for (name, m) in &iface.methods {
                    out.push(function_member(name, &m.ty, m.description.clone()));
                }
                if !colon {
                    for (name, f) in &iface.fields {
                        out.push(Member {
                            name: name.clone(),
                            kind: Kind::Value,
                            detail: f.ty.to_string(),
                            doc: f.description.clone(),
                            function: None,
                            ty: f.ty.clone(),
                        });
                    }
                }
            }
            Some(TypeDef::Alias { ty, .. }) => collect(&ty, modules, colon, out, depth + 1),
            None => {}
        },
        Type::Record(r) if !colon => {
            for f in &r.fields {
                out.push(match &f.ty {
                    Type::Function(func) => function_member(&f.name, func, f.description.clone()),
                    other => Member {
                        name: f.name.clone(),
                        kind: Kind::Value,
                        detail: other.to_string(),
                        doc: f.description.clone(),
                        function: None,
                        ty: other.clone(),
                    },
                });
            }
        }
        Type::Record(r) => {
            for f in &r.fields {
                if let Type::Function(func) = &f.ty {
                    out.push(function_member(&f.name, func, f.description.clone()));
                }
            }
        }
        _ => {}
    }
}

/// The member `name` of `ty`.
pub fn member(ty: &Type, name: &str, modules: &ModuleSet, colon: bool) -> Option<Member> {
    members(ty, modules, colon)
        .into_iter()
        .find(|m| m.name == name)
}
