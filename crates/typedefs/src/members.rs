//! THE member lookup and member listing for a type, used by the checker's rules (unknown
//! fields and methods, call signatures) and by the language server (completion, hover,
//! signature help) alike: module tables and their nested tables, interfaces (methods and
//! fields, generics substituted), records declared in Lua (`type Point = {…}` through
//! [`LocalTypes`]) or in manifests, strings (`s:upper()` reaches the `string` library), Wippy
//! error values (`err:message()`), maps with string keys, and optionals (their non-nil part).
//!
//! [`ModuleSet::members`] lists exactly the names for which [`ModuleSet::member`] finds
//! something, except that a union lists the members of each of its non-nil variants (which
//! lookup, without narrowing, leaves unknown).

use std::sync::Arc;

use crate::modules::{LocalTypes, ModuleSet};
use crate::types::{
    FunctionType, Interface, Member as TableMember, MemberKind, Namespace, Type, TypeDef,
};

/// The result of looking up `recv.name` / `recv:name`.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// A field, constant, function or nested table.
    Found {
        /// Its type.
        ty: Type,
        /// One-line description.
        description: Option<String>,
    },
    /// A method of an interface (first parameter `self`).
    Method {
        /// The signature, generics substituted, `self` still first.
        func: Arc<FunctionType>,
        /// Qualified owner (`sql.DB`).
        owner: String,
        /// One-line description.
        description: Option<String>,
    },
    /// The receiver's type is fully known and has no such member.
    Missing {
        /// How to name the receiver in a message: `module json`, `sql.DB`.
        owner: String,
        /// Whether the owner has methods (so "no method" is the right wording for `:`).
        is_object: bool,
        /// The closest existing member name, if one is close.
        suggestion: Option<String>,
    },
    /// Nothing is known (any, unknown, an open table, …).
    Unknown,
}

/// What a listed member is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberRole {
    /// A function, or a method when reached with `:`.
    Function,
    /// A nested table (`crypto.random`).
    Table,
    /// A constant or field.
    Value,
}

/// One member of a type, as completion and hover show it.
#[derive(Clone, Debug)]
pub struct ListedMember {
    /// Name.
    pub name: String,
    /// Function, table or value.
    pub role: MemberRole,
    /// The member's type in Wippy syntax (a function's signature; a constant's value).
    pub detail: String,
    /// Description from the manifest or the declaring code.
    pub doc: Option<String>,
    /// The function type (for call snippets and signature help).
    pub function: Option<Arc<FunctionType>>,
    /// Its type (optional fields are `T?`).
    pub ty: Type,
}

impl ModuleSet {
    /// Look up `recv.name` (`colon` false) or `recv:name` (`colon` true).
    pub fn member(
        &self,
        recv: &Type,
        name: &str,
        colon: bool,
        local: Option<&LocalTypes>,
    ) -> Lookup {
        self.member_depth(recv, name, colon, local, 0)
    }

    fn member_depth(
        &self,
        recv: &Type,
        name: &str,
        colon: bool,
        local: Option<&LocalTypes>,
        depth: u8,
    ) -> Lookup {
        if depth > 8 {
            return Lookup::Unknown;
        }
        match recv {
            Type::Namespace(ns) => match ns.table.members.get(name) {
                Some(m) => Lookup::Found {
                    ty: member_type(&ns.module, &format!("{}.{name}", ns.path), m),
                    description: m.description.clone(),
                },
                None => Lookup::Missing {
                    owner: if ns.path.contains('.') {
                        format!("table {}", ns.path)
                    } else {
                        format!("module {}", ns.path)
                    },
                    is_object: false,
                    suggestion: suggest(name, ns.table.members.keys()),
                },
            },
            Type::Named(n) => match self.resolve(n, local) {
                Some(TypeDef::Interface(iface)) => interface_member(&iface, name, colon),
                Some(TypeDef::Alias { ty, .. }) => {
                    self.member_depth(&ty, name, colon, local, depth + 1)
                }
                None => Lookup::Unknown,
            },
            Type::Error => {
                let m = self
                    .get("errors")
                    .and_then(|e| e.types.get("Error").cloned());
                match m {
                    Some(TypeDef::Interface(iface)) => {
                        match interface_member(&iface, name, colon) {
                            Lookup::Missing { .. } => Lookup::Unknown,
                            found => found,
                        }
                    }
                    _ => Lookup::Unknown,
                }
            }
            Type::String | Type::Literal(crate::types::Literal::String(_)) if colon => {
                match self.get("string") {
                    Some(s) => self.member_depth(&s.value_type(), name, false, local, depth + 1),
                    None => Lookup::Unknown,
                }
            }
            Type::Record(r) => match r.field(name) {
                Some(f) => Lookup::Found {
                    ty: f.read_type(),
                    description: f.description.clone(),
                },
                // Methods of a record's values usually come from a metatable (`setmetatable(t,
                // mt)` with `mt.__index = methods`), which a record type does not describe.
                None if !r.closed() || colon => Lookup::Unknown,
                None => Lookup::Missing {
                    owner: r.display(),
                    is_object: false,
                    suggestion: suggest(name, r.fields.iter().map(|f| &f.name)),
                },
            },
            Type::Map(k, v) if matches!(**k, Type::String | Type::Any) => Lookup::Found {
                ty: (**v).clone(),
                description: None,
            },
            Type::Optional(inner) => self.member_depth(inner, name, colon, local, depth + 1),
            _ => Lookup::Unknown,
        }
    }

    /// Every member of `recv` by name; with `colon`, only what `recv:` can call.
    pub fn members(
        &self,
        recv: &Type,
        colon: bool,
        local: Option<&LocalTypes>,
    ) -> Vec<ListedMember> {
        let mut out = Vec::new();
        self.collect(recv, colon, local, &mut out, 0);
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out.dedup_by(|a, b| a.name == b.name);
        out
    }

    /// The listed member `name` of `recv` (for hover and signature help).
    pub fn listed_member(
        &self,
        recv: &Type,
        name: &str,
        colon: bool,
        local: Option<&LocalTypes>,
    ) -> Option<ListedMember> {
        self.members(recv, colon, local)
            .into_iter()
            .find(|m| m.name == name)
    }

    fn collect(
        &self,
        ty: &Type,
        colon: bool,
        local: Option<&LocalTypes>,
        out: &mut Vec<ListedMember>,
        depth: u8,
    ) {
        if depth > 8 {
            return;
        }
        match ty {
            Type::Optional(inner) => self.collect(inner, colon, local, out, depth + 1),
            Type::Union(ts) => {
                for t in ts.iter().filter(|t| !matches!(t, Type::Nil)) {
                    self.collect(t, colon, local, out, depth + 1);
                }
            }
            Type::Namespace(ns) => {
                for (name, m) in &ns.table.members {
                    let ty = member_type(&ns.module, &format!("{}.{name}", ns.path), m);
                    match &m.kind {
                        MemberKind::Function(f) => {
                            out.push(function_member(name, f, m.description.clone()))
                        }
                        MemberKind::Table(t) if !colon => out.push(ListedMember {
                            name: name.clone(),
                            role: MemberRole::Table,
                            detail: format!("{}.{name}", ns.path),
                            doc: m.description.clone().or_else(|| t.description.clone()),
                            function: None,
                            ty,
                        }),
                        MemberKind::Constant(t, v) if !colon => out.push(ListedMember {
                            name: name.clone(),
                            role: MemberRole::Value,
                            detail: match v {
                                Some(v) => format!("{t} = {v}"),
                                None => t.to_string(),
                            },
                            doc: m.description.clone(),
                            function: None,
                            ty,
                        }),
                        _ => {}
                    }
                }
            }
            Type::Named(n) => match self.resolve(n, local) {
                Some(TypeDef::Interface(iface)) => interface_members(&iface, colon, out),
                Some(TypeDef::Alias { ty, .. }) => self.collect(&ty, colon, local, out, depth + 1),
                None => {}
            },
            Type::Error => {
                if let Some(TypeDef::Interface(iface)) = self
                    .get("errors")
                    .and_then(|e| e.types.get("Error").cloned())
                {
                    interface_members(&iface, colon, out);
                }
            }
            Type::String | Type::Literal(crate::types::Literal::String(_)) if colon => {
                if let Some(s) = self.get("string") {
                    self.collect(&s.value_type(), false, local, out, depth + 1);
                }
            }
            Type::Record(r) => {
                for f in &r.fields {
                    let fty = if f.optional {
                        f.ty.clone().optional()
                    } else {
                        f.ty.clone()
                    };
                    match &f.ty {
                        Type::Function(func) => {
                            out.push(function_member(&f.name, func, f.description.clone()))
                        }
                        other if !colon => out.push(ListedMember {
                            name: f.name.clone(),
                            role: MemberRole::Value,
                            detail: other.to_string(),
                            doc: f.description.clone(),
                            function: None,
                            ty: fty,
                        }),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn function_member(name: &str, f: &Arc<FunctionType>, doc: Option<String>) -> ListedMember {
    ListedMember {
        name: name.to_owned(),
        role: MemberRole::Function,
        detail: Type::Function(f.clone()).to_string(),
        doc,
        function: Some(f.clone()),
        ty: Type::Function(f.clone()),
    }
}

fn interface_members(iface: &Interface, colon: bool, out: &mut Vec<ListedMember>) {
    for (name, m) in &iface.methods {
        out.push(function_member(name, &m.ty, m.description.clone()));
    }
    if !colon {
        for (name, f) in &iface.fields {
            out.push(ListedMember {
                name: name.clone(),
                role: MemberRole::Value,
                detail: f.ty.to_string(),
                doc: f.description.clone(),
                function: None,
                ty: if f.optional {
                    f.ty.clone().optional()
                } else {
                    f.ty.clone()
                },
            });
        }
    }
}

fn interface_member(iface: &Interface, name: &str, colon: bool) -> Lookup {
    if let Some(m) = iface.methods.get(name) {
        return Lookup::Method {
            func: m.ty.clone(),
            owner: iface.name.clone(),
            description: m.description.clone(),
        };
    }
    if let Some(f) = iface.fields.get(name) {
        return Lookup::Found {
            ty: if f.optional {
                f.ty.clone().optional()
            } else {
                f.ty.clone()
            },
            description: f.description.clone(),
        };
    }
    let names = if colon {
        iface.methods.keys().collect::<Vec<_>>()
    } else {
        iface.methods.keys().chain(iface.fields.keys()).collect()
    };
    Lookup::Missing {
        owner: iface.name.clone(),
        is_object: !iface.methods.is_empty(),
        suggestion: suggest(name, names),
    }
}

/// The type of a module-table member; nested tables become namespaces with the dotted path.
pub(crate) fn member_type(module: &str, path: &str, m: &TableMember) -> Type {
    match &m.kind {
        MemberKind::Function(f) => Type::Function(f.clone()),
        MemberKind::Table(t) => Type::Namespace(Arc::new(Namespace {
            path: path.to_owned(),
            module: module.to_owned(),
            table: t.clone(),
        })),
        MemberKind::Constant(t, _) => t.clone(),
    }
}

/// The candidate closest to `name` by edit distance, if close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a String>) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c.clone())
}

/// Edit distance with adjacent transpositions counting as one edit (optimal string
/// alignment): `emial` is one edit from `email`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows: Vec<Vec<usize>> = vec![(0..=b.len()).collect()];
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (rows[i - 1][j - 1] + cost)
                .min(rows[i - 1][j] + 1)
                .min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(rows[i - 2][j - 2] + 1);
            }
        }
        rows.push(cur);
    }
    rows[a.len()][b.len()]
}
