//! LuaCATS `---@meta` files, one per module, as lua-language-server and EmmyLua read them, so
//! `require("json")` completes in those editors. Names of named types keep their module prefix
//! (`---@class sql.DB`); the Wippy error value is the class `wippy.Error` (file `wippy.lua`).

use std::fmt::Write;

use super::{is_lua_name, sorted, split_members, ExportFile, STDLIB};
use crate::manifest::{Expose, Module};
use crate::types::{FunctionType, Literal, MemberKind, TableDef, Type, TypeDef};

/// A type in LuaCATS syntax.
pub fn cats(t: &Type) -> String {
    match t {
        Type::Any | Type::Unknown | Type::Never | Type::Namespace(_) | Type::Intersection(_) => {
            "any".into()
        }
        Type::Nil => "nil".into(),
        Type::Boolean => "boolean".into(),
        Type::Number => "number".into(),
        Type::Integer => "integer".into(),
        Type::String => "string".into(),
        Type::AnyTable => "table".into(),
        Type::AnyFunction => "function".into(),
        Type::SelfType => "self".into(),
        Type::Error => "wippy.Error".into(),
        Type::Literal(Literal::Number(_)) => "number".into(),
        Type::Literal(l) => l.to_string(),
        Type::Optional(inner) => match **inner {
            Type::Union(_) | Type::Function(_) => format!("({})?", cats(inner)),
            _ => format!("{}?", cats(inner)),
        },
        Type::Union(ts) => ts
            .iter()
            .map(|t| {
                if matches!(t, Type::Function(_)) {
                    format!("({})", cats(t))
                } else {
                    cats(t)
                }
            })
            .collect::<Vec<_>>()
            .join("|"),
        Type::Array(e) => match **e {
            Type::Union(_) | Type::Optional(_) | Type::Function(_) => format!("({})[]", cats(e)),
            _ => format!("{}[]", cats(e)),
        },
        Type::Map(k, v) => format!("table<{}, {}>", cats(k), cats(v)),
        Type::Record(r) => {
            if r.fields.is_empty() {
                return "table".into();
            }
            let fields: Vec<String> = r
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}{}: {}",
                        f.name,
                        if f.optional { "?" } else { "" },
                        cats(&f.ty)
                    )
                })
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Type::Function(f) => fun(f),
        Type::Named(n) => {
            let mut s = n.qualified();
            if !n.args.is_empty() {
                s.push('<');
                s.push_str(&n.args.iter().map(cats).collect::<Vec<_>>().join(", "));
                s.push('>');
            }
            s
        }
        Type::Param(p) => p.to_string(),
    }
}

fn fun(f: &FunctionType) -> String {
    let mut params: Vec<String> = f
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}: {}", param_name(p.name.as_deref(), i), cats(&p.ty)))
        .collect();
    if let Some(v) = &f.variadic {
        params.push(format!("...: {}", cats(v)));
    }
    let rets = returns(f);
    if rets.is_empty() {
        format!("fun({})", params.join(", "))
    } else {
        format!("fun({}): {}", params.join(", "), rets.join(", "))
    }
}

fn returns(f: &FunctionType) -> Vec<String> {
    let mut r: Vec<String> = f.returns.iter().map(cats).collect();
    if let Some(v) = &f.returns_variadic {
        r.push(format!("{}...", cats(v)));
    }
    r
}

fn param_name(name: Option<&str>, i: usize) -> String {
    match name {
        Some(n) if is_lua_name(n) => n.to_owned(),
        Some(n) => format!("{n}_"),
        None => format!("arg{}", i + 1),
    }
}

fn description(out: &mut String, d: &Option<String>) {
    if let Some(d) = d {
        for line in d.lines() {
            let _ = writeln!(out, "---{line}");
        }
    }
}

/// `---@param`/`---@return`/`---@overload` lines and the `function … end` stub.
fn function(
    out: &mut String,
    path: &str,
    sep: &str,
    name: &str,
    f: &FunctionType,
    desc: &Option<String>,
    method: bool,
) {
    description(out, desc);
    let params = if method && f.is_method() {
        &f.params[1..]
    } else {
        &f.params[..]
    };
    let mut names = Vec::new();
    for (i, p) in params.iter().enumerate() {
        let n = param_name(p.name.as_deref(), i);
        let opt = if p.ty.admits_nil() && !matches!(p.ty, Type::Any | Type::Unknown) {
            "?"
        } else {
            ""
        };
        let _ = writeln!(out, "---@param {n}{opt} {}", cats(&p.ty.non_nil()));
        names.push(n);
    }
    if let Some(v) = &f.variadic {
        let _ = writeln!(out, "---@param ... {}", cats(v));
        names.push("...".into());
    }
    for r in returns(f) {
        let _ = writeln!(out, "---@return {r}");
    }
    let required = params
        .iter()
        .rposition(|p| !p.ty.admits_nil())
        .map_or(0, |i| i + 1);
    if required < params.len() && f.variadic.is_none() {
        let short = FunctionType {
            params: params[..required].to_vec(),
            ..f.clone()
        };
        let _ = writeln!(out, "---@overload {}", fun(&short));
    }
    let fname = if is_lua_name(name) {
        format!("{path}{sep}{name}")
    } else {
        format!("{path}[{name:?}]")
    };
    let fname = if !is_lua_name(name) && sep == ":" {
        format!("{path}[{name:?}]")
    } else {
        fname
    };
    let _ = writeln!(out, "function {fname}({}) end\n", names.join(", "));
}

fn table(out: &mut String, path: &str, class: Option<&str>, t: &TableDef) {
    let (funcs, tables, consts) = split_members(&t.members);
    for (name, m) in funcs {
        if let MemberKind::Function(f) = &m.kind {
            function(out, path, ".", name, f, &m.description, false);
        }
    }
    for (name, m) in consts {
        if let MemberKind::Constant(ty, value) = &m.kind {
            description(out, &m.description);
            let _ = writeln!(out, "---@type {}", cats(ty));
            let v = value.as_ref().map_or("nil".to_owned(), lua_value);
            let _ = writeln!(out, "{} = {v}\n", member_path(path, name));
        }
    }
    for (name, m) in tables {
        if let MemberKind::Table(sub) = &m.kind {
            let sub_path = member_path(path, name);
            description(out, &m.description);
            if let Some(c) = class {
                let _ = writeln!(out, "---@class {c}.{name}");
            }
            let _ = writeln!(out, "{sub_path} = {{}}\n");
            table(
                out,
                &sub_path,
                class.map(|c| format!("{c}.{name}")).as_deref(),
                sub,
            );
        }
    }
}

fn member_path(path: &str, name: &str) -> String {
    if is_lua_name(name) {
        format!("{path}.{name}")
    } else {
        format!("{path}[{name:?}]")
    }
}

fn lua_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => format!("{s:?}"),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        _ => "nil".into(),
    }
}

/// The `---@meta` file of one module.
pub fn module_file(m: &Module) -> ExportFile {
    let mut out = format!("---@meta {}\n\n", m.name);
    let stdlib = STDLIB.contains(&m.name.as_str());
    let var = if is_lua_name(&m.name) {
        m.name.clone()
    } else {
        "M".into()
    };
    match m.expose {
        Expose::Spread => {
            description(&mut out, &m.description);
            let (funcs, _, consts) = split_members(&m.table.members);
            for (name, mem) in funcs {
                if let MemberKind::Function(f) = &mem.kind {
                    let mut s = String::new();
                    function(&mut s, "", "", name, f, &mem.description, false);
                    out.push_str(&s);
                }
            }
            for (name, mem) in consts {
                if let MemberKind::Constant(ty, _) = &mem.kind {
                    description(&mut out, &mem.description);
                    let _ = writeln!(out, "---@type {}\n{name} = nil\n", cats(ty));
                }
            }
        }
        _ => {
            description(&mut out, &m.description);
            let global = m.expose == Expose::Global;
            if let Some(export) = &m.export {
                let _ = writeln!(out, "---@type {}.{export}", m.name);
            } else if !stdlib {
                let _ = writeln!(out, "---@class {}", m.name);
            }
            if global {
                let _ = writeln!(out, "{var} = {var} or {{}}\n");
            } else {
                let _ = writeln!(out, "local {var} = {{}}\n");
            }
            table(
                &mut out,
                &var,
                (!stdlib).then_some(m.name.as_str()),
                &m.table,
            );
        }
    }
    for (name, def) in &m.types {
        let class = format!("{}.{name}", m.name);
        match def {
            TypeDef::Alias {
                ty, description: d, ..
            } => {
                description(&mut out, d);
                let _ = writeln!(out, "---@alias {class} {}\n", cats(ty));
            }
            TypeDef::Interface(i) => {
                description(&mut out, &i.description);
                let generics =
                    crate::render::generic_list(i.type_params.iter().map(|p| p.name.as_str()));
                let _ = writeln!(out, "---@class {class}{generics}");
                for (fname, f) in &i.fields {
                    let opt = if f.optional { "?" } else { "" };
                    let d = f
                        .description
                        .as_deref()
                        .map_or(String::new(), |d| format!(" {d}"));
                    let _ = writeln!(out, "---@field {fname}{opt} {}{d}", cats(&f.ty));
                }
                let local = format!("{}_{name}", var);
                let _ = writeln!(out, "local {local} = {{}}\n");
                for (mname, method) in &i.methods {
                    function(
                        &mut out,
                        &local,
                        ":",
                        mname,
                        &method.ty,
                        &method.description,
                        true,
                    );
                }
            }
        }
    }
    if m.expose == Expose::Require {
        let _ = writeln!(out, "return {var}");
    }
    ExportFile {
        name: format!("{}.lua", m.name),
        text: out,
    }
}

/// One `---@meta` file per module, plus `wippy.lua` defining `wippy.Error`.
pub fn export<'a>(
    modules: impl IntoIterator<Item = &'a std::sync::Arc<Module>>,
) -> Vec<ExportFile> {
    let mut files = vec![ExportFile {
        name: "wippy.lua".into(),
        text: "---@meta wippy\n\n---A structured Wippy error value.\n---@class wippy.Error\nlocal Error = {}\n\n---@return string\nfunction Error:kind() end\n\n---@return string\nfunction Error:message() end\n\n---@return boolean\nfunction Error:retryable() end\n\n---@return table<string, any>\nfunction Error:details() end\n\n---@return string\nfunction Error:stack() end\n".into(),
    }];
    files.extend(sorted(modules).into_iter().map(module_file));
    files
}
