//! `_index.yaml` in the editor: completion (`kind:` values, `modules:` names, `imports:`
//! targets, `method:` names the source exports), definition (`source: file://…` → the file,
//! `method: name` → the function), and the text of an entry's block (for symbols and for the
//! "add to `modules:`" code action). YAML is read line by line here, as typed: it need not
//! parse.

use std::ops::Range;
use std::path::{Path, PathBuf};

use project::Project;
use tower_lsp::lsp_types::{CompletionItem, CompletionItemKind};
use typedefs::{MemberRole, ModuleSet, Type};

use crate::complete::{markdown, plain};
use crate::navigate::{find_definition, Place};
use crate::workspace::canonical;

/// Entry kinds offered after `kind:` (the Lua kinds first; wippy-facts §3).
const KINDS: &[&str] = &[
    "function.lua",
    "library.lua",
    "process.lua",
    "workflow.lua",
    "http.service",
    "http.router",
    "http.endpoint",
    "http.static",
    "registry.entry",
    "env.variable",
    "template.jet",
    "security.policy",
    "fs.directory",
    "db.sql.sqlite",
    "db.sql.postgres",
    "process.host",
    "process.service",
    "contract.definition",
    "contract.binding",
    "queue.consumer",
    "ns.definition",
    "ns.dependency",
    "ns.requirement",
    "store.memory",
];

/// The YAML key whose value or list the cursor is in: `kind`, `modules`, `method` on the
/// cursor's line, else the key of the nearest line above with less indentation (so an alias
/// line inside `imports:` and a `- item` under `modules:` find their list).
fn yaml_key(text: &str, offset: usize) -> Option<String> {
    let key_of = |line: &str| -> Option<String> {
        let t = line.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let (k, _) = t.split_once(':')?;
        (!k.is_empty() && !k.contains([' ', '[', '{', '"', '\''])).then(|| k.to_owned())
    };
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    if let Some(k) =
        key_of(line).filter(|k| ["kind", "modules", "method", "imports"].contains(&k.as_str()))
    {
        return Some(k);
    }
    let indent = line.len() - line.trim_start().len();
    let mut end = line_start;
    while end > 0 {
        let prev_start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let prev = &text[prev_start..end - 1];
        let pi = prev.len() - prev.trim_start().len();
        if !prev.trim().is_empty() && pi < indent {
            return key_of(prev);
        }
        end = prev_start;
    }
    None
}

/// The byte range of the entry block (a `- name:` item of `entries:`) around `offset`.
pub fn entry_block(text: &str, offset: usize) -> Option<Range<usize>> {
    let offset = offset.min(text.len());
    let line_start = |i: usize| text[..i].rfind('\n').map_or(0, |p| p + 1);
    let is_item = |l: &str| l.trim_start().starts_with("- ") && l.contains("name:");
    let mut start = line_start(offset);
    loop {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if is_item(&text[start..end]) {
            break;
        }
        if start == 0 {
            return None;
        }
        start = line_start(start - 1);
    }
    let first = &text[start..];
    let indent = first.len() - first.trim_start().len();
    let mut end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    while end < text.len() {
        let next = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        let line = &text[end..next];
        let li = line.len() - line.trim_start().len();
        if !line.trim().is_empty() && li <= indent {
            break;
        }
        end = next;
    }
    Some(start..end)
}

/// The file a `source: file://…` value names, from the YAML file at `path`.
fn source_path(path: &Path, value: &str) -> Option<PathBuf> {
    let rel = value
        .trim()
        .trim_matches(['"', '\''])
        .strip_prefix("file://")?;
    Some(canonical(&path.parent()?.join(rel)))
}

/// The `source:` of the entry around `offset`, resolved against the YAML file's directory.
pub fn entry_source(text: &str, offset: usize, path: &Path) -> Option<PathBuf> {
    let block = &text[entry_block(text, offset)?];
    let src = block
        .lines()
        .find_map(|l| l.trim().trim_start_matches("- ").strip_prefix("source:"))?;
    source_path(path, src)
}

/// Completion items at byte `offset` of an `_index.yaml`; `exports` gives what a Lua file
/// returns (for `method:`).
pub fn complete(
    project: Option<&Project>,
    modules: &ModuleSet,
    path: &Path,
    text: &str,
    offset: usize,
    exports: &dyn Fn(&Path) -> Option<Type>,
) -> Vec<CompletionItem> {
    let Some(key) = yaml_key(text, offset) else {
        return Vec::new();
    };
    match key.as_str() {
        "kind" => KINDS
            .iter()
            .map(|k| {
                plain(
                    k,
                    CompletionItemKind::ENUM_MEMBER,
                    Some("entry kind".into()),
                )
            })
            .collect(),
        "modules" => modules
            .iter()
            .filter(|m| m.expose == typedefs::Expose::Require)
            .map(|m| {
                let mut item = plain(&m.name, CompletionItemKind::MODULE, Some("module".into()));
                item.documentation = markdown(m.description.as_deref());
                item
            })
            .collect(),
        "imports" => project
            .map(|p| {
                p.entries
                    .iter()
                    .filter(|e| e.kind.starts_with("library.lua"))
                    .map(|e| plain(&e.id, CompletionItemKind::REFERENCE, Some(e.kind.clone())))
                    .collect()
            })
            .unwrap_or_default(),
        "method" => {
            let Some(src) = entry_source(text, offset, path) else {
                return Vec::new();
            };
            exports(&src)
                .map(|t| {
                    modules
                        .members(&t, false, None)
                        .into_iter()
                        .filter(|m| m.role == MemberRole::Function)
                        .map(|m| plain(&m.name, CompletionItemKind::FUNCTION, Some(m.detail)))
                        .collect()
                })
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// Definition from an `_index.yaml`: `source: file://…` → the file; `method: name` → the
/// function in the entry's source (`read` gives a file's current text).
pub fn definition(
    path: &Path,
    text: &str,
    offset: usize,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Option<Place> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[line_start..line_end]
        .trim_start()
        .trim_start_matches("- ");
    if let Some(v) = line.strip_prefix("source:") {
        return Some(Place {
            path: source_path(path, v)?,
            span: 0..0,
        });
    }
    let method = line
        .strip_prefix("method:")?
        .trim()
        .trim_matches(['"', '\'']);
    let src = entry_source(text, offset, path)?;
    let src_text = read(&src)?;
    let span = find_definition(&src_text, method).unwrap_or(0..0);
    Some(Place { path: src, span })
}

/// The edit that adds `module` to the `modules:` of the entry block around `offset` of a YAML
/// text: (byte range to replace, new text). Handles `modules: [a, b]`, a block list, and an
/// entry without `modules:` (a line is added after `kind:`).
pub fn add_module_edit(text: &str, offset: usize, module: &str) -> Option<(Range<usize>, String)> {
    let block = entry_block(text, offset)?;
    let body = &text[block.clone()];
    let mut line_at = block.start;
    let mut kind_line_end = None;
    let mut item_indent = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let key = trimmed.trim_start_matches("- ");
        let key_indent = indent + (trimmed.len() - key.len());
        item_indent.get_or_insert(key_indent);
        if let Some(v) = key.strip_prefix("modules:") {
            let v = v.trim_end();
            if let Some(open) = v.find('[') {
                let close = v.rfind(']')?;
                let inner = v[open + 1..close].trim();
                let at = line_at
                    + (line.len() - trimmed.len())
                    + (trimmed.len() - key.len())
                    + "modules:".len()
                    + close;
                let insert = if inner.is_empty() {
                    module.to_owned()
                } else {
                    format!(", {module}")
                };
                return Some((at..at, insert));
            }
            if v.trim().is_empty() {
                // A block list: add an item after the last one.
                let mut end = line_at + line.len();
                let mut dash_indent = key_indent + 2;
                for next in text[end..block.end].split_inclusive('\n') {
                    let t = next.trim_start();
                    if !t.starts_with("- ") {
                        break;
                    }
                    dash_indent = next.len() - t.len();
                    end += next.len();
                }
                let nl = if text[..end].ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                return Some((
                    end..end,
                    format!("{nl}{}- {module}\n", " ".repeat(dash_indent)),
                ));
            }
            return None;
        }
        if key.starts_with("kind:") {
            kind_line_end = Some(line_at + line.len());
        }
        line_at += line.len();
    }
    let at = kind_line_end?;
    let nl = if text[..at].ends_with('\n') { "" } else { "\n" };
    Some((
        at..at,
        format!("{nl}{}modules: [{module}]\n", " ".repeat(item_indent?)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "version: \"1.0\"\nnamespace: app\n\nentries:\n  - name: a\n    kind: function.lua\n    source: file://a.lua\n    modules: [json]\n\n  - name: b\n    kind: function.lua\n    source: file://b.lua\n    modules:\n      - json\n      - sql\n  - name: c\n    kind: function.lua\n    source: file://c.lua\n";

    fn apply(text: &str, (r, s): (Range<usize>, String)) -> String {
        format!("{}{s}{}", &text[..r.start], &text[r.end..])
    }

    #[test]
    fn modules_are_added_to_flow_and_block_lists_and_to_entries_without_one() {
        let at = |n: &str| YAML.find(n).unwrap();
        let a = apply(YAML, add_module_edit(YAML, at("file://a"), "hash").unwrap());
        assert!(a.contains("modules: [json, hash]\n"), "{a}");
        let b = apply(YAML, add_module_edit(YAML, at("file://b"), "hash").unwrap());
        assert!(b.contains("      - sql\n      - hash\n  - name: c"), "{b}");
        let c = apply(YAML, add_module_edit(YAML, at("file://c"), "hash").unwrap());
        assert!(
            c.ends_with("    kind: function.lua\n    modules: [hash]\n    source: file://c.lua\n"),
            "{c}"
        );
        assert_eq!(
            entry_source(YAML, at("file://b"), Path::new("/p/_index.yaml")),
            Some(PathBuf::from("/p/b.lua"))
        );
    }
}
