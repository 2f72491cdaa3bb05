//! Entry definitions: the project loader's problems as `Y0001`–`Y0008` (bad YAML, missing or
//! invalid fields, unreadable sources, bad imports, duplicate ids), and `Y0007`: the entry's
//! `method` is not a field of the table its source returns.

use project::{Entry, LuaKind, Project};
use typedefs::Type;

use crate::diagnostic::Diagnostic;
use crate::registry::Code;

/// The loader's problems of `project`, as diagnostics.
pub fn load_problems(project: &Project) -> Vec<Diagnostic> {
    project.problems.iter().map(Diagnostic::from).collect()
}

/// `Y0007`: the entry's `method` is not exported by its source (`exports`: the type the chunk
/// returns, `None` when it returns nothing).
pub fn method_check(e: &Entry, exports: Option<&Type>, parse_failed: bool) -> Vec<Diagnostic> {
    let Some(method) = &e.method else {
        return Vec::new();
    };
    if parse_failed || e.lua_kind() == Some(LuaKind::Library) {
        return Vec::new();
    }
    let msg = match exports {
        Some(Type::Record(r)) if r.closed() && r.field(&method.value).is_none() => {
            let names: Vec<String> = r.fields.iter().map(|f| f.name.clone()).collect();
            let mut m = format!(
                "method `{}` is not exported by the source of `{}`",
                method.value, e.id
            );
            if let Some(s) = typedefs::suggest(&method.value, &names) {
                m.push_str(&format!("; did you mean `{s}`?"));
            }
            m
        }
        None => format!(
            "the source of `{}` returns no table, so method `{}` cannot be called",
            e.id, method.value
        ),
        _ => return Vec::new(),
    };
    let mut d = Diagnostic::new(Code::Y0007, e.yaml, method.span.clone(), msg);
    d.entry_id = Some(e.id.clone());
    vec![d]
}
