//! Luau declaration files (`.d.luau`) in luau-lsp's definition syntax: every module is a
//! `declare <name>: { … }` and every named type a `type <module>_<Name> = { … }`.

use std::fmt::Write;

use super::{is_lua_name, sorted, ExportFile};
use crate::manifest::{Expose, Module};
use crate::types::{FunctionType, Literal, MemberKind, NamedRef, TableDef, Type, TypeDef};

/// A type in Luau syntax; `self_ty` names the receiver type inside an interface.
pub fn luau(t: &Type, self_ty: &str) -> String {
    let go = |t: &Type| luau(t, self_ty);
    match t {
        Type::Any | Type::Namespace(_) => "any".into(),
        Type::Unknown => "unknown".into(),
        Type::Never => "never".into(),
        Type::Nil => "nil".into(),
        Type::Boolean => "boolean".into(),
        Type::Number | Type::Integer | Type::Literal(Literal::Number(_) | Literal::Integer(_)) => {
            "number".into()
        }
        Type::String => "string".into(),
        Type::AnyTable => "{ [any]: any }".into(),
        Type::AnyFunction => "(...any) -> ...any".into(),
        Type::SelfType => self_ty.into(),
        Type::Error => "WippyError".into(),
        Type::Literal(l) => l.to_string(),
        Type::Optional(inner) => match **inner {
            Type::Union(_) | Type::Intersection(_) | Type::Function(_) | Type::AnyFunction => {
                format!("({})?", go(inner))
            }
            _ => format!("{}?", go(inner)),
        },
        Type::Union(ts) => ts
            .iter()
            .map(|t| paren_fn(t, self_ty))
            .collect::<Vec<_>>()
            .join(" | "),
        Type::Intersection(ts) => ts
            .iter()
            .map(|t| paren_fn(t, self_ty))
            .collect::<Vec<_>>()
            .join(" & "),
        Type::Array(e) => format!("{{ {} }}", go(e)),
        Type::Map(k, v) => format!("{{ [{}]: {} }}", go(k), go(v)),
        Type::Record(r) => {
            if r.fields.is_empty() {
                return "{ [any]: any }".into();
            }
            let fields: Vec<String> = r
                .fields
                .iter()
                .map(|f| {
                    let ty = if f.optional {
                        f.ty.clone().optional()
                    } else {
                        f.ty.clone()
                    };
                    format!("{}: {}", field_key(&f.name), go(&ty))
                })
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Type::Function(f) => fun(f, self_ty),
        Type::Named(n) => named(n, self_ty),
        Type::Param(p) => p.to_string(),
    }
}

fn paren_fn(t: &Type, self_ty: &str) -> String {
    match t {
        Type::Function(_) | Type::AnyFunction => format!("({})", luau(t, self_ty)),
        _ => luau(t, self_ty),
    }
}

fn named(n: &NamedRef, self_ty: &str) -> String {
    let mut s = type_name(n.module.as_deref(), &n.name);
    if !n.args.is_empty() {
        s.push('<');
        s.push_str(
            &n.args
                .iter()
                .map(|a| luau(a, self_ty))
                .collect::<Vec<_>>()
                .join(", "),
        );
        s.push('>');
    }
    s
}

/// `sql.DB` → `sql_DB`.
pub fn type_name(module: Option<&str>, name: &str) -> String {
    match module {
        Some(m) => format!("{m}_{name}"),
        None => name.to_owned(),
    }
}

fn field_key(name: &str) -> String {
    if is_lua_name(name) {
        name.to_owned()
    } else {
        format!("[{name:?}]")
    }
}

fn fun(f: &FunctionType, self_ty: &str) -> String {
    let mut params: Vec<String> = f
        .params
        .iter()
        .map(|p| match &p.name {
            Some(n) if is_lua_name(n) || n == "self" => format!("{n}: {}", luau(&p.ty, self_ty)),
            _ => luau(&p.ty, self_ty),
        })
        .collect();
    if let Some(v) = &f.variadic {
        params.push(format!("...{}", luau(v, self_ty)));
    }
    let mut rets: Vec<String> = f.returns.iter().map(|t| luau(t, self_ty)).collect();
    if let Some(v) = &f.returns_variadic {
        rets.push(format!("...{}", luau(v, self_ty)));
    }
    let ret = match rets.as_slice() {
        [one] if !one.starts_with("...") && !one.contains("->") => one.clone(),
        _ => format!("({})", rets.join(", ")),
    };
    format!("({}) -> {ret}", params.join(", "))
}

fn table(t: &TableDef, indent: usize) -> String {
    let pad = "    ".repeat(indent + 1);
    let mut out = String::from("{\n");
    for (name, m) in &t.members {
        let ty = match &m.kind {
            MemberKind::Function(f) => fun(f, "any"),
            MemberKind::Table(sub) => table(sub, indent + 1),
            MemberKind::Constant(ty, _) => luau(ty, "any"),
        };
        if let Some(d) = &m.description {
            let _ = writeln!(out, "{pad}-- {}", d.lines().next().unwrap_or(""));
        }
        let _ = writeln!(out, "{pad}{}: {ty},", field_key(name));
    }
    out.push_str(&"    ".repeat(indent));
    out.push('}');
    out
}

/// The declaration file of one module.
pub fn module_file(m: &Module) -> ExportFile {
    let mut out = format!("-- Wippy module `{}`", m.name);
    if let Some(d) = &m.description {
        let _ = write!(out, ": {}", d.lines().next().unwrap_or(""));
    }
    out.push_str("\n\n");
    for (name, def) in &m.types {
        let tname = type_name(Some(&m.name), name);
        match def {
            TypeDef::Alias {
                type_params, ty, ..
            } => {
                let g = crate::render::generic_list(type_params.iter().map(|p| p.name.as_str()));
                let _ = writeln!(out, "type {tname}{g} = {}\n", luau(ty, &tname));
            }
            TypeDef::Interface(i) => {
                let g = crate::render::generic_list(i.type_params.iter().map(|p| p.name.as_str()));
                let self_ty = format!("{tname}{g}");
                let _ = writeln!(out, "type {self_ty} = {{");
                for (fname, f) in &i.fields {
                    let ty = if f.optional {
                        f.ty.clone().optional()
                    } else {
                        f.ty.clone()
                    };
                    let _ = writeln!(out, "    {}: {},", field_key(fname), luau(&ty, &self_ty));
                }
                for (mname, method) in &i.methods {
                    let _ = writeln!(
                        out,
                        "    {}: {},",
                        field_key(mname),
                        fun(&method.ty, &self_ty)
                    );
                }
                let _ = writeln!(out, "}}\n");
            }
        }
    }
    match m.expose {
        Expose::Spread => {
            for (name, mem) in &m.table.members {
                let ty = match &mem.kind {
                    MemberKind::Function(f) => fun(f, "any"),
                    MemberKind::Table(sub) => table(sub, 0),
                    MemberKind::Constant(ty, _) => luau(ty, "any"),
                };
                if is_lua_name(name) {
                    let _ = writeln!(out, "declare {name}: {ty}");
                }
            }
        }
        _ => {
            let name = if is_lua_name(&m.name) {
                m.name.clone()
            } else {
                format!("wippy_{}", m.name)
            };
            match &m.export {
                Some(export) => {
                    let _ = writeln!(out, "declare {name}: {}", type_name(Some(&m.name), export));
                }
                None => {
                    let _ = writeln!(out, "declare {name}: {}", table(&m.table, 0));
                }
            }
        }
    }
    ExportFile {
        name: format!("{}.d.luau", m.name),
        text: out,
    }
}

/// One `.d.luau` per module, plus `wippy.d.luau` with the `WippyError` type.
pub fn export<'a>(
    modules: impl IntoIterator<Item = &'a std::sync::Arc<Module>>,
) -> Vec<ExportFile> {
    let mut files = vec![ExportFile {
        name: "wippy.d.luau".into(),
        text: "-- The structured Wippy error value.\ntype WippyError = {\n    kind: (self: WippyError) -> string,\n    message: (self: WippyError) -> string,\n    retryable: (self: WippyError) -> boolean,\n    details: (self: WippyError) -> { [string]: any },\n    stack: (self: WippyError) -> string,\n}\n".into(),
    }];
    files.extend(sorted(modules).into_iter().map(module_file));
    files
}
