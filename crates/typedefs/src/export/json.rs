//! Modules back to the JSON manifest format: every type rendered in Wippy type syntax, keys in
//! name order, so `to_manifest(load(x))` is canonical and loading it again gives the same module.

use std::collections::BTreeMap;

use crate::manifest::{ConstantFile, Doc, ManifestFile, Module, TableFile, TypeFile};
use crate::types::{MemberKind, TableDef, Type, TypeDef};

fn doc(ty: String, description: &Option<String>) -> Doc {
    match description {
        Some(d) => Doc::Full {
            ty,
            description: Some(d.clone()),
        },
        None => Doc::Bare(ty),
    }
}

/// Render a type for a manifest: references to the module's own types lose their qualifier.
fn render(t: &Type, module: &str) -> String {
    let own = format!("{module}.");
    let text = t.to_string();
    strip_own(&text, &own)
}

/// Remove `module.` before the module's own type names (not inside string literals).
fn strip_own(text: &str, own: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_str = false;
    let mut i = 0;
    let b = text.as_bytes();
    while i < text.len() {
        let c = b[i];
        if c == b'"' && (i == 0 || b[i - 1] != b'\\') {
            in_str = !in_str;
        }
        let boundary =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.');
        if !in_str && boundary && text[i..].starts_with(own) {
            i += own.len();
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn table(t: &TableDef, module: &str) -> TableFile {
    let mut out = TableFile {
        description: t.description.clone(),
        ..TableFile::default()
    };
    for (name, m) in &t.members {
        match &m.kind {
            MemberKind::Function(f) => {
                out.functions.insert(
                    name.clone(),
                    doc(render(&Type::Function(f.clone()), module), &m.description),
                );
            }
            MemberKind::Table(sub) => {
                let mut sub = table(sub, module);
                sub.description.clone_from(&m.description);
                out.tables.insert(name.clone(), sub);
            }
            MemberKind::Constant(ty, value) => {
                let ty = render(ty, module);
                let c = if value.is_none() && m.description.is_none() {
                    ConstantFile::Bare(ty)
                } else {
                    ConstantFile::Full {
                        ty,
                        value: value.clone(),
                        description: m.description.clone(),
                    }
                };
                out.constants.insert(name.clone(), c);
            }
        }
    }
    out
}

/// Convert a loaded module back to its manifest.
pub fn to_manifest(m: &Module) -> ManifestFile {
    let root = table(&m.table, &m.name);
    let mut types = BTreeMap::new();
    for (name, def) in &m.types {
        let t = match def {
            TypeDef::Alias {
                type_params,
                ty,
                description,
            } => TypeFile {
                ty: Some(render(ty, &m.name)),
                description: description.clone(),
                type_params: type_params.iter().map(|p| p.name.clone()).collect(),
                ..TypeFile::default()
            },
            TypeDef::Interface(i) => TypeFile {
                ty: None,
                description: i.description.clone(),
                type_params: i.type_params.iter().map(|p| p.name.clone()).collect(),
                methods: i
                    .methods
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            doc(
                                render(&Type::Function(v.ty.clone()), &m.name),
                                &v.description,
                            ),
                        )
                    })
                    .collect(),
                fields: i
                    .fields
                    .iter()
                    .map(|(k, f)| {
                        let ty = if f.optional {
                            f.ty.clone().optional()
                        } else {
                            f.ty.clone()
                        };
                        (k.clone(), doc(render(&ty, &m.name), &f.description))
                    })
                    .collect(),
            },
        };
        types.insert(name.clone(), t);
    }
    ManifestFile {
        name: m.name.clone(),
        description: m.description.clone(),
        classes: m.classes.clone(),
        expose: m.expose,
        environments: m.environments.clone(),
        export: m.export.clone(),
        functions: root.functions,
        tables: root.tables,
        constants: root.constants,
        types,
    }
}

/// The manifest as pretty-printed JSON text (with a final newline).
pub fn to_json_text(m: &Module) -> String {
    let mut s = serde_json::to_string_pretty(&to_manifest(m)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_own_qualifiers() {
        assert_eq!(
            strip_own("(x: sql.DB, y: \"sql.DB\") -> mysql.DB", "sql."),
            "(x: DB, y: \"sql.DB\") -> mysql.DB"
        );
    }
}
