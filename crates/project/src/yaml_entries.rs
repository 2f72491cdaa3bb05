//! Entries from one YAML file (wippy-facts §3.1–3.2, seed "Lua Entry Kinds"): a file has
//! `namespace`, optional file-level `meta` (merged into each entry, entry wins), and either
//! `entries: [...]` or one inline entry; each entry needs `name` and `kind`; the Lua kinds need
//! `source: file://…` and (except `library.lua`) `method`; `file://rel` is relative to the YAML
//! file, `file:///p` to the project root, and a path may not escape the root. Files without a
//! `namespace:` are not entry files and are skipped, as Wippy's loader does.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::entry::{Entry, Import, Pool, Spanned};
use crate::load::ReadError;
use crate::problem::{Problem, ProblemKind};
use crate::yaml::{parse_yaml, YNode, YValue};
use crate::Project;

/// Whether a text looks like an entry file (a top-level `namespace:` line).
fn declares_namespace(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("namespace:"))
}

/// Read the entries of the YAML file at `path` into `project`, in scope `scope`.
pub(crate) fn load_yaml_file(project: &mut Project, path: &Path, scope: usize) {
    let text = match project.read_text(path) {
        Ok(t) => t,
        Err(ReadError::NotUtf8(at)) => {
            // Skipping it would lose every entry silently: a problem at the bad byte instead.
            let lossy = crate::load::read_bytes(path, crate::load::MAX_FILE_BYTES)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            if !declares_namespace(&lossy) {
                return;
            }
            let idx = project.files.add(path.to_path_buf(), lossy);
            let at = at as u32;
            project.problems.push(Problem::new(
                ProblemKind::Yaml,
                idx,
                at..at + 1,
                "invalid YAML: the file is not valid UTF-8 (Wippy reads entry files as UTF-8)",
            ));
            return;
        }
        Err(e @ ReadError::TooLarge(..)) => {
            let idx = project.files.add(path.to_path_buf(), "");
            project.problems.push(Problem::new(
                ProblemKind::Yaml,
                idx,
                0..0,
                format!("entry file not read: {e}"),
            ));
            return;
        }
        Err(_) => return,
    };
    let parsed = parse_yaml(&text);
    let doc = match parsed {
        Ok(Some(doc)) if doc.get("namespace").is_some() => doc,
        Ok(_) => return,
        Err(e) if declares_namespace(&text) => {
            // An error at the end of input points at the end, never past it.
            let len = text.len() as u32;
            let end = (e.offset + 1).min(len);
            let idx = project.files.add(path.to_path_buf(), text);
            project.problems.push(Problem::new(
                ProblemKind::Yaml,
                idx,
                e.offset.min(end)..end,
                format!("invalid YAML: {}", e.message),
            ));
            return;
        }
        Err(_) => return,
    };
    let yaml = project.files.add(path.to_path_buf(), text);
    let ns_node = doc.get("namespace").cloned();
    let Some(ns) = ns_node.as_ref().and_then(|n| n.as_str().map(str::to_owned)) else {
        let span = ns_node.map_or(0..0, |n| n.span);
        project.problems.push(Problem::new(
            ProblemKind::InvalidField,
            yaml,
            span,
            "`namespace` must be a string",
        ));
        return;
    };
    let file_meta = match doc.get("meta").map(YNode::to_json) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let nodes: Vec<YNode> = match doc.get("entries") {
        Some(YNode {
            value: YValue::Seq(items),
            ..
        }) => items.clone(),
        Some(other) => {
            project.problems.push(Problem::new(
                ProblemKind::InvalidField,
                yaml,
                other.span.clone(),
                "`entries` must be a list of entries",
            ));
            return;
        }
        None if doc.get("name").is_some() || doc.get("kind").is_some() => vec![doc.clone()],
        None => Vec::new(),
    };
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let source_root = project
        .scopes
        .get(scope)
        .map_or_else(|| project.root.clone(), |s| s.source_root.clone());
    let file = EntryFile {
        yaml,
        ns: &ns,
        meta: &file_meta,
        dir: &dir,
        root: &source_root,
    };
    for node in &nodes {
        if let Some(mut e) = load_entry(project, &file, node) {
            e.scope = scope;
            project.entries.push(e);
        }
    }
}

/// What the entries of one file share.
struct EntryFile<'a> {
    yaml: usize,
    ns: &'a str,
    meta: &'a Map<String, Value>,
    dir: &'a Path,
    /// What `file:///p` resolves against and sources may not escape.
    root: &'a Path,
}

fn load_entry(project: &mut Project, file: &EntryFile<'_>, node: &YNode) -> Option<Entry> {
    let yaml = file.yaml;
    let YValue::Map(fields) = &node.value else {
        project.problems.push(Problem::new(
            ProblemKind::InvalidField,
            yaml,
            node.span.clone(),
            "an entry must be a mapping with `name` and `kind`",
        ));
        return None;
    };
    let head = node.span.start..node.span.start + 1;
    let missing = |field: &str, project: &mut Project| {
        project.problems.push(Problem::new(
            ProblemKind::MissingField,
            yaml,
            head.clone(),
            format!("entry is missing required field `{field}`"),
        ));
    };
    let name_node = node.get("name");
    let Some(name) = name_node.and_then(YNode::as_str) else {
        missing("name", project);
        return None;
    };
    let span = name_node.map_or(head.clone(), |n| n.span.clone());
    let id = format!("{}:{name}", file.ns);
    let Some(kind) = node.get("kind").and_then(YNode::as_str) else {
        missing("kind", project);
        return None;
    };
    let mut meta = file.meta.clone();
    if let Some(Value::Object(m)) = node.get("meta").map(YNode::to_json) {
        meta.extend(m);
    }
    let data: Map<_, _> = fields
        .iter()
        .filter_map(|(k, v)| k.as_str().map(|k| (k, v)))
        .filter(|(k, _)| !matches!(*k, "name" | "kind" | "meta"))
        .map(|(k, v)| (k.to_owned(), v.to_json()))
        .collect();
    let mut entry = Entry {
        id: id.clone(),
        ns: file.ns.to_owned(),
        name: name.to_owned(),
        kind: kind.to_owned(),
        yaml,
        span,
        source: None,
        bytecode: None,
        method: None,
        modules: Vec::new(),
        imports: Vec::new(),
        pool: data.get("pool").and_then(Pool::from_json),
        scope: 0,
        duplicate: false,
        meta,
        data,
    };
    let Some(lua) = entry.lua_kind().filter(|_| entry.is_lua_source()) else {
        return Some(entry);
    };
    let problem = |kind: ProblemKind, span: Range<u32>, msg: String| {
        Problem::new(kind, yaml, span, msg).in_entry(&id)
    };
    match node.get("source") {
        None => project.problems.push(problem(
            ProblemKind::MissingField,
            entry.span.clone(),
            format!("`{kind}` entry `{id}` has no `source`"),
        )),
        Some(src) => match src.as_str() {
            Some(s) => match resolve_source(project, file.dir, file.root, s) {
                Ok(path) => match project.read_text(&path) {
                    Ok(text) => {
                        let idx = project
                            .files
                            .find(&path)
                            .unwrap_or_else(|| project.files.add(path, text));
                        entry.source = Some((idx, src.span.clone()));
                    }
                    Err(e) => project.problems.push(problem(
                        ProblemKind::BadSource,
                        src.span.clone(),
                        format!("source `{s}` cannot be read: {e}"),
                    )),
                },
                Err(msg) => {
                    project
                        .problems
                        .push(problem(ProblemKind::BadSource, src.span.clone(), msg))
                }
            },
            None => project.problems.push(problem(
                ProblemKind::InvalidField,
                src.span.clone(),
                "`source` must be a string `file://path.lua`".into(),
            )),
        },
    }
    match node.get("method") {
        Some(m) => match m.as_str() {
            Some(s) => {
                entry.method = Some(Spanned {
                    value: s.to_owned(),
                    span: m.span.clone(),
                })
            }
            None => project.problems.push(problem(
                ProblemKind::InvalidField,
                m.span.clone(),
                "`method` must be a string".into(),
            )),
        },
        None if lua.needs_method() => project.problems.push(problem(
            ProblemKind::MissingField,
            entry.span.clone(),
            format!("`{kind}` entry `{id}` has no `method`"),
        )),
        None => {}
    }
    match node.get("modules").map(|m| &m.value) {
        Some(YValue::Seq(items)) => {
            for item in items {
                match item.as_str() {
                    Some(s) => entry.modules.push(Spanned {
                        value: s.to_owned(),
                        span: item.span.clone(),
                    }),
                    None => project.problems.push(problem(
                        ProblemKind::InvalidField,
                        item.span.clone(),
                        "a module name must be a string".into(),
                    )),
                }
            }
        }
        Some(YValue::Null) | None => {}
        Some(_) => {
            let span = node.get("modules").map_or(0..0, |m| m.span.clone());
            project.problems.push(problem(
                ProblemKind::InvalidField,
                span,
                "`modules` must be a list of module names".into(),
            ));
        }
    }
    match node.get("imports").map(|m| &m.value) {
        Some(YValue::Map(pairs)) => {
            for (k, v) in pairs {
                match (k.as_str(), v.as_str()) {
                    (Some(alias), Some(target)) => entry.imports.push(Import {
                        alias: alias.to_owned(),
                        target: Spanned {
                            value: target.to_owned(),
                            span: v.span.clone(),
                        },
                        entry: None,
                        cross_scope: false,
                        external: false,
                    }),
                    _ => project.problems.push(problem(
                        ProblemKind::InvalidField,
                        v.span.clone(),
                        "an import is `alias: namespace:name`".into(),
                    )),
                }
            }
        }
        Some(YValue::Null) | None => {}
        Some(_) => {
            let span = node.get("imports").map_or(0..0, |m| m.span.clone());
            project.problems.push(problem(
                ProblemKind::InvalidField,
                span,
                "`imports` must be a mapping `alias: namespace:name`".into(),
            ));
        }
    }
    Some(entry)
}

/// Resolve `file://rel` (relative to the YAML's directory) or `file:///p` (from `root`, the
/// scope's source root: a lock's source directory, else the project root).
fn resolve_source(project: &Project, dir: &Path, root: &Path, s: &str) -> Result<PathBuf, String> {
    let Some(rest) = s.strip_prefix("file://") else {
        return Err(format!("source `{s}` must start with `file://`"));
    };
    let path = match rest.strip_prefix('/') {
        Some(abs) => root.join(abs),
        None => dir.join(rest),
    };
    let canonical = path.canonicalize().map_err(|_| {
        format!(
            "source file `{s}` does not exist ({})",
            project.files.relative(&path)
        )
    })?;
    if !canonical.starts_with(root) {
        return Err(format!("source `{s}` points outside the project root"));
    }
    Ok(canonical)
}
