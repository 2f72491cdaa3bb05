//! The project loader: entries from every `*.yaml`/`*.yml` with a `namespace:` header, and Wraith
//! twins (`<twin>/lua/handlers/*.lua|*.luau`, libraries in `<twin>/lua/lib/`).
//!
//! Rules (wippy-facts §3.1–3.2, seed "Lua Entry Kinds"): a file has `namespace`, optional
//! file-level `meta` (merged into each entry, entry wins), and either `entries: [...]` or one inline
//! entry; each entry needs `name` and `kind`; the Lua kinds need `source: file://…` and (except
//! `library.lua`) `method`; `file://rel` is relative to the YAML file, `file:///p` to the project
//! root, and a path may not escape the root. Problems are `Y00xx` diagnostics on the YAML.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::files::Files;
use crate::yaml::{parse_yaml, YNode, YValue};

/// The Lua entry kinds (their `.bc` counterparts are produced by `wippy pack --bytecode`).
pub const LUA_KINDS: &[&str] = &["function.lua", "process.lua", "workflow.lua", "library.lua"];

/// A `[value, span]` pair from YAML.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Byte range in the YAML file.
    pub span: Range<u32>,
}

/// One entry of an entry file.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `namespace:name`.
    pub id: String,
    /// Namespace.
    pub ns: String,
    /// Name.
    pub name: String,
    /// Kind (`function.lua`, `http.endpoint`, …).
    pub kind: String,
    /// Index of the YAML file in [`Files`].
    pub yaml: usize,
    /// Span of the entry in the YAML (the `name` value, for messages).
    pub span: Range<u32>,
    /// For Lua kinds: the resolved source file (index in [`Files`]) and the span of `source:`.
    pub source: Option<(usize, Range<u32>)>,
    /// `method:`.
    pub method: Option<Spanned<String>>,
    /// `modules:`.
    pub modules: Vec<Spanned<String>>,
    /// `imports:` in file order.
    pub imports: Vec<Import>,
    /// Index of the project scope (see [`Project::scopes`]) the entry's file belongs to.
    pub scope: usize,
    /// Another entry of the same scope has this id (reported as `Y0006`; not checked again).
    pub duplicate: bool,
    /// Merged `meta` (file-level meta, overridden by the entry's).
    pub meta: serde_json::Map<String, serde_json::Value>,
    /// Every other field of the entry, as data (`source` as written).
    pub data: serde_json::Map<String, serde_json::Value>,
}

impl Entry {
    /// Whether this is a Lua entry kind.
    pub fn is_lua(&self) -> bool {
        LUA_KINDS.contains(&self.kind.as_str())
    }
}

/// One `imports:` item.
#[derive(Clone, Debug)]
pub struct Import {
    /// The alias (`require("alias")`).
    pub alias: String,
    /// The target id (`ns:name`) and its span in the YAML.
    pub target: Spanned<String>,
    /// The entry it resolves to (index in [`Project::entries`]), if it is in the tree.
    pub entry: Option<usize>,
    /// It resolved to an entry of another project scope (e.g. a module's source beside its
    /// test app), whose version may differ from the dependency the project really uses.
    pub cross_scope: bool,
    /// Its namespace is not in the project (a dependency module): its exports and `_G`
    /// writes are unknown.
    pub external: bool,
}

/// A Wraith twin found under the project.
#[derive(Clone, Debug)]
pub struct Twin {
    /// Twin name (its directory name).
    pub name: String,
    /// The twin directory.
    pub dir: PathBuf,
    /// Handlers: name (file stem) → file index.
    pub handlers: BTreeMap<String, usize>,
    /// Libraries for `wraith.import`: name (file stem) → file index.
    pub libs: BTreeMap<String, usize>,
}

/// A loaded project.
#[derive(Debug, Default)]
pub struct Project {
    /// The root directory.
    pub root: PathBuf,
    /// Every file read.
    pub files: Files,
    /// Entries in file order.
    pub entries: Vec<Entry>,
    /// Twins.
    pub twins: Vec<Twin>,
    /// YAML-level diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Project roots found under the root: a directory with `wippy.lock`, `wippy.yaml` or
    /// `.wippy.yaml`, else the parent of a `src` directory, else the root. Entry ids are unique
    /// per scope, so a tree holding several projects (examples, module test apps) loads whole.
    pub scopes: Vec<PathBuf>,
    /// Texts that replace files on disk while loading (an editor's unsaved buffers), by
    /// canonical path.
    pub overlay: HashMap<PathBuf, Arc<str>>,
}

impl Project {
    /// Resolve an entry id as seen from `scope`: an entry of the same scope first, else any.
    pub fn resolve(&self, scope: usize, id: &str) -> Option<usize> {
        let mut any = None;
        for (i, e) in self.entries.iter().enumerate() {
            if e.id == id {
                if e.scope == scope {
                    return Some(i);
                }
                any = any.or(Some(i));
            }
        }
        any
    }
}

const PROJECT_MARKERS: &[&str] = &["wippy.lock", "wippy.yaml", ".wippy.yaml"];

/// The scope directory of a YAML file (see [`Project::scopes`]).
fn scope_dir(root: &Path, yaml: &Path) -> PathBuf {
    let mut src_parent = None;
    let mut dir = yaml.parent();
    while let Some(d) = dir {
        if !d.starts_with(root) {
            break;
        }
        if PROJECT_MARKERS.iter().any(|m| d.join(m).is_file()) {
            return d.to_path_buf();
        }
        if src_parent.is_none() && d.file_name().is_some_and(|n| n == "src") {
            src_parent = d.parent().map(Path::to_path_buf);
        }
        if d == root {
            break;
        }
        dir = d.parent();
    }
    src_parent
        .filter(|p| p.starts_with(root))
        .unwrap_or_else(|| root.to_path_buf())
}

/// A project could not be loaded at all (the path is unreadable).
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const SKIP_DIRS: &[&str] = &["node_modules", "target", ".git", ".wippy"];

/// Load the project under `root` (a directory, or a single YAML file).
pub fn load_project(root: &Path) -> Result<Project, LoadError> {
    load_project_with(root, HashMap::new())
}

/// The text of `path`: the overlay's if it has one, else the file on disk.
fn read_text(project: &Project, path: &Path) -> std::io::Result<Arc<str>> {
    match project.overlay.get(path) {
        Some(t) => Ok(t.clone()),
        None => std::fs::read_to_string(path).map(Arc::from),
    }
}

/// [`load_project`] with `overlay` texts standing in for files on disk (keys are canonical
/// paths).
pub fn load_project_with(
    root: &Path,
    overlay: HashMap<PathBuf, Arc<str>>,
) -> Result<Project, LoadError> {
    let meta =
        std::fs::metadata(root).map_err(|e| LoadError(format!("{}: {e}", root.display())))?;
    let root = root
        .canonicalize()
        .map_err(|e| LoadError(format!("{}: {e}", root.display())))?;
    let mut project = Project {
        root: if meta.is_dir() {
            root.clone()
        } else {
            root.parent().unwrap_or(&root).to_path_buf()
        },
        overlay,
        ..Project::default()
    };
    let mut yamls = Vec::new();
    let mut handler_dirs = Vec::new();
    if meta.is_dir() {
        walk(&root, &mut yamls, &mut handler_dirs)
            .map_err(|e| LoadError(format!("{}: {e}", root.display())))?;
    } else {
        yamls.push(root.clone());
    }
    yamls.sort();
    handler_dirs.sort();
    for path in yamls {
        load_yaml_file(&mut project, &path);
    }
    check_duplicates(&mut project);
    check_imports(&mut project);
    for dir in handler_dirs {
        load_twin(&mut project, &dir);
    }
    Ok(project)
}

fn walk(
    dir: &Path,
    yamls: &mut Vec<PathBuf>,
    handler_dirs: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            if SKIP_DIRS.contains(&name.as_str()) || name.starts_with('.') {
                continue;
            }
            if name == "handlers"
                && path
                    .parent()
                    .is_some_and(|p| p.file_name().is_some_and(|n| n == "lua"))
            {
                handler_dirs.push(path.clone());
            }
            walk(&path, yamls, handler_dirs)?;
        } else if ft.is_file() && (name.ends_with(".yaml") || name.ends_with(".yml")) {
            yamls.push(path);
        }
    }
    Ok(())
}

fn load_yaml_file(project: &mut Project, path: &Path) {
    let Ok(text) = read_text(project, path) else {
        return;
    };
    let declares_namespace = text.lines().any(|l| l.starts_with("namespace:"));
    let parsed = parse_yaml(&text);
    let doc = match parsed {
        Ok(Some(doc)) if doc.get("namespace").is_some() => doc,
        Ok(_) => return,
        Err(e) if declares_namespace => {
            let idx = project.files.add(path.to_path_buf(), text);
            project.diagnostics.push(Diagnostic::new(
                "Y0001",
                idx,
                e.offset..e.offset + 1,
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
        project.diagnostics.push(Diagnostic::new(
            "Y0008",
            yaml,
            span,
            "`namespace` must be a string",
        ));
        return;
    };
    let file_meta = match doc.get("meta").map(YNode::to_json) {
        Some(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let nodes: Vec<YNode> = match doc.get("entries") {
        Some(YNode {
            value: YValue::Seq(items),
            ..
        }) => items.clone(),
        Some(other) => {
            project.diagnostics.push(Diagnostic::new(
                "Y0008",
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
    let scope_path = scope_dir(&project.root, path);
    let scope = match project.scopes.iter().position(|s| *s == scope_path) {
        Some(i) => i,
        None => {
            project.scopes.push(scope_path);
            project.scopes.len() - 1
        }
    };
    for node in &nodes {
        if let Some(mut e) = load_entry(project, yaml, &ns, &file_meta, &dir, node) {
            e.scope = scope;
            project.entries.push(e);
        }
    }
}

fn load_entry(
    project: &mut Project,
    yaml: usize,
    ns: &str,
    file_meta: &serde_json::Map<String, serde_json::Value>,
    dir: &Path,
    node: &YNode,
) -> Option<Entry> {
    let YValue::Map(fields) = &node.value else {
        project.diagnostics.push(Diagnostic::new(
            "Y0008",
            yaml,
            node.span.clone(),
            "an entry must be a mapping with `name` and `kind`",
        ));
        return None;
    };
    let head = node.span.start..node.span.start + 1;
    let missing = |field: &str, project: &mut Project| {
        project.diagnostics.push(Diagnostic::new(
            "Y0002",
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
    let id = format!("{ns}:{name}");
    let Some(kind) = node.get("kind").and_then(YNode::as_str) else {
        missing("kind", project);
        return None;
    };
    let mut meta = file_meta.clone();
    if let Some(serde_json::Value::Object(m)) = node.get("meta").map(YNode::to_json) {
        meta.extend(m);
    }
    let data: serde_json::Map<_, _> = fields
        .iter()
        .filter_map(|(k, v)| k.as_str().map(|k| (k, v)))
        .filter(|(k, _)| !matches!(*k, "name" | "kind" | "meta"))
        .map(|(k, v)| (k.to_owned(), v.to_json()))
        .collect();
    let mut entry = Entry {
        id: id.clone(),
        ns: ns.to_owned(),
        name: name.to_owned(),
        kind: kind.to_owned(),
        yaml,
        span,
        source: None,
        method: None,
        modules: Vec::new(),
        imports: Vec::new(),
        scope: 0,
        duplicate: false,
        meta,
        data,
    };
    if !entry.is_lua() {
        return Some(entry);
    }
    let diag = |code: &'static str, span: Range<u32>, msg: String| {
        let mut d = Diagnostic::new(code, yaml, span, msg);
        d.entry_id = Some(id.clone());
        d
    };
    match node.get("source") {
        None => project.diagnostics.push(diag(
            "Y0002",
            entry.span.clone(),
            format!("`{kind}` entry `{id}` has no `source`"),
        )),
        Some(src) => match src.as_str() {
            Some(s) => match resolve_source(&project.root, dir, s) {
                Ok(path) => match read_text(project, &path) {
                    Ok(text) => {
                        let idx = project
                            .files
                            .find(&path)
                            .unwrap_or_else(|| project.files.add(path, text));
                        entry.source = Some((idx, src.span.clone()));
                    }
                    Err(e) => project.diagnostics.push(diag(
                        "Y0003",
                        src.span.clone(),
                        format!("source `{s}` cannot be read: {e}"),
                    )),
                },
                Err(msg) => project
                    .diagnostics
                    .push(diag("Y0003", src.span.clone(), msg)),
            },
            None => project.diagnostics.push(diag(
                "Y0008",
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
            None => project.diagnostics.push(diag(
                "Y0008",
                m.span.clone(),
                "`method` must be a string".into(),
            )),
        },
        None if kind != "library.lua" => project.diagnostics.push(diag(
            "Y0002",
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
                    None => project.diagnostics.push(diag(
                        "Y0008",
                        item.span.clone(),
                        "a module name must be a string".into(),
                    )),
                }
            }
        }
        Some(YValue::Null) | None => {}
        Some(_) => {
            let span = node.get("modules").map_or(0..0, |m| m.span.clone());
            project.diagnostics.push(diag(
                "Y0008",
                span,
                "`modules` must be a list of module names".into(),
            ));
        }
    }
    match node.get("imports").map(|m| &m.value) {
        Some(YValue::Map(pairs)) => {
            for (k, v) in pairs {
                match (k.as_str(), v.as_str()) {
                    (Some(alias), Some(target)) => {
                        // `alias: ns:name` imports an entry; a bare `alias: name` imports the
                        // built-in module `name` (wippy lint treats it as namespace "").
                        let target = target.to_owned();
                        entry.imports.push(Import {
                            alias: alias.to_owned(),
                            target: Spanned {
                                value: target,
                                span: v.span.clone(),
                            },
                            entry: None,
                            cross_scope: false,
                            external: false,
                        });
                    }
                    _ => project.diagnostics.push(diag(
                        "Y0008",
                        v.span.clone(),
                        "an import is `alias: namespace:name`".into(),
                    )),
                }
            }
        }
        Some(YValue::Null) | None => {}
        Some(_) => {
            let span = node.get("imports").map_or(0..0, |m| m.span.clone());
            project.diagnostics.push(diag(
                "Y0008",
                span,
                "`imports` must be a mapping `alias: namespace:name`".into(),
            ));
        }
    }
    Some(entry)
}

/// Resolve `file://rel` (relative to the YAML's directory) or `file:///p` (from the root).
fn resolve_source(root: &Path, dir: &Path, s: &str) -> Result<PathBuf, String> {
    let Some(rest) = s.strip_prefix("file://") else {
        return Err(format!("source `{s}` must start with `file://`"));
    };
    let path = match rest.strip_prefix('/') {
        Some(abs) => root.join(abs),
        None => dir.join(rest),
    };
    let canonical = path
        .canonicalize()
        .map_err(|_| format!("source file `{s}` does not exist ({})", path.display()))?;
    if !canonical.starts_with(root) {
        return Err(format!(
            "source `{s}` points outside the project root {}",
            root.display()
        ));
    }
    Ok(canonical)
}

fn check_duplicates(project: &mut Project) {
    let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
    let mut diags = Vec::new();
    let mut dups = Vec::new();
    for (i, e) in project.entries.iter().enumerate() {
        if let Some(&first) = seen.get(&(e.scope, e.id.as_str())) {
            let other = &project.entries[first];
            let where_ = project
                .files
                .get(other.yaml)
                .map_or(String::new(), |f| f.display.clone());
            let mut d = Diagnostic::new(
                "Y0006",
                e.yaml,
                e.span.clone(),
                format!("duplicate entry id `{}` (first defined in {where_})", e.id),
            );
            d.entry_id = Some(e.id.clone());
            diags.push(d);
            dups.push(i);
        } else {
            seen.insert((e.scope, &e.id), i);
        }
    }
    project.diagnostics.extend(diags);
    for i in dups {
        project.entries[i].duplicate = true;
    }
}

fn check_imports(project: &mut Project) {
    let mut diags = Vec::new();
    let namespaces: std::collections::HashSet<(usize, &str)> = project
        .entries
        .iter()
        .map(|e| (e.scope, e.ns.as_str()))
        .collect();
    let mut resolved = Vec::new();
    let mut externals = Vec::new();
    for (i, e) in project
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_lua())
    {
        for (k, import) in e.imports.iter().enumerate() {
            let (alias, target) = (&import.alias, &import.target);
            if !target.value.contains(':') {
                continue;
            }
            let found = project.resolve(e.scope, &target.value);
            resolved.push((i, k, found));
            let msg = match found.map(|t| &project.entries[t]) {
                // Any Lua entry can be imported: its source's returned table is the module.
                Some(t) if t.is_lua() => continue,
                Some(t) => format!(
                    "import `{alias}` targets `{}`, a `{}` entry; only Lua entries can be imported",
                    target.value, t.kind
                ),
                None => {
                    let ns = target.value.split(':').next().unwrap_or("");
                    if !namespaces.contains(&(e.scope, ns)) {
                        // A namespace this project does not contain: a dependency module.
                        externals.push((i, k));
                        continue;
                    }
                    format!(
                        "import `{alias}` targets `{}`, which does not exist",
                        target.value
                    )
                }
            };
            let mut d = Diagnostic::new("Y0005", e.yaml, target.span.clone(), msg);
            d.entry_id = Some(e.id.clone());
            diags.push(d);
        }
    }
    for (i, k) in externals {
        project.entries[i].imports[k].external = true;
    }
    for (i, k, found) in resolved {
        let cross = found.is_some_and(|t| project.entries[t].scope != project.entries[i].scope);
        project.entries[i].imports[k].entry = found;
        project.entries[i].imports[k].cross_scope = cross;
    }
    project.diagnostics.extend(diags);
}

fn load_twin(project: &mut Project, handlers: &Path) {
    let Some(lua_dir) = handlers.parent() else {
        return;
    };
    let Some(twin_dir) = lua_dir.parent() else {
        return;
    };
    let name = twin_dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut twin = Twin {
        name,
        dir: twin_dir.to_path_buf(),
        handlers: BTreeMap::new(),
        libs: BTreeMap::new(),
    };
    for (dir, map) in [
        (handlers.to_path_buf(), &mut twin.handlers),
        (lua_dir.join("lib"), &mut twin.libs),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let is_lua = p.extension().is_some_and(|x| x == "lua" || x == "luau");
            let (Some(stem), true) = (
                p.file_stem().map(|s| s.to_string_lossy().into_owned()),
                is_lua,
            ) else {
                continue;
            };
            if let Ok(text) = read_text(project, &p) {
                let idx = project.files.add(p, text);
                map.entry(stem).or_insert(idx);
            }
        }
    }
    project.twins.push(twin);
}
